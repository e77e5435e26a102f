// The pipeline end to end: the built dist/ is served, the bootstrap loads the
// WebAssembly module, the banner shows, and nothing reaches a tracker before
// the visitor chooses. Needs `./build.sh build` (dist/) and Chromium; when
// either is missing the tests FAIL with a message saying so (never skip).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedBrowser,
  newPage,
  trackerRequests,
  describeRequests,
  cookiegateReady,
  loadedStandIns,
  cookieNames,
} from './harness.mjs';

const getBrowser = sharedBrowser();

test('demo page: the .wasm is served as application/wasm and the banner shows', async () => {
  const { page, context, url, pageErrors } = await newPage(getBrowser(), '/', { goto: false });
  try {
    const wasmResponse = page.waitForResponse((r) => /\/cookiegate\/[^?#]*\.wasm(\?|$)/.test(r.url()), {
      timeout: 15_000,
    });
    await page.goto(url, { waitUntil: 'load' });
    const wasm = await wasmResponse.catch(() => {
      throw new Error('no .wasm under /cookiegate/ was requested within 15 s of loading /');
    });
    assert.equal(wasm.status(), 200, `${wasm.url()} answered ${wasm.status()}`);
    assert.match(wasm.headers()['content-type'] ?? '', /^application\/wasm\b/, 'the .wasm must be served as application/wasm');

    const banner = page.locator('[data-cookiegate="banner"]');
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    assert.ok(await banner.isVisible(), 'the banner [data-cookiegate="banner"] is visible');
    assert.deepEqual(pageErrors.map(String), [], 'no uncaught errors on the page');
  } finally {
    await context.close();
  }
});

test('real tracker URLs: no request reaches a tracker host before a choice', async () => {
  const { page, context, requests, pageErrors } = await newPage(getBrowser(), '/real.html');
  try {
    await cookiegateReady(page, { settleMs: 500 });
    const early = trackerRequests(requests);
    assert.equal(early.length, 0, `tracker requests before any choice:\n  ${describeRequests(early)}`);
    assert.deepEqual(await loadedStandIns(page), [], 'no tracker script ran before a choice');
    const trackerCookies = (await cookieNames(page)).filter((n) =>
      /^(_ga|_gcl_|_ym_|_fbp|_fbc|_twclid|li_fat_id|__lc)/.test(n),
    );
    assert.deepEqual(trackerCookies, [], 'no tracker cookie before a choice');
    // The page's own function works with the banner up (the banner may be
    // modal, so use the DOM API rather than a pointer click).
    await page.evaluate(() => document.getElementById('checkout').click());
    assert.match(await page.textContent('#checkout-status'), /Order placed/);
    assert.deepEqual(pageErrors.map(String), [], 'no uncaught errors on the page');
  } finally {
    await context.close();
  }
});
