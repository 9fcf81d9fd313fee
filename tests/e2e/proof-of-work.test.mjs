// Proof of work end to end: a server configured with `pow_difficulty` > 0, the page
// solves the puzzle in WASM and the server accepts the melding; the same submission
// with a nonce that does not meet the difficulty, or without one, is refused
// (400 bad_proof_of_work / a missing header), and a nonce that meets it is accepted.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  tempDir, initKeys, writeServerConfig, startServer, launchBrowser, openPage,
} from './harness.mjs';

const DIFFICULTY = 12;
let dir, server, browser;

before(async () => {
  dir = tempDir();
  const k = initKeys(join(dir, 'laptop'));
  server = await startServer(writeServerConfig(dir, k, `pow_difficulty = ${DIFFICULTY}`));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** keys/envelope/src/pow.rs, in node: the challenge, and the zero bits of one nonce. */
function challenge(org, lookupHashHex, meldingShaHex) {
  return createHash('sha256')
    .update('meldpunt/v1/proof-of-work\0')
    .update(org).update(Buffer.from([0]))
    .update(Buffer.from(lookupHashHex, 'hex'))
    .update(Buffer.from(meldingShaHex, 'hex'))
    .digest();
}
function zeroBits(ch, nonce) {
  const n = Buffer.alloc(8);
  n.writeBigUInt64LE(BigInt(nonce));
  const d = createHash('sha256').update(ch).update(n).digest();
  let bits = 0;
  for (const b of d) {
    if (b === 0) { bits += 8; continue; }
    return bits + Math.clz32(b) - 24;
  }
  return bits;
}

test('the page solves the proof of work and the server accepts it; a wrong nonce is refused', async () => {
  const cfg = await (await fetch(`${server.url}/api/v1/config`)).json();
  assert.equal(cfg.pow_difficulty, DIFFICULTY);

  const { page, context, problems } = await openPage(browser, server.url);
  let sent;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/meldingen')) {
      sent = { headers: r.headers(), body: r.postDataBuffer() };
    }
  });
  let status;
  page.on('response', (r) => {
    if (r.url().endsWith('/api/v1/meldingen')) status = r.status();
  });
  await page.selectOption('#organisatie', 'leiderdorp');
  await page.selectOption('#soort', 'geschenken-giften');
  await page.fill('#tekst', 'Een leverancier gaf kerstpakketten aan de afdeling inkoop.');
  await page.click('#verstuur');
  await page.locator('#view-token').waitFor({ state: 'visible', timeout: 60000 });
  assert.equal(status, 201);
  assert.deepEqual(problems, []);
  await context.close();

  // What the page sent: a nonce that meets the difficulty for this very submission.
  const nonce = sent.headers['meldpunt-pow'];
  assert.match(nonce, /^\d+$/);
  const org = sent.headers['meldpunt-organisatie'];
  const meldingSha = createHash('sha256').update(sent.body).digest('hex');
  const ch = challenge(org, sent.headers['meldpunt-lookup-hash'], meldingSha);
  assert.ok(zeroBits(ch, nonce) >= DIFFICULTY);

  // The same melding again under a fresh lookup hash: a nonce that falls short is
  // refused, no nonce is refused, one that meets the difficulty is accepted.
  const lookupHash = randomBytes(32).toString('hex');
  const ch2 = challenge(org, lookupHash, meldingSha);
  let bad = 0;
  while (zeroBits(ch2, bad) >= DIFFICULTY) bad++;
  let good = 0;
  while (zeroBits(ch2, good) < DIFFICULTY) good++;
  const post = (headers) => fetch(`${server.url}/api/v1/meldingen`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', 'Meldpunt-Organisatie': org, 'Meldpunt-Lookup-Hash': lookupHash, ...headers },
    body: sent.body,
  });
  const wrong = await post({ 'Meldpunt-Pow': String(bad) });
  assert.equal(wrong.status, 400);
  assert.equal((await wrong.json()).error, 'bad_proof_of_work');
  const none = await post({});
  assert.equal(none.status, 400);
  const right = await post({ 'Meldpunt-Pow': String(good) });
  assert.equal(right.status, 201, await right.clone().text());
});
