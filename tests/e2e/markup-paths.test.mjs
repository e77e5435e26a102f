// Markup a page hands the browser by other ways than innerHTML and
// insertAdjacentHTML: the outerHTML setter, a shadow root's innerHTML,
// setHTMLUnsafe on an element or a shadow root (with declarative shadow
// roots, open and closed), Range.createContextualFragment (its scripts run
// once inserted), a template's content and its copies, DOMParser and
// parseHTMLUnsafe nodes adopted into the page; a <link> or <embed> that
// markup puts straight into the document (fetched at once); SVG <image>
// and <script>, a preload's imagesrcset, a <video poster>, an image
// <input>, however they are set. Each tracker URL waits for consent; the
// page's own URLs in the same markup load at once (the control), and once
// granted the held ones load too. Each path is taken twice: while the
// module is still loading (the bootstrap holds) and after it is up (the
// core answers at once).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookiegateReady, trackerRequests, describeRequests } from './harness.mjs';
import { fixturePage } from './fixtures/banner-helpers.mjs';
import { serveScript } from './fixtures/leak-helpers.mjs';

const getBrowser = sharedBrowser();

const PIXEL = 'https://www.facebook.com/tr?ev=PageView';
const SCRIPT = 'https://connect.facebook.net/signals/range.js';

// `when` tells the two passes apart in every URL.
const INJECT = `<div id="outer-early"><span></span></div><div id="shadow-early"></div><div id="unsafe-early"></div><div id="shadow-unsafe-early"></div><div id="range-early"></div><div id="template-early"></div><div id="parser-early"></div><div id="parse-unsafe-early"></div><div id="import-early"></div><div id="link-inner-early"></div><div id="link-adjacent-early"></div><div id="link-outer-early"><span></span></div><div id="link-shadow-early"></div><div id="template-twice-early"></div><div id="media-early"></div><div id="input-early"></div><div id="svg-early"></div><div id="svg-attr-early"></div><div id="svg-xlink-early"></div>
<div id="outer-late"><span></span></div><div id="shadow-late"></div><div id="unsafe-late"></div><div id="shadow-unsafe-late"></div><div id="range-late"></div><div id="template-late"></div><div id="parser-late"></div><div id="parse-unsafe-late"></div><div id="import-late"></div><div id="link-inner-late"></div><div id="link-adjacent-late"></div><div id="link-outer-late"><span></span></div><div id="link-shadow-late"></div><div id="template-twice-late"></div><div id="media-late"></div><div id="input-late"></div><div id="svg-late"></div><div id="svg-attr-late"></div><div id="svg-xlink-late"></div>
<script nonce="{{nonce}}">
window.__inject = function (when) {
  var $ = function (id) { return document.getElementById(id + '-' + when); };
  var img = function (what) { return '<img alt="" src="${PIXEL}&m=' + what + '-' + when + '"><img alt="" src="/demo.css?m=' + what + '-' + when + '">'; };
  $('outer').firstChild.outerHTML = img('outer');
  // A <link> fetches as soon as markup puts it into the document.
  var link = function (what) {
    return '<link rel="preload" as="image" href="${PIXEL}&m=' + what + '-' + when + '"><link rel="preload" as="image" href="/demo.css?m=' + what + '-' + when + '">' +
      '<embed type="image/gif" width="1" height="1" src="${PIXEL}&m=embed-' + what + '-' + when + '"><embed type="image/gif" width="1" height="1" src="/demo.css?m=embed-' + what + '-' + when + '">';
  };
  $('link-inner').innerHTML = link('link-inner');
  $('link-adjacent').insertAdjacentHTML('beforeend', link('link-adjacent'));
  $('link-outer').firstChild.outerHTML = link('link-outer');
  $('link-shadow').attachShadow({ mode: 'open' }).innerHTML = link('link-shadow');
  $('shadow').attachShadow({ mode: 'open' }).innerHTML = img('shadow');
  var dsd = '<div><template shadowrootmode="open">' + img('dsd-open') + '</template></div>' +
    '<div><template shadowrootmode="closed">' + img('dsd-closed') + '</template></div>';
  $('unsafe').setHTMLUnsafe(img('unsafe') + dsd);
  $('shadow-unsafe').attachShadow({ mode: 'open' }).setHTMLUnsafe(img('shadow-unsafe'));
  var f = document.createRange().createContextualFragment(img('range') +
    '<script src="${SCRIPT}?' + when + '">window.__ranBody = true;<\\/script>');
  $('range').append(f);
  // Markup parsed in a document without a browsing context loads nothing
  // until its nodes are adopted into the page's.
  var t = document.createElement('template');
  t.innerHTML = img('template');
  $('template').appendChild(t.content.cloneNode(true));
  var twice = document.createElement('template');
  twice.innerHTML = img('template-twice');
  $('template-twice').appendChild(twice.cloneNode(true).content.cloneNode(true).cloneNode(true));
  var parsed = new DOMParser().parseFromString(img('parser'), 'text/html');
  $('parser').append.apply($('parser'), Array.from(parsed.body.childNodes));
  var unsafe = Document.parseHTMLUnsafe(img('parse-unsafe'));
  $('parse-unsafe').replaceChildren.apply($('parse-unsafe'), Array.from(unsafe.body.childNodes));
  var other = document.implementation.createHTMLDocument('');
  other.body.innerHTML = img('import');
  $('import').appendChild(document.importNode(other.body, true));
  // An SVG <image> loads its href like an <img> its src.
  var svg = function (what) { return '<svg width="1" height="1"><image href="${PIXEL}&m=' + what + '-' + when + '"/><image href="/demo.css?m=' + what + '-' + when + '"/></svg>'; };
  $('svg').innerHTML = svg('svg');
  var NS = 'http://www.w3.org/2000/svg', XLINK = 'http://www.w3.org/1999/xlink';
  var pair = function (what, set) {
    var box = document.createElementNS(NS, 'svg');
    ['${PIXEL}&m=', '/demo.css?m='].forEach(function (u) { var i = document.createElementNS(NS, 'image'); set(i, u + what + '-' + when); box.appendChild(i); });
    $(what).appendChild(box);
  };
  pair('svg-attr', function (i, u) { i.setAttribute('href', u); });
  pair('svg-xlink', function (i, u) { i.setAttributeNS(XLINK, 'xlink:href', u); });
  var box = document.createElementNS(NS, 'svg'), run = document.createElementNS(NS, 'script');
  run.setAttribute('href', '${SCRIPT}?svg-' + when);
  box.appendChild(run);
  $('svg-attr').appendChild(box);
  // A video's poster, an image button.
  $('media').innerHTML = '<video width="2" height="2" poster="${PIXEL}&m=media-' + when + '"></video><video width="2" height="2" poster="/demo.css?m=media-' + when + '"></video>';
  ['${PIXEL}&m=', '/demo.css?m='].forEach(function (u) {
    var b = document.createElement('input');
    b.type = 'image';
    b.alt = '';
    b.setAttribute('src', u + 'input-' + when);
    $('input').appendChild(b);
  });
  // A preload's imagesrcset, as a property or an attribute.
  var preload = function (what, set) {
    ['${PIXEL}&m=', '/demo.css?m='].forEach(function (u) {
      var l = document.createElement('link');
      l.rel = 'preload';
      l.as = 'image';
      set(l, u + what + '-' + when + ' 1x');
      document.head.appendChild(l);
    });
  };
  preload('imagesrcset-prop', function (l, v) { l.imageSrcset = v; });
  preload('imagesrcset-attr', function (l, v) { l.setAttribute('imagesrcset', v); });
};
window.__inject('early');
</script>`;

const WHAT = ['outer', 'shadow', 'unsafe', 'dsd-open', 'dsd-closed', 'shadow-unsafe', 'range', 'template', 'parser', 'parse-unsafe', 'import', 'svg', 'svg-attr', 'svg-xlink', 'imagesrcset-prop', 'imagesrcset-attr', 'template-twice', 'media', 'input', 'link-inner', 'link-adjacent', 'link-outer', 'link-shadow', 'embed-link-inner', 'embed-link-adjacent', 'embed-link-outer', 'embed-link-shadow'];

test('outerHTML, a shadow root, setHTMLUnsafe and createContextualFragment: tracker images and scripts wait for consent, own images load', async () => {
  const p = await newPage(getBrowser(), '/__test/markup-paths.html', { goto: false, fixtures: { '/__test/markup-paths.html': fixturePage({ body: INJECT }) } });
  const { page, requests, context } = p;
  try {
    const script = await serveScript(context, `${SCRIPT}?*`, 'window.__ranRange = (window.__ranRange || 0) + 1;');
    await page.goto(p.url, { waitUntil: 'load' });
    await cookiegateReady(page);
    await page.evaluate(() => window.__inject('late'));
    await page.waitForTimeout(800);
    const leaked = trackerRequests(requests);
    assert.deepEqual(leaked.map((r) => r.url), [], `nothing before consent:\n  ${describeRequests(leaked)}`);
    assert.equal(script.count, 0, 'neither the fragment\'s script nor the SVG <script> was requested');
    for (const when of ['early', 'late']) {
      for (const what of WHAT) {
        assert.ok(requests.some((r) => r.url.includes(`demo.css?m=${what}-${when}`)), `control: the page's own image (${what}, ${when}) loaded`);
      }
    }
    assert.deepEqual(p.pageErrors.map(String), [], 'the page\'s own code ran without an error');

    await page.evaluate(() => window.cookiegate.acceptAll());
    await page.waitForFunction(() => window.__ranRange >= 4, null, { timeout: 5000 });
    await page.waitForTimeout(500);
    const granted = trackerRequests(requests).map((r) => r.url);
    for (const when of ['early', 'late']) {
      // A closed shadow root is out of the page's reach: what it held is
      // refused (see the README), not released.
      for (const what of WHAT.filter((w) => w != 'dsd-closed')) {
        assert.ok(granted.some((u) => u.includes(`m=${what}-${when}`)), `granted, the held image (${what}, ${when}) loads`);
      }
      assert.ok(!granted.some((u) => u.includes(`m=dsd-closed-${when}`)), `what a closed shadow root held stays off (${when})`);
    }
    assert.equal(script.count, 4, 'each fragment\'s script and each SVG <script> was requested once');
    assert.equal(await page.evaluate(() => window.__ranBody), undefined, 'a script with a URL never ran its own text');
  } finally {
    await context.close();
  }
});

test('held markup gives way to the page: its own later URL runs, a parsed document keeps its doctype, a video plays its source once granted', async () => {
  const body = `<div id="own-box"></div><style id="sheet"></style><svg width="2" height="2"><foreignObject id="fo" width="2" height="2"></foreignObject></svg><video id="clip" width="2" height="2" preload="auto"></video>
<script nonce="{{nonce}}">
  // A fragment's held script the page then points at its own file.
  var f = document.createRange().createContextualFragment('<script src="${SCRIPT}?replaced"><\\/script>');
  f.firstChild.src = '/__test/own-script.js';
  document.getElementById('own-box').append(f);
  // A whole document with a closed declarative shadow root holding a tracker image.
  var doc = Document.parseHTMLUnsafe('<!doctype html><html lang="fr"><body class="k"><div><template shadowrootmode="closed"><img alt="" src="${PIXEL}&m=doc-closed"></template></div></body></html>');
  window.__doc = [doc.compatMode, doc.documentElement.lang, doc.body.className];
  // A <link> into an SVG <foreignObject>, and one beside <body>: parsed as the browser would.
  document.getElementById('fo').innerHTML = '<link rel="preload" as="image" href="${PIXEL}&m=foreign-object">';
  document.body.insertAdjacentHTML('beforebegin', '<link rel="preload" as="image" href="${PIXEL}&m=beside-body">');
  window.__root = Array.from(document.documentElement.children, function (e) { return e.localName; });
  // Text that only looks like markup stays text.
  document.getElementById('sheet').innerHTML = '/* <link rel="stylesheet" href="x.css"> */ .k { color: red }';
  // A video whose only source is on a tracker's host.
  document.getElementById('clip').innerHTML = '<source src="https://www.facebook.com/tr?m=video-source" type="video/mp4">';
</script>`;
  const path = '/__test/markup-paths-2.html';
  const p = await newPage(getBrowser(), path, { goto: false, fixtures: { [path]: fixturePage({ body }) } });
  const { page, requests, context } = p;
  try {
    const own = await serveScript(context, '**/__test/own-script.js', 'window.__ownRan = (window.__ownRan || 0) + 1;');
    const tracker = await serveScript(context, `${SCRIPT}?*`, 'window.__trackerRan = true;');
    await page.goto(p.url, { waitUntil: 'load' });
    await cookiegateReady(page);
    await page.waitForFunction(() => window.__ownRan === 1, null, { timeout: 5000 });
    assert.deepEqual(await page.evaluate(() => window.__doc), ['CSS1Compat', 'fr', 'k'], 'the parsed document kept its doctype, lang and class');
    assert.deepEqual(await page.evaluate(() => window.__root), ['head', 'link', 'body'], 'a <link> put before <body> is a sibling of it, as without cookiegate');
    assert.equal(await page.evaluate(() => document.getElementById('sheet').textContent), '/* <link rel="stylesheet" href="x.css"> */ .k { color: red }', 'a <style> given text with "<link" keeps it as text');
    await page.waitForTimeout(500);
    const leaked = trackerRequests(requests);
    assert.deepEqual(leaked.map((r) => r.url), [], `nothing before consent:\n  ${describeRequests(leaked)}`);
    await page.evaluate(() => window.cookiegate.acceptAll());
    await page.waitForTimeout(800);
    for (const m of ['video-source', 'foreign-object', 'beside-body']) {
      assert.ok(trackerRequests(requests).some((r) => r.url.includes(`m=${m}`)), `granted, the held ${m} URL is requested`);
    }
    assert.equal(tracker.count, 0, 'the URL the page replaced is never requested');
    assert.equal(await page.evaluate(() => window.__ownRan), 1, "the page's own script ran once");
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});
