/* cookiegate bootstrap: Consent Mode defaults before any Google tag, then the wasm module. */
(function (w, d) {
  'use strict';
  // Page markup can shadow window and document names (`<div id="cookiegate">`,
  // `<img name="currentScript">`): only what this script made, and the
  // real prototypes, are trusted.
  var MARK = Symbol.for('cookiegate'), prior = w.cookiegate, ours;
  try { ours = prior && prior[MARK]; } catch (e) {} // a cross-origin frame named cookiegate throws
  if (ours) return;
  if (prior != null) console.warn('cookiegate: window.cookiegate was something else (an element with id or name "cookiegate"?); the API replaces it');
  var s = Object.getOwnPropertyDescriptor(Document.prototype, 'currentScript').get.call(d);
  if (!(s instanceof HTMLScriptElement)) s = {};
  var attr = function (n) { return s.getAttribute ? s.getAttribute(n) : null; };
  var base = (s.src || '').replace(/[^/]*([?#].*)?$/, '');
  if (!Array.isArray(w.dataLayer)) w.dataLayer = [];
  // gtag.js and GTM only read `arguments` objects, never arrays.
  function push() { w.dataLayer.push(arguments); }
  if (typeof w.gtag != 'function') w.gtag = push;
  var K = ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage',
    'functionality_storage', 'personalization_storage', 'security_storage'];
  var dflt = { wait_for_update: 500 };
  K.forEach(function (k) { dflt[k] = k == 'security_storage' ? 'granted' : 'denied'; });
  push('consent', 'default', dflt);
  // No stored choice is replayed here: only the module can judge a record
  // (revision, lifetime, GPC), and sends its update within wait_for_update.
  push('set', 'ads_data_redaction', true);

  var names = ['acceptAll', 'rejectAll', 'accept', 'acceptedCategory', 'acceptedService', 'getConsent',
    'showBanner', 'showPreferences', 'hide', 'reset'];
  var queue = [], done, fail, api = {};
  api[MARK] = true;
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
    // An inline catalogue may come later in the page than this script. Only
    // a <script type="application/json"> counts; the module refuses two.
    function read() {
      var all = Document.prototype.querySelectorAll.call(d, 'script#cookiegate-catalogue'), found = [];
      for (var i = 0; i < all.length; i++) {
        if (all[i] instanceof HTMLScriptElement && all[i].type.trim().toLowerCase() == 'application/json') found.push(all[i].textContent);
      }
      y([found[0], null, found.length]);
    }
    d.readyState == 'loading' ? d.addEventListener('DOMContentLoaded', read) : read();
  });

  // The .wasm is fetched alongside its glue, not after it: a returning
  // visitor's Consent Mode update waits for both.
  var mod, wasm = fetch(base + 'cookiegate_core_bg.wasm');
  wasm.catch(function () {}); // reported through the glue's start below
  import(base + 'cookiegate_core.js').then(function (m) {
    mod = m;
    return m.default({ module_or_path: wasm });
  }).then(function () { return catalogue; }).then(function (c) {
    names.forEach(function (n) {
      var f = mod[n.replace(/[A-Z]/g, function (x) { return '_' + x.toLowerCase(); })];
      api[n] = function () { return f.apply(null, arguments); };
    });
    var started = mod.mount({ catalogue: c[0], catalogueError: c[1], catalogueUrl: url || '#cookiegate-catalogue',
      catalogueCopies: c[2], lang: attr('data-lang'), theme: attr('data-theme'), endpoint: attr('data-consent-endpoint'), nonce: s.nonce || '', push: push });
    queue.splice(0).forEach(function (q) { api[q[0]].apply(null, q[1]); });
    // The module has already said why in the console.
    started ? done(api) : fail(Error('cookiegate did not start'));
  }).catch(function (e) {
    console.error('cookiegate: the module could not start (' + e + '); nothing that needs consent will load');
    fail(e);
  });
})(window, document);
