// Issue 7, browser side: hostile page markup (unknown ids, elements marked
// or inserted twice, scripts removed before activation) and strict
// policies (CSP with 'strict-dynamic', Trusted Types).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, trackerRequests, loadedStandIns } from './harness.mjs';
import { REAL_HTML } from './fixtures/leak-helpers.mjs';
import { assertNothingGatedLoaded, assertCheckoutWorks, cookiegateComplaints, readyOutcome, banner } from './fixtures/hostile-common.mjs';

const getBrowser = sharedBrowser();

/** real.html with `extra` markup before </main>, served at `pagePath`. */
function fixture(pagePath, extra) {
  return { [pagePath]: REAL_HTML.replace('</main>', extra + '\n</main>') };
}

const acceptAll = async (page) => {
  await banner(page).locator('[data-cookiegate="accept-all"]').click();
  await page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'accept-all', null, { timeout: 5_000 });
  await page.waitForFunction(() => (window.__standins || []).length >= 5, null, { timeout: 5_000 });
};

test('unknown category or service on a blocked element: stays blocked, a warning names the element', async () => {
  const pagePath = '/__hostile/unknown-ids.html';
  const extra = `
<script type="text/plain" data-category="analytcs" data-service="google-analytics" nonce="{{nonce}}">window.__ranUnknownCategory = 1;</script>
<script type="text/plain" data-category="analytics" data-service="no-such-service" nonce="{{nonce}}">window.__ranUnknownService = 1;</script>
<iframe data-src="https://www.youtube.com/embed/UNKNOWN" data-category="videos" data-service="youtube" title="unknown"></iframe>`;
  const p = await newPage(getBrowser(), pagePath, { fixtures: fixture(pagePath, extra) });
  try {
    assert.equal(await readyOutcome(p.page), 'resolved');
    await acceptAll(p.page);
    await p.page.waitForTimeout(300);
    const ran = await p.page.evaluate(() => [typeof window.__ranUnknownCategory, typeof window.__ranUnknownService]);
    assert.deepEqual(ran, ['undefined', 'undefined'], 'elements with unknown ids never run, even after accept-all');
    assert.equal(await p.page.evaluate(() => document.querySelector('iframe[title="unknown"]').getAttribute('src')), null);
    assert.equal(p.requests.filter((r) => r.url.includes('UNKNOWN')).length, 0);
    const warnings = cookiegateComplaints(p.consoleMessages).map((m) => m.text);
    for (const needle of ['data-category="analytcs"', 'data-service="no-such-service"', 'data-category="videos"']) {
      const hits = warnings.filter((w) => w.includes(needle));
      assert.equal(hits.length, 1, `one warning names ${needle}:\n${warnings.join('\n')}`);
    }
    await assertCheckoutWorks(p.page);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('the same element inserted twice, or re-inserted after activation: it runs once', async () => {
  const pagePath = '/__hostile/twice.html';
  const p = await newPage(getBrowser(), pagePath, { fixtures: fixture(pagePath, '') });
  try {
    assert.equal(await readyOutcome(p.page), 'resolved');
    // Before a choice: one blocked script appended, then appended again
    // (moved), plus a blocked external script appended twice.
    await p.page.evaluate(() => {
      const s = document.createElement('script');
      s.type = 'text/plain';
      s.nonce = document.querySelector('script[src*="cookiegate.js"]').nonce;
      s.setAttribute('data-category', 'analytics');
      s.setAttribute('data-service', 'google-analytics');
      s.id = 'twice';
      s.textContent = 'window.__twice = (window.__twice || 0) + 1;';
      document.body.append(s);
      document.body.append(s);
      const ext = document.createElement('script');
      ext.type = 'text/plain';
      ext.setAttribute('data-category', 'analytics');
      ext.setAttribute('data-service', 'yandex-metrica');
      ext.setAttribute('data-src', 'https://mc.yandex.ru/metrika/tag.js?twice=1');
      document.body.append(ext);
      document.querySelector('main').append(ext);
    });
    await p.page.waitForTimeout(100);
    await acceptAll(p.page);
    await p.page.waitForFunction(() => window.__twice === 1, null, { timeout: 5_000 });
    // After activation: every activated script is removed and put back.
    await p.page.evaluate(() => {
      for (const s of [...document.querySelectorAll('script[data-category]')]) {
        const parent = s.parentNode;
        const next = s.nextSibling;
        s.remove();
        parent.insertBefore(s, next);
      }
    });
    await p.page.waitForTimeout(500);
    assert.equal(await p.page.evaluate(() => window.__twice), 1, 'the inline script ran once');
    assert.equal(p.requests.filter((r) => r.url.includes('tag.js?twice=1')).length, 1, 'the external one was fetched once');
    const standins = await loadedStandIns(p.page);
    const dupes = standins.filter((id, i) => standins.indexOf(id) !== i && id !== 'yandex-metrica');
    assert.deepEqual(dupes, [], `no stand-in ran twice: ${standins.join(', ')}`);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('a blocked script removed from the DOM before activation: skipped, no error', async () => {
  const pagePath = '/__hostile/removed.html';
  const extra = `<script type="text/plain" id="doomed" data-category="analytics" data-service="google-analytics" nonce="{{nonce}}">window.__doomedRan = 1;</script>
<script type="text/plain" id="doomed-ext" data-category="marketing" data-service="twitter" data-src="https://static.ads-twitter.com/uwt.js?doomed=1"></script>`;
  const p = await newPage(getBrowser(), pagePath, { fixtures: fixture(pagePath, extra) });
  try {
    assert.equal(await readyOutcome(p.page), 'resolved');
    await p.page.evaluate(() => {
      document.getElementById('doomed').remove();
      document.getElementById('doomed-ext').remove();
    });
    await acceptAll(p.page);
    await p.page.waitForTimeout(300);
    assert.equal(await p.page.evaluate(() => typeof window.__doomedRan), 'undefined');
    assert.equal(p.requests.filter((r) => r.url.includes('doomed=1')).length, 0);
    assert.deepEqual(cookiegateComplaints(p.consoleMessages).map((m) => m.text), []);
    assert.deepEqual(p.pageErrors.map(String), []);
    await assertCheckoutWorks(p.page);
  } finally {
    await p.context.close();
  }
});

for (const csp of ['strict', 'tt']) {
  test(`/real.html?csp=${csp}: banner works, accept activates trackers, no CSP violation, no console error`, async () => {
    const p = await newPage(getBrowser(), '/real.html', { csp });
    try {
      assert.equal(await readyOutcome(p.page), 'resolved');
      await banner(p.page).waitFor({ state: 'visible', timeout: 10_000 });
      await assertNothingGatedLoaded(p.page, p.requests);
      await acceptAll(p.page);
      await p.page.waitForTimeout(500);
      assert.ok(trackerRequests(p.requests).length > 0, 'accepting activates the trackers');
      assert.ok((await loadedStandIns(p.page)).includes('google-analytics') || (await loadedStandIns(p.page)).length >= 5);
      // Reopen the dialog too: its markup goes through the same sinks.
      await p.page.evaluate(() => window.cookiegate.showPreferences());
      await p.page.locator('[data-cookiegate="preferences-dialog"]').waitFor({ state: 'visible' });
      await assertCheckoutWorks(p.page);
      assert.deepEqual(await p.cspViolations(), [], 'no securitypolicyviolation');
      const errors = p.consoleMessages.filter((m) => m.type === 'error');
      const favicon = p.responses.some((r) => r.url.endsWith('/favicon.ico') && r.status === 404);
      const real = errors.filter((m) => !(favicon && /^Failed to load resource: .*404/.test(m.text)));
      assert.deepEqual(real.map((m) => m.text), [], 'no console errors');
      assert.deepEqual(p.pageErrors.map(String), []);
    } finally {
      await p.context.close();
    }
  });
}
