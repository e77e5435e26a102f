#!/usr/bin/env node
// Turns the deployable folder into an npm package: adds package.json (from
// packaging/package.json, version from Cargo.toml), the TypeScript
// declarations and the package README. `npm pack DIR` then gives the tarball.
//
//   node tools/package.mjs DIR

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node tools/package.mjs DIR\n');
  process.exit(2);
}

// The [package] version: the first `version = "…"` line of Cargo.toml.
const cargo = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8');
const version = /^version\s*=\s*"([^"]+)"/m.exec(cargo)?.[1];
if (!version) {
  process.stderr.write('tools/package.mjs: no version in Cargo.toml\n');
  process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'packaging', 'package.json'), 'utf8'));
manifest.version = version;
const missing = manifest.files.filter(
  (f) => !fs.existsSync(path.join(dir, f)) && !fs.existsSync(path.join(ROOT, 'packaging', f)),
);
if (missing.length) {
  process.stderr.write(`tools/package.mjs: ${dir} lacks ${missing.join(', ')}\n`);
  process.exit(1);
}
fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
for (const f of ['cookiegate.d.ts', 'README.md']) {
  fs.copyFileSync(path.join(ROOT, 'packaging', f), path.join(dir, f));
}
