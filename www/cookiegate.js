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
    var E = w.Element.prototype, setAttr = E.setAttribute, ATTRS = Object.create(null), XHTML = 'http://www.w3.org/1999/xhtml', pending = new WeakMap(), origin = w.location.origin;
    var NP = w.Node.prototype, getter = function (P, k) { return Object.getOwnPropertyDescriptor(P, k).get; };
    var baseOf = getter(NP, 'baseURI'), parentOf = getter(NP, 'parentNode'), nextOf = getter(NP, 'nextSibling'), firstOf = getter(NP, 'firstChild');
    var prevOf = getter(NP, 'previousSibling'), lastOf = getter(NP, 'lastChild');
    var SEL = 'iframe[src],img[src],img[srcset],link[href],embed[src],object[data],source[src],source[srcset],link[imagesrcset],' +
      'video[src],video[poster],audio[src],input[src],track[src],image,feImage';
    function noop() {}
    // The absolute URL when it is another origin's and not cookiegate's own folder.
    function foreign(url) {
      try { var u = new URL(url, baseOf.call(d)), href; } catch (e) { return null; }
      return u.origin != origin && /^(https?|wss?):$/.test(u.protocol) && !(own && (href = u.href).indexOf(own) == 0) ? href || u.href : null;
    }
    function urlsOf(name, v) {
      var out = [];
      (/srcset$/.test(name) ? String(v).split(',').map(function (c) { return c.trim().split(/\s+/)[0]; }) : [v])
        .forEach(function (x) { if ((x = foreign(x))) out.push(x); });
      return out;
    }
    function route(rec) {
      if (hub.ask) try { return hub.ask(rec.urls.join(' '), rec.kind, rec); } catch (e) { rec.refuse(); return false; }
      down ? rec.refuse() : held.push(rec);
      return false;
    }
    function record(el, urls, v, set, name) {
      var rec = { urls: urls, kind: el.localName, el: el, refuse: noop, release: function () {
        if (rec.dead) return;
        rec.dead = true;
        set(v);
        // A preload given imagesrcset once inserted is read again only when
        // its rel changes; a <video> or <audio> reads its <source>s on load().
        if (name == 'imagesrcset' && (name = getA.call(el, 'rel')) != null) { setAttr.call(el, 'rel', ''); setAttr.call(el, 'rel', name); }
        var media = el.localName == 'source' && parentOf.call(el);
        if (media instanceof w.HTMLMediaElement && !getA.call(media, 'src')) media.load();
      } };
      return rec;
    }
    function supersede(rec) { if (!rec.dead) { rec.dead = true; if (rec.undo) rec.undo(); } }
    function setURL(el, name, v, set) {
      var slot = pending.get(el), urls, rec;
      hub.passed.add(el);
      if (slot && slot[name]) supersede(slot[name]); // a newer value replaces a held one
      if (hub.once.has(el) || !(urls = urlsOf(name, v)).length) return set(v);
      pending.set(el, slot = slot || {});
      if (route(rec = slot[name] = record(el, urls, v, set, name))) rec.release();
    }
    // tag, the prototype with its URL properties, their names; <video> and
    // <audio> have `src` from HTMLMediaElement.
    ('script Script src,iframe IFrame src,img Image src srcset,link Link href imageSrcset,embed Embed src,object Object data,' +
     'source Source src srcset,video Media src,video Video poster,audio Audio src,input Input src,track Track src')
      .split(',').forEach(function (k) {
        var proto = (w['HTML' + (k = k.split(' '))[1] + 'Element'] || {}).prototype;
        ATTRS[k[0]] = (ATTRS[k[0]] || []).concat(k.slice(2).map(function (prop) {
          var p = proto && Object.getOwnPropertyDescriptor(proto, prop), name = prop.toLowerCase();
          if (p && p.set) Object.defineProperty(proto, prop, { configurable: true, enumerable: p.enumerable, get: p.get,
            set: function (v) { var el = this; setURL(el, name, v, function (x) { p.set.call(el, x); }); } });
          return name;
        }));
      });
    // The URL attributes `el` loads from, as [namespace, name]: an SVG
    // <image> or <feImage> loads its href (or xlink:href) like an <img>.
    var SVG = 'http://www.w3.org/2000/svg', XLINK = 'http://www.w3.org/1999/xlink', setNS = E.setAttributeNS;
    function slots(el) {
      return el.namespaceURI == XHTML ? (ATTRS[el.localName] || []).map(function (n) { return [null, n]; })
        : el.namespaceURI == SVG && /^(image|feImage|script)$/.test(el.localName) ? [[null, 'href'], [XLINK, 'xlink:href']] : [];
    }
    function slotOf(el, ns, name) {
      var n = String(name), s = slots(el);
      ns = ns == null || ns === '' ? null : String(ns);
      if (el.namespaceURI == XHTML) n = n.toLowerCase();
      for (var i = 0; i < s.length; i++) if (s[i][0] == ns && (ns ? local(s[i]) == n.split(':').pop() : s[i][1] == n)) return s[i];
      return null;
    }
    function setSlot(el, a, x) { a[0] ? setNS.call(el, a[0], a[1], x) : setAttr.call(el, a[1], x); }
    function local(a) { return a[1].split(':').pop(); }
    function slotValue(el, a) { return E.getAttributeNS.call(el, a[0], local(a)); }
    ['setAttribute', 'setAttributeNS'].forEach(function (m, ns) {
      var native = E[m];
      E[m] = function () {
        var el = this, args = arguments, a = slotOf(el, ns ? args[0] : null, args[ns]);
        if (!a) return native.apply(el, args);
        setURL(el, a[1], args[ns + 1], function (x) { setSlot(el, a, x); });
      };
    });
    // Markup read by innerHTML, outerHTML, insertAdjacentHTML, setHTMLUnsafe,
    // createContextualFragment, DOMParser or Document.parseHTMLUnsafe: take
    // each new URL off before the browser fetches it (images and frames start
    // a little later; what sits in a template or a document without a window
    // loads once it is adopted into this one).
    // What `root` holds that may load, read through the prototypes: a
    // <form>'s controls shadow its own names (`<input name="querySelectorAll">`).
    // `deep`: into open shadow roots too (declarative ones, from setHTMLUnsafe).
    var SR = w.ShadowRoot && w.ShadowRoot.prototype;
    var contentOf = getter(w.HTMLTemplateElement.prototype, 'content'), shadowOf = getter(E, 'shadowRoot');
    function under(root, sel, deep) {
      var P = root instanceof w.Element ? E : root instanceof w.Document ? w.Document.prototype : root instanceof w.DocumentFragment ? w.DocumentFragment.prototype : null, out = [];
      if (!P) return out;
      append(out, P.querySelectorAll.call(root, sel || SEL));
      [].forEach.call(P.querySelectorAll.call(root, deep ? '*' : 'template'), inside);
      if (root instanceof w.HTMLTemplateElement) inside(root);
      function inside(el) {
        var c = el instanceof w.HTMLTemplateElement ? contentOf.call(el) : shadowOf.call(el);
        if (c) append(out, under(c, sel, deep));
      }
      return out;
    }
    function append(out, list) { for (var i = 0; i < list.length; i++) out.push(list[i]); return out; }
    // `root` itself, if it is one, and what it holds.
    function within(root, sel, deep) {
      return append(root instanceof w.Element && E.matches.call(root, sel || SEL) ? [root] : [], under(root, sel, deep));
    }
    // A URL in markup: `el` still has it, or is a copy of `from`'s element,
    // made without it. Held, the record is kept where a newer value finds it
    // (setURL) and for copies of the element (`taken`). Without its URL a
    // script would run its own text once inserted: of another type it
    // waits, and runs its URL once put back.
    function hold(el, a, v, urls, from) {
      var rec = record(el, urls, v, function (x) { setSlot(el, a, x); }, a[1]), slot = pending.get(el) || {}, go = rec.release;
      if (el.localName == 'script') {
        rec.type = from ? from.type : getA.call(el, 'type');
        rec.undo = function () { rec.type == null ? E.removeAttribute.call(el, 'type') : setAttr.call(el, 'type', rec.type); };
        rec.release = function () { if (!rec.dead) rec.undo(); go(); };
      }
      if (slot[a[1]]) supersede(slot[a[1]]);
      if (route(rec)) return from ? rec.release() : rec.dead = true;
      pending.set(el, slot);
      slot[a[1]] = rec;
      any = 1;
      (taken.get(el) || taken.set(el, []).get(el)).push([a, v, rec]);
      if (from) return;
      if (rec.type !== undefined) setAttr.call(el, 'type', 'cookiegate/held');
      E.removeAttributeNS.call(el, a[0], local(a));
    }
    function strip(list) {
      list.forEach(function (el) {
        if (el.localName == 'link' && el.isConnected) return; // such a link already loads
        hub.passed.add(el);
        slots(el).forEach(function (a) {
          var v = slotValue(el, a), urls = v != null && !hub.once.has(el) && urlsOf(a[1], v);
          if (urls && urls.length) hold(el, a, v, urls);
        });
      });
    }
    // A copy of held markup (a template's content cloned or imported into
    // the page) waits for the same answer as what it copies.
    var taken = new WeakMap(), any = 0;
    function all(n, deep) { return !deep ? (n instanceof w.Element ? [n] : []) : n instanceof w.Element ? within(n, '*') : under(n, '*'); }
    [[N, 'cloneNode'], [w.Document.prototype, 'importNode']].forEach(function (k, i) {
      var f = k[0][k[1]];
      k[0][k[1]] = function () {
        var out = f.apply(this, arguments), deep = arguments[i], a, b;
        if (any && out && (a = all(i ? arguments[0] : this, deep)).length == (b = all(out, deep)).length) a.forEach(function (el, j) {
          (taken.get(el) || []).forEach(function (t) { if (!t[2].dead) { hub.passed.add(b[j]); hold(b[j], t[0], t[1], urlsOf(t[0][1], t[1]), t[2]); } });
        });
        return out;
      };
    });
    // `<image>` is parsed as an <img>; a fragment's scripts run once inserted.
    var parse = w.DOMParser && w.DOMParser.prototype.parseFromString, MARKUP = /<(iframe|img|image|feimage|link|embed|object|source|video|audio|input|track|template|script)\b/i, inner = Object.getOwnPropertyDescriptor(E, 'innerHTML');
    // A closed shadow root is out of reach once made: what it would load is
    // taken off in an inert copy of the markup first, and stays off.
    // (Markup a Trusted Types policy made stays as it is unless something is
    // taken off: then it is a string, which such a page refuses to parse.)
    // A whole document (parseHTMLUnsafe) is read as one, so that its
    // doctype and <html> stay as they were.
    function closed(v, whole) {
      var was = any, t, doc;
      any = 0;
      try {
        if (whole) t = parse.call(new w.DOMParser(), v, 'text/html');
        else inner.set.call(t = make.call(d, 'template'), v);
        under(t, 'template').forEach(function (x) { if (/^closed$/i.test(getA.call(x, 'shadowrootmode'))) strip(under(x)); });
        if (!any) return v;
        doc = whole && t.doctype;
        return whole ? (doc ? '<!DOCTYPE ' + doc.name + '>' : '') + getter(E, 'outerHTML').call(t.documentElement) : inner.get.call(t);
      } finally {
        any = any || was;
      }
    }
    // A <link>, <embed> or <object> fetches the moment markup puts it into
    // the document: such markup is parsed first into a detached element of
    // the same kind (`ctx`; none: a <body>; under a <form> if it is), held
    // there, and its nodes moved in. A custom element's name parses like a
    // <div> (and is not made for this).
    var LOADS = /<(link|embed|object)\b/i, RAW = /^(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext|template)$/;
    var DP = w.Document.prototype, hostOf = SR && getter(SR, 'host');
    function parsedFirst(target, ctx, v) {
      var ns = ctx ? ctx.namespaceURI : XHTML, tag = ctx ? ctx.localName : 'body', html = ns == XHTML, box, f, n;
      if (!target || target instanceof w.Document || !target.isConnected || html && RAW.test(tag)) return null; // the browser's own errors
      box = DP.createElementNS.call(d, ns, html && tag.indexOf('-') > 0 ? 'div' : tag);
      if (html && ctx && E.closest.call(ctx, 'form')) add.call(make.call(d, 'form'), box);
      inner.set.call(box, v);
      strip(under(box));
      for (f = DP.createDocumentFragment.call(d); (n = firstOf.call(box));) add.call(f, n);
      return f;
    }
    // How each takes markup (argument `i`): it replaces what `this` holds,
    // or puts it beside (`at`: the parent and the nodes either side, found
    // before the call), or returns it (`made`); `deep`: it may make
    // declarative shadow roots.
    function hook(P, name, how) {
      var p = P && Object.getOwnPropertyDescriptor(P, name), f = p && (p.set || p.value);
      if (!f) return;
      function wrapped() {
        var a = arguments, i = how.i || 0, m = MARKUP.test(a[i]), at = m && how.at && how.at(this, a), out, n, list = [];
        if (m && how.at && !at) return f.apply(this, a); // not a place: the browser says so
        if (m && how.put && LOADS.test(a[i]) && (n = parsedFirst(at ? at[0] : this, how.ctx(this, at), a[i]))) return how.put(this, n, at);
        if (m && how.deep && /shadowrootmode/i.test(a[i])) a[i] = closed(a[i], how.made);
        out = f.apply(this, a);
        if (!m) return out;
        if (how.made) list = within(out, SEL + ',script', how.deep);
        else if (!at) list = under(this, null, how.deep);
        else if (at[0]) for (n = at[1] ? nextOf.call(at[1]) : firstOf.call(at[0]); n && n !== at[2]; n = nextOf.call(n)) append(list, within(n));
        strip(list);
        return out;
      }
      Object.defineProperty(P, name, p.set ? { configurable: true, enumerable: p.enumerable, get: p.get, set: wrapped }
        : { configurable: true, enumerable: p.enumerable, writable: true, value: wrapped });
    }
    // The parsing context of each (null: a <body>).
    function self(el) { return el; }
    function parentCtx(el, at) { return at[0] instanceof w.Element ? at[0] : null; }
    hook(E, 'innerHTML', { ctx: self, put: function (el, f) { E.replaceChildren.call(el, f); } });
    hook(SR, 'innerHTML', { ctx: function (r) { return hostOf.call(r); }, put: function (r, f) { w.DocumentFragment.prototype.replaceChildren.call(r, f); } });
    hook(E, 'setHTMLUnsafe', { deep: 1 });
    hook(SR, 'setHTMLUnsafe', { deep: 1 });
    hook(E, 'outerHTML', { at: function (el) { return [parentOf.call(el), prevOf.call(el), nextOf.call(el)]; },
      ctx: parentCtx, put: function (el, f, at) { N.replaceChild.call(at[0], f, el); } });
    hook(E, 'insertAdjacentHTML', { i: 1, at: function (el, a) {
      var where = String(a[0]).toLowerCase();
      return where == 'beforebegin' ? [parentOf.call(el), prevOf.call(el), el] : where == 'afterend' ? [parentOf.call(el), el, nextOf.call(el)]
        : where == 'afterbegin' ? [el, null, firstOf.call(el)] : where == 'beforeend' ? [el, lastOf.call(el), null] : null;
    }, ctx: function (el, at) { var c = parentCtx(el, at); return c && c.namespaceURI == XHTML && c.localName == 'html' ? null : c; },
      put: function (el, f, at) { put.call(at[0], f, at[2]); } });
    hook(w.Range && w.Range.prototype, 'createContextualFragment', { made: 1 });
    hook(w.DOMParser && w.DOMParser.prototype, 'parseFromString', { made: 1 });
    hook(w.Document, 'parseHTMLUnsafe', { made: 1, deep: 1 });
    // document.write: the markup is read in an inert template first; a write
    // that would load a held URL is dropped (it cannot wait: the parser goes on).
    var D = w.Document.prototype;
    ['write', 'writeln'].forEach(function (m) {
      var native = D[m];
      D[m] = function () {
        var doc = this, args = arguments, urls = [], t;
        try {
          inner.set.call(t = make.call(doc, 'template'), args.length == 1 ? args[0] : [].join.call(args, ''));
          under(t, 'script,' + SEL).forEach(function (el) {
            slots(el).forEach(function (a) { var v = slotValue(el, a); if (v != null) urls = urls.concat(urlsOf(a[1], v)); });
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
