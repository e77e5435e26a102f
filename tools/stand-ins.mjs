// The stand-ins' one source of their shared code. A stand-in script in
// www/stand-ins/ keeps only what is its own; what they all share (reading
// their own src, cookie helpers, hits, registering in window.__standins) is in
// www/stand-ins/prelude.js. Each is served as ONE external script at its own
// URL: its leading comment, then the prelude and its own code inside one
// strict-mode function, so each still loads alone, in any order, as the real
// vendor script does (no eval, nothing inline: fine under a strict CSP and
// Trusted Types). tools/serve.mjs (the demo, the scan tests) and
// tests/e2e/harness.mjs (real tracker URLs routed to stand-ins) serve them so.

import fs from 'node:fs/promises';
import path from 'node:path';

export const PRELUDE = 'prelude.js';

/**
 * True when `file` (a name in a stand-ins folder) is served after the prelude.
 * A folder without prelude.js (the benches' stub stand-ins) is served as is.
 */
export async function takesPrelude(dir, file) {
  if (!file.endsWith('.js') || file === PRELUDE) return false;
  try {
    return (await fs.stat(path.join(dir, PRELUDE))).isFile();
  } catch {
    return false;
  }
}

/**
 * The script served for stand-in `file` of folder `dir`, and the fs.Stats of
 * whichever of the two files changed last (for ETag and Last-Modified).
 * @returns {Promise<{body: Buffer, changed: import('node:fs').Stats}>}
 */
export async function standInScript(dir, file) {
  const ownPath = path.join(dir, file);
  const preludePath = path.join(dir, PRELUDE);
  const [own, prelude, ownStat, preludeStat] = await Promise.all([
    fs.readFile(ownPath, 'utf8'),
    fs.readFile(preludePath, 'utf8'),
    fs.stat(ownPath),
    fs.stat(preludePath),
  ]);
  const lines = own.split('\n');
  const headLength = lines.findIndex((l) => !l.startsWith('//'));
  const head = lines.slice(0, headLength < 0 ? lines.length : headLength);
  const code = lines.slice(head.length);
  const indent = (text) => text.replace(/\n$/, '').split('\n').map((l) => (l ? '  ' + l : l)).join('\n');
  const text = [
    ...head,
    '(function () {',
    "  'use strict';",
    indent(prelude),
    '',
    indent(code.join('\n')),
    '})();',
    '',
  ].join('\n');
  const changed = ownStat.mtimeMs >= preludeStat.mtimeMs ? ownStat : preludeStat;
  return { body: Buffer.from(text, 'utf8'), changed };
}
