#!/usr/bin/env node
// Where cookiegate's start-up time goes, phase by phase: a returning visitor
// (accept all, then reload) or a first visit (banner visible), under one of
// run.mjs's network models. Prints, per load and as medians, the page-clock
// times (ms after navigation start) of each step, from Resource Timing and
// from performance.mark()s in an instrumented copy of the bootstrap:
//
//   boot     the bootstrap starts running
//   glue     the glue module resolved (import())
//   inst     the wasm instantiated (the glue's init resolved)
//   cat      the catalogue text arrived
//   mount0/1 mount() called / returned (read, UI, restore, gate)
//   ready    cookiegate:ready
//   last     the last gated script requested
//   ran      the last gated script ran
//
//   node benches/critical-path.mjs [--dist DIR]... [--loads 5] [--model memory]
//        [--first] [--profile FILE]
//
// More than one --dist: the dists alternate load by load (an A/B run), each
// from its own server. --profile FILE writes a CPU profile of each measured load (FILE-<dist>-1.cpuprofile,
// …; open in DevTools; the sampler slows the load a little); a --dist built with wasm names (wasm-bindgen --keep-debug,
// wasm-opt -g) shows the wasm functions. Figures are printed, never asserted.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../tools/serve.mjs';
import { REPO_ROOT, STOREFRONT_EXPECTED_RUNS, writeSite } from './lib/fixtures.mjs';
import { probe } from './lib/probe.mjs';
import { MODELS, applyModel } from './lib/network.mjs';
import { median } from './lib/stats.mjs';

const o = { dists: [], loads: 5, model: 'memory', first: false, profile: null };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--dist') o.dists.push(path.resolve(process.argv[++i]));
  else if (a === '--loads') o.loads = Number(process.argv[++i]);
  else if (a === '--model') o.model = process.argv[++i];
  else if (a === '--first') o.first = true;
  else if (a === '--profile') o.profile = path.resolve(process.argv[++i]);
  else throw new Error(`critical-path.mjs: unknown argument ${a}`);
}
if (!o.dists.length) o.dists.push(path.join(REPO_ROOT, 'dist'));
const model = MODELS[o.model];
if (!model) throw new Error(`--model: one of ${Object.keys(MODELS).join(', ')}`);

// The instrumented copy of each dist: the dist as it is, with marks in its
// bootstrap (its source: www/cookiegate.js, or the dist's own if unminified).
const src = fs.readFileSync(path.join(REPO_ROOT, 'www', 'cookiegate.js'), 'utf8');
const mark = (n) => `performance.mark('cg:${n}');`;
const MARKS = [
  ["'use strict';", `'use strict'; ${mark('boot')}`],
  ['mod = m;', `mod = m; ${mark('glue')}`],
  ['}).then(function () { return catalogue; })', `}).then(function () { ${mark('inst')} return catalogue; })`],
  [' started = mount(c, url, full);', ` started = (performance.mark('cg:mount0'), mount(c, url, full)); ${mark('mount1')}`],
  ['var catalogue = url ? get(url)', `var catalogue = url ? get(url).then(function (c) { ${mark('cat')} return c; })`],
];
function instrument(text) {
  for (const [from, to] of MARKS) {
    if (!text.includes(from)) throw new Error(`critical-path.mjs: the bootstrap no longer has ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return text;
}
const catalogue = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'policies', 'storefront.json'), 'utf8'));
const sites = [];
for (const from of o.dists) {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'cookiegate-path-'));
  for (const f of fs.readdirSync(from)) if (fs.statSync(path.join(from, f)).isFile()) fs.copyFileSync(path.join(from, f), path.join(dist, f));
  // A dist's minified bootstrap has lost the marks' anchors: its source is
  // target/unminified/cookiegate.src.js next to it, else www/cookiegate.js.
  const own = path.join(from, 'cookiegate.src.js');
  fs.writeFileSync(path.join(dist, 'cookiegate.js'), instrument(fs.existsSync(own) ? fs.readFileSync(own, 'utf8') : src));
  const siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cookiegate-path-site-'));
  const languages = catalogue.languages.every((l) => fs.existsSync(path.join(dist, `catalogue.${l}.json`))) ? catalogue.languages : null;
  writeSite(siteDir, catalogue, { languages });
  const server = await startServer({ port: 0, host: '127.0.0.1', www: siteDir, dist });
  sites.push({ from, server, origin: server.url.replace(/\/$/, ''), dirs: [dist, siteDir] });
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
});
const BANNER = '[data-cookiegate="banner"]';
const ACCEPT = `${BANNER} [data-cookiegate="accept-all"]`;

/** Page-clock times of each step of one load. */
async function load(origin, profile) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  try {
    await page.addInitScript(probe, { banner: BANNER, accept: ACCEPT, idleOnReload: true });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const go = () => page.goto(`${origin}/cookiegate.html`, { waitUntil: 'load', timeout: 120000 });
    if (!o.first) {
      await go();
      await page.waitForFunction(() => window.__bench?.t.interactive !== undefined, null, { polling: 25 });
      await page.locator(ACCEPT).click();
      await page.waitForFunction((n) => window.__benchRan.length >= n, STOREFRONT_EXPECTED_RUNS, { polling: 25 });
    }
    await applyModel(cdp, model);
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    if (o.first) await go();
    else await page.reload({ waitUntil: 'load', timeout: 120000 });
    if (o.first) await page.waitForFunction(() => window.__bench?.t.banner !== undefined, null, { polling: 25, timeout: 60000 });
    else await page.waitForFunction((n) => window.__benchRan.length >= n, STOREFRONT_EXPECTED_RUNS, { polling: 25, timeout: 60000 });
    await page.waitForTimeout(100);
    if (profile) fs.writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    return await page.evaluate(() => {
      const t = {};
      for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('cg:')) t[m.name.slice(3)] = m.startTime;
      const res = performance.getEntriesByType('resource');
      const file = (re) => res.find((e) => re.test(e.name));
      for (const [k, re] of [['js', /cookiegate\.js/], ['gl', /cookiegate_core\.js/], ['wasm', /\.wasm/], ['json', /catalogue[.a-z]*\.json/]]) {
        const e = file(re);
        if (e) {
          t[k + '>'] = e.startTime;
          t[k + '<'] = e.responseEnd;
        }
      }
      t.dcl = window.__bench.t.dcl;
      t.ready = window.__bench.t.ready;
      t.banner = window.__bench.t.banner;
      const gated = res.filter((e) => e.name.includes('/stand-ins/'));
      if (gated.length) {
        t['last'] = Math.max(...gated.map((e) => e.startTime));
        t['first'] = Math.min(...gated.map((e) => e.startTime));
      }
      if (window.__benchRan.length) t.ran = Math.max(...window.__benchRan.map((r) => r[1]));
      return Object.fromEntries(Object.entries(t).filter(([, v]) => Number.isFinite(v)));
    });
  } finally {
    await context.close();
  }
}

const rows = sites.map(() => []);
const label = (k) => (sites.length > 1 ? `[${path.basename(sites[k].from)}] ` : '');
for (let i = 0; i < o.loads; i++) {
  // Round i: every dist once, in an order rotated by i (machine drift hits all alike).
  for (let j = 0; j < sites.length; j++) {
    const k = (i + j) % sites.length;
    const t = await load(sites[k].origin, o.profile && `${o.profile}-${path.basename(sites[k].from)}-${i + 1}.cpuprofile`);
    rows[k].push(t);
    console.log(label(k) + Object.entries(t).sort((a, b) => a[1] - b[1]).map(([n, v]) => `${n} ${v.toFixed(1)}`).join(' · '));
  }
}
const spread = (list, k) => {
  const v = list.map((r) => r[k]).filter((x) => x !== undefined).sort((a, b) => a - b);
  return v.length ? `${median(v).toFixed(1)} (${v[0].toFixed(1)}–${v.at(-1).toFixed(1)})` : '-';
};
for (const [k, list] of rows.entries()) {
  const keys = [...new Set(list.flatMap(Object.keys))];
  const med = keys.map((n) => [n, median(list.map((r) => r[n]).filter((v) => v !== undefined))]).sort((a, b) => a[1] - b[1]);
  console.log(`\n${label(k)}median of ${list.length}, ${o.first ? 'first visit' : 'returning visitor'}, ${model.label}:`);
  console.log(med.map(([n, v]) => `${n} ${v.toFixed(1)}`).join(' · '));
  // Phase lengths, each load's own difference, then the median.
  const phase = (a, b) => median(list.filter((r) => r[a] !== undefined && r[b] !== undefined).map((r) => r[b] - r[a]));
  const phases = [['boot', 'json>'], ['boot', 'wasm>'], ['boot', 'gl>'], ['boot', 'inst'], ['glue', 'inst'], ['boot', 'cat'], ['mount0', 'mount1'], o.first ? ['mount1', 'banner'] : ['mount0', 'last'], o.first ? ['boot', 'banner'] : ['boot', 'last']];
  console.log('phases: ' + phases.map(([a, b]) => `${a}→${b} ${(phase(a, b) ?? NaN).toFixed(1)}`).join(' · '));
  console.log(`median (min–max): ${(o.first ? ['banner'] : ['last', 'ran']).map((n) => `${n} ${spread(list, n)}`).join(', ')}`);
}
await browser.close();
for (const s of sites) {
  await s.server.close?.();
  for (const d of s.dirs) fs.rmSync(d, { recursive: true, force: true });
}
process.exit(0);
