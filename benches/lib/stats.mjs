// Small statistics and table helpers for the bench report.

export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function summary(xs) {
  const v = xs.filter((x) => Number.isFinite(x));
  return { n: v.length, median: median(v), min: v.length ? Math.min(...v) : NaN, max: v.length ? Math.max(...v) : NaN };
}

export const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
export const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
/** Bytes as decimal kilobytes, as issue 12 states them (114,927 B = 114.9 kB). */
export const kB = (n) => (Number.isFinite(n) ? `${(n / 1000).toFixed(1)} kB` : '–');
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? (a / b).toFixed(2) + '×' : '–');

/** A markdown table with padded columns (readable as plain text too). */
export function mdTable(headers, rows, align) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c ?? '')));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => r[i].length)));
  const al = align ?? headers.map((_, i) => (i === 0 ? 'l' : 'r'));
  const pad = (s, i) => (al[i] === 'l' ? s.padEnd(widths[i]) : s.padStart(widths[i]));
  const line = (r) => '| ' + r.map(pad).join(' | ') + ' |';
  const sep = '| ' + widths.map((w, i) => (al[i] === 'l' ? '-'.repeat(w) : '-'.repeat(w - 1) + ':')).join(' | ') + ' |';
  return [line(cells[0]), sep, ...cells.slice(1).map(line)].join('\n');
}
