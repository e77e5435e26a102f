#!/usr/bin/env node
// What holding what tags inject costs: the bytes the interception block adds
// to the bootstrap (raw, gzip -9, brotli -q 11), and the main-thread time of
// a page that makes 1,000 requests of its own (fetch, XMLHttpRequest, img in
// turn), with and without the interception. Figures are printed, never
// asserted.
//
//   node benches/intercept.mjs [--dist DIR] [--runs 7] [--requests 1000]
//
// Three variants, alternated, each load in a fresh browser context:
//   no cookiegate  - the page alone;
//   interception off - cookiegate with the bootstrap's interception not installed;
//   cookiegate       - as shipped.
// Two bursts per load, after cookiegate is up: to the page's own origin (the
// bootstrap's fast path) and to a host of no catalogue service (each request
// asks the core). Main thread: CDP Performance.getMetrics TaskDuration and
// ScriptDuration across the burst; "issue" is the in-page time of the loop
// that starts the requests.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../tools/serve.mjs';
import { sizes } from '../tools/sizes.mjs';
import { minify } from '../tools/minify.mjs';
import { withStylesheet } from '../tools/stylesheet.mjs';
import { median, fmt, mdTable } from './lib/stats.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const o = { dist: path.join(ROOT, 'dist'), runs: 7, requests: 1000 };
for (let i = 2; i < process.argv.length; i++) {
  const [flag, inline] = process.argv[i].split(/=(.*)/s, 2);
  const val = () => inline ?? process.argv[++i];
  if (flag === '--dist') o.dist = path.resolve(val());
  else if (flag === '--runs') o.runs = Number(val());
  else if (flag === '--requests') o.requests = Number(val());
  else {
    console.error(`intercept.mjs: unknown argument ${process.argv[i]}`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------- bytes

const CALL = 'var hub = intercept(w, d, base, api.ready);';
// dist/cookiegate.js is minified: cut the source, then minify each variant
// the way build.sh does.
// With the UI's stylesheet filled in, as build.sh ships it.
const shipped = withStylesheet(
  fs.readFileSync(path.join(ROOT, 'www', 'cookiegate.js'), 'utf8'),
  fs.readFileSync(path.join(ROOT, 'src', 'web', 'ui', 'ui.css'), 'utf8'),
);
if (!shipped.includes(CALL)) throw new Error(`www/cookiegate.js has no interception call (${CALL})`);
const start = shipped.indexOf('  // ---- What tags inject');
const end = shipped.indexOf('    return hub;\n  }\n', start);
if (start < 0 || end < 0) throw new Error('cannot find the interception block in cookiegate.js');
// The bootstrap as it would be without the feature: no block, no call, no hand-over.
const without = (shipped.slice(0, start) + shipped.slice(end + '    return hub;\n  }\n'.length))
  .replace(CALL + '\n', '')
  .replace(', intercept: hub', '');
const off = shipped.replace(CALL, 'var hub = null;');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cookiegate-intercept-'));
const offDist = path.join(tmp, 'dist-off');
fs.cpSync(o.dist, offDist, { recursive: true });
fs.writeFileSync(path.join(offDist, 'cookiegate.js'), (await minify(off)).code + '\n');
const withoutFile = path.join(tmp, 'cookiegate-without.js');
fs.writeFileSync(withoutFile, (await minify(without)).code + '\n');

const a = sizes(withoutFile);
const b = sizes(path.join(o.dist, 'cookiegate.js'));
console.log('\nBootstrap bytes (cookiegate.js), without and with the interception block\n');
console.log(
  mdTable(
    ['', 'raw', 'gzip -9', 'brotli -q 11'],
    [
      ['without', a.raw, a.gzip, a.brotli],
      ['with', b.raw, b.gzip, b.brotli],
      ['added', b.raw - a.raw, b.gzip - a.gzip, b.brotli - a.brotli],
    ].map((r) => [r[0], ...r.slice(1).map((n) => n.toLocaleString('en-US') + ' B')]),
  ),
);

// ---------------------------------------------------------------- time

const PAGE_HOST = 'www.bench.test';
const NOBODY_HOST = 'cdn.nobody-bench.test';
const page = (bootstrap) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
${bootstrap ? '<script src="/cookiegate/cookiegate.js" data-catalogue="/cookiegate/catalogue.json"></script>' : ''}
<title>1,000 requests</title></head>
<body><main><h1>Requests</h1></main>
<script>
window.__burst = function (origin, n) {
  var t0 = performance.now(), done = [];
  for (var i = 0; i < n; i++) {
    var url = origin + '/stand-ins/pixel.gif?i=' + i + '&t=' + t0;
    if (i % 3 === 0) done.push(fetch(url, { mode: 'no-cors' }).then(function (r) { return r.type; }, function (e) { return e.name; }));
    else if (i % 3 === 1) done.push(new Promise(function (y) { var x = new XMLHttpRequest(); x.onloadend = function () { y(x.status); }; x.open('GET', url); x.send(); }));
    else done.push(new Promise(function (y) { var im = new Image(); im.onload = im.onerror = function (e) { y(e.type); }; im.src = url; }));
  }
  var issued = performance.now() - t0;
  return Promise.all(done).then(function () { return { issued: issued, total: performance.now() - t0 }; });
};
// The synchronous cost alone: n assignments of an image URL (nothing loads:
// the images are dropped at once), n fetches and XHRs started and aborted.
window.__calls = function (origin, n) {
  var t0 = performance.now(), ac = new AbortController(), i;
  for (i = 0; i < n; i++) new Image().src = origin + '/stand-ins/pixel.gif?c=' + i + '&t=' + t0;
  var t1 = performance.now();
  for (i = 0; i < n; i++) fetch(origin + '/stand-ins/pixel.gif?f=' + i, { signal: ac.signal, mode: 'no-cors' }).catch(function () {});
  var t2 = performance.now();
  for (i = 0; i < n; i++) { var x = new XMLHttpRequest(); x.open('GET', origin + '/stand-ins/pixel.gif?x=' + i); x.send(); x.abort(); }
  var t3 = performance.now();
  ac.abort();
  return { img: t1 - t0, fetch: t2 - t1, xhr: t3 - t2 };
};
</script></body></html>`;

const servers = {
  shipped: await startServer({ root: ROOT, dist: o.dist }),
  off: await startServer({ root: ROOT, dist: offDist }),
};
for (const s of Object.values(servers)) {
  s.fixtures.set('/bench-bare.html', page(false));
  s.fixtures.set('/bench-cg.html', page(true));
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--host-resolver-rules=MAP ${PAGE_HOST} 127.0.0.1, MAP ${NOBODY_HOST} 127.0.0.1`,
  ],
});

const VARIANTS = [
  { name: 'no cookiegate', server: 'shipped', file: 'bench-bare.html' },
  { name: 'interception off', server: 'off', file: 'bench-cg.html' },
  { name: 'cookiegate', server: 'shipped', file: 'bench-cg.html' },
];

/** Calls per round in the synchronous-cost measurement. */
const CALLS = 2000;
const metricMap = (m) => Object.fromEntries(m.metrics.map((x) => [x.name, x.value]));

async function burst(tab, cdp, origin) {
  const before = metricMap(await cdp.send('Performance.getMetrics'));
  const t = await tab.evaluate(([origin, n]) => window.__burst(origin, n), [origin, o.requests]);
  const after = metricMap(await cdp.send('Performance.getMetrics'));
  return {
    task: (after.TaskDuration - before.TaskDuration) * 1000,
    script: (after.ScriptDuration - before.ScriptDuration) * 1000,
    issue: t.issued,
    total: t.total,
  };
}

async function run(v) {
  const port = servers[v.server].port;
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Performance.enable');
    await tab.goto(`http://${PAGE_HOST}:${port}/${v.file}`, { waitUntil: 'load' });
    if (v.file === 'bench-cg.html') await tab.evaluate(() => window.cookiegate.ready);
    await tab.waitForTimeout(300);
    const own = await burst(tab, cdp, `http://${PAGE_HOST}:${port}`);
    const nobody = await burst(tab, cdp, `http://${NOBODY_HOST}:${port}`);
    const calls = {};
    for (const [where, origin] of [['own', `http://${PAGE_HOST}:${port}`], ['nobody', `http://${NOBODY_HOST}:${port}`]]) {
      // The fastest of three rounds: the machine's other work only ever adds.
      const rounds = [];
      for (let r = 0; r < 3; r++) rounds.push(await tab.evaluate(([o, n]) => window.__calls(o, n), [origin, CALLS]));
      calls[where] = Object.fromEntries(['img', 'fetch', 'xhr'].map((k) => [k, Math.min(...rounds.map((x) => x[k]))]));
    }
    return { own, nobody, calls };
  } finally {
    await context.close();
  }
}

const results = Object.fromEntries(VARIANTS.map((v) => [v.name, []]));
for (let i = 0; i < o.runs; i++) {
  for (const v of VARIANTS) results[v.name].push(await run(v));
}
await browser.close();
for (const s of Object.values(servers)) await s.close();
fs.rmSync(tmp, { recursive: true, force: true });

const row = (name, where, key) => median(results[name].map((r) => r[where][key]));
for (const [where, title] of [
  ['own', `${o.requests.toLocaleString('en-US')} requests to the page's own origin (fetch, XMLHttpRequest, img in turn)`],
  ['nobody', `${o.requests.toLocaleString('en-US')} requests to a host of no service (each one asks the core)`],
]) {
  console.log(`\n${title}; median of ${o.runs} loads, ms\n`);
  console.log(
    mdTable(
      ['', 'main thread (TaskDuration)', 'script (ScriptDuration)', 'issue loop', 'until all answered'],
      VARIANTS.map((v) => [v.name, ...['task', 'script', 'issue', 'total'].map((k) => fmt(row(v.name, where, k)))]),
    ),
  );
  const added = row('cookiegate', where, 'task') - row('interception off', where, 'task');
  console.log(`\ninterception adds ${fmt(added)} ms of main-thread time, ${fmt((added * 1000) / o.requests, 2)} µs a request (noisy: network tasks included)`);
}

const call = (name, where, key) => median(results[name].map((r) => r.calls[where][key]));
console.log(`\nThe synchronous cost alone: ${CALLS.toLocaleString('en-US')} calls each, µs a call (median over loads of the fastest of 3 rounds)\n`);
console.log(
  mdTable(
    ['', 'img.src (own)', 'fetch() (own)', 'XHR open+send (own)', 'img.src (no service)', 'fetch() (no service)', 'XHR open+send (no service)'],
    VARIANTS.map((v) => [
      v.name,
      ...['own', 'nobody'].flatMap((w) => ['img', 'fetch', 'xhr'].map((k) => fmt((call(v.name, w, k) * 1000) / CALLS, 2))),
    ]),
  ),
);
