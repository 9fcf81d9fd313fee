// Three behaviours of the reporter's page against the real server in headless Chromium:
// cancelling while the sealed melding is being uploaded (the XMLHttpRequest is aborted
// and the server keeps nothing of it), and printing the token (the page calls
// window.print, and the print stylesheet leaves the token and its explanation, not the
// page's controls, navigation or receipt), and sending before the WebAssembly module
// (loaded on the first interaction) has arrived: the page says it is still loading,
// then sends.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  tempDir, initKeys, writeServerConfig, startServer, launchBrowser, openPage, waitUntil,
  CONNECTION_TRACE,
} from './harness.mjs';

let dir, k, server, browser;

before(async () => {
  dir = tempDir();
  k = initKeys(join(dir, 'laptop'));
  server = await startServer(writeServerConfig(dir, k), { log: CONNECTION_TRACE });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The names in the staff's inbox bundle (manifest.json plus one .age per item). */
async function inbox() {
  const res = await fetch(`${server.url}/api/v1/staff/export`, { headers: { Authorization: `Bearer ${k.staffToken}` } });
  assert.equal(res.status, 200, await res.clone().text());
  const path = join(dir, `inbox-${randomBytes(4).toString('hex')}.tar`);
  writeFileSync(path, Buffer.from(await res.arrayBuffer()));
  return execFileSync('tar', ['tf', path], { encoding: 'utf8' }).trim().split('\n');
}

test('cancelling during the upload aborts it, and the server stores nothing', async () => {
  const file = join(dir, 'upload.bin');
  writeFileSync(file, randomBytes(8 * 1024 * 1024));
  const { page, context } = await openPage(browser, server.url);
  // A slow uplink (256 KiB/s), so the upload is surely under way when cancel is pressed.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 256 * 1024,
  });
  let posted = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/meldingen')) posted++;
  });
  let finished = 0;
  page.on('requestfinished', (r) => {
    if (r.method() === 'POST') finished++;
  });
  await page.selectOption('#organisatie', 'leiden');
  await page.selectOption('#soort', 'overig');
  await page.fill('#tekst', 'Wordt tijdens het versturen geannuleerd.');
  await page.setInputFiles('#bijlagen', file);
  await page.click('#verstuur');
  await page.waitForFunction(() => Number(document.getElementById('voortgang-versturen').value) > 0, null, { timeout: 60000 });
  assert.equal(posted, 1, 'the upload had not started');
  // The aborted request is reported to the test some time after the page saw it.
  const aborted = page.waitForEvent('requestfailed', { predicate: (r) => r.url().endsWith('/api/v1/meldingen'), timeout: 20000 });
  await page.click('#annuleer');
  await page.waitForFunction(() => /geannuleerd/.test(document.getElementById('status').textContent), null, { timeout: 20000 });
  await aborted;
  assert.equal(finished, 0, 'the upload completed');
  assert.equal(await page.inputValue('#tekst'), 'Wordt tijdens het versturen geannuleerd.');
  assert.equal(await page.locator('#voortgang').isVisible(), false);
  assert.equal(await page.locator('#view-token').isVisible(), false);
  await context.close();

  // Once the server has closed every connection of the closed browser (so it is done
  // with the cancelled request): nothing in the inbox.
  await waitUntil('the server to close the cancelled upload\'s connection', () => server.openConnections() === 0);
  assert.deepEqual(await inbox(), ['manifest.json'], 'the server stored part of a cancelled melding');
});

test('printing the token calls window.print, and the printout shows the token without the controls', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await page.selectOption('#organisatie', 'oegstgeest');
  await page.selectOption('#soort', 'pesten');
  await page.fill('#tekst', 'Het token van deze melding wordt afgedrukt.');
  await page.click('#verstuur');
  await page.locator('#view-token').waitFor({ state: 'visible', timeout: 20000 });
  const token = (await page.locator('#token').textContent()).trim();
  await page.locator('#bewijs-blok').waitFor({ state: 'visible', timeout: 20000 });

  // A headless browser has no print dialog: count the calls instead.
  await page.evaluate(() => {
    window.printed = 0;
    window.print = () => { window.printed += 1; };
  });
  await page.click('#token-print');
  assert.equal(await page.evaluate(() => window.printed), 1);

  await page.emulateMedia({ media: 'print' });
  assert.ok(await page.locator('#token').isVisible(), 'the token is not printed');
  assert.ok(await page.locator('#titel-token').isVisible());
  for (const hidden of ['#token-kopieer', '#token-download', '#token-print', '#token-bewaard', '#token-klaar', '#bewijs-blok', '#nav-reactie', '.kop', '.voet', '#status']) {
    const visible = await page.locator(hidden).first().isVisible().catch(() => false);
    assert.equal(visible, false, `${hidden} is printed`);
  }
  // No button, field or link of the page is on paper; the token is.
  const printed = await page.evaluate(() => ({
    text: document.body.innerText,
    controls: [...document.querySelectorAll('button, input, select, textarea, a')]
      .filter((el) => el.checkVisibility())
      .map((el) => el.id || el.textContent.trim()),
  }));
  assert.deepEqual(printed.controls, []);
  assert.ok(printed.text.includes(token));
  await page.emulateMedia({ media: 'screen' });
  assert.ok(await page.locator('#token-klaar').isVisible());
  assert.deepEqual(problems, []);
  await context.close();
});

test('sending before the WebAssembly module has arrived says so, waits, and sends', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  // A slow network for the module only: it arrives 2 s after it is asked for.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/meldpunt_client_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.selectOption('#organisatie', 'leiden');
  await page.selectOption('#soort', 'overig');
  await page.fill('#tekst', 'Verstuurd voordat de versleuteling er was.');
  await page.click('#verstuur');
  await page.waitForFunction(() => /nog geladen/.test(document.getElementById('status').textContent), null, { timeout: 10000 });
  assert.equal(await page.isDisabled('#verstuur'), true);
  assert.equal(await page.locator('#view-token').isVisible(), false);
  release();
  await page.locator('#view-token').waitFor({ state: 'visible', timeout: 20000 });
  assert.match((await page.locator('#token').textContent()).trim(), /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
  assert.deepEqual(problems, []);
  await context.close();
});
