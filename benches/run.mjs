#!/usr/bin/env node
// cookiegate benchmark: bytes, time to banner and main-thread cost, side by
// side with vanilla-cookieconsent 3.1 configured for the same storefront;
// scaling with catalogue size and blocked elements; what the wasm is made of.
//
//   node benches/run.mjs [--dist DIR] [--loads 15] [--scale-loads 5]
//                        [--out benches/results.md] [--no-scale] [--no-native]
//                        [--no-twiggy] [--no-trace] [--quick] [--crate DIR]
//
// --dist: the deployable folder to measure (default dist/); --crate: the
// crate twiggy's profiling build compiles (default this repository).
//
// ./build.sh bench builds dist/ first, then runs this. Figures are printed,
// never asserted. Both banners are loaded from the same local server
// (tools/serve.mjs: brotli, correct types), alternating in one Chromium
// process, each load in a fresh browser context (first visit, no consent).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { startServer } from '../tools/serve.mjs';
import { sizes } from '../tools/sizes.mjs';
import {
  REPO_ROOT,
  BENCH_DIR,
  VANILLA_DIR,
  VANILLA_GCM_SNIPPET,
  STOREFRONT_EXPECTED_RUNS,
  writeSite,
  scaleCatalogue,
  scaleGated,
  scalePage,
} from './lib/fixtures.mjs';
import { probe } from './lib/probe.mjs';
import { summary, median, fmt, fmtInt, kb, ratio, mdTable } from './lib/stats.mjs';

// ---------------------------------------------------------------------------
// options

function parseArgs(argv) {
  const o = {
    dist: path.join(REPO_ROOT, 'dist'),
    loads: 15,
    scaleLoads: 5,
    out: path.join(BENCH_DIR, 'results.md'),
    scale: true,
    native: true,
    twiggy: true,
    trace: true,
    traceLoads: 3,
    chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
    crate: REPO_ROOT,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const val = () => inline ?? argv[++i];
    switch (flag) {
      case '--dist': o.dist = path.resolve(val()); break;
      case '--loads': o.loads = Number(val()); break;
      case '--scale-loads': o.scaleLoads = Number(val()); break;
      case '--trace-loads': o.traceLoads = Number(val()); break;
      case '--out': o.out = path.resolve(val()); break;
      case '--chromium': o.chromium = val(); break;
      case '--crate': o.crate = path.resolve(val()); break;
      case '--no-scale': o.scale = false; break;
      case '--no-native': o.native = false; break;
      case '--no-twiggy': o.twiggy = false; break;
      case '--no-trace': o.trace = false; break;
      case '--quick': o.loads = 5; o.scaleLoads = 2; o.traceLoads = 1; break;
      case '-h': case '--help':
        console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 13).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
        process.exit(0);
      default:
        console.error(`run.mjs: unknown argument ${argv[i]}`);
        process.exit(2);
    }
  }
  if (!(o.loads >= 1) || !(o.scaleLoads >= 1)) throw new Error('--loads and --scale-loads must be >= 1');
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const log = (...a) => console.error('  ·', ...a);
const say = (s) => console.error(`\x1b[1m==> ${s}\x1b[0m`);

for (const f of ['cookiegate.js', 'cookiegate_core.js', 'cookiegate_core_bg.wasm', 'catalogue.json']) {
  if (!fs.existsSync(path.join(opts.dist, f))) {
    console.error(`run.mjs: ${opts.dist}/${f} is missing: run ./build.sh (or pass --dist DIR)`);
    process.exit(1);
  }
}

const catalogue = JSON.parse(fs.readFileSync(path.join(opts.dist, 'catalogue.json'), 'utf8'));
const siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cookiegate-bench-'));
writeSite(siteDir, catalogue);

// What each banner's accept-all button and banner element are.
const BANNERS = {
  cookiegate: {
    kind: 'cookiegate',
    banner: '[data-cookiegate="banner"]',
    accept: '[data-cookiegate="banner"] [data-cookiegate="accept-all"]',
  },
  vanilla: {
    kind: 'vanilla',
    banner: '#cc-main .cm',
    accept: '#cc-main .cm [data-role="all"]',
  },
};

// ---------------------------------------------------------------------------
// browser

const server = await startServer({ port: 0, host: '127.0.0.1', www: siteDir, dist: opts.dist });
const origin = server.url.replace(/\/$/, '');
const browser = await chromium.launch({
  executablePath: opts.chromium,
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // Anything not on the bench server fails name resolution: no real tracker
    // host is ever contacted.
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  ],
});
const chromiumVersion = browser.version();
let foreignRequests = 0;

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreignRequests++;
  });
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  return { context, page };
}

const metricMap = (m) => Object.fromEntries(m.metrics.map((x) => [x.name, x.value]));

/** Waits until the probe saw the banner and its accept button. */
async function waitBanner(page, timeout = 20000) {
  try {
    await page.waitForFunction(
      () => window.__bench && window.__bench.t.banner !== undefined && window.__bench.t.interactive !== undefined,
      null,
      { timeout, polling: 25 },
    );
  } catch (e) {
    const seen = await page.evaluate(() => JSON.stringify(window.__bench?.t)).catch(() => '?');
    throw new Error(`banner not visible and interactive within ${timeout} ms on ${page.url()} (probe saw ${seen})`);
  }
}

/** One first-visit load of the storefront page with a banner, then "Accept all". */
async function storefrontLoad(kind) {
  const cfg = BANNERS[kind];
  const { context, page } = await newPage();
  try {
    await page.addInitScript(probe, cfg);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${origin}/${kind}.html`, { waitUntil: 'load' });
    await waitBanner(page);
    // Let start-up work that follows the banner finish before reading the
    // main-thread totals (the load is what is measured, not the click).
    await page.waitForTimeout(500);
    const metrics = metricMap(await cdp.send('Performance.getMetrics'));
    const before = await page.evaluate(() => ({
      t: window.__bench.t,
      longtasks: window.__bench.longtasks,
      shifts: window.__bench.shifts,
      ran: window.__benchRan.length,
    }));
    await page.locator(cfg.accept).click();
    await page.waitForFunction((n) => window.__benchRan.length >= n, STOREFRONT_EXPECTED_RUNS, { timeout: 20000, polling: 25 });
    await page.waitForTimeout(50);
    const after = await page.evaluate(() => {
      const click = window.__bench.clicks[window.__bench.clicks.length - 1];
      const res = performance.getEntriesByType('resource').filter((e) => e.name.includes('/stand-ins/'));
      return {
        click,
        lastRequested: Math.max(...res.map((e) => e.startTime)),
        lastRan: Math.max(...window.__benchRan.map((r) => r[1])),
        gatedRequests: res.length,
        shifts: window.__bench.shifts,
      };
    });
    const cls = before.shifts.filter((s) => !s.input).reduce((a, s) => a + s.value, 0);
    const lt = before.longtasks;
    return {
      kind,
      requests,
      banner: before.t.banner,
      interactive: before.t.interactive,
      fcp: before.t['first-contentful-paint'],
      ranBeforeConsent: before.ran,
      acceptToLastRequest: after.lastRequested - after.click,
      acceptToLastRan: after.lastRan - after.click,
      gatedRequests: after.gatedRequests,
      script: metrics.ScriptDuration * 1000,
      compile: metrics.V8CompileDuration * 1000,
      task: metrics.TaskDuration * 1000,
      layout: (metrics.LayoutDuration + metrics.RecalcStyleDuration) * 1000,
      heap: metrics.JSHeapUsedSize / 1048576,
      longtaskCount: lt.length,
      longtaskTotal: lt.reduce((a, x) => a + x.dur, 0),
      blocking: lt.reduce((a, x) => a + Math.max(0, x.dur - 50), 0),
      cls,
    };
  } finally {
    await context.close();
  }
}

/** Fetches a URL once with brotli accepted (fills serve.mjs's compression cache). */
async function warm(pathname) {
  const r = await fetch(origin + pathname, { headers: { 'accept-encoding': 'br' } });
  await r.arrayBuffer();
}

/** A load of the page without any banner: shows the page itself does not shift. */
async function controlLoad() {
  const { context, page } = await newPage();
  try {
    await page.addInitScript(probe, {});
    await page.goto(`${origin}/none.html`, { waitUntil: 'load' });
    await page.waitForTimeout(700);
    return await page.evaluate(() => ({
      cls: window.__bench.shifts.filter((s) => !s.input).reduce((a, s) => a + s.value, 0),
      fcp: window.__bench.t['first-contentful-paint'],
    }));
  } finally {
    await context.close();
  }
}

// Trace events that count as compilation / evaluation on the renderer's main thread.
const COMPILE_RE = /compil/i;
const EVAL_RE = /^(EvaluateScript|v8\.evaluateModule|v8\.run|FunctionCall|TimerFire|EventDispatch|RunMicrotasks|FireAnimationFrame|v8\.callFunction)$/;
const PARSE_HTML_RE = /^ParseHTML$/;

/** Sum of durations of events matching `re`, nested ones counted once. */
function nonOverlapping(events, re) {
  const ev = events.filter((e) => re.test(e.name)).sort((a, b) => a.ts - b.ts);
  let total = 0;
  let end = -Infinity;
  for (const e of ev) {
    const s = Math.max(e.ts, end);
    const en = e.ts + e.dur;
    if (en > s) total += en - s;
    end = Math.max(end, en);
  }
  return total / 1000;
}

/** One traced load: main-thread compile and evaluation, wasm compile anywhere. */
async function tracedLoad(kind) {
  const cfg = BANNERS[kind];
  const { context, page } = await newPage();
  try {
    await page.addInitScript(probe, cfg);
    await browser.startTracing(page, {
      categories: ['devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.compile', 'blink', 'loading'],
    });
    await page.goto(`${origin}/${kind}.html`, { waitUntil: 'load' });
    await waitBanner(page);
    await page.waitForTimeout(500);
    const buf = await browser.stopTracing();
    const { traceEvents } = JSON.parse(buf.toString('utf8'));
    const threadNames = new Map();
    for (const e of traceEvents) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
    // The renderer that ran the page: the process whose ParseHTML parsed it
    // (headless Chromium also runs a WebUI renderer that must not count).
    const procNames = new Map();
    for (const e of traceEvents) if (e.ph === 'M' && e.name === 'process_name') procNames.set(e.pid, e.args.name);
    const parse = traceEvents.find((e) => e.name === 'ParseHTML' && String(e.args?.beginData?.url ?? '').startsWith(`${origin}/${kind}.html`));
    const pagePid = parse?.pid ?? [...procNames.entries()].find(([, n]) => n === 'Renderer')?.[0];
    const counts = new Map();
    for (const e of traceEvents) {
      const key = `${e.pid}:${e.tid}`;
      if (e.pid === pagePid && threadNames.get(key) === 'CrRendererMain' && e.ph === 'X') counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const main = parse ? `${parse.pid}:${parse.tid}` : [...counts.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
    const complete = traceEvents.filter((e) => e.ph === 'X' && typeof e.dur === 'number');
    const onMain = complete.filter((e) => `${e.pid}:${e.tid}` === main);
    const pageTids = new Set(complete.filter((e) => e.pid === pagePid).map((e) => `${e.pid}:${e.tid}`));
    const offMain = complete.filter((e) => pageTids.has(`${e.pid}:${e.tid}`) && `${e.pid}:${e.tid}` !== main);
    if (process.env.BENCH_DEBUG) {
      const agg = new Map();
      for (const e of onMain) if (COMPILE_RE.test(e.name) || EVAL_RE.test(e.name)) agg.set(e.name, (agg.get(e.name) ?? 0) + e.dur / 1000);
      log(`trace ${kind}: pid ${pagePid} (${procNames.get(pagePid)}), main ${main}, parse ${parse ? 'found' : 'missing'}`, JSON.stringify([...agg].sort((x, y) => y[1] - x[1]).slice(0, 8)));
    }
    return {
      kind,
      compileMain: nonOverlapping(onMain, COMPILE_RE),
      evaluate: nonOverlapping(onMain, EVAL_RE),
      parseHtml: nonOverlapping(onMain, PARSE_HTML_RE),
      layout: nonOverlapping(onMain, /^(Layout|UpdateLayoutTree|RecalculateStyles)$/),
      compileOff: offMain.filter((e) => COMPILE_RE.test(e.name)).reduce((a, e) => a + e.dur, 0) / 1000,
      wasmCompile: complete.filter((e) => pageTids.has(`${e.pid}:${e.tid}`) && /wasm/i.test(e.name) && COMPILE_RE.test(e.name)).reduce((a, e) => a + e.dur, 0) / 1000,
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------
// 1. bytes

for (const f of ['cookiegate.js', 'cookiegate_core.js', 'cookiegate_core_bg.wasm', 'catalogue.json']) await warm(`/cookiegate/${f}`);
for (const f of ['vendor/cookieconsent.umd.js', 'vendor/cookieconsent.css', 'vanilla/config.js']) await warm(`/${f}`);

say('bytes on first load');
// Which dist files a first load really fetches: watch one load.
let cookiegateFiles;
{
  const r = await storefrontLoad('cookiegate').catch((e) => {
    console.error(`run.mjs: cookiegate did not show its banner on the bench page: ${e.message}`);
    throw e;
  });
  const fetched = new Set(r.requests.filter((u) => u.startsWith(origin + '/cookiegate/')).map((u) => new URL(u).pathname.slice('/cookiegate/'.length)));
  cookiegateFiles = [...fetched].sort();
  log(`cookiegate fetched: ${cookiegateFiles.join(', ')}`);
}
const bytes = {
  cookiegate: cookiegateFiles.map((f) => ({ ...sizes(path.join(opts.dist, f)), label: f })),
  vanilla: [
    { ...sizes(path.join(VANILLA_DIR, 'dist', 'cookieconsent.umd.js')), label: 'cookieconsent.umd.js' },
    { ...sizes(path.join(VANILLA_DIR, 'dist', 'cookieconsent.css')), label: 'cookieconsent.css' },
    { ...sizes(path.join(siteDir, 'vanilla', 'config.js')), label: 'config.js (categories, services, en texts)' },
    { ...sizesOfString(`<script>${VANILLA_GCM_SNIPPET}</script>`), label: 'inline Consent Mode default' },
  ],
};
function sizesOfString(s) {
  const f = path.join(siteDir, 'snippet.tmp');
  fs.writeFileSync(f, s);
  return sizes(f);
}
const total = (rows) => rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
// An English-only catalogue without editors' notes: what the same storefront
// would ship if it needed one language (the vanilla config has English only).
const enOnly = structuredClone(catalogue);
delete enOnly.notes;
delete enOnly.$schema;
enOnly.languages = ['en'];
enOnly.texts = { en: catalogue.texts.en };
const pickEn = (o) => (o && typeof o === 'object' && !Array.isArray(o) && 'en' in o ? { en: o.en } : o);
for (const c of enOnly.categories) for (const k of Object.keys(c)) c[k] = pickEn(c[k]);
for (const s of enOnly.services) {
  for (const k of Object.keys(s)) s[k] = pickEn(s[k]);
  for (const list of [s.cookies ?? [], s.storage ?? []]) for (const x of list) if (x.purpose) x.purpose = pickEn(x.purpose);
}
const enOnlyBytes = sizesOfString(JSON.stringify(enOnly));

// ---------------------------------------------------------------------------
// 2. and 3. time to banner, accept -> scripts, main-thread cost

say(`storefront loads: ${opts.loads} per banner, alternating (plus 1 warm-up each)`);
await storefrontLoad('vanilla'); // warm-up (server compression cache, disk)
const runs = { cookiegate: [], vanilla: [] };
for (let i = 0; i < opts.loads; i++) {
  const order = i % 2 ? ['vanilla', 'cookiegate'] : ['cookiegate', 'vanilla'];
  for (const kind of order) {
    const r = await storefrontLoad(kind);
    runs[kind].push(r);
  }
  log(`round ${i + 1}/${opts.loads}: cookiegate banner ${fmt(runs.cookiegate.at(-1).banner)} ms, vanilla ${fmt(runs.vanilla.at(-1).banner)} ms`);
}
const control = [];
for (let i = 0; i < 3; i++) control.push(await controlLoad());

const traces = { cookiegate: [], vanilla: [] };
if (opts.trace) {
  say(`traced loads: ${opts.traceLoads} per banner (compile / evaluate breakdown)`);
  for (let i = 0; i < opts.traceLoads; i++) {
    for (const kind of ['cookiegate', 'vanilla']) traces[kind].push(await tracedLoad(kind));
  }
}

// ---------------------------------------------------------------------------
// 4. scale

const SIZES = [10, 100, 1000];
const scale = { catalogue: {}, elements: {}, native: null };
if (opts.scale) {
  say(`scale: catalogues and blocked elements of ${SIZES.join(' / ')} (${opts.scaleLoads} loads each)`);
  const defaultServices = catalogue.services.filter((s) => !catalogue.categories.find((c) => c.id === s.category)?.required);
  for (const n of SIZES) {
    const cat = scaleCatalogue(catalogue, n);
    fs.writeFileSync(path.join(siteDir, 'scale', `catalogue-${n}.json`), JSON.stringify(cat, null, 1));
    // Catalogue scale: 10 gated scripts on the page, n services in the catalogue.
    fs.writeFileSync(path.join(siteDir, 'scale', `cat-${n}.html`), scalePage({ gated: scaleGated(10, cat.services), catalogueUrl: `/scale/catalogue-${n}.json` }));
    // Element scale: the default catalogue, n gated scripts on the page.
    fs.writeFileSync(path.join(siteDir, 'scale', `el-${n}.html`), scalePage({ gated: scaleGated(n, defaultServices), catalogueUrl: '/cookiegate/catalogue.json' }));
  }
  // serve.mjs compresses a static file once and caches it: do that before
  // timing, so the first load does not pay brotli -q 11 on an 800 KB file.
  for (const n of SIZES) await warm(`/scale/catalogue-${n}.json`);
  for (const n of SIZES) {
    scale.catalogue[n] = [];
    scale.elements[n] = [];
  }
  for (let i = 0; i < opts.scaleLoads; i++) {
    for (const n of SIZES) {
      scale.catalogue[n].push(await scaleLoad(`/scale/cat-${n}.html`, 10));
      scale.elements[n].push(await scaleLoad(`/scale/el-${n}.html`, n));
    }
    log(`scale round ${i + 1}/${opts.scaleLoads}`);
  }
}

/** Banner time, preferences dialog open time, and acceptAll -> last gated script ran. */
async function scaleLoad(url, expected) {
  const { context, page } = await newPage();
  try {
    await page.addInitScript(probe, BANNERS.cookiegate);
    await page.goto(origin + url, { waitUntil: 'load' });
    await waitBanner(page, 60000);
    await page.evaluate(() => window.cookiegate.ready);
    await page.evaluate(() => window.__bench.watch('dialog', '[data-cookiegate="preferences-dialog"]'));
    await page.locator('[data-cookiegate="banner"] [data-cookiegate="preferences"]').click();
    await page.waitForFunction(() => window.__bench.watches.dialog.t !== undefined, null, { timeout: 60000, polling: 10 });
    // From the document's first byte: serve.mjs compresses HTML on every
    // request, which for the 1,000-element page is server time, not banner time.
    const t = await page.evaluate(() => ({
      banner: window.__bench.t.banner - performance.getEntriesByType('navigation')[0].responseStart,
      interactive: window.__bench.t.interactive,
      dialog: window.__bench.watches.dialog.t - window.__bench.clicks[window.__bench.clicks.length - 1],
    }));
    const t0 = await page.evaluate(() => {
      const t0 = performance.now();
      window.cookiegate.acceptAll();
      return t0;
    });
    await page.waitForFunction((n) => window.__benchRan.length >= n, expected, { timeout: 120000, polling: 25 });
    const lastRan = await page.evaluate(() => Math.max(...window.__benchRan.map((r) => r[1])));
    return { ...t, activate: lastRan - t0 };
  } finally {
    await context.close();
  }
}

await browser.close();
await server.close();

// Native parse + validate of the same catalogues (cargo bench, release profile).
if (opts.scale && opts.native) {
  say('native parse + validate (cargo bench --bench catalogue_scale)');
  const files = [path.join(opts.dist, 'catalogue.json'), ...SIZES.map((n) => path.join(siteDir, 'scale', `catalogue-${n}.json`))];
  const r = spawnSync('cargo', ['bench', '--quiet', '--bench', 'catalogue_scale', '--', ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) {
    log(`cargo bench failed (exit ${r.status}); native figures left out`);
  } else {
    // Lines: "native <file> bytes=<n> services=<n> iterations=<n> median_us=<x> min_us=<x> max_us=<x>"
    scale.native = {};
    for (const line of r.stdout.split('\n')) {
      const m = /^native (\S+) (.*)$/.exec(line.trim());
      if (!m) continue;
      const kv = Object.fromEntries(m[2].split(' ').map((p) => p.split('=')));
      scale.native[path.basename(m[1])] = Object.fromEntries(Object.entries(kv).map(([k, v]) => [k, Number.isNaN(Number(v)) ? v : Number(v)]));
    }
  }
}

// ---------------------------------------------------------------------------
// 5. twiggy

let twiggy = null;
if (opts.twiggy) {
  say('what the wasm is made of (twiggy, profiling build with names)');
  try {
    twiggy = twiggyReport();
  } catch (e) {
    log(`twiggy step failed: ${e.message.split('\n')[0]}`);
  }
}

function twiggyReport() {
  const tools = path.join(REPO_ROOT, '.tools', 'bin');
  const twiggyBin = path.join(tools, 'twiggy');
  if (!fs.existsSync(twiggyBin)) throw new Error('twiggy is not installed in .tools/ (./build.sh bench installs it)');
  const target = path.join(REPO_ROOT, 'target', 'bench-profiling');
  execFileSync('cargo', ['build', '--quiet', '--release', '--target', 'wasm32-unknown-unknown', '--lib'], {
    cwd: opts.crate,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Same release profile as dist/, but keep the symbol names twiggy reports.
    env: { ...process.env, CARGO_TARGET_DIR: target, CARGO_PROFILE_RELEASE_STRIP: 'false', CARGO_PROFILE_RELEASE_DEBUG: 'false' },
  });
  const out = path.join(target, 'bench-bindgen');
  fs.rmSync(out, { recursive: true, force: true });
  execFileSync(path.join(tools, 'wasm-bindgen'), ['--target', 'web', '--no-typescript', '--out-dir', out, '--out-name', 'cookiegate_core', path.join(target, 'wasm32-unknown-unknown', 'release', 'cookiegate.wasm')], { stdio: 'inherit' });
  const wasm = path.join(out, 'cookiegate_core_bg.wasm');
  // Optimise as build.sh does, keeping the name section (-g) so items stay named.
  const flags = fs.readFileSync(path.join(REPO_ROOT, 'build.sh'), 'utf8').match(/WASM_OPT_FLAGS=\(([^)]*)\)/)?.[1].split(/\s+/).filter(Boolean) ?? [];
  execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'wasm-opt'), ['-Oz', '-g', ...flags, wasm, '-o', wasm], { stdio: 'inherit' });
  const items = JSON.parse(execFileSync(twiggyBin, ['top', '-f', 'json', wasm], { encoding: 'utf8', maxBuffer: 64 << 20 }))
    // Crate hashes (`core[c5930c85a12de822]::`) only add noise.
    .map((i) => ({ ...i, name: i.name.replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, '') }));
  // The name section exists only in this profiling build: leave it out.
  const isNames = (i) => /subsection$|^custom section '(name|producers|target_features)'/.test(i.name);
  const code = items.filter((i) => !isNames(i));
  const codeBytes = code.reduce((a, i) => a + i.shallow_size, 0);
  const groups = new Map();
  for (const i of code) {
    let g;
    if (/^data segment/.test(i.name)) g = 'data segments (strings, tables, CSS)';
    else if (/^import /.test(i.name)) g = 'imports (wasm-bindgen JS functions)';
    else if (/^(export |elem\[|type\[|table|global|memory|code\[|func\[)/.test(i.name)) g = 'wasm structure (exports, types, tables)';
    else {
      const crate = /([A-Za-z_][A-Za-z0-9_]*)::/.exec(i.name)?.[1];
      // Our own code is split by module (cookiegate::web::ui, …) to show where to cut.
      const own = /cookiegate::([a-z_]+)(?:::([a-z_]+)(?=::))?/.exec(i.name);
      g = own ? `cookiegate::${own[1]}${own[2] ? '::' + own[2] : ''}::*` : crate ? crate + '::*' : 'unmangled (wasm-bindgen intrinsics, libc)';
    }
    groups.set(g, (groups.get(g) ?? 0) + i.shallow_size);
  }
  const shipped = fs.statSync(path.join(opts.dist, 'cookiegate_core_bg.wasm')).size;
  return {
    shipped,
    profiled: fs.statSync(wasm).size,
    codeBytes,
    top: code.sort((a, b) => b.shallow_size - a.shallow_size).slice(0, 20),
    groups: [...groups.entries()].sort((a, b) => b[1] - a[1]).slice(0, 16),
  };
}

// ---------------------------------------------------------------------------
// report

const md = [];
const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
md.push(`# cookiegate benchmark results`);
md.push('');
md.push(`Run ${date} by \`./build.sh bench\` (\`node benches/run.mjs\`). Machine: ${os.cpus().length} CPUs (nproc ${os.availableParallelism?.() ?? os.cpus().length}), ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}; Chromium ${chromiumVersion} headless; Node ${process.version}; vanilla-cookieconsent ${JSON.parse(fs.readFileSync(path.join(VANILLA_DIR, 'package.json'), 'utf8')).version} from node_modules. cookiegate measured from \`${path.relative(REPO_ROOT, opts.dist) || '.'}\`` + (opts.crate !== REPO_ROOT ? ` (wasm profiled from crate \`${opts.crate}\`)` : '') + '.');
md.push('');
md.push(`Both banners are served by \`tools/serve.mjs\` on 127.0.0.1 (brotli, no network throttling) on the same storefront page: the same ${STOREFRONT_EXPECTED_RUNS - 1} external and 1 inline gated scripts (local stand-ins), vanilla configured from the same catalogue (\`benches/vanilla/config.js\`, generated). Every load is a first visit in a fresh browser context; the banners alternate in one Chromium process. Times are ms from navigation start unless said otherwise; n = ${opts.loads} loads each.`);
md.push('');

md.push('## Bytes on first load');
md.push('');
const byteRows = (rows) => rows.map((r) => [r.label, fmtInt(r.raw), fmtInt(r.gzip), fmtInt(r.brotli)]);
const tc = total(bytes.cookiegate);
const tv = total(bytes.vanilla);
md.push(mdTable(['file', 'raw B', 'gzip -9 B', 'brotli -q 11 B'], [
  ...byteRows(bytes.cookiegate).map((r) => ['cookiegate: ' + r[0], ...r.slice(1)]),
  ['**cookiegate total**', fmtInt(tc.raw), fmtInt(tc.gzip), fmtInt(tc.brotli)],
  ...byteRows(bytes.vanilla).map((r) => ['vanilla: ' + r[0], ...r.slice(1)]),
  ['**vanilla total**', fmtInt(tv.raw), fmtInt(tv.gzip), fmtInt(tv.brotli)],
  ['ratio cookiegate / vanilla', ratio(tc.raw, tv.raw), ratio(tc.gzip, tv.gzip), ratio(tc.brotli, tv.brotli)],
]));
md.push('');
const catRow = bytes.cookiegate.find((r) => r.label === 'catalogue.json');
md.push(`For comparison: the same catalogue with English only and no editors' \`notes\` would be ${fmtInt(enOnlyBytes.raw)} B raw, ${fmtInt(enOnlyBytes.gzip)} B gzip, ${fmtInt(enOnlyBytes.brotli)} B brotli` + (catRow ? ` (shipped: ${fmtInt(catRow.brotli)} B brotli with ${catalogue.languages.length} languages).` : '.'));
md.push('');

const S = (kind, key) => summary(runs[kind].map((r) => r[key]));
const sideRow = (label, key, digits = 1) => {
  const c = S('cookiegate', key);
  const v = S('vanilla', key);
  return [label, fmt(c.median, digits), `${fmt(c.min, digits)}–${fmt(c.max, digits)}`, fmt(v.median, digits), `${fmt(v.min, digits)}–${fmt(v.max, digits)}`, ratio(c.median, v.median)];
};
md.push('## Time to banner and after consent (side by side)');
md.push('');
const timeTable = mdTable(['measure (ms)', 'cookiegate median', 'min–max', 'vanilla median', 'min–max', 'ratio cg / vanilla'], [
  sideRow('first contentful paint (page)', 'fcp'),
  sideRow('banner visible', 'banner'),
  sideRow('banner interactive (accept enabled)', 'interactive'),
  sideRow('"Accept all" click → last gated script requested', 'acceptToLastRequest'),
  sideRow('"Accept all" click → last gated script ran', 'acceptToLastRan'),
]);
md.push(timeTable);
md.push('');
md.push('## Main-thread cost during load (until 500 ms after the banner is interactive)');
md.push('');
const costTable = mdTable(['measure', 'cookiegate median', 'min–max', 'vanilla median', 'min–max', 'ratio cg / vanilla'], [
  sideRow('script duration, ms (CDP ScriptDuration)', 'script'),
  sideRow('V8 compile, ms (CDP V8CompileDuration)', 'compile'),
  sideRow('all main-thread tasks, ms (CDP TaskDuration)', 'task'),
  sideRow('style + layout, ms (CDP)', 'layout'),
  sideRow('long tasks (count)', 'longtaskCount', 0),
  sideRow('long tasks, total ms', 'longtaskTotal'),
  sideRow('total blocking time, ms (Σ long task − 50)', 'blocking'),
  sideRow('JS heap used, MiB', 'heap', 2),
  sideRow('layout shift caused by the banner (CLS)', 'cls', 4),
]);
md.push(costTable);
md.push('');
const clsMax = Math.max(...runs.cookiegate.map((r) => r.cls), ...runs.vanilla.map((r) => r.cls));
md.push(`Layout shift: the page without any banner scores CLS ${fmt(Math.max(...control.map((c) => c.cls)), 4)} (3 loads), so any shift above is the banner's. Highest seen with a banner: ${fmt(clsMax, 4)}${clsMax === 0 ? ' (0 as required)' : ' (NOT 0)'}. Gated scripts run before consent: cookiegate ${Math.max(...runs.cookiegate.map((r) => r.ranBeforeConsent))}, vanilla ${Math.max(...runs.vanilla.map((r) => r.ranBeforeConsent))}. Requests to anything but the bench server: ${foreignRequests}.`);
md.push('');
if (opts.trace && traces.cookiegate.length) {
  const T = (kind, key) => median(traces[kind].map((r) => r[key]));
  const tr = (label, key) => [label, fmt(T('cookiegate', key)), fmt(T('vanilla', key)), ratio(T('cookiegate', key), T('vanilla', key))];
  md.push(`Trace breakdown (Chromium trace, median of ${opts.traceLoads} separate traced loads each):`);
  md.push('');
  md.push(mdTable(['trace measure (ms)', 'cookiegate', 'vanilla', 'ratio'], [
    tr('main thread: script evaluation (evaluate, calls, events, microtasks)', 'evaluate'),
    tr('main thread: compile (JS + wasm)', 'compileMain'),
    tr('other renderer threads: compile', 'compileOff'),
    tr('wasm compile, any renderer thread', 'wasmCompile'),
    tr('main thread: HTML parsing', 'parseHtml'),
    tr('main thread: style + layout', 'layout'),
  ]));
  md.push('');
}

if (opts.scale) {
  md.push(`## Scale (cookiegate; median of ${opts.scaleLoads} loads each)`);
  md.push('');
  md.push('Catalogues: n services × 5 first-party cookies, English only, on the storefront page with 10 gated scripts. Pages: the default catalogue with n gated scripts (half external stand-ins, half inline). "Open preferences" = click on the banner\'s Settings button → dialog visible. "Activate" = `cookiegate.acceptAll()` → the last gated script has run. Native = `cargo bench --bench catalogue_scale`, parse + validate, release profile.');
  md.push('');
  const mm = (arr, key) => median(arr.map((r) => r[key]));
  const growth = (obj, key) => {
    const a = mm(obj[10] ?? [], key), b = mm(obj[100] ?? [], key), c = mm(obj[1000] ?? [], key);
    return `${ratio(b, a)} / ${ratio(c, b)}`;
  };
  const rows = [];
  for (const n of SIZES) {
    const c = scale.catalogue[n];
    const nat = scale.native?.[`catalogue-${n}.json`];
    rows.push([`catalogue ${fmtInt(n)} services`, fmtInt(fs.statSync(path.join(siteDir, 'scale', `catalogue-${n}.json`)).size), fmt(mm(c, 'banner')), fmt(mm(c, 'dialog')), fmt(mm(c, 'activate')), nat ? fmt(nat.median_us / 1000, 3) : '–']);
  }
  rows.push(['growth ×10 (100/10, 1000/100)', '', growth(scale.catalogue, 'banner'), growth(scale.catalogue, 'dialog'), growth(scale.catalogue, 'activate'),
    scale.native ? `${ratio(scale.native['catalogue-100.json']?.median_us, scale.native['catalogue-10.json']?.median_us)} / ${ratio(scale.native['catalogue-1000.json']?.median_us, scale.native['catalogue-100.json']?.median_us)}` : '–']);
  for (const n of SIZES) {
    const e = scale.elements[n];
    rows.push([`page with ${fmtInt(n)} blocked scripts`, '', fmt(mm(e, 'banner')), fmt(mm(e, 'dialog')), fmt(mm(e, 'activate')), '']);
  }
  rows.push(['growth ×10 (100/10, 1000/100)', '', growth(scale.elements, 'banner'), growth(scale.elements, 'dialog'), growth(scale.elements, 'activate'), '']);
  md.push(mdTable(['case', 'catalogue B', 'banner visible ms (from first byte)', 'open preferences ms', 'activate all ms', 'native parse+validate ms'], rows));
  md.push('');
  const shipped = scale.native?.['catalogue.json'];
  if (shipped) md.push(`Native parse + validate of the shipped catalogue (${fmtInt(shipped.bytes)} B, ${shipped.services} services, ${catalogue.languages.length} languages): median ${fmt(shipped.median_us / 1000, 3)} ms over ${fmtInt(shipped.iterations)} iterations.`);
  md.push('');
}

if (twiggy) {
  md.push('## What the wasm is made of (twiggy)');
  md.push('');
  md.push(`Profiling build: same release profile and \`wasm-opt -Oz\` as dist/, with symbol names kept (\`-g\`); ${fmtInt(twiggy.profiled)} B with the name section, ${fmtInt(twiggy.codeBytes)} B without it (shipped dist wasm: ${fmtInt(twiggy.shipped)} B).`);
  md.push('');
  md.push(mdTable(['by crate / kind', 'bytes', '% of module'], twiggy.groups.map(([g, b]) => [g, fmtInt(b), fmt((100 * b) / twiggy.codeBytes)])));
  md.push('');
  md.push(mdTable(['top items (twiggy top -n 20)', 'shallow bytes', '%'], twiggy.top.map((i) => [i.name.length > 90 ? i.name.slice(0, 87) + '…' : i.name, fmtInt(i.shallow_size), fmt((100 * i.shallow_size) / twiggy.codeBytes)])));
  md.push('');
}

const text = md.join('\n');
fs.writeFileSync(opts.out, text + '\n');
console.log(text);
console.error(`\nwritten: ${path.relative(process.cwd(), opts.out)}`);
fs.rmSync(siteDir, { recursive: true, force: true });
