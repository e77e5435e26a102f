// The README's WebDriver example for QA (issue 15), run as it is written
// there with selenium-webdriver on Debian's /usr/bin/chromedriver and
// /usr/bin/chromium: the shadow host [data-cookiegate="root"], then
// getShadowRoot(), then the same hooks as any locator uses.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, NEED_DIST, getServer, siteOrigin, closeServer, distBuilt } from './harness.mjs';
import { catalogue } from './fixtures/banner-helpers.mjs';
import { QA_SHOP, QA_SHOP_PATH, exampleIn, readmeShows } from './fixtures/qa-shop.mjs';

// Were Selenium Manager ever to run (it would download a driver), it fails here.
process.env.SE_MANAGER_PATH = '/nonexistent/selenium-manager';

// README example: webdriver (begin)
import { Builder, By, until } from 'selenium-webdriver';
import chrome from 'selenium-webdriver/chrome.js';

// Both paths given: Selenium Manager never runs and nothing is downloaded.
async function startChromium(args = ['--headless']) {
  return new Builder()
    .forBrowser('chrome')
    .setChromeService(new chrome.ServiceBuilder('/usr/bin/chromedriver'))
    .setChromeOptions(new chrome.Options().setChromeBinaryPath('/usr/bin/chromium').addArguments(...args))
    .build();
}

// WebDriver finds nothing inside a shadow root by itself: take the host's
// open shadow root, then use the same hooks.
async function allowOnlyGoogleAnalytics(driver, shopUrl) {
  await driver.get(shopUrl);
  const host = await driver.wait(until.elementLocated(By.css('[data-cookiegate="root"]')), 10000);
  const root = await host.getShadowRoot();
  const banner = await root.findElement(By.css('[data-cookiegate="banner"]'));
  await driver.wait(until.elementIsVisible(banner), 10000);
  await banner.findElement(By.css('[data-cookiegate="preferences"]')).click();
  const dialog = await root.findElement(By.css('[data-cookiegate="preferences-dialog"]'));
  // A category's service switches sit in a collapsed list: expand it first.
  await dialog.findElement(By.css('[data-cookiegate-services="analytics"]')).click();
  await dialog.findElement(By.css('input[data-cookiegate-service="google-analytics"]')).click();
  await dialog.findElement(By.css('[data-cookiegate="save"]')).click();
  return driver.executeScript('return window.cookiegate.getConsent()');
}
// README example: webdriver (end)

after(closeServer);

test('QA: the README shows the WebDriver example exactly as this test runs it', () => {
  const code = exampleIn(fileURLToPath(import.meta.url), 'webdriver');
  assert.ok(readmeShows(code), `README.md must contain this js block verbatim:\n${code}`);
});

/** A fresh Chromium under WebDriver on the test shop; `use(driver, shopUrl)`. */
async function withChromium(use) {
  assert.ok(distBuilt(), NEED_DIST);
  const server = await getServer();
  server.fixtures.set(QA_SHOP_PATH, QA_SHOP);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cookiegate-webdriver-'));
  // The harness's flags; every host but the test shop's fails to resolve.
  const args = [
    ...CHROMIUM_ARGS.filter((a) => !a.startsWith('--host-resolver-rules')),
    '--host-resolver-rules=MAP www.shop.test 127.0.0.1, MAP * ~NOTFOUND',
    `--user-data-dir=${profile}`,
    '--disable-dev-shm-usage',
  ];
  const driver = await startChromium(args);
  try {
    await use(driver, (await siteOrigin()) + QA_SHOP_PATH);
  } finally {
    await driver.quit();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

test('QA: the WebDriver example (selenium-webdriver, getShadowRoot) grants Google Analytics only', async () => {
  await withChromium(async (driver, shopUrl) => {
    const record = await allowOnlyGoogleAnalytics(driver, shopUrl);
    assert.equal(record.method, 'custom');
    assert.equal(record.services['google-analytics'], true);
    assert.equal(record.services['yandex-metrica'], false);
    assert.equal(record.categories.analytics, true);
    assert.equal(record.categories.marketing, false);
    await driver.wait(() => driver.executeScript('return (window.__ran || []).length > 0'), 5000);
    assert.deepEqual(await driver.executeScript('return window.__ran'), ['google-analytics']);
    // The banner is gone, the re-open control is there.
    const root = await driver.findElement(By.css('[data-cookiegate="root"]')).getShadowRoot();
    const shown = async (hook) => (await root.findElement(By.css(`[data-cookiegate="${hook}"]`))).isDisplayed();
    assert.equal(await shown('banner'), false);
    assert.equal(await shown('reopen'), true);
  });
});

test('QA: WebDriver with consent preset as the README says (a page of the origin, localStorage, then the shop): no banner', async () => {
  const { revision } = catalogue();
  const record = JSON.stringify({
    id: 'qa-preset',
    timestamp: new Date().toISOString(),
    revision,
    method: 'custom',
    gpc: false,
    categories: { analytics: true },
    services: { 'google-analytics': true },
  });
  await withChromium(async (driver, shopUrl) => {
    await driver.get(new URL('/robots.txt', shopUrl).href); // any URL of the shop's origin
    await driver.executeScript("localStorage.setItem('cookiegate', arguments[0])", record);
    await driver.get(shopUrl);
    await driver.executeAsyncScript('const done = arguments[0]; window.cookiegate.ready.then(() => done(), () => done())');
    const root = await driver.findElement(By.css('[data-cookiegate="root"]')).getShadowRoot();
    assert.equal(await (await root.findElement(By.css('[data-cookiegate="banner"]'))).isDisplayed(), false);
    await driver.wait(() => driver.executeScript('return (window.__ran || []).length > 0'), 5000);
    assert.deepEqual(await driver.executeScript('return window.__ran'), ['google-analytics']);
  });
});
