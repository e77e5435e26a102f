// The JSON Schema editors get (policies/catalogue.schema.json), under a
// strict validator: it compiles with Ajv's strict mode, every catalogue we
// ship passes it, and the README and policies/README.md state truthfully how
// many of the mistakes in tests/fixtures/mistakes.json it lets through
// (the schema checks shape only; `cookiegate check` catches them all, which
// tests/catalogue_rules.rs shows).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const schema = JSON.parse(read('policies/catalogue.schema.json'));

function compileStrictly() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  return ajv.compile(schema);
}

test('the schema compiles under Ajv strict mode', () => {
  assert.doesNotThrow(compileStrictly);
});

test('every shipped catalogue and the test fixture pass the schema', () => {
  const validate = compileStrictly();
  for (const file of ['policies/storefront.json', 'policies/storefront-2016.json', 'policies/starter.json', 'tests/fixtures/valid.json']) {
    const ok = validate(JSON.parse(read(file)));
    assert.ok(ok, `${file}: ${JSON.stringify(validate.errors, null, 1)}`);
  }
});

/** Each mistake applied to the valid fixture, and whether the schema notices. */
function schemaVerdicts() {
  const valid = read('tests/fixtures/valid.json');
  const { mistakes } = JSON.parse(read('tests/fixtures/mistakes.json'));
  const validate = compileStrictly();
  return mistakes.map((m) => {
    const text = m.whole ?? valid.replace(m.find, m.replace);
    assert.notEqual(text, valid, `${m.mistake}: the edit changed nothing`);
    let doc;
    try {
      doc = JSON.parse(text);
    } catch {
      // Not JSON at all: the editor's JSON support flags it before the schema.
      return { ...m, json: false, missed: false };
    }
    return { ...m, json: true, missed: validate(doc) };
  });
}

test('the documents state how many mistakes the schema misses', (t) => {
  const verdicts = schemaVerdicts();
  const missed = verdicts.filter((v) => v.missed);
  const total = verdicts.length;
  t.diagnostic(`the schema misses ${missed.length} of ${total} mistakes:\n  ` + missed.map((v) => v.mistake).join('\n  '));
  // A control: the schema does catch shape mistakes.
  assert.ok(verdicts.some((v) => v.json && !v.missed), 'the schema catches some mistakes');
  assert.ok(missed.length > 0, 'the schema misses some mistakes (it checks shape only)');
  const claim = `misses ${missed.length} of the ${total} mistakes`;
  for (const doc of ['README.md', 'policies/README.md']) {
    // Markdown wraps lines anywhere: compare with the white space collapsed.
    const prose = read(doc).replace(/\s+/g, ' ');
    assert.ok(prose.includes(claim), `${doc} should say "${claim}"`);
  }
});
