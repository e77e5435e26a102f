// Hosting cookiegate on another origin (a CDN), as the README says (issue
// 15): the glue, the .wasm and the catalogue are fetched with CORS and need
// Access-Control-Allow-Origin; cookiegate.js needs it only with
// `crossorigin` (which `integrity` requires); under a CSP the CDN must be in
// connect-src when the policy restricts it. Each requirement has a control
// that fails closed without it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { sharedBrowser, newPage, DIST } from './harness.mjs';
import { BANNER } from './fixtures/banner-helpers.mjs';

const getBrowser = sharedBrowser();
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

// The "CDN": a server of its own on another origin (cdn.shop.test resolves
// to loopback). Not Playwright's route.fulfill, which adds CORS headers itself.
let cdnServer;
let CDN;
let CDN_ORIGIN;
let corsFor = () => true;
const cdnRequests = [];
before(async () => {
  cdnServer = http.createServer((req, res) => {
    const file = path.basename(new URL(req.url, 'http://x').pathname);
    cdnRequests.push(file);
    let body;
    try {
      body = fs.readFileSync(path.join(DIST, file));
    } catch {
      res.writeHead(404).end();
      return;
    }
    const headers = { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' };
    if (corsFor(file)) headers['Access-Control-Allow-Origin'] = '*';
    res.writeHead(200, headers).end(body);
  });
  cdnServer.keepAliveTimeout = 500;
  await new Promise((resolve) => cdnServer.listen(0, '127.0.0.1', resolve));
  CDN_ORIGIN = `http://cdn.shop.test:${cdnServer.address().port}`;
  CDN = `${CDN_ORIGIN}/cookiegate/1.0.0/`;
});
after(() => {
  cdnServer?.closeAllConnections?.();
  cdnServer?.close();
});

// What the README tells you to run: openssl dgst -sha384 -binary cookiegate.js | openssl base64 -A
const integrity = () =>
  'sha384-' + crypto.createHash('sha384').update(fs.readFileSync(path.join(DIST, 'cookiegate.js'))).digest('base64');

const shopHtml = ({ tag = 'crossorigin="anonymous"', csp } = {}) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
${csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : ''}
<script src="${CDN}cookiegate.js" data-catalogue="${CDN}catalogue.json" ${tag} nonce="{{nonce}}"></script>
<title>CDN shop</title></head>
<body><main><h1>Shop</h1>
<script type="text/plain" data-category="analytics" nonce="{{nonce}}">window.__analyticsRan = true;</script>
</main></body></html>`;

let n = 0;
/**
 * Opens a shop page whose cookiegate comes from the CDN. `cors(file)` says
 * whether the CDN answers that file with Access-Control-Allow-Origin;
 * `csp` is a policy in a <meta> tag ('nonce-{{nonce}}' is the page's nonce),
 * `serverCsp` one of the server's CSP headers.
 */
async function openShop({ cors = () => true, tag, csp, serverCsp } = {}) {
  const pagePath = `/__test/cdn-${n++}.html`;
  corsFor = cors;
  cdnRequests.length = 0;
  const p = await newPage(getBrowser(), pagePath, {
    fixtures: { [pagePath]: shopHtml({ tag, csp }) },
    csp: serverCsp,
    goto: false,
  });
  await p.page.goto(p.url);
  const started = await p.page
    .waitForFunction(() => window.cookiegate?.ready, null, { timeout: 5000 })
    .then(() => p.page.evaluate(() => window.cookiegate.ready.then(() => true, () => false)))
    .catch(() => false);
  return { ...p, started };
}

async function choosesAndRuns(page) {
  await page.locator(BANNER).waitFor({ state: 'visible' });
  await page.click(`${BANNER} [data-cookiegate="accept-all"]`);
  await page.waitForFunction(() => window.__analyticsRan === true, null, { timeout: 5000 });
}

test('CDN: with Access-Control-Allow-Origin on the files, crossorigin and the README\'s integrity hash, cookiegate runs from the CDN', async () => {
  const { page, context, started } = await openShop({
    tag: `crossorigin="anonymous" integrity="${integrity()}"`,
  });
  try {
    assert.ok(started, 'cookiegate started');
    await choosesAndRuns(page);
    assert.deepEqual([...cdnRequests].sort(), ['catalogue.json', 'cookiegate.js', 'cookiegate_core.js', 'cookiegate_core_bg.wasm']);
  } finally {
    await context.close();
  }
});

test('CDN: without crossorigin, cookiegate.js itself needs no CORS header (the other three still do)', async () => {
  const { page, context, started } = await openShop({ tag: '', cors: (f) => f !== 'cookiegate.js' });
  try {
    assert.ok(started);
    await choosesAndRuns(page);
  } finally {
    await context.close();
  }
});

test('CDN: controls — the glue, the .wasm or the catalogue without Access-Control-Allow-Origin: nothing starts, nothing runs, the console says so', async () => {
  for (const file of ['cookiegate_core.js', 'cookiegate_core_bg.wasm', 'catalogue.json']) {
    const { page, context, started, consoleMessages } = await openShop({ cors: (f) => f !== file });
    try {
      assert.equal(started, false, `${file} without CORS: cookiegate must not start`);
      assert.equal(await page.locator(BANNER).count(), 0, `no banner (${file})`);
      assert.equal(await page.evaluate(() => window.__analyticsRan === true), false, 'nothing gated ran');
      const errors = consoleMessages.filter((m) => m.type === 'error' && /cookiegate/.test(m.text));
      assert.ok(errors.length > 0, `${file}: a cookiegate console error: ${JSON.stringify(consoleMessages)}`);
    } finally {
      await context.close();
    }
  }
});

test('CDN: a wrong integrity hash stops cookiegate.js (control for the hash test)', async () => {
  const wrong = 'sha384-' + Buffer.alloc(48).toString('base64');
  const { context, started } = await openShop({ tag: `crossorigin="anonymous" integrity="${wrong}"` });
  try {
    assert.equal(started, false);
  } finally {
    await context.close();
  }
});

test("CDN: under the README's strict CSP it runs; a policy restricting connect-src needs the CDN there", async () => {
  const strict = await openShop({ serverCsp: 'strict' });
  try {
    assert.ok(strict.started, 'strict CSP (nonce + strict-dynamic): the nonce covers the glue import');
    await choosesAndRuns(strict.page);
  } finally {
    await strict.context.close();
  }
  const base = "script-src 'nonce-{{nonce}}' 'wasm-unsafe-eval' 'strict-dynamic'; object-src 'none'; base-uri 'none'";
  const allowed = await openShop({ csp: `${base}; connect-src 'self' ${CDN_ORIGIN}` });
  try {
    assert.ok(allowed.started, 'connect-src lists the CDN');
    await choosesAndRuns(allowed.page);
  } finally {
    await allowed.context.close();
  }
  const refused = await openShop({ csp: `${base}; connect-src 'self'` });
  try {
    assert.equal(refused.started, false, "connect-src 'self' alone refuses the .wasm and the catalogue");
    const blocked = (await refused.cspViolations()).filter((v) => v.directive === 'connect-src').map((v) => v.blockedURI);
    assert.ok(blocked.some((u) => u.startsWith(CDN_ORIGIN)), `the CDN was refused by connect-src: ${blocked}`);
    assert.equal(await refused.page.evaluate(() => window.__analyticsRan === true), false);
  } finally {
    await refused.context.close();
  }
});
