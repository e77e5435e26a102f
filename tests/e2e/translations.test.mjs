// A service's `name`, `provider` and `third_country` may be written per
// language: the German dialog of the demo shop says "dieser Shop", not
// "(this shop)", and the English one (the control) still says "this shop".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, newPage } from './harness.mjs';
import { REAL_HTML } from './fixtures/leak-helpers.mjs';
import { banner } from './fixtures/hostile-common.mjs';

const getBrowser = sharedBrowser();

/** Every text of the preferences dialog, with each category's services shown. */
async function dialogText(lang) {
  const page = `/__test/real-${lang}.html`;
  const html = REAL_HTML.replace('<html lang="en">', `<html lang="${lang}">`);
  const p = await newPage(getBrowser(), page, { fixtures: { [page]: html } });
  try {
    await banner(p.page).waitFor({ state: 'visible', timeout: 10_000 });
    await banner(p.page).locator('[data-cookiegate="preferences"]').click();
    await p.page.locator('[data-cookiegate="preferences-dialog"]').waitFor({ state: 'visible' });
    return await p.page.evaluate(() => {
      const root = document.querySelector('[data-cookiegate="root"]').shadowRoot;
      root.querySelectorAll('details').forEach((d) => (d.open = true));
      root.querySelectorAll('button[aria-expanded="false"]').forEach((b) => b.click());
      return root.querySelector('[data-cookiegate="preferences-dialog"]').textContent;
    });
  } finally {
    await p.context.close();
  }
}

test('the German dialog shows the German provider, name and third country', async () => {
  const de = await dialogText('de');
  for (const want of ['FS.COM INC (dieser Shop)', 'Shop-Sitzung', 'Cookie-Auswahl (cookiegate)', 'Vereinigte Staaten (EU-US-Datenschutzrahmen)']) {
    assert.ok(de.includes(want), `German dialog lacks "${want}"`);
  }
  for (const english of ['(this shop)', 'Shop session', 'EU-US Data Privacy Framework']) {
    assert.ok(!de.includes(english), `German dialog shows "${english}"`);
  }
});

test('the English dialog (control) shows the English texts', async () => {
  const en = await dialogText('en');
  for (const want of ['FS.COM INC (this shop)', 'Shop session', 'United States (EU-US Data Privacy Framework)']) {
    assert.ok(en.includes(want), `English dialog lacks "${want}"`);
  }
});
