// Issue 7, browser side: hostile stored consent (localStorage `cookiegate`,
// set before any page script runs). A record that does not count asks
// again (banner shown, nothing gated, one `cookiegate:` message naming
// why); a record never grants more than the catalogue allows; a valid
// record is never lost.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, trackerRequests, describeRequests } from './harness.mjs';
import {
  defaultCatalogue,
  assertNothingGatedLoaded,
  assertCheckoutWorks,
  readyOutcome,
  banner,
} from './fixtures/hostile-common.mjs';

const getBrowser = sharedBrowser();

const CATALOGUE = defaultCatalogue();
const DAY = 86_400_000;

/** A well-formed stored record for the default catalogue; `edit` changes it. */
function record(edit = (r) => r) {
  const now = Date.now();
  const categories = Object.fromEntries(CATALOGUE.categories.map((c) => [c.id, !!c.required]));
  const services = Object.fromEntries(
    CATALOGUE.services.map((s) => [s.id, !!CATALOGUE.categories.find((c) => c.id === s.category)?.required]),
  );
  return edit({
    id: '0123456789abcdef0123456789abcdef',
    timestamp: new Date(now).toISOString(),
    revision: CATALOGUE.revision,
    method: 'custom',
    gpc: false,
    categories,
    services,
    expires: new Date(now + 182 * DAY).toISOString(),
    consent_mode: {},
  });
}

/** Messages of any level that start with `cookiegate:`. */
const said = (p) => p.consoleMessages.filter((m) => m.text.startsWith('cookiegate:'));

async function withStored(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return newPage(getBrowser(), '/real.html', {
    initScript: `try { localStorage.setItem('cookiegate', ${JSON.stringify(text)}); } catch (e) {}`,
  });
}

/** The record does not count: banner, nothing gated, one message matching `cause`. */
async function asksAgain(t, value, cause) {
  const p = await withStored(value);
  try {
    assert.equal(await readyOutcome(p.page), 'resolved');
    await banner(p.page).waitFor({ state: 'visible', timeout: 10_000 });
    await p.page.waitForTimeout(300);
    assert.equal(await p.page.evaluate(() => window.cookiegate.getConsent()), null, 'no choice is in force');
    await assertNothingGatedLoaded(p.page, p.requests);
    const messages = said(p);
    assert.equal(messages.length, 1, messages.map((m) => `${m.type}: ${m.text}`).join('\n'));
    assert.match(messages[0].text, cause);
    t.diagnostic(`${messages[0].type}: ${messages[0].text}`);
    await assertCheckoutWorks(p.page);
    assert.deepEqual(p.pageErrors.map(String), []);
    // Google was told "denied" again, whatever the bootstrap replayed.
    const last = await p.page.evaluate(() => {
      const u = (window.dataLayer || []).filter((e) => e && e[0] === 'consent').pop();
      return u && [u[0], u[1], u[2]?.ad_storage, u[2]?.analytics_storage];
    });
    assert.deepEqual(last?.slice(2), ['denied', 'denied'], 'the last Consent Mode message denies');
  } finally {
    await p.context.close();
  }
}

test('junk', (t) => asksAgain(t, '}{ not json at all', /^cookiegate: the stored choice is unreadable at 1:1/));

test('truncated record', (t) => {
  const full = JSON.stringify(record((r) => ({ ...r, categories: { ...r.categories, analytics: true } })));
  return asksAgain(t, full.slice(0, Math.floor(full.length / 2)), /stored choice is unreadable at 1:\d+/);
});

test('huge (1 MB) record', (t) =>
  asksAgain(t, JSON.stringify(record((r) => ({ ...r, pad: 'x'.repeat(1024 * 1024) }))), /larger than 64 KiB/));

test('wrong types', (t) =>
  asksAgain(
    t,
    record((r) => ({ ...r, revision: String(r.revision), categories: ['analytics'] })),
    /unreadable at 1:\d+: `revision` must be a whole number/,
  ));

test('dated in the future (with consent_mode replayed as granted)', (t) =>
  asksAgain(
    t,
    record((r) => ({
      ...r,
      timestamp: '2099-01-01T00:00:00.000Z',
      expires: '2099-07-01T00:00:00.000Z',
      categories: Object.fromEntries(Object.keys(r.categories).map((k) => [k, true])),
      consent_mode: { ad_storage: 'granted', analytics_storage: 'granted' },
    })),
    /dated in the future/,
  ));

test('another revision', (t) =>
  asksAgain(t, record((r) => ({ ...r, revision: r.revision + 7 })), /catalogue revision \d+/));

test('categories and services that no longer exist: ignored, the rest still counts', async () => {
  const p = await withStored(
    record((r) => ({
      ...r,
      categories: { ...r.categories, analytics: true, 'old-category': true },
      services: { ...r.services, 'google-analytics': true, 'old-service': true, '<img src=x>': true },
    })),
  );
  try {
    assert.equal(await readyOutcome(p.page), 'resolved');
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored');
    const consent = await p.page.evaluate(() => window.cookiegate.getConsent());
    assert.equal(consent.categories.analytics, true);
    assert.equal('old-category' in consent.categories, false, 'an unknown category is dropped');
    assert.equal('old-service' in consent.services, false, 'an unknown service is dropped');
    assert.equal(await banner(p.page).isVisible(), false, 'the choice counts: no banner');
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('a record edited to grant facebook under a refused marketing: facebook is not requested', async () => {
  const p = await withStored(
    record((r) => ({
      ...r,
      categories: { ...r.categories, analytics: true, marketing: false },
      services: { ...r.services, facebook: true, 'google-analytics': true, 'google-ads': true },
      consent_mode: { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' },
    })),
  );
  try {
    assert.equal(await readyOutcome(p.page), 'resolved');
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored');
    await p.page.waitForTimeout(800);
    const state = await p.page.evaluate(() => ({
      facebook: window.cookiegate.acceptedService('facebook'),
      ads: window.cookiegate.acceptedService('google-ads'),
      marketing: window.cookiegate.acceptedCategory('marketing'),
      analytics: window.cookiegate.acceptedService('google-analytics'),
    }));
    assert.deepEqual(state, { facebook: false, ads: false, marketing: false, analytics: true });
    const fb = p.requests.filter((r) => /facebook\.(net|com)/.test(new URL(r.url).hostname));
    assert.deepEqual(fb, [], `facebook was requested:\n  ${describeRequests(fb)}`);
    assert.ok(
      trackerRequests(p.requests).some((r) => r.url.includes('G-DEMO')),
      'what the record validly grants (analytics) still loads',
    );
    const last = await p.page.evaluate(() => {
      const u = (window.dataLayer || []).filter((e) => e && e[0] === 'consent').pop();
      return u && u[2].ad_storage;
    });
    assert.equal(last, 'denied', 'the replayed ad_storage grant is taken back');
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('a valid record (made by clicking accept) survives a reload: no loss', async () => {
  const p = await newPage(getBrowser(), '/real.html');
  try {
    await readyOutcome(p.page);
    await banner(p.page).locator('[data-cookiegate="accept-all"]').click();
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'accept-all');
    const stored = await p.page.evaluate(() => localStorage.getItem('cookiegate'));
    const id = JSON.parse(stored).id;
    await p.page.reload({ waitUntil: 'load' });
    assert.equal(await readyOutcome(p.page), 'resolved');
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'restored');
    const after = await p.page.evaluate(() => ({ stored: localStorage.getItem('cookiegate'), consent: window.cookiegate.getConsent() }));
    assert.equal(after.stored, stored, 'the stored record is unchanged');
    assert.equal(after.consent.id, id);
    assert.equal(await banner(p.page).isVisible(), false);
    assert.deepEqual(said(p).filter((m) => m.type === 'error' || m.type === 'warning').map((m) => m.text), []);
    await assertCheckoutWorks(p.page);
  } finally {
    await p.context.close();
  }
});
