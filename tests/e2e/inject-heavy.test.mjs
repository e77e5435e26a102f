// What tags inject, from the page's side: the shop's own code keeps working.
// A page that uses every intercepted API heavily for its own origin sees
// exactly what it sees without cookiegate (before a choice and after "Reject
// all"), and the demo's checkout still places an order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookiegateReady } from './harness.mjs';
import { bannerButton } from './fixtures/gate-helpers.mjs';
import { heavyPage, heavyRoutes } from './fixtures/heavy-page.mjs';

const getBrowser = sharedBrowser();

/** What the heavy page saw, with or without the bootstrap. */
async function heavyRun({ bootstrap, csp, rejectFirst = false }) {
  const path = `/__inject/heavy-${bootstrap ? 'cg' : 'bare'}.html`;
  const p = await newPage(getBrowser(), path, { goto: false, csp, fixtures: { [path]: heavyPage({ bootstrap }) } });
  const { page, context, url } = p;
  try {
    await heavyRoutes(context);
    if (rejectFirst) {
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      await cookiegateReady(page);
      await bannerButton(page, 'reject-all').click();
    }
    // Requests still open, for a failure message: what the page is waiting on.
    const open = new Set();
    page.on('request', (r) => open.add(r));
    page.on('requestfinished', (r) => open.delete(r));
    page.on('requestfailed', (r) => open.delete(r));
    // A failure says what the page was waiting on; its own probe gives up after 2 s (a stuck renderer).
    const explain = (what) => async (e) => {
      const state = await Promise.race([page.evaluate(() => document.readyState), new Promise((y) => setTimeout(y, 2000, 'no answer'))]).catch(String);
      throw new Error(`the heavy page ${what}: ${e.message}; readyState ${state}, still open: ${[...open].map((r) => r.url()).join(' ') || 'nothing'}`);
    };
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.__heavy, null, { timeout: 45_000 }).catch(explain('did not finish its work'));
    // The load event still fires (a shop's onload code runs), on a loaded machine within a minute.
    await page.waitForFunction(() => document.readyState === 'complete', null, { timeout: 60_000 }).catch(explain('never reached its load event'));
    const seen = await page.evaluate(() => window.__heavy);
    const said = p.consoleMessages.filter((m) => m.text.startsWith('cookiegate:') && !/^cookiegate: (the consent|no catalogue)/.test(m.text));
    return { seen, said: said.map((m) => m.text), errors: p.pageErrors.map(String), violations: await p.cspViolations() };
  } finally {
    await context.close();
  }
}

for (const csp of [undefined, 'strict']) {
  test(`${csp ?? 'no CSP'}: a page using fetch, XMLHttpRequest, sendBeacon, images, innerHTML, scripts, frames and document.write heavily sees the same with cookiegate`, async () => {
    const bare = await heavyRun({ bootstrap: false, csp });
    assert.equal(bare.seen.failed, undefined, bare.seen.failed);
    // The page's own view, checked once: this is what "working" means.
    assert.equal(bare.seen.fetchSum, 4950);
    assert.equal(bare.seen.images, 200);
    assert.deepEqual(bare.seen.scriptOrder, ['one', 'two', 'three']);
    assert.deepEqual(bare.seen.xhrEvents, ['rs1', 'rs2', 'rs3', 'rs4', 'load 200']);
    const first = await heavyRun({ bootstrap: true, csp });
    assert.deepEqual(first.seen, bare.seen, 'before a choice');
    const rejected = await heavyRun({ bootstrap: true, csp, rejectFirst: true });
    assert.deepEqual(rejected.seen, bare.seen, 'after "Reject all"');
    for (const run of [first, rejected]) {
      assert.deepEqual(run.errors, [], 'no uncaught errors');
      assert.deepEqual(run.violations, [], 'no CSP violation');
      assert.deepEqual(run.said, [], 'cookiegate held or refused nothing of the page');
    }
  });
}

test("the demo's checkout places an order after \"Reject all\", and its panel still reads the catalogue", async () => {
  const { page, context, pageErrors } = await newPage(getBrowser(), '/');
  try {
    await cookiegateReady(page);
    await bannerButton(page, 'reject-all').click();
    await page.locator('.add-to-cart').nth(0).click();
    await page.locator('.add-to-cart').nth(3).click();
    await page.locator('#checkout').click();
    await page.waitForFunction(() => /Order placed: FW-\d+, 2 items/.test(document.getElementById('checkout-status').textContent));
    assert.match(await page.locator('#cart-summary').innerText(), /empty/i);
    // The panel fetched the catalogue (the page's own fetch) and lists its services.
    await page.waitForFunction(() => /Google Tag Manager/.test(document.getElementById('standin-panel-body').textContent));
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});
