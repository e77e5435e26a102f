// What the pure core weighs in the wasm on its own, beside what a first
// visit downloads today and vanilla-cookieconsent's code + CSS: the floor a
// byte goal can reach while the decisions stay in Rust (architecture.md),
// even if every line of the browser shell were free.
//
//   node benches/core-floor.mjs [--dist dist] [--out benches/results/core-floor.md]
//
// Builds benches/core-floor/floor.rs (nearly every catalogue, consent, json
// and text function the shell calls, no web-sys, no wasm-bindgen) with build.sh's
// release profile and wasm-opt flags, runs it once on the shipped catalogue
// (so what was measured reads a real catalogue and plans a real choice),
// and lists twiggy's top items of it. Prints figures; asserts none.

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sizes } from '../tools/sizes.mjs';
import { crateLabel, wasmOptFlags } from './lib/twiggy.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const dist = path.resolve(arg('--dist', path.join(ROOT, 'dist')));
const outFile = arg('--out', null);

// The floor is built from the working tree; the shipped files are whatever
// dist/ holds: say when dist/ is older than the source it is compared with.
const newest = (dir) => fs.readdirSync(dir, { recursive: true }).reduce((t, f) => Math.max(t, fs.statSync(path.join(dir, f)).mtimeMs), 0);
const shippedWasm = path.join(dist, 'cookiegate_core_bg.wasm');
if (fs.existsSync(shippedWasm) && fs.statSync(shippedWasm).mtimeMs < newest(path.join(ROOT, 'src'))) {
  console.error(`core-floor: ${path.relative(ROOT, shippedWasm)} is older than src/: run ./build.sh build for a like-for-like comparison`);
}

const target = path.join(ROOT, 'target', 'core-floor');
execFileSync(path.join(ROOT, 'tools', 'build-wasm.sh'), ['--example', 'core_floor', '--quiet'], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, CARGO_TARGET_DIR: target, WASM_CFG: 'cookiegate_core_only' },
});
const built = path.join(target, 'wasm32-unknown-unknown', 'release', 'examples', 'core_floor.wasm');
const flags = wasmOptFlags(ROOT);
const wasmOpt = path.join(ROOT, 'node_modules', '.bin', 'wasm-opt');
const floor = path.join(target, 'core_floor.wasm');
const named = path.join(target, 'core_floor.named.wasm');
// The same passes as build.sh's shipped wasm; a second copy keeps the names for twiggy.
execFileSync(wasmOpt, ['-Oz', '--converge', '--low-memory-unused', ...flags, '--strip-debug', '--strip-producers', built, '-o', floor], { stdio: 'inherit' });
execFileSync(wasmOpt, ['-Oz', '--converge', '--low-memory-unused', ...flags, '-g', built, '-o', named], { stdio: 'inherit' });

// One run on the shipped English catalogue: it must read it and write a record.
const catalogueFile = ['catalogue.en.json', 'catalogue.json'].map((f) => path.join(dist, f)).find((f) => fs.existsSync(f));
if (!catalogueFile) throw new Error(`no catalogue in ${dist}: run ./build.sh build first`);
const said = [];
let memory;
const { instance } = await WebAssembly.instantiate(fs.readFileSync(floor), {
  a: {
    out: (p, n) => said.push(Buffer.from(memory.buffer, p, n).toString('utf8')),
    num: () => {},
  },
});
memory = instance.exports.memory;
const text = fs.readFileSync(catalogueFile);
const url = Buffer.from('https://www.googletagmanager.com/gtm.js?id=GTM-X');
// floor.rs reads its inputs from one 64 KiB buffer.
if (text.length + url.length > 1 << 16) throw new Error(`${path.basename(catalogueFile)} is over the 64 KiB the core-only module's buffer holds`);
new Uint8Array(memory.buffer, instance.exports.buf(), text.length + url.length).set(Buffer.concat([text, url]));
instance.exports.run(text.length, 0, url.length, BigInt(Date.UTC(2026, 11, 2)), false, 0);
const record = said.find((s) => s.startsWith('{') && s.includes('"revision"'));
if (!record) throw new Error(`the core-only module did not read ${path.basename(catalogueFile)}: it said ${JSON.stringify(said.slice(0, 3))}`);

const twiggy = path.join(ROOT, '.tools', 'bin', 'twiggy');
const top = fs.existsSync(twiggy)
  ? JSON.parse(execFileSync(twiggy, ['top', '-f', 'json', '-n', '15', named], { encoding: 'utf8' }))
      .filter((i) => !/subsection$|^custom section/.test(i.name))
      .map((i) => ({ name: i.name.replace(/::h[0-9a-f]{16}$/, ''), size: i.shallow_size }))
  : null;

const vanillaDir = path.join(ROOT, 'node_modules', 'vanilla-cookieconsent', 'dist');
const vanilla = ['cookieconsent.umd.js', 'cookieconsent.css'].map((f) => sizes(path.join(vanillaDir, f)));
const vanillaBr = vanilla.reduce((n, s) => n + s.brotli, 0);
const shipped = ['cookiegate.js', 'cookiegate_core.js', 'cookiegate_core_bg.wasm'].map((f) => sizes(path.join(dist, f)));
const [boot, glue, wasm] = shipped;
const core = sizes(floor);
const kB = (n) => (n / 1000).toFixed(1) + ' kB';
const x = (n) => (n / vanillaBr).toFixed(2) + '×';

const rows = [
  ['shipped wasm (`cookiegate_core_bg.wasm`)', wasm.raw, wasm.brotli],
  ['the core alone (benches/core-floor/floor.rs)', core.raw, core.brotli],
  ['the shell\'s share of the wasm (difference)', wasm.raw - core.raw, wasm.brotli - core.brotli],
  ['glue (`cookiegate_core.js`)', glue.raw, glue.brotli],
  ['bootstrap with the CSS (`cookiegate.js`)', boot.raw, boot.brotli],
];
const md = [];
md.push(`# The core's floor in the wasm`);
md.push('');
md.push(`Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`node benches/core-floor.mjs\` at ${crateLabel(ROOT)}; shipped files from \`${path.relative(ROOT, dist) || '.'}\`, vanilla-cookieconsent from node_modules. Brotli -q 11 (node zlib).`);
md.push('');
md.push('| what | raw B | brotli B |');
md.push('| --- | ---: | ---: |');
for (const [name, raw, br] of rows) md.push(`| ${name} | ${raw.toLocaleString('en')} | ${br.toLocaleString('en')} |`);
md.push('');
md.push('| code + CSS, brotli | kB | / vanilla |');
md.push('| --- | ---: | ---: |');
md.push(`| shipped today: bootstrap + glue + wasm | ${kB(boot.brotli + glue.brotli + wasm.brotli)} | ${x(boot.brotli + glue.brotli + wasm.brotli)} |`);
md.push(`| the floor with a free shell: bootstrap + the core alone | ${kB(boot.brotli + core.brotli)} | ${x(boot.brotli + core.brotli)} |`);
md.push(`| vanilla-cookieconsent 3.1 (umd.js + css) | ${kB(vanillaBr)} | 1.00× |`);
md.push(`| issue 12's goal (≤ 2.5× vanilla) | ${kB(2.5 * vanillaBr)} | 2.50× |`);
md.push('');
md.push(`Check: the core-only module read \`${path.basename(catalogueFile)}\` (${text.length.toLocaleString('en')} B) and wrote a ${record.length} B record for "Accept all".`);
if (top) {
  md.push('');
  md.push('Largest items of the core alone (twiggy, named copy of the same build):');
  md.push('');
  md.push('| item | B |');
  md.push('| --- | ---: |');
  for (const i of top) md.push(`| ${i.name.replace(/\|/g, '\\|')} | ${i.size.toLocaleString('en')} |`);
}
const report = md.join('\n') + '\n';
process.stdout.write(report);
if (outFile) fs.writeFileSync(outFile, report);
