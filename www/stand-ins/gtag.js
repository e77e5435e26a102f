// Stand-in for https://www.googletagmanager.com/gtag/js?id=G-…|AW-… (Google tag).
// Like the real one it reads gtag() commands from window.dataLayer, and only
// entries that are Arguments objects (what gtag() pushes) count as commands:
// an Array pushed by mistake is ignored, as gtag.js ignores it. Consent Mode
// is honoured: no cookies while analytics_storage / ad_storage is denied.
// Cookies: G-… -> _ga, _ga_<ID> (2 years); AW-… -> _gcl_au (90 days).
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

  var tagId = params.get('id') || '';
  var service = /^AW-/.test(tagId) ? 'google-ads' : 'google-analytics';
  var dataLayer = (window.dataLayer = window.dataLayer || []);

  var state = window.__standinGtag;
  if (!state) {
    state = window.__standinGtag = { defaults: {}, updates: {}, configs: [], commands: [], ignored: 0 };
    var granted = function (type) {
      var v = type in state.updates ? state.updates[type] : state.defaults[type];
      return v === undefined || v === 'granted';
    };
    var configure = function (target) {
      if (/^G-/.test(target)) {
        if (granted('analytics_storage')) {
          var ga = readCookie('_ga') || 'GA1.1.' + randomId() + '.' + nowSeconds();
          setCookie('_ga', ga, 730 * DAY);
          setCookie('_ga_' + target.slice(2), 'GS1.1.' + nowSeconds() + '.1.0.' + nowSeconds() + '.0.0.0', 730 * DAY);
          hit('https://www.google-analytics.com/g/collect?v=2&tid=' + target + '&cid=' + ga.split('.').slice(2).join('.') + '&en=page_view');
        } else {
          hit('https://www.google-analytics.com/g/collect?v=2&tid=' + target + '&gcs=G100&en=page_view');
        }
      } else if (/^AW-/.test(target)) {
        if (granted('ad_storage')) {
          setCookie('_gcl_au', readCookie('_gcl_au') || '1.1.' + randomId() + '.' + nowSeconds(), 90 * DAY);
        }
      }
    };
    var process = function (entry) {
      if (Object.prototype.toString.call(entry) !== '[object Arguments]') {
        if (Array.isArray(entry)) state.ignored++;
        return;
      }
      var args = Array.prototype.slice.call(entry);
      state.commands.push(args);
      if (args[0] === 'consent' && (args[1] === 'default' || args[1] === 'update') && args[2]) {
        var into = args[1] === 'default' ? state.defaults : state.updates;
        for (var k in args[2]) if (k !== 'region' && k !== 'wait_for_update') into[k] = args[2][k];
        if (args[1] === 'update') state.configs.forEach(configure);
      } else if (args[0] === 'config' && typeof args[1] === 'string') {
        if (state.configs.indexOf(args[1]) < 0) state.configs.push(args[1]);
        configure(args[1]);
      }
    };
    var push = dataLayer.push;
    dataLayer.push = function () {
      var result = push.apply(dataLayer, arguments);
      for (var i = 0; i < arguments.length; i++) process(arguments[i]);
      return result;
    };
    for (var i = 0; i < dataLayer.length; i++) process(dataLayer[i]);
  }
  register(service, { tagId: tagId, consent: { defaults: state.defaults, updates: state.updates } });
})();
