// The limit as stated, in the page: headless Chromium against the real server with
// max_submission_bytes = 2 MiB − 4 (a limit that ends a padding class, so the server's
// check by size class is exact too). A file of exactly the limit is sealed, sent and
// extracted by meldpunt-keys byte for byte; one byte more is refused in the page, in
// Dutch, with the limit as people read it, and nothing is sent. And the bestuurder
// choice where the organisation has no separate recipients says who reads it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  tempDir, keys, initKeys, writeServerConfig, startServer, launchBrowser, openPage,
} from './harness.mjs';

const MAX = 2 * 1024 * 1024 - 4;
let dir, k, server, browser;

before(async () => {
  dir = tempDir();
  k = initKeys(join(dir, 'laptop'));
  server = await startServer(writeServerConfig(dir, k, `max_submission_bytes = ${MAX}`));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function fillMelding(page, file) {
  await page.selectOption('#organisatie', 'leiden');
  await page.selectOption('#soort', 'overig');
  await page.fill('#tekst', 'Met een bijlage van precies de grens.');
  await page.setInputFiles('#bijlagen', file);
}

test('a file of exactly the limit is accepted by the page and the server; one byte more is refused in the page', async () => {
  const over = join(dir, 'een-byte-te-veel.bin');
  writeFileSync(over, randomBytes(MAX + 1));
  const exact = join(dir, 'precies.bin');
  const bytes = randomBytes(MAX);
  writeFileSync(exact, bytes);

  const { page, context, problems } = await openPage(browser, server.url);
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/api/v1/meldingen')) posts.push(r.url());
  });
  await fillMelding(page, over);
  await page.click('#verstuur');
  await page.locator('#bijlagen-fout').waitFor({ state: 'visible', timeout: 20000 });
  const msg = await page.textContent('#bijlagen-fout');
  assert.match(msg, /te groot/);
  assert.match(msg, /2,1 MB/, 'the limit as people read it (decimal MB, Dutch comma)');
  assert.equal(posts.length, 0, 'nothing was sent');

  // Exactly the limit: no error, sealed, sent, a token.
  await page.reload();
  await fillMelding(page, exact);
  await page.click('#verstuur');
  await page.locator('#view-token').waitFor({ state: 'visible', timeout: 120000 });
  assert.equal(posts.length, 1);
  assert.deepEqual(problems, []);
  await context.close();

  const res = await fetch(`${server.url}/api/v1/staff/export`, { headers: { Authorization: `Bearer ${k.staffToken}` } });
  assert.equal(res.status, 200);
  const inbox = join(dir, 'inbox.tar');
  writeFileSync(inbox, Buffer.from(await res.arrayBuffer()));
  const laptop = join(dir, 'laptop');
  keys(laptop, ['import', inbox]);
  const no = keys(laptop, ['list']).match(/\b(\d{4}-\d{4})\b/)?.[1];
  assert.ok(no);
  const out = join(dir, 'bijlagen');
  keys(laptop, ['extract', no, '--to', out]);
  const files = readdirSync(out);
  assert.equal(files.length, 1, files.join());
  const got = readFileSync(join(out, files[0]));
  assert.equal(got.length, MAX);
  assert.ok(got.equals(bytes), 'the extracted file differs');
});

test('choosing a bestuurder where the organisation has no separate recipients says who reads the melding', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await page.selectOption('#organisatie', 'oegstgeest');
  await page.selectOption('#over-wie', 'bestuurder');
  await page.locator('#bestuurder-melding').waitFor({ state: 'visible', timeout: 20000 });
  const text = await page.textContent('#bestuurder-melding');
  assert.match(text, /Gemeente Oegstgeest heeft geen aparte ontvangers/);
  assert.match(text, /gewone ontvangers van het meldpunt/);
  await page.selectOption('#over-wie', 'medewerker');
  await page.locator('#bestuurder-melding').waitFor({ state: 'hidden', timeout: 20000 });
  assert.deepEqual(problems, []);
  await context.close();
});
