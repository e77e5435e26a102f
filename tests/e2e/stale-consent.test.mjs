// Issue 10, class 1: a stored record the core would void never reaches
// Google tags as `granted`. The page runs an UNMARKED gtag (the Consent
// Mode set-up: Google's tag reads the default and waits for the update);
// localStorage holds a record that an older version (or anyone) wrote with
// every Consent Mode type granted. Control: a valid record still has its
// update in place; the time from the default to it is printed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookieNames, describeRequests } from './harness.mjs';
import { defaultCatalogue, readyOutcome, banner } from './fixtures/hostile-common.mjs';
import { CSPS, realWith, attempts, RECORD_DATALAYER, recordedLayer, grantedTypes } from './fixtures/leak-helpers.mjs';

const getBrowser = sharedBrowser();

const CATALOGUE = defaultCatalogue();
const DAY = 86_400_000;
const ALL_GRANTED = Object.fromEntries(
  ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage', 'functionality_storage', 'personalization_storage', 'security_storage'].map(
    (k) => [k, 'granted'],
  ),
);

/** An "Accept all" record as cookiegate stores it, plus an old-style granted consent_mode. */
function record(edit = (r) => r) {
  const now = Date.now();
  return edit({
    id: '0123456789abcdef0123456789abcdef',
    timestamp: new Date(now - DAY).toISOString(),
    revision: CATALOGUE.revision,
    method: 'accept-all',
    gpc: false,
    categories: Object.fromEntries(CATALOGUE.categories.map((c) => [c.id, true])),
    services: Object.fromEntries(CATALOGUE.services.map((s) => [s.id, true])),
    expires: new Date(now + 180 * DAY).toISOString(),
    consent_mode: ALL_GRANTED,
  });
}

// The README's Consent Mode set-up: Google's tag itself is not held; it
// reads the default and, within wait_for_update, the visitor's update.
const UNMARKED_GTAG = `<script async src="https://www.googletagmanager.com/gtag/js?id=G-UNMARKED" nonce="{{nonce}}"></script>
<script nonce="{{nonce}}">gtag('js', new Date()); gtag('config', 'G-UNMARKED');</script>`;
const PAGE = '/__leaks/stale-consent.html';
const FIXTURES = { [PAGE]: realWith({ head: UNMARKED_GTAG }) };

const VOID = [
  ['another catalogue revision (the shop bumped it)', JSON.stringify(record((r) => ({ ...r, revision: r.revision - 1 })))],
  [
    `expired under consent_days (${CATALOGUE.consent_days}) though its own "expires" is later`,
    JSON.stringify(record((r) => ({ ...r, timestamp: new Date(Date.now() - (CATALOGUE.consent_days + 1) * DAY).toISOString() }))),
  ],
  ['dated in the future', JSON.stringify(record((r) => ({ ...r, timestamp: '2099-01-01T00:00:00.000Z', expires: '2099-07-01T00:00:00.000Z' })))],
  // JSON.parse takes the last `categories`; the core refuses a repeated key.
  ['corrupt (a repeated key JSON.parse accepts)', JSON.stringify(record()).replace('"categories":', '"categories":{"analytics":false},"categories":')],
];

/** Asserts nothing of Google Analytics identified the visitor. */
function assertNoIdentifiedHit(p, cookies, what) {
  const identified = attempts(p.requests, /google-analytics\.com\/g\/collect\?.*cid=/);
  assert.deepEqual(identified.map((r) => r.url), [], `${what}: a GA hit with a client id\n  ${describeRequests(identified)}`);
  assert.ok(!cookies.some((c) => c === '_ga' || c.startsWith('_ga_') || c === '_gcl_au'), `${what}: Google cookies ${cookies}`);
}

async function withStored(csp, stored, o = {}) {
  const p = await newPage(getBrowser(), PAGE, {
    csp,
    fixtures: FIXTURES,
    gpc: o.gpc,
    initScript: `(${RECORD_DATALAYER})(); try { localStorage.setItem('cookiegate', ${JSON.stringify(stored)}); } catch (e) {}`,
  });
  assert.equal(await readyOutcome(p.page), 'resolved');
  // The unmarked tag has loaded and handled the queue.
  await p.page.waitForFunction(() => (window.__standins || []).some((s) => s.tagId === 'G-UNMARKED'), null, { timeout: 10_000 });
  await p.page.waitForTimeout(500);
  return p;
}

for (const csp of CSPS) {
  test(`csp=${csp}: no void stored record reaches gtag as granted; a valid one lands within wait_for_update`, async (t) => {
    for (const [what, stored] of VOID) {
      const p = await withStored(csp, stored);
      try {
        await banner(p.page).waitFor({ state: 'visible', timeout: 5_000 });
        assert.deepEqual(grantedTypes(await recordedLayer(p.page)), [], `${what}: no Consent Mode type granted`);
        assert.deepEqual(await p.page.evaluate(() => window.__standinGtag.updates), {}, `${what}: gtag saw no update`);
        assertNoIdentifiedHit(p, await cookieNames(p.page), what);
        assert.equal(await p.page.evaluate(() => window.cookiegate.getConsent()), null, `${what}: no choice in force`);
        assert.deepEqual(p.pageErrors.map(String), []);
      } finally {
        await p.context.close();
      }
    }

    // Tampered: a reject-all record whose consent_mode says granted.
    {
      const stored = JSON.stringify(
        record((r) => ({
          ...r,
          method: 'reject-all',
          categories: Object.fromEntries(CATALOGUE.categories.map((c) => [c.id, !!c.required])),
          services: Object.fromEntries(CATALOGUE.services.map((s) => [s.id, false])),
        })),
      );
      const p = await withStored(csp, stored);
      try {
        await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored');
        assert.deepEqual(grantedTypes(await recordedLayer(p.page)), [], 'tampered: a refusal grants nothing');
        assertNoIdentifiedHit(p, await cookieNames(p.page), 'tampered');
      } finally {
        await p.context.close();
      }
    }

    // GPC on now, not when the visitor accepted everything: ads stay denied.
    {
      const p = await withStored(csp, JSON.stringify(record()), { gpc: true });
      try {
        await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored');
        const granted = grantedTypes(await recordedLayer(p.page));
        assert.deepEqual(granted.filter((k) => k.startsWith('ad_')), [], `GPC now: no ad type granted (${granted})`);
        assert.ok(granted.includes('analytics_storage'), 'what GPC does not touch still counts');
        assert.ok(!(await cookieNames(p.page)).includes('_gcl_au'), 'no Google Ads cookie');
      } finally {
        await p.context.close();
      }
    }

    // Control: a valid record counts, gtag gets its update, GA identifies
    // the visitor as the choice allows; the delay is measured (not asserted).
    const p = await withStored(csp, JSON.stringify(record()));
    try {
      await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored');
      assert.equal(await banner(p.page).isVisible(), false, 'no banner for a valid record');
      const layer = await recordedLayer(p.page);
      assert.deepEqual(grantedTypes(layer), ['ad_personalization', 'ad_storage', 'ad_user_data', 'analytics_storage', 'functionality_storage', 'personalization_storage']);
      await p.page.waitForFunction(() => document.cookie.includes('_ga='), null, { timeout: 5_000 });
      assert.ok(attempts(p.requests, /google-analytics\.com\/g\/collect\?.*tid=G-UNMARKED.*cid=/).length > 0, 'the unmarked tag identified the visitor');
      const dflt = layer.find((e) => e.value[0] === 'consent' && e.value[1] === 'default');
      const update = layer.find((e) => e.value[0] === 'consent' && e.value[1] === 'update');
      assert.ok(dflt && update && update.ms >= dflt.ms, 'the update follows the default');
      t.diagnostic(`csp=${csp}: returning visitor's update ${Math.round(update.ms - dflt.ms)} ms after the default (wait_for_update ${dflt.value[2].wait_for_update} ms)`);
      assert.deepEqual(p.pageErrors.map(String), []);
    } finally {
      await p.context.close();
    }
  });
}
