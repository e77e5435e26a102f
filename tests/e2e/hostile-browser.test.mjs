// Issue 7, browser side: broken environments. Storage that throws, no
// sendBeacon, a module that does not load, a hostile page stylesheet, a
// page that already has its own dataLayer, two tabs choosing at once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, trackerRequests, dataLayer } from './harness.mjs';
import { REAL_HTML, BOOTSTRAP_TAG } from './fixtures/leak-helpers.mjs';
import {
  assertFailedClosed,
  assertNothingGatedLoaded,
  assertCheckoutWorks,
  cookiegateComplaints,
  readyOutcome,
  banner,
} from './fixtures/hostile-common.mjs';

const getBrowser = sharedBrowser();

const accepted = (page) => page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'accept-all', null, { timeout: 5_000 });
const gaLoaded = (requests) => trackerRequests(requests).some((r) => r.url.includes('gtag/js?id=G-DEMO'));

async function acceptWorks(p) {
  assert.equal(await readyOutcome(p.page), 'resolved');
  await banner(p.page).waitFor({ state: 'visible', timeout: 10_000 });
  await assertNothingGatedLoaded(p.page, p.requests);
  await banner(p.page).locator('[data-cookiegate="accept-all"]').click();
  await accepted(p.page);
  await p.page.waitForFunction(() => (window.__standins || []).length > 0, null, { timeout: 5_000 });
  assert.ok(gaLoaded(p.requests), 'accepting loads Google Analytics');
  await assertCheckoutWorks(p.page);
  assert.deepEqual(p.pageErrors.map(String), []);
}

// ---------------------------------------------------------------- storage

test('localStorage getter throws: the choice falls back to a cookie and survives a reload', async () => {
  const p = await newPage(getBrowser(), '/real.html', {
    initScript: () =>
      Object.defineProperty(window, 'localStorage', {
        configurable: true,
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      }),
  });
  try {
    await acceptWorks(p);
    await p.page.reload({ waitUntil: 'load' });
    assert.equal(await readyOutcome(p.page), 'resolved');
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored', null, { timeout: 5_000 });
    assert.deepEqual(cookiegateComplaints(p.consoleMessages).map((m) => m.text), []);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('cookies and storage disabled (document.cookie and localStorage throw for cookiegate): works for the page, no crash', async () => {
  // They throw when cookiegate's code asks; the demo page's own scripts and
  // the tracker stand-ins (which read cookies unguarded, like the real ones)
  // get "" instead, so any uncaught error left would be cookiegate's.
  const p = await newPage(getBrowser(), '/real.html', {
    initScript: () => {
      // The direct caller (frame 3: Error, this, the accessor, the caller) is
      // cookiegate's; an inline tracker it activates runs under its stack too.
      const fromCookiegate = () => /\/cookiegate\//.test(new Error().stack.split('\n')[3] || '');
      const deny = () => {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      };
      const storage = Object.getOwnPropertyDescriptor(window, 'localStorage') ||
        Object.getOwnPropertyDescriptor(Window.prototype, 'localStorage');
      const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
      Object.defineProperty(Document.prototype, 'cookie', {
        configurable: true,
        get() {
          return fromCookiegate() ? deny() : '';
        },
        set(v) {
          if (fromCookiegate()) deny();
        },
      });
      Object.defineProperty(window, 'localStorage', {
        configurable: true,
        get() {
          return fromCookiegate() ? deny() : storage.get.call(window);
        },
      });
      void cookie;
    },
  });
  try {
    await acceptWorks(p);
    const record = await p.page.evaluate(() => window.cookiegate.getConsent());
    assert.equal(record.method, 'accept-all', 'the choice holds for this page (kept in memory)');
  } finally {
    await p.context.close();
  }
});

test('cookies silently ignored (document.cookie writes dropped): works for the page, no crash', async () => {
  const p = await newPage(getBrowser(), '/real.html', {
    initScript: () => {
      Object.defineProperty(Document.prototype, 'cookie', { configurable: true, get: () => '', set: () => {} });
      Object.defineProperty(window, 'localStorage', {
        configurable: true,
        get() {
          throw new DOMException('denied', 'SecurityError');
        },
      });
    },
  });
  try {
    await acceptWorks(p);
  } finally {
    await p.context.close();
  }
});

for (const [name, init] of [
  ['missing', () => { delete Navigator.prototype.sendBeacon; }],
  ['throwing', () => { Navigator.prototype.sendBeacon = () => { throw new TypeError('sendBeacon is broken'); }; }],
]) {
  test(`navigator.sendBeacon ${name} (with data-consent-endpoint): the choice still applies, one warning`, async () => {
    const pagePath = `/__hostile/beacon-${name}.html`;
    const html = REAL_HTML.replace(BOOTSTRAP_TAG, BOOTSTRAP_TAG.replace(' nonce=', ' data-consent-endpoint="/consent" nonce='));
    const p = await newPage(getBrowser(), pagePath, { fixtures: { [pagePath]: html }, initScript: init });
    try {
      await acceptWorks(p);
      await p.page.waitForTimeout(200);
      const complaints = cookiegateComplaints(p.consoleMessages);
      assert.equal(complaints.length, 1, complaints.map((m) => m.text).join('\n'));
      assert.match(complaints[0].text, /consent record could not be sent/);
    } finally {
      await p.context.close();
    }
  });
}

// ---------------------------------------------------------------- the module does not load

for (const [name, glob, reply, cause] of [
  ['the .wasm 404s', '**/cookiegate/cookiegate_core_bg.wasm', { status: 404, contentType: 'text/plain', body: 'no' }, /module could not start/],
  [
    'the .wasm is garbage (compile error)',
    '**/cookiegate/cookiegate_core_bg.wasm',
    { status: 200, contentType: 'application/wasm', body: Buffer.from('\0asm\x01\0\0\0garbage garbage garbage') },
    /module could not start \((CompileError|TypeError)/,
  ],
  ['the glue cookiegate_core.js 404s', '**/cookiegate/cookiegate_core.js', { status: 404, contentType: 'text/plain', body: 'no' }, /module could not start/],
]) {
  test(`${name}: nothing gated loads, checkout works, one bootstrap error, ready rejects, the API is harmless`, async (t) => {
    const p = await newPage(getBrowser(), '/real.html', { goto: false });
    try {
      await p.page.route(glob, (route) => route.fulfill(reply));
      // Calls made before the failure are queued, then must not throw.
      await p.page.goto(p.url, { waitUntil: 'load' });
      await assertFailedClosed(t, p, cause);
    } finally {
      await p.context.close();
    }
  });
}

// ---------------------------------------------------------------- the page's own code

test('hostile page stylesheet (all: unset, button/div display:none): banner buttons still visible and clickable', async () => {
  const pagePath = '/__hostile/evil-css.html';
  const html = REAL_HTML.replace('<link rel="stylesheet" href="/demo.css">', '<link rel="stylesheet" href="/demo.css">\n<link rel="stylesheet" href="/__hostile/evil.css">');
  const p = await newPage(getBrowser(), pagePath, { fixtures: { [pagePath]: html }, csp: 'strict', goto: false });
  try {
    await p.page.route('**/__hostile/evil.css', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/css',
        body: '* { all: unset !important } button { display: none !important } div { display: none !important } ' +
          'body > * { visibility: hidden !important; opacity: 0 !important } [data-cookiegate] { display: none !important }',
      }),
    );
    await p.page.goto(p.url, { waitUntil: 'load' });
    assert.equal(await readyOutcome(p.page), 'resolved');
    for (const hook of ['accept-all', 'reject-all', 'preferences']) {
      const button = banner(p.page).locator(`[data-cookiegate="${hook}"]`);
      await button.waitFor({ state: 'visible', timeout: 5_000 });
      const box = await button.boundingBox();
      assert.ok(box && box.width >= 24 && box.height >= 24, `${hook} is at least 24×24 (${JSON.stringify(box)})`);
    }
    // A real pointer click (Playwright checks it is visible, stable and on top).
    await banner(p.page).locator('[data-cookiegate="accept-all"]').click({ timeout: 5_000 });
    await accepted(p.page);
    assert.deepEqual(await p.cspViolations(), []);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('the page already has dataLayer entries and its own gtag: default still pushed as arguments, entries kept, choice works', async () => {
  const pagePath = '/__hostile/own-datalayer.html';
  const own =
    '<script nonce="{{nonce}}">window.dataLayer = [{ event: "early" }, ["legacy-array"]];' +
    'window.gtag = function gtag() { window.dataLayer.push(arguments); window.__ownGtag = (window.__ownGtag || 0) + 1; };' +
    'gtag("js", new Date());</script>\n';
  const html = REAL_HTML.replace(BOOTSTRAP_TAG, own + BOOTSTRAP_TAG);
  const p = await newPage(getBrowser(), pagePath, { fixtures: { [pagePath]: html } });
  try {
    assert.equal(await readyOutcome(p.page), 'resolved');
    const dl = await dataLayer(p.page);
    assert.deepEqual(dl[0].value, { event: 'early' }, 'existing entries are kept in place');
    assert.deepEqual(dl[1].value, ['legacy-array']);
    assert.equal(dl[2].value[0], 'js');
    const dflt = dl.find((e) => e.value[0] === 'consent' && e.value[1] === 'default');
    assert.ok(dflt, 'a consent default was pushed');
    assert.ok(dflt.isArguments, 'the default is an arguments object, not an array');
    assert.equal(dflt.value[2].ad_storage, 'denied');
    assert.equal(await p.page.evaluate(() => typeof window.gtag === 'function' && /__ownGtag/.test(String(window.gtag))), true, 'the page’s gtag is kept');
    await acceptWorks(p);
    const update = (await dataLayer(p.page)).filter((e) => e.value[0] === 'consent' && e.value[1] === 'update').pop();
    assert.ok(update?.isArguments, 'the update is an arguments object');
    assert.equal(update.value[2].analytics_storage, 'granted');
  } finally {
    await p.context.close();
  }
});

test('two tabs choose at the same moment: both end consistent with the stored record, neither crashes', async () => {
  const a = await newPage(getBrowser(), '/real.html');
  try {
    const pageB = await a.context.newPage();
    const errorsB = [];
    pageB.on('pageerror', (e) => errorsB.push(e));
    await pageB.goto(a.url, { waitUntil: 'load' });
    assert.equal(await readyOutcome(a.page), 'resolved');
    assert.equal(await readyOutcome(pageB), 'resolved');
    // Both clicks dispatched in the same instant (no pointer round trips).
    await Promise.all([
      a.page.evaluate(() => window.cookiegate.acceptAll()),
      pageB.evaluate(() => window.cookiegate.rejectAll()),
    ]);
    // Let storage events cross and any reload triggered by a withdrawal finish.
    await a.page.waitForTimeout(2_500);
    const state = async (pg) => {
      await pg.waitForFunction(() => window.cookiegate && window.cookiegate.ready, null, { timeout: 10_000 });
      await readyOutcome(pg);
      return pg.evaluate(() => ({
        stored: JSON.parse(localStorage.getItem('cookiegate') || 'null')?.categories ?? null,
        mine: window.cookiegate.getConsent()?.categories ?? null,
      }));
    };
    const [sa, sb] = [await state(a.page), await state(pageB)];
    assert.ok(sa.stored, 'a record is stored');
    assert.deepEqual(sa.mine, sa.stored, 'tab A follows the stored record (last writer wins)');
    assert.deepEqual(sb.mine, sb.stored, 'tab B follows the stored record (last writer wins)');
    assert.deepEqual(a.pageErrors.map(String), []);
    assert.deepEqual(errorsB.map(String), []);
  } finally {
    await a.context.close();
  }
});
