#!/usr/bin/env node
// cookiegate dev/test server: the demo storefront (www/) plus the built
// deployable folder (dist/) under /cookiegate/. No dependencies, node:http only.
//
//   node tools/serve.mjs [--port 8080] [--host 127.0.0.1] [--csp strict|allowlist|tt]
//                        [--records http://127.0.0.1:8787]
//
// With --records, POST /consent and GET /consent/{id} go to the consent-record
// service (`cookiegate records serve`): same origin, so the banner's beacon
// needs no CORS and the page's CSP no extra source.
//
// Tests import { startServer } and get an ephemeral port.

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { standInScript, takesPrelude } from './stand-ins.mjs';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.gif': 'image/gif',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

const COMPRESSIBLE = /^(text\/|application\/(json|wasm)|image\/svg\+xml)/;

// Tracker origins a storefront using the default catalogue allowlists when it
// cannot use 'strict-dynamic' (cookiegate must then copy the nonce itself).
const ALLOWLIST_HOSTS = [
  'https://www.googletagmanager.com',
  'https://mc.yandex.ru',
  'https://connect.facebook.net',
  'https://static.ads-twitter.com',
  'https://snap.licdn.com',
  'https://apis.google.com',
  'https://cdn.livechatinc.com',
];

const TAIL = "style-src 'self'; object-src 'none'; base-uri 'none'";

/** The Content-Security-Policy header for a CSP variant name, or null. */
export function cspHeader(variant, nonce) {
  switch (variant) {
    case 'strict':
      return `script-src 'nonce-${nonce}' 'wasm-unsafe-eval' 'strict-dynamic'; ${TAIL}`;
    case 'allowlist':
      return `script-src 'nonce-${nonce}' 'self' 'wasm-unsafe-eval' ${ALLOWLIST_HOSTS.join(' ')}; ${TAIL}`;
    case 'tt':
      // goog#html: the policy Google's tags create; a page running GTM under
      // Trusted Types lists it (the GTM stand-in's tags use it).
      return `${cspHeader('strict', nonce)}; require-trusted-types-for 'script'; trusted-types cookiegate goog#html`;
    default:
      return null;
  }
}

export const CSP_VARIANTS = ['strict', 'allowlist', 'tt'];

/** A fresh nonce: 144 random bits, base64. */
function newNonce() {
  return crypto.randomBytes(18).toString('base64');
}

/** Preferred encoding from an Accept-Encoding header: 'br', 'gzip' or null. */
export function negotiateEncoding(header) {
  if (!header) return null;
  const q = new Map();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q=([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q.set(name, weight);
  }
  const weightOf = (enc) => (q.has(enc) ? q.get(enc) : q.has('*') ? q.get('*') : 0);
  const br = weightOf('br');
  const gz = weightOf('gzip');
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return null;
}

function compress(buf, encoding) {
  if (encoding === 'br') {
    return brotli(buf, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    });
  }
  return gzip(buf, { level: 9 });
}

/**
 * Cache-Control per file.
 * - HTML, the bootstrap cookiegate.js and catalogue.json: `no-cache` (always
 *   revalidated). The bootstrap's URL is what every shop embeds, and the
 *   catalogue changes with each policy revision, so both must be fresh.
 * - The wasm-bindgen glue and the .wasm: `public, max-age=3600`. Their names
 *   are NOT content-hashed, so `immutable` with a year would pin a stale module
 *   after a release; an hour bounds the staleness while sparing revalidations.
 * - Demo assets and stand-ins: `no-cache` (dev server; edits show at once).
 */
function cacheControl(area, rel, ext) {
  if (ext === '.html') return 'no-cache';
  if (area === 'dist') {
    const base = path.posix.basename(rel);
    if (base === 'cookiegate.js' || ext === '.json') return 'no-cache';
    return 'public, max-age=3600';
  }
  return 'no-cache';
}

/**
 * Map a URL pathname to {area, file, rel}, or null when it must be refused.
 * Refuses NUL bytes, backslashes, `..` segments (also when percent-encoded)
 * and dotfiles (except the top-level `/.well-known/`, for gpc.json), and
 * checks the result stays inside its root.
 */
function resolvePath(pathname, roots) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  const hidden = (s, i) => s.startsWith('.') && !(i === 1 && s === '.well-known');
  if (segments.some((s, i) => s === '..' || hidden(s, i))) return null;

  let area = 'www';
  let rel = decoded;
  if (decoded === '/cookiegate' || decoded.startsWith('/cookiegate/')) {
    area = 'dist';
    rel = decoded.slice('/cookiegate'.length) || '/';
  }
  rel = path.posix.normalize(rel);
  if (rel.endsWith('/')) rel += 'index.html';
  const base = roots[area];
  const file = path.resolve(base, '.' + rel);
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  return { area, file, rel };
}

/**
 * Start the server. Resolves to {url, port, close()}.
 * @param {object} [opts]
 * @param {number} [opts.port=0]     0 picks a free port
 * @param {string} [opts.host='127.0.0.1']
 * @param {string} [opts.root]       repository root holding www/ and dist/
 * @param {string} [opts.www]        overrides root/www
 * @param {string} [opts.dist]       overrides root/dist
 * @param {string} [opts.csp]        default CSP variant for HTML without ?csp=
 * @param {boolean} [opts.log=false] log one line per request to stderr
 * @param {string} [opts.records]    URL of a consent-record service to proxy /consent to
 * The returned `fixtures` Map (URL path → HTML text) lets tests add pages at
 * run time; they are served like www/*.html (nonce, ?csp=) and win over files.
 */
export async function startServer({
  port = 0,
  host = '127.0.0.1',
  root = REPO_ROOT,
  www,
  dist,
  csp = null,
  log = false,
  records = null,
} = {}) {
  const roots = {
    www: path.resolve(www ?? path.join(root, 'www')),
    dist: path.resolve(dist ?? path.join(root, 'dist')),
  };
  // Compressed bytes of static files, keyed by file + mtime + size + encoding.
  const compressedCache = new Map();
  const fixtures = new Map();

  async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    if (records && (url.pathname === '/consent' || url.pathname.startsWith('/consent/'))) {
      return proxyRecords(req, res, url);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('405 method not allowed\n');
      return 405;
    }
    const fixture = fixtures.get(url.pathname);
    const target = fixture === undefined
      ? resolvePath(url.pathname, roots)
      : { area: 'www', file: url.pathname, rel: url.pathname };
    if (!target) return notFound(res, 400, '400 bad path\n');

    let stat;
    try {
      stat = fixture === undefined ? await fs.stat(target.file) : { isDirectory: () => false, isFile: () => true };
    } catch {
      return notFound(res);
    }
    if (stat.isDirectory()) {
      // Redirect /dir to /dir/ so relative URLs inside index.html resolve.
      res.writeHead(301, { Location: url.pathname + '/' + url.search });
      res.end();
      return 301;
    }
    if (!stat.isFile()) return notFound(res);

    const ext = fixture === undefined ? path.extname(target.file).toLowerCase() : '.html';
    const type = CONTENT_TYPES[ext] ?? 'application/octet-stream';
    const headers = {
      'Content-Type': type,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': cacheControl(target.area, target.rel, ext),
      'Referrer-Policy': 'strict-origin-when-cross-origin',
    };
    const encoding = COMPRESSIBLE.test(type) ? negotiateEncoding(req.headers['accept-encoding']) : null;
    if (COMPRESSIBLE.test(type)) headers.Vary = 'Accept-Encoding';

    let body;
    if (ext === '.html') {
      // A fresh nonce per response, so HTML gets no ETag: a 304 would make
      // the browser reuse a body whose nonce no longer matches the header.
      const nonce = newNonce();
      const template = fixture ?? (await fs.readFile(target.file, 'utf8'));
      const text = template.replaceAll('{{nonce}}', nonce);
      const variant = url.searchParams.get('csp') ?? csp;
      if (variant && variant !== 'none') {
        const policy = cspHeader(variant, nonce);
        if (!policy) return notFound(res, 400, `400 unknown csp variant ${variant}\n`);
        headers['Content-Security-Policy'] = policy;
      }
      body = Buffer.from(text, 'utf8');
      if (encoding) {
        body = await compress(body, encoding);
        headers['Content-Encoding'] = encoding;
      }
    } else {
      // A stand-in script is its own file after the prelude they all share.
      const standIns = path.join(roots.www, 'stand-ins');
      const standIn = target.area === 'www' && path.dirname(target.file) === standIns &&
        (await takesPrelude(standIns, path.basename(target.file)))
        ? await standInScript(standIns, path.basename(target.file))
        : null;
      const size = standIn ? standIn.body.length : stat.size;
      const changed = standIn ? standIn.changed : stat;
      const tag = `${size.toString(16)}-${Math.floor(changed.mtimeMs).toString(16)}`;
      const etag = `"${tag}${encoding ? '-' + encoding : ''}"`;
      headers.ETag = etag;
      headers['Last-Modified'] = changed.mtime.toUTCString();
      const inm = req.headers['if-none-match'];
      if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        delete headers['Content-Type'];
        res.writeHead(304, headers);
        res.end();
        return 304;
      }
      if (encoding) {
        const key = `${target.file}\0${changed.mtimeMs}\0${size}\0${encoding}`;
        body = compressedCache.get(key);
        if (!body) {
          body = await compress(standIn ? standIn.body : await fs.readFile(target.file), encoding);
          // Drop stale variants of this file before caching the new one.
          for (const k of compressedCache.keys()) {
            if (k.startsWith(target.file + '\0') && k.endsWith('\0' + encoding)) compressedCache.delete(k);
          }
          compressedCache.set(key, body);
        }
        headers['Content-Encoding'] = encoding;
      } else {
        body = standIn ? standIn.body : await fs.readFile(target.file);
      }
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return 200;
  }

  // Passes the request on with the headers the service reads, plus the
  // visitor's address (the service runs with --client-ip-header x-forwarded-for).
  function proxyRecords(req, res, url) {
    const target = new URL(url.pathname + url.search, records);
    const headers = { 'x-forwarded-for': req.socket.remoteAddress ?? '' };
    for (const name of ['content-type', 'content-length', 'transfer-encoding', 'user-agent', 'origin', 'referer', 'sec-gpc', 'authorization']) {
      if (req.headers[name] !== undefined) headers[name] = req.headers[name];
    }
    return new Promise((resolve) => {
      const upstream = http.request(target, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => resolve(answer.statusCode));
      });
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: `the consent-record service did not answer: ${err.message}` }));
        resolve(502);
      });
      req.pipe(upstream);
    });
  }

  function notFound(res, status = 404, text = '404 not found\n') {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    res.end(text);
    return status;
  }

  const server = http.createServer((req, res) => {
    handle(req, res).then(
      (status) => {
        if (log) process.stderr.write(`${status} ${req.method} ${req.url}\n`);
      },
      (err) => {
        process.stderr.write(`500 ${req.method} ${req.url}: ${err?.stack ?? err}\n`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('500 internal error\n');
      },
    );
  });
  // Keep-alive sockets would hold close() open in tests.
  server.keepAliveTimeout = 1000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actualPort = server.address().port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actualPort}/`,
    port: actualPort,
    fixtures,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

function parseArgs(argv) {
  const opts = { port: 8080, host: '127.0.0.1', csp: null, log: true, records: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--port': opts.port = Number(value()); break;
      case '--host': opts.host = value(); break;
      case '--csp': opts.csp = value(); break;
      case '--quiet': opts.log = false; break;
      case '--records': opts.records = value(); break;
      case '-h':
      case '--help':
        process.stdout.write(
          'usage: node tools/serve.mjs [--port 8080] [--host 127.0.0.1] [--csp strict|allowlist|tt] [--quiet] [--records URL]\n' +
            '  /cookiegate/* is served from dist/ (run ./build.sh first), everything else from www/.\n' +
            '  HTML pages take ?csp=strict|allowlist|tt|none to choose a Content-Security-Policy.\n',
        );
        process.exit(0);
        break;
      default:
        process.stderr.write(`serve.mjs: unknown argument ${arg}\n`);
        process.exit(2);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    process.stderr.write('serve.mjs: --port must be 0..65535\n');
    process.exit(2);
  }
  if (opts.csp && opts.csp !== 'none' && !CSP_VARIANTS.includes(opts.csp)) {
    process.stderr.write(`serve.mjs: --csp must be one of ${CSP_VARIANTS.join(', ')}\n`);
    process.exit(2);
  }
  return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseArgs(process.argv.slice(2));
  const server = await startServer(opts);
  process.stdout.write(`cookiegate demo: ${server.url}\n`);
  if (opts.records) process.stdout.write(`POST /consent goes to the consent-record service at ${opts.records}\n`);
  if (opts.csp) process.stdout.write(`HTML served with the '${opts.csp}' Content-Security-Policy unless ?csp= says otherwise\n`);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => server.close().then(() => process.exit(0)));
  }
}
