// Issue 4, the banner end to end: first layer (REG-05..REG-08, A11Y-04..08),
// keyboard-only use and the modal second layer (A11Y-02/03, REG-04),
// granularity and re-opening with the stored state (REG-12..REG-17), GPC
// (REG-23), language (REG-11, A11Y-15), reflow, focus not obscured, target
// size. Uses the demo storefront (/) and small fixture pages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, openReady, cookiegateReady, loadedStandIns, trackerRequests, describeRequests } from './harness.mjs';
import {
  catalogue,
  fixturePage,
  BANNER,
  DIALOG,
  inBanner,
  inDialog,
  bannerShown,
  bannerVisible,
  dialogOpen,
  deepActive,
  tabTo,
  contrast,
  textColours,
  relativeLuminance,
} from './fixtures/banner-helpers.mjs';

const getBrowser = sharedBrowser();
const CAT = catalogue();
const OPTIONAL = CAT.categories.filter((c) => !c.required).map((c) => c.id);

/** Opens `path` in a fresh context and waits for the started module and the banner. */
const open = (path = '/', o = {}) => openReady(getBrowser(), path, o);

/** Opens every category's service list in the open dialog. */
async function expandAll(page) {
  for (const t of await page.locator(`${DIALOG} [data-cookiegate-services]`).all()) {
    if ((await t.getAttribute('aria-expanded')) !== 'true') await t.click();
  }
}

const consent = (page) => page.evaluate(() => window.cookiegate.getConsent());

test('first layer: shown on first load (headless too), with three real <button>s that each decide in one click', async () => {
  for (const [hook, method] of [
    ['reject-all', 'reject-all'],
    ['accept-all', 'accept-all'],
  ]) {
    const { page, context, pageErrors } = await open('/');
    try {
      await bannerShown(page);
      const banner = page.locator(BANNER);
      assert.equal(await banner.getAttribute('role'), 'region', 'the banner is a named region (non-modal pattern)');
      for (const h of ['reject-all', 'accept-all', 'preferences']) {
        const b = page.locator(inBanner(h));
        assert.equal(await b.count(), 1, `one ${h} button in the banner`);
        assert.equal(await b.evaluate((e) => e.tagName), 'BUTTON', `${h} is a <button>`);
        assert.ok(await b.isVisible(), `${h} is visible`);
      }
      // The accessibility tree sees them as buttons with their visible text as the name.
      for (const name of [CAT.texts.en.reject_all, CAT.texts.en.accept_all, CAT.texts.en.preferences]) {
        assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `a button named "${name}"`);
      }
      await page.click(inBanner(hook));
      const record = await consent(page);
      assert.equal(record?.method, method, `one click on ${hook} makes the choice`);
      assert.equal(await bannerVisible(page), false, 'the banner goes away after the choice');
      assert.deepEqual(pageErrors.map(String), []);
    } finally {
      await context.close();
    }
  }
});

test('first layer: Accept and Reject look the same (size, font, border, padding, colours) and their text contrast is ≥ 4.5:1', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context } = await open('/', { colorScheme });
    try {
      await bannerShown(page);
      const props = [
        'width', 'height', 'fontSize', 'fontWeight', 'fontFamily', 'borderTopWidth', 'borderTopStyle', 'borderTopColor',
        'borderBottomWidth', 'borderLeftWidth', 'borderRightWidth', 'borderRadius', 'paddingTop', 'paddingRight',
        'paddingBottom', 'paddingLeft', 'color', 'backgroundColor', 'opacity', 'visibility', 'textDecorationLine',
      ];
      const style = (hook) =>
        page.locator(inBanner(hook)).evaluate((e, props) => {
          const cs = getComputedStyle(e);
          const r = e.getBoundingClientRect();
          const out = Object.fromEntries(props.map((p) => [p, cs[p]]));
          out.width = r.width;
          out.height = r.height;
          return out;
        }, props);
      const accept = await style('accept-all');
      const reject = await style('reject-all');
      assert.ok(Math.abs(accept.width - reject.width) <= 2, `${colorScheme}: widths ${accept.width} vs ${reject.width}`);
      assert.ok(Math.abs(accept.height - reject.height) <= 2, `${colorScheme}: heights ${accept.height} vs ${reject.height}`);
      for (const p of props.filter((p) => p !== 'width' && p !== 'height')) {
        assert.equal(reject[p], accept[p], `${colorScheme}: ${p} of Reject equals Accept's`);
      }
      assert.equal(reject.opacity, '1');
      assert.equal(reject.visibility, 'visible');
      for (const [name, s] of [['accept', accept], ['reject', reject]]) {
        const ratio = contrast(s.color, s.backgroundColor);
        assert.ok(ratio >= 4.5, `${colorScheme}: ${name} text contrast ${ratio.toFixed(2)} < 4.5 (${s.color} on ${s.backgroundColor})`);
      }
    } finally {
      await context.close();
    }
  }
});

test('first layer: states the purposes and third parties, links the policy (https) and says consent can be withdrawn', async () => {
  const { page, context } = await open('/');
  try {
    await bannerShown(page);
    const text = (await page.locator(BANNER).innerText()).replace(/\s+/g, ' ');
    const en = CAT.texts.en;
    assert.ok(text.includes(en.banner_title), 'the title');
    assert.ok(text.includes(en.banner_body.replace(/\s+/g, ' ')), 'the purposes and the third parties');
    for (const word of ['preferences', 'measure', 'advertising', 'videos', 'third parties']) {
      assert.match(text, new RegExp(word, 'i'), `the first layer mentions ${word}`);
    }
    assert.ok(text.includes(en.withdraw_note), 'the withdraw note');
    assert.match(text, /withdraw/i);
    const link = page.locator(`${BANNER} a[data-cookiegate="policy-link"]`);
    assert.equal(await link.count(), 1, 'one policy link in the banner');
    const href = await link.getAttribute('href');
    assert.match(href ?? '', /^https:\/\//, 'the policy link is an https: URL');
    assert.equal(href, CAT.policy_url);
    assert.equal((await link.innerText()).trim(), en.policy_link);
    // No cookie wall wording: the banner says the shop works either way (REG-09).
    assert.match(text, /use the shop whether you accept or not/i);
  } finally {
    await context.close();
  }
});

test('first layer: no layout shift, the page does not move when the banner appears', async () => {
  const initScript = () => {
    window.__shift = 0;
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__shift += e.value;
        window.__shifts.push({ value: e.value, sources: (e.sources || []).map((s) => s.node?.nodeName + '.' + (s.node?.className || '')) });
      }
    }).observe({ type: 'layout-shift', buffered: true });
    document.addEventListener('DOMContentLoaded', () => {
      const card = document.querySelector('.product');
      window.__cardBefore = card && card.getBoundingClientRect().toJSON();
    });
  };
  const { page, context } = await open('/', { initScript });
  try {
    await bannerShown(page);
    await page.waitForTimeout(300);
    const shown = await page.evaluate(() => ({
      shift: window.__shift,
      shifts: window.__shifts,
      before: window.__cardBefore,
      after: document.querySelector('.product').getBoundingClientRect().toJSON(),
      checkout: document.getElementById('checkout').getBoundingClientRect().toJSON(),
    }));
    assert.equal(shown.shift, 0, `layout shifts with the banner shown: ${JSON.stringify(shown.shifts)}`);
    assert.deepEqual(shown.after, shown.before, 'the first product card did not move when the banner appeared');

    // The same page with a stored choice (no banner) lays out identically.
    await page.click(inBanner('reject-all'));
    await page.reload({ waitUntil: 'load' });
    await cookiegateReady(page);
    await page.waitForTimeout(300);
    assert.equal(await bannerVisible(page), false);
    const stored = await page.evaluate(() => ({
      card: document.querySelector('.product').getBoundingClientRect().toJSON(),
      checkout: document.getElementById('checkout').getBoundingClientRect().toJSON(),
    }));
    assert.deepEqual(stored.card, shown.after, 'the product card is where it is without a banner');
    assert.deepEqual(stored.checkout, shown.checkout, 'the checkout button is where it is without a banner');
  } finally {
    await context.close();
  }
});

test('keyboard: banner first in tab order; Space and Enter choose', async () => {
  for (const [hook, key, method] of [
    ['reject-all', 'Space', 'reject-all'],
    ['accept-all', 'Enter', 'accept-all'],
  ]) {
    const { page, context } = await open('/');
    try {
      await bannerShown(page);
      const hooks = [];
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        const a = await deepActive(page);
        assert.ok(a?.inBanner, `tab stop ${i + 1} is inside the banner (got ${JSON.stringify(a)})`);
        hooks.push(a.hook);
      }
      assert.deepEqual(hooks, ['policy-link', 'reject-all', 'accept-all', 'preferences'], 'banner tab order');
      await page.keyboard.press('Tab');
      const next = await deepActive(page);
      assert.equal(next.inCookiegate, false, 'Tab leaves the banner (no trap)');
      assert.match(next.text, /skip to content/i, 'the skip link comes right after the banner');
      const target = await tabTo(page, (a) => a.hook === hook, { shift: true, max: 6 });
      assert.ok(target, `Shift+Tab reaches ${hook}`);
      await page.keyboard.press(key);
      assert.equal((await consent(page))?.method, method, `${key} on ${hook}`);
      // Focus is not lost with the banner: it moves to the re-open control.
      const after = await deepActive(page);
      assert.equal(after?.hook, 'reopen', `focus after the choice: ${JSON.stringify(after)}`);
      await page.keyboard.press('Enter');
      assert.ok(await dialogOpen(page), 'Enter on it re-opens the settings');
    } finally {
      await context.close();
    }
  }
});

test('keyboard: preferences dialog is modal, focus starts on its heading and wraps, Space flips, Escape grants nothing and returns focus', async () => {
  const { page, context, requests } = await open('/');
  try {
    await bannerShown(page);
    assert.ok(await tabTo(page, (a) => a.hook === 'preferences', { max: 6 }), 'Tab reaches Settings');
    await page.keyboard.press('Enter');
    assert.ok(await dialogOpen(page), 'Enter on Settings opens the dialog');
    const first = await deepActive(page);
    assert.ok(first.inDialog, 'focus moved into the dialog');
    assert.equal(first.tag, 'h2', 'the dialog heading has focus (not Accept)');

    for (const key of ['Tab', 'Shift+Tab']) {
      const seen = new Set();
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press(key);
        const a = await deepActive(page);
        assert.ok(a?.inDialog, `${key} #${i + 1} left the dialog: ${JSON.stringify(a)}`);
        seen.add(a.hook || a.category || a.service || a.id);
      }
      for (const h of ['close', 'reject-all', 'accept-all', 'save']) assert.ok(seen.has(h), `${key} visits ${h}`);
    }

    // The page behind is inert.
    const inert = await page.evaluate(() => {
      const c = document.getElementById('checkout');
      const r = c.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, Math.min(r.y + r.height / 2, innerHeight - 1));
      return { hit: hit?.getAttribute('data-cookiegate'), x: r.x + r.width / 2, y: r.y + r.height / 2 };
    });
    assert.equal(inert.hit, 'root', 'a point over the page hits the dialog (its backdrop), not the page');
    await page.mouse.click(inert.x, Math.min(inert.y, 799));
    await page.evaluate(() => document.getElementById('checkout').focus());
    assert.equal(await page.textContent('#checkout-status'), '', 'clicking the page behind the dialog does nothing');
    assert.ok((await deepActive(page)).inDialog, 'the page behind cannot take focus');

    // A switch flips on Space.
    const sw = await tabTo(page, (a) => a.category === 'analytics', { max: 30 });
    assert.ok(sw, 'Tab reaches the analytics switch');
    assert.equal(sw.checked, false);
    await page.keyboard.press('Space');
    assert.equal((await deepActive(page)).checked, true, 'Space switches analytics on');
    await page.keyboard.press('Space');
    assert.equal((await deepActive(page)).checked, false, 'Space switches it off again');
    await page.keyboard.press('Space');
    assert.equal((await deepActive(page)).checked, true);

    // A click on the backdrop grants nothing (REG-04).
    await page.mouse.click(3, 3);
    assert.equal(await consent(page), null, 'a click outside the dialog records nothing');

    // Escape: closed, nothing granted, banner back, focus on the opener.
    await page.keyboard.press('Escape');
    assert.equal(await dialogOpen(page), false, 'Escape closes the dialog');
    assert.equal(await consent(page), null, 'Escape records nothing');
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedCategory('analytics')), false);
    await bannerShown(page, 2000);
    const back = await deepActive(page);
    assert.equal(back.hook, 'preferences', 'focus returned to the Settings button');
    assert.ok(back.inBanner);
    await page.waitForTimeout(300);
    assert.deepEqual(await loadedStandIns(page), [], 'no tracker activated');
    assert.deepEqual(trackerRequests(requests), [], describeRequests(trackerRequests(requests)));
  } finally {
    await context.close();
  }
});

test('second layer: optional switches off, necessary always on; services with provider, purpose, cookies and lifetimes; Save grants exactly what is shown', async () => {
  const { page, context } = await open('/');
  try {
    await bannerShown(page);
    await page.click(inBanner('preferences'));
    assert.ok(await dialogOpen(page));
    for (const id of OPTIONAL) {
      const sw = page.locator(`${DIALOG} input[data-cookiegate-category="${id}"]`);
      assert.equal(await sw.isChecked(), false, `${id} is off on first open`);
      assert.equal(await sw.isDisabled(), false);
    }
    const necessary = page.locator(`${DIALOG} input[data-cookiegate-category="necessary"]`);
    assert.equal(await necessary.isChecked(), true, 'necessary is on');
    assert.equal(await necessary.isDisabled(), true, 'necessary cannot be switched off');
    const necessaryItem = page.locator(`${DIALOG} li.cg-cat`, { has: page.locator('input[data-cookiegate-category="necessary"]') });
    assert.match(await necessaryItem.innerText(), new RegExp(CAT.texts.en.always_on, 'i'), '"Always on" is said');
    assert.equal(await page.getByRole('switch', { name: /Strictly necessary/ }).count(), 1, 'the switch is named by its category');

    // Expand analytics.
    const toggle = page.locator(`${DIALOG} [data-cookiegate-services="analytics"]`);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    const panel = page.locator(`${DIALOG} #${await toggle.getAttribute('aria-controls')}`);
    assert.equal(await panel.isVisible(), false, 'services are collapsed at first');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await panel.isVisible(), 'the service list shows');
    const ga = page.locator(`${DIALOG} li.cg-service`, { has: page.locator('input[data-cookiegate-service="google-analytics"]') });
    assert.equal(await ga.count(), 1);
    const gaText = (await ga.innerText()).replace(/\s+/g, ' ');
    for (const s of ['Google Analytics', 'Google Ireland Limited', '_ga', '2 years', CAT.texts.en.purpose, CAT.texts.en.lifetime]) {
      assert.ok(gaText.includes(s), `Google Analytics entry shows "${s}": ${gaText.slice(0, 300)}`);
    }
    const gaCat = CAT.services.find((s) => s.id === 'google-analytics');
    assert.ok(gaText.includes(gaCat.purpose.en.slice(0, 40)), 'its purpose');
    assert.match((await ga.locator('a[data-cookiegate-policy]').getAttribute('href')) ?? '', /^https:/, 'its privacy link');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'aria-expanded toggles back');
    assert.equal(await panel.isVisible(), false);
    await toggle.click();

    // Category on, one service off → indeterminate.
    const analytics = page.locator(`${DIALOG} input[data-cookiegate-category="analytics"]`);
    await analytics.click();
    assert.equal(await analytics.isChecked(), true);
    const services = CAT.services.filter((s) => s.category === 'analytics').map((s) => s.id);
    for (const id of services) {
      assert.equal(await page.locator(`${DIALOG} input[data-cookiegate-service="${id}"]`).isChecked(), true, `${id} follows its category`);
    }
    await page.locator(`${DIALOG} input[data-cookiegate-service="google-analytics"]`).click();
    assert.equal(await analytics.evaluate((e) => e.indeterminate), true, 'one service off makes the category mixed');
    await page.locator(`${DIALOG} input[data-cookiegate-category="social"]`).click();

    await page.click(inDialog('save'));
    assert.equal(await dialogOpen(page), false, 'Save closes the dialog');
    const record = await consent(page);
    assert.equal(record.method, 'custom');
    const wantCats = Object.fromEntries(CAT.categories.map((c) => [c.id, c.required || c.id === 'analytics' || c.id === 'social']));
    assert.deepEqual(record.categories, wantCats, 'categories as shown');
    for (const s of CAT.services) {
      const want = s.id === 'google-analytics' ? false : s.category === 'necessary' || s.category === 'analytics' || s.category === 'social';
      assert.equal(record.services[s.id], want, `service ${s.id}`);
    }
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedService('google-analytics')), false);
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedService('yandex-metrica')), true);
  } finally {
    await context.close();
  }
});

test('re-opening: footer link and the re-open button show the STORED state; withdrawing takes as many clicks as granting', async () => {
  const { page, context } = await open('/');
  try {
    await bannerShown(page);
    await page.evaluate(() => window.cookiegate.accept(['analytics']));
    assert.equal((await consent(page)).categories.analytics, true);
    // A custom save through the UI first.
    await page.click('[data-cookiegate-open]');
    assert.ok(await dialogOpen(page), 'the footer link opens the dialog');
    await page.click(`${DIALOG} [data-cookiegate-services="analytics"]`);
    await page.locator(`${DIALOG} input[data-cookiegate-service="yandex-metrica"]`).click();
    // Yandex Metrica already ran: switching it off reloads the page.
    const withdrawn = page.waitForEvent('load', { timeout: 5000 });
    await page.click(inDialog('save'));
    await withdrawn;
    await cookiegateReady(page);
    assert.equal((await consent(page)).services['yandex-metrica'], false);

    const check = async (how) => {
      assert.ok(await dialogOpen(page), `${how} opens the dialog`);
      const cat = page.locator(`${DIALOG} input[data-cookiegate-category="analytics"]`);
      assert.equal(await cat.isChecked(), true, `${how}: analytics is on as stored`);
      assert.equal(await cat.evaluate((e) => e.indeterminate), true, `${how}: analytics is mixed as stored`);
      assert.equal(await page.locator(`${DIALOG} input[data-cookiegate-service="yandex-metrica"]`).isChecked(), false, `${how}: Yandex off as stored`);
      assert.equal(await page.locator(`${DIALOG} input[data-cookiegate-service="google-analytics"]`).isChecked(), true, `${how}: GA on as stored`);
      assert.equal(await page.locator(`${DIALOG} input[data-cookiegate-category="marketing"]`).isChecked(), false, `${how}: marketing off as stored`);
    };
    await page.click('[data-cookiegate-open]');
    await check('footer link');
    await page.click(inDialog('close'));
    assert.equal(await dialogOpen(page), false);
    assert.equal(await bannerVisible(page), false, 'closing after a choice does not bring the banner back');
    const reopen = page.locator('[data-cookiegate="reopen"]');
    assert.ok(await reopen.isVisible(), 'the re-open control is shown after a choice');
    await reopen.click();
    await check('re-open button');

    // Withdraw: re-open + Reject all (2 clicks). Analytics scripts already
    // ran, so the page reloads to unload them; the refusal holds after it.
    // (The reload follows within 150 ms: the record is read after it.)
    const reloaded = page.waitForEvent('load', { timeout: 5000 });
    await page.click(inDialog('reject-all'));
    await reloaded;
    await cookiegateReady(page);
    assert.equal((await consent(page)).categories.analytics, false, 'withdrawn in two clicks, and still after the reload');
    assert.equal(await bannerVisible(page), false);
    // Grant again: re-open + Accept all (2 clicks), as many as withdrawing.
    await page.click('[data-cookiegate="reopen"]');
    await page.click(inDialog('accept-all'));
    assert.equal((await consent(page)).categories.analytics, true, 'granted in two clicks');
  } finally {
    await context.close();
  }
});

test('GPC: the banner says it was honoured, Accept all leaves advertising off, switching it on explicitly grants it', async () => {
  const { page, context } = await open('/', { gpc: true });
  try {
    await bannerShown(page);
    const text = await page.locator(BANNER).innerText();
    assert.ok(text.includes(CAT.texts.en.gpc_honoured), 'the GPC note is in the banner');
    await page.click(inBanner('accept-all'));
    const record = await consent(page);
    assert.equal(record.gpc, true);
    assert.equal(record.categories.marketing, false, 'GPC keeps marketing off on Accept all');
    assert.equal(record.categories.analytics, true);
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedCategory('marketing')), false);

    await page.click('[data-cookiegate="reopen"]');
    const sw = page.locator(`${DIALOG} input[data-cookiegate-category="marketing"]`);
    assert.equal(await sw.isChecked(), false);
    assert.ok((await page.locator(DIALOG).innerText()).includes(CAT.texts.en.gpc_honoured), 'the dialog repeats the GPC note');
    await sw.click();
    await page.click(inDialog('save'));
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedCategory('marketing')), true, 'an explicit switch grants marketing');
    assert.equal((await consent(page)).gpc, true);
  } finally {
    await context.close();
  }
});

test('language: data-lang, <html lang>, the browser locale, else English; the banner carries lang', async () => {
  const cases = [
    { name: 'data-lang de', page: fixturePage({ htmlAttrs: 'lang="en"', scriptAttrs: 'data-lang="de"' }), want: 'de' },
    { name: 'html lang fr', page: fixturePage({ htmlAttrs: 'lang="fr"' }), want: 'fr' },
    { name: 'html lang ru-RU', page: fixturePage({ htmlAttrs: 'lang="ru-RU"' }), want: 'ru' },
    { name: 'no html lang, browser es-ES', page: fixturePage({ htmlAttrs: '' }), lang: 'es-ES', want: 'es' },
    { name: 'unknown language ja', page: fixturePage({ htmlAttrs: 'lang="ja"' }), lang: 'ja-JP', want: 'en' },
  ];
  for (const [i, c] of cases.entries()) {
    const path = `/__test/banner-lang-${i}.html`;
    const { page, context } = await open(path, { fixtures: { [path]: c.page }, lang: c.lang });
    try {
      await bannerShown(page);
      const banner = page.locator(BANNER);
      assert.equal(await banner.getAttribute('lang'), c.want, `${c.name}: banner lang`);
      assert.equal(await banner.getAttribute('dir'), 'ltr');
      const t = CAT.texts[c.want];
      const text = await banner.innerText();
      assert.ok(text.includes(t.banner_title), `${c.name}: title in ${c.want}`);
      assert.equal((await page.locator(inBanner('reject-all')).innerText()).trim(), t.reject_all, `${c.name}: Reject in ${c.want}`);
      await page.click(inBanner('preferences'));
      assert.equal(await page.locator(DIALOG).getAttribute('lang'), c.want, `${c.name}: dialog lang`);
      assert.ok((await page.locator(DIALOG).innerText()).includes(t.dialog_title));
    } finally {
      await context.close();
    }
  }
});

test('language: right-to-left catalogue language (ar) sets dir="rtl" and mirrors the layout', async () => {
  const cat = catalogue();
  // Every translated text gets an Arabic entry (the English one, except the
  // few the test reads).
  const addAr = (x) => {
    if (Array.isArray(x)) return x.forEach(addAr);
    if (!x || typeof x !== 'object') return;
    if (typeof x.en === 'string' && typeof x.de === 'string') x.ar = x.en;
    Object.values(x).forEach(addAr);
  };
  addAr(cat.categories);
  addAr(cat.services);
  cat.languages.push('ar');
  cat.texts.ar = { ...cat.texts.en, banner_title: 'ملفات تعريف الارتباط في هذا المتجر', reject_all: 'رفض الكل', accept_all: 'قبول الكل', preferences: 'الإعدادات' };
  const json = JSON.stringify(cat).replace(/</g, '\\u003c');
  const html = `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<script src="/cookiegate/cookiegate.js" nonce="{{nonce}}"></script>
<script type="application/json" id="cookiegate-catalogue">${json}</script>
<title>متجر</title></head><body><main><h1>متجر</h1></main></body></html>`;
  const path = '/__test/banner-rtl.html';
  const { page, context, consoleMessages } = await open(path, { fixtures: { [path]: html } });
  try {
    await bannerShown(page);
    const banner = page.locator(BANNER);
    assert.equal(await banner.getAttribute('lang'), 'ar', JSON.stringify(consoleMessages));
    assert.equal(await banner.getAttribute('dir'), 'rtl');
    assert.equal(await banner.evaluate((e) => getComputedStyle(e).direction), 'rtl');
    assert.ok((await banner.innerText()).includes('رفض الكل'));
    // Reject (first in DOM) sits right of Accept in a right-to-left layout.
    const x = async (h) => (await page.locator(inBanner(h)).boundingBox()).x;
    assert.ok((await x('reject-all')) > (await x('accept-all')), 'buttons run right to left');
  } finally {
    await context.close();
  }
});

/** The banner's three buttons are visible or reachable by scrolling inside the banner. */
async function buttonsReachable(page, label) {
  const vp = page.viewportSize();
  for (const h of ['reject-all', 'accept-all', 'preferences']) {
    const b = page.locator(inBanner(h));
    await b.scrollIntoViewIfNeeded();
    const r = await b.boundingBox();
    assert.ok(r && r.y >= 0 && r.y + r.height <= vp.height + 1 && r.x >= 0 && r.x + r.width <= vp.width + 1,
      `${label}: ${h} is on screen after scrolling it into view: ${JSON.stringify(r)}`);
    const clipped = await b.evaluate((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
    assert.equal(clipped, false, `${label}: ${h}'s label is not clipped`);
  }
}

/** No element of the layer hides text in overflow, and the document has no horizontal scroll. */
async function noClipping(page, selector, label) {
  const r = await page.evaluate((sel) => {
    const root = document.querySelector('[data-cookiegate="root"]').shadowRoot;
    const layer = root.querySelector(sel);
    const clipped = [...layer.querySelectorAll('*')]
      .filter((e) => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
      .map((e) => e.tagName + '.' + e.className);
    const lr = layer.getBoundingClientRect();
    return {
      clipped,
      hscroll: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      layerWidth: lr.width,
      layerHeight: lr.height,
      fitsOrScrolls: lr.height <= innerHeight + 1 || [layer, ...layer.querySelectorAll('*')].some((e) => /auto|scroll/.test(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight),
      vw: innerWidth,
    };
  }, selector);
  assert.equal(r.hscroll, false, `${label}: no horizontal scroll on the document`);
  assert.deepEqual(r.clipped, [], `${label}: no text clipped sideways`);
  assert.ok(r.layerWidth <= r.vw + 0.5, `${label}: layer is ${r.layerWidth}px wide in a ${r.vw}px viewport`);
  assert.ok(r.fitsOrScrolls, `${label}: the layer fits the viewport or scrolls itself`);
}

test('reflow: 320×640 and 640×400 (200% zoom of 1280×800): no horizontal scroll, nothing clipped, all choices reachable', async () => {
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    const label = `${viewport.width}×${viewport.height}`;
    // A page that reflows itself (the demo's product grid does not at 320px).
    const path = `/__test/banner-reflow-${viewport.width}.html`;
    const body = '<p>' + 'Patch cables and transceivers. '.repeat(80) + '</p>';
    const { page, context } = await open(path, { viewport, fixtures: { [path]: fixturePage({ body, head: '<style>body{margin:0 1em}</style>' }) } });
    try {
      await bannerShown(page);
      await noClipping(page, BANNER, `${label} banner`);
      await buttonsReachable(page, label);
      const h = (await page.locator(BANNER).boundingBox()).height;
      assert.ok(h <= viewport.height, `${label}: banner height ${h} within the viewport`);

      await page.click(inBanner('preferences'));
      await page.click(`${DIALOG} [data-cookiegate-services="analytics"]`);
      await noClipping(page, DIALOG, `${label} dialog`);
      for (const hook of ['close', 'reject-all', 'accept-all', 'save']) {
        const b = page.locator(inDialog(hook));
        await b.scrollIntoViewIfNeeded();
        const r = await b.boundingBox();
        assert.ok(r.y >= 0 && r.y + r.height <= viewport.height + 1 && r.x >= 0 && r.x + r.width <= viewport.width + 1,
          `${label}: dialog ${hook} reachable: ${JSON.stringify(r)}`);
      }
      await page.click(inDialog('save'));
      assert.equal((await consent(page)).method, 'custom', `${label}: Save works at this size`);
    } finally {
      await context.close();
    }
  }
});

test('200% text size and the WCAG 1.4.12 text spacing override leave the banner readable and its choices reachable', async () => {
  const path = '/__test/banner-spacing.html';
  const { page, context } = await open(path, { viewport: { width: 375, height: 740 }, fixtures: { [path]: fixturePage() } });
  try {
    await bannerShown(page);
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '200%';
      const root = document.querySelector('[data-cookiegate="root"]').shadowRoot;
      const sheet = new CSSStyleSheet();
      // .cg at 32px = the browser's default text size at 200% (the UI
      // sizes everything from `medium`, not from the page's root).
      sheet.replaceSync('.cg { font-size: 32px !important; } * { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }');
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    });
    await page.waitForTimeout(100);
    await noClipping(page, BANNER, 'text spacing');
    await buttonsReachable(page, 'text spacing');
  } finally {
    await context.close();
  }
});

test('dark mode: dark banner background, text and buttons ≥ 4.5:1', async () => {
  const { page, context } = await open('/', { colorScheme: 'dark' });
  try {
    await bannerShown(page);
    const bg = await page.locator(BANNER).evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.ok(relativeLuminance(bg) < 0.05, `banner background is dark (${bg})`);
    const texts = await textColours(page, '.cg-banner h2, .cg-banner p, .cg-banner a, .cg-banner button');
    assert.ok(texts.length >= 5);
    for (const t of texts) {
      const r = contrast(t.fg, t.bg);
      assert.ok(r >= 4.5, `"${t.text}" ${r.toFixed(2)}:1 (${t.fg} on ${t.bg})`);
    }
  } finally {
    await context.close();
  }
});

test('contrast: every text in banner and dialog ≥ 4.5:1, light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context } = await open('/', { colorScheme });
    try {
      await bannerShown(page);
      await page.click(inBanner('preferences'));
      await expandAll(page);
      const texts = await textColours(page, 'h2, h3, label, p, dt, dd, code, span, a, button');
      assert.ok(texts.length > 30, `${texts.length} texts`);
      for (const t of texts) {
        const r = contrast(t.fg, t.bg);
        assert.ok(r >= 4.5, `${colorScheme}: "${t.text}" ${r.toFixed(2)}:1 (${t.fg} on ${t.bg})`);
      }
    } finally {
      await context.close();
    }
  }
});

test('focus not obscured: tabbing through the whole page with the banner up, no focused element is hidden under it', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 740 }]) {
    const { page, context } = await open('/', { viewport });
    try {
      await bannerShown(page);
      const seen = [];
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        await page.waitForTimeout(30);
        const r = await page.evaluate(() => {
          let a = document.activeElement;
          while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
          if (!a || a === document.body) return null;
          const banner = document.querySelector('[data-cookiegate="root"]').shadowRoot.querySelector('[data-cookiegate="banner"]');
          const f = a.getBoundingClientRect();
          const b = banner.getBoundingClientRect();
          const inside = a.getRootNode() !== document;
          const covered = f.top >= b.top && f.bottom <= b.bottom && f.left >= b.left && f.right <= b.right;
          const offscreen = f.bottom <= 0 || f.top >= innerHeight;
          return { what: a.tagName + ' ' + (a.textContent || a.getAttribute('aria-label') || '').trim().slice(0, 30), inside, covered, offscreen, f: f.toJSON(), b: b.toJSON() };
        });
        if (!r) continue;
        if (r.inside && seen.length > 3) break; // wrapped back to the banner
        seen.push(r.what);
        if (r.inside) continue;
        assert.equal(r.covered, false, `${viewport.width}px: ${r.what} is entirely under the banner ${JSON.stringify(r)}`);
        assert.equal(r.offscreen, false, `${viewport.width}px: ${r.what} is out of view`);
      }
      assert.ok(seen.length >= 20, `tabbed through ${seen.length} page elements: ${seen.join(' | ')}`);
    } finally {
      await context.close();
    }
  }
});

test('target size: every control in banner and dialog is at least 24×24 CSS px', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 320, height: 640 }]) {
    const { page, context } = await open('/', { viewport });
    try {
      await bannerShown(page);
      const sizes = async (sel) =>
        page.evaluate((sel) => {
          const root = document.querySelector('[data-cookiegate="root"]').shadowRoot;
          return [...root.querySelector(sel).querySelectorAll('button, a[href], input, [tabindex]:not([tabindex="-1"])')]
            .filter((e) => e.getClientRects().length)
            .map((e) => {
              const r = e.getBoundingClientRect();
              return { what: e.tagName + ' ' + (e.getAttribute('data-cookiegate') || e.id || e.textContent.trim().slice(0, 20)), w: r.width, h: r.height };
            });
        }, sel);
      const small = (list) => list.filter((s) => s.w < 24 || s.h < 24);
      const banner = await sizes('[data-cookiegate="banner"]');
      assert.equal(banner.length, 4);
      assert.deepEqual(small(banner), [], `${viewport.width}px banner`);
      await page.click(inBanner('preferences'));
      await expandAll(page);
      const dialog = await sizes('[data-cookiegate="preferences-dialog"]');
      assert.ok(dialog.length > 20);
      assert.deepEqual(small(dialog), [], `${viewport.width}px dialog`);
      await page.click(inDialog('reject-all'));
      const reopen = await page.locator('[data-cookiegate="reopen"]').boundingBox();
      assert.ok(reopen.width >= 24 && reopen.height >= 24, `re-open control ${JSON.stringify(reopen)}`);
    } finally {
      await context.close();
    }
  }
});
