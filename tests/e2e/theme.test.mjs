// Theming (issue 15): data-theme="light|dark|auto" on the script tag pins the
// palette or follows the system; the README's custom properties apply to the
// pinned palette; iframe placeholders follow the same theme. Colours are read
// with getComputedStyle, as a visitor's eyes would see them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sharedBrowser, newPage, cookiegateReady, REPO_ROOT } from './harness.mjs';
import { fixturePage, BANNER, bannerShown } from './fixtures/banner-helpers.mjs';

const getBrowser = sharedBrowser();

// The stylesheet's defaults (src/web/ui/ui.css).
const LIGHT = { bg: 'rgb(255, 255, 255)', fg: 'rgb(27, 29, 33)' };
const DARK = { bg: 'rgb(23, 25, 29)', fg: 'rgb(236, 238, 241)' };

const IFRAME = `<iframe data-src="https://www.youtube-nocookie.com/embed/theme" title="Product video"
  data-category="social" data-service="youtube" width="560" height="315"></iframe>`;

/** The ```css block of the README's Theming section. */
function readmeCss() {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('```css\n', readme.indexOf('### Theming'));
  assert.ok(at > 0, 'README.md has a css example under Theming');
  return readme.slice(at + 7, readme.indexOf('```', at + 7));
}

let n = 0;
/** The banner's and the placeholder's colours on a page with `scriptAttrs`, under `colorScheme`. */
async function colours({ colorScheme, scriptAttrs = '', head = '' }) {
  const path = `/__test/theme-${n++}.html`;
  const html = fixturePage({ scriptAttrs, head, body: IFRAME });
  const { page, context, consoleMessages } = await newPage(getBrowser(), path, {
    colorScheme,
    fixtures: { [path]: html },
  });
  try {
    await cookiegateReady(page);
    await bannerShown(page);
    const style = (sel) =>
      page.locator(sel).first().evaluate((el) => {
        const s = getComputedStyle(el);
        return { bg: s.backgroundColor, fg: s.color };
      });
    const banner = await style(BANNER);
    const placeholder = await style('[data-cookiegate="placeholder"] .cg-ph');
    const warnings = consoleMessages.filter((m) => m.type === 'warning').map((m) => m.text);
    return { banner, placeholder, warnings };
  } finally {
    await context.close();
  }
}

test('theme: data-theme="light" shows the light palette although the system is dark', async () => {
  const { banner, placeholder } = await colours({ colorScheme: 'dark', scriptAttrs: 'data-theme="light"' });
  assert.deepEqual(banner, LIGHT);
  assert.equal(placeholder.fg, LIGHT.fg, 'the iframe placeholder follows the pinned theme');
});

test('theme: data-theme="dark" shows the dark palette although the system is light', async () => {
  const { banner, placeholder } = await colours({ colorScheme: 'light', scriptAttrs: 'data-theme="dark"' });
  assert.deepEqual(banner, DARK);
  assert.equal(placeholder.fg, DARK.fg, 'the iframe placeholder follows the pinned theme');
});

test('theme: without data-theme, or with "auto", the banner follows the system either way', async () => {
  for (const scriptAttrs of ['', 'data-theme="auto"']) {
    for (const [colorScheme, want] of [['light', LIGHT], ['dark', DARK]]) {
      const { banner, placeholder, warnings } = await colours({ colorScheme, scriptAttrs });
      assert.deepEqual(banner, want, `${scriptAttrs || 'no data-theme'} under a ${colorScheme} system`);
      assert.equal(placeholder.fg, want.fg);
      assert.deepEqual(warnings, [], 'auto is a valid value');
    }
  }
});

test('theme: an unknown data-theme follows the system and says so in the console', async () => {
  const { banner, warnings } = await colours({ colorScheme: 'dark', scriptAttrs: 'data-theme="sepia"' });
  assert.deepEqual(banner, DARK);
  assert.ok(warnings.some((w) => /data-theme/.test(w)), `a console warning names data-theme: ${warnings}`);
});

test("theme: the README's custom properties recolour the pinned palette, light and dark", async () => {
  // The README's example, verbatim.
  const head = `<style>\n${readmeCss()}</style>`;
  const light = await colours({ colorScheme: 'dark', scriptAttrs: 'data-theme="light"', head });
  assert.deepEqual(light.banner, { bg: 'rgb(253, 246, 227)', fg: 'rgb(34, 34, 34)' });
  const dark = await colours({ colorScheme: 'light', scriptAttrs: 'data-theme="dark"', head });
  assert.deepEqual(dark.banner, { bg: 'rgb(16, 32, 48)', fg: 'rgb(240, 240, 240)' });
  const accept = await (async () => {
    const path = `/__test/theme-accent.html`;
    const { page, context } = await newPage(getBrowser(), path, {
      colorScheme: 'dark',
      fixtures: { [path]: fixturePage({ scriptAttrs: 'data-theme="light"', head }) },
    });
    try {
      await cookiegateReady(page);
      return await page
        .locator(`${BANNER} [data-cookiegate="accept-all"]`)
        .evaluate((el) => getComputedStyle(el).backgroundColor);
    } finally {
      await context.close();
    }
  })();
  assert.equal(accept, 'rgb(122, 62, 0)', 'buttons take --cookiegate-accent');
});
