// Proof of work end to end (docs/PROTOCOL.md, "Proof of work"): the real server
// asks for Argon2id work, the real page solves it in a Web Worker while its own
// thread keeps running, with a progress line, and the server accepts the melding;
// the same proof again, a made-up one, or none, is refused. Then a busy server: the
// page is outbid, solves again at the effort the 429 names, and gets through.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ROOT, tempDir, initKeys, writeServerConfig, startServer, launchBrowser, openPage, waitUntil,
} from './harness.mjs';

// Some seconds of work in the browser, so the test can watch the page meanwhile.
const EFFORT = 3000;
let keysOut, server, busy, browser;

// The WASM client under node: the flood below solves with the same code as the page.
const pkg = join(ROOT, 'client-wasm', 'www', 'pkg');
const wasm = await import(join(pkg, 'meldpunt_client.js'));
await wasm.default({ module_or_path: await readFile(join(pkg, 'meldpunt_client_bg.wasm')) });

before(async () => {
  const dir = tempDir();
  keysOut = initKeys(join(dir, 'laptop'));
  server = await startServer(writeServerConfig(dir, keysOut, `[pow]\nmin_effort = ${EFFORT}\n`));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await busy?.stop();
});

/** Solves like the page does, in node; returns the Meldpunt-Pow header value. */
function solve(seed, binding, effort) {
  let n = BigInt(Math.floor(Math.random() * 2 ** 48));
  for (;;) {
    const found = wasm.pow_search(seed, binding, effort, n.toString(16).padStart(32, '0'), 64);
    if (found) return found;
    n += 64n;
  }
}

test('the page solves in a worker, stays responsive, and the server takes the proof once', async () => {
  const level = await (await fetch(`${server.url}/api/v1/pow`)).json();
  assert.equal(level.algorithm, 'argon2id');
  assert.equal(level.submissions.effort, EFFORT);

  const { page, context, problems } = await openPage(browser, server.url);
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
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
  // A clock on the page's own thread: it only moves if that thread is free.
  await page.evaluate(() => {
    window.ticks = 0;
    setInterval(() => window.ticks++, 20);
  });
  await page.selectOption('#organisatie', 'leiderdorp');
  await page.selectOption('#soort', 'geschenken-giften');
  await page.fill('#tekst', 'Een leverancier gaf kerstpakketten aan de afdeling inkoop.');
  // First a level no browser finishes (hours of work): the page must keep working
  // meanwhile, and cancelling must stop the worker.
  await page.route('**/api/v1/pow', async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    json.submissions.effort = 100000000;
    await route.fulfill({ response, json });
  });
  await page.click('#verstuur');
  await page.locator('#status', { hasText: /rekenklus/ }).waitFor({ state: 'visible', timeout: 30000 });
  const t0 = await page.evaluate(() => window.ticks);
  await page.waitForFunction((t) => window.ticks > t + 25, t0, { timeout: 20000 });
  await page.fill('#wanneer-waar', 'Typen kan gewoon');
  assert.equal(await page.inputValue('#wanneer-waar'), 'Typen kan gewoon');
  assert.match(await page.locator('#status').textContent(), /rekenklus/, 'still solving');
  assert.equal(sent, undefined, 'nothing sent while solving');
  await page.click('#annuleer');
  await page.locator('#status', { hasText: /geannuleerd/ }).waitFor({ timeout: 10000 });
  assert.equal(sent, undefined);

  // Then the server's own level: solved, sent, stored.
  await page.unroute('**/api/v1/pow');
  await page.click('#verstuur');
  await page.locator('#view-token').waitFor({ state: 'visible', timeout: 120000 });
  assert.equal(status, 201);
  assert.deepEqual(problems, []);
  assert.ok(workers.some((u) => u.endsWith('/pow-worker.js')), `a worker ran: ${workers}`);
  await context.close();

  // What the page sent: a proof at the asked effort, bound to this melding.
  const proof = sent.headers['meldpunt-pow'];
  assert.match(proof, new RegExp(`^${level.seed}:${EFFORT}:[0-9a-f]{32}$`));
  const sha = createHash('sha256').update(sent.body).digest('hex');
  assert.equal(sent.headers['meldpunt-melding-sha256'], sha);

  const post = (headers) => fetch(`${server.url}/api/v1/meldingen`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/octet-stream',
      'Meldpunt-Organisatie': 'leiderdorp',
      'Meldpunt-Lookup-Hash': sent.headers['meldpunt-lookup-hash'],
      'Meldpunt-Melding-Sha256': sha,
      ...headers,
    },
    body: sent.body,
  });
  // The same proof again: spent, and the answer names the effort to use.
  const again = await post({ 'Meldpunt-Pow': proof });
  assert.equal(again.status, 429);
  const body = await again.json();
  assert.equal(body.error, 'more_work_needed');
  assert.ok(body.effort >= EFFORT);
  assert.equal(Number(again.headers.get('meldpunt-pow-effort')), body.effort);
  // A made-up nonce at the same effort: not a solution.
  const [seed, effort] = proof.split(':');
  const made = await post({ 'Meldpunt-Pow': `${seed}:${effort}:${'7'.repeat(32)}` });
  assert.equal(made.status, 400);
  assert.equal((await made.json()).error, 'bad_proof_of_work');
  const none = await post({});
  assert.equal(none.status, 400);
  assert.equal((await none.json()).error, 'missing_header');
});

test('when the meldpunt is busy the page is told the effort, works more, and gets through', async () => {
  const dir = tempDir();
  // One look-up per 10 s after a burst of one; one may wait.
  busy = await startServer(writeServerConfig(dir, keysOut, [
    '[limits]', 'lookups_per_minute = 6',
    '[pow]', 'min_effort = 20', 'queue_len = 1', 'max_wait_seconds = 60',
  ].join('\n')));
  const level = await (await fetch(`${busy.url}/api/v1/pow`)).json();
  const lookup = (key, effort) => {
    const body = JSON.stringify({ lookup_key: key });
    const proof = solve(level.seed, wasm.pow_binding_lookup(new TextEncoder().encode(body)), effort);
    return fetch(`${busy.url}/api/v1/reacties`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Meldpunt-Pow': proof },
      body,
    });
  };
  // The burst, then one waiting at three times the suggested effort: the queue is
  // full, and the page's first try (twice the suggestion, as requests wait) is too
  // little.
  assert.equal((await lookup('11'.repeat(32), 20)).status, 404);
  const waiting = lookup('22'.repeat(32), 60);
  await waitUntil('a look-up waiting', async () => (await (await fetch(`${busy.url}/api/v1/pow`)).json()).lookups.waiting >= 1);

  const { page, context, problems } = await openPage(browser, busy.url);
  const answers = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/api/v1/reacties')) answers.push(r.status());
  });
  await page.click('#nav-reactie');
  await page.fill('#token-invoer', '0000-0000-0000-0000-0000-0000-0000-0000');
  await page.click('#bekijk');
  // Outbid at the suggested effort, the page says it works longer, and then its
  // higher effort takes the place of the one waiting.
  await page.locator('#status', { hasText: /druk bij het meldpunt/ }).waitFor({ timeout: 60000 });
  await page.locator('#status', { hasText: /Geen melding gevonden/ }).waitFor({ timeout: 90000 });
  assert.deepEqual(answers, [429, 404]);
  assert.equal((await waiting).status, 429, 'the lower effort was outbid');
  // The 429 and the 404 (an unknown token) are answers, logged by the browser as such.
  assert.deepEqual(problems.filter((p) => !/status of (429|404)/.test(p)), []);
  await context.close();
});
