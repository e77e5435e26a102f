// Bench fixtures: the pages both banners are measured on, the local tracker
// stand-ins, the vanilla-cookieconsent configuration derived from the same
// catalogue, and the generated scale catalogues and pages.
//
// Everything is generated from the catalogue cookiegate ships, so the two
// banners always describe the same categories, services and English texts.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(BENCH_DIR, '..');
export const VANILLA_DIR = path.join(REPO_ROOT, 'node_modules', 'vanilla-cookieconsent');

// The default catalogue's non-required services, each with the script a
// storefront would gate for it (served from local stand-ins, never the real
// host). Order = document order on the page.
export const GATED = [
  { service: 'google-tag-manager', category: 'analytics', file: 'gtm.js' },
  { service: 'google-analytics', category: 'analytics', file: 'gtag.js', inline: "gtag('config', 'G-BENCH');" },
  { service: 'yandex-metrica', category: 'analytics', file: 'metrica.js' },
  { service: 'google-ads', category: 'marketing', file: 'gads.js' },
  { service: 'google-customer-reviews', category: 'marketing', file: 'gcr.js' },
  { service: 'facebook', category: 'marketing', file: 'fbevents.js' },
  { service: 'twitter', category: 'marketing', file: 'uwt.js' },
  { service: 'linkedin', category: 'marketing', file: 'insight.js' },
  { service: 'youtube', category: 'social', file: 'yt-iframe-api.js' },
  { service: 'live-chat', category: 'preferences', file: 'livechat.js' },
];

/** Source of a stand-in: records that it ran, and when. */
export const STUB_JS =
  '(function(){var r=self.__benchRan||(self.__benchRan=[]);' +
  "var s=document.currentScript;r.push([s&&s.src?s.src:'inline',performance.now()]);})();\n";
const INLINE_STUB = STUB_JS.trim();

/** Number of stand-in runs expected after "accept all" on the storefront page. */
export const STOREFRONT_EXPECTED_RUNS = GATED.length + GATED.filter((g) => g.inline).length;

// cookiegate activates a held script from the page's own origin, or with
// inline code, only when it carries the page's nonce (serve.mjs fills it in).
const NONCE = ' nonce="{{nonce}}"';

const esc = (s) => String(s).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

function gatedMarkup(list) {
  const out = [];
  for (const g of list) {
    out.push(
      `<script type="text/plain" data-category="${g.category}" data-service="${g.service}" ` +
        `data-src="${g.src ?? '/stand-ins/' + g.file}" async${NONCE}></script>`,
    );
    if (g.inline) {
      out.push(
        `<script type="text/plain" data-category="${g.category}" data-service="${g.service}"${NONCE}>` +
          `${g.inline}${INLINE_STUB}</script>`,
      );
    }
  }
  return out.join('\n');
}

// Google Consent Mode v2 default, as vanilla-cookieconsent's documentation
// recipe has it: an inline snippet in <head> before any tag. cookiegate's
// bootstrap does the same itself, so vanilla needs it for the same behaviour.
export const VANILLA_GCM_SNIPPET =
  'window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}' +
  "gtag('consent','default',{ad_storage:'denied',ad_user_data:'denied',ad_personalization:'denied'," +
  "analytics_storage:'denied',functionality_storage:'denied',personalization_storage:'denied'," +
  "security_storage:'granted',wait_for_update:500});";

/**
 * Resource hints that let the browser fetch cookiegate's glue and wasm (and,
 * with `catalogue`, that catalogue file) in parallel with the bootstrap instead
 * of after it. Each matches the bootstrap's own request exactly: `import()`
 * finds the modulepreloaded module in the module map (the nonce is for
 * script-src); `fetch()` is mode cors, credentials same-origin, which is
 * `as="fetch" crossorigin`.
 */
export function preloadHints(dir = '/cookiegate/', { catalogue = null } = {}) {
  return [
    `<link rel="modulepreload" href="${dir}cookiegate_core.js"${NONCE}>`,
    `<link rel="preload" href="${dir}cookiegate_core_bg.wasm" as="fetch" crossorigin>`,
    ...(catalogue ? [`<link rel="preload" href="${catalogue}" as="fetch" crossorigin>`] : []),
  ].join('\n');
}

/** The banner tags for each variant. */
export function bannerHead(kind, { catalogueUrl = '/cookiegate/catalogue.json', languages = null } = {}) {
  switch (kind) {
    case 'hints':
      return [preloadHints(), bannerHead('cookiegate', { catalogueUrl, languages })].join('\n');
    case 'hints-catalogue': {
      // The file the bootstrap picks for this page's visitor (the bench browser is en-US).
      const file = languages?.length ? catalogueUrl.replace(/catalogue\.json$/, `catalogue.${languages.includes('en') ? 'en' : languages[0]}.json`) : catalogueUrl;
      return [preloadHints('/cookiegate/', { catalogue: file }), bannerHead('cookiegate', { catalogueUrl, languages })].join('\n');
    }
    case 'cookiegate':
      // data-languages as `cookiegate bundle` prints it: a visitor fetches one language.
      return `<script src="/cookiegate/cookiegate.js" data-catalogue="${catalogueUrl}"${languages?.length ? ` data-languages="${languages.join(' ')}"` : ''}${NONCE}></script>`;
    case 'vanilla':
      // The library's documented setup: stylesheet in <head>, the UMD build and
      // the configuration script deferred.
      return [
        `<script>${VANILLA_GCM_SNIPPET}</script>`,
        '<link rel="stylesheet" href="/vendor/cookieconsent.css">',
        '<script defer src="/vendor/cookieconsent.umd.js"></script>',
        '<script defer src="/vanilla/config.js"></script>',
      ].join('\n');
    case 'none':
      return `<script>${VANILLA_GCM_SNIPPET}</script>`;
    default:
      throw new Error(`unknown banner ${kind}`);
  }
}

/** A storefront page for a banner, with the given gated elements. */
export function storefrontPage(kind, { gated = GATED, catalogueUrl, languages } = {}) {
  const template = fs.readFileSync(path.join(BENCH_DIR, 'pages', 'storefront.html'), 'utf8');
  return template
    .replace('<!--BANNER-->', bannerHead(kind, { catalogueUrl, languages }))
    .replace('<!--GATED-->', gatedMarkup(gated));
}

// ---------------------------------------------------------------------------
// vanilla-cookieconsent configuration from a cookiegate catalogue

const en = (obj) => (obj && typeof obj === 'object' ? (obj.en ?? Object.values(obj)[0]) : obj);

function lifetimeText(l) {
  return l === 'session' ? 'Session' : l;
}

function matcherSource(c) {
  if (c.name !== undefined) return JSON.stringify(c.name);
  if (c.prefix !== undefined) return `new RegExp(${JSON.stringify('^' + c.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))})`;
  return `new RegExp(${JSON.stringify(c.regex)})`;
}

/**
 * JavaScript source of a vanilla-cookieconsent 3.x configuration describing
 * the same categories, services, cookies and English texts as `catalogue`,
 * plus Consent Mode updates (the library's documented GCM recipe).
 */
export function vanillaConfig(catalogue) {
  const t = catalogue.texts.en;
  const servicesOf = (cat) => catalogue.services.filter((s) => s.category === cat);
  const cats = [];
  const sections = [{ description: t.dialog_body + ` <a href="${esc(catalogue.policy_url)}">${esc(t.policy_link)}</a>` }];
  const gcm = {};
  for (const c of catalogue.categories) {
    if (c.consent_mode) gcm[c.id] = c.consent_mode;
    const svcs = servicesOf(c.id);
    const svcSrc = svcs.map((s) => {
      const first = (s.cookies ?? []).filter((k) => k.party === 'first');
      const cookies = first.map((k) => `{name:${matcherSource(k)}}`).join(',');
      return `${JSON.stringify(s.id)}:{label:${JSON.stringify(en(s.name))}${cookies ? `,cookies:[${cookies}]` : ''}}`;
    });
    const opts = c.required ? 'enabled:true,readOnly:true,' : '';
    cats.push(`${JSON.stringify(c.id)}:{${opts}services:{${svcSrc.join(',')}}}`);
    const rows = [];
    for (const s of svcs) {
      for (const k of [...(s.cookies ?? []), ...(s.storage ?? [])]) {
        rows.push({
          name: k.name ?? (k.prefix !== undefined ? k.prefix + '*' : k.regex),
          service: en(s.name),
          lifetime: lifetimeText(k.lifetime),
          party: k.kind ? (k.kind === 'local' ? 'localStorage' : 'sessionStorage') : k.party === 'first' ? t.first_party : t.third_party,
        });
      }
    }
    const serviceList = svcs
      .map((s) => `<p><b>${esc(en(s.name))}</b> (${esc(en(s.provider))}): ${esc(en(s.purpose))} <a href="${esc(s.policy_url)}">${esc(t.policy)}</a></p>`)
      .join('');
    sections.push({
      title: en(c.title) + (c.required ? ` (${t.always_on})` : ''),
      description: esc(en(c.description)) + serviceList,
      linkedCategory: c.id,
      cookieTable: rows.length
        ? { headers: { name: t.cookies, service: 'Service', lifetime: t.lifetime, party: 'Type' }, body: rows }
        : undefined,
    });
  }
  const translation = {
    consentModal: {
      title: t.banner_title,
      description: `${esc(t.banner_body)} ${esc(t.withdraw_note)}`,
      acceptAllBtn: t.accept_all,
      acceptNecessaryBtn: t.reject_all,
      showPreferencesBtn: t.preferences,
      footer: `<a href="${esc(catalogue.policy_url)}">${esc(t.policy_link)}</a>`,
    },
    preferencesModal: {
      title: t.dialog_title,
      acceptAllBtn: t.accept_all,
      acceptNecessaryBtn: t.reject_all,
      savePreferencesBtn: t.save,
      closeIconLabel: t.close,
      sections,
    },
  };
  return `// vanilla-cookieconsent configuration for the bench storefront.
// GENERATED by benches/lib/fixtures.mjs (vanillaConfig) from cookiegate's
// catalogue: same categories, services, cookies and English texts. Do not edit.
(function () {
  var GCM = ${JSON.stringify(gcm)};
  function updateConsentMode() {
    var u = {};
    for (var cat in GCM) {
      var on = CookieConsent.acceptedCategory(cat);
      GCM[cat].forEach(function (type) { u[type] = on || u[type] === 'granted' ? 'granted' : 'denied'; });
    }
    gtag('consent', 'update', u);
  }
  CookieConsent.run({
    hideFromBots: false,
    revision: ${Number(catalogue.revision) || 0},
    cookie: { name: 'cc_cookie', expiresAfterDays: ${Number(catalogue.consent_days) || 182} },
    onConsent: updateConsentMode,
    onChange: updateConsentMode,
    categories: {${cats.join(',\n    ')}},
    language: { default: 'en', translations: { en: ${JSON.stringify(translation)} } }
  });
})();
`;
}

// ---------------------------------------------------------------------------
// Scale fixtures

/** A valid catalogue with `n` services of 5 first-party cookies each. */
export function scaleCatalogue(base, n) {
  const enOnly = (o) => ({ en: en(o) });
  const categories = base.categories.map((c) => {
    const out = { ...c, title: enOnly(c.title), description: enOnly(c.description) };
    return out;
  });
  const optional = categories.filter((c) => !c.required).map((c) => c.id);
  const services = [];
  for (let i = 0; i < n; i++) {
    const id = `svc-${String(i).padStart(4, '0')}`;
    services.push({
      id,
      category: optional[i % optional.length],
      name: `Service ${i}`,
      provider: `Provider ${i} Limited`,
      purpose: { en: `Measures how the shop is used and reports it to provider ${i} (generated bench service).` },
      policy_url: `https://provider-${i}.example/privacy`,
      hosts: [`cdn.provider-${i}.example`],
      cookies: [1, 2, 3, 4, 5].map((k) => ({ name: `s${i}_c${k}`, lifetime: k === 1 ? "1 month" : `${k} months`, party: 'first' })),
    });
  }
  return {
    revision: 1,
    consent_days: 182,
    policy_url: base.policy_url,
    languages: ['en'],
    texts: { en: base.texts.en },
    categories,
    services,
  };
}

/** `n` gated scripts, half external stand-ins, half inline, over `services`. */
export function scaleGated(n, services) {
  const list = [];
  for (let i = 0; i < n; i++) {
    const s = services[i % services.length];
    if (i % 2 === 0) list.push({ service: s.id, category: s.category, src: `/stand-ins/scale.js?n=${i}` });
    else list.push({ service: s.id, category: s.category, src: undefined, inlineOnly: true });
  }
  return list;
}

function scaleMarkup(list) {
  return list
    .map((g) =>
      g.inlineOnly
        ? `<script type="text/plain" data-category="${g.category}" data-service="${g.service}"${NONCE}>${INLINE_STUB}</script>`
        : `<script type="text/plain" data-category="${g.category}" data-service="${g.service}" data-src="${g.src}" async${NONCE}></script>`,
    )
    .join('\n');
}

/** A cookiegate storefront page with arbitrary gated scripts and catalogue. */
export function scalePage({ gated, catalogueUrl }) {
  const template = fs.readFileSync(path.join(BENCH_DIR, 'pages', 'storefront.html'), 'utf8');
  return template
    .replace('<!--BANNER-->', bannerHead('cookiegate', { catalogueUrl }))
    .replace('<!--GATED-->', scaleMarkup(gated));
}

/**
 * Writes the bench site into `dir`: pages, stand-ins, vanilla's files from
 * node_modules and its generated configuration. Returns what was written.
 */
export function writeSite(dir, catalogue, { languages = null } = {}) {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const d of ['stand-ins', 'vendor', 'vanilla', 'scale']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  for (const g of GATED) fs.writeFileSync(path.join(dir, 'stand-ins', g.file), STUB_JS);
  fs.writeFileSync(path.join(dir, 'stand-ins', 'scale.js'), STUB_JS);
  for (const f of ['cookieconsent.umd.js', 'cookieconsent.css']) {
    fs.copyFileSync(path.join(VANILLA_DIR, 'dist', f), path.join(dir, 'vendor', f));
  }
  const config = vanillaConfig(catalogue);
  // Keep the checked-in copy (benches/vanilla/config.js) in step with the catalogue.
  const checkedIn = path.join(BENCH_DIR, 'vanilla', 'config.js');
  if (!fs.existsSync(checkedIn) || fs.readFileSync(checkedIn, 'utf8') !== config) fs.writeFileSync(checkedIn, config);
  fs.writeFileSync(path.join(dir, 'vanilla', 'config.js'), config);
  for (const kind of ['cookiegate', 'hints', 'hints-catalogue', 'vanilla', 'none']) {
    fs.writeFileSync(path.join(dir, `${kind}.html`), storefrontPage(kind, { languages }));
  }
  return { config: checkedIn };
}
