// Shared end-to-end harness: one local server per test process, headless
// Chromium through playwright-core, every third-party request answered by a
// local stand-in (never the internet).
//
//   import { sharedBrowser, newPage, trackerRequests, cookieNames } from './harness.mjs';
//   const getBrowser = sharedBrowser();
//   test('…', async () => {
//     const { page, requests } = await newPage(getBrowser(), '/real.html', { csp: 'strict' });
//
// No test may skip because the browser is missing: launchBrowser() throws.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../tools/serve.mjs';
import { standInScript, takesPrelude } from '../../tools/stand-ins.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STAND_INS = path.join(REPO_ROOT, 'www', 'stand-ins');
/** The built deployable folder served under /cookiegate/ (COOKIEGATE_DIST overrides). */
export const DIST = path.resolve(process.env.COOKIEGATE_DIST || path.join(REPO_ROOT, 'dist'));
export const CHROMIUM = process.env.COOKIEGATE_CHROMIUM || '/usr/bin/chromium';
/** The page host: a real parent domain (.shop.test) exists for cookie tests. */
export const SITE_HOST = 'www.shop.test';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP shop.test 127.0.0.1, MAP *.shop.test 127.0.0.1',
];

/**
 * Hosts of the 2019 policy's trackers. A request to one of these, or to a
 * subdomain of one, is a tracker request. The first block is the agreed list;
 * the second adds the hosts the stand-ins send their hits to.
 */
export const TRACKER_HOSTS = [
  'googletagmanager.com',
  'google-analytics.com',
  'googleadservices.com',
  'doubleclick.net',
  'mc.yandex.ru',
  'yandex.ru',
  'connect.facebook.net',
  'facebook.com',
  'platform.twitter.com',
  'static.ads-twitter.com',
  'snap.licdn.com',
  'px.ads.linkedin.com',
  'youtube.com',
  'youtube-nocookie.com',
  'ytimg.com',
  'apis.google.com',
  'livechatinc.com',
  // where the stand-ins (like the real scripts) send hits
  'analytics.google.com',
  'analytics.twitter.com',
  't.co',
  'linkedin.com',
];

/** True when `host` is one of TRACKER_HOSTS or a subdomain of one. */
export function isTrackerHost(host) {
  host = host.toLowerCase();
  return TRACKER_HOSTS.some((t) => host === t || host.endsWith('.' + t));
}

/** The requests (recorded by newPage) that went to a tracker host. */
export function trackerRequests(requests) {
  return requests.filter((r) => {
    try {
      return isTrackerHost(new URL(r.url).hostname);
    } catch {
      return false;
    }
  });
}

/**
 * Real tracker URL → stand-in file in www/stand-ins/. First match wins.
 * Tracker URLs matching none of these (collect hits and the like) get an
 * empty 204, or a 1×1 gif for image-like paths.
 */
export const STAND_IN_ROUTES = [
  { host: 'www.googletagmanager.com', path: /^\/gtm\.js$/, file: 'gtm.js' },
  { host: 'www.googletagmanager.com', path: /^\/gtag\/js$/, file: 'gtag.js' },
  { host: 'mc.yandex.ru', path: /^\/metrika\/(tag|watch)\.js$/, file: 'tag.js' },
  { host: 'connect.facebook.net', path: /^\/[A-Za-z_]+\/fbevents\.js$/, file: 'fbevents.js' },
  { host: 'static.ads-twitter.com', path: /^\/uwt\.js$/, file: 'uwt.js' },
  { host: 'snap.licdn.com', path: /^\/li\.lms-analytics\/insight\.min\.js$/, file: 'insight.min.js' },
  { host: 'apis.google.com', path: /^\/js\/platform\.js$/, file: 'platform.js' },
  { host: 'cdn.livechatinc.com', path: /^\/tracking\.js$/, file: 'tracking.js' },
  { host: 'www.youtube-nocookie.com', path: /^\/embed\/[^/]+$/, file: 'youtube-embed.html' },
  { host: 'www.youtube.com', path: /^\/embed\/[^/]+$/, file: 'youtube-embed.html' },
  { host: 'www.facebook.com', path: /^\/tr\/?$/, file: 'pixel.gif' },
  { host: 'mc.yandex.ru', path: /^\/watch\//, file: 'pixel.gif' },
  { host: 'px.ads.linkedin.com', path: /^\/collect/, file: 'pixel.gif' },
  { host: 'analytics.twitter.com', path: /^\/i\/adsct/, file: 'pixel.gif' },
];

const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.gif': 'image/gif',
  '.json': 'application/json',
};

/** The stand-in file answering a real tracker URL, or null. */
export function standInFor(url) {
  const u = new URL(url);
  // A stand-in page served as a vendor URL asks for its own assets by absolute
  // path (/stand-ins/youtube-embed.css): serve those from the same folder.
  const own = /^\/stand-ins\/([A-Za-z0-9._-]+)$/.exec(u.pathname);
  if (own) return own[1];
  const hit = STAND_IN_ROUTES.find((r) => r.host === u.hostname && r.path.test(u.pathname));
  return hit ? hit.file : null;
}

let serverPromise = null;
/** The shared server (started on first use; stopped by closeServer()). */
export function getServer() {
  serverPromise ??= startServer({ port: 0, host: '127.0.0.1', root: REPO_ROOT, dist: DIST });
  return serverPromise;
}
export async function closeServer() {
  if (!serverPromise) return;
  const server = await serverPromise;
  serverPromise = null;
  await server.close();
}

/** Base URL of the site, e.g. http://www.shop.test:41234 (no trailing slash). */
export async function siteOrigin() {
  const { port } = await getServer();
  return `http://${SITE_HOST}:${port}`;
}

/** True when dist/ has the deployable files the pages load. */
export function distBuilt() {
  return ['cookiegate.js', 'catalogue.json'].every((f) => fs.existsSync(path.join(DIST, f)));
}

export const NEED_DIST = 'dist/ is not built (no cookiegate.js or catalogue.json in COOKIEGATE_DIST): run ./build.sh build first';

/** Launch headless Chromium. Throws (never skips) when it cannot. */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The end-to-end tests need it: ` +
        `install it (apt-get install chromium) or set COOKIEGATE_CHROMIUM to its path.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * One browser for the test file that calls this (at its top level): launched
 * before its tests, closed with the shared server after them. Returns
 * getBrowser(), which a test calls for the browser: it throws, failing that
 * test (never skipping it), when Chromium did not launch or, unless
 * `needsDist` is false, when dist/ is not built.
 */
export function sharedBrowser({ needsDist = true } = {}) {
  let browser;
  let launchError;
  before(async () => {
    try {
      browser = await launchBrowser();
    } catch (e) {
      launchError = e;
    }
  });
  after(async () => {
    await browser?.close();
    await closeServer();
  });
  return () => {
    if (launchError) throw launchError;
    if (needsDist) assert.ok(distBuilt(), NEED_DIST);
    return browser;
  };
}

/** newPage(), then wait until cookiegate is ready. */
export async function openReady(browser, pagePath, o) {
  const p = await newPage(browser, pagePath, o);
  await cookiegateReady(p.page);
  return p;
}

/**
 * Open `pagePath` (e.g. '/', '/real.html?x=1') at http://www.shop.test:PORT.
 * @param {import('playwright-core').Browser} browser
 * @param {string} pagePath
 * @param {object} [o]
 * @param {'strict'|'allowlist'|'tt'} [o.csp]  appended as ?csp=
 * @param {boolean} [o.gpc]       navigator.globalPrivacyControl = true and Sec-GPC: 1
 * @param {{width:number,height:number}} [o.viewport]
 * @param {string} [o.lang]       browser locale and Accept-Language
 * @param {'light'|'dark'} [o.colorScheme]
 * @param {string|Function} [o.initScript]  runs before any page script
 * @param {Array} [o.cookies]     cookies to seed the context with (Playwright format)
 * @param {boolean} [o.goto=true] navigate now (false: only set the page up)
 * @param {string} [o.waitUntil='load']
 * @param {Object<string,string>} [o.fixtures]  extra HTML pages to serve, by
 *   path (e.g. {'/__test/blank.html': '<!doctype html>…'}); the real server
 *   serves them like www/*.html ({{nonce}} replaced, ?csp= honoured). They are
 *   shared by the process: give each page its own path.
 * @returns {Promise<{page, context, url, requests, responses, blocked, consoleMessages, pageErrors, cspViolations: () => Promise<object[]>}>}
 *   requests: every request {url, method, resourceType, frameUrl, time}, in order;
 *   responses: {url, status, headers};
 *   blocked: non-local, non-tracker requests that were aborted;
 *   cspViolations(): resolves to the securitypolicyviolation events seen in the page.
 */
export async function newPage(browser, pagePath = '/', o = {}) {
  const origin = await siteOrigin();
  const server = await getServer();
  for (const [p, html] of Object.entries(o.fixtures ?? {})) server.fixtures.set(p, html);
  const context = await browser.newContext({
    viewport: o.viewport ?? { width: 1280, height: 800 },
    locale: o.lang,
    colorScheme: o.colorScheme,
    extraHTTPHeaders: {
      ...(o.gpc ? { 'Sec-GPC': '1' } : {}),
      ...(o.lang ? { 'Accept-Language': o.lang } : {}),
    },
    serviceWorkers: 'block',
  });
  if (o.cookies) await context.addCookies(o.cookies);
  if (o.gpc) {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {
        get: () => true,
        configurable: true,
        enumerable: true,
      });
    });
  }
  // Record CSP violations from the first script on, in every frame.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push({
        directive: e.effectiveDirective || e.violatedDirective,
        blockedURI: e.blockedURI,
        sourceFile: e.sourceFile,
        line: e.lineNumber,
        sample: e.sample,
        disposition: e.disposition,
      });
    });
  });
  if (o.initScript) await context.addInitScript(o.initScript);

  const requests = [];
  const responses = [];
  const blocked = [];
  const consoleMessages = [];
  const pageErrors = [];
  const siteHost = new URL(origin).host;

  await context.route('**/*', async (route) => {
    const request = route.request();
    let u;
    try {
      u = new URL(request.url());
    } catch {
      return route.abort('blockedbyclient');
    }
    if (u.protocol === 'data:' || u.protocol === 'blob:') return route.continue();
    const local = u.host === siteHost || u.hostname === SITE_HOST || u.hostname.endsWith('.shop.test') ||
      u.hostname === 'shop.test' || u.hostname === '127.0.0.1';
    if (local && u.protocol === 'http:') {
      return route.continue();
    }
    if (isTrackerHost(u.hostname)) {
      const file = standInFor(u.href);
      if (file) {
        // A stand-in script is served, like by the demo server, after the prelude.
        const body = (await takesPrelude(STAND_INS, file))
          ? (await standInScript(STAND_INS, file)).body
          : await fsp.readFile(path.join(STAND_INS, file));
        return route.fulfill({
          status: 200,
          headers: {
            'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
            'Access-Control-Allow-Origin': '*',
            'Cache-Control': 'no-store',
          },
          body,
        });
      }
      return route.fulfill({ status: 204, headers: { 'Access-Control-Allow-Origin': '*' }, body: '' });
    }
    blocked.push(u.href);
    return route.abort('blockedbyclient');
  });

  const page = await context.newPage();
  const t0 = Date.now();
  page.on('request', (r) =>
    requests.push({
      url: r.url(),
      method: r.method(),
      resourceType: r.resourceType(),
      frameUrl: safe(() => r.frame().url()),
      time: Date.now() - t0,
    }),
  );
  page.on('response', (r) => responses.push({ url: r.url(), status: r.status(), headers: r.headers() }));
  page.on('console', (m) => consoleMessages.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => pageErrors.push(e));

  let target = pagePath.startsWith('/') ? pagePath : '/' + pagePath;
  if (o.csp) target += (target.includes('?') ? '&' : '?') + 'csp=' + encodeURIComponent(o.csp);
  const url = origin + target;
  if (o.goto !== false) await page.goto(url, { waitUntil: o.waitUntil ?? 'load' });

  return {
    page,
    context,
    url,
    requests,
    responses,
    blocked,
    consoleMessages,
    pageErrors,
    cspViolations: () => page.evaluate(() => window.__cspViolations ?? []),
  };
}

function safe(fn) {
  try {
    return fn();
  } catch {
    return null;
  }
}

/** Names of the cookies the page can see (document.cookie), sorted. */
export async function cookieNames(page) {
  return page.evaluate(() =>
    (document.cookie ? document.cookie.split('; ') : []).map((c) => c.split('=')[0]).sort(),
  );
}

/** All cookies of the context with their domains and expiry (incl. HttpOnly). */
export async function allCookies(context) {
  return context.cookies();
}

/** localStorage keys of the page's origin, sorted. */
export async function storageKeys(page) {
  return page.evaluate(() => Object.keys(localStorage).sort());
}

/**
 * window.dataLayer as [{isArguments, value}], where isArguments tells whether
 * the entry is an Arguments object (what gtag() must push; an Array is
 * ignored by Google's tags), and value is a JSON-safe copy of its contents.
 */
export async function dataLayer(page) {
  return page.evaluate(() => {
    const plain = (x, depth = 0) => {
      if (x === null || typeof x !== 'object') return typeof x === 'function' ? '[function]' : x;
      if (depth > 5) return '[deep]';
      if (x instanceof Date) return x.toISOString();
      if (Array.isArray(x) || Object.prototype.toString.call(x) === '[object Arguments]') {
        return Array.prototype.map.call(x, (v) => plain(v, depth + 1));
      }
      const out = {};
      for (const k of Object.keys(x)) out[k] = plain(x[k], depth + 1);
      return out;
    };
    return (window.dataLayer || []).map((entry) => ({
      isArguments: Object.prototype.toString.call(entry) === '[object Arguments]',
      isArray: Array.isArray(entry),
      value: plain(entry),
    }));
  });
}

/** The ids the stand-ins registered (window.__standins), in load order. */
export async function loadedStandIns(page) {
  return page.evaluate(() => (window.__standins || []).map((e) => e.id));
}

/** Wait for window.cookiegate.ready, then `settleMs` more. */
export async function cookiegateReady(page, { timeout = 10_000, settleMs = 0 } = {}) {
  await page.waitForFunction(() => window.cookiegate && window.cookiegate.ready, null, { timeout });
  await page.evaluate(
    (ms) =>
      Promise.race([
        window.cookiegate.ready,
        new Promise((_, reject) => setTimeout(() => reject(new Error('cookiegate.ready did not resolve')), ms)),
      ]),
    timeout,
  );
  if (settleMs) await page.waitForTimeout(settleMs);
}

/** A one-line description of requests, for assertion messages. */
export function describeRequests(requests) {
  return requests.map((r) => `${r.method} ${r.url} (${r.resourceType})`).join('\n  ');
}
