// Issue 10, class 4: granularity and timing. An element naming only a
// category runs when the whole category is granted; nothing queued runs
// after a withdrawal; the delayed re-clears follow the choice in force
// when they run; after a withdrawal Consent Mode says denied at once, a
// "Load this once" frame goes, and the page reloads promptly (the figure
// of what a running tracker still sent in between is printed).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookiegateReady, loadedStandIns } from './harness.mjs';
import { hook, bannerButton, waitForStandIns, youtubeIframe } from './fixtures/gate-helpers.mjs';
import { CSPS, realWith, assertNoAttempt, attempts, serveScript } from './fixtures/leak-helpers.mjs';

const getBrowser = sharedBrowser();

async function open(csp, pagePath, body) {
  const p = await newPage(getBrowser(), pagePath, { csp, goto: false, fixtures: { [pagePath]: realWith({ body }) } });
  return p;
}

async function go(p) {
  await p.page.goto(p.url, { waitUntil: 'load' });
  await cookiegateReady(p.page);
}

/** Sets the preferences switches (categories, then services) and saves. */
async function save(page, categories, services = {}) {
  await page.evaluate(() => window.cookiegate.showPreferences());
  const dialog = page.locator(hook('preferences-dialog'));
  await dialog.waitFor({ state: 'visible' });
  for (const [id, on] of Object.entries(categories)) await dialog.locator(`input[data-cookiegate-category="${id}"]`).setChecked(on);
  // Each category's service list opens on its toggle.
  for (const toggle of await dialog.locator('[data-cookiegate-services]').all()) {
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }
  for (const [id, on] of Object.entries(services)) await dialog.locator(`input[data-cookiegate-service="${id}"]`).setChecked(on);
  await dialog.locator(hook('save')).click();
}

const WHOLE = `<script type="text/plain" data-category="analytics" nonce="{{nonce}}">window.__whole = (window.__whole || []).concat('analytics'); new Image().src = 'https://www.google-analytics.com/g/collect?whole=analytics';</script>
<img data-src="https://www.facebook.com/tr?whole=marketing" data-category="marketing" alt="">`;

const QUEUED = `<script type="text/plain" data-category="analytics" data-service="google-analytics" data-src="https://www.google-analytics.com/slow/lib.js"></script>
<script type="text/plain" data-category="analytics" data-service="google-analytics" nonce="{{nonce}}">window.__queued = 1; new Image().src = 'https://www.google-analytics.com/g/collect?queued=1';</script>`;

// A tracker that keeps sending while it runs, as real ones do.
const CHATTY = `<script type="text/plain" data-category="analytics" data-service="google-analytics" data-src="https://www.google-analytics.com/chatty.js"></script>`;
const CHATTY_JS = "let n = 0; setInterval(() => { new Image().src = 'https://www.google-analytics.com/g/collect?chatty=' + (++n); }, 50);";

for (const csp of CSPS) {
  test(`csp=${csp}: an element naming only a category runs when the whole category is granted`, async () => {
    const p = await open(csp, '/__leaks/whole.html', WHOLE);
    try {
      await go(p);
      // Analytics and marketing on, but Google Analytics and Facebook off.
      await save(p.page, { analytics: true, marketing: true }, { 'google-analytics': false, facebook: false });
      await waitForStandIns(p.page, ['yandex-metrica', 'twitter']);
      await p.page.waitForTimeout(500);
      assertNoAttempt(p.requests, /whole=/, 'part of the category granted');
      assert.equal(await p.page.evaluate(() => typeof window.__whole), 'undefined');
      assert.ok(!(await loadedStandIns(p.page)).includes('google-analytics'), 'the switched-off service stays off');
      // Google's own tags read Consent Mode: analytics_storage follows Google
      // Analytics, not the other analytics services.
      const lastUpdate = () => p.page.evaluate(() => window.dataLayer.filter((e) => e[0] === 'consent' && e[1] === 'update').pop()[2]);
      assert.equal((await lastUpdate()).analytics_storage, 'denied', 'Google Analytics off: analytics_storage denied');
      assert.equal((await lastUpdate()).ad_storage, 'granted', 'Google Ads on: ad_storage granted');
      // Control: the whole of both categories.
      await save(p.page, {}, { 'google-analytics': true, facebook: true });
      await p.page.waitForFunction(() => window.__whole?.length === 1, null, { timeout: 5_000 });
      assert.equal((await lastUpdate()).analytics_storage, 'granted');
      await p.page.waitForTimeout(300);
      assert.equal(attempts(p.requests, /whole=marketing/).length, 1, 'the marketing image loads once the whole category is granted');
      assert.deepEqual(p.pageErrors.map(String), []);
    } finally {
      await p.context.close();
    }
  });

  test(`csp=${csp}: an inline script queued behind a slow one does not run after a withdrawal`, async () => {
    const p = await open(csp, '/__leaks/queued.html', QUEUED);
    try {
      const lib = { count: 0 };
      await p.context.route('https://www.google-analytics.com/slow/lib.js', (route) => {
        lib.count++;
        setTimeout(() => route.fulfill({ status: 200, contentType: 'text/javascript', body: 'window.__slowLib = 1;' }).catch(() => {}), 300);
      });
      await go(p);
      const reloaded = p.page.waitForEvent('framenavigated', { predicate: (f) => f === p.page.mainFrame(), timeout: 10_000 });
      // Granted, and withdrawn while the inline script waits for lib.js.
      await p.page.evaluate(() => {
        window.cookiegate.accept(['analytics']);
        window.cookiegate.rejectAll();
      });
      await reloaded;
      await p.page.waitForLoadState('load');
      await cookiegateReady(p.page);
      await p.page.waitForTimeout(600);
      assertNoAttempt(p.requests, /queued=1/, 'the queued inline script');
      assert.equal(await p.page.evaluate(() => window.cookiegate.getConsent()?.categories.analytics), false);
      // Control: granted and left alone, it runs after its library.
      await p.page.evaluate(() => window.cookiegate.accept(['analytics']));
      await p.page.waitForFunction(() => window.__queued === 1 && window.__slowLib === 1, null, { timeout: 5_000 });
      assert.ok(lib.count >= 1);
      assert.deepEqual(p.pageErrors.map(String), []);
    } finally {
      await p.context.close();
    }
  });

  test(`csp=${csp}: reject, then accept within 2 s: the delayed re-clears keep the accepted category's cookies`, async () => {
    const p = await open(csp, '/real.html', '');
    try {
      await go(p);
      await p.page.evaluate(() => {
        document.cookie = '_ga=planted; Path=/';
      });
      await bannerButton(p.page, 'reject-all').click();
      await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'reject-all');
      assert.ok(!(await p.page.evaluate(() => document.cookie)).includes('_ga='), 'Reject all clears _ga');
      await p.page.evaluate(() => window.cookiegate.accept(['analytics']));
      await waitForStandIns(p.page, ['google-analytics']);
      await p.page.waitForFunction(() => document.cookie.includes('_ga='), null, { timeout: 5_000 });
      // Past both delayed passes (+500 ms, +2.5 s after the refusal).
      await p.page.waitForTimeout(3_000);
      assert.ok((await p.page.evaluate(() => document.cookie)).includes('_ga='), '_ga is still there');
      assert.equal(await p.page.evaluate(() => window.cookiegate.getConsent()?.categories.analytics), true);
      assert.deepEqual(p.pageErrors.map(String), []);
    } finally {
      await p.context.close();
    }
  });

  test(`csp=${csp}: after a withdrawal Consent Mode says denied at once, a "Load this once" frame goes, the page reloads promptly`, async (t) => {
    const p = await open(csp, '/__leaks/chatty.html', CHATTY);
    try {
      const chatty = await serveScript(p.context, 'https://www.google-analytics.com/chatty.js', CHATTY_JS);
      await go(p);
      // "Load this once", then "Reject all": the frame is unloaded, no reload.
      await p.page.locator(`${hook('placeholder')} ${hook('load-once')}`).click();
      await p.page.waitForFunction(() => document.querySelector('iframe[data-service="youtube"]')?.src.includes('/embed/DEMO'));
      await bannerButton(p.page, 'reject-all').click();
      await p.page.waitForFunction(() => document.querySelector('iframe[data-service="youtube"]')?.getAttribute('src') === 'about:blank');
      await p.page.locator(hook('placeholder')).waitFor({ state: 'visible' });
      assert.equal(await youtubeIframe(p.page).isVisible(), false, 'the frame is hidden behind its placeholder again');
      const frameMark = p.requests.length;
      await p.page.waitForTimeout(300);
      assertNoAttempt(p.requests.slice(frameMark), /youtube/, 'after Reject all');
      assert.equal(await p.page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'no reload for a frame');

      // A running tracker, then a withdrawal.
      await p.page.evaluate(() => window.cookiegate.accept(['analytics']));
      await p.page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.includes('chatty=3')), null, { timeout: 5_000 });
      const reloaded = p.page.waitForEvent('framenavigated', { predicate: (f) => f === p.page.mainFrame(), timeout: 10_000 });
      const before = p.requests.length;
      const t0 = Date.now();
      const denied = await p.page.evaluate(() => {
        window.cookiegate.rejectAll();
        const u = window.dataLayer.filter((e) => e[0] === 'consent' && e[1] === 'update').pop();
        return u && u[2].analytics_storage;
      });
      assert.equal(denied, 'denied', 'the denied update is in the dataLayer as the withdrawal returns');
      await reloaded;
      // Committed: from here on every request is the new page's.
      const committed = p.requests.length;
      const elapsed = Date.now() - t0;
      await p.page.waitForLoadState('load');
      await cookiegateReady(p.page);
      await p.page.waitForTimeout(500);
      const between = attempts(p.requests.slice(before, committed), /chatty=/);
      t.diagnostic(`csp=${csp}: the running tracker sent ${between.length} more hit(s) in the ${elapsed} ms from the withdrawal to the reloaded page`);
      assertNoAttempt(p.requests.slice(committed), /chatty|collect/, 'after the reload');
      assert.equal(await p.page.evaluate(() => window.cookiegate.getConsent()?.categories.analytics), false);
      assert.equal(chatty.count, 1, 'the tracker script was not loaded again');
      assert.deepEqual(p.pageErrors.map(String), []);
    } finally {
      await p.context.close();
    }
  });
}
