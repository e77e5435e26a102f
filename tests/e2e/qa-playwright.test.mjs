// The README's Playwright example for QA (issue 15), run as it is written
// there: open the preferences, expand a category's services
// (data-cookiegate-services), switch one service on, save.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { sharedBrowser, newPage } from './harness.mjs';
import { BANNER } from './fixtures/banner-helpers.mjs';
import { QA_SHOP, QA_SHOP_PATH, exampleIn, readmeShows } from './fixtures/qa-shop.mjs';

// README example: playwright (begin)
// Playwright's locators pierce cookiegate's open shadow root.
async function allowOnlyGoogleAnalytics(page, shopUrl) {
  await page.goto(shopUrl);
  await page.locator('[data-cookiegate="banner"] [data-cookiegate="preferences"]').click();
  const dialog = page.locator('[data-cookiegate="preferences-dialog"]');
  // A category's service switches sit in a collapsed list: expand it first.
  await dialog.locator('[data-cookiegate-services="analytics"]').click();
  await dialog.locator('input[data-cookiegate-service="google-analytics"]').check();
  await dialog.locator('[data-cookiegate="save"]').click();
  return page.evaluate(() => window.cookiegate.getConsent());
}
// README example: playwright (end)

const getBrowser = sharedBrowser();

test('QA: the README shows the Playwright example exactly as this test runs it', () => {
  const code = exampleIn(fileURLToPath(import.meta.url), 'playwright');
  assert.ok(readmeShows(code), `README.md must contain this js block verbatim:\n${code}`);
});

test('QA: the Playwright example grants Google Analytics only, and only its script runs', async () => {
  const { page, context, url, pageErrors } = await newPage(getBrowser(), QA_SHOP_PATH, {
    fixtures: { [QA_SHOP_PATH]: QA_SHOP },
    goto: false,
  });
  try {
    const record = await allowOnlyGoogleAnalytics(page, url);
    assert.equal(record.method, 'custom');
    assert.equal(record.services['google-analytics'], true);
    assert.equal(record.services['yandex-metrica'], false);
    assert.equal(record.categories.analytics, true, 'the category is on (partly)');
    assert.equal(record.categories.marketing, false);
    await page.waitForFunction(() => (window.__ran || []).length > 0);
    assert.deepEqual(await page.evaluate(() => window.__ran), ['google-analytics']);
    assert.equal(await page.locator(BANNER).isVisible(), false, 'the banner is gone');
    assert.ok(await page.locator('[data-cookiegate="reopen"]').isVisible(), 'the re-open control is there');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});
