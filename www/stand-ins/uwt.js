// Stand-in for https://static.ads-twitter.com/uwt.js (X / Twitter pixel).
// Attaches to the twq stub of the official snippet (or defines twq), replays
// its queue, and sets the first-party _twclid cookie (30 days).
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

  var stub = window.twq;
  var queue = stub && stub.queue ? Array.prototype.slice.call(stub.queue) : [];
  var calls = [];
  function exe(command, pixelId) {
    calls.push(Array.prototype.slice.call(arguments));
    if (command === 'config' || command === 'init') {
      setCookie('_twclid', readCookie('_twclid') || 'tw.' + Date.now() + '.' + randomId(), 30 * DAY);
      hit('https://analytics.twitter.com/i/adsct?txn_id=' + encodeURIComponent(String(pixelId)));
    } else if (command === 'event' || command === 'track') {
      hit('https://analytics.twitter.com/i/adsct?event=' + encodeURIComponent(String(pixelId)));
    }
  }
  var twq = stub || function () { twq.exe.apply(twq, arguments); };
  twq.exe = exe;
  twq.queue = [];
  twq.version = '1.1';
  twq.calls = calls;
  window.twq = twq;
  queue.forEach(function (args) { exe.apply(null, args); });
  register('twitter');
})();
