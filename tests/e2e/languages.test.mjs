// data-languages: the bootstrap fetches only the visitor's catalogue.<lang>.json
// (chosen as the module chooses: data-lang, <html lang>, the browser's
// languages; the first listed when none fits), falls back once to the full
// data-catalogue when that file cannot be used, and without the attribute
// fetches the full catalogue only (no guessing).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sharedBrowser, newPage, cookiegateReady, trackerRequests, DIST } from './harness.mjs';
import { ALL_STAND_INS, bannerButton, waitForStandIns } from './fixtures/gate-helpers.mjs';
import { REAL_HTML } from './fixtures/leak-helpers.mjs';
import { banner } from './fixtures/hostile-common.mjs';

const TAG = 'data-catalogue="/cookiegate/catalogue.json"';
const ALL = ['en', 'de', 'fr', 'es', 'ru'];

/** real.html with `<html lang>` set (or removed) and data-languages (or none). */
function shop({ htmlLang = null, languages = ALL.join(' ') } = {}) {
  let html = REAL_HTML.replace('<html lang="en">', htmlLang ? `<html lang="${htmlLang}">` : '<html>');
  if (languages != null) html = html.replace(TAG, `${TAG} data-languages="${languages}"`);
  assert.ok(html.includes(languages == null ? TAG : 'data-languages='), 'the fixture carries the embed tag');
  return html;
}

/** Each language's banner title, read from the shipped full catalogue. */
function titles() {
  const texts = JSON.parse(fs.readFileSync(path.join(DIST, 'catalogue.json'), 'utf8')).texts;
  return Object.fromEntries(ALL.map((l) => [l, texts[l].banner_title]));
}

const getBrowser = sharedBrowser();

let pages = 0;
/** Opens a fresh fixture page; `route(page)` may intercept before navigation. */
async function open(html, { lang, csp, route } = {}) {
  const at = `/__test/languages-${++pages}.html`;
  const browser = getBrowser();
  for (const l of ALL) assert.ok(fs.existsSync(path.join(DIST, `catalogue.${l}.json`)), `dist/catalogue.${l}.json is built`);
  const p = await newPage(browser, at, { fixtures: { [at]: html }, lang, csp, goto: false });
  if (route) await route(p.page);
  await p.page.goto(p.url, { waitUntil: 'load' });
  return p;
}

/**
 * The catalogue files the page asked for, by name, in the order first asked
 * (the demo's "What has loaded" panel reads the file cookiegate used again:
 * a revalidation, not another file).
 */
function catalogueRequests(requests) {
  const names = requests.map((r) => new URL(r.url).pathname).filter((n) => /\/catalogue(\.[^/]*)?\.json$/.test(n));
  return [...new Set(names.map((n) => path.basename(n)))];
}

/** Waits for the banner and returns its title text. */
async function bannerText(page) {
  await banner(page).waitFor({ state: 'visible', timeout: 10_000 });
  return banner(page).textContent();
}

const warnings = (p) => p.consoleMessages.filter((m) => m.type === 'warning').map((m) => m.text);
// The browser's own "Failed to load resource" line for a 404 is not cookiegate's.
const errors = (p) => p.consoleMessages.filter((m) => m.type === 'error' && m.text.startsWith('cookiegate')).map((m) => m.text);

/** Opens `html` for a browser in `lang`: the banner is in `expected`, read from catalogue.<expected>.json alone. */
async function expectLanguage(html, lang, expected, name) {
  const t = titles();
  const p = await open(html, { lang });
  try {
    const text = await bannerText(p.page);
    assert.ok(text.includes(t[expected]), `${name} banner title "${t[expected]}" in: ${text}`);
    assert.deepEqual(catalogueRequests(p.requests), [`catalogue.${expected}.json`]);
  } finally {
    await p.context.close();
  }
}

test('a de-DE visitor loads only catalogue.de.json and sees the German banner', async () => {
  const t = titles();
  const p = await open(shop(), { lang: 'de-DE' });
  try {
    const text = await bannerText(p.page);
    assert.ok(text.includes(t.de), `German banner title "${t.de}" in: ${text}`);
    assert.ok(!text.includes(t.en), 'no English title');
    await cookiegateReady(p.page);
    assert.deepEqual(catalogueRequests(p.requests), ['catalogue.de.json']);
    assert.deepEqual(warnings(p), [], 'no warning');
    assert.deepEqual(errors(p), [], 'no error');
  } finally {
    await p.context.close();
  }
});

test('the dialog, placeholders and gating work from a per-language catalogue (Accept all runs every stand-in)', async () => {
  const p = await open(shop(), { lang: 'ru-RU' });
  try {
    await bannerText(p.page);
    assert.deepEqual(trackerRequests(p.requests), [], 'nothing before a choice');
    // The YouTube placeholder names the service in Russian.
    const placeholder = p.page.locator('[data-cookiegate="placeholder"]').first();
    await placeholder.waitFor({ state: 'visible', timeout: 10_000 });
    const loadOnce = await placeholder.locator('[data-cookiegate="load-once"]').textContent();
    assert.match(loadOnce, /[А-Яа-яЁё]{4}/, `the placeholder speaks Russian: ${loadOnce}`);
    await bannerButton(p.page, 'preferences').click();
    const dialog = p.page.locator('[data-cookiegate="preferences-dialog"]');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.textContent(), /[А-Яа-яЁё]{4}/, 'the dialog speaks Russian');
    await dialog.locator('[data-cookiegate="accept-all"]').click();
    await waitForStandIns(p.page, ALL_STAND_INS);
    assert.deepEqual(catalogueRequests(p.requests), ['catalogue.ru.json']);
  } finally {
    await p.context.close();
  }
});

test("the per-language URL keeps data-catalogue's query (a cache-busting version)", async () => {
  const p = await open(shop().replace(TAG, 'data-catalogue="/cookiegate/catalogue.json?v=7"'), { lang: 'de-DE' });
  try {
    await bannerText(p.page);
    const asked = p.requests.map((r) => new URL(r.url)).filter((u) => /\/catalogue/.test(u.pathname));
    assert.deepEqual([...new Set(asked.map((u) => u.pathname + u.search))], ['/cookiegate/catalogue.de.json?v=7']);
  } finally {
    await p.context.close();
  }
});

test('a visitor whose language is not listed gets the first listed language', async () => {
  await expectLanguage(shop({ languages: 'fr de en' }), 'ja-JP', 'fr', 'French');
});

test('<html lang> wins over the browser language; a region subtag matches its primary language', async () => {
  await expectLanguage(shop({ htmlLang: 'ru-UA' }), 'de-DE', 'ru', 'Russian');
});

test('data-lang wins over <html lang> and the browser', async () => {
  const html = shop({ htmlLang: 'ru' }).replace(TAG, `${TAG} data-lang="ES"`);
  await expectLanguage(html, 'de-DE', 'es', 'Spanish');
});

test('a 404 for the per-language file falls back to catalogue.json once, with one warning, and the banner still shows', async () => {
  const t = titles();
  const p = await open(shop(), {
    lang: 'de-DE',
    route: (page) => page.route('**/cookiegate/catalogue.de.json', (r) => r.fulfill({ status: 404, body: 'not here' })),
  });
  try {
    const text = await bannerText(p.page);
    assert.ok(text.includes(t.de), `still German from the full catalogue: ${text}`);
    await cookiegateReady(p.page);
    assert.deepEqual(catalogueRequests(p.requests), ['catalogue.de.json', 'catalogue.json']);
    const w = warnings(p).filter((m) => m.includes('catalogue'));
    assert.equal(w.length, 1, `one warning: ${JSON.stringify(w)}`);
    assert.match(w[0], /\/cookiegate\/catalogue\.de\.json/, 'it names the URL that failed');
    assert.match(w[0], /HTTP 404/, 'and why');
    assert.match(w[0], /\/cookiegate\/catalogue\.json instead/, 'and what it loads instead');
    assert.deepEqual(errors(p), [], 'no error');
  } finally {
    await p.context.close();
  }
});

for (const [what, body] of [
  ['not valid JSON', '{"revision": 2, "languages": ["de"'],
  ['valid JSON but not a valid catalogue', '{"revision": 2}'],
]) {
  test(`a per-language file that is ${what} falls back to catalogue.json; the warning names the file`, async () => {
    const t = titles();
    const p = await open(shop(), {
      lang: 'de-DE',
      route: (page) => page.route('**/cookiegate/catalogue.de.json', (r) => r.fulfill({ status: 200, contentType: 'application/json', body })),
    });
    try {
      const text = await bannerText(p.page);
      assert.ok(text.includes(t.de), `still German from the full catalogue: ${text}`);
      await cookiegateReady(p.page);
      assert.deepEqual(catalogueRequests(p.requests), ['catalogue.de.json', 'catalogue.json']);
      const w = warnings(p).filter((m) => m.includes('catalogue'));
      assert.equal(w.length, 1, `one warning: ${JSON.stringify(w)}`);
      assert.match(w[0], /\/cookiegate\/catalogue\.de\.json is not valid/, 'it names the URL and says it is not valid');
      assert.match(w[0], /\/cookiegate\/catalogue\.json instead/);
      assert.deepEqual(errors(p), [], 'no error');
    } finally {
      await p.context.close();
    }
  });
}

test('when the full catalogue fails too, it fails closed and the error names the full URL', async () => {
  const p = await open(shop(), {
    lang: 'de-DE',
    route: async (page) => {
      await page.route('**/cookiegate/catalogue.de.json', (r) => r.fulfill({ status: 404, body: '' }));
      await page.route('**/cookiegate/catalogue.json', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: '{"revision":' }));
    },
  });
  try {
    const failed = await p.page.evaluate(() => window.cookiegate.ready.then(() => false, () => true));
    assert.ok(failed, 'cookiegate.ready rejects');
    assert.deepEqual(catalogueRequests(p.requests), ['catalogue.de.json', 'catalogue.json'], 'one fallback, no more');
    const e = errors(p).filter((m) => m.includes('catalogue'));
    assert.equal(e.length, 1, JSON.stringify(errors(p)));
    assert.match(e[0], /\/cookiegate\/catalogue\.json is not valid; nothing that needs consent will load/);
    assert.equal(await banner(p.page).count(), 0, 'no banner');
    await p.page.waitForTimeout(300);
    assert.deepEqual(trackerRequests(p.requests), [], 'nothing that needs consent loaded');
  } finally {
    await p.context.close();
  }
});

test('control: without data-languages only catalogue.json is fetched (and the module still picks German)', async () => {
  const t = titles();
  const p = await open(shop({ languages: null }), { lang: 'de-DE' });
  try {
    const text = await bannerText(p.page);
    assert.ok(text.includes(t.de), text);
    await cookiegateReady(p.page);
    assert.deepEqual(catalogueRequests(p.requests), ['catalogue.json']);
  } finally {
    await p.context.close();
  }
});

test('the demo storefront (/) loads only its visitor language file', async () => {
  const p = await newPage(getBrowser(), '/', { lang: 'fr-FR' });
  try {
    await bannerText(p.page);
    await cookiegateReady(p.page);
    // index.html says <html lang="en">, which wins over the browser's French.
    assert.deepEqual(catalogueRequests(p.requests), ['catalogue.en.json']);
  } finally {
    await p.context.close();
  }
});

for (const csp of ['strict', 'tt']) {
  test(`under CSP ${csp}: the per-language file loads, Accept all runs everything, no violation`, async () => {
    const t = titles();
    const p = await open(shop(), { lang: 'de-DE', csp });
    try {
      const text = await bannerText(p.page);
      assert.ok(text.includes(t.de), text);
      await bannerButton(p.page, 'accept-all').click();
      await waitForStandIns(p.page, ALL_STAND_INS);
      assert.deepEqual(catalogueRequests(p.requests), ['catalogue.de.json']);
      assert.deepEqual(await p.cspViolations(), [], 'no CSP violation');
      assert.deepEqual(p.pageErrors.map(String), []);
    } finally {
      await p.context.close();
    }
  });
}
