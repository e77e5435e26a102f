// Page markup that shadows the document's own names: an `<img name="X">`
// or `<form name="X">` makes `document.X` that element (the document's
// named properties override its built-ins), and a review, a product
// description or a sanitised comment may carry one. The module reaches the
// document only through its prototypes, and takes over the early banner's
// host from the bootstrap instead of looking for `[data-cookiegate="root"]`,
// which page markup may carry too. Every test has its control: the choice
// made on the shadowed page still lets the gated script in.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, trackerRequests, describeRequests } from './harness.mjs';
import { fixturePage, inBanner, inDialog, bannerShown, DIALOG } from './fixtures/banner-helpers.mjs';
import { readyOutcome, cookiegateComplaints } from './fixtures/hostile-common.mjs';

const getBrowser = sharedBrowser();

let n = 0;
function open(body, o = {}) {
  const path = `/__test/clobber-${n++}.html`;
  return newPage(getBrowser(), path, { fixtures: { [path]: fixturePage({ body }) }, ...o });
}

/** `<img name="…">` for each name: each makes `document[name]` that image. */
const named = (...names) => names.map((x) => `<img name="${x}" alt="" src="data:,">`).join('\n');

// Every document member the module uses.
const SHADOWED = named('createElement', 'createElementNS', 'body', 'documentElement', 'activeElement',
  'addEventListener', 'removeEventListener', 'baseURI', 'cookie', 'querySelector');

const GATED = `<script type="text/plain" data-category="analytics" nonce="{{nonce}}">
  window.__analytics = (window.__analytics || 0) + 1;
  new Image().src = 'https://www.google-analytics.com/g/collect?v=2&shadowed=1';
</script>`;

/** What the page's real document says, read through the prototypes. */
function real(page) {
  return page.evaluate(() => {
    const D = Document.prototype;
    const body = Object.getOwnPropertyDescriptor(D, 'body').get.call(document);
    const first = body.firstElementChild;
    return {
      firstTag: first && first.tagName.toLowerCase(),
      firstHook: first && first.getAttribute('data-cookiegate'),
      shadowed: document.body !== body,
      cookie: Object.getOwnPropertyDescriptor(D, 'cookie').get.call(document),
    };
  });
}

async function noTrackerYet(p) {
  await p.page.waitForTimeout(600);
  const leaked = trackerRequests(p.requests);
  assert.deepEqual(leaked.map((r) => r.url), [], `nothing before consent:\n  ${describeRequests(leaked)}`);
}

const failures = (p) => cookiegateComplaints(p.consoleMessages).map((m) => m.text);

test('the document\'s built-ins shadowed by <img name>: the banner and dialog are cookiegate\'s, a saved choice lets the script in and is restored', async () => {
  const p = await open(SHADOWED + GATED);
  try {
    assert.equal(await readyOutcome(p.page), 'resolved', 'the module started');
    const r = await real(p.page);
    assert.ok(r.shadowed, 'the fixture does shadow document.body');
    assert.deepEqual([r.firstTag, r.firstHook], ['div', 'root'], 'the host is the first child of the real <body>');
    await bannerShown(p.page);
    await noTrackerYet(p);
    assert.equal(await p.page.evaluate(() => window.__analytics ?? 0), 0);
    // The dialog is the module's own: the early banner has no dialog.
    await p.page.click(inBanner('preferences'));
    await p.page.locator(DIALOG).waitFor({ state: 'visible', timeout: 5_000 });
    await p.page.locator(`${DIALOG} input[data-cookiegate-category="analytics"]`).setChecked(true);
    await p.page.click(inDialog('save'));
    await p.page.waitForFunction(() => window.__analytics === 1, null, { timeout: 5_000 });
    assert.ok(p.requests.some((r) => r.url.includes('shadowed=1')), 'control: the granted script sent its request');
    assert.ok(await p.page.locator(inBanner('reject-all')).isHidden(), 'the banner hid');

    await p.page.reload({ waitUntil: 'load' });
    assert.equal(await readyOutcome(p.page), 'resolved');
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored', null, { timeout: 5_000 });
    await p.page.waitForFunction(() => window.__analytics === 1, null, { timeout: 5_000 });
    assert.equal(await p.page.locator('[data-cookiegate="reopen"]').isVisible(), true, 'the reopen control shows');
    assert.deepEqual(failures(p), []);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('<img name="cookie">: Reject all still removes a refused service\'s cookie, the page\'s own cookie stays', async () => {
  const p = await open(named('cookie'), { goto: false });
  try {
    const url = new URL(p.url);
    await p.context.addCookies([
      { name: '_ga', value: 'GA1.1.planted', domain: url.hostname, path: '/' },
      { name: 'cart', value: 'three-items', domain: url.hostname, path: '/' },
    ]);
    await p.page.goto(p.url, { waitUntil: 'load' });
    assert.equal(await readyOutcome(p.page), 'resolved');
    await bannerShown(p.page);
    await p.page.click(inBanner('reject-all'));
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'reject-all', null, { timeout: 5_000 });
    const names = (await p.context.cookies()).map((c) => c.name);
    assert.ok(!names.includes('_ga'), `_ga is removed (left: ${names})`);
    assert.ok(names.includes('cart'), 'control: the page\'s own cookie stays');
    assert.deepEqual(failures(p), []);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('<img name="cookie"> where localStorage throws: the choice is kept in the cookie and restored after a reload', async () => {
  const p = await open(named('cookie') + GATED, {
    initScript: () =>
      Object.defineProperty(window, 'localStorage', {
        configurable: true,
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      }),
  });
  try {
    assert.equal(await readyOutcome(p.page), 'resolved');
    await bannerShown(p.page);
    await noTrackerYet(p);
    await p.page.click(inBanner('accept-all'));
    await p.page.waitForFunction(() => window.__analytics === 1, null, { timeout: 5_000 });
    assert.match((await real(p.page)).cookie, /(^|; )cookiegate=/, 'the record is in the cookie');
    await p.page.reload({ waitUntil: 'load' });
    assert.equal(await readyOutcome(p.page), 'resolved');
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored', null, { timeout: 5_000 });
    await p.page.waitForFunction(() => window.__analytics === 1, null, { timeout: 5_000 });
    assert.equal(await p.page.locator(inBanner('accept-all')).isVisible(), false, 'the banner does not ask again');
    assert.deepEqual(failures(p), []);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('page markup with data-cookiegate="root": a first visit and a returning visitor both get cookiegate\'s own UI', async () => {
  const decoy = '<img data-cookiegate="root" alt="" src="data:,">';
  const p = await open(decoy + GATED);
  try {
    // First visit: the early banner's host comes first in <body>.
    assert.equal(await readyOutcome(p.page), 'resolved');
    await bannerShown(p.page);
    await noTrackerYet(p);
    await p.page.click(inBanner('accept-all'));
    await p.page.waitForFunction(() => window.__analytics === 1, null, { timeout: 5_000 });
    // Returning: no early banner; the module makes its host itself.
    await p.page.reload({ waitUntil: 'load' });
    assert.equal(await readyOutcome(p.page), 'resolved');
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored', null, { timeout: 5_000 });
    await p.page.locator('[data-cookiegate="reopen"]').waitFor({ state: 'visible', timeout: 5_000 });
    await p.page.click('[data-cookiegate="reopen"]');
    await p.page.locator(DIALOG).waitFor({ state: 'visible', timeout: 5_000 });
    const hosts = await p.page.evaluate(() =>
      [...document.querySelectorAll('[data-cookiegate="root"]')].map((e) => e.tagName.toLowerCase() + (e.shadowRoot ? '+shadow' : '')),
    );
    assert.deepEqual(hosts.sort(), ['div+shadow', 'img'], 'one host of cookiegate\'s; the page\'s image is left alone');
    assert.deepEqual(failures(p), []);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('a <form> whose controls are named querySelectorAll and parentNode: tracker images its markup brings are held, own ones load, granted ones follow', async () => {
  // A review form rebuilt by the page's script, its fields named by the shop.
  const body = `<div id="reviews"><form id="review"></form></div>
<script nonce="{{nonce}}">
  const f = document.getElementById('review');
  f.innerHTML = '<input name="querySelectorAll"><input name="parentNode">' +
    '<img id="own-inner" alt="" src="/demo.css?form-inner"><img alt="" src="https://www.facebook.com/tr?ev=form-inner">';
  f.insertAdjacentHTML('afterend', '<img id="own-after" alt="" src="/demo.css?form-after"><img alt="" src="https://www.facebook.com/tr?ev=form-after">');
  window.__formDone = document.getElementById('own-after') !== null;
</script>`;
  const p = await open(body);
  try {
    assert.equal(await readyOutcome(p.page), 'resolved');
    assert.equal(await p.page.evaluate(() => window.__formDone), true, "the page's script ran to its end");
    await noTrackerYet(p);
    for (const own of ['form-inner', 'form-after']) {
      assert.ok(p.requests.some((r) => r.url.includes(`demo.css?${own}`)), `control: the page's own image (${own}) was requested`);
    }
    await p.page.click(inBanner('accept-all'));
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'accept-all', null, { timeout: 5_000 });
    await p.page.waitForTimeout(500);
    for (const ev of ['form-inner', 'form-after']) {
      assert.ok(trackerRequests(p.requests).some((r) => r.url.includes(`ev=${ev}`)), `granted, the held image (${ev}) loads`);
    }
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});
