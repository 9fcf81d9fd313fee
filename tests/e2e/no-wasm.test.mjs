// The page where WebAssembly is off, as in Tor Browser at "Safer": Debian's Chromium
// with `--js-flags=--jitless` (no JIT, so no WebAssembly object at all) against the real
// server and the real meldpunt-keys. The page loads the JavaScript build of the client
// (pkg/js/, the same Rust through wasm2js) at once and seals in the browser: a melding
// with an attachment that meldpunt-keys imports and extracts byte for byte, a signed
// reply read with the token, and a follow-up on the same case. Where neither build
// runs, the page says so on load, with a link to the form without JavaScript. With
// WebAssembly on, the JavaScript build is never fetched.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  tempDir, keys, initKeys, writeServerConfig, startServer, launchBrowser, waitStatus, staffExport, caseOf,
  answerCase,
} from './harness.mjs';

const MELDING_TEXT = 'De bouwvergunning voor de loods werd afgegeven zonder de verplichte toets.';
const VERVOLG_TEXT = 'Aanvulling: de aanvraag kwam binnen na de sluitingsdatum.';
const REPLY_TEXT = 'Dank voor uw melding. Kunt u zeggen wanneer de vergunning werd afgegeven?';
// Sealing, the receipt check and the proof of work all run interpreted here.
const SLOW = 240000;

let dir, k, server, jitless, normal;

before(async () => {
  dir = tempDir();
  k = initKeys(join(dir, 'laptop'));
  // Argon2id runs interpreted without JIT (about a second an evaluation, see
  // docs/PERFORMANCE.md): a low effort keeps the proof of work in the path, not the hour.
  server = await startServer(writeServerConfig(dir, k, '[pow]\nmin_effort = 2\nmax_effort = 4\n'));
  jitless = await launchBrowser(['--js-flags=--jitless']);
  normal = await launchBrowser();
});

after(async () => {
  await jitless?.close();
  await normal?.close();
  await server?.stop();
});

const laptop = () => join(dir, 'laptop');

/** Records the page's requests for the client's builds. */
function watchBuilds(page) {
  const seen = { wasm: 0, js: 0 };
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path === '/pkg/meldpunt_client_bg.wasm') seen.wasm++;
    if (path.startsWith('/pkg/js/')) seen.js++;
  });
  return seen;
}

test('without WebAssembly: a melding with an attachment, the reply and a follow-up, sealed by the JavaScript build', async () => {
  const context = await jitless.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const seen = watchBuilds(page);
  await page.goto(server.url);
  assert.equal(await page.evaluate(() => typeof WebAssembly), 'undefined', 'this Chromium still has WebAssembly');

  // The JavaScript build loads on its own, before any click, and the page says what it means.
  await page.locator('#js-versie').waitFor({ state: 'visible', timeout: SLOW });
  assert.match(await page.textContent('#js-versie'), /WebAssembly staat uit/);
  assert.ok(seen.js >= 3, `the JavaScript build was not fetched (${JSON.stringify(seen)})`);
  // The code hash covers the JavaScript build too: the files this browser ran match.
  await page.locator('#code-blok').waitFor({ state: 'visible', timeout: SLOW });
  assert.equal(await page.getAttribute('#code-controle', 'data-i18n'), 'code_ok');

  const attachment = randomBytes(300 * 1024);
  await page.selectOption('#organisatie', 'leiderdorp');
  await page.selectOption('#soort', 'misbruik-bevoegdheden');
  await page.fill('#tekst', MELDING_TEXT);
  await page.setInputFiles('#bijlagen', { name: 'vergunning.pdf', mimeType: 'application/pdf', buffer: attachment });
  await page.click('#verstuur');
  await page.locator('#view-token').waitFor({ state: 'visible', timeout: SLOW });
  const token = (await page.locator('#token').textContent()).trim();
  assert.match(token, /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
  // The ontvangstbewijs was verified by the JavaScript build.
  assert.equal(await page.locator('#bewijs-download').isVisible(), true, await page.textContent('#bewijs-blok'));
  await page.check('#token-bewaard');
  await page.click('#token-klaar');

  // The laptop opens what the JavaScript build sealed: the text and the attachment, byte for byte.
  keys(laptop(), ['import', await staffExport(server, k.staffToken, dir, 'inbox-1.tar')]);
  const no = caseOf(laptop(), 'leiderdorp');
  const shown = keys(laptop(), ['show', no]);
  assert.ok(shown.includes(MELDING_TEXT), shown);
  const out = join(dir, 'bijlagen');
  keys(laptop(), ['extract', no, '--to', out]);
  const files = readdirSync(out);
  assert.equal(files.length, 1, files.join());
  assert.ok(readFileSync(join(out, files[0])).equals(attachment), 'the extracted attachment differs');

  // The coördinator answers; the signed reply goes back online.
  assert.equal((await answerCase(server, k.staffToken, dir, no, REPLY_TEXT)).imported, 1);

  // The reporter reads it with the token (signature checked and opened in JavaScript) ...
  await page.click('#nav-reactie');
  await page.fill('#token-invoer', token);
  await page.click('#bekijk');
  const reply = page.locator('#reacties .reactie');
  await reply.first().waitFor({ timeout: SLOW });
  assert.ok((await reply.first().textContent()).includes(REPLY_TEXT));

  // ... and answers on the same case.
  await page.locator('#vervolg-form').waitFor({ state: 'visible', timeout: SLOW });
  await page.fill('#vervolg-tekst', VERVOLG_TEXT);
  await page.click('#vervolg-verstuur');
  await waitStatus(page, /verstuurd en bij uw melding gevoegd/, SLOW);
  assert.deepEqual(problems, []);
  assert.equal(seen.wasm, 0, 'a browser without WebAssembly fetched the WebAssembly module');
  await context.close();

  keys(laptop(), ['import', await staffExport(server, k.staffToken, dir, 'inbox-2.tar')]);
  assert.equal(caseOf(laptop(), 'leiderdorp'), no);
  assert.ok(keys(laptop(), ['show', no]).includes(VERVOLG_TEXT), 'the follow-up is not on the case');
});

test('where neither build runs, the page says so on load, with a link to the form without JavaScript', async () => {
  for (const [query, href, words] of [['', '/zonder-js', /versleuteling niet uitvoeren/], ['?lang=en', '/zonder-js?lang=en', /cannot run the encryption/]]) {
    const context = await jitless.newContext();
    const page = await context.newPage();
    // The JavaScript build does not arrive (blocked, say, or too old a browser to run it).
    await page.route('**/pkg/js/**', (route) => route.abort());
    await page.goto(`${server.url}/${query}`);
    // No click: the message is there at once, with a real link, and nothing says "loading".
    const link = page.locator(`#status a[href="${href}"]`);
    await link.waitFor({ state: 'visible', timeout: 20000 });
    assert.match(await page.textContent('#status'), words);
    assert.equal(await page.getAttribute('#status', 'role'), 'alert');
    assert.equal(await page.locator('#laden').isVisible(), false);

    // Sending repeats the message, never "still loading".
    await page.selectOption('#organisatie', 'leiden');
    await page.selectOption('#soort', 'overig');
    await page.fill('#tekst', 'Iets.');
    await page.click('#verstuur');
    await link.waitFor({ state: 'visible', timeout: 20000 });
    assert.doesNotMatch(await page.textContent('#status'), /nog geladen|still loading/);

    await link.click();
    await page.waitForURL((u) => u.pathname === '/zonder-js');
    assert.equal(await page.locator('form[action^="/zonder-js/melding"]').count(), 1);
    await context.close();
  }
});

test('with WebAssembly on, the JavaScript build is never fetched', async () => {
  const context = await normal.newContext();
  const page = await context.newPage();
  const seen = watchBuilds(page);
  await page.goto(server.url);
  await page.locator('#view-melding').waitFor({ state: 'visible' });
  await page.focus('#tekst');
  await page.locator('#code-blok').waitFor({ state: 'visible', timeout: 20000 });
  assert.equal(await page.getAttribute('#code-controle', 'data-i18n'), 'code_ok');
  assert.equal(await page.locator('#js-versie').isVisible(), false);
  assert.ok(seen.wasm >= 1, 'the WebAssembly module was not fetched');
  assert.equal(seen.js, 0, 'the JavaScript build was fetched although WebAssembly runs');
  await context.close();
});
