// Stand-in for https://mc.yandex.ru/metrika/tag.js (Yandex Metrica).
// Defines window.ym, replays the ym.a queue the official snippet leaves, and
// on ym(ID, 'init', …) sets _ym_uid, _ym_d (1 year), _ym_isad (2 days),
// _ym_visorc (30 minutes, with webvisor) and localStorage _ym_uid, _ym<ID>_lsid.
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

  var stub = window.ym;
  var queue = stub && stub.a ? Array.prototype.slice.call(stub.a) : [];
  var counters = {};
  function ym(counterId, method, options) {
    ym.calls.push(Array.prototype.slice.call(arguments));
    if (method === 'init') {
      options = options || {};
      counters[counterId] = options;
      var uid = readCookie('_ym_uid') || String(nowSeconds()) + String(randomId());
      setCookie('_ym_uid', uid, 365 * DAY);
      setCookie('_ym_d', readCookie('_ym_d') || String(nowSeconds()), 365 * DAY);
      setCookie('_ym_isad', '2', 2 * DAY);
      if (options.webvisor) setCookie('_ym_visorc', 'w', 30 * 60);
      setLocal('_ym_uid', JSON.stringify(uid));
      setLocal('_ym' + counterId + '_lsid', String(randomId()));
      hit('https://mc.yandex.ru/watch/' + counterId + '?page-url=' + encodeURIComponent(location.href));
    } else if (method === 'reachGoal' || method === 'hit' || method === 'params') {
      hit('https://mc.yandex.ru/watch/' + counterId + '?' + method + '=' + encodeURIComponent(String(options)));
    }
  }
  ym.a = [];
  ym.l = (stub && stub.l) || Date.now();
  ym.calls = [];
  ym.counters = counters;
  window.ym = ym;
  queue.forEach(function (args) { ym.apply(null, args); });
  register('yandex-metrica');
})();
