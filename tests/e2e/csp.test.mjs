// Content-Security-Policy and Trusted Types (standards §7, CSP-01..06) on
// /real.html, and the scripts a catalogue service asks cookiegate to inject.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  sharedBrowser,
  newPage,
  cookiegateReady,
  trackerRequests,
  describeRequests,
  loadedStandIns,
  DIST,
} from './harness.mjs';
import { ALL_STAND_INS, hook, bannerButton, waitForStandIns } from './fixtures/gate-helpers.mjs';

const getBrowser = sharedBrowser();

/** Under `csp`: the banner works, Accept all runs everything, no violation. */
async function acceptAllUnder(csp) {
  const p = await newPage(getBrowser(), '/real.html', { csp });
  const { page, responses, requests } = p;
  const doc = responses.find((r) => r.url.includes('/real.html'));
  assert.ok(doc?.headers['content-security-policy'], `the page was served with a CSP (${csp})`);
  await cookiegateReady(page);
  await page.locator(hook('banner')).waitFor({ state: 'visible' });
  assert.deepEqual(trackerRequests(requests), [], 'nothing before a choice');
  await bannerButton(page, 'accept-all').click();
  await waitForStandIns(page, ALL_STAND_INS).catch(async (e) => {
    throw new Error(`${e.message}\nCSP violations: ${JSON.stringify(await p.cspViolations())}\nrequests:\n  ${describeRequests(trackerRequests(requests))}`);
  });
  // The inline parts ran too (each needs the nonce, or a policy under TT).
  await page.waitForFunction(() => window.ym?.calls?.length === 1 && window._linkedin_partner_id === '1000001' && window.__lc?.license === 12345678);
  await page.waitForTimeout(300);
  assert.deepEqual(await p.cspViolations(), [], `no CSP violation under ${csp}`);
  assert.deepEqual(p.pageErrors.map(String), [], 'no uncaught errors');
  assert.equal((await loadedStandIns(page)).length, ALL_STAND_INS.length, 'each tracker ran once');
  return p;
}

test("CSP strict (nonce + 'strict-dynamic' + 'wasm-unsafe-eval'): Accept all activates every script, no violation", async () => {
  const { context, responses } = await acceptAllUnder('strict');
  try {
    const policy = responses.find((r) => r.url.includes('/real.html')).headers['content-security-policy'];
    assert.match(policy, /'strict-dynamic'/);
    assert.doesNotMatch(policy, /unsafe-inline|'unsafe-eval'/);
  } finally {
    await context.close();
  }
});

test('CSP allowlist (nonce + hosts, no strict-dynamic): cookiegate copies the nonce to what it activates', async () => {
  const { page, context, responses } = await acceptAllUnder('allowlist');
  try {
    const policy = responses.find((r) => r.url.includes('/real.html')).headers['content-security-policy'];
    assert.doesNotMatch(policy, /strict-dynamic/);
    const activated = await page.evaluate(() =>
      [...document.querySelectorAll('script[data-cookiegate-activated]')].map((s) => ({
        src: s.src || '(inline)',
        nonce: s.nonce, // the property: the attribute reads back empty (nonce hiding)
      })),
    );
    assert.ok(activated.length >= 14, `the activated scripts are in the page (${activated.length})`);
    assert.deepEqual(activated.filter((s) => !s.nonce), [], 'every activated script carries the nonce');
  } finally {
    await context.close();
  }
});

test("Trusted Types (require-trusted-types-for 'script'): Accept all works through the cookiegate policy", async () => {
  const { page, context } = await acceptAllUnder('tt');
  try {
    assert.equal(await page.evaluate(() => typeof window.trustedTypes?.createPolicy), 'function', 'the browser enforces Trusted Types');
    // Nobody else can use cookiegate's policy to run a script of their own.
    const smuggled = await page.evaluate(() => {
      const s = document.createElement('script');
      try {
        s.text = 'window.__smuggled = true';
        document.head.append(s);
      } catch (e) {
        return 'refused: ' + e.name;
      }
      return window.__smuggled ? 'ran' : 'did not run';
    });
    assert.notEqual(smuggled, 'ran', 'a plain string still cannot become a script');
  } finally {
    await context.close();
  }
});

// ---------- scripts a catalogue service lists (contract §2, CSP-03/04) ----------

const STUB = 'window.__exampleRuns = (window.__exampleRuns || 0) + 1;\n';
const STUB_URL = 'https://cdn.example-tracker.com/t.js';
const INTEGRITY = 'sha384-' + crypto.createHash('sha384').update(STUB).digest('base64');

function inlineCataloguePage() {
  const catalogue = JSON.parse(fs.readFileSync(path.join(DIST, 'catalogue.json'), 'utf8'));
  const model = catalogue.services.find((s) => s.id === 'google-customer-reviews');
  catalogue.services.push({
    ...model,
    id: 'example-tracker',
    name: 'Example Tracker',
    category: 'analytics',
    hosts: ['cdn.example-tracker.com'],
    scripts: [{ src: STUB_URL, integrity: INTEGRITY, async: true }],
    cookies: [],
  });
  const json = JSON.stringify(catalogue).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<script src="/cookiegate/cookiegate.js" nonce="{{nonce}}"></script>
<title>Inline catalogue with a service script</title>
</head>
<body>
<main><h1>Inline catalogue</h1><p>cookiegate injects the Example Tracker's script on consent.</p></main>
<script type="application/json" id="cookiegate-catalogue">${json}</script>
</body>
</html>`;
}

test('a catalogue service script: not before consent, injected once on a grant (not again), with integrity + crossorigin', async () => {
  const browser = getBrowser();
  const fixture = '/__test/gate-catalogue-scripts.html';
  const p = await newPage(browser, fixture, { goto: false, csp: 'strict', fixtures: { [fixture]: inlineCataloguePage() } });
  const { page, context, requests, url } = p;
  try {
    let served = 0;
    await context.route(STUB_URL, (route) => {
      served++;
      return route.fulfill({
        status: 200,
        headers: { 'Content-Type': 'text/javascript', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' },
        body: STUB,
      });
    });
    await page.goto(url, { waitUntil: 'load' });
    await cookiegateReady(page);
    await page.locator(hook('banner')).waitFor({ state: 'visible' });
    await page.waitForTimeout(300);
    const stubRequests = () => requests.filter((r) => r.url === STUB_URL);
    assert.equal(stubRequests().length, 0, 'not requested before consent');

    await page.evaluate(() => window.cookiegate.accept(['marketing']));
    await page.waitForTimeout(300);
    assert.equal(stubRequests().length, 0, 'not requested when only another category is granted');

    await page.evaluate(() => window.cookiegate.accept(['marketing', 'analytics']));
    await page.waitForFunction(() => window.__exampleRuns === 1, null, { timeout: 5000 });
    // A second grant that still allows it must not inject it again.
    await page.evaluate(() => window.cookiegate.acceptAll());
    await page.waitForTimeout(500);
    assert.equal(stubRequests().length, 1, 'requested exactly once');
    assert.equal(served, 1);
    assert.equal(await page.evaluate(() => window.__exampleRuns), 1, 'ran once (the integrity matched)');
    const el = await page.evaluate((src) => {
      const s = [...document.scripts].filter((x) => x.src === src);
      return s.map((x) => ({ integrity: x.getAttribute('integrity'), crossorigin: x.getAttribute('crossorigin'), nonce: x.nonce }));
    }, STUB_URL);
    assert.equal(el.length, 1, 'one element for it');
    assert.deepEqual(el[0], { integrity: INTEGRITY, crossorigin: 'anonymous', nonce: el[0].nonce });
    assert.ok(el[0].nonce, 'it carries the nonce');
    assert.deepEqual(await p.cspViolations(), []);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});
