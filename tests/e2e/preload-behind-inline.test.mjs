// A returning visitor: an inline held script waits for the external scripts
// before it, but the external scripts queued behind it that the choice
// grants are fetched meanwhile (a nonce'd <link rel=preload as=script>), and
// everything still runs in document order. Nothing refused is fetched.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookiegateReady, describeRequests } from './harness.mjs';

const getBrowser = sharedBrowser();

const PAGE = '/__test/preload-behind-inline.html';
const SLOW = 'https://www.googletagmanager.com/gtag/js?id=G-SLOW';
const SLOW_MS = 1500;

/** Each held script pushes its name to window.__order when it runs. */
const SCRIPTS = {
  gtag: SLOW,
  tag: 'https://mc.yandex.ru/metrika/tag.js',
  fbevents: 'https://connect.facebook.net/en_US/fbevents.js',
  uwt: 'https://static.ads-twitter.com/uwt.js',
};

const FIXTURE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<script src="/cookiegate/cookiegate.js" data-catalogue="/cookiegate/catalogue.json" nonce="{{nonce}}"></script>
<title>Held scripts around an inline one</title>
<script type="text/plain" data-category="analytics" data-service="google-analytics" data-src="${SCRIPTS.gtag}"></script>
<script type="text/plain" data-category="analytics" data-service="google-analytics" nonce="{{nonce}}">window.__order.push('inline-config')</script>
<script type="text/plain" data-category="analytics" data-service="yandex-metrica" data-src="${SCRIPTS.tag}"></script>
<script type="text/plain" data-category="marketing" data-service="facebook" data-src="${SCRIPTS.fbevents}"></script>
<script type="text/plain" data-category="marketing" data-service="facebook" nonce="{{nonce}}">window.__order.push('inline-fb')</script>
<script type="text/plain" data-category="marketing" data-service="twitter" data-src="${SCRIPTS.uwt}"></script>
</head>
<body><main><h1>Checkout</h1></main></body>
</html>
`;

const ALL_ORDER = ['gtag', 'inline-config', 'tag', 'fbevents', 'inline-fb', 'uwt'];

/**
 * Opens the fixture, stores `choose` (run in the page), reloads with the
 * first script slowed down, and returns what the second load did.
 */
async function returningVisit(choose, o = {}) {
  const p = await newPage(getBrowser(), PAGE, {
    fixtures: { [PAGE]: FIXTURE },
    initScript: () => {
      window.__order = [];
    },
    ...o,
  });
  const { page } = p;
  let slow = false;
  let released = Infinity;
  const fetched = [];
  await page.route(/^https:\/\/(www\.googletagmanager\.com|mc\.yandex\.ru|connect\.facebook\.net|static\.ads-twitter\.com)\//, async (route) => {
    const url = route.request().url();
    const name = Object.keys(SCRIPTS).find((k) => SCRIPTS[k] === url);
    if (!name) return route.fallback();
    fetched.push({ name, at: Date.now() });
    if (url === SLOW && slow) {
      await new Promise((r) => setTimeout(r, SLOW_MS));
      released = Date.now();
    }
    return route.fulfill({
      status: 200,
      headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Access-Control-Allow-Origin': '*' },
      body: `window.__order.push(${JSON.stringify(name)});`,
    });
  });
  await cookiegateReady(page);
  await page.evaluate(choose);
  await page.waitForFunction(() => window.__order.includes('tag'));
  slow = true;
  fetched.length = 0;
  p.consoleMessages.length = 0;
  await page.reload({ waitUntil: 'load' });
  await cookiegateReady(page);
  return { ...p, fetched, releasedAt: () => released };
}

const preloadLinks = (page) =>
  page.evaluate(() => [...document.querySelectorAll('link[rel=preload]')].map((l) => l.href));

const unusedPreloadWarnings = (consoleMessages) =>
  consoleMessages.filter((m) => /preloaded using link preload but not used/i.test(m.text));

for (const csp of [undefined, 'strict', 'tt']) {
  test(`accept all, returning (${csp ?? 'no CSP'}): the scripts behind the waiting inline one are requested before the slow one arrives, and all run in document order`, async () => {
    const p = await returningVisit(() => window.cookiegate.acceptAll(), csp ? { csp } : {});
    const { page, context, fetched } = p;
    try {
      await page.waitForFunction((n) => window.__order.length >= n, ALL_ORDER.length, { timeout: 10_000 });
      const released = p.releasedAt();
      assert.ok(Number.isFinite(released), 'the slow script was asked for and answered');
      for (const name of ['tag', 'fbevents', 'uwt']) {
        const asked = fetched.filter((f) => f.name === name);
        assert.equal(asked.length, 1, `${name} fetched once (the preload is reused): ${JSON.stringify(fetched)}`);
        assert.ok(asked[0].at < released, `${name} requested ${released - asked[0].at} ms before the slow gtag.js arrived`);
      }
      assert.deepEqual(await page.evaluate(() => window.__order), ALL_ORDER, 'document order');
      // Past the window the browser gives a preload to be used.
      await page.waitForTimeout(3500);
      assert.deepEqual(await page.evaluate(() => window.__order), ALL_ORDER, 'each ran once');
      assert.deepEqual(await preloadLinks(page), [], 'the preload links are gone once the scripts are in');
      assert.deepEqual(unusedPreloadWarnings(p.consoleMessages), [], 'no unused-preload warning');
      assert.deepEqual(await p.cspViolations(), [], 'no CSP violation');
      assert.deepEqual(p.pageErrors.map(String), []);
    } finally {
      await context.close();
    }
  });
}

test('analytics only, returning (strict CSP): the refused marketing scripts are neither preloaded nor run; the granted one is fetched early', async () => {
  const p = await returningVisit(() => window.cookiegate.accept(['analytics']), { csp: 'strict' });
  const { page, context, fetched, requests } = p;
  try {
    await page.waitForFunction(() => window.__order.length >= 3, null, { timeout: 10_000 });
    const released = p.releasedAt();
    const tag = fetched.find((f) => f.name === 'tag');
    assert.ok(tag && tag.at < released, `the granted tag.js was requested before the slow script arrived: ${JSON.stringify(fetched)}`);
    assert.deepEqual(await page.evaluate(() => window.__order), ['gtag', 'inline-config', 'tag']);
    await page.waitForTimeout(500);
    assert.deepEqual(await page.evaluate(() => window.__order), ['gtag', 'inline-config', 'tag'], 'nothing refused ran');
    const marketing = requests.filter((r) => /facebook\.net|ads-twitter\.com/.test(r.url));
    assert.deepEqual(marketing, [], `nothing requested for the refused services:\n  ${describeRequests(marketing)}`);
    assert.deepEqual(await preloadLinks(page), []);
    assert.deepEqual(await p.cspViolations(), []);
  } finally {
    await context.close();
  }
});

test('a withdrawal while the inline script waits: the withdrawn scripts lose their preload and never run; the kept ones still do', async () => {
  const p = await returningVisit(() => window.cookiegate.acceptAll(), { csp: 'tt' });
  const { page, context, fetched } = p;
  try {
    await page.waitForFunction(() => document.querySelectorAll('link[rel=preload][as=script]').length === 3);
    assert.ok(!Number.isFinite(p.releasedAt()), 'the slow script is still on its way');
    await page.evaluate(() => window.cookiegate.accept(['analytics']));
    const left = await page.evaluate(() => [...document.querySelectorAll('link')].map((l) => l.getAttribute('href')));
    assert.deepEqual(left, [SCRIPTS.tag], 'only the still granted script keeps its preload');
    await page.waitForFunction(() => window.__order.includes('tag'), null, { timeout: 10_000 });
    await page.waitForTimeout(500);
    assert.deepEqual(await page.evaluate(() => window.__order), ['gtag', 'inline-config', 'tag'], 'nothing withdrawn ran');
    for (const name of ['fbevents', 'uwt']) {
      assert.ok(fetched.filter((f) => f.name === name).length <= 1, `${name}: only its preload, no script`);
    }
    assert.deepEqual(await preloadLinks(page), []);
    assert.deepEqual(await p.cspViolations(), []);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('control: the warning check sees an unused preload', async () => {
  const unused = 'https://mc.yandex.ru/metrika/tag.js';
  const p = await newPage(getBrowser(), '/__test/preload-unused.html', {
    fixtures: {
      '/__test/preload-unused.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unused</title><link rel="preload" as="script" href="${unused}"></head><body><p>x</p></body></html>`,
    },
  });
  try {
    await p.page.waitForTimeout(3500);
    assert.equal(unusedPreloadWarnings(p.consoleMessages).length, 1, JSON.stringify(p.consoleMessages));
  } finally {
    await p.context.close();
  }
});
