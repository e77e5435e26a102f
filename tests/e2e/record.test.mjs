// Issue 4, the consent record end to end: its shape, the cookiegate:consent
// event, where it is kept (localStorage, else the first-party cookie, else
// memory for the page), what makes it void (REG-19), other tabs following a
// choice, and the proof-of-consent beacon (REG-21).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, openReady, newPage, cookiegateReady, loadedStandIns } from './harness.mjs';
import {
  catalogue,
  fixturePage,
  BANNER,
  inBanner,
  inDialog,
  bannerShown,
  bannerVisible,
} from './fixtures/banner-helpers.mjs';

const getBrowser = sharedBrowser();
const CAT = catalogue();
const FIELDS = ['id', 'timestamp', 'revision', 'method', 'gpc', 'categories', 'services'];

/** Records every cookiegate:consent event from the first script on. */
const RECORD_EVENTS = () => {
  window.__cgEvents = [];
  window.addEventListener('cookiegate:consent', (e) => window.__cgEvents.push(JSON.parse(JSON.stringify(e.detail))));
};

const open = (path = '/', o = {}) => openReady(getBrowser(), path, o);

const consent = (page) => page.evaluate(() => window.cookiegate.getConsent());
const events = (page) => page.evaluate(() => window.__cgEvents);

function assertShape(record, method) {
  assert.deepEqual(Object.keys(record).sort(), [...FIELDS].sort(), 'exactly the contract fields');
  assert.match(record.id, /^[0-9a-f]{32}$/, 'id: 32 hex digits');
  assert.match(record.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'timestamp: ISO 8601 UTC');
  assert.ok(Math.abs(Date.parse(record.timestamp) - Date.now()) < 60_000, 'timestamp is now');
  assert.equal(record.revision, CAT.revision);
  assert.equal(record.revision, 2);
  assert.equal(record.method, method);
  assert.equal(typeof record.gpc, 'boolean');
  assert.deepEqual(Object.keys(record.categories).sort(), CAT.categories.map((c) => c.id).sort(), 'every category');
  assert.deepEqual(Object.keys(record.services).sort(), CAT.services.map((s) => s.id).sort(), 'every service');
}

test('record: getConsent(), the cookiegate:consent event and localStorage agree; a reload restores it without the banner', async () => {
  const { page, context } = await open('/', { initScript: RECORD_EVENTS });
  try {
    await bannerShown(page);
    assert.equal(await consent(page), null, 'no record before a choice');
    assert.deepEqual(await events(page), [], 'no consent event before a choice');
    await page.click(inBanner('reject-all'));
    const record = await consent(page);
    assertShape(record, 'reject-all');
    assert.equal(record.gpc, false);
    for (const c of CAT.categories) assert.equal(record.categories[c.id], !!c.required, `category ${c.id}`);
    const evs = await events(page);
    assert.equal(evs.length, 1, 'one event per choice');
    assert.deepEqual(evs[0], record, 'the event carries the record');
    const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('cookiegate')));
    for (const f of FIELDS) assert.deepEqual(stored[f], record[f], `localStorage cookiegate.${f}`);
    assert.ok(!(await context.cookies()).some((c) => c.name === 'cookiegate'), 'no cookie copy when localStorage works');

    await page.reload({ waitUntil: 'load' });
    await cookiegateReady(page);
    await page.waitForTimeout(200);
    assert.equal(await bannerVisible(page), false, 'no banner after a reload');
    const restored = await consent(page);
    assert.deepEqual({ ...restored, method: record.method }, record, 'the same record');
    assert.equal(restored.method, 'restored');
    const evs2 = await events(page);
    assert.equal(evs2.length, 1, 'a consent event on restore');
    assert.equal(evs2[0].method, 'restored');
    assert.ok(await page.locator('[data-cookiegate="reopen"]').isVisible(), 'the re-open control is there');
  } finally {
    await context.close();
  }
});

const NO_LOCAL_STORAGE = () => {
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  });
};

test('record: with localStorage blocked it lives in the first-party cookie (SameSite=Lax, not Secure on http) and survives a reload', async () => {
  const { page, context, pageErrors } = await open('/', { initScript: NO_LOCAL_STORAGE });
  try {
    await bannerShown(page);
    await page.click(inBanner('accept-all'));
    const record = await consent(page);
    assertShape(record, 'accept-all');
    const cookie = (await context.cookies()).find((c) => c.name === 'cookiegate');
    assert.ok(cookie, 'a cookiegate cookie was written');
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.secure, false, 'not Secure on http:');
    assert.equal(cookie.httpOnly, false);
    assert.equal(cookie.domain, 'www.shop.test', 'first party, host-only');
    assert.equal(cookie.path, '/');
    const days = (cookie.expires * 1000 - Date.now()) / 86_400_000;
    assert.ok(Math.abs(days - CAT.consent_days) < 1, `lives consent_days (${days.toFixed(1)} days)`);
    const value = JSON.parse(decodeURIComponent(cookie.value));
    for (const f of FIELDS) assert.deepEqual(value[f], record[f], `cookie ${f}`);

    await page.reload({ waitUntil: 'load' });
    await cookiegateReady(page);
    await page.waitForTimeout(200);
    assert.equal(await bannerVisible(page), false, 'no banner after a reload');
    const restored = await consent(page);
    assert.equal(restored.id, record.id);
    assert.equal(restored.method, 'restored');
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedCategory('analytics')), true);
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('record: with localStorage and cookies both blocked the page and the banner work, the choice holds for the page, and the banner is back on reload', async () => {
  const initScript = () => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
      set() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  };
  const path = '/__test/banner-nostorage.html';
  const body = `<p id="out"></p><script nonce="{{nonce}}">document.getElementById('buy').addEventListener('click', () => { document.getElementById('out').textContent = 'bought'; });</script>`;
  const { page, context, pageErrors } = await open(path, { initScript, fixtures: { [path]: fixturePage({ body }) } });
  try {
    await bannerShown(page);
    await page.click(inBanner('reject-all'));
    const record = await consent(page);
    assertShape(record, 'reject-all');
    assert.equal(await bannerVisible(page), false, 'the banner closes');
    await page.click('[data-cookiegate="reopen"]');
    assert.equal(await page.locator(`${'[data-cookiegate="preferences-dialog"]'} input[data-cookiegate-category="analytics"]`).isChecked(), false);
    await page.locator('[data-cookiegate="preferences-dialog"] input[data-cookiegate-category="analytics"]').click();
    await page.click(inDialog('save'));
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedCategory('analytics')), true, 'the new choice holds in memory');
    await page.click('#buy');
    assert.equal(await page.textContent('#out'), 'bought', 'the page works');
    assert.deepEqual(pageErrors.map(String), [], 'no uncaught errors');
    assert.deepEqual((await context.cookies()).filter((c) => c.name === 'cookiegate'), []);

    await page.reload({ waitUntil: 'load' });
    await cookiegateReady(page);
    await bannerShown(page, 5000);
    assert.equal(await consent(page), null, 'nothing could be kept across loads: asked again');
  } finally {
    await context.close();
  }
});

test('record: a stored record of another revision, expired, from the future or corrupt is void and the banner shows again', async () => {
  // A genuine stored record to start from.
  let good;
  {
    const { page, context } = await open('/');
    try {
      await page.evaluate(() => window.cookiegate.acceptAll());
      good = JSON.parse(await page.evaluate(() => localStorage.getItem('cookiegate')));
    } finally {
      await context.close();
    }
  }
  const day = 86_400_000;
  const iso = (ms) => new Date(ms).toISOString();
  const cases = [
    { name: 'valid (control)', value: JSON.stringify({ ...good, timestamp: iso(Date.now() - day) }), banner: false },
    { name: 'revision 1', value: JSON.stringify({ ...good, revision: 1 }), banner: true },
    { name: 'revision 3', value: JSON.stringify({ ...good, revision: 3 }), banner: true },
    { name: 'expired', value: JSON.stringify({ ...good, timestamp: iso(Date.now() - (CAT.consent_days + 1) * day) }), banner: true },
    { name: 'from the future', value: JSON.stringify({ ...good, timestamp: iso(Date.now() + 2 * day) }), banner: true },
    { name: 'corrupt JSON', value: '{"id":"00', banner: true },
    { name: 'not a record', value: '[1,2,3]', banner: true },
  ];
  for (const c of cases) {
    const initScript = `try { if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1'); localStorage.setItem('cookiegate', ${JSON.stringify(c.value)}); } } catch (e) {}`;
    const { page, context, pageErrors } = await open('/', { initScript });
    try {
      await page.waitForTimeout(300);
      assert.equal(await bannerVisible(page), c.banner, `${c.name}: banner ${c.banner ? 'shown' : 'not shown'}`);
      const record = await consent(page);
      if (c.banner) {
        assert.equal(record, null, `${c.name}: no consent`);
        assert.equal(await page.evaluate(() => window.cookiegate.acceptedCategory('analytics')), false);
        assert.deepEqual(await loadedStandIns(page), [], `${c.name}: nothing loaded`);
      } else {
        assert.equal(record.method, 'restored');
        assert.equal(record.id, good.id);
      }
      assert.deepEqual(pageErrors.map(String), []);
    } finally {
      await context.close();
    }
  }
});

test('cross-tab: a choice in one tab hides the banner and applies in the other without a reload', async () => {
  const { page: a, context } = await open('/');
  try {
    const b = await context.newPage();
    await b.goto(a.url(), { waitUntil: 'load' });
    await cookiegateReady(b);
    await bannerShown(a);
    await bannerShown(b);
    await b.evaluate(() => {
      window.__loads = 0; // gone if the tab reloads
    });
    await a.click(inBanner('accept-all'));
    await b.locator(BANNER).waitFor({ state: 'hidden', timeout: 5000 });
    assert.equal(await b.evaluate(() => window.cookiegate.acceptedCategory('analytics')), true, 'tab B follows');
    assert.equal(await b.evaluate(() => window.cookiegate.getConsent().id), (await consent(a)).id, 'the same record');
    await b.waitForFunction(() => (window.__standins || []).length > 0, null, { timeout: 5000 });
    assert.equal(await b.evaluate(() => window.__loads), 0, 'tab B was not reloaded');
    assert.ok(await b.locator('[data-cookiegate="reopen"]').isVisible());

    // A withdrawal in B reaches A, which reloads to unload the trackers that ran.
    const aReloaded = a.waitForEvent('load', { timeout: 5000 });
    await b.click('[data-cookiegate="reopen"]');
    await b.click(inDialog('reject-all'));
    await aReloaded;
    await cookiegateReady(a);
    assert.equal(await a.evaluate(() => window.cookiegate.acceptedCategory('analytics')), false, 'tab A follows the withdrawal');
  } finally {
    await context.close();
  }
});

/** A page posting consent records to /consent-log; returns the posted bodies as they arrive. */
async function beaconPage(initScript) {
  const path = '/__test/banner-beacon.html';
  const html = fixturePage({ scriptAttrs: 'data-consent-endpoint="/consent-log"' });
  const p = await newPage(getBrowser(), path, { fixtures: { [path]: html }, initScript, goto: false });
  const posts = [];
  await p.context.route('**/consent-log', async (route) => {
    const r = route.request();
    posts.push({ method: r.method(), body: r.postData(), type: r.headers()['content-type'] });
    await route.fulfill({ status: 204, body: '' });
  });
  await p.page.goto(p.url, { waitUntil: 'load' });
  await cookiegateReady(p.page);
  return { ...p, posts };
}

test('beacon: one POST of the record per choice to data-consent-endpoint, nothing else in it, none on restore', async () => {
  const { page, context, posts } = await beaconPage();
  try {
    await bannerShown(page);
    assert.equal(posts.length, 0, 'nothing sent before a choice');
    await page.click(inBanner('reject-all'));
    await page.waitForTimeout(300);
    assert.equal(posts.length, 1, 'one beacon for the choice');
    assert.equal(posts[0].method, 'POST');
    assert.match(posts[0].type ?? '', /^application\/json/);
    const sent = JSON.parse(posts[0].body);
    assert.deepEqual(sent, await consent(page), 'the body is the record');
    assert.deepEqual(Object.keys(sent).sort(), [...FIELDS].sort(), 'no other identifiers');

    await page.click('[data-cookiegate="reopen"]');
    await page.click(inDialog('accept-all'));
    await page.waitForTimeout(300);
    assert.equal(posts.length, 2, 'one more for the changed choice');
    const second = JSON.parse(posts[1].body);
    assert.equal(second.method, 'accept-all');
    assert.notEqual(second.id, sent.id, 'each decision has its own id');

    await page.reload({ waitUntil: 'load' });
    await cookiegateReady(page);
    await page.waitForTimeout(500);
    assert.equal((await consent(page)).method, 'restored');
    assert.equal(posts.length, 2, 'no beacon for a restored choice');
  } finally {
    await context.close();
  }
});

test('beacon: without navigator.sendBeacon the choice still works and one warning is logged', async () => {
  const { page, context, posts, consoleMessages, pageErrors } = await beaconPage(() => {
    delete Navigator.prototype.sendBeacon;
  });
  try {
    await bannerShown(page);
    assert.equal(await page.evaluate(() => typeof navigator.sendBeacon), 'undefined');
    await page.click(inBanner('accept-all'));
    assert.equal((await consent(page))?.method, 'accept-all');
    assert.equal(await bannerVisible(page), false);
    await page.waitForTimeout(300);
    assert.equal(posts.length, 0);
    const warnings = consoleMessages.filter((m) => m.type === 'warning' && /consent-endpoint|beacon/i.test(m.text));
    assert.equal(warnings.length, 1, `one warning: ${JSON.stringify(consoleMessages)}`);
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});
