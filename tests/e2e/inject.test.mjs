// What tags inject (issue 11): a storefront that marks only Google Tag
// Manager (analytics) and lets its container inject every other vendor, as
// most shops do. An analytics-only visitor gets GTM and its GA4 tag, and
// nothing else the container asks for reaches the network — every request
// the browser attempts is recorded. Control: "Accept all" releases each
// held element (the same element, with its own onload), and on the next
// load every vector goes through. Under no CSP and the three CSP pages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookiegateReady, describeRequests } from './harness.mjs';
import { VECTORS, OWNER, tagPage, slowTail, matching, tagOutcomes, waitForContainer } from './fixtures/inject-helpers.mjs';

const getBrowser = sharedBrowser();

const ALL = ['script', 'ads', 'ga4', 'iframe', 'img', 'image', 'link', 'object', 'beacon', 'fetch', 'xhr', 'write'];
/** Elements the visitor's later grant releases on the same page. */
const ELEMENTS = ['script', 'ads', 'iframe', 'img', 'image', 'link', 'object', 'write', 'writeScript'];
/** Requests: refused now, they go through on a page where they are granted. */
const REQUESTS = ['beacon', 'fetch', 'xhr'];

const SEED = '/__inject/seed.html';
const SEED_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script src="/cookiegate/cookiegate.js" data-catalogue="/cookiegate/catalogue.json" nonce="{{nonce}}"></script>
<title>Choose</title></head><body><main><h1>Choose</h1></main></body></html>`;

for (const csp of [undefined, 'strict', 'allowlist', 'tt']) {
  const name = csp ?? 'no CSP';
  // <object> is refused by every CSP page's own object-src 'none'.
  const vectors = csp ? ALL.filter((v) => v !== 'object') : ALL;
  const held = [...vectors.filter((v) => v !== 'ga4'), 'writeScript', 'legacy', 'legacyScript'];

  test(`${name}: an analytics-only visitor keeps GTM and GA4; nothing else the container injects is requested until granted`, async (t) => {
    const browser = getBrowser();
    const path = `/__inject/tags-${csp ?? 'none'}.html`;
    const p = await newPage(browser, SEED, {
      csp,
      fixtures: { [SEED]: SEED_HTML, [path]: tagPage(vectors) },
    });
    const { page, context, requests } = p;
    try {
      await cookiegateReady(page);
      await page.evaluate(() => window.cookiegate.accept(['analytics']));
      await slowTail(context, page);

      // ---- the stored choice grants analytics only ----
      const target = p.url.replace(SEED, path);
      const start = requests.length;
      await page.goto(target, { waitUntil: 'load' });
      await cookiegateReady(page);
      await waitForContainer(page);
      await page.waitForTimeout(800);
      const seen = () => requests.slice(start);
      const outcome = await tagOutcomes(page);
      const asked = (v) => matching(seen(), VECTORS[v]);
      const list = () => describeRequests(seen().filter((r) => !r.url.includes('shop.test')));

      await t.test('GA4 on the host GTM shares with Ads loads (analytics is granted)', () => {
        assert.equal(asked('ga4').length, 1, list());
        assert.equal(outcome.ga4, 'loaded');
      });
      for (const v of held) {
        await t.test(`${v} (${OWNER[v]}): the browser attempted no request`, () => {
          assert.deepEqual(asked(v).map((r) => r.url), [], `requests so far:\n  ${list()}`);
        });
      }
      await t.test('script: the tag inserted it, its onload has not fired', () => {
        assert.equal(outcome.script, 'inserted');
        assert.equal(outcome.ads, 'inserted');
      });
      await t.test('fetch rejects with TypeError, XMLHttpRequest fires error (readyState 4, status 0), sendBeacon returns false', () => {
        assert.equal(outcome.fetch, 'rejected TypeError');
        assert.equal(outcome.xhr, 'error 4 0');
        assert.equal(outcome.beacon, 'false');
      });
      await t.test('document.write by the parser: the write is dropped, the console names whom it waits for, the page is whole', async () => {
        assert.equal(await page.locator('img[src*="via=legacy"], script[src*="via=legacy"]').count(), 0);
        assert.ok(await page.locator('#after-slow').count(), 'the rest of the page was parsed');
        const said = p.consoleMessages.filter((m) => m.type === 'warning' && /document\.write/.test(m.text));
        assert.equal(said.length, 1, JSON.stringify(p.consoleMessages));
        assert.match(said[0].text, /static\.ads-twitter\.com.*twitter and linkedin are not accepted/);
      });
      await t.test('document.write through GTM (innerHTML, fresh script): both wait in the page without a URL', async () => {
        assert.equal(outcome.write, 'inserted');
        assert.equal(await page.locator('#gtm-tags img:not([src])').count() >= 1, true);
      });
      assert.deepEqual(await p.cspViolations(), [], 'no CSP violation');

      // ---- "Accept all": each held element gets its URL, once ----
      const granted = requests.length;
      await page.evaluate(() => window.cookiegate.acceptAll());
      await page.waitForFunction(() => ['script', 'ads'].every((v) => window.__gtmTags[v] === 'loaded') && window.__gtmTags.write === 'script loaded', null, { timeout: 5000 });
      await page.waitForTimeout(500);
      const released = requests.slice(granted);
      for (const v of ELEMENTS.filter((x) => vectors.includes(x))) {
        await t.test(`control, ${v}: requested once after "Accept all"`, () => {
          assert.equal(matching(released, VECTORS[v]).length, 1, describeRequests(released));
        });
      }
      await t.test('control: the held scripts ran with their own onload (the same elements)', async () => {
        const ids = await page.evaluate(() => (window.__standins || []).map((s) => s.id));
        assert.ok(ids.includes('facebook') && ids.includes('google-ads'), ids.join());
      });
      assert.deepEqual(await p.cspViolations(), [], 'no CSP violation after the grant');

      // ---- next load, everything granted: every vector goes through ----
      const again = requests.length;
      await page.reload({ waitUntil: 'load' });
      await cookiegateReady(page);
      await waitForContainer(page);
      await page.waitForFunction(() => /^answered/.test(window.__gtmTags.fetch) && /^load/.test(window.__gtmTags.xhr), null, { timeout: 5000 });
      await page.waitForTimeout(500);
      const all = requests.slice(again);
      const done = await tagOutcomes(page);
      for (const v of [...REQUESTS, 'legacy', 'legacyScript']) {
        await t.test(`control, ${v}: goes through once granted`, () => {
          assert.equal(matching(all, VECTORS[v]).length, 1, describeRequests(all));
        });
      }
      await t.test('control: fetch answers, XMLHttpRequest loads, sendBeacon returns true', () => {
        assert.equal(done.fetch, 'answered opaque');
        assert.equal(done.xhr, 'load 200');
        assert.equal(done.beacon, 'true');
      });
      // A script document.write writes is parser-inserted: under 'strict-dynamic'
      // the page's own CSP refuses it without a nonce (whatever cookiegate does).
      const violations = (await p.cspViolations()).filter((v) => !(csp !== 'allowlist' && VECTORS.legacyScript.test(v.blockedURI)));
      assert.deepEqual(violations, [], 'no other CSP violation on the granted load');
      assert.deepEqual(p.pageErrors.map(String), [], 'no uncaught errors');
    } finally {
      await context.close();
    }
  });
}
