// What the wasm is made of: a profiling build of the crate with symbol names
// kept, measured with twiggy, grouped by crate and by cookiegate module; saved
// as JSON so a later run can show before and after.

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { shorten } from '../../tools/short-names.mjs';

// Items under this size are summed, not listed, in a saved profile (keeps the
// committed file small; they are 1–2 % of the module).
const SAVE_MIN_BYTES = 64;

/** Which group (crate, cookiegate module, or kind of wasm section) an item belongs to. */
function groupOf(name) {
  if (/^data segment/.test(name)) return 'data segments (strings, tables, CSS)';
  if (/^import /.test(name)) return 'imports (wasm-bindgen JS functions)';
  if (/^(export |elem\[|type\[|table|global|memory|code\[|func\[)/.test(name)) return 'wasm structure (exports, types, tables)';
  // Our own code is split by module (cookiegate::web::ui, …) to show where to cut.
  const own = /cookiegate::([a-z_]+)(?:::([a-z_]+)(?=::))?/.exec(name);
  if (own) return `cookiegate::${own[1]}${own[2] ? '::' + own[2] : ''}::*`;
  const crate = /([A-Za-z_][A-Za-z0-9_]*)::/.exec(name)?.[1];
  return crate ? crate + '::*' : 'unmangled (wasm-bindgen intrinsics, libc)';
}

/** The feature flags build.sh passes to wasm-opt (its WASM_OPT_FLAGS), so a bench optimises as the build does. */
export function wasmOptFlags(repoRoot) {
  return fs.readFileSync(path.join(repoRoot, 'build.sh'), 'utf8').match(/WASM_OPT_FLAGS=\(([^)]*)\)/)?.[1].split(/\s+/).filter(Boolean) ?? [];
}

/** The short commit of `dir`, with `-dirty` when what the wasm is built from has uncommitted changes. */
export function crateLabel(dir) {
  try {
    const head = execFileSync('git', ['-C', dir, 'rev-parse', '--short=7', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--', 'src', 'Cargo.toml', 'Cargo.lock', 'build.rs'], { encoding: 'utf8' }).trim();
    return head + (dirty ? '-dirty' : '');
  } catch {
    return 'unknown';
  }
}

/**
 * Builds the crate at `crate` for wasm32 with build.sh's release profile and
 * wasm-opt flags, keeping names, and returns twiggy's view of it.
 */
export function twiggyProfile({ repoRoot, crate, shippedWasm }) {
  const tools = path.join(repoRoot, '.tools', 'bin');
  const twiggyBin = path.join(tools, 'twiggy');
  if (!fs.existsSync(twiggyBin)) throw new Error('twiggy is not installed in .tools/ (./build.sh bench installs it)');
  const target = path.join(repoRoot, 'target', 'bench-profiling');
  execFileSync(path.join(repoRoot, 'tools', 'build-wasm.sh'), ['--quiet'], {
    cwd: crate,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Same release profile as dist/, but keep the symbol names twiggy reports.
    env: { ...process.env, CARGO_TARGET_DIR: target, CARGO_PROFILE_RELEASE_STRIP: 'false', CARGO_PROFILE_RELEASE_DEBUG: 'false' },
  });
  const out = path.join(target, 'bench-bindgen');
  fs.rmSync(out, { recursive: true, force: true });
  execFileSync(path.join(tools, 'wasm-bindgen'), ['--target', 'web', '--no-typescript', '--out-dir', out, '--out-name', 'cookiegate_core', path.join(target, 'wasm32-unknown-unknown', 'release', 'cookiegate.wasm')], { stdio: 'inherit' });
  const wasm = path.join(out, 'cookiegate_core_bg.wasm');
  // Optimise as build.sh does, keeping the name section (-g) so items stay named.
  const flags = wasmOptFlags(repoRoot);
  execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'wasm-opt'), ['-Oz', '-g', ...flags, wasm, '-o', wasm], { stdio: 'inherit' });
  // Short import and export names, as build.sh ships them (the name section stays).
  const glue = path.join(out, 'cookiegate_core.js');
  const short = shorten(fs.readFileSync(wasm), fs.readFileSync(glue, 'utf8'));
  fs.writeFileSync(wasm, short.wasm);
  const items = JSON.parse(execFileSync(twiggyBin, ['top', '-f', 'json', wasm], { encoding: 'utf8', maxBuffer: 64 << 20 }))
    // Crate hashes (`core[c5930c85a12de822]::`) only add noise.
    .map((i) => ({ name: i.name.replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, ''), size: i.shallow_size }));
  // The name section exists only in this profiling build: leave it out.
  const isNames = (i) => /subsection$|^custom section '(name|producers|target_features)'/.test(i.name);
  const code = items.filter((i) => !isNames(i)).sort((a, b) => b.size - a.size);
  const groups = new Map();
  for (const i of code) groups.set(groupOf(i.name), (groups.get(groupOf(i.name)) ?? 0) + i.size);
  return {
    label: crateLabel(crate),
    date: new Date().toISOString(),
    shipped: shippedWasm && fs.existsSync(shippedWasm) ? fs.statSync(shippedWasm).size : null,
    profiled: fs.statSync(wasm).size,
    moduleBytes: code.reduce((a, i) => a + i.size, 0),
    itemCount: code.length,
    groups: Object.fromEntries([...groups.entries()].sort((a, b) => b[1] - a[1])),
    items: code,
  };
}

/**
 * Writes `profile` to `file` (items under SAVE_MIN_BYTES summed), one item a
 * line. Returns false when the file already held the same profile.
 */
export function saveProfile(profile, file) {
  const kept = profile.items.filter((i) => i.size >= SAVE_MIN_BYTES);
  const rest = profile.items.filter((i) => i.size < SAVE_MIN_BYTES);
  const head = { ...profile, items: undefined, smallItems: { under: SAVE_MIN_BYTES, count: rest.length, bytes: rest.reduce((a, i) => a + i.size, 0) } };
  const lines = kept.map((i) => '    ' + JSON.stringify(i));
  const text = JSON.stringify(head, null, 2).replace(/\n}$/, `,\n  "items": [\n${lines.join(',\n')}\n  ]\n}\n`);
  // The same build profiled again: keep the file (and its date) as it is.
  const withoutDate = (t) => t.replace(/^  "date": .*$/m, '');
  if (fs.existsSync(file) && withoutDate(fs.readFileSync(file, 'utf8')) === withoutDate(text)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return true;
}

/** Reads a profile written by saveProfile. */
export function loadProfile(file) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!p || typeof p.moduleBytes !== 'number' || !Array.isArray(p.items) || typeof p.groups !== 'object') {
    throw new Error(`${file}: not a twiggy profile saved by benches/run.mjs`);
  }
  return p;
}

/**
 * Before/after of two profiles: rows of groups and items with both sizes.
 * An item missing from the baseline's saved list is either absent or under
 * its save threshold (`belowBefore`).
 */
export function compareProfiles(before, after, top = 20) {
  const bItems = new Map();
  for (const i of before.items) bItems.set(i.name, (bItems.get(i.name) ?? 0) + i.size);
  const aItems = new Map();
  for (const i of after.items) aItems.set(i.name, (aItems.get(i.name) ?? 0) + i.size);
  const threshold = before.smallItems?.under ?? 0;
  const groupNames = [...new Set([...Object.keys(before.groups), ...Object.keys(after.groups)])]
    .sort((x, y) => Math.max(before.groups[y] ?? 0, after.groups[y] ?? 0) - Math.max(before.groups[x] ?? 0, after.groups[x] ?? 0));
  return {
    groups: groupNames.map((g) => ({ name: g, before: before.groups[g] ?? 0, after: after.groups[g] ?? 0 })),
    // The largest items now, and the largest items of the baseline (where cuts show).
    topNow: [...aItems.entries()].sort((x, y) => y[1] - x[1]).slice(0, top).map(([name, size]) => ({ name, before: bItems.get(name), after: size })),
    topBefore: [...bItems.entries()].sort((x, y) => y[1] - x[1]).slice(0, top).map(([name, size]) => ({ name, before: size, after: aItems.get(name) ?? (after.smallItems ? undefined : 0) })),
    belowBefore: threshold,
  };
}
