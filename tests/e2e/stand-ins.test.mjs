// The harness itself: real tracker URLs are answered by the local stand-ins,
// which set the real first-party cookies on the parent domain, honour Consent
// Mode like gtag.js, and nothing else leaves the machine. Runs on a blank
// fixture page, so it needs Chromium but not dist/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedBrowser,
  newPage,
  cookieNames,
  allCookies,
  storageKeys,
  dataLayer,
  loadedStandIns,
  trackerRequests,
} from './harness.mjs';

const BLANK = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body><p>blank</p></body></html>';

const getBrowser = sharedBrowser({ needsDist: false });

async function blankPage(options = {}) {
  return newPage(getBrowser(), '/__test/blank.html', { fixtures: { '/__test/blank.html': BLANK }, ...options });
}

const load = (page, src) =>
  page.evaluate(
    (src) =>
      new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = src;
        s.async = false;
        s.onload = resolve;
        s.onerror = () => reject(new Error('failed to load ' + src));
        document.head.append(s);
      }),
    src,
  );

const DAY = 86400;
// Chromium caps cookie lifetimes at 400 days (RFC 6265bis), as real browsers do.
const capped = (days) => Math.min(days, 400);
function lifetimeDays(cookie) {
  return (cookie.expires - Date.now() / 1000) / DAY;
}

test('gtag.js stand-in honours Consent Mode and only Arguments commands', async () => {
  const { page, context, requests, blocked } = await blankPage();
  try {
    await page.evaluate(() => {
      window.dataLayer = [];
      window.gtag = function () { window.dataLayer.push(arguments); };
      window.gtag('consent', 'default', { analytics_storage: 'denied', ad_storage: 'denied' });
      window.gtag('config', 'G-DEMO');
    });
    await load(page, 'https://www.googletagmanager.com/gtag/js?id=G-DEMO');
    assert.deepEqual(await loadedStandIns(page), ['google-analytics']);
    assert.deepEqual(await cookieNames(page), [], 'no cookies while analytics_storage is denied');

    await page.evaluate(() => window.gtag('consent', 'update', { analytics_storage: 'granted' }));
    const cookies = await allCookies(context);
    const ga = cookies.find((c) => c.name === '_ga');
    assert.ok(ga, '_ga set after the update');
    assert.equal(ga.domain, '.shop.test', 'on the parent domain, like cookie_domain auto');
    assert.equal(ga.path, '/');
    assert.ok(Math.abs(lifetimeDays(ga) - capped(730)) < 1, '2 years (capped to 400 days)');
    assert.ok(cookies.some((c) => c.name === '_ga_DEMO'));

    // An Array pushed instead of Arguments is ignored, as the real tag does.
    await load(page, 'https://www.googletagmanager.com/gtag/js?id=AW-DEMO');
    await page.evaluate(() => {
      window.dataLayer.push(['consent', 'update', { ad_storage: 'granted' }]);
      window.gtag('config', 'AW-DEMO');
    });
    assert.ok(!(await cookieNames(page)).includes('_gcl_au'), 'an Array consent update has no effect');
    await page.evaluate(() => window.gtag('consent', 'update', { ad_storage: 'granted' }));
    const au = (await allCookies(context)).find((c) => c.name === '_gcl_au');
    assert.ok(au && Math.abs(lifetimeDays(au) - 90) < 1, '_gcl_au for 90 days');

    const layer = await dataLayer(page);
    assert.equal(layer[0].isArguments, true);
    assert.deepEqual(layer[0].value, ['consent', 'default', { analytics_storage: 'denied', ad_storage: 'denied' }]);
    assert.ok(layer.some((e) => e.isArray && !e.isArguments));

    assert.ok(trackerRequests(requests).some((r) => r.url.startsWith('https://www.google-analytics.com/g/collect')),
      'the stand-in sends its hit to the real collect host, answered locally');
    assert.deepEqual(blocked, []);
  } finally {
    await context.close();
  }
});

test('every other stand-in sets its first-party cookies and storage', async () => {
  const { page, context, requests, blocked } = await blankPage();
  try {
    await load(page, 'https://www.googletagmanager.com/gtm.js?id=GTM-DEMO');
    await load(page, 'https://mc.yandex.ru/metrika/tag.js');
    await page.evaluate(() => window.ym(90000001, 'init', { webvisor: true }));
    await load(page, 'https://connect.facebook.net/en_US/fbevents.js');
    await page.evaluate(() => { window.fbq('init', '1'); window.fbq('track', 'PageView'); });
    await load(page, 'https://static.ads-twitter.com/uwt.js');
    await page.evaluate(() => window.twq('config', 'o0dem'));
    await page.evaluate(() => { window._linkedin_partner_id = '1000001'; });
    await load(page, 'https://snap.licdn.com/li.lms-analytics/insight.min.js');
    await load(page, 'https://apis.google.com/js/platform.js');
    await page.evaluate(() => { window.__lc = { license: 12345678 }; });
    await load(page, 'https://cdn.livechatinc.com/tracking.js');

    assert.deepEqual(await loadedStandIns(page), [
      'google-tag-manager', 'yandex-metrica', 'facebook', 'twitter', 'linkedin', 'google-customer-reviews', 'live-chat',
    ]);
    const cookies = Object.fromEntries((await allCookies(context)).map((c) => [c.name, c]));
    const expect = { _ym_uid: 365, _ym_d: 365, _ym_isad: 2, _fbp: 90, _twclid: 30, li_fat_id: 30, __lc_cid: 1095 };
    for (const [name, days] of Object.entries(expect)) {
      assert.ok(cookies[name], `${name} is set`);
      assert.equal(cookies[name].domain, '.shop.test', `${name} on .shop.test`);
      assert.ok(Math.abs(lifetimeDays(cookies[name]) - capped(days)) < 1, `${name} lives ${days} days`);
    }
    assert.ok(cookies._ym_visorc, 'webvisor cookie');
    assert.match(cookies._fbp.value, /^fb\.1\.\d+\.\d+$/);
    const keys = await storageKeys(page);
    for (const k of ['_ym_uid', '_ym90000001_lsid', '__lc_visitor']) assert.ok(keys.includes(k), `localStorage ${k}`);

    const layer = await dataLayer(page);
    assert.ok(layer.some((e) => e.value && e.value.event === 'gtm.js' && typeof e.value['gtm.start'] === 'number'));
    assert.equal(await page.evaluate(() => typeof window.gapi.surveyoptin.render), 'function');
    assert.ok(trackerRequests(requests).some((r) => r.url.startsWith('https://mc.yandex.ru/watch/90000001')));
    assert.ok(trackerRequests(requests).some((r) => r.url.startsWith('https://www.facebook.com/tr?')));
    assert.deepEqual(blocked, []);
  } finally {
    await context.close();
  }
});

test('the YouTube embed and pixels are answered locally; other hosts are aborted', async () => {
  const { page, context, requests, blocked, responses } = await blankPage();
  try {
    await page.evaluate(() =>
      new Promise((resolve) => {
        const f = document.createElement('iframe');
        f.title = 'video';
        f.onload = resolve;
        f.src = 'https://www.youtube-nocookie.com/embed/DEMO';
        document.body.append(f);
      }),
    );
    const frame = page.frames().find((f) => f.url().startsWith('https://www.youtube-nocookie.com/'));
    assert.match(await frame.textContent('.brand'), /YouTube stand-in/);
    assert.ok(responses.some((r) => r.url.endsWith('/stand-ins/youtube-embed.css') && r.status === 200));

    const status = await page.evaluate(() =>
      new Promise((resolve) => {
        const img = new Image();
        img.onload = () => resolve(img.naturalWidth);
        img.onerror = () => resolve('error');
        img.src = 'https://www.facebook.com/tr?id=DEMO&ev=PageView&noscript=1';
      }),
    );
    assert.equal(status, 1, 'the Meta pixel is a 1x1 gif');

    const external = await page.evaluate(() => fetch('https://example.com/x.js').then(() => 'loaded', () => 'failed'));
    assert.equal(external, 'failed');
    assert.deepEqual(blocked, ['https://example.com/x.js']);
    assert.equal(trackerRequests(requests).length, 3, 'embed, its stylesheet, the pixel');
  } finally {
    await context.close();
  }
});

test('gpc option exposes navigator.globalPrivacyControl and sends Sec-GPC', async () => {
  const { page, context } = await blankPage({ gpc: true });
  try {
    assert.equal(await page.evaluate(() => navigator.globalPrivacyControl), true);
    const [request] = await Promise.all([
      page.waitForRequest('**/demo.css'),
      page.evaluate(() => fetch('/demo.css').then((r) => r.status)),
    ]);
    assert.equal((await request.allHeaders())['sec-gpc'], '1');
  } finally {
    await context.close();
  }
  const plain = await blankPage();
  try {
    assert.notEqual(await plain.page.evaluate(() => navigator.globalPrivacyControl), true);
  } finally {
    await plain.context.close();
  }
});
