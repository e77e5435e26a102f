// Issue 10, class 2: cookiegate never raises the trust of markup. A product
// review lets some HTML through (an injection of held elements, as a
// sanitizer keeping `data-*` attributes would); cookiegate must not turn it
// into script execution or a request, under no CSP and the three CSP
// pages, before a choice, after "Load this once" and after "Accept all".
// Control: the page's own, properly marked elements all run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookiegateReady, loadedStandIns, describeRequests } from './harness.mjs';
import { ALL_STAND_INS, hook, bannerButton, waitForStandIns, youtubeIframe } from './fixtures/gate-helpers.mjs';
import { cookiegateComplaints } from './fixtures/hostile-common.mjs';
import { CSPS, realWith, assertNoAttempt, attempts, PAGE_NONCE } from './fixtures/leak-helpers.mjs';

const getBrowser = sharedBrowser();

const mark = (name) => `window.__pwned = (window.__pwned || []).concat('${name}')`;
// Each vector's URL carries `pwned`: any attempt to load one is the leak.
const REVIEW = `<div class="review" id="review">
<p>Great transceiver!</p>
<script type="text/plain" data-category="necessary">${mark('inline-necessary')}; new Image().src = 'https://www.facebook.com/tr?pwned=inline-necessary';</script>
<script type="text/plain" data-category="analytics" data-service="google-analytics">${mark('inline-analytics')}; new Image().src = 'https://www.google-analytics.com/g/collect?pwned=inline-analytics';</script>
<script type="text/plain" data-category="necessary" data-src="https://connect.facebook.net/en_US/fbevents.js?pwned=ext-necessary"></script>
<script type="text/plain" data-category="analytics" data-service="google-analytics" data-src="https://connect.facebook.net/en_US/fbevents.js?pwned=ext-off-hosts"></script>
<script type="text/plain" data-category="analytics" data-src="https://snap.licdn.com/li.lms-analytics/insight.min.js?pwned=ext-category"></script>
<script type="text/plain" data-category="analytics" data-service="google-analytics" src="https://connect.facebook.net/en_US/fbevents.js?pwned=ext-src"></script>
<iframe data-src="https://www.youtube-nocookie.com.evil.test/embed/pwned-frame" data-category="social" data-service="youtube" title="review video"></iframe>
<img data-src="https://www.facebook.com/tr?pwned=onload" data-category="marketing" data-service="facebook" onload="${mark('onload')}" alt="">
<img data-src="https://px.ads.linkedin.com/collect?pwned=img-category" data-category="analytics" alt="">
<img data-src="https://www.facebook.com/tr?pwned=img-necessary" data-category="necessary" alt="">
</div>`;
const VECTORS = 10;
const PAGE = '/__leaks/trust.html';
const FIXTURES = { [PAGE]: realWith({ body: REVIEW }) };

for (const csp of CSPS) {
  test(`csp=${csp}: injected held markup never runs or loads; the page's own marked elements do`, async () => {
    const p = await newPage(getBrowser(), PAGE, { csp, fixtures: FIXTURES });
    const { page, requests, context } = p;
    try {
      await cookiegateReady(page);
      await page.locator(hook('banner')).waitFor({ state: 'visible' });
      await page.waitForTimeout(300);
      assertNoAttempt(requests, /pwned/, 'before a choice');
      // Under a CSP the injected onload attribute is reported as the parser
      // meets it; cookiegate's own work must add none.
      const parsed = (await p.cspViolations()).length;
      // Only the page's own video offers "Load this once": the injected
      // frames would be refused, so they get no placeholder to click.
      assert.equal(await page.locator(hook('placeholder')).count(), 1, 'one placeholder');
      await page.locator(`${hook('placeholder')} ${hook('load-once')}`).click();
      await page.waitForFunction(() => document.querySelector('iframe[data-service="youtube"]')?.src.includes('/embed/DEMO'));
      await page.waitForTimeout(300);
      assertNoAttempt(requests, /pwned/, 'after "Load this once"');

      await bannerButton(page, 'accept-all').click();
      await waitForStandIns(page, ALL_STAND_INS);
      await page.waitForFunction(() => window.ym?.calls?.length === 1 && window._linkedin_partner_id === '1000001' && window.__lc?.license === 12345678);
      await page.waitForTimeout(500);
      assertNoAttempt(requests, /pwned/, 'after "Accept all"');
      assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined', 'no injected code ran');
      assert.equal((await loadedStandIns(page)).length, ALL_STAND_INS.length, 'every marked tracker of the page ran once');
      assert.match((await youtubeIframe(page).first().getAttribute('src')) ?? '', /youtube-nocookie\.com\/embed\/DEMO$/);
      const still = await page.evaluate(() =>
        [...document.querySelectorAll('#review script, #review iframe, #review img')].map((e) => e.getAttribute('type') ?? e.getAttribute('src')),
      );
      assert.deepEqual(still, ['text/plain', 'text/plain', 'text/plain', 'text/plain', 'text/plain', 'text/plain', null, null, null, null], 'the injected elements are still held');
      const warned = cookiegateComplaints(p.consoleMessages).filter((m) => m.text.includes('stays blocked'));
      assert.equal(warned.length, VECTORS, `one warning per injected element:\n${warned.map((m) => m.text).join('\n')}`);

      // The page's own code adds held inline scripts later: with the nonce
      // it runs, without it (as injected markup would be) it does not.
      // (Under this Trusted Types policy the page may not write script text
      // at all: it would need a policy of its own.)
      if (csp !== 'tt') await page.evaluate((nonce) => {
        for (const [id, withNonce] of [['late-own', true], ['late-injected', false]]) {
          const s = document.createElement('script');
          s.type = 'text/plain';
          if (withNonce) s.nonce = nonce;
          s.setAttribute('data-category', 'analytics');
          s.textContent = `window.__late = (window.__late || []).concat('${id}')`;
          document.body.append(s);
        }
      }, await page.evaluate(PAGE_NONCE));
      if (csp !== 'tt') {
        await page.waitForFunction(() => window.__late?.length === 1);
        await page.waitForTimeout(200);
        assert.deepEqual(await page.evaluate(() => window.__late), ['late-own']);
      }
      assert.deepEqual((await p.cspViolations()).slice(parsed), [], 'no CSP violation: nothing refused was even tried');
      assert.deepEqual(p.pageErrors.map(String), []);
      const tried = attempts(requests, /pwned/);
      assert.equal(tried.length, 0, describeRequests(tried));
    } finally {
      await context.close();
    }
  });
}
