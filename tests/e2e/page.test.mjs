// The reporter's page, complete, in headless Chromium against the real server and the
// real meldpunt-keys: every view in Dutch and English checked by axe-core (WCAG 2.1 AA)
// and photographed for docs/screenshots; a melding with a 20 MiB attachment that
// meldpunt-keys extracts byte for byte; the verified ontvangstbewijs; a follow-up with
// an attachment on the same case; cancelling while sealing; the form without
// JavaScript; a narrow phone screen and 200% zoom without sideways scrolling.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  ROOT, tempDir, keys, initKeys, writeServerConfig, startServer, launchBrowser, openPage,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// Screenshots go to a temporary folder on every run, and refresh the committed ones in
// docs/screenshots only when asked (UPDATE_SCREENSHOTS=1), so a test run never dirties the tree.
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1'
  ? join(ROOT, 'docs', 'screenshots')
  : join(tempDir('meldpunt-shots-'), 'screenshots');

let dir, k, server, browser;

before(async () => {
  dir = tempDir();
  k = initKeys(join(dir, 'laptop'));
  server = await startServer(writeServerConfig(dir, k));
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** axe-core on the page as it is now: WCAG 2.0/2.1 A and AA rules; returns the violations. */
async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

async function noViolations(page, what) {
  assert.deepEqual(await axe(page), [], `axe-core on ${what}`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function staffExport(name) {
  const res = await fetch(`${server.url}/api/v1/staff/export`, { headers: { Authorization: `Bearer ${k.staffToken}` } });
  assert.equal(res.status, 200, await res.clone().text());
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await res.arrayBuffer()));
  return path;
}

const laptop = () => join(dir, 'laptop');

/** The case number `list` shows for the only case of `org` made in this run. */
function caseOf(org) {
  const line = keys(laptop(), ['list']).split('\n').find((l) => l.toLowerCase().includes(org));
  const no = line?.match(/\b(\d{4}-\d{4})\b/)?.[1];
  assert.ok(no, `no case for ${org} in the list`);
  return no;
}

async function waitStatus(page, re) {
  await page.waitForFunction(
    (src) => {
      const s = document.getElementById('status');
      return !s.hidden && new RegExp(src).test(s.textContent);
    },
    re.source,
    { timeout: 120000 },
  );
}

test('every view in Dutch and English passes axe-core, and is photographed', async () => {
  for (const lang of ['nl', 'en']) {
    const { page, context, problems } = await openPage(browser, `${server.url}/?lang=${lang}`);
    await page.locator('#view-melding').waitFor({ state: 'visible' });
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.match(await page.textContent('#titel-melding'), lang === 'nl' ? /Melding maken/ : /Make a report/);
    assert.match(await page.textContent('#soort'), lang === 'nl' ? /Fraude/ : /Fraud/);
    await noViolations(page, `the melding form (${lang})`);
    await shot(page, `melding-${lang}`);

    // Errors are tied to their fields and announced.
    await page.click('#verstuur');
    await waitStatus(page, /./);
    assert.equal(await page.getAttribute('#organisatie', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#tekst', 'aria-describedby'), /tekst-fout/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'organisatie');
    await noViolations(page, `the form with errors (${lang})`);
    await shot(page, `melding-fouten-${lang}`);

    // The contact details open behind their warning.
    await page.click('.contact-blok summary');
    assert.ok(await page.locator('#contact-waarschuwing').isVisible());
    await noViolations(page, `the contact details (${lang})`);

    await page.click('#nav-reactie');
    await page.locator('#view-reactie').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#view-reactie'), /7/);
    await noViolations(page, `the reply view (${lang})`);
    await shot(page, `reactie-${lang}`);

    // The code hash: the files loaded match the manifest, and the hash shown is that of
    // pkg/keys.json, which names the manifest's hash and the keys.
    await page.locator('#code-blok').waitFor({ state: 'visible', timeout: 20000 });
    const manifest = readFileSync(join(ROOT, 'client-wasm/www/pkg/manifest.json'));
    const pinned = Buffer.from(await (await fetch(`${server.url}/pkg/keys.json`)).arrayBuffer());
    assert.equal(JSON.parse(pinned).page, createHash('sha256').update(manifest).digest('hex'));
    assert.equal(await page.textContent('#code-hash'), createHash('sha256').update(pinned).digest('hex'));
    assert.equal(await page.getAttribute('#code-controle', 'data-i18n'), 'code_ok');
    assert.deepEqual(problems, []);
    await context.close();
  }

  // The switch works in place, without a cookie, and keeps what was typed.
  const { page, context } = await openPage(browser, server.url);
  await page.locator('#view-melding').waitFor({ state: 'visible' });
  await page.fill('#tekst', 'blijft staan');
  await page.click('#taal-wissel');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(page.url(), /lang=en/);
  assert.equal(await page.inputValue('#tekst'), 'blijft staan');
  assert.deepEqual(await context.cookies(), []);
  await context.close();
});

test('a narrow phone screen and 200% zoom need no sideways scrolling', async () => {
  for (const [w, h, zoom] of [[320, 640, 1], [640, 800, 2]]) {
    const context = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: zoom });
    const page = await context.newPage();
    // 200% zoom: a 1280 px wide window at 2x is a 640 CSS px viewport.
    await page.goto(server.url);
    await page.locator('#view-melding').waitFor({ state: 'visible' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${w}px at ${zoom}x scrolls sideways by ${overflow}px`);
    if (w === 320) await shot(page, 'melding-telefoon');
    await context.close();
  }
});

test('a melding with a 20 MiB attachment: progress, token ceremony, receipt, and meldpunt-keys extracts it', async () => {
  const file = join(dir, 'bewijs.bin');
  const bytes = randomBytes(20 * 1024 * 1024);
  writeFileSync(file, bytes);
  const { page, context, problems } = await openPage(browser, server.url);
  await page.locator('#view-melding').waitFor({ state: 'visible' });
  await page.selectOption('#organisatie', 'leiden');
  await page.selectOption('#soort', 'fraude-corruptie');
  await page.fill('#tekst', 'De offerte in de bijlage is achteraf aangepast.');
  await page.setInputFiles('#bijlagen', file);
  assert.match(await page.textContent('#bijlagen-lijst'), /bewijs\.bin/);
  await page.click('#verstuur');
  await page.locator('#voortgang').waitFor({ state: 'visible' });
  await page.locator('#view-token').waitFor({ state: 'visible', timeout: 120000 });
  const token = (await page.locator('#token').textContent()).trim();
  assert.match(token, /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);

  // The ontvangstbewijs was verified in WASM, and downloads.
  assert.equal(await page.locator('#bewijs-download').isVisible(), true, await page.textContent('#bewijs-blok'));
  const [receiptDl] = await Promise.all([page.waitForEvent('download'), page.click('#bewijs-download')]);
  // A text file its holder can read, with the signed data between two marker lines.
  assert.match(receiptDl.suggestedFilename(), /^ontvangstbewijs-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.txt$/);
  const receiptText = readFileSync(await receiptDl.path(), 'utf8');
  assert.match(receiptText, /^Ontvangstbewijs van /);
  assert.match(receiptText, /Organisatie: Gemeente Leiden/);
  const signed = receiptText.split('-----BEGIN MELDPUNT ONTVANGSTBEWIJS-----\n')[1].split('\n-----END MELDPUNT ONTVANGSTBEWIJS-----')[0];
  const receipt = JSON.parse(signed);
  assert.equal(receipt.ontvangstbewijs.organisatie, 'leiden');
  assert.match(receiptText, new RegExp(`Ontvangen op: ${receipt.ontvangstbewijs.received}`));
  const cfg = await (await fetch(`${server.url}/api/v1/config`)).json();
  assert.equal(receipt.server_key, cfg.receipt_key);

  // The token downloads as a text file; the page will not let go before it is saved.
  const [tokenDl] = await Promise.all([page.waitForEvent('download'), page.click('#token-download')]);
  assert.ok(readFileSync(await tokenDl.path(), 'utf8').includes(token));
  assert.equal(await page.isDisabled('#token-klaar'), true);
  await noViolations(page, 'the token view');
  await shot(page, 'token-nl');
  await page.check('#token-bewaard');
  await page.click('#token-klaar');
  await page.locator('#view-melding').waitFor({ state: 'visible' });
  assert.deepEqual(problems, []);
  await context.close();

  // The laptop: import the bundle, extract the attachment, compare.
  keys(laptop(), ['import', await staffExport('inbox-1.tar')]);
  const no = caseOf('leiden');
  const out = join(dir, 'bijlagen');
  keys(laptop(), ['extract', no, '--to', out]);
  const files = readdirSync(out);
  assert.equal(files.length, 1, files.join());
  const got = readFileSync(join(out, files[0]));
  assert.equal(got.length, bytes.length);
  assert.ok(got.equals(bytes), 'the extracted attachment differs');
  writeFileSync(join(dir, 'token-leiden.txt'), token);
});

test('a follow-up with an attachment reaches the same case', async () => {
  const token = readFileSync(join(dir, 'token-leiden.txt'), 'utf8');
  const { page, context, problems } = await openPage(browser, `${server.url}/?lang=en`);
  await page.click('#nav-reactie');
  await page.fill('#token-invoer', token);
  await page.click('#bekijk');
  await page.locator('#vervolg-form').waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await page.textContent('#vervolg-naar'), /Gemeente Leiden/);
  await page.fill('#vervolg-tekst', 'Addition: the invoice was paid twice.');
  await page.setInputFiles('#vervolg-bijlagen', { name: 'factuur.txt', mimeType: 'text/plain', buffer: Buffer.from('factuur 2026-17 twee keer betaald') });
  await noViolations(page, 'the follow-up form (en)');
  await shot(page, 'vervolg-en');
  await page.click('#vervolg-verstuur');
  await waitStatus(page, /has been sent and added/);
  assert.deepEqual(problems, []);
  await context.close();

  keys(laptop(), ['import', await staffExport('inbox-2.tar')]);
  const no = caseOf('leiden');
  const shown = keys(laptop(), ['show', no]);
  assert.ok(shown.includes('the invoice was paid twice'), shown);
  const out = join(dir, 'bijlagen-2');
  keys(laptop(), ['extract', no, '--to', out]);
  const texts = readdirSync(out).map((f) => readFileSync(join(out, f)).toString('latin1'));
  assert.ok(texts.some((t) => t === 'factuur 2026-17 twee keer betaald'), readdirSync(out).join());
});

test('cancelling while sealing sends nothing and keeps the form', async () => {
  const file = join(dir, 'groot.bin');
  writeFileSync(file, randomBytes(60 * 1024 * 1024));
  const { page, context } = await openPage(browser, server.url);
  let posted = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST') posted++;
  });
  await page.selectOption('#organisatie', 'zoeterwoude');
  await page.selectOption('#soort', 'overig');
  await page.fill('#tekst', 'Wordt geannuleerd.');
  await page.setInputFiles('#bijlagen', file);
  await page.click('#verstuur');
  await page.waitForFunction(() => Number(document.getElementById('voortgang-versleutelen').value) > 0, null, { timeout: 60000 });
  await page.click('#annuleer');
  await waitStatus(page, /geannuleerd/);
  assert.equal(posted, 0);
  assert.equal(await page.inputValue('#tekst'), 'Wordt geannuleerd.');
  assert.equal(await page.locator('#voortgang').isVisible(), false);
  await context.close();
});

test('without JavaScript: the page links the server form, which files a melding meldpunt-keys opens', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url);
  assert.ok(await page.locator('noscript').count());
  await shot(page, 'zonder-js-pagina');
  await page.click('a[href="/zonder-js"]');
  await page.waitForURL(/\/zonder-js/);
  await page.selectOption('#organisatie', 'oegstgeest');
  await page.selectOption('#soort', 'belangenverstrengeling');
  const text = `Zonder JavaScript gemeld: nevenfunctie niet opgegeven ${randomBytes(4).toString('hex')}`;
  await page.fill('#text', text);
  await shot(page, 'zonder-js-formulier');
  await page.click('form[action="/zonder-js/melding"] [type="submit"]');
  const token = (await page.locator('p.token').textContent({ timeout: 20000 })).trim();
  assert.match(token, /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
  await context.close();

  keys(laptop(), ['import', await staffExport('inbox-3.tar')]);
  const shown = keys(laptop(), ['show', caseOf('oegstgeest')]);
  assert.ok(shown.includes(text), shown);

  // The same token works in the JavaScript page.
  const js = await openPage(browser, server.url);
  await js.page.click('#nav-reactie');
  await js.page.fill('#token-invoer', token);
  await js.page.click('#bekijk');
  await waitStatus(js.page, /nog geen reactie/);
  await js.context.close();
});
