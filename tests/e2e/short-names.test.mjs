// tools/short-names.mjs: the shipped .wasm and glue agree on the short import
// and export names, and the build stops rather than ship a pair that would not
// instantiate. Needs `./build.sh build` (dist/); FAILS with a message when it
// is missing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shorten } from '../../tools/short-names.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.DIST ? path.resolve(process.env.DIST) : path.join(ROOT, 'dist');
const UNMINIFIED = path.join(ROOT, 'target', 'unminified', 'cookiegate_core.src.js');

function shipped() {
  const file = path.join(DIST, 'cookiegate_core_bg.wasm');
  assert.ok(fs.existsSync(file), `${file} is missing: run ./build.sh build first`);
  return new WebAssembly.Module(fs.readFileSync(file));
}

test('the shipped .wasm imports short names from one module "a", and the glue provides each of them', async () => {
  const imports = WebAssembly.Module.imports(shipped());
  assert.ok(imports.length > 50, `only ${imports.length} imports`);
  assert.deepEqual([...new Set(imports.map((i) => i.module))], ['a']);
  const long = imports.filter((i) => i.name.length > 2);
  assert.deepEqual(long.map((i) => i.name), [], 'import names longer than two characters');
  // The glue's import object, as the bootstrap hands it to instantiate.
  assert.ok(fs.existsSync(UNMINIFIED), `${UNMINIFIED} is missing: run ./build.sh build first`);
  const glue = fs.readFileSync(UNMINIFIED, 'utf8');
  for (const i of imports) assert.match(glue, new RegExp(`(^|[^\\w$])${i.name}\\s*:`, 'm'), `the glue has no key ${i.name}`);
});

test('every .wasm export the glue reads is shortened; the glue keeps the names the bootstrap calls', () => {
  const names = WebAssembly.Module.exports(shipped()).map((e) => e.name);
  for (const long of names.filter((n) => n.length > 2)) assert.doesNotMatch(long, /^__wbg|invoke__h[0-9a-f]{16}/, `${long} was not shortened`);
  const glue = fs.readFileSync(path.join(DIST, 'cookiegate_core.js'), 'utf8');
  // What the bootstrap calls are the glue's own exports, unchanged.
  for (const f of ['mount', 'accept_all', 'reject_all', 'accept', 'show_preferences', 'get_consent']) {
    assert.match(glue, new RegExp(`\\b${f}\\b`), `the glue no longer exports ${f}`);
  }
});

// A small module built by hand: two function imports and one exported function.
function tinyWasm(imports) {
  const leb = (n) => { const o = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
  const str = (s) => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];
  const section = (id, body) => [id, ...leb(body.length), ...body];
  const type = section(1, [1, 0x60, 0, 0]);
  const imp = section(2, [...leb(imports.length), ...imports.flatMap((n) => [...str('./x_bg.js'), ...str(n), 0, 0])]);
  const fn = section(3, [1, 0]);
  const exp = section(7, [1, ...str('run_it'), 0, imports.length]);
  const code = section(10, [1, 4, 0, 0x10, 0, 0x0b]);
  return Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...imp, ...fn, ...exp, ...code]);
}

test('a module and glue are renamed together, and the renamed pair still instantiates and runs', async () => {
  const wasm = tinyWasm(['__wbg_log_0123456789abcdef', '__wbg_other_fedcba9876543210']);
  let logged = 0;
  const glue = `const import0 = { __wbg_log_0123456789abcdef: function() { logged++; }, __wbg_other_fedcba9876543210: function() {} };
const imports = { "./x_bg.js": import0 }; wasm.run_it();`;
  const out = shorten(wasm, glue);
  assert.equal(out.imports, 2);
  assert.equal(out.exports, 1);
  assert.ok(out.wasm.length < wasm.length);
  const m = new WebAssembly.Module(out.wasm);
  assert.deepEqual(WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.name}`), ['a.a', 'a.b']);
  assert.deepEqual(WebAssembly.Module.exports(m).map((e) => e.name), ['c']);
  assert.match(out.glue, /\ba: function\(\) \{ logged\+\+; \}/);
  assert.match(out.glue, /\{ a: import0 \}/);
  assert.match(out.glue, /wasm\.c\(\)/);
  // Instantiated with the renamed glue's import object, the export calls the right import.
  const inst = new WebAssembly.Instance(m, { a: { a: () => { logged++; }, b: () => {} } });
  inst.exports.c();
  assert.equal(logged, 1);
});

test('a glue that lacks an import, or names one twice, stops the build instead of shipping', () => {
  const wasm = tinyWasm(['__wbg_log_0123456789abcdef', '__wbg_other_fedcba9876543210']);
  const lacking = `const import0 = { __wbg_log_0123456789abcdef: function() {} }; const imports = { "./x_bg.js": import0 };`;
  assert.throws(() => shorten(wasm, lacking), /__wbg_other_fedcba9876543210 0 times/);
  const twice = `const import0 = { __wbg_log_0123456789abcdef: 1, __wbg_other_fedcba9876543210: 2 }; const b = { __wbg_log_0123456789abcdef: 3 }; const imports = { "./x_bg.js": import0 };`;
  assert.throws(() => shorten(wasm, twice), /__wbg_log_0123456789abcdef 2 times/);
  const noModule = `const import0 = { __wbg_log_0123456789abcdef: 1, __wbg_other_fedcba9876543210: 2 };`;
  assert.throws(() => shorten(wasm, noModule), /does not name the module/);
});
