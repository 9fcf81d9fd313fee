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
  for (const [name, text] of [['index.html', html], ['app.js', js], ['style.css', css]]) {
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
