// Issue 4, accessibility end to end (A11Y-16): axe-core finds no WCAG 2.2 AA
// violation with the banner open, with the preferences dialog open (a
// category expanded) and after a choice (re-open control), at desktop and
// mobile widths, light and dark. Also the ARIA structure axe cannot judge
// (A11Y-01, A11Y-10, A11Y-12) and screenshots of each state for review
// (written to /tmp/shots/, or COOKIEGATE_SHOTS).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sharedBrowser, newPage, cookiegateReady, REPO_ROOT } from './harness.mjs';
import { catalogue, BANNER, DIALOG, inBanner, inDialog, bannerShown } from './fixtures/banner-helpers.mjs';

const getBrowser = sharedBrowser();
const CAT = catalogue();
const AXE = path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const SHOTS = process.env.COOKIEGATE_SHOTS || '/tmp/shots';
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'mobile', width: 375, height: 740 },
];

/** axe-core violations of WCAG 2.0/2.1 A+AA and 2.2 AA, formatted for a message. */
async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'], resultTypes: ['violations'] }),
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary?.split('\n')[1] ?? ''}`).slice(0, 5),
  }));
}

/** Violations that involve cookiegate's own elements (the demo page is not under test). */
function ours(violations) {
  return violations
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => n.includes('data-cookiegate') || n.includes('.cg')) }))
    .filter((v) => v.nodes.length);
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

for (const colorScheme of ['light', 'dark']) {
  for (const vp of VIEWPORTS) {
    test(`axe-core: 0 violations, banner / dialog / after a choice, ${vp.name} ${vp.width}×${vp.height} ${colorScheme}`, async () => {
      const { page, context } = await newPage(getBrowser(), '/', { viewport: { width: vp.width, height: vp.height }, colorScheme });
      try {
        await cookiegateReady(page);
        await bannerShown(page);
        await page.waitForTimeout(250); // the banner's fade-in is over
        const label = `${vp.name} ${colorScheme}`;
        const banner = await axe(page);
        await shot(page, `banner-${vp.name}-${colorScheme}`);
        await page.locator(BANNER).screenshot({ path: path.join(SHOTS, `banner-only-${vp.name}-${colorScheme}.png`) });
        assert.deepEqual(ours(banner), [], `${label}, banner open`);
        // The whole page is clean too (the demo is the reference storefront).
        assert.deepEqual(banner, [], `${label}, banner open: the demo page itself`);

        await page.click(inBanner('preferences'));
        await page.click(`${DIALOG} [data-cookiegate-services="analytics"]`);
        await page.waitForTimeout(250);
        const dialog = await axe(page);
        await shot(page, `dialog-${vp.name}-${colorScheme}`);
        // The dialog from its top, as a visitor first sees it (for the README).
        await page.locator(`${DIALOG} .cg-dialog-body`).evaluate((b) => { b.scrollTop = 0; });
        await page.locator(DIALOG).screenshot({ path: path.join(SHOTS, `dialog-only-${vp.name}-${colorScheme}.png`) });
        assert.deepEqual(dialog, [], `${label}, dialog open with analytics expanded`);

        await page.click(inDialog('reject-all'));
        await page.locator('[data-cookiegate="reopen"]').waitFor({ state: 'visible' });
        const done = await axe(page);
        await shot(page, `after-${vp.name}-${colorScheme}`);
        assert.deepEqual(done, [], `${label}, after the choice (re-open control)`);
      } finally {
        await context.close();
      }
    });
  }
}

test('ARIA: banner is a named region, dialog a named modal, switches named and described, disclosures controlled, status region announces', async () => {
  const { page, context } = await newPage(getBrowser(), '/');
  try {
    await cookiegateReady(page);
    await bannerShown(page);
    const en = CAT.texts.en;
    assert.equal(await page.getByRole('region', { name: en.banner_title }).count(), 1, 'a region named by the banner title');
    const banner = page.locator(BANNER);
    assert.equal(await banner.getAttribute('aria-modal'), null, 'the non-modal banner does not claim to be modal');
    assert.notEqual(await banner.getAttribute('role'), 'alert');
    // The status region exists before anything is announced.
    const status = page.locator('[data-cookiegate="root"] [role="status"]');
    assert.equal(await status.count(), 1);
    assert.equal((await status.textContent()).trim(), '');

    await page.click(inBanner('preferences'));
    const dialog = page.getByRole('dialog', { name: en.dialog_title });
    assert.equal(await dialog.count(), 1, 'a dialog named by its title');
    assert.equal(await page.locator(DIALOG).evaluate((d) => d.matches(':modal')), true, 'opened as a modal (page inert)');
    for (const c of CAT.categories) {
      const sw = page.getByRole('switch', { name: c.title.en, exact: true });
      assert.equal(await sw.count(), 1, `a switch named "${c.title.en}"`);
      const described = await sw.getAttribute('aria-describedby');
      assert.ok(described, `${c.id} switch has a description`);
      for (const id of described.split(' ')) {
        assert.equal(await page.locator(`${DIALOG} [id="${id}"]`).count(), 1, `${c.id}: aria-describedby ${id} exists`);
      }
    }
    const toggles = page.locator(`${DIALOG} button[aria-expanded]`);
    assert.ok((await toggles.count()) >= 4);
    for (const t of await toggles.all()) {
      const controls = await t.getAttribute('aria-controls');
      assert.equal(await page.locator(`${DIALOG} [id="${controls}"]`).count(), 1, `aria-controls ${controls} exists`);
      const name = (await t.getAttribute('aria-labelledby')).split(' ');
      assert.equal(name[0], await t.getAttribute('id'), 'the accessible name starts with the visible text (label in name)');
    }
    assert.equal(await page.locator('[data-cookiegate="root"] [tabindex]:not([tabindex="-1"]):not([tabindex="0"])').count(), 0, 'no positive tabindex');

    await page.click(inDialog('save'));
    await page.waitForFunction(
      () => document.querySelector('[data-cookiegate="root"]').shadowRoot.querySelector('[role="status"]').textContent.trim() !== '',
      null,
      { timeout: 2000 },
    );
    assert.equal((await status.textContent()).trim(), en.saved, 'the save is announced');
    // Focus lands somewhere sensible after the banner goes: the re-open control or the page, never lost in a hidden layer.
    const focusOk = await page.evaluate(() => {
      let a = document.activeElement;
      while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
      return !a || a === document.body || a.getClientRects().length > 0;
    });
    assert.ok(focusOk, 'focus is not left on a hidden element');
  } finally {
    await context.close();
  }
});

test('focus is visible: banner buttons, switches and links show a ≥ 2px focus outline', async () => {
  const { page, context } = await newPage(getBrowser(), '/');
  try {
    await cookiegateReady(page);
    await bannerShown(page);
    const outline = async () =>
      page.evaluate(() => {
        let a = document.activeElement;
        while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
        const cs = getComputedStyle(a);
        return { what: a.tagName + ' ' + (a.getAttribute('data-cookiegate') || a.id), inDialog: !!a.closest('dialog'), style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor };
      });
    const seen = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      seen.push(await outline());
    }
    assert.equal(seen[3].what, 'BUTTON preferences');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      const o = await outline();
      assert.ok(o.inDialog, `${o.what} is in the dialog`);
      seen.push(o);
    }
    for (const o of seen) {
      assert.notEqual(o.style, 'none', `${o.what} shows an outline when focused`);
      assert.ok(o.width >= 2, `${o.what} outline ${o.width}px`);
    }
  } finally {
    await context.close();
  }
});

test('reduced motion: no animation on banner or dialog when the visitor asks for less motion; no timer closes the banner', async () => {
  for (const reducedMotion of ['no-preference', 'reduce']) {
    const { page, context, url } = await newPage(getBrowser(), '/', { goto: false });
    try {
      await page.emulateMedia({ reducedMotion });
      // The .wasm held: the banner first seen is the bootstrap's early one.
      let release;
      const held = new Promise((y) => (release = y));
      await page.route('**/cookiegate/cookiegate_core_bg.wasm', async (r) => {
        await held;
        await r.continue().catch(() => {});
      });
      await page.goto(url, { waitUntil: 'load' });
      await bannerShown(page);
      const anim = (sel) => page.locator(sel).evaluate((e) => getComputedStyle(e).animationName);
      const early = await anim(BANNER);
      release();
      await cookiegateReady(page);
      await bannerShown(page);
      const banner = await anim(BANNER);
      await page.click(inBanner('preferences'));
      const dialog = await anim(DIALOG);
      if (reducedMotion === 'reduce') {
        assert.equal(early, 'none', 'early banner: no animation');
        assert.equal(banner, 'none', 'banner: no animation');
        assert.equal(dialog, 'none', 'dialog: no animation');
      } else {
        assert.notEqual(early, 'none', 'the banner fades in by default (so the reduce case is meaningful)');
        assert.equal(banner, 'none', 'the module’s banner, taking the early one’s place, does not fade in a second time');
        assert.notEqual(dialog, 'none', 'the dialog fades in by default');
      }
      await page.keyboard.press('Escape');
      await page.waitForTimeout(3000);
      assert.ok(await page.locator(BANNER).isVisible(), 'the banner is still there after 3 s');
      assert.equal(await page.evaluate(() => window.cookiegate.getConsent()), null, 'nothing auto-accepted');
    } finally {
      await context.close();
    }
  }
});
