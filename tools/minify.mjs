#!/usr/bin/env node
// Minifies the shipped JavaScript with terser (pinned in package.json).
// Only local names are mangled, never properties: the glue's import object
// keys (`__wbg_…`, `__wbindgen_…`) must match the wasm's imports, and the
// bootstrap's config keys the module's. A `/*! … */` banner is kept. The
// source map, when asked for, goes where it is told (build.sh: beside the
// unminified source in target/, not into dist/) and is not referenced from
// the output, so visitors never fetch it.
//
//   node tools/minify.mjs IN OUT [--module] [--map=MAP]
//     --module  IN is an ES module (the wasm-bindgen glue)
//     --map=MAP also write the source map to MAP

import fs from 'node:fs';
import path from 'node:path';
import { minify as terser } from 'terser';

/**
 * The minified text of `code`, read from `name` (and its source map when
 * `map` is the map's file name).
 */
export async function minify(code, { name = 'input.js', module = false, map = null } = {}) {
  const out = await terser({ [name]: code }, {
    module,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: /^!/ },
    sourceMap: map ? { filename: path.basename(map, '.map'), asObject: false } : false,
  });
  if (typeof out.code != 'string') throw new Error('terser returned no code');
  // The shipped file stays free of what the browser must not run or fetch.
  if (/\beval\s*\(|\bnew\s+Function\b|sourceMappingURL/.test(out.code)) {
    throw new Error('the minified code calls eval/new Function or references a source map');
  }
  return { code: out.code, map: out.map ?? null };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const [input, output] = args.filter((a) => !a.startsWith('--'));
  if (!input || !output) {
    process.stderr.write('usage: node tools/minify.mjs IN OUT [--module] [--map=MAP]\n');
    process.exit(2);
  }
  const map = args.find((a) => a.startsWith('--map='))?.slice('--map='.length) || null;
  const source = fs.readFileSync(input, 'utf8');
  const { code, map: mapText } = await minify(source, { name: path.basename(input), module: args.includes('--module'), map });
  fs.writeFileSync(output, code + '\n');
  if (map) fs.writeFileSync(map, mapText);
}
