// Stand-in for https://www.googletagmanager.com/gtm.js?id=GTM-… (Google Tag
// Manager). GTM sets no cookies itself; it pushes its lifecycle events to
// window.dataLayer, as the real container does.
(function () {
  'use strict';
  // --- stand-in prelude (the same in every stand-in: each must load alone,
  // in any order, as the real vendor script does) ---
  var script = document.currentScript;
  var src = script && script.src ? script.src : '';
  var params = new URL(src || location.href, location.href).searchParams;
  // Served from the vendor's real URL through a test's routing? Then it also
  // sends its hits to the vendor's hosts (which the test routes); served from
  // /stand-ins/ (the offline demo) it never touches the network.
  var viaVendorHost = !!src && new URL(src).origin !== location.origin;

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].slice(0, eq) === name) return parts[i].slice(eq + 1);
    }
    return null;
  }
  // Like GA's cookie_domain 'auto': the broadest domain the browser accepts
  // (www.shop.test -> .shop.test), host-only for IPs and single-label hosts.
  function setCookie(name, value, maxAgeSeconds) {
    var base = '; path=/; max-age=' + maxAgeSeconds + '; SameSite=Lax';
    var host = location.hostname;
    if (host.indexOf('.') > 0 && !/^[0-9.]+$/.test(host) && host.indexOf(':') < 0) {
      var labels = host.split('.');
      for (var i = labels.length - 2; i >= 0; i--) {
        var domain = '.' + labels.slice(i).join('.');
        document.cookie = name + '=' + value + '; domain=' + domain + base;
        if (readCookie(name) === value) return domain;
      }
    }
    document.cookie = name + '=' + value + base;
    return readCookie(name) === value ? location.hostname : null;
  }
  function setLocal(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* storage blocked */ }
  }
  function hit(url) {
    (window.__standinHits = window.__standinHits || []).push(url);
    if (viaVendorHost) new Image().src = url;
  }
  function register(id, extra) {
    var entry = { id: id, src: src };
    if (extra) for (var k in extra) entry[k] = extra[k];
    (window.__standins = window.__standins || []).push(entry);
    window.dispatchEvent(new CustomEvent('standin:loaded', { detail: id }));
  }
  function randomId() { return Math.floor(Math.random() * 2147483647); }
  function nowSeconds() { return Math.floor(Date.now() / 1000); }
  var DAY = 86400;
  // --- end of prelude ---

  var containerId = params.get('id') || '';
  var dataLayer = (window.dataLayer = window.dataLayer || []);
  dataLayer.push({ event: 'gtm.js', 'gtm.start': Date.now(), 'gtm.uniqueEventId': dataLayer.length });
  var pushDom = function () { dataLayer.push({ event: 'gtm.dom' }); };
  var pushLoad = function () { dataLayer.push({ event: 'gtm.load' }); };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', pushDom, { once: true });
  else pushDom();
  if (document.readyState !== 'complete') window.addEventListener('load', pushLoad, { once: true });
  else pushLoad();
  window.google_tag_manager = window.google_tag_manager || {};
  window.google_tag_manager[containerId] = { dataLayer: { name: 'dataLayer' } };
  register('google-tag-manager', { containerId: containerId });
})();
