// tools/serve.mjs over plain HTTP: routing, types, caching, compression, CSP
// variants and path safety. Needs no browser and no dist/ (a temporary one is
// made for the /cookiegate/ routes).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import zlib from 'node:zlib';
import vm from 'node:vm';
import { startServer, negotiateEncoding } from '../../tools/serve.mjs';
import { REPO_ROOT } from './harness.mjs';

let server;
let tmp;
const WASM = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.alloc(4096, 0x01)]);

before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'cookiegate-dist-'));
  await fs.writeFile(path.join(tmp, 'cookiegate.js'), '/* bootstrap */ ' + 'x'.repeat(2000));
  await fs.writeFile(path.join(tmp, 'cookiegate_core.js'), 'export default 1; ' + 'y'.repeat(2000));
  await fs.writeFile(path.join(tmp, 'cookiegate_core_bg.wasm'), WASM);
  await fs.writeFile(path.join(tmp, 'catalogue.json'), '{"revision":1}');
  server = await startServer({ port: 0, root: REPO_ROOT, dist: tmp });
});
after(async () => {
  await server?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Raw GET (no automatic decompression), resolving to {status, headers, body}. */
function get(pathname, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('/ serves www/index.html as no-cache UTF-8 HTML with nosniff', async () => {
  const r = await get('/');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['cache-control'], 'no-cache');
  assert.equal(r.headers['content-security-policy'], undefined, 'no CSP without ?csp=');
  assert.match(r.body.toString(), /data-cookiegate-open/);
});

test('HTML gets a fresh nonce per response in place of {{nonce}}', async () => {
  const a = (await get('/')).body.toString();
  const b = (await get('/')).body.toString();
  assert.doesNotMatch(a, /\{\{nonce\}\}/);
  const na = /nonce="([^"]+)"/.exec(a)[1];
  const nb = /nonce="([^"]+)"/.exec(b)[1];
  assert.notEqual(na, nb);
  assert.ok(Buffer.from(na, 'base64').length >= 16, 'nonce has at least 128 bits');
});

test('CSP variants by query string carry the page nonce', async () => {
  for (const [variant, must] of [
    ['strict', ["'strict-dynamic'", "'wasm-unsafe-eval'", "style-src 'self'", "object-src 'none'", "base-uri 'none'"]],
    ['allowlist', ["'self'", 'https://www.googletagmanager.com', 'https://cdn.livechatinc.com', "'wasm-unsafe-eval'"]],
    ['tt', ["'strict-dynamic'", "require-trusted-types-for 'script'", 'trusted-types cookiegate']],
  ]) {
    const r = await get(`/?csp=${variant}`);
    const csp = r.headers['content-security-policy'];
    assert.ok(csp, `${variant}: CSP header present`);
    const nonce = /nonce="([^"]+)"/.exec(r.body.toString())[1];
    assert.ok(csp.includes(`'nonce-${nonce}'`), `${variant}: header nonce matches the body`);
    for (const part of must) assert.ok(csp.includes(part), `${variant}: has ${part}: ${csp}`);
    if (variant === 'allowlist') assert.ok(!csp.includes('strict-dynamic'));
  }
  assert.equal((await get('/?csp=bogus')).status, 400);
});

test('/cookiegate/* comes from dist/ with the right types and cache policy', async () => {
  const wasm = await get('/cookiegate/cookiegate_core_bg.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  assert.equal(wasm.headers['cache-control'], 'public, max-age=3600');
  assert.deepEqual(wasm.body, WASM);

  const boot = await get('/cookiegate/cookiegate.js');
  assert.equal(boot.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(boot.headers['cache-control'], 'no-cache');

  const glue = await get('/cookiegate/cookiegate_core.js');
  assert.equal(glue.headers['cache-control'], 'public, max-age=3600');

  const cat = await get('/cookiegate/catalogue.json');
  assert.equal(cat.headers['content-type'], 'application/json');
  assert.equal(cat.headers['cache-control'], 'no-cache');

  const css = await get('/demo.css');
  assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  const gif = await get('/stand-ins/pixel.gif');
  assert.equal(gif.headers['content-type'], 'image/gif');
});

test('brotli and gzip are negotiated, and identical bytes come back', async () => {
  const br = await get('/cookiegate/cookiegate_core_bg.wasm', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.match(br.headers.vary, /Accept-Encoding/);
  assert.deepEqual(zlib.brotliDecompressSync(br.body), WASM);
  assert.ok(br.body.length < WASM.length);

  const gz = await get('/cookiegate/cookiegate_core_bg.wasm', { 'Accept-Encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.deepEqual(zlib.gunzipSync(gz.body), WASM);

  const html = await get('/', { 'Accept-Encoding': 'br' });
  assert.equal(html.headers['content-encoding'], 'br');
  assert.match(zlib.brotliDecompressSync(html.body).toString(), /<!doctype html>/i);

  const none = await get('/stand-ins/pixel.gif', { 'Accept-Encoding': 'br' });
  assert.equal(none.headers['content-encoding'], undefined, 'images are not recompressed');

  assert.equal(negotiateEncoding('br;q=0, gzip'), 'gzip');
  assert.equal(negotiateEncoding('identity'), null);
  assert.equal(negotiateEncoding('*'), 'br');
});

test('ETag revalidation answers 304 for static files, never for HTML', async () => {
  const first = await get('/demo.js', { 'Accept-Encoding': 'gzip' });
  assert.ok(first.headers.etag);
  const again = await get('/demo.js', { 'Accept-Encoding': 'gzip', 'If-None-Match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  const html = await get('/');
  assert.equal(html.headers.etag, undefined, 'HTML has a per-response nonce, so no ETag');
});

test('missing files are 404 and traversal is refused', async () => {
  assert.equal((await get('/nope.html')).status, 404);
  assert.equal((await get('/cookiegate/nope.wasm')).status, 404);
  for (const p of ['/../package.json', '/%2e%2e/package.json', '/stand-ins/%2e%2e/%2e%2e/package.json',
    '/cookiegate/..%2f..%2fpackage.json', '/..%5c..%5cpackage.json', '/%00', '/.git/config']) {
    const r = await get(p);
    assert.ok(r.status === 400 || r.status === 404, `${p} answered ${r.status}`);
    assert.doesNotMatch(r.body.toString(), /"devDependencies"|\[core\]/, `${p} leaked a file`);
  }
});

test('/.well-known/gpc.json declares Global Privacy Control support; other dotfiles stay hidden', async () => {
  const gpc = await get('/.well-known/gpc.json');
  assert.equal(gpc.status, 200);
  assert.match(gpc.headers['content-type'], /^application\/json/);
  assert.equal(JSON.parse(gpc.body.toString()).gpc, true);
  for (const hidden of ['/.git/config', '/stand-ins/.well-known/gpc.json', '/.env']) {
    assert.ok([400, 404].includes((await get(hidden)).status), hidden); // refused, never served
  }
});

test('a stand-in is served as one script: the shared prelude, then its own code, in one function', async () => {
  const own = await fs.readFile(path.join(REPO_ROOT, 'www', 'stand-ins', 'gtag.js'), 'utf8');
  const prelude = await fs.readFile(path.join(REPO_ROOT, 'www', 'stand-ins', 'prelude.js'), 'utf8');
  const r = await get('/stand-ins/gtag.js');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(Number(r.headers['content-length']), r.body.length);
  const text = r.body.toString();
  assert.ok(text.startsWith(own.slice(0, own.indexOf('\n') + 1)), 'starts with the stand-in\'s own header');
  assert.match(text, /^\(function \(\) \{\n {2}'use strict';\n/m, 'one strict-mode function');
  assert.ok(text.includes('  function readCookie(name) {'), 'the prelude\'s helpers are in it');
  assert.ok(text.indexOf('var viaVendorHost') < text.indexOf("var tagId = params.get('id')"), 'prelude first, then its own code');
  assert.ok(text.trimEnd().endsWith('})();'));
  assert.ok(!prelude.includes('(function ()') && !own.includes("'use strict'"), 'neither file carries the wrapper itself');
  assert.doesNotThrow(() => new vm.Script(text, { filename: 'gtag.js' }), 'the served script parses');
  const br = await get('/stand-ins/gtag.js', { 'Accept-Encoding': 'br' });
  assert.equal(zlib.brotliDecompressSync(br.body).toString(), text, 'compressed: the same script');
  const again = await get('/stand-ins/gtag.js', { 'If-None-Match': r.headers.etag });
  assert.equal(again.status, 304);
});

test('stand-ins of a site without prelude.js (the benches\' stubs) are served as they are', async () => {
  const www = await fs.mkdtemp(path.join(os.tmpdir(), 'cookiegate-www-'));
  await fs.mkdir(path.join(www, 'stand-ins'));
  const stub = '(function(){self.__ran=1;})();\n';
  await fs.writeFile(path.join(www, 'stand-ins', 'gtag.js'), stub);
  const bare = await startServer({ port: 0, www, dist: tmp });
  try {
    const body = await new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: bare.port, path: '/stand-ins/gtag.js' }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString()));
      }).on('error', reject);
    });
    assert.equal(body, stub);
  } finally {
    await bare.close();
    await fs.rm(www, { recursive: true, force: true });
  }
});
