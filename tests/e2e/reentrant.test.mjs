// The page calls window.cookiegate from inside cookiegate's own work: an
// inline script the gate lets in withdraws the choice that let it in; a
// focus listener makes a choice while "Load this once" hands focus to the
// frame; a focusout listener closes the preferences while they are rebuilt.
// A nested call must neither trap the module (a trap would leave every
// later call throwing) nor leave the page told an outdated choice.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookiegateReady, openReady } from './harness.mjs';
import { fixturePage, inBanner, bannerShown, dialogOpen, DIALOG } from './fixtures/banner-helpers.mjs';
import { hook, youtubeIframe } from './fixtures/gate-helpers.mjs';

const getBrowser = sharedBrowser();

/** Every cookiegate event as {type, method}, kept in sessionStorage across a reload. */
function keepEvents() {
  const keep = (type, method) => {
    const all = JSON.parse(sessionStorage.getItem('events') || '[]');
    all.push({ type, method });
    sessionStorage.setItem('events', JSON.stringify(all));
  };
  addEventListener('cookiegate:consent', (e) => keep('consent', e.detail && e.detail.method));
  addEventListener('cookiegate:reload', (e) => keep('reload', e.detail && e.detail.record && e.detail.record.method));
}

/** An analytics script; `withdraw`: on its first run it calls rejectAll() at once. */
const analytics = (withdraw) => `<script type="text/plain" data-category="analytics" nonce="{{nonce}}">
  window.__ran = (window.__ran || 0) + 1;
  ${withdraw ? "if (!sessionStorage.getItem('withdrew')) { sessionStorage.setItem('withdrew', '1'); window.cookiegate.rejectAll(); }" : ''}
</script>`;

let n = 0;
async function openShop(body) {
  const path = `/__test/reentrant-${n++}.html`;
  const p = await newPage(getBrowser(), path, { fixtures: { [path]: fixturePage({ body }) }, initScript: keepEvents });
  await cookiegateReady(p.page);
  return p;
}

/** Waits until the preferences dialog is open. */
const opened = (page) => page.waitForFunction(() => {
  const d = document.querySelector('[data-cookiegate="root"]')?.shadowRoot?.querySelector('[data-cookiegate="preferences-dialog"]');
  return !!(d && d.open);
}, null, { timeout: 5000 });

const kept = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('events') || '[]'));

test('a script let in by "Accept all" that calls rejectAll() as it runs: the page is told the refusal, not the outdated acceptance, and reloads', async () => {
  const { page, context, pageErrors } = await openShop(analytics(true));
  try {
    await bannerShown(page);
    const reloaded = page.waitForEvent('load', { timeout: 10_000 });
    await page.click(inBanner('accept-all'));
    await reloaded;
    await cookiegateReady(page);
    // The refusal came while "Accept all" was being applied, before its
    // event: the page hears only the record in force, then the reload the
    // refusal needs (the script ran and cannot be unloaded), then, after
    // it, the refusal restored.
    assert.deepEqual(await kept(page), [
      { type: 'consent', method: 'reject-all' },
      { type: 'reload', method: 'reject-all' },
      { type: 'consent', method: 'restored' },
    ]);
    assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation')[0].type), 'reload');
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedCategory('analytics')), false, 'the refusal is in force');
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedCategory('marketing')), false);
    assert.equal(await page.evaluate(() => window.__ran ?? 0), 0, 'and analytics does not run after the reload');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('control: the same script without the call runs once under "Accept all", no reload, the page told accept-all', async () => {
  const { page, context, pageErrors } = await openShop(analytics(false));
  try {
    await bannerShown(page);
    await page.evaluate(() => (window.__samePage = true));
    await page.click(inBanner('accept-all'));
    await page.waitForFunction(() => window.__ran === 1);
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload');
    assert.deepEqual(await kept(page), [{ type: 'consent', method: 'accept-all' }]);
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('a focus listener that calls acceptAll() while "Load this once" hands focus to the frame: the module keeps answering', async () => {
  const { page, context, pageErrors } = await openReady(getBrowser(), '/real.html', {
    initScript: () => {
      // "Consent by interaction", as some pages do it: the first focus on an embed accepts everything.
      document.addEventListener('focusin', (e) => {
        if (!window.__fired && e.target.matches && e.target.matches('iframe[data-service="youtube"]')) {
          window.__fired = true;
          window.cookiegate.acceptAll();
        }
      });
    },
  });
  try {
    const ph = page.locator(hook('placeholder'));
    await ph.waitFor({ state: 'visible' });
    await ph.locator(hook('load-once')).click();
    await page.waitForFunction(() => document.querySelector('iframe[data-service="youtube"]')?.src.includes('youtube-nocookie.com'));
    assert.equal(await page.evaluate(() => window.__fired === true), true, 'the listener ran inside the hand-off');
    assert.deepEqual(pageErrors.map(String), [], 'nothing threw: the module did not trap');
    assert.equal((await page.evaluate(() => window.cookiegate.getConsent()))?.method, 'accept-all', "the listener's choice is in force");
    assert.equal(await page.evaluate(() => window.cookiegate.acceptedService('youtube')), true);
    assert.equal(await ph.count(), 0, 'the placeholder is gone');
    assert.ok(await youtubeIframe(page).isVisible(), 'the frame is shown');
    // And it still answers the visitor.
    await page.evaluate(() => window.cookiegate.showPreferences());
    await opened(page);
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('a focusout listener that calls hide() while showPreferences() rebuilds the open dialog: no trap, the dialog is open', async () => {
  const { page, context, pageErrors } = await openShop('');
  try {
    await bannerShown(page);
    await page.click(inBanner('preferences'));
    await opened(page);
    await page.evaluate(() => {
      document.addEventListener('focusout', () => {
        if (!window.__fired) {
          window.__fired = true;
          window.cookiegate.hide();
        }
      });
    });
    await page.evaluate(() => window.cookiegate.showPreferences());
    assert.equal(await page.evaluate(() => window.__fired === true), true, 'the listener ran as the old dialog went');
    assert.deepEqual(pageErrors.map(String), [], 'nothing threw: the module did not trap');
    assert.equal(await dialogOpen(page), true, 'the rebuilt dialog is open');
    assert.equal(await page.locator(DIALOG).count(), 1, 'one dialog');
    // The module still answers: a choice from the rebuilt dialog is made.
    await page.evaluate(() => window.cookiegate.rejectAll());
    assert.equal((await page.evaluate(() => window.cookiegate.getConsent()))?.method, 'reject-all');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});

test('a preferences-shown listener that calls hide(): the dialog closes', async () => {
  const { page, context, pageErrors } = await openShop('');
  try {
    await bannerShown(page);
    await page.evaluate(() => addEventListener('cookiegate:preferences-shown', () => window.cookiegate.hide(), { once: true }));
    await page.evaluate(() => window.cookiegate.showPreferences());
    await page.waitForTimeout(200);
    assert.equal(await dialogOpen(page), false, 'hide() from the listener closed it');
    // Control: opened again without the listener, it stays open.
    await page.evaluate(() => window.cookiegate.showPreferences());
    await opened(page);
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});
