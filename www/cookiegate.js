/* cookiegate bootstrap: Consent Mode defaults before any Google tag, then the wasm module. */
(function (w, d) {
  'use strict';
  if (w.cookiegate) return;
  var s = d.currentScript || d.querySelector('script[src*="cookiegate.js"]') || {};
  var attr = function (n) { return s.getAttribute ? s.getAttribute(n) : null; };
  var base = (s.src || '').replace(/[^/]*([?#].*)?$/, '');
  w.dataLayer = w.dataLayer || [];
  // gtag.js and GTM only read `arguments` objects, never arrays.
  function push() { w.dataLayer.push(arguments); }
  if (typeof w.gtag != 'function') w.gtag = push;
  var K = ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage',
    'functionality_storage', 'personalization_storage', 'security_storage'];
  var dflt = { wait_for_update: 500 };
  K.forEach(function (k) { dflt[k] = k == 'security_storage' ? 'granted' : 'denied'; });
  push('consent', 'default', dflt);
  // Replay a stored, unexpired choice right after the default, before any
  // tag can read the state; the module corrects it if stale.
  try {
    var raw = null, m;
    try { raw = localStorage.getItem('cookiegate'); } catch (e) {}
    if (!raw && (m = d.cookie.match(/(?:^|;\s*)cookiegate=([^;]+)/))) raw = decodeURIComponent(m[1]);
    var rec = JSON.parse(raw), cm = rec.consent_mode, ok = Date.parse(rec.expires) > Date.now() && typeof cm == 'object';
    for (var k in cm) ok = ok && K.indexOf(k) >= 0 && (cm[k] == 'granted' || cm[k] == 'denied');
    if (ok && cm) push('consent', 'update', cm);
  } catch (e) {}
  push('set', 'ads_data_redaction', true);

  var names = ['acceptAll', 'rejectAll', 'accept', 'acceptedCategory', 'acceptedService', 'getConsent',
    'showBanner', 'showPreferences', 'hide', 'reset'];
  var queue = [], done, fail, api = {};
  api.ready = new Promise(function (y, n) { done = y; fail = n; });
  api.ready.catch(function () {}); // a failed start is not an unhandled rejection
  names.forEach(function (n) { api[n] = function () { queue.push([n, arguments]); }; });
  api.acceptedCategory = api.acceptedService = function () { return false; };
  api.getConsent = function () { return null; };
  w.cookiegate = api;

  var url = attr('data-catalogue');
  try { url = url && new URL(url, d.baseURI).href; } catch (e) {}
  var catalogue = url ? new Promise(function (y) {
    var ac = w.AbortController && new AbortController(), t = setTimeout(function () { ac && ac.abort(); }, 1e4);
    fetch(url, { credentials: 'same-origin', signal: ac && ac.signal }).then(function (r) {
      if (!r.ok) throw Error('HTTP ' + r.status);
      return r.text();
    }).then(function (x) { y([x, null]); }, function (e) { y([null, String(e && e.message || e)]); })
      .then(function () { clearTimeout(t); });
  }) : new Promise(function (y) {
    // An inline catalogue may come later in the page than this script.
    function read() { var el = d.getElementById('cookiegate-catalogue'); y([el && el.textContent, null]); }
    d.readyState == 'loading' ? d.addEventListener('DOMContentLoaded', read) : read();
  });

  var mod;
  import(base + 'cookiegate_core.js').then(function (m) {
    mod = m;
    return m.default({ module_or_path: base + 'cookiegate_core_bg.wasm' });
  }).then(function () { return catalogue; }).then(function (c) {
    names.forEach(function (n) {
      var f = mod[n.replace(/[A-Z]/g, function (x) { return '_' + x.toLowerCase(); })];
      api[n] = function () { return f.apply(null, arguments); };
    });
    var started = mod.mount({ catalogue: c[0], catalogueError: c[1], catalogueUrl: url || '#cookiegate-catalogue',
      lang: attr('data-lang'), theme: attr('data-theme'), endpoint: attr('data-consent-endpoint'), nonce: s.nonce || '', push: push });
    queue.splice(0).forEach(function (q) { api[q[0]].apply(null, q[1]); });
    // The module has already said why in the console.
    started ? done(api) : fail(Error('cookiegate did not start'));
  }).catch(function (e) {
    console.error('cookiegate: the module could not start (' + e + '); nothing that needs consent will load');
    fail(e);
  });
})(window, document);
