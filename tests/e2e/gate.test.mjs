// Issue 5, the gate end to end: scripts, iframes, images and cookies wait for
// consent on /real.html (the vendors' real URLs, routed to the stand-ins) and
// on the demo /. Each test opens a fresh browser context (a fresh profile).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedBrowser,
  openReady,
  newPage,
  trackerRequests,
  describeRequests,
  cookiegateReady,
  loadedStandIns,
  storageKeys,
} from './harness.mjs';
import {
  ALL_STAND_INS,
  hook,
  bannerButton,
  openPreferencesFromBanner,
  waitForStandIns,
  hostsOf,
  reloadAndWait,
  waitForReloadAfter,
  youtubeIframe,
} from './fixtures/gate-helpers.mjs';

const getBrowser = sharedBrowser();

const open = (path, o) => openReady(getBrowser(), path, o);

const ANALYTICS_HOSTS = ['www.googletagmanager.com', 'mc.yandex.ru', 'www.google-analytics.com'];
const NOT_ANALYTICS = /facebook|twitter|t\.co$|licdn|linkedin|apis\.google\.com|livechatinc|youtube|ytimg|doubleclick|googleadservices/;

test('no tracker request before a choice, after "Reject all", or after closing the preferences', async () => {
  const { page, context, requests, pageErrors } = await open('/real.html');
  try {
    await page.locator(hook('banner')).waitFor({ state: 'visible' });
    await page.waitForTimeout(300);
    assert.deepEqual(trackerRequests(requests), [], 'before a choice');

    // Preferences closed with Escape: no grant, the banner is back.
    await openPreferencesFromBanner(page);
    await page.keyboard.press('Escape');
    await page.locator(hook('preferences-dialog')).waitFor({ state: 'hidden' });
    await page.locator(hook('banner')).waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => window.cookiegate.getConsent()), null, 'Escape records no choice');

    // …and with the Close button.
    await openPreferencesFromBanner(page);
    await page.locator(`${hook('preferences-dialog')} ${hook('close')}`).click();
    await page.locator(hook('preferences-dialog')).waitFor({ state: 'hidden' });
    await page.locator(hook('banner')).waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => window.cookiegate.getConsent()), null, 'Close records no choice');
    await page.waitForTimeout(300);
    assert.deepEqual(trackerRequests(requests), [], `after Escape/Close:\n  ${describeRequests(trackerRequests(requests))}`);

    await bannerButton(page, 'reject-all').click();
    await page.locator(hook('banner')).waitFor({ state: 'hidden' });
    const record = await page.evaluate(() => window.cookiegate.getConsent());
    assert.equal(record?.method, 'reject-all');
    await page.waitForTimeout(500);
    assert.deepEqual(trackerRequests(requests), [], `after Reject all:\n  ${describeRequests(trackerRequests(requests))}`);
    assert.deepEqual((await loadedStandIns(page)).filter((id) => id !== 'cookieless-fallback'), []);
    assert.equal(await page.locator('iframe[data-service="youtube"]').getAttribute('src'), null);
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('a custom choice (analytics only) loads the analytics services and nothing else', async () => {
  const { page, context, requests, pageErrors } = await open('/real.html');
  try {
    const dialog = await openPreferencesFromBanner(page);
    for (const c of ['preferences', 'analytics', 'marketing', 'social']) {
      await dialog.locator(`input[data-cookiegate-category="${c}"]`).setChecked(c === 'analytics');
    }
    await dialog.locator(hook('save')).click();
    await waitForStandIns(page, ['google-tag-manager', 'google-analytics', 'yandex-metrica']);
    await page.waitForTimeout(500);

    const hosts = hostsOf(trackerRequests(requests));
    assert.deepEqual(hosts.filter((h) => !ANALYTICS_HOSTS.includes(h)), [], `only analytics hosts, got ${hosts}`);
    const urls = requests.map((r) => r.url);
    for (const want of ['googletagmanager.com/gtm.js?id=GTM-DEMO', 'googletagmanager.com/gtag/js?id=G-DEMO', 'mc.yandex.ru/metrika/tag.js']) {
      assert.ok(urls.some((u) => u.includes(want)), `${want} was requested`);
    }
    assert.ok(!urls.some((u) => u.includes('id=AW-DEMO')), 'the Google Ads tag (marketing) was not requested');
    assert.ok(!hosts.some((h) => NOT_ANALYTICS.test(h)), `no marketing/social/preferences host: ${hosts}`);
    // Marketing is refused, so the page's `!marketing` fallback runs too.
    assert.deepEqual((await loadedStandIns(page)).sort(), ['cookieless-fallback', 'google-analytics', 'google-tag-manager', 'yandex-metrica']);

    const state = await page.evaluate(() => ({
      analytics: window.cookiegate.acceptedCategory('analytics'),
      marketing: window.cookiegate.acceptedCategory('marketing'),
      social: window.cookiegate.acceptedCategory('social'),
      ga: window.cookiegate.acceptedService('google-analytics'),
      method: window.cookiegate.getConsent()?.method,
    }));
    assert.deepEqual(state, { analytics: true, marketing: false, social: false, ga: true, method: 'custom' });
    assert.equal(await youtubeIframe(page).getAttribute('src'), null, 'the YouTube iframe stays blocked');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('"Accept all" runs every tracker, and a reload restores it without the banner', async () => {
  const { page, context, requests, pageErrors } = await open('/real.html');
  try {
    const wanted = await page.evaluate(() => [...document.querySelectorAll('[data-src][data-category]:not([data-category^="!"])')].map((e) => e.getAttribute('data-src')));
    assert.ok(wanted.length >= 10, 'real.html holds its trackers blocked');
    await bannerButton(page, 'accept-all').click();
    await waitForStandIns(page, ALL_STAND_INS);
    await page.waitForTimeout(300);
    const urls = requests.map((r) => r.url);
    for (const src of wanted) assert.ok(urls.includes(new URL(src).href), `requested after Accept all: ${src}`);
    assert.equal((await loadedStandIns(page)).length, ALL_STAND_INS.length, 'each tracker ran once');
    assert.match((await youtubeIframe(page).getAttribute('src')) ?? '', /youtube-nocookie\.com\/embed\/DEMO/);

    const mark = requests.length;
    await reloadAndWait(page);
    await page.waitForTimeout(300);
    assert.equal(await page.locator(hook('banner')).isVisible(), false, 'no banner after a reload with a stored choice');
    assert.equal(await page.evaluate(() => window.cookiegate.getConsent()?.method), 'restored');
    await waitForStandIns(page, ALL_STAND_INS);
    const again = requests.slice(mark).map((r) => r.url);
    for (const src of wanted) assert.ok(again.includes(new URL(src).href), `requested again after the reload: ${src}`);
    assert.ok(await page.locator(hook('reopen')).isVisible(), 'the re-open control is shown');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('order: gtag config runs after gtag.js, the Yandex init after tag.js, the LinkedIn id before insight', async () => {
  const { page, context, pageErrors } = await open('/real.html', {
    initScript: () => {
      const order = (window.__order = []);
      addEventListener('standin:loaded', (e) => order.push('loaded:' + e.detail));
      window.dataLayer = window.dataLayer || [];
      // The page's inline gtag() calls go through this (the bootstrap keeps a
      // gtag it finds), so their moment is recorded.
      window.gtag = function () {
        order.push('gtag:' + arguments[0] + ':' + arguments[1]);
        window.dataLayer.push(arguments);
      };
    },
  });
  try {
    await bannerButton(page, 'accept-all').click();
    await waitForStandIns(page, ALL_STAND_INS);
    await page.waitForTimeout(300);
    const order = await page.evaluate(() => window.__order);
    const at = (x) => {
      const i = order.indexOf(x);
      assert.ok(i >= 0, `${x} happened: ${order.join(', ')}`);
      return i;
    };
    assert.ok(at('loaded:google-analytics') < at('gtag:config:G-DEMO'), `gtag.js before config: ${order}`);
    assert.ok(at('loaded:google-ads') < at('gtag:config:AW-DEMO'), `AW gtag.js before its config: ${order}`);
    const ym = await page.evaluate(() => window.ym?.calls?.map((c) => c[1]));
    assert.deepEqual(ym, ['init'], 'ym(…, "init") reached tag.js (it would throw if run first)');
    const li = await page.evaluate(() => window.__standins.find((s) => s.id === 'linkedin')?.partnerIds);
    assert.deepEqual(li, ['1000001'], 'insight.min.js saw the partner id the inline script set before it');
    assert.deepEqual(pageErrors.map(String), [], 'no inline script ran before its library');
  } finally {
    await context.close();
  }
});

test('late-added blocked script on /: stays blocked under reject, runs once when marketing is accepted later', async () => {
  const { page, context, requests, pageErrors } = await open('/');
  try {
    await bannerButton(page, 'reject-all').click();
    await page.locator('#load-reviews').click();
    await page.waitForTimeout(500);
    const reviews = () => requests.filter((r) => r.url.includes('/stand-ins/platform.js'));
    assert.equal(reviews().length, 0, 'the late reviews script is not requested under reject');
    assert.ok(!(await loadedStandIns(page)).includes('google-customer-reviews'));

    await page.evaluate(() => window.cookiegate.accept(['marketing']));
    await waitForStandIns(page, ['google-customer-reviews']);
    await page.waitForTimeout(300);
    assert.equal(reviews().length, 1, 'requested once after marketing is accepted');
    assert.equal((await loadedStandIns(page)).filter((id) => id === 'google-customer-reviews').length, 1, 'ran once');

    // Accepted now: a script added later runs at once.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.type = 'text/plain';
      // Inline code a page adds runs only with the page's nonce.
      s.nonce = document.querySelector('script[src*="cookiegate.js"]').nonce;
      s.setAttribute('data-category', 'marketing');
      s.setAttribute('data-service', 'google-customer-reviews');
      s.textContent = "window.__lateRan = (window.__lateRan || 0) + 1;";
      document.body.append(s);
    });
    await page.waitForFunction(() => window.__lateRan === 1, null, { timeout: 5000 });
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.__lateRan), 1, 'the late inline script ran exactly once');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('iframe placeholder: "Load this once" loads only that iframe, only this time', async () => {
  const { page, context, requests, pageErrors } = await open('/real.html');
  try {
    const iframe = youtubeIframe(page);
    assert.equal(await iframe.getAttribute('src'), null, 'no src before consent');
    const ph = page.locator(hook('placeholder'));
    await ph.waitFor({ state: 'visible' });
    await ph.getByText(/YouTube/).first().waitFor({ state: 'visible' });
    assert.equal(await iframe.isVisible(), false, 'the iframe is hidden behind the placeholder');
    // The catalogue lists more than three YouTube cookies: the first three, then "…".
    assert.equal(await ph.locator('p.cg-note').first().textContent(),
      'Cookies and storage: YSC, VISITOR_INFO1_LIVE, VISITOR_PRIVACY_METADATA, …', 'the placeholder names what it would set');

    await ph.locator(hook('load-once')).click();
    await page.waitForFunction(() => document.querySelector('iframe[data-service="youtube"]')?.src.includes('youtube-nocookie.com'));
    await page.waitForTimeout(400);
    const hosts = hostsOf(trackerRequests(requests));
    assert.deepEqual(hosts, ['www.youtube-nocookie.com'], `only the video was requested: ${hosts}`);
    assert.equal(await ph.count(), 0, 'the placeholder is gone');
    assert.ok(await iframe.isVisible(), 'the iframe is shown');
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedService('youtube')), false, 'load once grants nothing');
    assert.equal(await page.evaluate(() => window.cookiegate.getConsent()), null, 'no choice was recorded');

    await reloadAndWait(page);
    assert.equal(await youtubeIframe(page).getAttribute('src'), null, 'blocked again after a reload');
    await page.locator(hook('placeholder')).waitFor({ state: 'visible' });
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('iframe placeholder: "Load this once" by keyboard hands focus to the frame it loaded', async () => {
  const { page, context, pageErrors } = await open('/real.html');
  try {
    const ph = page.locator(hook('placeholder'));
    await ph.waitFor({ state: 'visible' });
    const once = ph.locator(hook('load-once'));
    await once.focus();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-cookiegate')), 'placeholder',
      'control: focus starts on the placeholder');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('iframe[data-service="youtube"]')?.src.includes('youtube-nocookie.com'));
    assert.equal(await ph.count(), 0, 'the placeholder is gone');
    assert.equal(await page.evaluate(() => document.activeElement?.matches('iframe[data-service="youtube"]') ?? false), true,
      `focus is on the loaded frame, not lost to <${await page.evaluate(() => document.activeElement?.tagName)}>`);
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('iframe placeholder: "Always allow" grants YouTube and it persists across reloads', async () => {
  const { page, context, requests, pageErrors } = await open('/real.html');
  try {
    await page.locator(`${hook('placeholder')} ${hook('allow-service')}`).click();
    await page.waitForFunction(() => document.querySelector('iframe[data-service="youtube"]')?.src.includes('youtube-nocookie.com'));
    const record = await page.evaluate(() => window.cookiegate.getConsent());
    assert.equal(record?.services?.youtube, true, 'record.services.youtube');
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedService('youtube')), true);
    await page.waitForTimeout(400);
    const hosts = hostsOf(trackerRequests(requests));
    assert.deepEqual(hosts, ['www.youtube-nocookie.com'], `nothing but YouTube was let in: ${hosts}`);

    const mark = requests.length;
    await reloadAndWait(page);
    await page.waitForFunction(() => document.querySelector('iframe[data-service="youtube"]')?.src.includes('youtube-nocookie.com'));
    assert.equal(await page.locator(hook('placeholder')).count(), 0, 'no placeholder after the reload');
    assert.equal(await page.locator(hook('banner')).isVisible(), false);
    assert.ok(requests.slice(mark).some((r) => r.url.includes('youtube-nocookie.com/embed/DEMO')));
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('"!marketing" fallback: not before a choice, on every load while marketing is refused, not once accepted', async () => {
  const { page, context, pageErrors } = await open('/real.html');
  const fallbackRuns = async () => (await loadedStandIns(page)).filter((id) => id === 'cookieless-fallback').length;
  try {
    await page.waitForTimeout(300);
    assert.equal(await fallbackRuns(), 0, 'not before any choice');
    await bannerButton(page, 'reject-all').click();
    await waitForStandIns(page, ['cookieless-fallback']);
    assert.equal(await fallbackRuns(), 1, 'after Reject all, once');

    for (let i = 0; i < 2; i++) {
      await reloadAndWait(page);
      await waitForStandIns(page, ['cookieless-fallback']);
      assert.equal(await fallbackRuns(), 1, `on reload ${i + 1} while refused`);
    }

    await page.evaluate(() => window.cookiegate.acceptAll());
    await waitForStandIns(page, ['facebook']);
    await reloadAndWait(page);
    await waitForStandIns(page, ['facebook']);
    await page.waitForTimeout(300);
    assert.equal(await fallbackRuns(), 0, 'not once marketing is accepted');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('withdrawal: switching analytics and marketing off reloads the page and removes their cookies, parent domain too', async () => {
  const { page, context, requests, pageErrors } = await open('/real.html');
  const WANT = ['_ga', '_ga_DEMO', '_gcl_au', '_fbp', '_ym_uid'];
  try {
    await bannerButton(page, 'accept-all').click();
    await waitForStandIns(page, ALL_STAND_INS);
    await page.waitForFunction((names) => names.every((n) => document.cookie.includes(n + '=')), WANT, { timeout: 5000 });
    const before = await context.cookies();
    for (const n of WANT) assert.ok(before.some((c) => c.name === n), `${n} was set`);
    assert.ok(before.some((c) => c.domain === '.shop.test'), 'stand-ins set cookies on the parent domain .shop.test');

    await page.locator('[data-cookiegate-open]').first().click();
    const dialog = page.locator(hook('preferences-dialog'));
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('input[data-cookiegate-category="analytics"]').setChecked(false);
    await dialog.locator('input[data-cookiegate-category="marketing"]').setChecked(false);
    await waitForReloadAfter(page, () => dialog.locator(hook('save')).click());
    await page.waitForTimeout(600);
    // What the reloaded page asked for (the old page's last cookieless
    // Consent Mode ping may come before it).
    const mark = requests.findLastIndex((r) => r.resourceType === 'document' && r.url.includes('/real.html'));

    const after = await context.cookies();
    // _twclid (X) is checked by the catalogue test below: the catalogue does
    // not declare it yet.
    const left = after.filter((c) => /^(_ga|_gcl_|_fbp|_fbc|_ym_|li_fat_id)/.test(c.name));
    assert.deepEqual(left.map((c) => `${c.name}@${c.domain}`), [], 'analytics and marketing cookies are gone');
    const hosts = hostsOf(trackerRequests(requests.slice(mark)));
    const bad = hosts.filter((h) => ANALYTICS_HOSTS.includes(h) || /facebook|twitter|t\.co$|licdn|linkedin|apis\.google|doubleclick|googleadservices/.test(h));
    assert.deepEqual(bad, [], `no analytics/marketing host after the reload: ${hosts}`);
    const record = await page.evaluate(() => window.cookiegate.getConsent());
    assert.deepEqual([record?.categories?.analytics, record?.categories?.marketing, record?.categories?.social], [false, false, true]);
    assert.ok(!(await storageKeys(page)).some((k) => k.startsWith('_ym')), 'Yandex storage keys are gone');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('reset() clears every non-necessary cookie and the record, and shows the banner again', async () => {
  const { page, context, pageErrors } = await open('/real.html');
  try {
    await bannerButton(page, 'accept-all').click();
    await waitForStandIns(page, ALL_STAND_INS);
    await page.waitForFunction(() => document.cookie.includes('_fbp=') && document.cookie.includes('_ga='));
    await waitForReloadAfter(page, () => page.evaluate(() => window.cookiegate.reset()));
    await page.locator(hook('banner')).waitFor({ state: 'visible' });
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.cookiegate.getConsent()), null);
    const names = (await context.cookies()).map((c) => c.name);
    // _twclid: see the catalogue test below.
    const optional = names.filter((n) => !/^fs_/.test(n) && n !== '_twclid');
    assert.deepEqual(optional, [], 'only necessary cookies are left');
    assert.ok(!(await storageKeys(page)).includes('cookiegate'), 'the record is gone from storage');
    assert.deepEqual(await loadedStandIns(page), [], 'nothing runs after the reset');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

// Withdrawal deletes only what the catalogue declares, so every cookie a
// tracker's stand-in sets must be declared there.
test('every cookie a tracker sets after "Accept all" is declared in the catalogue, so withdrawal can remove it', async () => {
  const { page, context } = await open('/real.html');
  try {
    await bannerButton(page, 'accept-all').click();
    await waitForStandIns(page, ALL_STAND_INS);
    await page.waitForTimeout(300);
    const set = (await context.cookies()).map((c) => c.name).filter((n) => !/^fs_|^cookiegate$/.test(n));
    assert.ok(set.includes('_twclid'), 'uwt.js set _twclid');
    await waitForReloadAfter(page, () => page.evaluate(() => window.cookiegate.reset()));
    await page.waitForTimeout(300);
    const left = (await context.cookies()).map((c) => `${c.name}@${c.domain}`).filter((n) => !/^fs_/.test(n));
    assert.deepEqual(left, [], 'reset() removed every tracker cookie');
  } finally {
    await context.close();
  }
});

test('activation: external scripts load in parallel, non-async ones still run in document order, inline ones after them', async () => {
  const browser = getBrowser();
  const fixture = '/__test/gate-order.html';
  // URLs on a host only Google Analytics uses (a URL on a host it shares
  // with Ads and GTM needs all three), inline code with the nonce.
  const ext = (name, delay, async) =>
    `<script type="text/plain" data-category="analytics" data-service="google-analytics" data-src="https://www.google-analytics.com/order/${name}.js?delay=${delay}"${async ? ' async' : ''}></script>`;
  const inline = (name) =>
    `<script type="text/plain" data-category="analytics" data-service="google-analytics" nonce="{{nonce}}">window.__ran.push('${name}:' + window.__ran.join('+'))</script>`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script src="/cookiegate/cookiegate.js" data-catalogue="/cookiegate/catalogue.json" nonce="{{nonce}}"></script>
<script nonce="{{nonce}}">window.__ran = [];</script>
<title>Activation order</title></head><body><main><h1>Activation order</h1>
${ext('s1', 600, false)}${ext('s2', 50, false)}${ext('s3', 50, false)}
${inline('i1')}
${ext('a1', 600, true)}${ext('a2', 600, true)}${ext('a3', 600, true)}${ext('a4', 600, true)}
${inline('i2')}
</main></body></html>`;
  const { page, context, url } = await newPage(browser, fixture, { goto: false, fixtures: { [fixture]: html } });
  try {
    await context.route('https://www.google-analytics.com/order/**', (route) => {
      const u = new URL(route.request().url());
      const name = u.pathname.slice('/order/'.length, -3);
      setTimeout(
        () => route.fulfill({ status: 200, contentType: 'text/javascript', body: `window.__ran.push('${name}');` }),
        Number(u.searchParams.get('delay')),
      );
    });
    await page.goto(url, { waitUntil: 'load' });
    await cookiegateReady(page);
    const t0 = Date.now();
    await page.evaluate(() => window.cookiegate.accept(['analytics']));
    await page.waitForFunction(() => window.__ran.some((x) => x.startsWith('i2:')), null, { timeout: 10_000 });
    const elapsed = Date.now() - t0;
    const ran = await page.evaluate(() => window.__ran);
    assert.deepEqual(ran.slice(0, 4), ['s1', 's2', 's3', 'i1:s1+s2+s3'], 'non-async scripts in document order, the inline one after them');
    assert.deepEqual(ran.slice(4, 8).sort(), ['a1', 'a2', 'a3', 'a4']);
    assert.match(ran[8], /^i2:.*a1.*/, 'the last inline script ran after every script before it');
    // One after another this takes ≥ 3.1 s (600 + 50 + 50 + 4 × 600 ms); in
    // parallel about two 600 ms round trips (s1, then the async four).
    assert.ok(elapsed < 2500, `activation took ${elapsed} ms: external scripts did not load in parallel`);
  } finally {
    await context.close();
  }
});
