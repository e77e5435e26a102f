/*! cookiegate bootstrap: Consent Mode defaults before any Google tag, then the wasm module. */
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
  // Every file the module needs is asked for first, before anything else
  // here runs, each alongside the others: the catalogue (a returning
  // visitor's longest wait: it is revalidated), the .wasm (a first visitor's
  // longest download), its glue. Nothing of the page runs before this
  // script ends, so the Consent Mode default below still precedes any tag.
  var url = attr('data-catalogue'), lang = attr('data-lang'), full = null, fetch0 = w.fetch, MO = w.MutationObserver;
  try { url = url && new URL(url, Object.getOwnPropertyDescriptor(Node.prototype, 'baseURI').get.call(d)).href; } catch (e) {}
  // data-languages: catalogue.<lang>.json exists next to data-catalogue for
  // each of these; fetch only the visitor's (the full one if that fails).
  var langs = (attr('data-languages') || '').split(/\s+/).filter(function (l) { return /^[A-Za-z0-9-]+$/.test(l); });
  if (url && langs.length) {
    lang = pick(langs);
    // The query (a cache-busting version) applies to every file of the folder.
    try { full = url; url = new URL('catalogue.' + lang + '.json' + new URL(full).search, full).href; } catch (e) { url = full; full = null; }
  }
  // As the module resolves it: data-lang, <html lang>, the browser's; for each,
  // the tag itself, then its primary subtag (ASCII case-insensitive); else the first.
  function pick(have) {
    var low = function (x) { return String(x == null ? '' : x).trim().replace(/[A-Z]+/g, function (c) { return c.toLowerCase(); }); };
    var root = Object.getOwnPropertyDescriptor(Document.prototype, 'documentElement').get.call(d);
    var want = [lang, root && Element.prototype.getAttribute.call(root, 'lang')].concat([].slice.call(w.navigator.languages || []));
    for (var i = 0, x, j; i < want.length; i++) {
      if (!(x = low(want[i]))) continue;
      for (j = 0; j < have.length; j++) if (low(have[j]) == x) return have[j];
      for (j = 0, x = x.split('-')[0]; j < have.length; j++) if (low(have[j]) == x) return have[j];
    }
    return have[0];
  }
  function loading() { return Object.getOwnPropertyDescriptor(Document.prototype, 'readyState').get.call(d) == 'loading'; }
  function get(url) {
    return new Promise(function (y) {
      var ac = w.AbortController && new AbortController(), t = setTimeout(function () { ac && ac.abort(); }, 1e4);
      // The page's fetch as it was: the full catalogue, fetched after the
      // interception below is in place, must not wait for the module that
      // waits for it (a catalogue on another origin).
      fetch0.call(w, url, { credentials: 'same-origin', signal: ac && ac.signal }).then(function (r) {
        if (!r.ok) throw Error('HTTP ' + r.status);
        return r.text();
      }).then(function (x) { y([x, null]); }, function (e) { y([null, String(e && e.message || e)]); })
        .then(function () { clearTimeout(t); });
    });
  }
  var catalogue = url ? get(url) : new Promise(function (y) {
    // An inline catalogue may come later in the page than this script. Only
    // a <script type="application/json"> counts; the module refuses two.
    function read() {
      var all = Document.prototype.querySelectorAll.call(d, 'script#cookiegate-catalogue'), found = [];
      for (var i = 0; i < all.length; i++) {
        if (all[i] instanceof HTMLScriptElement && all[i].type.trim().toLowerCase() == 'application/json') found.push(all[i].textContent);
      }
      y([found[0], null, found.length]);
    }
    loading() ? EventTarget.prototype.addEventListener.call(d, 'DOMContentLoaded', read) : read();
  });
  var mod, wasm = fetch(base + 'cookiegate_core_bg.wasm'), glue = import(base + 'cookiegate_core.js');
  wasm.catch(function () {}); // both reported through the glue's start below
  glue.catch(function () {});

  // gtag.js and GTM only read `arguments` objects, never arrays. What is
  // pushed here is kept: a page that then assigns a new array
  // (`dataLayer = [{pageType: 'product'}]` before its GTM snippet) would
  // drop the default, and Google's tags would run as if no consent were
  // needed. The new array gets them first, in the order they were sent.
  // (A new array holding any of them is the page's own edit of the old one:
  // left as it is.)
  var layer = Array.isArray(w.dataLayer) ? w.dataLayer : [], sent = [];
  function toLayer(a) { try { w.dataLayer.push(a); } catch (e) {} }
  function push() { toGTM(arguments); }
  // What the module calls after each update: the event GTM triggers wait for.
  function updated() { toGTM({ event: 'consent_update' }); }
  function toGTM(x) { sent.push(x); toLayer(x); }
  try {
    Object.defineProperty(w, 'dataLayer', { configurable: true, enumerable: true, get: function () { return layer; }, set: function (v) {
      try {
        if (Array.isArray(v) && !sent.some(function (x) { return v.indexOf(x) >= 0; })) [].unshift.apply(v, sent);
      } catch (e) {} // a frozen array
      layer = v;
    } });
  } catch (e) { try { w.dataLayer = layer; } catch (e2) {} }
  // The page's own commands go to its array as they would with its own gtag.
  if (typeof w.gtag != 'function') w.gtag = function gtag() { toLayer(arguments); };
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
  var queue = [], fns = {}, done, fail, api = {};
  api[MARK] = true;
  api.ready = new Promise(function (y, n) { done = y; fail = n; });
  api.ready.catch(function () {}); // a failed start is not an unhandled rejection
  names.forEach(function (n) { api[n] = function () { queue.push([n, arguments]); }; });
  api.acceptedCategory = api.acceptedService = function () { return false; };
  api.getConsent = function () { return null; };
  w.cookiegate = api;

  // ---- The first layer, while the .wasm is on its way ----
  // On a first visit (nothing stored) the module's first act is to show the
  // banner. Built here from the catalogue's texts, the same banner is seen
  // as soon as the catalogue is in: the module then takes the host over and
  // puts its own in place, same tree, same styles. Its buttons queue the
  // API's calls, which the module replays. Anything unexpected (a record
  // stored, a text missing, a URL not https:): no early banner, and the
  // module decides as it always does. It loads nothing, and it is removed
  // if the module does not start.
  var CSS = '', sheet = null, early = null, up = false;
  var D = Document.prototype, E = Element.prototype, N = Node.prototype;
  var make = D.createElement, setA = E.setAttribute, getA = E.getAttribute, add = N.appendChild, put = N.insertBefore;
  var shadow = E.attachShadow, text = Object.getOwnPropertyDescriptor(N, 'textContent').set;
  var bodyOf = Object.getOwnPropertyDescriptor(D, 'body').get, cookies = Object.getOwnPropertyDescriptor(D, 'cookie').get;
  var rootOf = Object.getOwnPropertyDescriptor(D, 'documentElement').get, listen = EventTarget.prototype.addEventListener;
  // The one sheet, made when first needed (the early banner, the module's
  // mount), not while the page waits for this script; false: it cannot be.
  function styles() {
    if (sheet == null) try { if (!CSS) throw 0; sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); } catch (e) { sheet = false; }
    return sheet || null;
  }
  if (CSS) catalogue.then(function (c) {
    // Two inline catalogues: the module refuses both (one may be forged).
    if (c[2] != null && c[2] !== 1) return;
    bodyOf.call(d) ? firstLayer(c[0]) : listen.call(d, 'DOMContentLoaded', function () { firstLayer(c[0]); });
  });
  function firstLayer(json) {
    if (up || typeof json != 'string' || json.length >= 5 << 20 || !styles()) return;
    try {
      // As the module reads a record: localStorage, else the cookie; either one
      // present (valid or not) is the module's to judge.
      if (w.localStorage.getItem('cookiegate') != null || /(^|;)\s*(__Host-)?cookiegate=/.test(cookies.call(d))) return;
      var cat = JSON.parse(json), own = function (o, k) { return o && typeof o == 'object' && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined; };
      var langs = own(cat, 'languages');
      if (!Array.isArray(langs) || !langs.length) return;
      var code = pick(langs), t = own(own(cat, 'texts'), code), gpc = w.navigator.globalPrivacyControl === true, say = {}, href = own(cat, 'policy_url');
      var keys = ['banner_title', 'banner_body', 'withdraw_note', 'policy_link', 'reject_all', 'accept_all', 'preferences'];
      if (gpc) keys.push('gpc_honoured');
      for (var i = 0; i < keys.length; i++) if (typeof (say[keys[i]] = own(t, keys[i])) != 'string' || !say[keys[i]]) return;
      if (typeof code != 'string' || typeof href != 'string' || href.indexOf('https://') != 0) return;
      var body = bodyOf.call(d), el = function (tag, cls, parent, words) {
        var e = make.call(d, tag);
        if (cls) setA.call(e, 'class', cls);
        if (words != null) text.call(e, words);
        if (parent) add.call(parent, e);
        return e;
      };
      var host = el('div'), theme = String(attr('data-theme') || '').trim().toLowerCase();
      setA.call(host, 'data-cookiegate', 'root');
      if (theme == 'light' || theme == 'dark') setA.call(host, 'data-cookiegate-theme', theme);
      var root = shadow.call(host, { mode: 'open' }), wrap = el('div', 'cg', root), sec = el('section', 'cg-layer cg-banner', wrap);
      root.adoptedStyleSheets = [styles()];
      var attrs = [['role', 'region'], ['aria-labelledby', 'cg-banner-title'], ['data-cookiegate', 'banner'], ['lang', code],
        ['dir', /^(ar|he|fa|ur)(-|$)/i.test(code) ? 'rtl' : 'ltr']];
      attrs.forEach(function (a) { setA.call(sec, a[0], a[1]); });
      var inner = el('div', 'cg-banner-inner', sec), words = el('div', 'cg-banner-text', inner);
      setA.call(el('h2', '', words, say.banner_title), 'id', 'cg-banner-title');
      el('p', '', words, say.banner_body);
      var link = el('a', '', el('p', 'cg-note', words, say.withdraw_note + ' '), say.policy_link);
      setA.call(link, 'href', href);
      setA.call(link, 'rel', 'noopener');
      setA.call(link, 'data-cookiegate', 'policy-link');
      if (gpc) el('p', 'cg-gpc', words, say.gpc_honoured);
      var actions = el('div', 'cg-actions', inner);
      [['reject-all', 'rejectAll', say.reject_all], ['accept-all', 'acceptAll', say.accept_all], ['preferences', 'showPreferences', say.preferences]].forEach(function (b) {
        var button = el('button', 'cg-btn', actions, b[2]);
        setA.call(button, 'type', 'button');
        setA.call(button, 'data-cookiegate', b[0]);
        // The first click is the visitor's choice; more of them, before the
        // module is up to answer, would each make a record.
        listen.call(button, 'click', function () { if (!early.clicked) api[(early.clicked = b)[1]](); });
      });
      if (up) return;
      put.call(body, host, body.firstChild);
      early = { host: host, root: root, wrap: wrap };
      // As the module keeps it: the browser scrolls focused elements clear of the banner.
      w.requestAnimationFrame(function () {
        if (!up && wrap.isConnected) rootOf.call(d).style.setProperty('scroll-padding-bottom', sec.getBoundingClientRect().height + 'px');
      });
      // A .wasm that never arrives (a stalled download): the banner cannot be answered.
      setTimeout(function () { if (!up) dropEarly(); }, 2e4);
    } catch (e) {}
  }
  // Which early button had focus, to give it to the module's own. The
  // host's mark keeps the module's banner from fading in a second time; it
  // goes with the first choice, which hides the banner, so that a banner
  // shown again later fades in as usual.
  function focused() {
    if (!early || !early.wrap.isConnected) return null;
    var host = early.host;
    if (!early.marked) {
      early.marked = true;
      setA.call(host, 'data-cookiegate-early', '');
      listen.call(w, 'cookiegate:consent', function () { E.removeAttribute.call(host, 'data-cookiegate-early'); }, { once: true });
    }
    var f = early.root.activeElement;
    return f ? getA.call(f, 'data-cookiegate') : null;
  }
  function refocus(hook) {
    var all = hook && early ? early.root.querySelectorAll('[data-cookiegate]') : [];
    for (var i = 0; i < all.length; i++) if (getA.call(all[i], 'data-cookiegate') == hook) return all[i].focus();
  }
  // The module did not start, or did not put its own banner in place:
  // nothing may suggest that a choice can be made.
  function dropEarly() {
    if (!early || !early.wrap.isConnected) return;
    if (early.host.parentNode) early.host.parentNode.removeChild(early.host);
    rootOf.call(d).style.removeProperty('scroll-padding-bottom');
  }

  // After the .wasm fetch, so the bootstrap's own request is not judged.
  var hub = intercept(w, d, base, api.ready);
  glue.then(function (m) {
    mod = m;
    return m.default({ module_or_path: wasm });
  }).then(function () { return catalogue; }).then(function (c) {
    // A slow script in <head> after this one: the module is up before the
    // parser has made <body>, where the UI goes. It mounts once there is one.
    return bodyOf.call(d) || !loading() ? c : new Promise(function (y) {
      var mo = new MO(function () { if (bodyOf.call(d)) { mo.disconnect(); y(c); } });
      mo.observe(rootOf.call(d), { childList: true });
      listen.call(d, 'DOMContentLoaded', function () { mo.disconnect(); y(c); });
    });
  }).then(function (c) {
    // The module answers the API from its mount on (the page's listeners may
    // call it during `cookiegate:ready`); while a mount has failed and the
    // full catalogue is on its way, calls queue again.
    var live = false;
    names.forEach(function (n) {
      var f = fns[n] = mod[n.replace(/[A-Z]/g, function (x) { return '_' + x.toLowerCase(); })], waiting = api[n];
      // A call that changes something waits behind those queued before it
      // (one made in a `cookiegate:ready` listener, say); a question is answered.
      api[n] = function () { return (live && (/^(accepted|get)/.test(n) || !queue.length) ? f : waiting).apply(null, arguments); };
    });
    function mount(c, u, fallback) {
      var hook = focused();
      live = true;
      // A leading byte-order mark (the module skips it) makes the glue copy
      // the text with the browser's encoder, not a loop over each character.
      // Not on a text of 5 MiB (the module's limit) or more: the mark would
      // tip one of exactly 5 MiB over the module's check of its length.
      live = mod.mount({ catalogue: c[0] == null || c[0].length >= 5 << 20 ? c[0] : '\uFEFF' + c[0], catalogueError: c[1], catalogueUrl: u || '#cookiegate-catalogue', catalogueFallback: fallback,
        catalogueCopies: c[2], lang: lang, theme: attr('data-theme'), endpoint: attr('data-consent-endpoint'), nonce: s.nonce || '', push: push, event: updated, intercept: hub, sheet: styles(),
        // Its host is handed over, not looked up: page markup may carry the same attribute.
        host: early && early.wrap.isConnected ? early.host : null });
      refocus(hook);
      return live;
    }
    // With a fallback the module only warns about a catalogue it cannot use
    // (naming its URL and why) and waits to be mounted again, once.
    up = true;
    var started = mount(c, url, full);
    return started || !full ? started : get(full).then(function (c) { return mount(c, full); });
  }).then(function (started) {
    // In order, one at a time: a call made meanwhile waits behind the rest.
    // One that throws is said, and the rest still run.
    for (var q; (q = queue.shift());) {
      try { fns[q[0]].apply(null, q[1]); } catch (e) { console.error('cookiegate: cookiegate.' + q[0] + '() failed: ' + e); }
    }
    // The module has already said why in the console. Started, it has put
    // its own banner in the early one's place, unless its UI failed.
    dropEarly();
    started ? done(api) : fail(Error('cookiegate did not start'));
  }).catch(function (e) {
    console.error('cookiegate: the module could not start (' + e + '); nothing that needs consent will load');
    up = true;
    dropEarly();
    fail(e);
  });
  // ---- What tags inject: held from here on, before any tag runs ----
  // A URL on another origin given to a script, iframe, img, link, embed,
  // object or source, or asked for by fetch, XMLHttpRequest, sendBeacon or
  // document.write, becomes a record {urls, kind, el, release, refuse} that
  // the core answers at once: true, go ahead; false, it holds the element
  // until granted or refuses the request. Until it is up, records wait here.
  function intercept(w, d, own, ready) {
    var held = [], down = false, hub = { held: held, passed: new WeakSet(), once: new WeakSet(), ask: null };
    var E = w.Element.prototype, setAttr = E.setAttribute, ATTRS = {}, pending = new WeakMap(), origin = w.location.origin;
    var baseOf = Object.getOwnPropertyDescriptor(w.Node.prototype, 'baseURI').get, parentOf = Object.getOwnPropertyDescriptor(w.Node.prototype, 'parentNode').get;
    var SEL = 'iframe[src],img[src],img[srcset],link[href],embed[src],object[data],source[src],source[srcset]';
    function noop() {}
    // The absolute URL when it is another origin's and not cookiegate's own folder.
    function foreign(url) {
      try { var u = new URL(url, baseOf.call(d)), href; } catch (e) { return null; }
      return u.origin != origin && /^(https?|wss?):$/.test(u.protocol) && !(own && (href = u.href).indexOf(own) == 0) ? href || u.href : null;
    }
    function urlsOf(name, v) {
      var out = [];
      (name == 'srcset' ? String(v).split(',').map(function (c) { return c.trim().split(/\s+/)[0]; }) : [v])
        .forEach(function (x) { if ((x = foreign(x))) out.push(x); });
      return out;
    }
    function route(rec) {
      if (hub.ask) try { return hub.ask(rec.urls.join(' '), rec.kind, rec); } catch (e) { rec.refuse(); return false; }
      down ? rec.refuse() : held.push(rec);
      return false;
    }
    function record(el, urls, v, set) {
      var rec = { urls: urls, kind: el.localName, el: el, refuse: noop, release: function () {
        if (!rec.dead) { rec.dead = true; set(v); }
      } };
      return rec;
    }
    function setURL(el, name, v, set) {
      var slot = pending.get(el), urls, rec;
      hub.passed.add(el);
      if (slot && slot[name]) slot[name].dead = true; // a newer value replaces a held one
      if (hub.once.has(el) || !(urls = urlsOf(name, v)).length) return set(v);
      pending.set(el, slot = slot || {});
      if (route(rec = slot[name] = record(el, urls, v, set))) rec.release();
    }
    'script Script src,iframe IFrame src,img Image src srcset,link Link href,embed Embed src,object Object data,source Source src srcset'
      .split(',').forEach(function (k) {
        var proto = (w['HTML' + (k = k.split(' '))[1] + 'Element'] || {}).prototype;
        (ATTRS[k[0]] = k.slice(2)).forEach(function (name) {
          var p = proto && Object.getOwnPropertyDescriptor(proto, name);
          if (p && p.set) Object.defineProperty(proto, name, { configurable: true, enumerable: p.enumerable, get: p.get,
            set: function (v) { var el = this; setURL(el, name, v, function (x) { p.set.call(el, x); }); } });
        });
      });
    function urlAttr(el, name) {
      var a = el.namespaceURI == 'http://www.w3.org/1999/xhtml' && ATTRS[el.localName];
      return a && a.indexOf(name = String(name).toLowerCase()) >= 0 ? name : null;
    }
    ['setAttribute', 'setAttributeNS'].forEach(function (m, ns) {
      var native = E[m];
      E[m] = function () {
        var el = this, args = arguments, a = (!ns || args[0] == null || args[0] === '') && urlAttr(el, args[ns]);
        if (!a) return native.apply(el, args);
        setURL(el, a, args[ns + 1], function (x) { setAttr.call(el, a, x); });
      };
    });
    // Markup read by innerHTML / insertAdjacentHTML: take each new URL off
    // before the browser fetches it (images and frames start a little later).
    // What `root` holds that may load, read through the prototypes: a
    // <form>'s controls shadow its own names (`<input name="querySelectorAll">`).
    function under(root) {
      var P = root instanceof w.Element ? E : root instanceof w.Document ? w.Document.prototype : root instanceof w.DocumentFragment ? w.DocumentFragment.prototype : null;
      return P ? P.querySelectorAll.call(root, SEL) : [];
    }
    function strip(root, old) {
      [].forEach.call(under(root), function (el) {
        if (old && old.has(el) || el.localName == 'link' && el.isConnected) return; // such a link already loads
        hub.passed.add(el);
        ATTRS[el.localName].forEach(function (name) {
          var v = el.getAttribute(name), urls = v != null && !hub.once.has(el) && urlsOf(name, v), rec;
          if (!urls || !urls.length) return;
          if (route(rec = record(el, urls, v, function (x) { setAttr.call(el, name, x); }))) rec.dead = true;
          else E.removeAttribute.call(el, name);
        });
      });
    }
    // `<image>` is parsed as an <img>.
    var MARKUP = /<(iframe|img|image|link|embed|object|source)\b/i, inner = Object.getOwnPropertyDescriptor(E, 'innerHTML'), adjacent = E.insertAdjacentHTML;
    if (inner && inner.set) Object.defineProperty(E, 'innerHTML', { configurable: true, enumerable: inner.enumerable, get: inner.get,
      set: function (v) { inner.set.call(this, v); if (MARKUP.test(v)) strip(this); } });
    E.insertAdjacentHTML = function (where, v) {
      var root = /^(beforebegin|afterend)$/i.test(where) ? parentOf.call(this) : this, old = MARKUP.test(v) && root && new Set(under(root));
      adjacent.apply(this, arguments);
      if (old) strip(root, old);
    };
    // document.write: the markup is read in an inert template first; a write
    // that would load a held URL is dropped (it cannot wait: the parser goes on).
    var D = w.Document.prototype;
    ['write', 'writeln'].forEach(function (m) {
      var native = D[m];
      D[m] = function () {
        var doc = this, args = arguments, urls = [], t;
        try {
          inner.set.call(t = make.call(doc, 'template'), args.length == 1 ? args[0] : [].join.call(args, ''));
          [].forEach.call(t.content.querySelectorAll('script[src],' + SEL), function (el) {
            ATTRS[el.localName].forEach(function (n) { var v = el.getAttribute(n); if (v != null) urls = urls.concat(urlsOf(n, v)); });
          });
        } catch (e) {}
        if (!urls.length || route({ urls: urls, kind: 'document.write', refuse: noop, release: noop })) return native.apply(doc, args);
      };
    });
    var nf = w.fetch;
    if (nf) w.fetch = function (input) {
      var self = this, args = arguments, send = function () { return nf.apply(self, args); };
      var href = foreign(w.Request && input instanceof w.Request ? input.url : input);
      return !href ? send() : new Promise(function (y, n) {
        if (route({ urls: [href], kind: 'fetch', release: function () { y(send()); }, refuse: function () { n(new TypeError('Failed to fetch')); } })) y(send());
      });
    };
    // What a blocked request shows the page: readyState 4, status 0, an error.
    function fail(x) {
      setTimeout(function () {
        Object.defineProperty(x, 'readyState', { configurable: true, get: function () { return 4; } });
        ['readystatechange', 'error', 'loadend'].forEach(function (t, i) { x.dispatchEvent(i ? new ProgressEvent(t) : new Event(t)); });
      });
    }
    var XP = w.XMLHttpRequest && w.XMLHttpRequest.prototype, xopen = XP && XP.open, xsend = XP && XP.send, xhrs = new WeakMap();
    if (xsend) {
      XP.open = function (method, url, async) {
        if (this.hasOwnProperty('readyState')) delete this.readyState; // a refused request's stand-in
        xhrs.set(this, [url, arguments.length < 3 || !!async]);
        return xopen.apply(this, arguments);
      };
      XP.send = function () {
        var x = this, args = arguments, info = xhrs.get(x) || [], href = info.length && foreign(info[0]);
        if (!href || (info[1] || hub.ask) && route({ urls: [href], kind: 'XMLHttpRequest', refuse: function () { if (info[1]) fail(x); },
          release: function () { try { xsend.apply(x, args); } catch (e) {} } })) return xsend.apply(x, args);
        // A synchronous request cannot wait for the core.
        if (!info[1]) throw new DOMException("Failed to execute 'send' on 'XMLHttpRequest': Failed to load '" + href + "'.", 'NetworkError');
      };
    }
    var nav = w.navigator, nb = nav && nav.sendBeacon;
    if (nb) nav.sendBeacon = function (url) {
      var args = arguments, ok = true, href = foreign(url), send = function () { return nb.apply(nav, args); };
      return !href || route({ urls: [href], kind: 'sendBeacon', release: send, refuse: function () { ok = false; } }) ? send() : ok;
    };
    // The module could not start: refuse what waits and whatever comes.
    ready.then(null, function () { down = true; held.splice(0).forEach(function (r) { r.refuse(); }); });
    return hub;
  }
})(window, document);
