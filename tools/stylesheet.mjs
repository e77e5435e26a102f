#!/usr/bin/env node
// The UI's stylesheet, minified, put into the bootstrap: the bootstrap makes
// the one constructable sheet that the early banner, the module's UI and
// every placeholder adopt. The source (src/web/ui/ui.css) stays readable;
// the bootstrap's source holds an empty `var CSS = ''` where it goes.
//
//   node tools/stylesheet.mjs CSS BOOTSTRAP   fills BOOTSTRAP's `var CSS = ''` in place

import fs from 'node:fs';

const MARK = "var CSS = ''";

/**
 * Drops comments, folds white space, and removes the spaces around
 * `{ } ; ,` and the `;` before `}`. The sheet's strings hold no `/*` and no
 * run of spaces that matters.
 */
export function minifyCss(css) {
  const folded = css.replace(/\/\*[\s\S]*?(\*\/|$)/g, '').split(/\s+/).filter(Boolean).join(' ');
  return folded.replace(/ ?([{};,]) ?/g, '$1').replace(/;}/g, '}');
}

/** `bootstrap` with its one `var CSS = ''` holding `css`, minified. */
export function withStylesheet(bootstrap, css) {
  const at = bootstrap.indexOf(MARK);
  if (at < 0 || bootstrap.indexOf(MARK, at + 1) >= 0) {
    throw new Error(`the bootstrap must hold ${JSON.stringify(MARK)} exactly once`);
  }
  const sheet = minifyCss(css);
  if (!sheet.includes(':host')) throw new Error('the stylesheet has no :host rule; is it the UI sheet?');
  return bootstrap.slice(0, at) + 'var CSS = ' + JSON.stringify(sheet) + bootstrap.slice(at + MARK.length);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [css, bootstrap] = process.argv.slice(2);
  if (!css || !bootstrap) {
    console.error('usage: node tools/stylesheet.mjs CSS BOOTSTRAP');
    process.exit(2);
  }
  fs.writeFileSync(bootstrap, withStylesheet(fs.readFileSync(bootstrap, 'utf8'), fs.readFileSync(css, 'utf8')));
}
