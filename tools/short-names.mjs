#!/usr/bin/env node
// Gives the wasm's imports and exports short names, in the .wasm and in the
// wasm-bindgen glue together, before the glue is minified.
//
// wasm-bindgen names each import `__wbg_<method>_<16 hex digits>` in a module
// called "./cookiegate_core_bg.js", and the glue spells every name again as a
// key of its import object (`wasm.__wbindgen_malloc` 14 times, and so on):
// about 7.4 KB of names in the .wasm alone, whose hex digits brotli cannot
// squeeze. Terser never renames properties, so this does it, for exactly the
// names the .wasm declares:
// - every import gets a short name, and its module the name "a";
// - every export the glue reads as `wasm.NAME` gets a short name. Exports the
//   glue does not read keep their names (nothing else may be reading them).
// The glue must name every import exactly once as a key; anything else
// (a name missing, or written twice) stops the build, since the module would
// then fail to instantiate or call the wrong function.
//
//   node tools/short-names.mjs WASM GLUE     (both rewritten in place)

import fs from 'node:fs';

/** Short names: a…z, A…Z, then two characters, and so on (used only as property keys, so keywords are fine). */
function* shortNames() {
  const first = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const rest = first + '0123456789';
  for (let len = 1; ; len++) {
    const idx = new Array(len).fill(0);
    for (;;) {
      yield first[idx[0]] + idx.slice(1).map((i) => rest[i]).join('');
      let k = len - 1;
      while (k >= 0) {
        idx[k]++;
        if (idx[k] < (k == 0 ? first.length : rest.length)) break;
        idx[k] = 0;
        k--;
      }
      if (k < 0) break;
    }
  }
}

class Reader {
  constructor(buf, pos = 0) { this.buf = buf; this.pos = pos; }
  byte() {
    if (this.pos >= this.buf.length) throw new Error('the .wasm ends early');
    return this.buf[this.pos++];
  }
  u32() {
    let result = 0, shift = 0, b;
    do {
      b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  }
  name() {
    const len = this.u32();
    const s = this.buf.subarray(this.pos, this.pos + len).toString('utf8');
    this.pos += len;
    return s;
  }
  skipLimits() {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
  skipRefType() {
    const t = this.byte();
    // (ref null? heaptype): a signed LEB heap type follows.
    if (t == 0x63 || t == 0x64) this.u32();
  }
  skipValType() { this.skipRefType(); }
}

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}
const wasmName = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([leb(b.length), b]); };

/** The import section with each `(module, name)` renamed by `renameImport`, the export section with each name renamed by `renameExport`; other sections as they were. */
function rewrite(wasm, renameImport, renameExport) {
  if (wasm.readUInt32LE(0) != 0x6d736100) throw new Error('not a .wasm file');
  const parts = [wasm.subarray(0, 8)];
  const r = new Reader(wasm, 8);
  while (r.pos < wasm.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.pos, end = start + size;
    let body = wasm.subarray(start, end);
    if (id == 2) {
      const s = new Reader(wasm, start), out = [];
      const count = s.u32();
      out.push(leb(count));
      for (let i = 0; i < count; i++) {
        const module = s.name(), name = s.name();
        const descStart = s.pos, kind = s.byte();
        if (kind == 0) s.u32();
        else if (kind == 1) { s.skipRefType(); s.skipLimits(); }
        else if (kind == 2) s.skipLimits();
        else if (kind == 3) { s.skipValType(); s.byte(); }
        else if (kind == 4) { s.byte(); s.u32(); }
        else throw new Error(`import ${module}.${name}: unknown kind ${kind}`);
        const [m, n] = renameImport(module, name);
        out.push(wasmName(m), wasmName(n), wasm.subarray(descStart, s.pos));
      }
      if (s.pos != end) throw new Error('the import section has trailing bytes');
      body = Buffer.concat(out);
    } else if (id == 7) {
      const s = new Reader(wasm, start), out = [];
      const count = s.u32();
      out.push(leb(count));
      for (let i = 0; i < count; i++) {
        const name = s.name();
        const descStart = s.pos;
        s.byte();
        s.u32();
        out.push(wasmName(renameExport(name)), wasm.subarray(descStart, s.pos));
      }
      if (s.pos != end) throw new Error('the export section has trailing bytes');
      body = Buffer.concat(out);
    }
    parts.push(Buffer.from([id]), leb(body.length), body);
    r.pos = end;
  }
  return Buffer.concat(parts);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function shorten(wasm, glue) {
  const module = new WebAssembly.Module(wasm);
  const imports = WebAssembly.Module.imports(module);
  const exports = WebAssembly.Module.exports(module);
  const modules = [...new Set(imports.map((i) => i.module))];
  if (modules.length != 1) throw new Error(`expected the imports of one module, found ${modules.join(', ')}`);
  const names = shortNames();
  const importMap = new Map(imports.map((i) => [i.name, names.next().value]));
  // The glue's import object: `"./cookiegate_core_bg.js": import0`.
  const moduleKey = new RegExp(`(["'])${escape(modules[0])}\\1(\\s*:)`, 'g');
  if ((glue.match(moduleKey) || []).length != 1) throw new Error(`the glue does not name the module "${modules[0]}" exactly once`);
  glue = glue.replace(moduleKey, 'a$2');
  for (const [from, to] of importMap) {
    const key = new RegExp(`(^|[^\\w$])${escape(from)}(\\s*:)`, 'gm');
    const found = (glue.match(key) || []).length;
    if (found != 1) throw new Error(`the glue names the import ${from} ${found} times as a key, not once`);
    glue = glue.replace(key, `$1${to}$2`);
  }
  const exportMap = new Map();
  for (const e of exports) {
    const use = new RegExp(`\\bwasm\\.${escape(e.name)}(?![\\w$])`, 'g');
    if (!use.test(glue)) continue;
    const to = names.next().value;
    exportMap.set(e.name, to);
    glue = glue.replace(use, `wasm.${to}`);
  }
  const out = rewrite(wasm, (m, n) => ['a', importMap.get(n)], (n) => exportMap.get(n) ?? n);
  return { wasm: out, glue, imports: importMap.size, exports: exportMap.size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [wasmPath, gluePath] = process.argv.slice(2);
  if (!wasmPath || !gluePath) {
    process.stderr.write('usage: node tools/short-names.mjs WASM GLUE\n');
    process.exit(2);
  }
  const before = fs.statSync(wasmPath).size;
  const r = shorten(fs.readFileSync(wasmPath), fs.readFileSync(gluePath, 'utf8'));
  // The result must still be a valid module. (That the glue provides each
  // import, `shorten` made sure of when it renamed each key exactly once.)
  new WebAssembly.Module(r.wasm);
  fs.writeFileSync(wasmPath, r.wasm);
  fs.writeFileSync(gluePath, r.glue);
  process.stdout.write(`short names: ${r.imports} imports, ${r.exports} exports; .wasm ${before} -> ${r.wasm.length} bytes\n`);
}
