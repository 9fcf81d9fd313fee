// Static checks of the reporter's page (client-wasm/www) that need no browser: it must
// run under the strict Content-Security-Policy (no inline script or style, nothing
// from elsewhere), keep the element ids the end-to-end test relies on, and never put
// text it received into the page as HTML.
//
// Run from the repository root:  node --test tests/wasm/

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const www = new URL('../../client-wasm/www/', import.meta.url);
const html = await readFile(new URL('index.html', www), 'utf8');
const js = await readFile(new URL('app.js', www), 'utf8');
const css = await readFile(new URL('style.css', www), 'utf8');
const i18nSource = await readFile(new URL('i18n.js', www), 'utf8');
const { STRINGS } = await import(new URL('i18n.js', www));

test('no inline script, style or event handler', () => {
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    assert.match(tag, /\bsrc="[^"]+"/, `inline script: ${tag}`);
  }
  assert.doesNotMatch(html, /<script\b[^>]*>[^<\s]/i, 'a script element with content');
  assert.doesNotMatch(html, /<style\b/i);
  assert.doesNotMatch(html, /\sstyle\s*=/i);
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
  assert.doesNotMatch(html, /javascript:/i);
  assert.doesNotMatch(js, /setAttribute\(\s*['"](style|on[a-z]+)['"]/);
});

test('nothing is loaded from another origin', () => {
  for (const [name, text] of [['index.html', html], ['app.js', js], ['style.css', css], ['i18n.js', i18nSource]]) {
    assert.doesNotMatch(text, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i, name);
    assert.doesNotMatch(text, /url\(\s*["']?(https?:)?\/\//i, name);
    assert.doesNotMatch(text, /@import/i, name);
    assert.doesNotMatch(text, /fetch\(\s*['"`]https?:/i, name);
  }
});

test('received text never becomes HTML', () => {
  assert.doesNotMatch(js, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/);
  assert.doesNotMatch(js, /\beval\(|new Function\(/);
});

test('the ids the end-to-end test uses are there, once each', () => {
  const ids = [
    'melding-form', 'organisatie', 'soort', 'tekst', 'verstuur', 'token', 'token-bewaard',
    'status', 'nav-reactie', 'nav-melding', 'token-invoer', 'bekijk', 'reacties', 'reactie-fout',
    'bijlagen', 'annuleer', 'voortgang-versleutelen', 'voortgang-versturen', 'token-download',
    'token-print', 'bewijs-download', 'vervolg-form', 'vervolg-tekst', 'vervolg-bijlagen',
    'vervolg-naar', 'vervolg-verstuur', 'taal-wissel', 'code-hash', 'contact',
  ];
  for (const id of ids) {
    const n = html.split(`id="${id}"`).length - 1;
    assert.equal(n, 1, `#${id} appears ${n} times`);
  }
  assert.match(html, /<form id="melding-form"/);
  assert.match(html, /<select id="organisatie"/);
  assert.match(html, /<select id="soort"/);
  assert.match(html, /<textarea id="tekst"/);
  assert.match(html, /<input type="checkbox" id="token-bewaard"/);
  assert.match(html, /<div id="reactie-fout"[^>]*role="alert"[^>]*hidden/);
  assert.match(html, /<html lang="nl">/);
  assert.match(html, /<noscript>/);
});

test('Dutch and English have the same keys, and every key the page uses', () => {
  const nl = Object.keys(STRINGS.nl).sort();
  const en = Object.keys(STRINGS.en).sort();
  assert.deepEqual(en, nl);
  for (const lang of ['nl', 'en']) {
    for (const [k, v] of Object.entries(STRINGS[lang])) assert.ok(v.trim(), `${lang}.${k} is empty`);
  }
  const used = new Set([
    ...[...html.matchAll(/data-i18n(?:-label)?="([a-z0-9_]+)"/g)].map((m) => m[1]),
    ...[...js.matchAll(/\bt\('([a-z0-9_]+)'/g)].map((m) => m[1]),
  ]);
  assert.ok(used.size > 60, `only ${used.size} keys found`);
  for (const k of used) assert.ok(k in STRINGS.nl, `the page uses ${k}, which has no text`);
  // Every Dutch text in index.html is the nl text of its key (one source for the words).
  for (const m of html.matchAll(/data-i18n="([a-z0-9_]+)"[^>]*>([^<]+)</g)) {
    const shown = m[2].replace(/\s+/g, ' ').replace('&hellip;', '…').replace(/&lsquo;/g, '‘').replace(/&rsquo;/g, '’');
    assert.equal(shown, STRINGS.nl[m[1]], `index.html text of ${m[1]}`);
  }
});

test('no cookies or storage, and the language lives in the address', () => {
  for (const text of [js, i18nSource]) {
    assert.doesNotMatch(text, /document\.cookie|localStorage|sessionStorage|indexedDB/);
  }
  assert.match(html, /<a id="taal-wissel" href="\?lang=en"/);
});

test('without JavaScript the page links the server form and says what it trades', () => {
  const noscript = html.match(/<noscript>([\s\S]*?)<\/noscript>/)[1];
  assert.match(noscript, /href="\/zonder-js"/);
  assert.match(noscript, /href="\/zonder-js\?lang=en"/);
  assert.match(noscript, /versleutelt de server haar in zijn geheugen/);
  assert.match(noscript, /the server encrypts it in its memory/);
});
