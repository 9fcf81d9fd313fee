// The whole path, end to end, with real parts only: a melding filed through the page in
// headless Chromium, exported by the real server, opened with the real meldpunt-keys,
// answered, the signed reply imported back, and read in the page with the token. A reply
// changed on the way is refused by the page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  tempDir, keys, initKeys, writeServerConfig, startServer, launchBrowser, openPage, tamperReplies,
} from './harness.mjs';

const CANARY = `kanarie-${Math.random().toString(36).slice(2)}-wethouder`;
const MELDING_TEXT = `De aanbesteding van het zwembad ging naar de zwager van de wethouder. ${CANARY}`;
const REPLY_TEXT = 'Wij hebben uw melding ontvangen. Binnen drie maanden hoort u van ons.';

let dir, k, server, browser;

before(async () => {
  dir = tempDir();
  k = initKeys(join(dir, 'laptop'));
  server = await startServer(writeServerConfig(dir, k));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function staffExport() {
  const res = await fetch(`${server.url}/api/v1/staff/export`, {
    headers: { Authorization: `Bearer ${k.staffToken}` },
  });
  assert.equal(res.status, 200, await res.clone().text());
  assert.match(res.headers.get('content-type'), /application\/x-tar/);
  return Buffer.from(await res.arrayBuffer());
}

test('a melding goes from the page to the laptop and a signed reply comes back', async () => {
  const { page, context, problems } = await openPage(browser, server.url);

  // File the melding as a reporter would.
  await page.selectOption('#organisatie', 'leiderdorp');
  await page.selectOption('#soort', 'fraude-corruptie');
  await page.fill('#tekst', MELDING_TEXT);
  await page.click('#verstuur');
  const tokenEl = page.locator('#token');
  await tokenEl.waitFor({ state: 'visible', timeout: 20000 });
  const token = (await tokenEl.textContent()).trim();
  assert.match(token, /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
  await page.check('#token-bewaard');

  // The online step: the staff fetch the inbox bundle.
  const inbox = staffExport();
  const bundlePath = join(dir, 'inbox.tar');
  writeFileSync(bundlePath, await inbox);
  const listing = execFileSync('tar', ['tf', bundlePath], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(listing[0], 'manifest.json');
  assert.equal(listing.length, 2);
  assert.match(listing[1], /^[0-9a-f]{32}\.age$/);

  // The laptop: import, list, show, reply, export.
  const laptop = join(dir, 'laptop');
  keys(laptop, ['import', bundlePath]);
  const list = keys(laptop, ['list']);
  const caseNo = list.match(/\b(\d{4}-\d{4})\b/)?.[1];
  assert.ok(caseNo, `no case number in:\n${list}`);
  assert.match(list, /leiderdorp/i);
  const shown = keys(laptop, ['show', caseNo]);
  assert.ok(shown.includes(CANARY), `the melding text is not shown:\n${shown}`);
  const replyFile = join(dir, 'antwoord.txt');
  writeFileSync(replyFile, REPLY_TEXT);
  keys(laptop, ['reply', caseNo, '--file', replyFile]);
  const repliesPath = join(dir, 'reacties.tar');
  keys(laptop, ['export-replies', repliesPath]);

  // Back online: import the signed reply bundle.
  const res = await fetch(`${server.url}/api/v1/staff/reacties`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${k.staffToken}`, 'Content-Type': 'application/x-tar' },
    body: readFileSync(repliesPath),
  });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal((await res.json()).imported, 1);

  // The reporter reads the reply with the token.
  await page.click('#nav-reactie');
  await page.fill('#token-invoer', token.toLowerCase().replaceAll('-', ' '));
  await page.click('#bekijk');
  const reply = page.locator('#reacties .reactie');
  await reply.first().waitFor({ timeout: 20000 });
  assert.equal(await reply.count(), 1);
  assert.ok((await reply.first().textContent()).includes(REPLY_TEXT));
  assert.equal(await page.locator('#reactie-fout').isVisible(), false);
  assert.deepEqual(problems, []);

  // A reply changed on the way (a compromised server or proxy) is refused, not shown.
  await tamperReplies(page);
  await page.click('#bekijk');
  await page.locator('#reactie-fout').waitFor({ state: 'visible', timeout: 20000 });
  assert.equal(await page.locator('#reacties .reactie').count(), 0);
  assert.ok(!(await page.content()).includes(REPLY_TEXT), 'the tampered reply text is on the page');
  await context.close();

  // Nothing on the server holds the melding's text or the token.
  const serverFiles = readdirSync(dir).filter((f) => f.startsWith('meldpunt.db'));
  assert.ok(serverFiles.includes('meldpunt.db'));
  const tokenCompact = token.replaceAll('-', '');
  for (const f of serverFiles) {
    const bytes = readFileSync(join(dir, f)).toString('latin1');
    assert.ok(!bytes.includes(CANARY), `${f} contains the melding text`);
    assert.ok(!bytes.includes(token) && !bytes.includes(tokenCompact), `${f} contains the token`);
  }
  const logs = server.logs();
  assert.ok(!logs.includes(CANARY), 'the server log contains the melding text');
  assert.ok(!logs.includes(token), 'the server log contains the token');
  const serverPort = new URL(server.url).port;
  for (const m of logs.matchAll(/127\.0\.0\.1:(\d+)/g)) {
    assert.equal(m[1], serverPort, `the server log contains a client address: ${m[0]}`);
  }
  assert.ok(!/HeadlessChrome|Mozilla\//.test(logs), 'the server log contains a user agent');
});
