// Issue 10, class 5: page markup cannot switch the bootstrap off or swap
// its catalogue. Elements named like the bootstrap's globals (DOM named
// access: `<div id="cookiegate">`, `<form name="dataLayer">`, `<img
// name="currentScript">`, a cross-origin frame named cookiegate) come before
// a bootstrap placed late in the page; an inline catalogue counts only as
// `<script type="application/json" id="cookiegate-catalogue">`, and two of
// them fail closed. Controls: the banner, the Consent Mode default and the
// trackers after "Accept all" work in each case.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage, cookiegateReady, trackerRequests, describeRequests } from './harness.mjs';
import { ALL_STAND_INS, bannerButton, hook, waitForStandIns } from './fixtures/gate-helpers.mjs';
import { assertFailedClosed, cookiegateComplaints, defaultCatalogue, DEFAULT_CATALOGUE_TEXT } from './fixtures/hostile-common.mjs';
import { CSPS, REAL_HTML, BOOTSTRAP_TAG, attempts } from './fixtures/leak-helpers.mjs';

const getBrowser = sharedBrowser();

/** real.html with the bootstrap moved into <body>, after `markup`. */
function lateBootstrap(markup) {
  return REAL_HTML.replace(BOOTSTRAP_TAG, '').replace('<body>', `<body>\n<div class="review">${markup}</div>\n${BOOTSTRAP_TAG}`);
}

const CLOBBERS = [
  ['<div id="cookiegate">', '<div id="cookiegate"></div>'],
  ['<form name="cookiegate">', '<form name="cookiegate"><input name="ready"></form>'],
  ['two <a id="cookiegate"> (an HTMLCollection)', '<a id="cookiegate"></a><a id="cookiegate" name="ready"></a>'],
  ['a cross-origin <iframe name="cookiegate">', '<iframe name="cookiegate" src="https://frames.example/" title="x"></iframe>'],
  ['<img name="currentScript"> and <form name="dataLayer">', '<img name="currentScript" src="https://evil.example/cdn/cookiegate.js" alt=""><form name="dataLayer"></form>'],
];

for (const csp of CSPS) {
  test(`csp=${csp}: markup named like the bootstrap's globals switches nothing off`, async () => {
    for (const [what, markup] of CLOBBERS) {
      const pagePath = `/__leaks/clobber-${CLOBBERS.findIndex((c) => c[0] === what)}.html`;
      const p = await newPage(getBrowser(), pagePath, { csp, fixtures: { [pagePath]: lateBootstrap(markup) } });
      try {
        await cookiegateReady(p.page);
        const state = await p.page.evaluate(() => ({
          api: typeof window.cookiegate.acceptAll === 'function' && window.cookiegate.ready instanceof Promise,
          first: Array.isArray(window.dataLayer) ? Array.from(window.dataLayer[0] || []).slice(0, 2) : null,
        }));
        assert.deepEqual(state, { api: true, first: ['consent', 'default'] }, `${what}: the API and the Consent Mode default are in place`);
        await p.page.locator(hook('banner')).waitFor({ state: 'visible' });
        assert.deepEqual(trackerRequests(p.requests), [], `${what}: nothing before a choice`);
        // The module came from cookiegate's own folder, not from a URL the markup chose.
        const modules = attempts(p.requests, /cookiegate_core/).map((r) => new URL(r.url).pathname);
        assert.deepEqual(modules.sort(), ['/cookiegate/cookiegate_core.js', '/cookiegate/cookiegate_core_bg.wasm'], `${what}: ${describeRequests(attempts(p.requests, /cookiegate_core/))}`);
        await bannerButton(p.page, 'accept-all').click();
        // The stand-in gtag.js reads document.currentScript too: clobbered,
        // it takes the Ads tag for Analytics (its own weakness, not ours).
        const clobbered = what.includes('currentScript');
        await waitForStandIns(p.page, ALL_STAND_INS.filter((id) => !(clobbered && id === 'google-ads')));
        assert.deepEqual(p.pageErrors.map(String), [], what);
        if (what.includes('"cookiegate"')) {
          assert.ok(
            cookiegateComplaints(p.consoleMessages).some((m) => m.text.includes('window.cookiegate was something else')),
            `${what}: the console says window.cookiegate was taken`,
          );
        }
      } finally {
        await p.context.close();
      }
    }
  });

  test(`csp=${csp}: only a <script type="application/json" id="cookiegate-catalogue"> counts; two fail closed`, async (t) => {
    const real = DEFAULT_CATALOGUE_TEXT.replace(/</g, '\\u003c');
    // A forged copy: every service "necessary", so all of it would run at once.
    const forgedCatalogue = defaultCatalogue();
    forgedCatalogue.texts.en.banner_title = 'FORGED';
    for (const s of forgedCatalogue.services) s.category = 'necessary';
    const forged = JSON.stringify(forgedCatalogue).replace(/</g, '\\u003c');
    const page = (body) =>
      REAL_HTML.replace(BOOTSTRAP_TAG, '<script src="/cookiegate/cookiegate.js" nonce="{{nonce}}"></script>').replace('</main>', body + '\n</main>');
    const inline = (text, type = 'application/json') => `<script type="${type}" id="cookiegate-catalogue">${text}</script>`;
    const cases = [
      ['a <div> before it', `<div id="cookiegate-catalogue" hidden>${forged}</div>${inline(real)}`],
      ['a <script type="text/plain"> before it', `${inline(forged, 'text/plain')}${inline(real)}`],
      ['nothing else (control)', inline(real)],
    ];
    for (const [what, body] of cases) {
      const pagePath = `/__leaks/inline-${cases.findIndex((c) => c[0] === what)}.html`;
      const p = await newPage(getBrowser(), pagePath, { csp, fixtures: { [pagePath]: page(body) } });
      try {
        await cookiegateReady(p.page);
        const title = p.page.locator(`${hook('banner')} h2`);
        await title.waitFor({ state: 'visible' });
        assert.notEqual(await title.textContent(), 'FORGED', `${what}: the real catalogue`);
        await p.page.waitForTimeout(300);
        assert.deepEqual(trackerRequests(p.requests), [], `${what}: nothing before a choice`);
        await bannerButton(p.page, 'accept-all').click();
        await waitForStandIns(p.page, ALL_STAND_INS);
      } finally {
        await p.context.close();
      }
    }
    const pagePath = '/__leaks/inline-two.html';
    const p = await newPage(getBrowser(), pagePath, { csp, fixtures: { [pagePath]: page(`${inline(forged)}${inline(real)}`) } });
    try {
      await assertFailedClosed(t, p, /more than one inline catalogue/);
    } finally {
      await p.context.close();
    }
  });
}
