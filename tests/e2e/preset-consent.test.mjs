// Starting a test with consent already in place, without clicking (issue 15):
// the README's record, written to localStorage before the page loads, counts
// as the visitor's choice: no banner, the granted scripts run, the refused
// ones do not. Controls: the same record with another revision, or older
// than the catalogue's consent_days, is not consent and the banner shows; a
// category named without any of its services grants nothing. Also the
// README's Playwright helper for it, verbatim.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { sharedBrowser, newPage, cookiegateReady } from './harness.mjs';
import { catalogue, BANNER, bannerShown } from './fixtures/banner-helpers.mjs';
import { QA_SHOP, QA_SHOP_PATH, exampleIn, readmeShows } from './fixtures/qa-shop.mjs';

const getBrowser = sharedBrowser();
const CAT = catalogue();

// README example: preset (begin)
// Before the first page load: cookiegate reads this record as the visitor's
// earlier choice. `revision` must be the catalogue's; list each service to grant.
async function presetConsent(context, revision, categories, services) {
  const record = {
    id: 'qa-preset',
    timestamp: new Date().toISOString(),
    revision,
    method: 'custom',
    gpc: false,
    categories: Object.fromEntries(categories.map((id) => [id, true])),
    services: Object.fromEntries(services.map((id) => [id, true])),
  };
  await context.addInitScript((value) => localStorage.setItem('cookiegate', value), JSON.stringify(record));
}
// README example: preset (end)

/** The QA shop, with `preset(context)` run before it loads. */
async function openPreset(preset) {
  const p = await newPage(getBrowser(), QA_SHOP_PATH, { fixtures: { [QA_SHOP_PATH]: QA_SHOP }, goto: false });
  await preset(p.context);
  await p.page.goto(p.url);
  await cookiegateReady(p.page, { settleMs: 300 });
  return p;
}

const ran = (page) => page.evaluate(() => window.__ran || []);

test('preset consent: the README shows the helper exactly as this test runs it', () => {
  const code = exampleIn(fileURLToPath(import.meta.url), 'preset');
  assert.ok(readmeShows(code), `README.md must contain this js block verbatim:\n${code}`);
});

test('preset consent: a valid record in localStorage: no banner, the granted script runs, the refused one does not', async () => {
  const { page, context, consoleMessages } = await openPreset((c) =>
    presetConsent(c, CAT.revision, ['analytics'], ['google-analytics']),
  );
  try {
    assert.equal(await page.locator(BANNER).isVisible(), false, 'no banner');
    assert.ok(await page.locator('[data-cookiegate="reopen"]').isVisible(), 'the re-open control instead');
    assert.deepEqual(await ran(page), ['google-analytics'], 'only the granted service ran');
    const record = await page.evaluate(() => window.cookiegate.getConsent());
    assert.equal(record.method, 'restored');
    assert.equal(record.id, 'qa-preset');
    assert.equal(record.services['yandex-metrica'], false, 'a service not listed is refused');
    const stored = consoleMessages.filter((m) => /stored choice/.test(m.text));
    assert.deepEqual(stored, [], 'nothing said about the stored choice');
  } finally {
    await context.close();
  }
});

test('preset consent: controls — another revision or an expired date is no consent: the banner shows, nothing runs', async () => {
  const old = new Date(Date.now() - (CAT.consent_days + 1) * 86_400_000).toISOString();
  const cases = [
    ['another revision', (c) => presetConsent(c, CAT.revision + 1, ['analytics'], ['google-analytics']), /revision/],
    [
      'expired',
      (c) =>
        c.addInitScript((value) => localStorage.setItem('cookiegate', value), JSON.stringify({
          id: 'qa-old', timestamp: old, revision: CAT.revision, method: 'custom', gpc: false,
          categories: { analytics: true }, services: { 'google-analytics': true },
        })),
      /expired/,
    ],
  ];
  for (const [name, preset, said] of cases) {
    const { page, context, consoleMessages } = await openPreset(preset);
    try {
      await bannerShown(page);
      assert.equal(await page.evaluate(() => window.cookiegate.getConsent()), null, name);
      assert.ok(consoleMessages.some((m) => said.test(m.text)), `${name}: the console says why`);
      assert.deepEqual(await ran(page), [], `${name}: nothing ran`);
    } finally {
      await context.close();
    }
  }
});

test('preset consent: a category named without any of its services grants nothing of it (a choice, but a refusal)', async () => {
  const { page, context } = await openPreset((c) => presetConsent(c, CAT.revision, ['analytics'], []));
  try {
    assert.equal(await page.locator(BANNER).isVisible(), false, 'a valid record: no banner');
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedCategory('analytics')), false);
    assert.deepEqual(await ran(page), [], 'nothing ran');
  } finally {
    await context.close();
  }
});

test('preset consent: a record cookiegate wrote itself, saved and put back (storageState), restores the same choice', async () => {
  const first = await newPage(getBrowser(), '/', { goto: true });
  let state;
  try {
    await cookiegateReady(first.page);
    await first.page.evaluate(() => window.cookiegate.accept(['analytics']));
    state = await first.context.storageState();
  } finally {
    await first.context.close();
  }
  const browser = getBrowser();
  const again = await browser.newContext({ storageState: state });
  try {
    const page = await again.newPage();
    await page.route('**/*', (r) => (new URL(r.request().url()).hostname.endsWith('shop.test') ? r.continue() : r.abort()));
    await page.goto(first.url);
    await cookiegateReady(page);
    assert.equal(await page.locator(BANNER).isVisible(), false, 'no banner');
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedCategory('analytics')), true);
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedCategory('marketing')), false);
  } finally {
    await again.close();
  }
});
