// The staff page (/staff) in headless Chromium against the real server and the real
// meldpunt-keys. Items sealed to a stranger's key are posted anonymously; the inbox is
// downloaded through the page and imported on a fresh laptop, which sets them all
// aside; the import confirmation is uploaded through the page, which then says how
// many items the server deleted and how many of those the laptop had set aside, in
// Dutch and in English. The server holds nothing afterwards.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as age from 'age-encryption';
import {
  tempDir, keys, initKeys, writeServerConfig, startServer, launchBrowser, openPage,
} from './harness.mjs';

let dir, laptop, k, server, browser;

before(async () => {
  dir = tempDir();
  laptop = join(dir, 'laptop');
  k = initKeys(laptop);
  // The anonymous sender here posts without solving; tests/e2e/proof-of-work.test.mjs
  // and the server's tests cover the work.
  server = await startServer(writeServerConfig(dir, k, '[pow]\nenabled = false'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Posts, as an anonymous sender may, a well-formed age file sealed to a stranger's key. */
async function postForeign() {
  const stranger = await age.identityToRecipient(await age.generateIdentity());
  const e = new age.Encrypter();
  e.addRecipient(stranger);
  const body = await e.encrypt(randomBytes(900));
  const res = await fetch(`${server.url}/api/v1/meldingen`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/octet-stream',
      'Meldpunt-Organisatie': 'leiden',
      'Meldpunt-Lookup-Hash': randomBytes(32).toString('hex'),
    },
    body,
  });
  assert.equal(res.status, 201, await res.text());
}

async function exportedItems() {
  const res = await fetch(`${server.url}/api/v1/staff/export`, {
    headers: { Authorization: `Bearer ${k.staffToken}` },
  });
  assert.equal(res.status, 200);
  const tar = Buffer.from(await res.arrayBuffer());
  return (tar.toString('latin1').match(/[0-9a-f]{32}\.age/g) || []).length;
}

/** One round through the page: download, import on the laptop, upload the confirmation. */
async function round(lang, n) {
  const { page, problems } = await openPage(browser, `${server.url}/staff${lang === 'en' ? '?lang=en' : ''}`);
  const refused = [];
  page.on('response', (r) => {
    if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
  });
  await page.fill('#token', k.staffToken);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const inbox = join(dir, `inbox-${lang}.tar`);
  await download.saveAs(inbox);
  const confirmation = join(dir, `bevestiging-${lang}.json`);
  const out = keys(laptop, ['import', inbox, '--confirm', confirmation]);
  assert.match(out, /^0 nieuwe meldingen geïmporteerd, 0 al aanwezig overgeslagen\./);
  assert.ok(out.includes(`\n${n} apart gezet (`), out);
  await page.setInputFiles('#confirm-file', confirmation);
  await page.click('#upload-confirm');
  await page.waitForFunction(() => document.getElementById('result').classList.contains('ok'), null, {
    timeout: 20000,
  });
  const text = (await page.textContent('#result')).trim();
  // The staff page names no icon, so Chromium's own /favicon.ico request gets a 404
  // (it is not one of the page's requests, which `refused` sees); nothing else may fail.
  const favicon = 'console: Failed to load resource: the server responded with a status of 404 (Not Found)';
  assert.deepEqual(problems.filter((p) => p !== favicon), []);
  assert.ok(problems.filter((p) => p === favicon).length <= 1, problems.join('\n'));
  assert.deepEqual(refused, []);
  await page.context().close();
  return text;
}

test('the staff page reports the items the laptop set aside', async () => {
  await postForeign();
  await postForeign();
  assert.equal(await exportedItems(), 2);
  assert.equal(
    await round('nl', 2),
    'Bevestiging aanvaard: 2 items van de server verwijderd, 0 niet (meer) aanwezig. '
      + 'Daarvan waren er 2 op de laptop apart gezet (niet voor dit meldpunt, beschadigd of geen geldige melding); '
      + '`meldpunt-keys set-aside` toont ze.',
  );
  assert.equal(await exportedItems(), 0);

  await postForeign();
  assert.equal(
    await round('en', 1),
    'Confirmation accepted: 1 items deleted from the server, 0 not (or no longer) held. '
      + 'Of the deleted items, 1 were set aside on the laptop (not for this meldpunt, damaged or not a valid melding); '
      + '`meldpunt-keys set-aside` lists them.',
  );
  assert.equal(await exportedItems(), 0);
  assert.equal(keys(laptop, ['set-aside']).split('\n').filter((l) => /^[0-9a-f]{32} /.test(l)).length, 3);
});
