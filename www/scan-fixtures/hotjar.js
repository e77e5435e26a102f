// Stand-in for Hotjar's tracking code (static.hotjar.com/c/hotjar-ID.js):
// the visitor cookie, the storage test key and one hit to its collector.
// Nothing in the scan fixtures' catalogue declares any of them.
(function () {
  'use strict';
  var site = 1234567;
  var id = Math.random().toString(36).slice(2);
  document.cookie = '_hjSessionUser_' + site + '=' + id + '; max-age=' + 365 * 86400 + '; path=/; SameSite=Lax';
  try { localStorage.setItem('_hjLocalStorageTest', '1'); } catch (e) { /* storage blocked */ }
  new Image().src = 'http://in.hotjar.com/stand-ins/pixel.gif?site=' + site;
})();
