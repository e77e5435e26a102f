// The npm package (issue 15): dist/ staged as `./build.sh package` stages it
// (tools/package.mjs adds package.json, the declarations and the README),
// then `npm pack`, gives a tarball with the deployable files and the TypeScript declarations; it installs into an
// empty project with no registry (--offline, empty cache), its types compile
// under `tsc --strict` (and reject misuse), and the installed files run the
// banner when served as the site's /cookiegate/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DIST, NEED_DIST, REPO_ROOT, distBuilt, launchBrowser, cookiegateReady } from './harness.mjs';
import { startServer } from '../../tools/serve.mjs';
import { fixturePage, BANNER } from './fixtures/banner-helpers.mjs';

const run = promisify(execFile);
const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const DEPLOYABLE = ['cookiegate.js', 'cookiegate_core.js', 'cookiegate_core_bg.wasm', 'catalogue.json'];

let tmp;
let installed; // node_modules/cookiegate of the empty project
let project;
let packError;

before(async () => {
  try {
    assert.ok(distBuilt(), NEED_DIST);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cookiegate-package-'));
    // An empty cache: anything the install wanted from a registry would fail.
    const env = { ...process.env, npm_config_cache: path.join(tmp, 'npm-cache'), npm_config_update_notifier: 'false' };
    const stage = path.join(tmp, 'stage');
    fs.mkdirSync(stage);
    for (const f of fs.readdirSync(DIST)) fs.copyFileSync(path.join(DIST, f), path.join(stage, f));
    await run(process.execPath, [path.join(REPO_ROOT, 'tools', 'package.mjs'), stage]);
    const { stdout } = await run('npm', ['pack', stage, '--pack-destination', tmp, '--json', '--loglevel=error'], { env });
    const [{ filename }] = JSON.parse(stdout);
    project = path.join(tmp, 'shop');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', private: true }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', path.join(tmp, filename)], {
      cwd: project,
      env,
    });
    installed = path.join(project, 'node_modules', 'cookiegate');
  } catch (e) {
    packError = e;
  }
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function ready() {
  if (packError) throw packError;
}

/** Runs tsc in the project on `files` (name → text); resolves to {ok, output}. */
async function tsc(files, args) {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(project, name), text);
  try {
    const { stdout } = await run(process.execPath, [TSC, ...args, ...Object.keys(files)], { cwd: project });
    return { ok: true, output: stdout };
  } catch (e) {
    return { ok: false, output: String(e.stdout) + String(e.stderr) };
  }
}

const STRICT = ['--strict', '--noEmit', '--target', 'es2020', '--lib', 'es2020,dom', '--module', 'esnext'];

test('package: npm pack gives the deployable files, the declarations and a package.json at the Cargo version', () => {
  ready();
  for (const f of DEPLOYABLE) {
    assert.ok(
      fs.readFileSync(path.join(installed, f)).equals(fs.readFileSync(path.join(DIST, f))),
      `${f} is installed, byte for byte the built one`,
    );
  }
  assert.ok(fs.existsSync(path.join(installed, 'cookiegate.d.ts')), 'cookiegate.d.ts');
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  const cargo = /^version\s*=\s*"([^"]+)"/m.exec(fs.readFileSync(path.join(REPO_ROOT, 'Cargo.toml'), 'utf8'))[1];
  assert.equal(manifest.name, 'cookiegate');
  assert.equal(manifest.version, cargo, 'the crate and the package share one version');
  assert.equal(manifest.types, './cookiegate.d.ts');
  const lock = JSON.parse(fs.readFileSync(path.join(project, 'package-lock.json'), 'utf8'));
  assert.deepEqual(Object.keys(lock.packages).sort(), ['', 'node_modules/cookiegate'], 'no dependencies came along');
});

// Every member of window.cookiegate and every event, as a shop would use them.
const SHOP_TS = `import type { Cookiegate, CookiegateRecord, CookiegateChangeDetail } from 'cookiegate';

const api: Cookiegate = window.cookiegate;
api.ready.then((started: Cookiegate) => started.getConsent());
api.acceptAll();
api.rejectAll();
api.accept(['analytics', 'social']);
api.accept('analytics');
const granted: boolean = api.acceptedCategory('analytics') && api.acceptedService('google-analytics');
const record: CookiegateRecord | null = api.getConsent();
if (record) {
  const when: string = record.timestamp;
  const how: 'accept-all' | 'reject-all' | 'custom' | 'restored' = record.method;
  const rev: number = record.revision;
  const on: boolean | undefined = record.categories['analytics'] ?? record.services['youtube'];
  console.log(record.id, when, how, rev, record.gpc, on, granted);
}
api.showBanner();
api.showPreferences();
api.hide();
api.reset();
cookiegate.acceptAll(); // the bare global too

window.addEventListener('cookiegate:ready', (e) => console.log(e.detail === null));
window.addEventListener('cookiegate:consent', (e) => console.log(e.detail.categories['marketing']));
window.addEventListener('cookiegate:change', (e) => {
  const detail: CookiegateChangeDetail = e.detail;
  const ids: string[] = [...detail.changed.categories, ...detail.changed.services];
  console.log(ids, detail.record?.method);
});
window.addEventListener('cookiegate:reload', (e) => sessionStorage.setItem('why', e.detail.record?.method ?? 'reset'));
window.addEventListener('cookiegate:preferences-shown', () => document.body.classList.add('cg-open'));
window.addEventListener('cookiegate:preferences-hidden', () => document.body.classList.remove('cg-open'));
export {};
`;

test('package: a TypeScript file using every member and event compiles with tsc --strict (import type, and bundler/node16 resolution)', async () => {
  ready();
  for (const resolution of ['bundler', 'node16']) {
    const module = resolution === 'node16' ? 'node16' : 'esnext';
    const args = [...STRICT.slice(0, -2), '--module', module, '--moduleResolution', resolution];
    const { ok, output } = await tsc({ 'shop.ts': SHOP_TS }, args);
    assert.ok(ok, `tsc (${resolution}) failed:\n${output}`);
  }
});

test("package: the TypeScript examples of both READMEs compile with tsc --strict", async () => {
  ready();
  const block = (file, after) => {
    const text = fs.readFileSync(file, 'utf8');
    const at = text.indexOf('```ts\n', text.indexOf(after));
    assert.ok(at >= 0, `${file} has a ts block after "${after}"`);
    return text.slice(at + 6, text.indexOf('```', at + 6));
  };
  const examples = {
    'readme.ts': block(path.join(REPO_ROOT, 'README.md'), '### From npm, with TypeScript types'),
    'package-readme.ts': block(path.join(installed, 'README.md'), '## Types'),
  };
  const { ok, output } = await tsc(examples, [...STRICT, '--moduleResolution', 'bundler']);
  assert.ok(ok, `tsc failed:\n${output}`);
});

test('package: with "types": ["cookiegate"] and no import, window.cookiegate and the events are typed', async () => {
  ready();
  const globalOnly = `window.cookiegate.accept(['analytics']);
window.addEventListener('cookiegate:change', (e) => console.log(e.detail.changed.services.length));
const r = cookiegate.getConsent();
console.log(r?.revision);
`;
  const { ok, output } = await tsc({ 'global.ts': globalOnly }, [...STRICT, '--types', 'cookiegate']);
  assert.ok(ok, `tsc failed:\n${output}`);
  // Control: without the types the same file does not compile.
  const bare = await tsc({ 'global.ts': globalOnly }, STRICT);
  assert.equal(bare.ok, false, 'without the declarations window.cookiegate is unknown');
  assert.match(bare.output, /cookiegate/);
});

test('package: the declarations reject misuse (wrong argument, unguarded null, wrong event detail)', async () => {
  ready();
  const misuse = `import 'cookiegate';
window.cookiegate.accept(42);
window.cookiegate.getConsent().id;
window.addEventListener('cookiegate:consent', (e) => e.detail.changed);
window.cookiegate.acceptedCategory();
`;
  const { ok, output } = await tsc({ 'misuse.ts': misuse }, [...STRICT, '--moduleResolution', 'bundler']);
  assert.equal(ok, false, 'misuse must not compile');
  for (const [line, code] of [
    [2, 'TS2345'], // number is not string | readonly string[]
    [3, 'TS2531'], // getConsent() is possibly null
    [4, 'TS2339'], // a consent record has no `changed`
    [5, 'TS2554'], // acceptedCategory needs an id
  ]) {
    assert.match(output, new RegExp(`misuse\\.ts\\(${line},\\d+\\): error ${code}`), `line ${line}: ${code}\n${output}`);
  }
});

test('package: the installed files, served as /cookiegate/, run the banner and take a choice', async () => {
  ready();
  const server = await startServer({ port: 0, host: '127.0.0.1', dist: installed });
  const browser = await launchBrowser();
  try {
    server.fixtures.set('/__pkg/shop.html', fixturePage());
    const context = await browser.newContext();
    // Only the package's own server: nothing else may load.
    await context.route('**/*', (route) =>
      new URL(route.request().url()).host === `127.0.0.1:${server.port}` ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`http://127.0.0.1:${server.port}/__pkg/shop.html`);
    await cookiegateReady(page);
    await page.locator(BANNER).waitFor({ state: 'visible' });
    await page.click(`${BANNER} [data-cookiegate="accept-all"]`);
    assert.equal(await page.evaluate(() => window.cookiegate.getConsent()?.method), 'accept-all');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
