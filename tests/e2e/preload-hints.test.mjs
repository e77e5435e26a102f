// Resource hints for cookiegate's glue and wasm (README "Preload hints"):
// with them the browser fetches both alongside the bootstrap. Each must match
// the bootstrap's own request exactly, or the file is fetched twice and
// Chromium warns about a preload it did not use. The demo storefront carries
// them; the test page (www/real.html) stays the one-tag embed the rest of the
// suite checks, so the hinted copies of it are built here. The controls are
// that page without hints and with hints that do not match.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sharedBrowser, newPage, cookiegateReady, trackerRequests, describeRequests, REPO_ROOT } from './harness.mjs';
import { ALL_STAND_INS, hook, bannerButton, waitForStandIns } from './fixtures/gate-helpers.mjs';

const getBrowser = sharedBrowser();

const GLUE = '/cookiegate/cookiegate_core.js';
const WASM = '/cookiegate/cookiegate_core_bg.wasm';
/** The lines README and `cookiegate bundle` give, as the demo pages have them. */
const HINTS = [
  `<link rel="modulepreload" href="${GLUE}" nonce="{{nonce}}">`,
  `<link rel="preload" href="${WASM}" as="fetch" crossorigin>`,
];
const TAG = '<script src="/cookiegate/cookiegate.js"';

const source = (file) => fs.readFileSync(path.join(REPO_ROOT, 'www', file), 'utf8');
/** www/real.html (the one-tag embed) with `hints` right before its cookiegate tag. */
function realWith(hints) {
  const html = source('real.html');
  assert.ok(html.includes(TAG) && !html.includes('rel="modulepreload"'), 'www/real.html is the embed without hints');
  return html.replace(TAG, hints.map((h) => h + '\n').join('') + TAG);
}

// Chromium reports a preload not used "within a few seconds from the window's load event" (3 s).
const UNUSED_PRELOAD_WINDOW_MS = 3500;

/**
 * Loads `pagePath`, waits past Chromium's unused-preload window and returns
 * how the glue and the wasm were fetched: requests seen on the network and
 * the page's Resource Timing initiator of each entry.
 */
async function load(pagePath, o = {}) {
  const p = await newPage(getBrowser(), pagePath, o);
  await cookiegateReady(p.page);
  await p.page.locator(hook('banner')).waitFor({ state: 'visible' });
  await p.page.waitForTimeout(UNUSED_PRELOAD_WINDOW_MS);
  const fetched = (file) => p.requests.filter((r) => new URL(r.url).pathname === file);
  const initiators = await p.page.evaluate(
    (files) => Object.fromEntries(files.map((f) => [f, performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === f).map((e) => e.initiatorType)])),
    [GLUE, WASM],
  );
  const preloadWarnings = p.consoleMessages.filter((m) => /preload/i.test(m.text)).map((m) => `${m.type}: ${m.text}`);
  return { ...p, glue: fetched(GLUE), wasm: fetched(WASM), initiators, preloadWarnings };
}

/** What needs consent: the trackers of /real.html, the local stand-ins of index.html. */
const gated = (requests) => [...trackerRequests(requests), ...requests.filter((r) => new URL(r.url).pathname.startsWith('/stand-ins/'))];

/** The banner works: nothing gated before the choice, everything after "Accept all", no violation. */
async function acceptAllWorks(p, what, standIns = ALL_STAND_INS) {
  assert.deepEqual(gated(p.requests), [], `${what}: nothing that needs consent is requested before a choice`);
  await bannerButton(p.page, 'accept-all').click();
  await waitForStandIns(p.page, standIns).catch((e) => {
    throw new Error(`${what}: ${e.message}\nrequests:\n  ${describeRequests(gated(p.requests))}`);
  });
  assert.deepEqual(await p.cspViolations(), [], `${what}: no CSP violation`);
  assert.deepEqual(p.pageErrors.map(String), [], `${what}: no uncaught error`);
}

const HINTED = '/__hints/hinted.html';
for (const [pagePath, csp] of [[HINTED, undefined], [HINTED, 'strict'], [HINTED, 'tt'], ['/', 'strict']]) {
  const what = `${pagePath === HINTED ? 'the test page with hints' : 'the demo storefront'}${csp ? ` under CSP ${csp}` : ''}`;
  test(`preload hints on ${what}: the glue and the wasm are fetched once each, by the hints; no unused-preload warning; the banner works`, async () => {
    if (pagePath === '/') assert.ok(source('index.html').includes(HINTS.join('\n') + '\n' + TAG), 'the demo storefront has the hints right before its cookiegate tag');
    const p = await load(pagePath, { csp, fixtures: pagePath === HINTED ? { [HINTED]: realWith(HINTS) } : undefined });
    try {
      assert.equal(p.glue.length, 1, `${what}: the glue is requested once: ${describeRequests(p.glue)}`);
      assert.equal(p.wasm.length, 1, `${what}: the wasm is requested once: ${describeRequests(p.wasm)}`);
      // The bootstrap's import() and fetch() took the preloaded responses: no
      // entry of their own (an import() that fetches shows as 'script').
      assert.deepEqual(p.initiators[WASM], ['link'], `${what}: the wasm came from its preload`);
      assert.ok(!p.initiators[GLUE].includes('script'), `${what}: the glue came from its modulepreload (${p.initiators[GLUE]})`);
      assert.deepEqual(p.preloadWarnings, [], `${what}: Chromium used every preload`);
      // The demo storefront has no Google Customer Reviews tag.
      await acceptAllWorks(p, what, pagePath === '/' ? ALL_STAND_INS.filter((id) => id !== 'google-customer-reviews') : ALL_STAND_INS);
    } finally {
      await p.context.close();
    }
  });
}

test('control: the same page without hints fetches the glue and the wasm once each, from the bootstrap, and works', async () => {
  const page = '/__hints/none.html';
  const p = await load(page, { csp: 'strict', fixtures: { [page]: realWith([]) } });
  try {
    assert.equal(p.glue.length, 1, describeRequests(p.glue));
    assert.equal(p.wasm.length, 1, describeRequests(p.wasm));
    assert.deepEqual(p.initiators[WASM], ['fetch'], 'the bootstrap fetched the wasm itself');
    assert.deepEqual(p.initiators[GLUE], ['script'], 'the bootstrap imported the glue itself');
    assert.deepEqual(p.preloadWarnings, []);
    await acceptAllWorks(p, 'without hints');
  } finally {
    await p.context.close();
  }
});

test('control: a wasm preload without crossorigin does not match the bootstrap\'s fetch: fetched twice, Chromium warns, cookiegate still works', async () => {
  const page = '/__hints/no-crossorigin.html';
  const p = await load(page, { csp: 'strict', fixtures: { [page]: realWith([HINTS[0], `<link rel="preload" href="${WASM}" as="fetch">`]) } });
  try {
    assert.equal(p.wasm.length, 2, `the wasm is fetched by the hint and again by the bootstrap: ${describeRequests(p.wasm)}`);
    assert.ok(p.preloadWarnings.some((w) => /credentials mode does not match/.test(w)), `Chromium says why: ${p.preloadWarnings.join(' | ')}`);
    assert.ok(p.preloadWarnings.some((w) => /preloaded using link preload but not used/.test(w)), `and that the preload went unused: ${p.preloadWarnings.join(' | ')}`);
    assert.equal(p.glue.length, 1, 'the matching modulepreload is still used');
    await acceptAllWorks(p, 'mismatched wasm hint');
  } finally {
    await p.context.close();
  }
});

test('control: hints after the tag come too late: the bootstrap has already fetched the wasm, so it is fetched twice and Chromium warns', async () => {
  const page = '/__hints/after-tag.html';
  const html = realWith([]).replace(/(<script src="\/cookiegate\/cookiegate\.js"[^\n]*\n)/, `$1${HINTS.join('\n')}\n`);
  const p = await load(page, { csp: 'strict', fixtures: { [page]: html } });
  try {
    assert.equal(p.wasm.length, 2, `the wasm is fetched by the bootstrap and again by the late hint: ${describeRequests(p.wasm)}`);
    assert.ok(p.preloadWarnings.some((w) => /preloaded using link preload but not used/.test(w)), `Chromium says the preload went unused: ${p.preloadWarnings.join(' | ')}`);
    await acceptAllWorks(p, 'hints after the tag');
  } finally {
    await p.context.close();
  }
});

test('control: under strict CSP a modulepreload without the nonce is refused: the bootstrap imports the glue itself and still works', async () => {
  const page = '/__hints/no-nonce.html';
  const p = await load(page, { csp: 'strict', fixtures: { [page]: realWith([`<link rel="modulepreload" href="${GLUE}">`, HINTS[1]]) } });
  try {
    assert.ok(p.initiators[GLUE].includes('script'), `the import had to fetch the glue: ${p.initiators[GLUE]}`);
    assert.equal(p.glue.length, 1, `only the import reached the network: ${describeRequests(p.glue)}`);
    assert.deepEqual(p.initiators[WASM], ['link'], 'the wasm hint (a fetch, not a script) still served');
    await acceptAllWorks(p, 'modulepreload without nonce');
  } finally {
    await p.context.close();
  }
});
