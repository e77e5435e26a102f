// What tags inject, the rules around the vectors: everything third-party
// waits until the catalogue is read (fail closed), a broken catalogue keeps
// it all shut while the page's own requests work, withdrawal stops a
// running tag's requests at once, and markup the parser loaded unstopped is
// named once in the console so the developer marks it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookiegateReady, describeRequests } from './harness.mjs';
import { hook, bannerButton } from './fixtures/gate-helpers.mjs';
import { tagPage, slowTail, matching, waitForContainer } from './fixtures/inject-helpers.mjs';

const getBrowser = sharedBrowser();

const NOBODY = 'https://static.cdn-of-nobody.example';
const FACEBOOK_PIXEL = 'https://www.facebook.com/tr?id=1&ev=early';

/** A page whose inline script, right after the bootstrap, uses each API at once. */
function earlyPage() {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<script src="/cookiegate/cookiegate.js" data-catalogue="/cookiegate/catalogue.json" nonce="{{nonce}}"></script>
<script nonce="{{nonce}}">
  window.__early = {};
  var nobody = new Image();
  nobody.onload = nobody.onerror = function (e) { window.__early.nobodyImage = e.type; };
  nobody.src = '${NOBODY}/logo.gif';
  window.__early.srcAtOnce = nobody.getAttribute('src');
  new Image().src = '${FACEBOOK_PIXEL}';
  fetch('${NOBODY}/data.json').then(function () { window.__early.fetch = 'answered'; }, function (e) { window.__early.fetch = 'rejected ' + e.name; });
  fetch('/cookiegate/catalogue.json?own').then(function (r) { window.__early.own = r.status; }, function (e) { window.__early.own = 'rejected ' + e.name; });
</script>
<title>Early tags</title>
</head>
<body><main><h1>Early</h1></main></body>
</html>`;
}

test('until the catalogue is read every third-party URL waits; then hosts of no service go, a tracker stays held', async () => {
  const browser = getBrowser();
  const path = '/__inject/early.html';
  const p = await newPage(browser, path, { goto: false, fixtures: { [path]: earlyPage() } });
  const { page, context, requests, url } = p;
  try {
    let catalogueServedAt = 0;
    await context.route('**/cookiegate/catalogue.json', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      catalogueServedAt = Date.now();
      await route.continue();
    });
    const times = [];
    page.on('request', (r) => times.push({ url: r.url(), at: Date.now() }));
    await page.goto(url, { waitUntil: 'load' });
    await cookiegateReady(page);
    await page.waitForFunction(() => window.__early.nobodyImage && window.__early.fetch, null, { timeout: 5000 });
    const early = await page.evaluate(() => window.__early);
    assert.equal(early.srcAtOnce, null, 'the image had no src while the catalogue was unread');
    assert.equal(early.own, 200, "the page's own request went at once");
    const nobody = times.filter((t) => t.url.startsWith(NOBODY));
    assert.equal(nobody.length, 2, describeRequests(requests));
    for (const t of nobody) assert.ok(t.at >= catalogueServedAt, `${t.url} was requested before the catalogue arrived`);
    const own = times.find((t) => t.url.endsWith('catalogue.json?own'));
    assert.ok(own && own.at < catalogueServedAt, 'the own request did not wait');
    assert.deepEqual(matching(requests, /facebook\.com/).map((r) => r.url), [], 'the Facebook pixel never went');
  } finally {
    await context.close();
  }
});

test('a broken catalogue: what waits is refused, the tracker never loads, the page keeps its own requests', async () => {
  const browser = getBrowser();
  const path = '/__inject/early-broken.html';
  const p = await newPage(browser, path, { goto: false, fixtures: { [path]: earlyPage() } });
  const { page, context, requests, url } = p;
  try {
    await context.route('**/cookiegate/catalogue.json', (route) =>
      route.fulfill({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"revision": "two"}' }),
    );
    await page.goto(url, { waitUntil: 'load' });
    const settled = await page.evaluate(() => window.cookiegate.ready.then(() => 'resolved', () => 'rejected'));
    assert.equal(settled, 'rejected');
    await page.waitForFunction(() => window.__early.fetch, null, { timeout: 5000 });
    const early = await page.evaluate(() => window.__early);
    assert.equal(early.fetch, 'rejected TypeError', 'the waiting fetch failed as a blocked request does');
    assert.equal(early.own, 200);
    assert.equal(await page.evaluate(() => document.images[0]?.getAttribute('src') ?? null), null);
    const late = await page.evaluate(() => fetch('/cookiegate/catalogue.json?later').then((r) => r.status));
    assert.equal(late, 200, 'own requests still work afterwards');
    assert.deepEqual(requests.filter((r) => r.url.startsWith(NOBODY) || /facebook\.com/.test(r.url)).map((r) => r.url), []);
  } finally {
    await context.close();
  }
});

test('markup the parser loaded from a service host is named once in the console, with the service; own and other hosts are not', async () => {
  const browser = getBrowser();
  const path = '/__inject/unmarked.html';
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<script src="/cookiegate/cookiegate.js" data-catalogue="/cookiegate/catalogue.json" nonce="{{nonce}}"></script>
<script src="https://connect.facebook.net/en_US/fbevents.js" async></script>
<title>Unmarked tags</title>
</head>
<body>
<main><h1>Unmarked</h1>
<img alt="" src="https://px.ads.linkedin.com/collect/?pid=9&fmt=gif">
<img alt="" src="/stand-ins/pixel.gif?own">
<img alt="" src="${NOBODY}/logo.gif">
</main>
</body>
</html>`;
  const p = await newPage(browser, path, { fixtures: { [path]: html } });
  const { page, context, consoleMessages, requests } = p;
  try {
    await cookiegateReady(page);
    // Added later by the page as markup: held, not named (the bootstrap
    // parses markup with a <link> before it reaches the document).
    await page.evaluate(() => {
      document.querySelector('main').insertAdjacentHTML('beforeend', '<div id="late"></div>');
      document.getElementById('late').innerHTML = '<link rel="preload" as="image" href="https://cdn.livechatinc.com/late.gif">';
    });
    await page.waitForTimeout(300);
    const said = consoleMessages.filter((m) => m.type === 'warning' && /came in as markup/.test(m.text)).map((m) => m.text);
    assert.equal(said.length, 2, said.join('\n'));
    assert.match(said.find((m) => m.includes('fbevents.js')) ?? '', /<script src="https:\/\/connect\.facebook\.net\/en_US\/fbevents\.js">.*belongs to facebook.*data-category="marketing" data-service="facebook"/);
    assert.match(said.find((m) => m.includes('px.ads.linkedin.com')) ?? '', /<img src=.*belongs to linkedin/);
    assert.equal(matching(requests, /livechatinc\.com\/late\.gif/).length, 0, 'the link given by innerHTML waits');
    // The honest part: those did load (the parser fetched them first).
    assert.equal(matching(requests, /fbevents\.js/).length, 1);
    // Said once each, however often the page changes.
    await page.evaluate(() => document.body.append(document.createElement('p')));
    await page.evaluate(() => window.cookiegate.acceptAll());
    await page.waitForTimeout(300);
    assert.equal(consoleMessages.filter((m) => /came in as markup/.test(m.text)).length, 2);
    assert.equal(matching(requests, /livechatinc\.com\/late\.gif/).length, 1, 'granted, the held link loads');
  } finally {
    await context.close();
  }
});

test('withdrawal: after "Reject all" a running tag\'s pixels, fetches and beacons stop at once, before the reload', async () => {
  const browser = getBrowser();
  const path = '/__inject/ping.html';
  const p = await newPage(browser, path, { goto: false, fixtures: { [path]: tagPage(['ping']) } });
  const { page, context, requests, url } = p;
  try {
    await slowTail(context, page, 0);
    await page.goto(url, { waitUntil: 'load' });
    await cookiegateReady(page);
    await bannerButton(page, 'accept-all').click();
    await waitForContainer(page);
    const PING = /[?&](n|ping)=\d+/;
    await page.waitForTimeout(600);
    assert.ok(matching(requests, PING).length >= 9, 'the tag pings while granted (control)');
    const reload = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 10_000 });
    const from = requests.length;
    await page.evaluate(() => {
      window.cookiegate.rejectAll();
      return fetch('/__inject/withdrawn-marker').catch(() => {});
    });
    await reload;
    const after = requests.slice(from);
    const marker = after.findIndex((r) => r.url.endsWith('/__inject/withdrawn-marker'));
    assert.ok(marker >= 0, 'the marker request was seen');
    const navigation = after.findIndex((r, i) => i > marker && r.resourceType === 'document');
    const between = after.slice(marker, navigation < 0 ? after.length : navigation);
    assert.deepEqual(matching(between, PING).map((r) => r.url), [], 'no ping between "Reject all" and the reload');
    await page.waitForLoadState('load');
    await cookiegateReady(page);
    await page.waitForTimeout(400);
    assert.deepEqual(matching(requests.slice(from + Math.max(navigation, 0)), PING).map((r) => r.url), [], 'none after it either');
    await page.locator(hook('reopen')).waitFor({ state: 'visible' });
  } finally {
    await context.close();
  }
});
