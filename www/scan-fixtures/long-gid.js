// Stand-in for a Google Analytics set-up that keeps _gid for 30 days: the
// catalogue declares 24 hours, as Google documents.
(function () {
  'use strict';
  var value = 'GA1.1.' + Math.floor(Math.random() * 1e9) + '.' + Math.floor(Date.now() / 1000);
  document.cookie = '_gid=' + value + '; max-age=' + 30 * 86400 + '; path=/; SameSite=Lax';
})();
