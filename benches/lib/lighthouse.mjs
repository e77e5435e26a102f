// Lighthouse (npm lighthouse, pinned in package.json) run programmatically on
// a page of the local bench server, in its default configuration: mobile form
// factor, simulated throttling (mobileSlow4G: 150 ms RTT, 1.6 Mbit/s, CPU ×4).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CATEGORIES = ['performance', 'accessibility', 'best-practices'];
export const METRICS = [
  ['first-contentful-paint', 'first contentful paint, ms'],
  ['largest-contentful-paint', 'largest contentful paint, ms'],
  ['speed-index', 'speed index, ms'],
  ['total-blocking-time', 'total blocking time, ms'],
  ['cumulative-layout-shift', 'cumulative layout shift'],
  ['interactive', 'time to interactive, ms'],
];

/**
 * Loads Lighthouse and chrome-launcher. Resolves to a `run(url)` function, or
 * throws with the reason they cannot be used here.
 */
export async function lighthouseRunner({ chromium, flags }) {
  const [{ default: lighthouse }, chromeLauncher] = await Promise.all([import('lighthouse'), import('chrome-launcher')]);
  const version = JSON.parse(fs.readFileSync(new URL('../../node_modules/lighthouse/package.json', import.meta.url), 'utf8')).version;
  process.env.CHROME_PATH ??= chromium;

  /** One Lighthouse run of `url` in a fresh Chromium with a fresh profile. */
  async function run(url) {
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cookiegate-lighthouse-'));
    const chrome = await chromeLauncher.launch({ chromePath: chromium, userDataDir, chromeFlags: flags, logLevel: 'silent' });
    try {
      const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES });
      const lhr = result?.lhr;
      if (!lhr) throw new Error('Lighthouse returned no result');
      if (lhr.runtimeError) throw new Error(`Lighthouse runtime error ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
      // Audits that lost points, per category (what to look at first).
      const lost = {};
      for (const id of CATEGORIES) {
        lost[id] = lhr.categories[id].auditRefs
          .filter((ref) => ref.weight > 0 && lhr.audits[ref.id]?.score !== null && lhr.audits[ref.id]?.score < 1)
          .map((ref) => ref.id);
      }
      return {
        scores: Object.fromEntries(CATEGORIES.map((id) => [id, lhr.categories[id].score === null ? NaN : lhr.categories[id].score * 100])),
        metrics: Object.fromEntries(METRICS.map(([id]) => [id, lhr.audits[id]?.numericValue ?? NaN])),
        lost,
        // What Lighthouse counted as console errors (best-practices).
        consoleErrors: (lhr.audits['errors-in-console']?.details?.items ?? []).map((i) => `${i.source ?? '?'}: ${i.description ?? ''}${i.sourceLocation?.url ? ` (${i.sourceLocation.url})` : ''}`),
        warnings: lhr.runWarnings ?? [],
        settings: lhr.configSettings,
        userAgent: lhr.environment?.hostUserAgent,
      };
    } finally {
      await chrome.kill();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
  }
  return { run, version };
}
