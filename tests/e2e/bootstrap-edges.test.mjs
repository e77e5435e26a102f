// Pages the bootstrap meets in the wild: a slow script in <head> after it
// (the module is up before there is a <body>), a catalogue on another
// origin whose per-language file fails (the full one is fetched after the
// interception is in place), and page markup that shadows document
// properties (`<form name="baseURI">`, `<img name="createElement">`) or
// writes `<image>`, which the parser makes an <img>. Each leak test has a
// control: the page's own request of the same kind still goes through.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { sharedBrowser, newPage, DIST, trackerRequests, describeRequests } from './harness.mjs';
import { fixturePage, inBanner, bannerShown } from './fixtures/banner-helpers.mjs';
import { readyOutcome } from './fixtures/hostile-common.mjs';

const getBrowser = sharedBrowser();

let n = 0;
function open(html, o = {}) {
  const path = `/__test/edges-${n++}.html`;
  return newPage(getBrowser(), path, { fixtures: { [path]: html }, ...o });
}

const said = (p, re) => p.consoleMessages.filter((m) => /^cookiegate:/.test(m.text) && re.test(m.text));

test('a slow script in <head> after the tag: the module waits for <body>, the banner shows and works', async () => {
  const html = fixturePage({ head: '<script src="/__test/slow-head.js" nonce="{{nonce}}"></script>' });
  const p = await open(html, { goto: false });
  let served = 0;
  await p.page.route('**/__test/slow-head.js', async (route) => {
    await new Promise((y) => setTimeout(y, 1500));
    served++;
    await route.fulfill({ status: 200, headers: { 'Content-Type': 'text/javascript' }, body: 'window.__slow = true;' });
  });
  try {
    await p.page.goto(p.url, { waitUntil: 'load' });
    assert.equal(served, 1, 'the slow script was served');
    assert.equal(await readyOutcome(p.page), 'resolved', 'the module started');
    await bannerShown(p.page);
    assert.deepEqual(said(p, /could not be shown|could not start/).map((m) => m.text), [], 'no UI failure');
    await p.page.click(inBanner('reject-all'));
    assert.equal((await p.page.evaluate(() => window.cookiegate.getConsent()))?.method, 'reject-all');
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

// A catalogue on another origin (not the bootstrap's folder): static.shop.test.
let cdn;
let CDN;
before(async () => {
  cdn = http.createServer((req, res) => {
    const file = path.basename(new URL(req.url, 'http://x').pathname);
    if (file !== 'catalogue.json') return res.writeHead(404, { 'Access-Control-Allow-Origin': '*' }).end();
    res.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
    res.end(fs.readFileSync(path.join(DIST, 'catalogue.json')));
  });
  cdn.keepAliveTimeout = 500;
  await new Promise((y) => cdn.listen(0, '127.0.0.1', y));
  CDN = `http://static.shop.test:${cdn.address().port}/`;
});
after(() => {
  cdn?.closeAllConnections?.();
  cdn?.close();
});

test('a catalogue on another origin whose per-language file is missing: the full one is fetched, the module starts', async () => {
  const html = fixturePage().replace(
    'data-catalogue="/cookiegate/catalogue.json"',
    `data-catalogue="${CDN}catalogue.json" data-languages="en de"`,
  );
  const p = await open(html);
  try {
    assert.equal(await readyOutcome(p.page, 12_000), 'resolved', 'started with the full catalogue');
    await bannerShown(p.page);
    assert.ok(said(p, /catalogue\.en\.json/).length > 0, 'the console names the missing file');
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

const PIXEL = 'https://www.facebook.com/tr?ev=PageView';

/** After the page's scripts have run: no request of a tracker host was even attempted. */
async function nothingBeforeConsent(p) {
  await p.page.waitForTimeout(800);
  const leaked = trackerRequests(p.requests);
  assert.deepEqual(leaked.map((r) => r.url), [], `nothing before consent:\n  ${describeRequests(leaked)}`);
}

test('markup that shadows document.baseURI: a protocol-relative tracker URL is still held, the own one loads', async () => {
  const body = `<form name="baseURI"></form>
<script nonce="{{nonce}}">
  const own = new Image(); own.onload = () => (window.__own = 'load'); own.src = '//' + location.host + '/demo.css?own';
  new Image().src = '//www.facebook.com/tr?ev=relative';
  fetch('//www.google-analytics.com/g/collect?v=2').catch(() => {});
</script>`;
  const p = await open(fixturePage({ body }));
  try {
    await nothingBeforeConsent(p);
    assert.ok(p.requests.some((r) => r.url.includes('demo.css?own')), "control: the page's own image was requested");
  } finally {
    await p.context.close();
  }
});

test('document.write with <img name="createElement"> in the page: the tracker image is held, an own one is written', async () => {
  const body = `<img name="createElement" alt="" src="data:,">
<script nonce="{{nonce}}">
  document.write('<img id="own" alt="" src="/demo.css?written">');
  document.write('<img alt="" src="${PIXEL}&w=1">');
</script>`;
  const p = await open(fixturePage({ body }));
  try {
    await nothingBeforeConsent(p);
    assert.equal(await p.page.locator('#own').count(), 1, 'control: the own write went through');
    assert.ok(p.requests.some((r) => r.url.includes('demo.css?written')), 'and its image loaded');
  } finally {
    await p.context.close();
  }
});

test('innerHTML and insertAdjacentHTML with <image>: held like <img>, an own one loads', async () => {
  const body = `<div id="box"></div>
<script nonce="{{nonce}}">
  const box = document.getElementById('box');
  box.innerHTML = '<image alt="" src="${PIXEL}&i=inner">';
  box.insertAdjacentHTML('beforeend', '<image alt="" src="${PIXEL}&i=adjacent">');
  box.insertAdjacentHTML('beforeend', '<image id="own" alt="" src="/demo.css?image">');
</script>`;
  const p = await open(fixturePage({ body }));
  try {
    await nothingBeforeConsent(p);
    assert.ok(p.requests.some((r) => r.url.includes('demo.css?image')), "control: the page's own <image> loaded");
    // And after consent the held ones load.
    await p.page.evaluate(() => window.cookiegate.acceptAll());
    await p.page.waitForTimeout(500);
    assert.ok(trackerRequests(p.requests).some((r) => r.url.includes('i=inner')), 'granted, the held image loads');
  } finally {
    await p.context.close();
  }
});

test('calls queued before the module is up run first, in order; one made in a ready listener waits behind them', async () => {
  // The page asks for "Reject all" at once, then "Accept all" once cookiegate is ready.
  const head = `<script nonce="{{nonce}}">
  window.__order = [];
  addEventListener('cookiegate:consent', (e) => window.__order.push(e.detail.method));
  addEventListener('cookiegate:ready', () => window.cookiegate.acceptAll());
  window.cookiegate.accept(new Proxy([], { get() { throw new Error('a hostile list'); } }));
  window.cookiegate.rejectAll();
</script>`;
  const p = await open(fixturePage({ head }));
  try {
    assert.equal(await readyOutcome(p.page), 'resolved', 'ready resolves though one queued call threw');
    await p.page.waitForFunction(() => window.__order.length >= 2, null, { timeout: 5000 });
    assert.deepEqual(await p.page.evaluate(() => window.__order), ['reject-all', 'accept-all'], 'the earlier call first');
    assert.equal((await p.page.evaluate(() => window.cookiegate.getConsent())).method, 'accept-all', 'the later call is in force');
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});
