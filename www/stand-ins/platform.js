// Stand-in for https://apis.google.com/js/platform.js (Google Customer
// Reviews loader). Defines a gapi stub: gapi.load('surveyoptin'|'ratingbadge',
// cb) and gapi.surveyoptin.render(options), which records the options (the
// real module sends the shopper's e-mail and order id to Google on render)
// and shows a small opt-in box. Calls ?onload=<function name> once loaded.
// Sets no first-party cookies.
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

  var gapi = (window.gapi = window.gapi || {});
  gapi.rendered = gapi.rendered || [];
  function renderBox(kind, options) {
    gapi.rendered.push({ kind: kind, options: options });
    hit('https://apis.google.com/_/' + kind + '?merchant_id=' + encodeURIComponent(String(options && options.merchant_id)));
    var box = document.createElement('aside');
    box.className = 'standin-gcr';
    box.setAttribute('aria-label', 'Google Customer Reviews');
    var text = document.createElement('p');
    text.textContent = kind === 'surveyoptin'
      ? 'Google Customer Reviews (stand-in): would you like to rate your order ' + ((options && options.order_id) || '') + '?'
      : 'Google Customer Reviews badge (stand-in)';
    box.appendChild(text);
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'No thanks';
    close.addEventListener('click', function () { box.remove(); });
    box.appendChild(close);
    document.body.appendChild(box);
  }
  gapi.surveyoptin = { render: function (options) { renderBox('surveyoptin', options); } };
  gapi.ratingbadge = { render: function (container, options) { renderBox('ratingbadge', options); } };
  gapi.load = function (name, callback) {
    setTimeout(function () {
      if (typeof callback === 'function') callback();
      else if (callback && typeof callback.callback === 'function') callback.callback();
    }, 0);
  };
  register('google-customer-reviews');
  var onload = params.get('onload');
  if (onload && /^[A-Za-z_$][\w$]*$/.test(onload) && typeof window[onload] === 'function') {
    setTimeout(function () { window[onload](); }, 0);
  }
})();
