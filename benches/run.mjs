#!/usr/bin/env node
// cookiegate benchmark: bytes, time to banner under network models, returning
// visitors, main-thread cost and Lighthouse scores, side by side with
// vanilla-cookieconsent 3.1 configured for the same storefront; scaling with
// catalogue size and blocked elements; what the wasm is made of, before/after.
//
//   node benches/run.mjs [--quick] [--dist DIR] [--crate DIR] [--out FILE]
//        [--loads 15] [--model-loads N] [--returning-loads N] [--models LIST]
//        [--scale-loads 5] [--trace-loads 3] [--lighthouse-runs 3]
//        [--twiggy-baseline FILE|none] [--no-scale] [--no-native] [--no-trace]
//        [--no-returning] [--no-lighthouse] [--no-twiggy] [--catalogue-hint]
//
// --dist: the deployable folder to measure (default dist/); --crate: the crate
// twiggy's profiling build compiles (default this repository); --models: a
// comma list of memory,4g,lighthouse (default all); --model-loads and
// --returning-loads default to --loads; --twiggy-baseline: a profile saved by
// an earlier run (default benches/results/twiggy-68f933f.json, main before
// issue 12); each run saves its own as benches/results/twiggy-<commit>.json.
// Pages measured: cookiegate's one tag, the same tag after preload hints for
// its glue and wasm ("+ hints"), and vanilla; --catalogue-hint adds a page
// that also preloads the visitor's catalogue.
// --quick: few loads of everything, for checking that the bench works; its
// report goes to benches/results/quick.tmp unless --out is given.
//
// ./build.sh bench builds dist/ first, then runs this. Figures are printed,
// never asserted. Both banners are loaded from the same local server
// (tools/serve.mjs: brotli, correct types), alternating in one Chromium
// process, each load in a fresh browser context (first visit, no consent).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
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
  preloadHints,
  scaleCatalogue,
  scaleGated,
  scalePage,
} from './lib/fixtures.mjs';
import { probe } from './lib/probe.mjs';
import { summary, median, fmt, fmtInt, kB, ratio, mdTable } from './lib/stats.mjs';
import { MODELS, applyModel, networkLog } from './lib/network.mjs';
import { twiggyProfile, saveProfile, loadProfile, compareProfiles } from './lib/twiggy.mjs';

// ---------------------------------------------------------------------------
// options

function parseArgs(argv) {
  const o = {
    dist: path.join(REPO_ROOT, 'dist'),
    loads: 15,
    modelLoads: undefined,
    returningLoads: undefined,
    models: Object.keys(MODELS),
    scaleLoads: 5,
    traceLoads: 3,
    lighthouseRuns: 3,
    out: path.join(BENCH_DIR, 'results.md'),
    scale: true,
    native: true,
    twiggy: true,
    trace: true,
    returning: true,
    lighthouse: true,
    catalogueHint: false,
    // The profile of main before issue 12's cuts (commit 68f933f).
    twiggyBaseline: path.join(BENCH_DIR, 'results', 'twiggy-68f933f.json'),
    chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
    crate: REPO_ROOT,
  };
  const given = new Set();
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const val = () => inline ?? argv[++i];
    const set = (key, v) => {
      o[key] = v;
      given.add(key);
    };
    switch (flag) {
      case '--dist': o.dist = path.resolve(val()); break;
      case '--loads': set('loads', Number(val())); break;
      case '--model-loads': set('modelLoads', Number(val())); break;
      case '--returning-loads': set('returningLoads', Number(val())); break;
      case '--scale-loads': set('scaleLoads', Number(val())); break;
      case '--trace-loads': set('traceLoads', Number(val())); break;
      case '--lighthouse-runs': set('lighthouseRuns', Number(val())); break;
      case '--models': {
        const list = val().split(',').map((m) => m.trim().toLowerCase()).filter(Boolean);
        const unknown = list.filter((m) => !(m in MODELS));
        if (unknown.length) throw new Error(`--models: unknown model ${unknown.join(', ')} (known: ${Object.keys(MODELS).join(', ')})`);
        // From memory always runs: the main-thread figures come from it.
        o.models = ['memory', ...list.filter((m) => m !== 'memory')];
        break;
      }
      case '--twiggy-baseline': {
        const v = val();
        o.twiggyBaseline = v === 'none' ? null : path.resolve(v);
        given.add('twiggyBaseline');
        break;
      }
      case '--out': set('out', path.resolve(val())); break;
      case '--chromium': o.chromium = val(); break;
      case '--crate': o.crate = path.resolve(val()); break;
      case '--no-scale': o.scale = false; break;
      case '--no-native': o.native = false; break;
      case '--no-twiggy': o.twiggy = false; break;
      case '--no-trace': o.trace = false; break;
      case '--no-returning': o.returning = false; break;
      case '--no-lighthouse': o.lighthouse = false; break;
      case '--catalogue-hint': o.catalogueHint = true; break;
      case '--quick': quick = true; break;
      case '-h': case '--help': {
        const lines = fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1);
        console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
        process.exit(0);
      }
      default:
        console.error(`run.mjs: unknown argument ${argv[i]}`);
        process.exit(2);
    }
  }
  if (quick) {
    const q = { loads: 3, modelLoads: 3, returningLoads: 2, scaleLoads: 1, traceLoads: 1, lighthouseRuns: 1 };
    for (const [k, v] of Object.entries(q)) if (!given.has(k)) o[k] = v;
  }
  // A quick run's figures do not replace the committed results (git ignores *.tmp there).
  if (quick && !given.has('out')) o.out = path.join(BENCH_DIR, 'results', 'quick.tmp');
  o.modelLoads ??= o.loads;
  o.returningLoads ??= o.loads;
  o.quick = quick;
  for (const k of ['loads', 'modelLoads', 'returningLoads', 'scaleLoads', 'traceLoads', 'lighthouseRuns']) {
    if (!(o[k] >= 1)) throw new Error(`--${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} must be >= 1`);
  }
  // An explicit baseline must exist; the default one is used only when present.
  if (o.twiggyBaseline && !fs.existsSync(o.twiggyBaseline)) {
    if (given.has('twiggyBaseline')) throw new Error(`--twiggy-baseline: ${o.twiggyBaseline} does not exist`);
    o.twiggyBaseline = null;
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const log = (...a) => console.error('  ·', ...a);
const t0 = Date.now();
const say = (s) => console.error(`\x1b[1m==> ${s}\x1b[0m (at ${((Date.now() - t0) / 1000).toFixed(0)} s)`);

if (!fs.existsSync(path.join(opts.dist, 'cookiegate.js'))) {
  console.error(`run.mjs: ${opts.dist}/cookiegate.js is missing: run ./build.sh (or pass --dist DIR)`);
  process.exit(1);
}

// The catalogue vanilla is configured from: the one dist/ ships under the
// contract's name, else its source (a build may ship per-language files only).
const cataloguePath = [path.join(opts.dist, 'catalogue.json'), path.join(REPO_ROOT, 'policies', 'storefront.json')].find((f) => fs.existsSync(f));
const catalogue = JSON.parse(fs.readFileSync(cataloguePath, 'utf8'));
const siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cookiegate-bench-'));
// The storefront embeds data-languages when the dist has the per-language files.
const languages = (catalogue.languages ?? []).every((l) => fs.existsSync(path.join(opts.dist, `catalogue.${l}.json`))) ? catalogue.languages : null;
writeSite(siteDir, catalogue, { languages });

// What each banner's accept-all button and banner element are, which of its
// files are configuration rather than code, and how to tell from the page
// that a choice granting everything is stored (before a reload) and was
// restored (after it).
const BANNERS = {
  cookiegate: {
    kind: 'cookiegate',
    banner: '[data-cookiegate="banner"]',
    accept: '[data-cookiegate="banner"] [data-cookiegate="accept-all"]',
    role: (pathname) => (pathname.endsWith('.json') ? 'catalogue' : 'code'),
    stored: () => {
      const c = window.cookiegate.getConsent();
      return Boolean(c && c.method === 'accept-all' && Object.values(c.categories).every(Boolean) && localStorage.getItem('cookiegate'));
    },
    restored: async () => {
      await window.cookiegate.ready;
      const c = window.cookiegate.getConsent();
      return Boolean(c && c.method === 'restored' && Object.values(c.categories).every(Boolean));
    },
  },
  vanilla: {
    kind: 'vanilla',
    banner: '#cc-main .cm',
    accept: '#cc-main .cm [data-role="all"]',
    role: (pathname) => (pathname === '/vanilla/config.js' ? 'configuration' : 'code'),
    stored: () => Boolean(window.CookieConsent.validConsent() && window.CookieConsent.getUserPreferences().acceptType === 'all' && /(^|;\s*)cc_cookie=/.test(document.cookie)),
    restored: () => Boolean(window.CookieConsent && window.CookieConsent.validConsent() && window.CookieConsent.getUserPreferences().acceptType === 'all'),
  },
};

// The same cookiegate tag after resource hints (benches/lib/fixtures.mjs,
// preloadHints): measured as pages of their own.
BANNERS.hints = { ...BANNERS.cookiegate, kind: 'hints' };
BANNERS['hints-catalogue'] = { ...BANNERS.cookiegate, kind: 'hints-catalogue' };
/** The pages compared, in table order (vanilla last: the others' ratios are to it), and their column labels. */
const VARIANTS = ['cookiegate', 'hints', ...(opts.catalogueHint ? ['hints-catalogue'] : []), 'vanilla'];
const OURS = VARIANTS.filter((k) => k !== 'vanilla');
const LABEL = { cookiegate: 'cookiegate', hints: 'cg + hints', 'hints-catalogue': 'cg + hints + catalogue', vanilla: 'vanilla' };
/** Round i's order: the variants rotated by i, so each goes first as often. */
const roundOrder = (i) => VARIANTS.map((_, j) => VARIANTS[(i + j) % VARIANTS.length]);
/** { variant: [] } for every variant. */
const perVariant = () => Object.fromEntries(VARIANTS.map((k) => [k, []]));

/** What the in-page probe is told about a banner (plain data only). */
const probeConfig = (cfg, extra = {}) => ({ banner: cfg.banner, accept: cfg.accept, ...extra });

// ---------------------------------------------------------------------------
// browser

const server = await startServer({ port: 0, host: '127.0.0.1', www: siteDir, dist: opts.dist });
const origin = server.url.replace(/\/$/, '');
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // Anything not on the bench server fails name resolution: no real tracker
  // host is ever contacted.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
const browser = await chromium.launch({ executablePath: opts.chromium, headless: true, args: CHROMIUM_FLAGS });
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

/**
 * One first-visit load of the storefront page with a banner under a network
 * model, then "Accept all". `requests` is the CDP network log until the click.
 */
async function storefrontLoad(kind, model = MODELS.memory) {
  const cfg = BANNERS[kind];
  const { context, page } = await newPage();
  try {
    await page.addInitScript(probe, probeConfig(cfg));
    const cdp = await context.newCDPSession(page);
    const net = await networkLog(cdp);
    await cdp.send('Performance.enable');
    await applyModel(cdp, model);
    await page.goto(`${origin}/${kind}.html`, { waitUntil: 'load', timeout: 120000 });
    await waitBanner(page, model.network ? 60000 : 20000);
    // Let start-up work that follows the banner finish before reading the
    // main-thread totals (the load is what is measured, not the click).
    await page.waitForTimeout(500);
    const metrics = metricMap(await cdp.send('Performance.getMetrics'));
    const requests = net.entries();
    const before = await page.evaluate(() => ({
      t: window.__bench.t,
      longtasks: window.__bench.longtasks,
      shifts: window.__bench.shifts,
      ran: window.__benchRan.length,
    }));
    await page.locator(cfg.accept).click();
    await page.waitForFunction((n) => window.__benchRan.length >= n, STOREFRONT_EXPECTED_RUNS, { timeout: 60000, polling: 25 });
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
      model: model.short,
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

/**
 * A returning visitor: a first load of the same context clicks "Accept all"
 * (no emulation), then the page is reloaded under `model`. Measures, in the
 * reloaded document's clock, navigation start → last gated script requested
 * and → last gated script ran.
 */
async function returningLoad(kind, model) {
  const cfg = BANNERS[kind];
  const { context, page } = await newPage();
  try {
    // The probe waits for the banner on the first load only: on the reload
    // it stays idle (its own per-frame work would cost main-thread time).
    await page.addInitScript(probe, probeConfig(cfg, { idleOnReload: true }));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await page.goto(`${origin}/${kind}.html`, { waitUntil: 'load' });
    await waitBanner(page);
    await page.locator(cfg.accept).click();
    await page.waitForFunction((n) => window.__benchRan.length >= n, STOREFRONT_EXPECTED_RUNS, { timeout: 20000, polling: 25 });
    const stored = await page.evaluate(cfg.stored);
    await applyModel(cdp, model);
    await page.reload({ waitUntil: 'load', timeout: 120000 });
    await page.waitForFunction((n) => window.__benchRan.length >= n, STOREFRONT_EXPECTED_RUNS, { timeout: 60000, polling: 25 });
    const t = await page.evaluate(() => {
      const res = performance.getEntriesByType('resource').filter((e) => e.name.includes('/stand-ins/'));
      return {
        navigation: performance.getEntriesByType('navigation')[0]?.type,
        lastRequested: Math.max(...res.map((e) => e.startTime)),
        lastRan: Math.max(...window.__benchRan.map((r) => r[1])),
        gatedRequests: res.length,
      };
    });
    const restored = await page.evaluate(cfg.restored);
    // Whether the banner showed although a choice was stored (it must not).
    const bannerShown = await page.evaluate((sel) => {
      window.__bench.watch('banner', sel);
      return window.__bench.watches.banner.t !== undefined;
    }, cfg.banner);
    return { kind, model: model.short, stored, restored, bannerShown, ...t };
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
    await page.addInitScript(probe, probeConfig(cfg));
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

// Fill serve.mjs's compression cache for every file a banner may load, so no
// load pays brotli -q 11 on the server.
for (const f of fs.readdirSync(opts.dist)) if (fs.statSync(path.join(opts.dist, f)).isFile()) await warm(`/cookiegate/${f}`);
for (const f of ['vendor/cookieconsent.umd.js', 'vendor/cookieconsent.css', 'vanilla/config.js']) await warm(`/${f}`);

/** The local file the bench server answers `pathname` with, or null. */
function localFile(pathname) {
  const file = pathname.startsWith('/cookiegate/') ? path.join(opts.dist, pathname.slice('/cookiegate/'.length)) : path.join(siteDir, pathname);
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

const FILE_LABELS = { '/vanilla/config.js': 'config.js (categories, services, en texts)' };

/**
 * What one first visit of `kind` loaded for the banner, per file, from the
 * CDP network log: every request to the bench server but the page itself,
 * its favicon and the gated stand-ins (the shop's, loaded only on consent).
 */
function bannerRequests(kind, requests) {
  return requests
    .filter((e) => e.url.startsWith(origin + '/'))
    .map((e) => ({ ...e, pathname: new URL(e.url).pathname }))
    .filter(({ pathname }) => pathname !== `/${kind}.html` && pathname !== '/favicon.ico' && !pathname.startsWith('/stand-ins/'));
}

/** bannerRequests grouped by file, with the served file's sizes. */
function firstVisitFiles(kind, requests) {
  const rows = new Map();
  for (const e of bannerRequests(kind, requests)) {
    const { pathname } = e;
    const r = rows.get(pathname) ?? { pathname, requests: 0, wire: 0, headers: 0, encodings: new Set(), problems: [] };
    r.requests++;
    r.wire += e.bodyBytes;
    r.headers += e.headerBytes;
    if (e.encoding) r.encodings.add(e.encoding);
    if (e.failed || !e.done) r.problems.push(e.failed ?? 'unfinished');
    else if (e.status !== 200) r.problems.push(`HTTP ${e.status}`);
    rows.set(pathname, r);
  }
  return [...rows.values()]
    .map((r) => {
      const file = localFile(r.pathname);
      return {
        ...r,
        ...(file ? sizes(file) : { raw: NaN, gzip: NaN, brotli: NaN }),
        label: FILE_LABELS[r.pathname] ?? path.posix.basename(r.pathname),
        role: BANNERS[kind].role(r.pathname),
      };
    })
    .sort((x, y) => (x.role === y.role ? x.label.localeCompare(y.label) : x.role === 'code' ? -1 : 1));
}

say('bytes on first load (CDP network log of one first visit each)');
const firstVisit = {};
for (const kind of VARIANTS) {
  const r = await storefrontLoad(kind).catch((e) => {
    console.error(`run.mjs: ${kind} did not show its banner on the bench page: ${e.message}`);
    throw e;
  });
  firstVisit[kind] = firstVisitFiles(kind, r.requests);
  log(`${kind} requested: ${firstVisit[kind].map((f) => `${f.label}${f.requests > 1 ? ` ×${f.requests}` : ''} (${[...f.encodings].join('/')}, ${f.wire} B)`).join(', ')}`);
}
const bytes = {
  ...Object.fromEntries(OURS.map((k) => [k, firstVisit[k]])),
  vanilla: [
    ...firstVisit.vanilla,
    // Part of the HTML, not a request: counted at its own compressed size.
    { ...sizesOfString(`<script>${VANILLA_GCM_SNIPPET}</script>`), label: 'inline Consent Mode default (in the page)', role: 'inline', requests: 0, encodings: new Set(), problems: [] },
  ],
};
function sizesOfString(s) {
  const f = path.join(siteDir, 'snippet.tmp');
  fs.writeFileSync(f, s);
  return sizes(f);
}
// Sums of a banner's rows. The wire column counts request bodies as CDP saw
// them; an inline row (no request) counts at its brotli size.
const total = (rows) =>
  rows.reduce(
    (t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli, wire: t.wire + (r.role === 'inline' ? r.brotli : r.wire) }),
    { raw: 0, gzip: 0, brotli: 0, wire: 0 },
  );
const codeRows = (rows) => rows.filter((r) => r.role === 'code');
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

const runs = {};
for (const m of opts.models) {
  const model = MODELS[m];
  const n = m === 'memory' ? opts.loads : opts.modelLoads;
  say(`storefront first visits, ${model.label}: ${n} per banner, alternating`);
  await storefrontLoad('vanilla', model); // warm-up (server compression cache, disk)
  runs[m] = perVariant();
  for (let i = 0; i < n; i++) {
    for (const kind of roundOrder(i)) runs[m][kind].push(await storefrontLoad(kind, model));
    log(`${model.short} round ${i + 1}/${n}: banner visible: ${VARIANTS.map((k) => `${LABEL[k]} ${fmt(runs[m][k].at(-1).banner)} ms`).join(', ')}`);
  }
}
// Whether every first visit requested the same files (a varying set would
// make the bytes table describe one load only).
const fileSets = {};
for (const kind of VARIANTS) {
  fileSets[kind] = new Set(opts.models.flatMap((m) => runs[m][kind].map((r) => [...new Set(bannerRequests(kind, r.requests).map((e) => e.pathname))].sort().join(' '))));
}

const returning = {};
if (opts.returning) {
  for (const m of opts.models) {
    const model = MODELS[m];
    say(`returning visitor, ${model.label}: ${opts.returningLoads} per banner (accept all, then reload)`);
    returning[m] = perVariant();
    for (let i = 0; i < opts.returningLoads; i++) {
      for (const kind of roundOrder(i)) returning[m][kind].push(await returningLoad(kind, model));
      log(`${model.short} round ${i + 1}/${opts.returningLoads}: navigation → last gated script requested: ${VARIANTS.map((k) => `${LABEL[k]} ${fmt(returning[m][k].at(-1).lastRequested)} ms`).join(', ')}`);
    }
  }
}
const runsMemory = runs.memory;

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
    await page.addInitScript(probe, probeConfig(BANNERS.cookiegate));
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

// ---------------------------------------------------------------------------
// Lighthouse, on the same pages of the same server

const lighthouse = { runs: perVariant(), error: null, version: null };
if (opts.lighthouse) {
  say(`Lighthouse (default config: mobile, simulated throttling): ${opts.lighthouseRuns} run(s) per banner`);
  try {
    const { lighthouseRunner } = await import('./lib/lighthouse.mjs');
    const lh = await lighthouseRunner({ chromium: opts.chromium, flags: CHROMIUM_FLAGS });
    lighthouse.version = lh.version;
    for (let i = 0; i < opts.lighthouseRuns; i++) {
      for (const kind of roundOrder(i)) lighthouse.runs[kind].push(await lh.run(`${origin}/${kind}.html`));
      const sc = (k) => Object.values(lighthouse.runs[k].at(-1).scores).map((x) => fmt(x, 0)).join('/');
      log(`Lighthouse round ${i + 1}/${opts.lighthouseRuns}: performance/accessibility/best-practices: ${VARIANTS.map((k) => `${LABEL[k]} ${sc(k)}`).join(', ')}`);
    }
  } catch (e) {
    lighthouse.error = e.message.split('\n')[0];
    log(`Lighthouse could not run: ${lighthouse.error}`);
  }
}

await server.close();

// Native parse + validate of the same catalogues (cargo bench, release profile).
if (opts.scale && opts.native) {
  say('native parse + validate (cargo bench --bench catalogue_scale)');
  const files = [cataloguePath, ...SIZES.map((n) => path.join(siteDir, 'scale', `catalogue-${n}.json`))];
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
    const current = twiggyProfile({ repoRoot: REPO_ROOT, crate: opts.crate, shippedWasm: path.join(opts.dist, 'cookiegate_core_bg.wasm') });
    const saved = path.join(BENCH_DIR, 'results', `twiggy-${current.label}.json`);
    const written = saveProfile(current, saved);
    log(`twiggy profile ${written ? 'saved' : 'unchanged'}: ${path.relative(REPO_ROOT, saved)} (pass it as --twiggy-baseline to compare a later build with it)`);
    const baseline = opts.twiggyBaseline ? loadProfile(opts.twiggyBaseline) : null;
    twiggy = { current, saved, baseline, compare: baseline ? compareProfiles(baseline, current) : null };
  } catch (e) {
    log(`twiggy step failed: ${e.message.split('\n')[0]}`);
  }
}

// ---------------------------------------------------------------------------
// report

const md = [];
const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
const runKind = opts.quick ? ' — **quick run (`--quick`): few loads, figures are indicative only**' : '';
md.push(`# cookiegate benchmark results`);
md.push('');
md.push(`Run ${date} by \`./build.sh bench\` (\`node benches/run.mjs${process.argv.length > 2 ? ' ' + process.argv.slice(2).join(' ') : ''}\`)${runKind}. Machine: ${os.cpus().length} CPUs (nproc ${os.availableParallelism?.() ?? os.cpus().length}), ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at the end; Chromium ${chromiumVersion} headless; Node ${process.version}; vanilla-cookieconsent ${JSON.parse(fs.readFileSync(path.join(VANILLA_DIR, 'package.json'), 'utf8')).version} from node_modules. cookiegate measured from \`${path.relative(REPO_ROOT, opts.dist) || '.'}\`` + (opts.crate !== REPO_ROOT ? ` (wasm profiled from crate \`${opts.crate}\`)` : '') + '.');
md.push('');
md.push(`Both banners are served by \`tools/serve.mjs\` on 127.0.0.1 (brotli -q 11 for JS, CSS, JSON, wasm and HTML, as Chromium asks for \`br\` from localhost) on the same storefront page: the same ${STOREFRONT_EXPECTED_RUNS - 1} external and 1 inline gated scripts (local stand-ins), vanilla configured from the same catalogue (\`benches/vanilla/config.js\`, generated). Every first visit is in a fresh browser context; the banners alternate in one Chromium process. Times are ms from navigation start unless said otherwise.`);
md.push('');
md.push(`Pages: "cookiegate" is the one tag \`cookiegate bundle\` prints; "cg + hints" is the same page with these lines before the tag, so the glue and the wasm are fetched alongside the bootstrap instead of after it:${opts.catalogueHint ? ' "cg + hints + catalogue" also preloads the catalogue file this visitor gets.' : ''}`);
md.push('');
md.push('```html\n' + preloadHints() + '\n```');
md.push('');

// Medians of a measure for both banners, and the row of a side-by-side table.
const S = (set, kind, key) => summary(set[kind].map((r) => r[key]));
// Per variant: median, min–max and (but for vanilla) the ratio of medians to vanilla's.
const sideCells = (set, key, digits = 1) => {
  const v = S(set, 'vanilla', key);
  return VARIANTS.flatMap((k) => {
    const c = S(set, k, key);
    const cells = [fmt(c.median, digits), `${fmt(c.min, digits)}–${fmt(c.max, digits)}`];
    return k === 'vanilla' ? cells : [...cells, ratio(c.median, v.median)];
  });
};
const sideRow = (label, key, digits = 1) => [label, ...sideCells(runsMemory, key, digits)];
const SIDE = VARIANTS.flatMap((k) => (k === 'vanilla' ? ['vanilla median', 'min–max'] : [`${LABEL[k]} median`, 'min–max', `${LABEL[k]} / vanilla`]));
// Column alignment of a table with `lead` label columns, then SIDE, then `tail` more.
const sideAlign = (lead, tail = 0) => [...Array(lead).fill('l'), ...SIDE.map(() => 'r'), ...Array(tail).fill('r')];
const tc = total(bytes.cookiegate);
const tv = total(bytes.vanilla);
const tcc = total(codeRows(bytes.cookiegate));
const tvc = total(codeRows(bytes.vanilla));
const GOALS = { memory: '≤ 1.0×', '4g': '≤ 1.2×', lighthouse: '≤ 1.2×' };

md.push('## Issue 12 goals at a glance');
md.push('');
{
  // One value per variant (vanilla last), each of ours followed by its ratio to vanilla.
  const glance = (label, value, show, goal) => {
    const v = value('vanilla');
    return [label, ...OURS.flatMap((k) => [show(value(k)), ratio(value(k), v)]), show(v), goal];
  };
  const brotliOf = (k, rows) => total(rows(bytes[k])).brotli;
  const rows = [
    glance('code + CSS, brotli -q 11', (k) => brotliOf(k, codeRows), kB, '≤ 2.5×'),
    glance('everything a first visit loads, brotli -q 11', (k) => brotliOf(k, (r) => r), kB, '≤ 2.0×'),
  ];
  for (const m of opts.models) {
    rows.push(glance(`banner visible, ${MODELS[m].label}, ms`, (k) => S(runs[m], k, 'banner').median, fmt, GOALS[m]));
  }
  if (opts.returning) {
    for (const m of opts.models) {
      rows.push(glance(`returning visitor: navigation → last gated script requested, ${MODELS[m].label}, ms`, (k) => S(returning[m], k, 'lastRequested').median, fmt, '≤ 1.0×'));
    }
  }
  if (VARIANTS.every((k) => lighthouse.runs[k].length)) {
    for (const id of ['performance', 'accessibility', 'best-practices']) {
      rows.push(glance(`Lighthouse ${id} score (0–100)`, (k) => median(lighthouse.runs[k].map((r) => r.scores[id])), (x) => fmt(x, 0), '–'));
    }
  }
  md.push(mdTable(['measure (medians)', ...OURS.flatMap((k) => [LABEL[k], `${LABEL[k]} / vanilla`]), 'vanilla', 'issue 12 goal'], rows));
}
md.push('');

md.push('## Bytes on first load');
md.push('');
md.push('What the browser really requested on a first visit (no stored choice), from the CDP network log of one load each, until 500 ms after the banner was interactive: every request to the bench server except the page itself, its favicon and the gated stand-ins (those load only on consent). Sizes are of the served files (raw, `gzip -9`, `brotli -q 11`); "on the wire" is the response body bytes CDP counted (`Network.loadingFinished` encodedDataLength minus the response headers), i.e. what the server really sent, compressed as "sent as" says. "code + CSS" = the banner\'s own code and styles (cookiegate: bootstrap, which holds its CSS, glue and wasm; vanilla: `cookieconsent.umd.js` + `cookieconsent.css`); "everything" adds the catalogue / configuration and, for vanilla, its inline Consent Mode snippet (part of the HTML, counted at its brotli size in both columns).');
md.push('');
{
  const fileRow = (kind, r) => [
    `${kind}: ${r.label}${r.requests > 1 ? ` (×${r.requests} requests)` : ''}${r.problems.length ? ` — ${[...new Set(r.problems)].join(', ')}` : ''}`,
    r.role,
    r.role === 'inline' ? 'in the HTML' : [...r.encodings].join(', ') || '–',
    fmtInt(r.raw), fmtInt(r.gzip), fmtInt(r.brotli), r.role === 'inline' ? '–' : fmtInt(r.wire),
  ];
  const sumRow = (label, t) => [`**${label}**`, '', '', fmtInt(t.raw), fmtInt(t.gzip), fmtInt(t.brotli), fmtInt(t.wire)];
  const ratioRow = (label, a, b) => [label, '', '', ratio(a.raw, b.raw), ratio(a.gzip, b.gzip), ratio(a.brotli, b.brotli), ratio(a.wire, b.wire)];
  md.push(mdTable(['file', 'role', 'sent as', 'raw B', 'gzip -9 B', 'brotli -q 11 B', 'on the wire B'], [
    ...bytes.cookiegate.map((r) => fileRow('cookiegate', r)),
    sumRow('cookiegate code + CSS', tcc),
    sumRow('cookiegate everything a first visit loads', tc),
    ...bytes.vanilla.map((r) => fileRow('vanilla', r)),
    sumRow('vanilla code + CSS', tvc),
    sumRow('vanilla everything a first visit loads', tv),
    ratioRow('ratio code + CSS cg / vanilla (issue 12 goal ≤ 2.5× brotli)', tcc, tvc),
    ratioRow('ratio everything cg / vanilla (goal ≤ 2.0× brotli)', tc, tv),
  ], ['l', 'l', 'l', 'r', 'r', 'r', 'r']));
}
md.push('');
{
  const hdr = (rows) => rows.reduce((a, r) => a + (r.headers ?? 0), 0);
  const reqs = (rows) => rows.reduce((a, r) => a + (r.requests ?? 0), 0);
  const varied = VARIANTS.filter((k) => fileSets[k].size > 1);
  md.push(`Requests: ${VARIANTS.map((k) => `${LABEL[k]} ${reqs(bytes[k])}`).join(', ')} (response headers on top: ${VARIANTS.map((k) => `${fmtInt(hdr(bytes[k]))} B`).join(', ')}). ` +
    (varied.length ? `The set of requested files VARIED between first visits for ${varied.join(' and ')}: ${varied.map((k) => [...fileSets[k]].join(' | ')).join('; ')}.` : `Every first visit of the run (${opts.models.map((m) => runs[m].cookiegate.length).reduce((a, b) => a + b, 0)} per banner, all models) requested the same files.`));
  // A hint that does not match the bootstrap's request shows as a file fetched twice.
  const twice = (k) => opts.models.flatMap((m) => runs[m][k]).reduce((n, r) => {
    const seen = new Map();
    for (const e of bannerRequests(k, r.requests)) seen.set(e.pathname, (seen.get(e.pathname) ?? 0) + 1);
    return n + [...seen.values()].filter((c) => c > 1).length;
  }, 0);
  md.push(`Files fetched more than once in one first visit (a preload the bootstrap's request did not match), over every load: ${OURS.map((k) => `${LABEL[k]} ${twice(k)}`).join(', ')}; the hints pages requested ${OURS.filter((k) => k !== 'cookiegate').map((k) => `${LABEL[k]}: ${bytes[k].map((f) => f.label).join(', ')}`).join('; ')}.`);
}
md.push('');
const catRow = bytes.cookiegate.find((r) => r.role === 'catalogue');
md.push(`For comparison: the default catalogue with English only and no editors' \`notes\` would be ${fmtInt(enOnlyBytes.raw)} B raw, ${fmtInt(enOnlyBytes.gzip)} B gzip, ${fmtInt(enOnlyBytes.brotli)} B brotli` + (catRow ? ` (requested: \`${catRow.label}\`, ${fmtInt(catRow.brotli)} B brotli).` : '.'));
md.push('');

md.push('## Banner visible under network models (first visit)');
md.push('');
md.push('The models are applied per page through CDP before navigating: `Network.emulateNetworkConditions` (`latency`, `downloadThroughput`, `uploadThroughput`) and `Emulation.setCPUThrottlingRate`. What CDP\'s `latency` is: "minimum latency from request sent to response headers received", applied once per request (every 304 revalidation and redirect hop pays it too). It is not a TCP round trip: no connection set-up, TLS, slow start or per-packet delay is modelled, and loopback connections are kept alive, so a request costs one `latency` plus its body at the throughput, which Chromium shares among the page\'s responses in flight. Responses served from the HTTP cache are not delayed (the throttle sits below the cache). Lighthouse\'s own "simulated" throttling (section below) instead models round trips per connection from an unthrottled trace, so its times are not comparable with these.');
md.push('');
md.push(mdTable(['model', 'what it is'], opts.models.map((m) => [MODELS[m].label, MODELS[m].describe]), ['l', 'l']));
md.push('');
{
  const rows = [];
  for (const m of opts.models) {
    const n = runs[m].cookiegate.length;
    rows.push([`${MODELS[m].label} (n = ${n})`, 'banner visible', ...sideCells(runs[m], 'banner'), GOALS[m]]);
    rows.push(['', 'banner interactive (accept enabled)', ...sideCells(runs[m], 'interactive'), '']);
    rows.push(['', '"Accept all" click → last gated script requested', ...sideCells(runs[m], 'acceptToLastRequest'), '']);
  }
  md.push(mdTable(['model', 'measure (ms)', ...SIDE, 'issue 12 goal'], rows, sideAlign(2, 1)));
}
md.push('');

if (opts.returning) {
  md.push('## Returning visitor with a stored choice');
  md.push('');
  md.push('Each sample: a fresh browser context loads the page with no emulation, clicks "Accept all" (cookiegate writes its record to `localStorage`, vanilla its `cc_cookie` cookie) and waits until every gated script ran; then the model is applied and the page is reloaded (`Page.reload`: the document revalidated, the other files from the HTTP cache as their `Cache-Control` allows). Times are from the reloaded document\'s navigation start to the `startTime` of the last gated stand-in request (Resource Timing) and to the last gated script having run.');
  md.push('');
  const rows = [];
  for (const m of opts.models) {
    const n = returning[m].cookiegate.length;
    rows.push([`${MODELS[m].label} (n = ${n})`, 'navigation → last gated script requested', ...sideCells(returning[m], 'lastRequested'), '≤ 1.0×']);
    rows.push(['', 'navigation → last gated script ran', ...sideCells(returning[m], 'lastRan'), '']);
  }
  md.push(mdTable(['model', 'measure (ms)', ...SIDE, 'issue 12 goal'], rows, sideAlign(2, 1)));
  md.push('');
  const count = (kind, pred) => opts.models.reduce((a, m) => a + returning[m][kind].filter(pred).length, 0);
  const all = opts.models.reduce((a, m) => a + returning[m].cookiegate.length, 0);
  const line = (kind) => `${LABEL[kind]}: choice stored before the reload ${count(kind, (r) => r.stored)}/${all}, restored after it ${count(kind, (r) => r.restored)}/${all}, banner shown again ${count(kind, (r) => r.bannerShown)}/${all}, reloads that were not \`reload\` navigations ${count(kind, (r) => r.navigation !== 'reload')}`;
  md.push(`Checks: ${VARIANTS.map(line).join('; ')}.`);
  md.push('');
}

md.push(`## Time to banner and after consent, from memory (side by side; n = ${runsMemory.cookiegate.length} loads each)`);
md.push('');
const timeTable = mdTable(['measure (ms)', ...SIDE], [
  sideRow('first contentful paint (page)', 'fcp'),
  sideRow('banner visible', 'banner'),
  sideRow('banner interactive (accept enabled)', 'interactive'),
  sideRow('"Accept all" click → last gated script requested', 'acceptToLastRequest'),
  sideRow('"Accept all" click → last gated script ran', 'acceptToLastRan'),
]);
md.push(timeTable);
md.push('');
md.push('## Main-thread cost during load, from memory (until 500 ms after the banner is interactive)');
md.push('');
const costTable = mdTable(['measure', ...SIDE], [
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
{
  const every = (kind) => opts.models.flatMap((m) => runs[m][kind]);
  const clsMax = Math.max(...VARIANTS.flatMap((k) => every(k).map((r) => r.cls)));
  md.push(`Layout shift: the page without any banner scores CLS ${fmt(Math.max(...control.map((c) => c.cls)), 4)} (3 loads), so any shift above is the banner's. Highest seen with a banner (every model): ${fmt(clsMax, 4)}${clsMax === 0 ? ' (0 as required)' : ' (NOT 0)'}. Gated scripts run before consent (every model): ${VARIANTS.map((k) => `${LABEL[k]} ${Math.max(...every(k).map((r) => r.ranBeforeConsent))}`).join(', ')}. Requests to anything but the bench server: ${foreignRequests}.`);
}
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

if (opts.lighthouse) {
  md.push('## Lighthouse (mobile, simulated throttling)');
  md.push('');
  const c0 = lighthouse.runs.cookiegate[0] ?? lighthouse.runs.vanilla[0];
  if (lighthouse.error && !c0) {
    md.push(`Lighthouse could not run here: ${lighthouse.error}`);
  } else {
    const t = c0.settings.throttling;
    md.push(`Lighthouse ${lighthouse.version} from npm, run programmatically (\`lighthouse(url, {port})\` on a Chromium started by chrome-launcher with the bench's flags and a fresh profile per run), default configuration (Lighthouse 12's \`--preset\` offers only perf, experimental and desktop: mobile is the default): form factor ${c0.settings.formFactor}, throttling method \`${c0.settings.throttlingMethod}\` (${t.rttMs} ms RTT, ${t.throughputKbps} Kbps, CPU ×${t.cpuSlowdownMultiplier}), categories performance, accessibility, best-practices; ${c0.userAgent}. Same server and pages as above, first visit (Lighthouse clears storage). Median of ${lighthouse.runs.cookiegate.length} run(s) per banner, alternating.` + (lighthouse.error ? ` A later run failed: ${lighthouse.error}.` : ''));
    md.push('');
    const L = (kind, f) => lighthouse.runs[kind].map(f);
    const lhRow = (label, f, digits) => [label, ...sideCells(Object.fromEntries(VARIANTS.map((k) => [k, L(k, (r) => ({ x: f(r) }))])), 'x', digits)];
    const { METRICS } = await import('./lib/lighthouse.mjs');
    md.push(mdTable(['Lighthouse measure', ...SIDE], [
      ...['performance', 'accessibility', 'best-practices'].map((id) => lhRow(`${id} score (0–100)`, (r) => r.scores[id], 0)),
      ...METRICS.map(([id, label]) => lhRow(label, (r) => r.metrics[id], id === 'cumulative-layout-shift' ? 3 : 0)),
    ]));
    md.push('');
    const lostOf = (kind) => {
      const by = {};
      for (const r of lighthouse.runs[kind]) for (const [cat, ids] of Object.entries(r.lost)) for (const id of ids) (by[cat] ??= new Set()).add(id);
      const parts = Object.entries(by).map(([cat, ids]) => `${cat}: ${[...ids].join(', ')}`);
      return parts.length ? parts.join('; ') : 'none';
    };
    md.push(`- Audits below full score in any run: ${VARIANTS.map((k) => `${LABEL[k]} — ${lostOf(k)}`).join('; ')}.`);
    for (const k of VARIANTS) {
      const errors = [...new Set(lighthouse.runs[k].flatMap((r) => r.consoleErrors))];
      if (errors.length) md.push(`- Console errors Lighthouse saw on the ${k} page: ${errors.join(' / ')}.`);
    }
    const warnings = [...new Set(VARIANTS.flatMap((k) => lighthouse.runs[k].flatMap((r) => r.warnings)))];
    if (warnings.length) md.push(`- Lighthouse warnings: ${warnings.join(' / ')}`);
    md.push('');
  }
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
  const shipped = scale.native?.[path.basename(cataloguePath)];
  if (shipped) md.push(`Native parse + validate of \`${path.relative(REPO_ROOT, cataloguePath)}\` (${fmtInt(shipped.bytes)} B, ${shipped.services} services, ${catalogue.languages.length} languages): median ${fmt(shipped.median_us / 1000, 3)} ms over ${fmtInt(shipped.iterations)} iterations.`);
  md.push('');
}

if (twiggy) {
  const cur = twiggy.current;
  const base = twiggy.baseline;
  const cmp = twiggy.compare;
  const name = (n) => (n.length > 90 ? n.slice(0, 87) + '…' : n);
  const delta = (b, a) => (Number.isFinite(b) && Number.isFinite(a) ? (a - b > 0 ? '+' : '') + fmtInt(a - b) : '–');
  const pct = (x, whole) => fmt((100 * x) / whole);
  md.push('## What the wasm is made of (twiggy)' + (base ? `: before (${base.label}) and after (${cur.label})` : ''));
  md.push('');
  md.push(`Profiling build: same release profile and \`wasm-opt -Oz\` as dist/, with symbol names kept (\`-g\`); ${fmtInt(cur.profiled)} B with the name section, ${fmtInt(cur.moduleBytes)} B without it (shipped dist wasm: ${fmtInt(cur.shipped)} B). Saved as \`${path.relative(REPO_ROOT, twiggy.saved)}\`` +
    (base ? `; compared with \`${path.relative(REPO_ROOT, opts.twiggyBaseline)}\` (${base.label}, profiled ${base.date.slice(0, 10)}: ${fmtInt(base.moduleBytes)} B without names, shipped ${fmtInt(base.shipped)} B).` : '; no baseline given (`--twiggy-baseline FILE`).'));
  md.push('');
  if (cmp) {
    md.push(mdTable(['module', 'before B', 'after B', 'Δ B', 'after / before'], [
      ['wasm without the name section (twiggy total)', fmtInt(base.moduleBytes), fmtInt(cur.moduleBytes), delta(base.moduleBytes, cur.moduleBytes), ratio(cur.moduleBytes, base.moduleBytes)],
      ['shipped dist wasm', fmtInt(base.shipped), fmtInt(cur.shipped), delta(base.shipped, cur.shipped), ratio(cur.shipped, base.shipped)],
    ]));
    md.push('');
    const shown = cmp.groups.slice(0, 24);
    const rest = cmp.groups.slice(24);
    const restRow = rest.length ? [[`${rest.length} more groups`, fmtInt(rest.reduce((a, g) => a + g.before, 0)), fmtInt(rest.reduce((a, g) => a + g.after, 0)), delta(rest.reduce((a, g) => a + g.before, 0), rest.reduce((a, g) => a + g.after, 0)), '']] : [];
    md.push(mdTable(['by crate / kind', 'before B', 'after B', 'Δ B', '% of module after'], [
      ...shown.map((g) => [g.name, fmtInt(g.before), fmtInt(g.after), delta(g.before, g.after), pct(g.after, cur.moduleBytes)]),
      ...restRow,
    ]));
    md.push('');
    const below = cmp.belowBefore ? `< ${cmp.belowBefore}` : '–';
    md.push(mdTable(['top 20 items now (twiggy top)', 'before B', 'after B', 'Δ B'], cmp.topNow.map((i) => [name(i.name), i.before === undefined ? below : fmtInt(i.before), fmtInt(i.after), i.before === undefined ? '' : delta(i.before, i.after)])));
    md.push('');
    md.push(mdTable(['top 20 items before', 'before B', 'after B', 'Δ B'], cmp.topBefore.map((i) => [name(i.name), fmtInt(i.before), i.after ? fmtInt(i.after) : 'gone', delta(i.before, i.after)])));
    md.push('');
    md.push(`Items are matched by name (crate hashes removed, so copies of one generic function or closure are summed under its name); an item renamed by a change shows as gone and new. "${below}" before: absent, or below the size the baseline file keeps.`);
    md.push('');
  } else {
    md.push(mdTable(['by crate / kind', 'bytes', '% of module'], Object.entries(cur.groups).slice(0, 16).map(([g, b]) => [g, fmtInt(b), pct(b, cur.moduleBytes)])));
    md.push('');
    md.push(mdTable(['top items (twiggy top -n 20)', 'shallow bytes', '%'], cur.items.slice(0, 20).map((i) => [name(i.name), fmtInt(i.size), pct(i.size, cur.moduleBytes)])));
    md.push('');
  }
}

const text = md.join('\n');
fs.writeFileSync(opts.out, text + '\n');
console.log(text);
console.error(`\nwritten: ${path.relative(process.cwd(), opts.out)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
fs.rmSync(siteDir, { recursive: true, force: true });
