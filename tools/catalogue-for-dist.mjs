// Writes the catalogue as shipped to browsers: the same data without the
// editors' `notes` and `$schema`, and without indentation (about 13% fewer
// brotli bytes for the default catalogue). Run only on a catalogue that
// `cookiegate check` passed: JSON.parse would silently merge duplicate keys.
import { readFileSync, writeFileSync } from 'node:fs';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: node tools/catalogue-for-dist.mjs SOURCE.json DEST.json');
  process.exit(2);
}
const catalogue = JSON.parse(readFileSync(from, 'utf8'));
delete catalogue.notes;
delete catalogue.$schema;
writeFileSync(to, JSON.stringify(catalogue));
