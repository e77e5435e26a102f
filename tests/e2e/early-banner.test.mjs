// The first layer before the module (issue 12): on a first visit the
// bootstrap shows the banner from the catalogue's texts while the .wasm is
// still on its way, and the module takes the same host over. Each test holds
// the .wasm back (page.route) so that the early banner can be looked at
// alone, then lets it through. What must hold: it is the module's banner,
// node for node; a click on it counts once the module is up and loads
// nothing before; focus survives the takeover; nothing stored, or nothing
// early; and when the module cannot start the early banner goes away.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, trackerRequests, describeRequests } from './harness.mjs';
import { BANNER, inBanner, deepActive } from './fixtures/banner-helpers.mjs';
import { defaultCatalogue, serveCatalogue, assertNothingGatedLoaded, cookiegateComplaints, readyOutcome } from './fixtures/hostile-common.mjs';

const getBrowser = sharedBrowser();
const WASM = '**/cookiegate/cookiegate_core_bg.wasm';

/**
 * Opens `path` with the .wasm held until `release()` (or answered with
 * `status` when given); `up()` says whether the module has started.
 */
async function openHeld(path = '/real.html', { status, catalogue, catalogueDelayMs = 0, wasmDelayMs = 0, ...opts } = {}) {
  const p = await newPage(getBrowser(), path, { goto: false, ...opts });
  let release;
  const held = new Promise((y) => (release = y));
  await p.page.route(WASM, async (route) => {
    if (status) {
      if (wasmDelayMs) await new Promise((y) => setTimeout(y, wasmDelayMs));
      return route.fulfill({ status, body: 'no' }).catch(() => {});
    }
    await held;
    await route.continue().catch(() => {});
  });
  if (catalogue !== undefined || catalogueDelayMs) {
    await serveCatalogue(p.page, catalogue ?? JSON.stringify(defaultCatalogue()), { delayMs: catalogueDelayMs });
  }
  await p.page.addInitScript(() => {
    window.__up = false;
    addEventListener('cookiegate:ready', () => (window.__up = true));
  });
  await p.page.goto(p.url, { waitUntil: 'load' });
  return { ...p, release, up: () => p.page.evaluate(() => window.__up) };
}

/** The banner's tree (tags, attributes, texts) and its box, as the visitor gets them. */
function bannerShape(page) {
  return page.locator(BANNER).evaluate((b) => {
    const walk = (n) =>
      n.nodeType === 3
        ? n.data
        : [n.tagName.toLowerCase(), Object.fromEntries([...n.attributes].map((a) => [a.name, a.value])), [...n.childNodes].map(walk)];
    const r = b.getBoundingClientRect();
    return { tree: walk(b), box: [r.x, r.y, r.width, r.height].map(Math.round) };
  });
}

test('a first visit sees the banner before the module is up; the module puts the very same banner in its place', async () => {
  const p = await openHeld();
  try {
    await p.page.locator(BANNER).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await p.up(), false, 'the .wasm is still held: this banner is the bootstrap’s');
    await p.page.waitForTimeout(400); // its fade-in is over
    const early = await bannerShape(p.page);
    const hostBefore = await p.page.evaluate(() => {
      const host = document.querySelector('[data-cookiegate="root"]');
      host.__seen = true;
      return { first: document.body.firstElementChild === host, hosts: document.querySelectorAll('[data-cookiegate="root"]').length };
    });
    assert.deepEqual(hostBefore, { first: true, hosts: 1 }, 'one host, first in the body (first in reading and tab order)');
    await assertNothingGatedLoaded(p.page, p.requests);

    p.release();
    assert.equal(await readyOutcome(p.page), 'resolved');
    const after = await bannerShape(p.page);
    assert.deepEqual(after, early, 'the module’s banner: same nodes, attributes, texts and place');
    assert.deepEqual(
      await p.page.evaluate(() => {
        const hosts = document.querySelectorAll('[data-cookiegate="root"]');
        return { hosts: hosts.length, same: hosts[0].__seen === true, reopen: !!hosts[0].shadowRoot.querySelector('[data-cookiegate="reopen"]') };
      }),
      { hosts: 1, same: true, reopen: true },
      'the module took the same host over and put its own layers in it',
    );
    assert.deepEqual(cookiegateComplaints(p.consoleMessages).map((m) => m.text), [], 'nothing to complain about');
    assert.deepEqual(p.pageErrors.map(String), [], 'no page errors');

    // Control: the module's banner works, and consent loads what it grants.
    await p.page.locator(inBanner('accept-all')).click();
    await p.page.locator(BANNER).waitFor({ state: 'hidden' });
    await p.page.waitForFunction(() => window.cookiegate.acceptedCategory('analytics'));
    await p.page.waitForTimeout(300);
    assert.ok(trackerRequests(p.requests).length > 0, 'after Accept all the granted services load');
  } finally {
    await p.context.close();
  }
});

test('a click on the early banner waits for the module, then counts as the visitor’s choice', async () => {
  const p = await openHeld();
  try {
    await p.page.locator(inBanner('accept-all')).click();
    await p.page.waitForTimeout(500);
    assert.equal(await p.up(), false);
    await assertNothingGatedLoaded(p.page, p.requests);
    assert.equal(await p.page.evaluate(() => localStorage.getItem('cookiegate')), null, 'nothing stored while the module is not up');

    p.release();
    assert.equal(await readyOutcome(p.page), 'resolved');
    await p.page.waitForFunction(() => window.cookiegate.getConsent() !== null);
    const record = await p.page.evaluate(() => window.cookiegate.getConsent());
    assert.equal(record.method, 'accept-all', 'the early click is recorded as Accept all');
    await p.page.locator(BANNER).waitFor({ state: 'hidden' });
    await p.page.waitForTimeout(300);
    assert.ok(trackerRequests(p.requests).length > 0, 'and what it grants loads');

    // Reject all on the early banner of a second first visit: stored, nothing loads.
    const q = await openHeld();
    try {
      await q.page.locator(inBanner('reject-all')).click();
      q.release();
      assert.equal(await readyOutcome(q.page), 'resolved');
      await q.page.waitForFunction(() => window.cookiegate.getConsent() !== null);
      assert.equal((await q.page.evaluate(() => window.cookiegate.getConsent())).method, 'reject-all');
      await q.page.waitForTimeout(300);
      const trackers = trackerRequests(q.requests);
      assert.equal(trackers.length, 0, `nothing of a refused service loads:\n  ${describeRequests(trackers)}`);
    } finally {
      await q.context.close();
    }
  } finally {
    await p.context.close();
  }
});

test('focus on an early button is on the same button of the module’s banner after it takes over', async () => {
  const p = await openHeld();
  try {
    await p.page.locator(inBanner('reject-all')).focus();
    const before = await deepActive(p.page);
    assert.equal(before?.hook, 'reject-all');
    const oldButton = await p.page.locator(inBanner('reject-all')).elementHandle();
    p.release();
    assert.equal(await readyOutcome(p.page), 'resolved');
    const now = await deepActive(p.page);
    assert.equal(now?.hook, 'reject-all', 'focus stays on Reject all');
    assert.equal(now?.inBanner, true);
    assert.equal(await oldButton.evaluate((b) => b.isConnected), false, 'it is the module’s button now, not the early one');
    // Control: Enter on it decides.
    await p.page.keyboard.press('Enter');
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'reject-all');
  } finally {
    await p.context.close();
  }
});

test('with a record stored, valid or not, no early banner: the module judges it', async () => {
  const cat = defaultCatalogue();
  for (const [name, revision, bannerAfter] of [
    ['a valid record', cat.revision, false],
    ['a record of another revision', cat.revision + 1, true],
  ]) {
    const record = JSON.stringify({
      id: 'qa-early',
      timestamp: new Date().toISOString(),
      revision,
      method: 'custom',
      gpc: false,
      categories: { analytics: true },
      services: { 'google-analytics': true },
    });
    const p = await openHeld('/real.html', { initScript: `localStorage.setItem('cookiegate', ${JSON.stringify(record)})` });
    try {
      await p.page.waitForTimeout(1000);
      assert.equal(await p.page.locator(BANNER).count(), 0, `${name}: no banner while the module is held`);
      p.release();
      assert.equal(await readyOutcome(p.page), 'resolved');
      await p.page.waitForTimeout(300);
      assert.equal(await p.page.locator(BANNER).isVisible(), bannerAfter, `${name}: the module ${bannerAfter ? 'asks again' : 'shows no banner'}`);
    } finally {
      await p.context.close();
    }
  }
});

test('the module cannot start: the early banner goes away and nothing loads', async () => {
  // The .wasm answers 404 after the early banner is up.
  const p = await openHeld('/real.html', { status: 404, wasmDelayMs: 1200 });
  try {
    await p.page.locator(BANNER).waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await readyOutcome(p.page), /^rejected: /);
    assert.equal(await p.page.locator(BANNER).count(), 0, 'no banner left that suggests a choice can be made');
    assert.equal(await p.page.locator('[data-cookiegate="root"]').count(), 0, 'and no host');
    assert.ok(p.consoleMessages.some((m) => m.type === 'error' && /could not start/.test(m.text)), 'the console says why');
    await p.page.locator(BANNER).first().click({ trial: true, timeout: 300 }).catch(() => {});
    await assertNothingGatedLoaded(p.page, p.requests);
  } finally {
    await p.context.close();
  }
  // The .wasm fails before the catalogue arrives: no early banner at all.
  const q = await openHeld('/real.html', { status: 404, catalogueDelayMs: 800 });
  try {
    assert.match(await readyOutcome(q.page), /^rejected: /);
    await q.page.waitForTimeout(1200);
    assert.equal(await q.page.locator(BANNER).count(), 0, 'a catalogue that comes after the failure shows nothing');
  } finally {
    await q.context.close();
  }
});

test('a catalogue the module refuses: the early banner goes away once it says why; markup in texts stays text', async () => {
  // Valid JSON with every banner text, refused by the module (an unknown field).
  const refused = defaultCatalogue();
  refused.texts.en.banner_title = '<img src=x onerror="window.__pwned=1">Cookies';
  refused.colour = 'blue';
  const p = await openHeld('/real.html', { catalogue: JSON.stringify(refused) });
  try {
    await p.page.locator(BANNER).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await p.page.locator(`${BANNER} h2`).textContent(), refused.texts.en.banner_title, 'the title as text');
    assert.equal(await p.page.locator(`${BANNER} img`).count(), 0, 'no element made from it');
    p.release();
    assert.match(await readyOutcome(p.page), /^rejected: /);
    assert.equal(await p.page.locator(BANNER).count(), 0, 'the early banner is gone');
    const complaints = cookiegateComplaints(p.consoleMessages);
    assert.equal(complaints.length, 1, complaints.map((m) => m.text).join('\n'));
    assert.match(complaints[0].text, /colour/, 'the one complaint names the field');
    assert.equal(await p.page.evaluate(() => window.__pwned), undefined);
    await assertNothingGatedLoaded(p.page, p.requests);
  } finally {
    await p.context.close();
  }

  // Control: the same markup in an otherwise valid catalogue: the module keeps it, as text.
  const valid = defaultCatalogue();
  valid.texts.en.banner_title = refused.texts.en.banner_title;
  const q = await openHeld('/real.html', { catalogue: JSON.stringify(valid) });
  try {
    await q.page.locator(BANNER).waitFor({ state: 'visible', timeout: 10_000 });
    q.release();
    assert.equal(await readyOutcome(q.page), 'resolved');
    assert.equal(await q.page.locator(`${BANNER} h2`).textContent(), valid.texts.en.banner_title);
    assert.equal(await q.page.evaluate(() => window.__pwned), undefined);
  } finally {
    await q.context.close();
  }
});

test('no early banner from a catalogue whose policy link is not https: or whose texts are missing', async () => {
  const js = defaultCatalogue();
  js.policy_url = 'javascript:alert(1)';
  const partial = defaultCatalogue();
  delete partial.texts.en.accept_all;
  for (const [name, body] of [
    ['a javascript: policy link', js],
    ['no Accept all text', partial],
  ]) {
    const p = await openHeld('/real.html', { catalogue: JSON.stringify(body) });
    try {
      await p.page.waitForTimeout(1000);
      assert.equal(await p.page.locator(BANNER).count(), 0, `${name}: nothing shown early`);
      p.release();
      assert.match(await readyOutcome(p.page), /^rejected: /, `${name}: the module refuses it too`);
      assert.equal(await p.page.locator(BANNER).count(), 0);
      await assertNothingGatedLoaded(p.page, p.requests);
    } finally {
      await p.context.close();
    }
  }
});

test('under a strict CSP, and with Trusted Types required, the early banner shows without a violation', async () => {
  for (const csp of ['strict', 'tt']) await earlyUnder(csp);
});

async function earlyUnder(csp) {
  const p = await openHeld('/real.html', { csp });
  try {
    await p.page.locator(BANNER).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await p.up(), false);
    p.release();
    assert.equal(await readyOutcome(p.page), 'resolved');
    assert.deepEqual(await p.cspViolations(), [], `no violation under ${csp}`);
    const doc = p.responses.find((r) => r.url === p.url);
    assert.ok(doc?.headers['content-security-policy'], `the page was served with a CSP (${csp})`);
  } finally {
    await p.context.close();
  }
}

test('a per-language file the module refuses: the early banner stays through the fallback, and a click on it counts', async () => {
  // The demo storefront uses data-languages: the English file is refused, the full catalogue is fine.
  const refused = defaultCatalogue();
  refused.languages = ['en'];
  refused.texts = { en: refused.texts.en };
  refused.colour = 'blue';
  const p = await newPage(getBrowser(), '/', { goto: false });
  let release;
  const held = new Promise((y) => (release = y));
  await p.page.route(WASM, async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  await p.page.route('**/cookiegate/catalogue.en.json', (route) =>
    route.fulfill({ status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: JSON.stringify(refused) }),
  );
  // The full catalogue comes slowly: the click below lands between the two mounts.
  let fullAsked = false;
  await p.page.route('**/cookiegate/catalogue.json', async (route) => {
    fullAsked = true;
    await new Promise((y) => setTimeout(y, 1500));
    await route.continue().catch(() => {});
  });
  try {
    await p.page.goto(p.url, { waitUntil: 'load' });
    await p.page.locator(BANNER).waitFor({ state: 'visible', timeout: 10_000 });
    release();
    for (let i = 0; i < 100 && !fullAsked; i++) await p.page.waitForTimeout(50);
    assert.ok(fullAsked, 'the module refused the English file and the full catalogue was asked for');
    assert.ok(await p.page.locator(BANNER).isVisible(), 'the early banner is still up meanwhile');
    await p.page.locator(inBanner('accept-all')).click();
    await p.page.locator(inBanner('accept-all')).click(); // a second click makes no second record
    assert.equal(await readyOutcome(p.page), 'resolved', 'the full catalogue started it');
    await p.page.waitForFunction(() => window.cookiegate.getConsent() !== null);
    assert.equal((await p.page.evaluate(() => window.cookiegate.getConsent())).method, 'accept-all', 'the early click was carried out');
    assert.ok(
      p.consoleMessages.some((m) => m.type === 'warning' && /catalogue\.en\.json/.test(m.text)),
      'the console names the refused file',
    );
    assert.equal(await p.page.evaluate(() => window.cookiegate.acceptedCategory('analytics')), true, 'and it grants what Accept all grants');
    // The demo storefront has data-consent-endpoint="/consent": the one choice sends exactly one record.
    const records = () => p.requests.filter((r) => r.method === 'POST' && new URL(r.url).pathname === '/consent');
    for (let i = 0; i < 100 && records().length === 0; i++) await p.page.waitForTimeout(50);
    await p.page.waitForTimeout(500);
    assert.equal(records().length, 1, 'one choice, one record sent, the second click made none');
  } finally {
    await p.context.close();
  }
});

test('two inline catalogues: nothing early either (the module refuses both)', async () => {
  const json = JSON.stringify(defaultCatalogue()).replace(/</g, '\\u003c');
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<script src="/cookiegate/cookiegate.js" nonce="{{nonce}}"></script>
<title>Two inline catalogues</title></head>
<body><main><h1>Shop</h1></main>
<script type="application/json" id="cookiegate-catalogue">${json}</script>
<script type="application/json" id="cookiegate-catalogue">${json}</script>
</body></html>`;
  const p = await openHeld('/two-inline.html', { fixtures: { '/two-inline.html': page } });
  try {
    await p.page.waitForTimeout(1000);
    assert.equal(await p.page.locator(BANNER).count(), 0, 'no banner while the module is held');
    p.release();
    assert.match(await readyOutcome(p.page), /^rejected: /);
    assert.equal(await p.page.locator(BANNER).count(), 0);
  } finally {
    await p.context.close();
  }
});
