// Stand-in for https://www.googletagmanager.com/gtm.js?id=GTM-… (Google Tag
// Manager). GTM sets no cookies itself; it pushes its lifecycle events to
// window.dataLayer, as the real container does.
// Served after prelude.js (its helpers), in one function: see tools/stand-ins.mjs.
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

// ---- the container's tags (only with ?inject=…, as tests configure it) ----
// A real container injects its tags the way each vendor's snippet does:
// createElement + src + insertBefore, new Image(), fetch, sendBeacon,
// custom HTML that document.writes. Each outcome the page could observe
// goes to window.__gtmTags[vector].
var wanted = (params.get('inject') || '').split(',').filter(Boolean);
if (!wanted.length) return;
var outcome = (window.__gtmTags = window.__gtmTags || {});
function note(vector, what) { outcome[vector] = what; }
// Under Trusted Types a tag manager needs its own policy (the page's CSP
// lists it); Google's tags call theirs "goog#html".
var policy = window.__gtmPolicy;
if (policy === undefined) {
  try {
    policy = window.trustedTypes && window.trustedTypes.createPolicy('goog#html', {
      createHTML: function (x) { return x; },
      createScript: function (x) { return x; },
      createScriptURL: function (x) { return x; },
    });
  } catch (e) { policy = null; }
  window.__gtmPolicy = policy || null;
}
function scriptURL(u) { return policy ? policy.createScriptURL(u) : u; }
function html(h) { return policy ? policy.createHTML(h) : h; }
function firstScript() { return document.getElementsByTagName('script')[0]; }
function loadScript(vector, url) {
  var t = document.createElement('script');
  t.async = true;
  t.onload = function () { note(vector, 'loaded'); };
  t.onerror = function () { note(vector, 'error'); };
  try {
    t.src = scriptURL(url);
    var first = firstScript();
    first.parentNode.insertBefore(t, first);
    note(vector, 'inserted');
  } catch (e) { note(vector, 'threw ' + e.name); }
}
function box() {
  var el = document.getElementById('gtm-tags');
  if (!el) {
    el = document.createElement('div');
    el.id = 'gtm-tags';
    (document.body || document.documentElement).appendChild(el);
  }
  return el;
}
var tags = {
  // Meta Pixel base code: the snippet inserts fbevents.js before the first script.
  script: function () { loadScript('script', 'https://connect.facebook.net/en_US/fbevents.js'); },
  // A Google Ads tag on the host GTM and GA4 share.
  ads: function () { loadScript('ads', 'https://www.googletagmanager.com/gtag/js?id=AW-GTMTAG'); },
  // Its analytics twin on the same host: an analytics-only visitor keeps it.
  ga4: function () { loadScript('ga4', 'https://www.googletagmanager.com/gtag/js?id=G-GTMTAG'); },
  iframe: function () {
    var f = document.createElement('iframe');
    f.title = 'Video from a GTM tag';
    f.onload = function () { note('iframe', 'loaded'); };
    f.src = 'https://www.youtube.com/embed/GTMTAG';
    box().appendChild(f);
    note('iframe', 'inserted');
  },
  img: function () {
    var i = document.createElement('img');
    i.alt = '';
    i.onload = function () { note('img', 'loaded'); };
    i.onerror = function () { note('img', 'error'); };
    i.setAttribute('src', 'https://px.ads.linkedin.com/collect/?pid=1&fmt=gif');
    box().appendChild(i);
    note('img', 'inserted');
  },
  // No insertion at all: an Image fetches as soon as it has a src.
  image: function () {
    var i = new Image();
    i.onload = function () { note('image', 'loaded'); };
    i.onerror = function () { note('image', 'error'); };
    i.src = 'https://www.facebook.com/tr?id=1&ev=GTMImage&noscript=1';
    note('image', 'set');
  },
  // A preload (fetched like an image, so a page's style-src does not refuse it).
  link: function () {
    var l = document.createElement('link');
    l.rel = 'preload';
    l.as = 'image';
    l.onload = function () { note('link', 'loaded'); };
    l.onerror = function () { note('link', 'error'); };
    l.href = 'https://cdn.livechatinc.com/widget.gif';
    document.head.appendChild(l);
    note('link', 'inserted');
  },
  object: function () {
    var o = document.createElement('object');
    o.type = 'text/html';
    o.onload = function () { note('object', 'loaded'); };
    o.data = 'https://www.youtube.com/embed/GTMOBJECT';
    box().appendChild(o);
    note('object', 'inserted');
  },
  beacon: function () {
    note('beacon', navigator.sendBeacon ? String(navigator.sendBeacon('https://www.google.com/pagead/1p-conversion/1/?gtm=beacon', 'x')) : 'no sendBeacon');
  },
  fetch: function () {
    fetch('https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1/?gtm=fetch', { mode: 'no-cors', credentials: 'include' })
      .then(function (r) { note('fetch', 'answered ' + r.type); }, function (e) { note('fetch', 'rejected ' + e.name); });
    note('fetch', 'pending');
  },
  xhr: function () {
    var x = new XMLHttpRequest();
    x.open('GET', 'https://analytics.twitter.com/i/adsct?gtm=xhr');
    x.onload = function () { note('xhr', 'load ' + x.status); };
    x.onerror = function () { note('xhr', 'error ' + x.readyState + ' ' + x.status); };
    x.send();
    note('xhr', 'sent');
  },
  // A custom HTML tag that document.writes a vendor's script and pixel,
  // with GTM's "Support document.write": the container collects what the
  // tag writes and inserts it through the DOM (a write from a script that
  // loaded asynchronously would otherwise be ignored or wipe the page).
  write: function () {
    var written = [];
    document.write = function () { written.push([].join.call(arguments, '')); };
    try {
      document.write('<script src="https://static.ads-twitter.com/uwt.js?via=gtm"><\/script>' +
        '<img alt="" src="https://px.ads.linkedin.com/collect/?pid=2&fmt=gif&via=write">');
    } finally {
      delete document.write;
    }
    var holder = document.createElement('div');
    holder.innerHTML = html(written.join(''));
    [].slice.call(holder.childNodes).forEach(function (node) {
      if (node.nodeName !== 'SCRIPT') return box().appendChild(node);
      // innerHTML's scripts never run: GTM makes a fresh one of each.
      var fresh = document.createElement('script');
      [].forEach.call(node.attributes, function (a) {
        fresh.setAttribute(a.name, a.name === 'src' ? scriptURL(a.value) : a.value);
      });
      fresh.onload = function () { note('write', 'script loaded'); };
      box().appendChild(fresh);
    });
    note('write', 'inserted');
  },
  // A tag that keeps sending while the page is open (a heartbeat, scroll
  // depth): a pixel, a fetch and a beacon every 100 ms.
  ping: function () {
    var n = 0;
    setInterval(function () {
      n++;
      new Image().src = 'https://www.facebook.com/tr?id=1&ev=ping&n=' + n;
      fetch('https://googleads.g.doubleclick.net/pagead/ping?n=' + n, { mode: 'no-cors' }).catch(function () {});
      if (navigator.sendBeacon) navigator.sendBeacon('https://analytics.twitter.com/i/adsct?ping=' + n, 'x');
    }, 100);
  },
};
wanted.forEach(function (vector) {
  if (tags[vector]) tags[vector]();
});
