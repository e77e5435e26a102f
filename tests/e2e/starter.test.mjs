// The "Your own shop" path of the README, as a storefront developer walks
// it: policies/starter.json, shipped with `cookiegate bundle`, on a page that
// marks one element per example service. The banner shows; before a choice
// and after "Reject all" none of the example hosts is contacted; after
// "Accept all" each example script runs and the video iframe loads.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, newPage, closeServer, distBuilt, REPO_ROOT } from './harness.mjs';
import { cookiegateComplaints, readyOutcome, banner } from './fixtures/hostile-common.mjs';

/** The example services' hosts and what the page loads from each. */
const EXAMPLES = [
  { service: 'example-chat', category: 'preferences', url: 'https://chat.example.com/widget.js' },
  { service: 'example-analytics', category: 'analytics', url: 'https://analytics.example.com/tag.js' },
  { service: 'example-ads', category: 'marketing', url: 'https://ads.example.net/pixel.js' },
];
const VIDEO = 'https://video.example.org/embed/intro';
const EXAMPLE_HOSTS = ['chat.example.com', 'analytics.example.com', 'ads.example.net', 'video.example.org'];

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>My shop</title>
<script src="/cookiegate/cookiegate.js" data-catalogue="/__starter/catalogue.json" nonce="{{nonce}}"></script>
${EXAMPLES.map((e) => `<script type="text/plain" data-category="${e.category}" data-service="${e.service}" data-src="${e.url}" nonce="{{nonce}}"></script>`).join('\n')}
</head>
<body>
<h1>My shop</h1>
<iframe data-src="${VIDEO}" data-category="social" data-service="example-video" title="Intro video" width="320" height="180"></iframe>
<a href="#" data-cookiegate-open>Cookie settings</a>
</body>
</html>`;

let browser;
let bundled;
before(async () => {
  assert.ok(distBuilt(), 'dist/ is not built: run ./build.sh build first (COOKIEGATE_DIST selects the folder)');
  // The documented command, on the starter catalogue as shipped.
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cookiegate-starter-'));
  execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'cookiegate', '--', 'bundle', 'policies/starter.json', '--out', out], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  bundled = fs.readFileSync(path.join(out, 'catalogue.json'));
  fs.rmSync(out, { recursive: true, force: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await closeServer();
});

/** The page with the starter catalogue and local stand-ins for the example hosts. */
async function starterPage() {
  const p = await newPage(browser, '/__starter/shop.html', { fixtures: { '/__starter/shop.html': PAGE }, goto: false });
  await p.page.route('**/__starter/catalogue.json', (route) =>
    route.fulfill({ status: 200, headers: { 'Content-Type': 'application/json' }, body: bundled }),
  );
  for (const host of EXAMPLE_HOSTS) {
    await p.page.route(`https://${host}/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname.endsWith('.js')) {
        const body = `(window.__examples = window.__examples || []).push(${JSON.stringify(host)});`;
        return route.fulfill({ status: 200, headers: { 'Content-Type': 'text/javascript' }, body });
      }
      return route.fulfill({ status: 200, headers: { 'Content-Type': 'text/html' }, body: '<!doctype html><p>video</p>' });
    });
  }
  await p.page.goto(p.url, { waitUntil: 'load' });
  return p;
}

const exampleRequests = (requests) => requests.filter((r) => EXAMPLE_HOSTS.includes(new URL(r.url).hostname));

test('the starter catalogue shows the banner and holds every example service until consent', async () => {
  const p = await starterPage();
  try {
    assert.equal(await readyOutcome(p.page), 'resolved');
    await banner(p.page).waitFor({ state: 'visible', timeout: 10_000 });
    assert.deepEqual(cookiegateComplaints(p.consoleMessages).map((m) => m.text), []);
    await p.page.waitForTimeout(300);
    assert.deepEqual(exampleRequests(p.requests).map((r) => r.url), [], 'nothing before a choice');
    // The preferences list the examples, marked as examples to edit.
    await banner(p.page).locator('[data-cookiegate="preferences"]').click();
    const dialog = p.page.locator('[data-cookiegate="preferences-dialog"]');
    await dialog.waitFor({ state: 'visible' });
    for (const e of [...EXAMPLES, { service: 'example-video' }]) {
      assert.equal(await dialog.locator(`input[data-cookiegate-service="${e.service}"]`).count(), 1, e.service);
    }
    assert.match(await dialog.textContent(), /EXAMPLE, edit or remove: Site analytics/);
    await dialog.locator('[data-cookiegate="reject-all"]').click();
    await p.page.waitForFunction(() => window.cookiegate.getConsent()?.method === 'reject-all');
    await p.page.waitForTimeout(300);
    assert.deepEqual(exampleRequests(p.requests).map((r) => r.url), [], 'nothing after "Reject all"');
    assert.equal(await p.page.evaluate(() => window.__examples), undefined);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});

test('after "Accept all" every example script runs and the example video loads', async () => {
  const p = await starterPage();
  try {
    await banner(p.page).waitFor({ state: 'visible', timeout: 10_000 });
    await banner(p.page).locator('[data-cookiegate="accept-all"]').click();
    await p.page.waitForFunction(() => (window.__examples || []).length === 3, null, { timeout: 5_000 });
    const ran = await p.page.evaluate(() => [...window.__examples].sort());
    assert.deepEqual(ran, ['ads.example.net', 'analytics.example.com', 'chat.example.com']);
    await p.page.waitForFunction((src) => document.querySelector('iframe')?.getAttribute('src') === src, VIDEO);
    assert.ok(exampleRequests(p.requests).some((r) => r.url === VIDEO), 'the video iframe was requested');
    const consent = await p.page.evaluate(() => window.cookiegate.getConsent());
    assert.deepEqual(Object.keys(consent.services).sort(), ['cookiegate', 'example-ads', 'example-analytics', 'example-chat', 'example-video']);
    assert.deepEqual(cookiegateComplaints(p.consoleMessages).map((m) => m.text), []);
    assert.deepEqual(p.pageErrors.map(String), []);
  } finally {
    await p.context.close();
  }
});
