// Issue 10, class 6: what markup can hold besides `data-src`: `data-srcset`
// on images, `data-poster` on videos, `data-href` on links (preload hints),
// and module scripts marked `type="text/plain" data-type="module"`. Each is
// requested only after its service is granted, every URL in it on the
// service's hosts (a srcset with one candidate elsewhere is refused whole).
// (What cannot be held is listed in the README: "What markup cannot gate".)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookiegateReady } from './harness.mjs';
import { hook } from './fixtures/gate-helpers.mjs';
import { CSPS, realWith, assertNoAttempt, attempts, serveScript } from './fixtures/leak-helpers.mjs';

const getBrowser = sharedBrowser();

const HEAD = `<link rel="preload" as="image" data-href="https://www.facebook.com/tr?hold=preload" data-category="marketing" data-service="facebook">`;
const BODY = `<section id="held">
<img data-srcset="https://www.facebook.com/tr?hold=srcset-1x 1x, https://www.facebook.com/tr?hold=srcset-2x 2x" data-category="marketing" data-service="facebook" alt="">
<img data-srcset="https://www.facebook.com/tr?hold=mixed-1x 1x, https://evil.example/tr?hold=mixed-2x 2x" data-category="marketing" data-service="facebook" alt="">
<video data-poster="https://i.ytimg.com/vi/DEMO/hqdefault.jpg?hold=poster" data-category="social" data-service="youtube" width="320" height="180"></video>
<video data-poster="https://evil.example/poster.jpg?hold=poster-off" data-category="social" data-service="youtube" width="320" height="180"></video>
<script type="text/plain" data-type="module" data-category="marketing" data-service="facebook" data-src="https://connect.facebook.net/signals/hold-module.js"></script>
<script type="text/plain" data-type="module" data-category="marketing" data-service="facebook" nonce="{{nonce}}">window.__inlineModule = typeof import.meta;</script>
</section>`;
const PAGE = '/__leaks/holds.html';
const FIXTURES = { [PAGE]: realWith({ head: HEAD, body: BODY }) };

for (const csp of CSPS) {
  test(`csp=${csp}: data-srcset, data-poster, data-href and module scripts wait for their service`, async () => {
    const p = await newPage(getBrowser(), PAGE, { csp, goto: false, fixtures: FIXTURES });
    const { page, requests, context } = p;
    try {
      const module = await serveScript(context, 'https://connect.facebook.net/signals/hold-module.js', 'window.__holdModule = import.meta.url;');
      await page.goto(p.url, { waitUntil: 'load' });
      await cookiegateReady(page);
      await page.locator(hook('banner')).waitFor({ state: 'visible' });
      await page.waitForTimeout(300);
      assertNoAttempt(requests, /hold=|hold-module/, 'before a choice');
      await page.evaluate(() => window.cookiegate.accept(['analytics']));
      await page.waitForTimeout(500);
      assertNoAttempt(requests, /hold=|hold-module/, 'with only analytics granted');

      await page.evaluate(() => window.cookiegate.acceptAll());
      await page.waitForFunction(() => window.__holdModule && window.__inlineModule, null, { timeout: 10_000 });
      await page.waitForTimeout(500);
      for (const hold of ['srcset-1x', 'poster', 'preload']) {
        assert.ok(attempts(requests, new RegExp(`hold=${hold}\\b`)).length > 0, `${hold} is requested once granted`);
      }
      assert.equal(module.count, 1, 'the module script loaded once');
      assert.equal(await page.evaluate(() => window.__holdModule), 'https://connect.facebook.net/signals/hold-module.js', 'it ran as a module');
      assert.equal(await page.evaluate(() => window.__inlineModule), 'object', 'the inline module ran as a module');
      assertNoAttempt(requests, /hold=mixed|hold=poster-off/, 'a srcset or poster with a URL off its hosts');
      const held = await page.evaluate(() => [...document.querySelectorAll('#held img, #held video')].map((e) => e.getAttribute('srcset') ?? e.getAttribute('poster')));
      assert.deepEqual(held.map((v) => v !== null), [true, false, true, false]);
      assert.deepEqual(await p.cspViolations(), []);
      assert.deepEqual(p.pageErrors.map(String), []);
    } finally {
      await context.close();
    }
  });
}
