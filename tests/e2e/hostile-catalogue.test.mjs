// Issue 7, browser side: hostile catalogues. Each one is served at the URL
// real.html loads (/cookiegate/catalogue.json) through page.route. An invalid
// catalogue must fail CLOSED: nothing gated loads, checkout still works, and
// ONE `cookiegate:` console error names the cause (line:column, JSON path).
// A valid-but-nasty one (BOM, markup in texts, bidi overrides, backtracking
// globs) must show the banner with everything rendered as text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { sharedBrowser, newPage, trackerRequests } from './harness.mjs';
import { REAL_HTML } from './fixtures/leak-helpers.mjs';
import {
  defaultCatalogue,
  DEFAULT_CATALOGUE_TEXT,
  serveCatalogue,
  assertFailedClosed,
  assertNothingGatedLoaded,
  assertCheckoutWorks,
  cookiegateComplaints,
  readyOutcome,
  banner,
  mainThreadLag,
} from './fixtures/hostile-common.mjs';

const getBrowser = sharedBrowser();

/** Opens real.html with `body` as its catalogue; returns newPage's result. */
async function withCatalogue(body, opts = {}) {
  const p = await newPage(getBrowser(), '/real.html', { goto: false, ...opts.page });
  await serveCatalogue(p.page, body, opts);
  await p.page.goto(p.url, { waitUntil: 'load' });
  return p;
}

async function failsClosed(t, body, cause, opts) {
  const p = await withCatalogue(body, opts);
  try {
    await assertFailedClosed(t, p, cause);
  } finally {
    await p.context.close();
  }
}

/** Every visitor-facing text of a catalogue, rewritten by `f` (ids, URLs, lifetimes untouched). */
function mapTexts(c, f) {
  const byLang = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
  // `name`, `provider` and `third_country` are one text or texts by language.
  const either = (v) => (typeof v === 'string' ? f(v) : byLang(v));
  for (const lang of Object.keys(c.texts)) c.texts[lang] = byLang(c.texts[lang]);
  for (const cat of c.categories) {
    cat.title = byLang(cat.title);
    cat.description = byLang(cat.description);
  }
  for (const s of c.services) {
    s.name = either(s.name);
    s.provider = either(s.provider);
    s.purpose = byLang(s.purpose);
    if (s.third_country) s.third_country = either(s.third_country);
    for (const e of [...(s.cookies ?? []), ...(s.storage ?? [])]) if (e.purpose) e.purpose = byLang(e.purpose);
  }
  return c;
}

// ---------------------------------------------------------------- invalid

test('not JSON: one error with line:column, nothing loads', (t) =>
  failsClosed(t, '{\n  "revision": 2,,\n}', /^cookiegate: the catalogue \S+catalogue\.json is not valid[^]*:2:\d+: \$: not valid JSON/));

test('empty body: refused as not JSON', (t) => failsClosed(t, '', /is not valid[^]*:1:1: \$: not valid JSON/));

test('not UTF-8 (Latin-1 bytes in a text): refused, the message says UTF-8', (t) => {
  // The default catalogue's UTF-8 bytes with one Latin-1 "é" (0xE9) spliced
  // into the banner title, as a Latin-1 editor would save it.
  const utf8 = Buffer.from(DEFAULT_CATALOGUE_TEXT.replace('"banner_title": "', '"banner_title": "Caf@'));
  const at = utf8.indexOf('Caf@') + 3;
  utf8[at] = 0xe9;
  return failsClosed(t, utf8, /:\d+:\d+: \$: not valid JSON: the file is not UTF-8/);
});

test('not UTF-8 on the first line: the column counts from the file\'s first character', (t) => {
  // `{"revision":"Caf` is 16 characters, so the Latin-1 byte is at 1:17,
  // with or without the byte-order mark the bootstrap adds before the text.
  const bytes = Buffer.from('{"revision":"Caf@"}');
  bytes[16] = 0xe9;
  return failsClosed(t, bytes, /catalogue\.json:1:17: \$: not valid JSON: the file is not UTF-8/);
});

test('nested 100,000 deep: refused by the depth limit, no stack overflow', (t) =>
  failsClosed(t, '['.repeat(100_000) + ']'.repeat(100_000), /nested more than \d+ levels/));

test('duplicate keys: refused with the JSON path of the second one', (t) => {
  const text = DEFAULT_CATALOGUE_TEXT.replace('"revision": 2,', '"revision": 2,\n  "revision": 3,');
  assert.notEqual(text, DEFAULT_CATALOGUE_TEXT);
  return failsClosed(t, text, /:4:3: \$\.revision: .*given twice/i);
});

// The browser names the first problem it finds (`cookiegate check` lists
// them all), so each wrong value is a catalogue of its own.
test('wrong type: revision as a string, refused with its path', (t) => {
  const c = defaultCatalogue();
  c.revision = '2';
  return failsClosed(t, JSON.stringify(c, null, 2), /:\d+:\d+: \$\.revision: expected a whole number, found a string\n/);
});

test('wrong type: categories as an object, refused with its path', (t) => {
  const c = defaultCatalogue();
  c.categories = { necessary: true };
  return failsClosed(t, JSON.stringify(c, null, 2), /:\d+:\d+: \$\.categories: expected a list, found an object\n/);
});

test('unknown category id on a service: refused with its path, and the console points at cookiegate check', (t) => {
  // The browser gives the place and a short reason; `cookiegate check` the
  // suggestion ("did you mean "analytics"?"), which the wasm does not carry.
  const c = defaultCatalogue();
  const ga = c.services.find((s) => s.id === 'google-analytics');
  ga.category = 'analytcs';
  return failsClosed(
    t,
    JSON.stringify(c, null, 2),
    /\$\.services\[\d+\]\.category: this category is not defined\n\(the first problem found; `cookiegate check FILE` lists every problem and suggests a fix\)$/,
  );
});

test('a javascript: URL: refused with its JSON path', (t) => {
  const c = defaultCatalogue();
  c.policy_url = 'javascript:alert(document.cookie)';
  return failsClosed(t, JSON.stringify(c, null, 2), /:\d+:\d+: \$\.policy_url: not a usable https: URL\n/);
});

test('a data: URL in a service: refused with its JSON path', (t) => {
  const c = defaultCatalogue();
  c.services[1].policy_url = 'data:text/html,<script>alert(1)</script>';
  return failsClosed(t, JSON.stringify(c, null, 2), /:\d+:\d+: \$\.services\[1\]\.policy_url: not a usable https: URL\n/);
});

test('catalogue URL 404s: one error naming HTTP 404', (t) =>
  failsClosed(t, 'not here', /^cookiegate: could not load the catalogue \S+catalogue\.json: HTTP 404/, {
    status: 404,
    contentType: 'text/plain',
  }));

test('catalogue served as HTML (a login or error page with 200): the message says so', (t) =>
  failsClosed(
    t,
    '<!doctype html><html><head><title>Sign in</title></head><body><form>…</form></body></html>',
    /the server sent HTML/,
    { contentType: 'text/html; charset=utf-8' },
  ));

test('catalogue request hangs: the bootstrap gives up after 10 s and says so; the page works meanwhile', async (t) => {
  const p = await newPage(getBrowser(), '/real.html', { goto: false });
  try {
    let release;
    const held = new Promise((r) => (release = r));
    await p.page.route('**/cookiegate/catalogue.json', async (route) => {
      await held;
      await route.abort().catch(() => {});
    });
    const t0 = Date.now();
    await p.page.goto(p.url, { waitUntil: 'load' });
    // While the catalogue hangs the page is usable and nothing gated has run.
    await assertCheckoutWorks(p.page);
    await assertNothingGatedLoaded(p.page, p.requests);
    const outcome = await readyOutcome(p.page, 14_000);
    const waited = Date.now() - t0;
    release();
    assert.match(outcome, /^rejected/);
    assert.ok(waited >= 9_000 && waited < 13_000, `gave up after ${waited} ms (expected about 10 s)`);
    const complaints = cookiegateComplaints(p.consoleMessages);
    assert.equal(complaints.length, 1, complaints.map((m) => m.text).join('\n'));
    assert.match(complaints[0].text, /could not load the catalogue [^]*(time|10 s|abort)/i);
    t.diagnostic(complaints[0].text);
    await assertNothingGatedLoaded(p.page, p.requests);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('50 MB catalogue: refused before parsing, quickly; the page stays responsive', async (t) => {
  // Generated once, in memory: a services array of many small objects (the
  // parser's worst case). Served from a second local host (a CDN, say) so
  // the 50 MB do not travel through the browser's devtools protocol.
  const item = '{"id":"s","category":"analytics","name":"x","hosts":["a.example"]},';
  const padding = item.repeat(Math.ceil((50 * 1024 * 1024) / item.length));
  const big = Buffer.from(DEFAULT_CATALOGUE_TEXT.replace('"services": [', '"services": [' + padding));
  assert.ok(big.length > 50 * 1024 * 1024);
  const cdn = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', 'Content-Length': big.length });
    res.end(big);
  });
  await new Promise((r) => cdn.listen(0, '127.0.0.1', r));
  const catalogueUrl = `http://cdn.shop.test:${cdn.address().port}/catalogue.json`;
  // real.html without the demo's "What has loaded" panel: that panel
  // (www/demo.js) draws one row per catalogue service and would itself
  // freeze the page for minutes on 780,000 services.
  const html = REAL_HTML.replace('data-catalogue="/cookiegate/catalogue.json"', `data-catalogue="${catalogueUrl}"`).replace(
    /<aside id="standin-panel"[^]*?<\/aside>/,
    '',
  );
  const p = await newPage(getBrowser(), '/__hostile/big-catalogue.html', { fixtures: { '/__hostile/big-catalogue.html': html }, goto: false });
  try {
    const t0 = Date.now();
    await p.page.goto(p.url, { waitUntil: 'load' });
    const lags = [];
    let outcome = 'pending';
    const settled = readyOutcome(p.page, 20_000).then((o) => (outcome = o));
    while (outcome === 'pending' && Date.now() - t0 < 20_000) {
      lags.push(await mainThreadLag(p.page));
      await new Promise((r) => setTimeout(r, 100));
    }
    await settled;
    const took = Date.now() - t0;
    lags.push(await mainThreadLag(p.page));
    const worst = Math.round(Math.max(...lags));
    t.diagnostic(`settled "${outcome}" ${took} ms after navigation; worst main-thread lag ${worst} ms (incl. the demo's own JSON.parse)`);
    assert.match(outcome, /^rejected/, 'a 50 MB catalogue is refused');
    assert.ok(took < 10_000, `settled after ${took} ms`);
    assert.ok(worst < 2_000, `the main thread was blocked up to ${worst} ms`);
    await assertFailedClosed(t, p, /:1:1: \$: the catalogue is larger than 5 MiB/);
  } finally {
    await p.context.close();
    cdn.close();
    cdn.closeAllConnections?.();
  }
});

// ---------------------------------------------------------------- valid but nasty

/** The banner shows, ready resolves, no complaint, nothing gated before a choice. */
async function assertBannerUp(p) {
  assert.equal(await readyOutcome(p.page), 'resolved');
  await banner(p.page).waitFor({ state: 'visible', timeout: 10_000 });
  await assertNothingGatedLoaded(p.page, p.requests);
  await assertCheckoutWorks(p.page);
  assert.deepEqual(cookiegateComplaints(p.consoleMessages).map((m) => m.text), []);
  assert.deepEqual(p.pageErrors.map(String), []);
}

test('a catalogue of exactly 5 MiB loads; one byte more is refused', async (t) => {
  const MAX = 5 * 1024 * 1024;
  // The default catalogue in ASCII (its other characters as \u escapes, so
  // bytes and UTF-16 units agree), with spaces after it: still valid JSON.
  const ascii = DEFAULT_CATALOGUE_TEXT.replace(/[^\x00-\x7f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  const padded = (n) => ascii + ' '.repeat(n - ascii.length);
  const p = await withCatalogue(padded(MAX));
  try {
    await assertBannerUp(p);
  } finally {
    await p.context.close();
  }
  await failsClosed(t, padded(MAX + 1), /:1:1: \$: the catalogue is larger than 5 MiB/);
});

test('UTF-8 BOM before the catalogue: accepted, the banner shows', async () => {
  const p = await withCatalogue(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(DEFAULT_CATALOGUE_TEXT)]));
  try {
    await assertBannerUp(p);
  } finally {
    await p.context.close();
  }
});

test('HTML and <script> in every text field: rendered as text, no element created, nothing runs', async () => {
  const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';
  const c = mapTexts(defaultCatalogue(), (v) => (v.includes('{service}') ? v : payload + v));
  const p = await withCatalogue(JSON.stringify(c));
  try {
    await assertBannerUp(p);
    await p.page.locator('[data-cookiegate="banner"] [data-cookiegate="preferences"]').click();
    const dialog = p.page.locator('[data-cookiegate="preferences-dialog"]');
    await dialog.waitFor({ state: 'visible', timeout: 5_000 });
    // Expand every category's services so their texts render too.
    await p.page.evaluate(() => {
      const root = document.querySelector('[data-cookiegate="root"]').shadowRoot;
      root.querySelectorAll('details').forEach((d) => (d.open = true));
      root.querySelectorAll('button[aria-expanded="false"]').forEach((b) => b.click());
    });
    await p.page.waitForTimeout(300);
    const found = await p.page.evaluate(() => {
      const root = document.querySelector('[data-cookiegate="root"]').shadowRoot;
      return {
        pwned: typeof window.__pwned,
        imgs: root.querySelectorAll('img').length + document.querySelectorAll('img[src="x"]').length,
        scripts: root.querySelectorAll('script').length,
        bold: root.querySelectorAll('b').length,
        text: root.textContent,
      };
    });
    assert.equal(found.pwned, 'undefined', 'no injected handler or script ran');
    assert.equal(found.imgs, 0, 'no <img> element was created from a text');
    assert.equal(found.scripts, 0, 'no <script> element was created from a text');
    assert.equal(found.bold, 0, 'no <b> element was created from a text');
    assert.ok(found.text.includes('<img src=x onerror="window.__pwned=1">'), 'the markup shows literally');
    assert.ok(found.text.includes('<script>window.__pwned=2</script>'), 'the script tag shows literally');
    assert.equal(p.requests.filter((r) => /\/x(\?|$)/.test(new URL(r.url).pathname)).length, 0, 'no request for the injected img');
    await p.page.locator('[data-cookiegate="preferences-dialog"] [data-cookiegate="reject-all"]').click();
    await p.page.waitForTimeout(300);
    assert.equal(await p.page.evaluate(() => typeof window.__pwned), 'undefined');
    assert.deepEqual(trackerRequests(p.requests), [], 'refused: no tracker request');
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('bidi overrides (U+202E) and other controls in names: shown as text, no crash', async () => {
  const c = defaultCatalogue();
  const bidi = (name) => '\u202e' + name + '\u202c\u2066x\u2069';
  for (const s of c.services) {
    s.name = typeof s.name === 'string' ? bidi(s.name) : Object.fromEntries(Object.entries(s.name).map(([k, v]) => [k, bidi(v)]));
  }
  for (const cat of c.categories) cat.title.en = '\u202e' + cat.title.en;
  c.texts.en.banner_title = '\u202eFDP.exe \u200f\u200e' + c.texts.en.banner_title;
  const p = await withCatalogue(JSON.stringify(c));
  try {
    await assertBannerUp(p);
    const title = await p.page.evaluate(
      () => document.querySelector('[data-cookiegate="root"]').shadowRoot.textContent,
    );
    assert.ok(title.includes('\u202eFDP.exe'), 'the override character is kept as text');
    await p.page.locator('[data-cookiegate="banner"] [data-cookiegate="preferences"]').click();
    await p.page.locator('[data-cookiegate="preferences-dialog"]').waitFor({ state: 'visible' });
    await p.page.locator('[data-cookiegate="preferences-dialog"] [data-cookiegate="accept-all"]').click();
    await p.page.waitForFunction(() => window.cookiegate.acceptedService('google-analytics'));
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('globs built to backtrack: matched in linear time over hostile cookie names; the page stays responsive', async (t) => {
  const c = defaultCatalogue();
  const ga = c.services.find((s) => s.id === 'google-analytics');
  // Many stars and pieces that almost occur: a backtracking matcher would
  // try every split of the 60- to 100-character names below.
  const evil = ['*a*a*a*a*a*a*a*a*a*a*!', 'a*a*a*a*a*a*a*a*b', '*x*x*x*x*x*x*y', 'a*aa*aaa*aaaa*aaaaa*q'];
  ga.cookies.push(...evil.map((glob) => ({ glob, lifetime: '1 day', party: 'first' })));
  const long = 'a'.repeat(60);
  const p = await newPage(getBrowser(), '/real.html', {
    goto: false,
    cookies: ['!', 'x', 'a'.repeat(30) + '!', 'x'.repeat(40)].map((suffix, i) => ({
      name: (i % 2 ? 'x'.repeat(40) : long) + suffix,
      value: '1',
      domain: 'www.shop.test',
      path: '/',
    })),
  });
  try {
    await serveCatalogue(p.page, JSON.stringify(c));
    const t0 = Date.now();
    await p.page.goto(p.url, { waitUntil: 'load' });
    const outcome = await readyOutcome(p.page);
    t.diagnostic(`ready ${outcome} after ${Date.now() - t0} ms`);
    assert.equal(outcome, 'resolved');
    assert.deepEqual(cookiegateComplaints(p.consoleMessages).map((m) => m.text), []);
    // Refusing clears cookies by the globs: the matcher runs over the hostile names.
    const t1 = Date.now();
    await banner(p.page).locator('[data-cookiegate="reject-all"]').click();
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'reject-all');
    const lag = await mainThreadLag(p.page);
    t.diagnostic(`reject-all and clearing took ${Date.now() - t1} ms; lag ${Math.round(lag)} ms`);
    assert.ok(Date.now() - t1 < 3_000);
    assert.ok(lag < 500);
    // The first glob matches the names ending in "!": they are analytics cookies, so they are gone.
    const left = (await p.context.cookies()).map((k) => k.name);
    assert.ok(!left.includes(long + '!'), 'the glob matched and the cookie was cleared');
    assert.deepEqual(trackerRequests(p.requests), [], 'no tracker request');
    await assertCheckoutWorks(p.page);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('a regular expression in a catalogue: refused with its path, saying to write a glob', (t) => {
  const c = defaultCatalogue();
  const ga = c.services.find((s) => s.id === 'google-analytics');
  ga.cookies.push({ regex: '(a+)+$', lifetime: '1 day', party: 'first' });
  return failsClosed(t, JSON.stringify(c, null, 2), /\$\.services\[\d+\]\.cookies\[\d+\]\.regex: regular expressions are not supported; use "glob"/);
});
