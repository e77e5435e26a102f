// Google Consent Mode v2 end to end (standards §1, REG-03, REG-25, REG-26):
// what window.dataLayer holds before, on and after each choice.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, openReady, newPage, cookiegateReady, dataLayer } from './harness.mjs';
import { realWith } from './fixtures/leak-helpers.mjs';
import { ALL_STAND_INS, bannerButton, waitForStandIns, reloadAndWait } from './fixtures/gate-helpers.mjs';

const getBrowser = sharedBrowser();

const open = (path, o) => openReady(getBrowser(), path, o);

const TYPES = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
];
const MAP = {
  marketing: ['ad_storage', 'ad_user_data', 'ad_personalization'],
  analytics: ['analytics_storage'],
  preferences: ['functionality_storage', 'personalization_storage'],
};
/** The seven-key state the mapping table gives for the granted categories. */
function expected(categories) {
  const out = {};
  for (const t of TYPES) out[t] = t === 'security_storage' ? 'granted' : 'denied';
  for (const c of categories) for (const t of MAP[c] ?? []) out[t] = 'granted';
  return out;
}

const isCommand = (e, a, b) => Array.isArray(e.value) && e.value[0] === a && (b === undefined || e.value[1] === b);

/** Checks the invariants every dataLayer must keep; returns it. */
async function checkedLayer(page) {
  const layer = await dataLayer(page);
  assert.ok(layer.length > 0, 'dataLayer exists');
  // REG-26: gtag commands are Arguments objects, never arrays.
  assert.deepEqual(layer.filter((e) => e.isArray).map((e) => e.value), [], 'no Array entries');
  for (const e of layer) {
    if (Array.isArray(e.value)) assert.ok(e.isArguments, `an Arguments object: ${JSON.stringify(e.value)}`);
  }
  // REG-03: the default comes first, nothing configures a tag before it.
  const first = layer[0];
  assert.ok(isCommand(first, 'consent', 'default'), `first entry is consent default: ${JSON.stringify(first.value)}`);
  const dflt = first.value[2];
  for (const t of TYPES) assert.equal(dflt[t], t === 'security_storage' ? 'granted' : 'denied', `default ${t}`);
  assert.equal(typeof dflt.wait_for_update, 'number', 'wait_for_update set');
  assert.ok(dflt.wait_for_update > 0);
  return layer;
}

function updates(layer) {
  const out = [];
  layer.forEach((e, i) => {
    if (isCommand(e, 'consent', 'update')) out.push({ i, state: e.value[2] });
  });
  return out;
}

/** The last update must be followed right away by {event:'consent_update'} and match `categories`. */
function assertLastUpdate(layer, categories, what) {
  const all = updates(layer);
  assert.ok(all.length > 0, `an update after ${what}`);
  const last = all[all.length - 1];
  assert.deepEqual(Object.keys(last.state).sort(), [...TYPES].sort(), `all 7 keys in the update after ${what}`);
  assert.deepEqual(last.state, expected(categories), `update after ${what}`);
  const next = layer[last.i + 1];
  assert.deepEqual(next?.value, { event: 'consent_update' }, `{event:'consent_update'} follows the update after ${what}`);
  assert.equal(next.isArguments, false, 'the event is a plain object, as GTM expects');
}

test('dataLayer: the default first, then an update + consent_update per choice, matching the mapping', async () => {
  const { page, context, pageErrors } = await open('/real.html');
  try {
    let layer = await checkedLayer(page);
    assert.deepEqual(updates(layer), [], 'no update before a choice');
    assert.ok(!layer.some((e) => isCommand(e, 'config') || isCommand(e, 'js') || isCommand(e, 'event')), 'no tag commands before a choice');

    await bannerButton(page, 'reject-all').click();
    await page.waitForFunction(() => window.cookiegate.getConsent());
    layer = await checkedLayer(page);
    assertLastUpdate(layer, [], 'Reject all');

    // Only ever widening, so no reload is needed between the steps.
    const steps = [['preferences'], ['preferences', 'analytics'], ['analytics', 'preferences', 'marketing']];
    for (const cats of steps) {
      const n = updates(await dataLayer(page)).length;
      await page.evaluate((c) => window.cookiegate.accept(c), cats);
      await page.waitForFunction((k) => window.dataLayer.filter((e) => e[0] === 'consent' && e[1] === 'update').length > k, n);
      layer = await checkedLayer(page);
      assertLastUpdate(layer, cats, `accept(${cats})`);
    }
    await waitForStandIns(page, ['google-analytics', 'google-ads', 'facebook']);
    layer = await checkedLayer(page);
    // The page's own gtag('js'/'config') came after the default and the grant.
    const firstConfig = layer.findIndex((e) => isCommand(e, 'config'));
    assert.ok(firstConfig > 0, 'the page configured its tags');
    const grantBefore = updates(layer).filter((u) => u.i < firstConfig).pop();
    assert.equal(grantBefore?.state.analytics_storage, 'granted', 'analytics_storage granted before the first config');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('Accept all grants all seven; after a reload the module sends the judged update right after the default, before any tag', async () => {
  const { page, context, pageErrors } = await open('/real.html');
  try {
    await bannerButton(page, 'accept-all').click();
    await waitForStandIns(page, ALL_STAND_INS);
    assertLastUpdate(await checkedLayer(page), ['marketing', 'analytics', 'preferences'], 'Accept all');
    // The stand-in gtag.js saw the grant too (it read Arguments entries).
    const seen = await page.evaluate(() => window.__standinGtag?.updates);
    assert.equal(seen?.analytics_storage, 'granted');

    await reloadAndWait(page);
    await waitForStandIns(page, ['google-analytics']);
    const layer = await checkedLayer(page);
    // The bootstrap replays nothing (it cannot judge a stored record); the
    // module's update follows the default and the redaction setting.
    assert.ok(isCommand(layer[1], 'set', 'ads_data_redaction'), `entry 1: ${JSON.stringify(layer[1]?.value)}`);
    assert.ok(isCommand(layer[2], 'consent', 'update'), `entry 2 is the restored update: ${JSON.stringify(layer[2]?.value)}`);
    assert.deepEqual(layer[2].value[2], expected(['marketing', 'analytics', 'preferences']), 'restored state');
    const firstTag = layer.findIndex((e) => isCommand(e, 'config') || isCommand(e, 'js') || (e.value && typeof e.value.event === 'string' && e.value.event.startsWith('gtm.')));
    assert.ok(firstTag > 2, `gated tags came after the restored update (first at ${firstTag})`);
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('Global Privacy Control: Accept all leaves the three ad types denied', async () => {
  const { page, context, pageErrors } = await open('/real.html', { gpc: true });
  try {
    await bannerButton(page, 'accept-all').click();
    await page.waitForFunction(() => window.cookiegate.getConsent());
    const layer = await checkedLayer(page);
    assertLastUpdate(layer, ['analytics', 'preferences'], 'Accept all under GPC');
    const record = await page.evaluate(() => window.cookiegate.getConsent());
    assert.equal(record.gpc, true, 'record.gpc');
    assert.equal(record.categories.marketing, false, 'marketing stays refused');

    await reloadAndWait(page);
    const again = await checkedLayer(page);
    const restored = updates(again)[0];
    assert.equal(restored?.state?.ad_storage, 'denied', 'the restored update keeps ad_storage denied');
    assert.equal(restored?.state?.analytics_storage, 'granted', 'and grants analytics');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('a page that assigns dataLayer anew: the default stays first, each update and its event are kept, the page\'s entries follow', async () => {
  // `var dataLayer = [...]` before a GTM snippet, after cookiegate's tag.
  const pagePath = '/__test/cm-reassigned.html';
  const html = realWith({ head: '<script nonce="{{nonce}}">var dataLayer = [{ pageType: "product" }];</script>' });
  const { page, context, pageErrors } = await newPage(getBrowser(), pagePath, { fixtures: { [pagePath]: html } });
  try {
    await cookiegateReady(page);
    let layer = await checkedLayer(page);
    assert.ok(isCommand(layer[1], 'set', 'ads_data_redaction'), `entry 1: ${JSON.stringify(layer[1]?.value)}`);
    assert.deepEqual(layer[2]?.value, { pageType: 'product' }, "the page's own entry is kept, after cookiegate's");
    assert.deepEqual(updates(layer), [], 'no update before a choice');

    await bannerButton(page, 'accept-all').click();
    await waitForStandIns(page, ['google-analytics']);
    assertLastUpdate(await checkedLayer(page), ['marketing', 'analytics', 'preferences'], 'Accept all');
    // Control: the Google tag read the default, then the grant.
    const seen = await page.evaluate(() => window.__standinGtag && { d: window.__standinGtag.defaults, u: window.__standinGtag.updates });
    assert.equal(seen?.d.ad_storage, 'denied', 'the tag saw the default');
    assert.equal(seen?.u.analytics_storage, 'granted', 'the tag saw the grant');

    // A single-page app starts a fresh array for its next view.
    await page.evaluate(() => {
      window.dataLayer = [{ event: 'virtual_page_view' }];
    });
    layer = await checkedLayer(page);
    assertLastUpdate(layer, ['marketing', 'analytics', 'preferences'], 'the second assignment');
    assert.equal(updates(layer).length, 1, 'the update once');
    assert.deepEqual(layer.at(-1).value, { event: 'virtual_page_view' }, "the page's entry last");
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});
