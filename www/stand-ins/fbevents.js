// Stand-in for https://connect.facebook.net/en_US/fbevents.js (Meta Pixel).
// Attaches to the fbq stub of the official snippet (or defines fbq), replays
// its queue, honours fbq('consent', 'revoke'|'grant'), and on init sets the
// first-party _fbp cookie (90 days).
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

  var stub = window.fbq;
  var queue = stub && stub.queue ? Array.prototype.slice.call(stub.queue) : [];
  var pixels = [];
  var revoked = false;
  var calls = [];
  function ensureFbp() {
    if (revoked || readCookie('_fbp')) return;
    var value = 'fb.0.' + Date.now() + '.' + randomId();
    var domain = setCookie('_fbp', value, 90 * DAY);
    // The middle number counts the labels of the domain the cookie is on.
    if (domain) setCookie('_fbp', 'fb.' + (domain.replace(/^\./, '').split('.').length - 1) + value.slice(4), 90 * DAY);
  }
  function callMethod(command) {
    var args = Array.prototype.slice.call(arguments);
    calls.push(args);
    if (command === 'consent') {
      revoked = args[1] === 'revoke';
      if (!revoked && pixels.length) ensureFbp();
    } else if (command === 'init') {
      pixels.push(String(args[1]));
      ensureFbp();
    } else if ((command === 'track' || command === 'trackCustom') && !revoked) {
      pixels.forEach(function (id) {
        hit('https://www.facebook.com/tr?id=' + encodeURIComponent(id) + '&ev=' + encodeURIComponent(args[1]));
      });
    }
  }
  var fbq = stub || function () { fbq.callMethod.apply(fbq, arguments); };
  fbq.callMethod = callMethod;
  fbq.queue = [];
  fbq.loaded = true;
  fbq.version = '2.0';
  fbq.calls = calls;
  window.fbq = fbq;
  if (!window._fbq) window._fbq = fbq;
  queue.forEach(function (args) { callMethod.apply(null, args); });
  register('facebook');
})();
