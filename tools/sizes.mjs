// Prints each file's raw, gzip -9 and brotli -q 11 size, and the total.
// Used by ./build.sh and the benchmark; node's zlib, so no extra install.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

export function sizes(file) {
  const raw = readFileSync(file);
  return {
    file,
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }).length,
  };
}

const kb = (n) => (n / 1024).toFixed(1).padStart(8) + ' KB';

export function table(rows) {
  const total = rows.reduce(
    (t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
  const line = (name, r) => `${name.padEnd(28)}${kb(r.raw)}${kb(r.gzip)}${kb(r.brotli)}`;
  return [
    `${'file'.padEnd(28)}${'raw'.padStart(11)}${'gzip -9'.padStart(11)}${'brotli 11'.padStart(11)}`,
    ...rows.map((r) => line(basename(r.file), r)),
    line('total', total),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(table(process.argv.slice(2).map(sizes)));
}
