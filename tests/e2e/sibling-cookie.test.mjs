// Issue 10, class 3: a `cookiegate` cookie set on the parent domain by a
// sibling subdomain (blog.shop.test) is not consent on www.shop.test. The
// cookie fallback is read only while localStorage does not work; on https:
// it is `__Host-cookiegate`, which no other host can set. On plain http:
// two cookies of that name (the visitor's own and a wider one) are both
// distrusted. Control: the visitor's own choice, kept in the cookie
// because localStorage is blocked, survives a reload.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, siteOrigin, trackerRequests, describeRequests } from './harness.mjs';
import { ALL_STAND_INS, waitForStandIns, bannerButton } from './fixtures/gate-helpers.mjs';
import { defaultCatalogue, readyOutcome, banner, assertNothingGatedLoaded } from './fixtures/hostile-common.mjs';
import { CSPS, serveHttps } from './fixtures/leak-helpers.mjs';

const getBrowser = sharedBrowser();

const CATALOGUE = defaultCatalogue();
/** A valid "Accept all" record, as a sibling host would forge it. */
function forged() {
  return JSON.stringify({
    id: 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0',
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    revision: CATALOGUE.revision,
    method: 'accept-all',
    gpc: false,
    categories: Object.fromEntries(CATALOGUE.categories.map((c) => [c.id, true])),
    services: Object.fromEntries(CATALOGUE.services.map((s) => [s.id, true])),
  });
}

// blog.shop.test sets what any host of the site may: cookies for the whole
// site, under both names. (The browser refuses `__Host-` with a Domain.)
const BLOG = '/__leaks/blog.html';
const BLOG_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blog</title>
<script nonce="{{nonce}}">
  const value = encodeURIComponent(${JSON.stringify(forged())});
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = 'cookiegate=' + value + '; Domain=shop.test; Path=/; Max-Age=86400; SameSite=Lax' + secure;
  document.cookie = '__Host-cookiegate=' + value + '; Domain=shop.test; Path=/; Max-Age=86400; SameSite=Lax' + secure;
</script></head><body><h1>Blog</h1></body></html>`;

const BLOCK_LOCAL_STORAGE = () =>
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  });

/** Opens /real.html (`https` or not) after the blog set its cookies. */
async function open(csp, { https, blockStorage, blogFirst = true }) {
  const p = await newPage(getBrowser(), '/real.html', {
    csp,
    goto: false,
    fixtures: { [BLOG]: BLOG_HTML },
    initScript: blockStorage ? BLOCK_LOCAL_STORAGE : undefined,
  });
  const toHttps = https ? await serveHttps(p.context, await siteOrigin()) : (u) => u;
  const blog = toHttps((await siteOrigin()).replace('//www.', '//blog.') + BLOG);
  p.visitBlog = async () => {
    const tab = await p.context.newPage();
    await tab.goto(blog);
    await tab.close();
  };
  if (blogFirst) await p.visitBlog();
  p.url = toHttps(p.url);
  await p.page.goto(p.url, { waitUntil: 'load' });
  assert.equal(await readyOutcome(p.page), 'resolved');
  return p;
}

const names = async (context) => (await context.cookies()).filter((c) => /cookiegate/.test(c.name));

for (const csp of CSPS) {
  test(`csp=${csp}, https: a parent-domain cookiegate cookie is no consent, with or without localStorage; the visitor's own __Host- cookie is`, async () => {
    for (const blockStorage of [false, true]) {
      const p = await open(csp, { https: true, blockStorage });
      try {
        assert.equal(await p.page.evaluate(() => location.protocol), 'https:');
        const set = await names(p.context);
        assert.deepEqual(set.map((c) => `${c.name}@${c.domain}`), ['cookiegate@.shop.test'], 'the blog could set only the unprefixed parent cookie');
        await banner(p.page).waitFor({ state: 'visible', timeout: 5_000 });
        await p.page.waitForTimeout(300);
        assert.equal(await p.page.evaluate(() => window.cookiegate.getConsent()), null, `localStorage ${blockStorage ? 'blocked' : 'working'}: no choice`);
        await assertNothingGatedLoaded(p.page, p.requests);
      } finally {
        await p.context.close();
      }
    }
    // Control: the same record counts where it is this origin's own.
    {
      const p = await newPage(getBrowser(), '/real.html', {
        csp,
        initScript: `localStorage.setItem('cookiegate', ${JSON.stringify(forged())})`,
      });
      try {
        assert.equal(await readyOutcome(p.page), 'resolved');
        await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored', null, { timeout: 5_000 });
        await waitForStandIns(p.page, ['google-analytics']);
      } finally {
        await p.context.close();
      }
    }
    // Control: localStorage blocked, the visitor's own choice goes to the
    // __Host- cookie and counts after a reload (the forged one beside it).
    const p = await open(csp, { https: true, blockStorage: true });
    try {
      await bannerButton(p.page, 'accept-all').click();
      await waitForStandIns(p.page, ALL_STAND_INS);
      const own = (await names(p.context)).find((c) => c.name === '__Host-cookiegate');
      assert.ok(own, 'the choice is in __Host-cookiegate');
      assert.deepEqual([own.domain, own.path, own.secure], ['www.shop.test', '/', true], 'host-only, Path=/, Secure');
      await p.page.reload({ waitUntil: 'load' });
      assert.equal(await readyOutcome(p.page), 'resolved');
      await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored', null, { timeout: 5_000 });
      assert.equal(await p.page.evaluate(() => window.cookiegate.getConsent().id), JSON.parse(decodeURIComponent(own.value)).id, 'its own record, not the forged one');
      await waitForStandIns(p.page, ['google-analytics']);
      assert.deepEqual(p.pageErrors.map(String), []);
    } finally {
      await p.context.close();
    }
  });

  test(`csp=${csp}, http: a parent-domain cookie is no consent while localStorage works, nor beside the visitor's own cookie`, async () => {
    {
      const p = await open(csp, { https: false, blockStorage: false });
      try {
        assert.deepEqual((await names(p.context)).map((c) => `${c.name}@${c.domain}`), ['cookiegate@.shop.test']);
        await banner(p.page).waitFor({ state: 'visible', timeout: 5_000 });
        await p.page.waitForTimeout(300);
        assert.equal(await p.page.evaluate(() => window.cookiegate.getConsent()), null);
        await assertNothingGatedLoaded(p.page, p.requests);
      } finally {
        await p.context.close();
      }
    }
    // localStorage blocked: the visitor refuses (kept in the host cookie),
    // then the blog sets its parent-domain "Accept all" beside it.
    const p = await open(csp, { https: false, blockStorage: true, blogFirst: false });
    try {
      await bannerButton(p.page, 'reject-all').click();
      await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'reject-all');
      await p.page.reload({ waitUntil: 'load' });
      assert.equal(await readyOutcome(p.page), 'resolved');
      await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored', null, { timeout: 5_000 });
      assert.equal(await banner(p.page).isVisible(), false, 'control: the own cookie counts');
      await p.visitBlog();
      assert.equal((await names(p.context)).length, 2, 'two cookiegate cookies now');
      const mark = p.requests.length;
      await p.page.reload({ waitUntil: 'load' });
      assert.equal(await readyOutcome(p.page), 'resolved');
      await banner(p.page).waitFor({ state: 'visible', timeout: 5_000 });
      await p.page.waitForTimeout(300);
      assert.equal(await p.page.evaluate(() => window.cookiegate.getConsent()), null, 'neither cookie counts');
      const trackers = trackerRequests(p.requests.slice(mark));
      assert.deepEqual(trackers, [], describeRequests(trackers));
    } finally {
      await p.context.close();
    }
  });
}
