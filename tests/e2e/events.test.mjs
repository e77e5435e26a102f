// Page events (issue 15): cookiegate:change (which categories and services a
// replaced choice flipped), cookiegate:reload (before the reload a withdrawal
// needs; not cancellable), cookiegate:preferences-shown / -hidden. Each event
// is recorded by a listener the page installs before cookiegate.js runs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookiegateReady } from './harness.mjs';
import {
  catalogue,
  fixturePage,
  inBanner,
  inDialog,
  DIALOG,
  bannerShown,
  dialogOpen,
} from './fixtures/banner-helpers.mjs';

const getBrowser = sharedBrowser();
const CAT = catalogue();
const OPTIONAL = CAT.categories.filter((c) => !c.required).map((c) => c.id);
const requiredCategory = (id) => CAT.categories.find((c) => c.id === id)?.required;
const OPTIONAL_SERVICES = CAT.services.filter((s) => !requiredCategory(s.category)).map((s) => s.id);

/** Records every cookiegate:* event as {type, detail, cancelable} in window.__events. */
function recordEvents() {
  window.__events = [];
  for (const type of [
    'cookiegate:ready',
    'cookiegate:consent',
    'cookiegate:change',
    'cookiegate:reload',
    'cookiegate:preferences-shown',
    'cookiegate:preferences-hidden',
  ]) {
    window.addEventListener(type, (e) =>
      window.__events.push({ type, detail: JSON.parse(JSON.stringify(e.detail)), cancelable: e.cancelable }),
    );
  }
}

const events = (page, type) =>
  page.evaluate((t) => window.__events.filter((e) => !t || e.type === t), type);
const types = async (page) => (await events(page)).map((e) => e.type);
const clearEvents = (page) => page.evaluate(() => (window.__events.length = 0));

let n = 0;
async function open({ body = '' } = {}) {
  const path = `/__test/events-${n++}.html`;
  const fixtures = { [path]: fixturePage({ body }) };
  const p = await newPage(getBrowser(), path, { fixtures, initScript: recordEvents });
  await cookiegateReady(p.page);
  return p;
}

/** A second tab of the same page in the same context (same storage). */
async function secondTab({ context, url }) {
  const page = await context.newPage();
  await page.goto(url);
  await cookiegateReady(page);
  return page;
}

test('cookiegate:change: not on the first choice; on a change, with every category and service that flipped, after cookiegate:consent', async () => {
  const { page, context } = await open();
  try {
    await bannerShown(page);
    await page.click(inBanner('accept-all'));
    assert.deepEqual(await events(page, 'cookiegate:change'), [], 'a first choice changes nothing that existed');
    await clearEvents(page);

    await page.evaluate(() => window.cookiegate.rejectAll());
    assert.deepEqual(await types(page), ['cookiegate:consent', 'cookiegate:change'], 'consent, then change');
    const [{ detail }] = await events(page, 'cookiegate:change');
    assert.deepEqual(detail.changed.categories, OPTIONAL, 'every optional category was withdrawn');
    assert.deepEqual(detail.changed.services, OPTIONAL_SERVICES, 'and every optional service');
    assert.equal(detail.record.method, 'reject-all');
    assert.deepEqual(detail.record, await page.evaluate(() => window.cookiegate.getConsent()), 'the record now in force');
    await clearEvents(page);

    await page.evaluate(() => window.cookiegate.rejectAll());
    assert.deepEqual(await types(page), ['cookiegate:consent'], 'the same choice again: consent, no change');
    await clearEvents(page);

    await page.evaluate(() => window.cookiegate.accept(['analytics']));
    const [grant] = await events(page, 'cookiegate:change');
    assert.deepEqual(grant.detail.changed.categories, ['analytics'], 'a grant is a change too');
    const analytics = CAT.services.filter((s) => s.category === 'analytics').map((s) => s.id);
    assert.deepEqual(grant.detail.changed.services, analytics);
  } finally {
    await context.close();
  }
});

test('cookiegate:change: one service switched off in the dialog names that service only', async () => {
  const { page, context } = await open();
  try {
    await page.click(inBanner('accept-all'));
    await clearEvents(page);
    await page.evaluate(() => window.cookiegate.showPreferences());
    await page.click(`${DIALOG} [data-cookiegate-services="analytics"]`);
    await page.locator(`${DIALOG} input[data-cookiegate-service="google-analytics"]`).uncheck();
    await page.click(inDialog('save'));
    const [{ detail }] = await events(page, 'cookiegate:change');
    assert.deepEqual(detail.changed, { categories: [], services: ['google-analytics'] }, 'analytics stays (partly) granted');
    assert.equal(detail.record.method, 'custom');
    assert.equal(detail.record.services['google-analytics'], false);
  } finally {
    await context.close();
  }
});

test('cookiegate:change: reset() reports what it withdrew with record null; restoring on load is no change', async () => {
  const { page, context } = await open();
  try {
    await page.evaluate(() => window.cookiegate.accept(['analytics', 'social']));
    await page.reload();
    await cookiegateReady(page);
    assert.deepEqual(await types(page), ['cookiegate:consent', 'cookiegate:ready'], 'restored: consent, no change');
    await clearEvents(page);
    await page.evaluate(() => window.cookiegate.reset());
    const [{ detail }] = await events(page, 'cookiegate:change');
    assert.deepEqual(detail.changed.categories, ['analytics', 'social']);
    assert.equal(detail.record, null, 'no choice is in force after a reset');
    await bannerShown(page);
  } finally {
    await context.close();
  }
});

test('cookiegate:change: a tab follows a change made in another tab and says what changed', async () => {
  const first = await open();
  try {
    const a = first.page;
    await a.evaluate(() => window.cookiegate.acceptAll());
    const b = await secondTab(first);
    await clearEvents(b);
    await a.evaluate(() => window.cookiegate.accept(['marketing']));
    await b.waitForFunction(() => window.__events.some((e) => e.type === 'cookiegate:change'), null, { timeout: 5000 });
    const [{ detail }] = await events(b, 'cookiegate:change');
    assert.deepEqual(detail.changed.categories, OPTIONAL.filter((c) => c !== 'marketing'));
    assert.equal(detail.record.method, 'restored', 'the other tab takes the record as restored');
    assert.equal(detail.record.categories.marketing, true);
  } finally {
    await first.context.close();
  }
});

// An analytics script that really ran: withdrawing analytics needs a reload.
const RAN = `<script type="text/plain" data-category="analytics" nonce="{{nonce}}">window.__analyticsRan = true;</script>`;

test('cookiegate:reload: dispatched before the reload a withdrawal needs, with the record; preventDefault does not stop it', async () => {
  const { page, context } = await open({ body: RAN });
  try {
    await page.evaluate(() => window.cookiegate.acceptAll());
    await page.waitForFunction(() => window.__analyticsRan === true);
    await page.evaluate(() => {
      window.addEventListener('cookiegate:reload', (e) => {
        e.preventDefault();
        sessionStorage.setItem('heard', JSON.stringify({ detail: e.detail, cancelable: e.cancelable }));
      });
    });
    await clearEvents(page);
    const reloaded = page.waitForEvent('load', { timeout: 5000 });
    await page.evaluate(() => window.cookiegate.rejectAll());
    const heardBefore = await types(page);
    await reloaded;
    assert.deepEqual(heardBefore, ['cookiegate:consent', 'cookiegate:change', 'cookiegate:reload'], 'reload comes last');
    await cookiegateReady(page);
    const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0].type);
    assert.equal(nav, 'reload', 'the page reloaded');
    const heard = JSON.parse(await page.evaluate(() => sessionStorage.getItem('heard')));
    assert.equal(heard.cancelable, false, 'the reload cannot be cancelled');
    assert.equal(heard.detail.record.method, 'reject-all', 'the record that caused it');
    assert.equal(await page.evaluate(() => window.__analyticsRan === true), false, 'after the reload analytics stays off');
  } finally {
    await context.close();
  }
});

test('cookiegate:reload: reset() after a script ran reloads with record null; a withdrawal of what never ran does not reload', async () => {
  const { page, context } = await open({ body: RAN });
  try {
    await page.evaluate(() => window.cookiegate.accept(['analytics']));
    await page.waitForFunction(() => window.__analyticsRan === true);
    await clearEvents(page);
    const reloaded = page.waitForEvent('load', { timeout: 5000 });
    await page.evaluate(() => window.cookiegate.reset());
    const [{ detail }] = await events(page, 'cookiegate:reload');
    assert.equal(detail.record, null);
    await reloaded;
    await cookiegateReady(page);
    await bannerShown(page);

    // Control: nothing of marketing ever ran here, so withdrawing it needs no reload.
    await page.evaluate(() => window.cookiegate.accept(['marketing']));
    await page.evaluate(() => (window.__samePage = true));
    await page.evaluate(() => window.cookiegate.rejectAll());
    await page.waitForTimeout(1500);
    assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload');
    assert.deepEqual(await events(page, 'cookiegate:reload'), []);
  } finally {
    await context.close();
  }
});

test('cookiegate:preferences-shown / -hidden: once per opening and closing, whichever control or call does it', async () => {
  const { page, context } = await open();
  try {
    await bannerShown(page);
    const seen = async () => (await types(page)).filter((t) => t.startsWith('cookiegate:preferences'));
    await clearEvents(page);

    await page.click(inBanner('preferences'));
    assert.deepEqual(await seen(), ['cookiegate:preferences-shown'], 'banner button');
    await page.evaluate(() => window.cookiegate.showPreferences());
    assert.deepEqual(await seen(), ['cookiegate:preferences-shown'], 'opening an open dialog is not shown twice');
    await page.click(inDialog('close'));
    await page.waitForFunction(() => window.__events.some((e) => e.type === 'cookiegate:preferences-hidden'));
    assert.deepEqual(await seen(), ['cookiegate:preferences-shown', 'cookiegate:preferences-hidden'], 'close button');
    await clearEvents(page);

    await page.click('[data-cookiegate-open]');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => window.__events.some((e) => e.type === 'cookiegate:preferences-hidden'));
    assert.deepEqual(await seen(), ['cookiegate:preferences-shown', 'cookiegate:preferences-hidden'], 'footer link, Escape');
    await clearEvents(page);

    await page.evaluate(() => window.cookiegate.showPreferences());
    assert.equal(await dialogOpen(page), true);
    await page.click(inDialog('save'));
    await page.waitForFunction(() => window.__events.some((e) => e.type === 'cookiegate:preferences-hidden'));
    assert.deepEqual(
      await types(page),
      ['cookiegate:preferences-shown', 'cookiegate:consent', 'cookiegate:preferences-hidden'],
      'save: the choice, then the dialog has closed',
    );
    await clearEvents(page);

    await page.evaluate(() => window.cookiegate.showPreferences());
    await page.evaluate(() => window.cookiegate.hide());
    await page.waitForFunction(() => window.__events.some((e) => e.type === 'cookiegate:preferences-hidden'));
    assert.deepEqual(await seen(), ['cookiegate:preferences-shown', 'cookiegate:preferences-hidden'], 'hide()');
    const details = (await events(page)).map((e) => e.detail);
    assert.deepEqual(details, [null, null], 'no detail');
  } finally {
    await context.close();
  }
});
