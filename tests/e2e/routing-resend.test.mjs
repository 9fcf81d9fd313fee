// Issue 14 on the real page in Chromium, the real server and the real meldpunt-keys:
// - routing by the case: a melding about a bestuurder made on the normal page opens only
//   with the bestuurder identity, and so does its follow-up; a follow-up goes to its
//   case's organisation without the reporter choosing one;
// - idempotent submission: when the answer to a melding (or a follow-up) is lost after
//   the server committed it, the page sends the same bytes again and shows one case, and
//   the laptop gets one case;
// - pinned keys: a config whose keys differ from pkg/keys.json is refused by the page,
//   and the code hash the page shows is the SHA-256 of pkg/keys.json.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  tempDir, keys, initKeys, writeServerConfig, startServer, launchBrowser, openPage, waitStatus,
} from './harness.mjs';

let browser;
const servers = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
});

/** A fresh meldpunt: laptop keys, a server, and (if asked) a bestuurder identity for leiden. */
async function meldpunt({ bestuurder = false } = {}) {
  const dir = tempDir();
  const k = initKeys(join(dir, 'laptop'));
  const path = writeServerConfig(dir, k);
  let bestuurderKey = null;
  if (bestuurder) {
    bestuurderKey = join(dir, 'bestuurder.key');
    execFileSync('rage-keygen', ['-o', bestuurderKey], { stdio: ['ignore', 'ignore', 'ignore'] });
    const pub = readFileSync(bestuurderKey, 'utf8').match(/# public key: (age1[0-9a-z]+)/)[1];
    const toml = readFileSync(path, 'utf8').replace(
      'slug = "leiden"\nname = "Gemeente Leiden"\n',
      `slug = "leiden"\nname = "Gemeente Leiden"\nbestuurder_recipients = ["${pub}"]\n`,
    );
    writeFileSync(path, toml);
  }
  const server = await startServer(path);
  servers.push(server);
  return { dir, k, server, bestuurderKey, laptop: join(dir, 'laptop') };
}

/** The staff export as a file, and its manifest and item files unpacked next to it. */
async function exportInbox(m, name) {
  const res = await fetch(`${m.server.url}/api/v1/staff/export`, { headers: { Authorization: `Bearer ${m.k.staffToken}` } });
  assert.equal(res.status, 200, await res.clone().text());
  const tar = join(m.dir, `${name}.tar`);
  writeFileSync(tar, Buffer.from(await res.arrayBuffer()));
  const out = join(m.dir, name);
  mkdirSync(out);
  execFileSync('tar', ['xf', tar, '-C', out]);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  return { tar, out, manifest };
}

/** The X25519 recipient stanzas in an age file's header. */
function x25519Stanzas(bytes) {
  const header = bytes.subarray(0, bytes.indexOf('\n---')).toString('latin1');
  return header.split('\n').filter((l) => l.startsWith('-> X25519 ')).length;
}


async function fileMelding(page, { org, overWie = '', text }) {
  await page.locator('#view-melding').waitFor({ state: 'visible' });
  await page.selectOption('#organisatie', org);
  await page.selectOption('#soort', 'fraude-corruptie');
  if (overWie) await page.selectOption('#over-wie', overWie);
  await page.fill('#tekst', text);
  await page.click('#verstuur');
  await page.locator('#token').waitFor({ state: 'visible', timeout: 60000 });
  const token = (await page.textContent('#token')).trim();
  await page.check('#token-bewaard');
  await page.click('#token-klaar');
  return token;
}

async function lookUp(page, token) {
  await page.click('#nav-reactie');
  await page.fill('#token-invoer', token);
  await page.click('#bekijk');
  await page.locator('#vervolg-form').waitFor({ state: 'visible', timeout: 20000 });
}

async function sendVervolg(page, text) {
  await page.fill('#vervolg-tekst', text);
  await page.click('#vervolg-verstuur');
  await waitStatus(page, /bij uw melding gevoegd|added to your report/);
}

test('a melding about a bestuurder on the normal page, and its follow-up, open only with the bestuurder identity', async () => {
  const m = await meldpunt({ bestuurder: true });
  const { page, context, problems } = await openPage(browser, m.server.url);
  await page.locator('#view-melding').waitFor({ state: 'visible' });
  // The page says where such a melding goes before it is sent.
  await page.selectOption('#organisatie', 'leiden');
  await page.selectOption('#over-wie', 'bestuurder');
  await page.locator('#bestuurder-melding').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#bestuurder-melding'), /aparte ontvangers/);
  const token = await fileMelding(page, { org: 'leiden', overWie: 'bestuurder', text: 'De wethouder en de aannemer.' });

  await lookUp(page, token);
  assert.match(await page.textContent('#vervolg-naar'), /bestuurder bij Gemeente Leiden/);
  await sendVervolg(page, 'Aanvulling over de wethouder.');
  assert.deepEqual(problems, []);
  await context.close();

  const { out, manifest } = await exportInbox(m, 'inbox');
  assert.deepEqual(manifest.items.map((i) => i.kind).sort(), ['melding', 'vervolg']);
  for (const item of manifest.items) {
    assert.equal(item.organisatie, 'leiden');
    const bytes = readFileSync(join(out, `${item.id}.age`));
    assert.equal(x25519Stanzas(bytes), 1, 'sealed to one recipient only');
    // The padded plaintext: a u32 big-endian length, the JSON, zeros (docs/PROTOCOL.md).
    const padded = execFileSync('rage', ['-d', '-i', m.bestuurderKey, join(out, `${item.id}.age`)]);
    const plain = JSON.parse(padded.subarray(4, 4 + padded.readUInt32BE(0)).toString('utf8'));
    assert.equal(plain.kind, item.kind);
  }
  // The meldpunt's own identity opens neither: the laptop takes no case from the bundle
  // (whether it refuses the bundle or sets the items aside).
  try {
    keys(m.laptop, ['import', join(m.dir, 'inbox.tar')]);
  } catch {
    // Refused: nothing imported.
  }
  const cases = keys(m.laptop, ['list']).split('\n').filter((l) => /\b\d{4}-\d{4}\b/.test(l));
  assert.deepEqual(cases, []);
});

test('a follow-up goes to its case organisation without the reporter choosing one', async () => {
  const m = await meldpunt();
  const { page, context, problems } = await openPage(browser, `${m.server.url}/?lang=en`);
  const token = await fileMelding(page, { org: 'oegstgeest', text: 'The invoice of the sports hall.' });
  await lookUp(page, token);
  assert.equal(await page.locator('#vervolg-form select').count(), 0, 'no organisation to choose');
  assert.match(await page.textContent('#vervolg-naar'), /Gemeente Oegstgeest/);
  await sendVervolg(page, 'Addition: it was paid twice.');
  assert.deepEqual(problems, []);
  await context.close();

  const { tar, manifest } = await exportInbox(m, 'inbox');
  assert.deepEqual(manifest.items.map((i) => i.organisatie), ['oegstgeest', 'oegstgeest']);
  keys(m.laptop, ['import', tar]);
  const line = keys(m.laptop, ['list']).split('\n').find((l) => /oegstgeest/i.test(l));
  const no = line?.match(/\b(\d{4}-\d{4})\b/)?.[1];
  assert.ok(no, 'a case for oegstgeest');
  assert.match(keys(m.laptop, ['show', no]), /it was paid twice/);
});

test('an answer lost after the commit: the page sends the same bytes again and there is one case', async () => {
  const m = await meldpunt();
  const { page, context } = await openPage(browser, m.server.url);
  const seen = { meldingen: [], vervolg: [] };
  // The first answer of each route never reaches the page, although the server stored
  // the submission: the connection drops on the way back.
  for (const [route, list] of [['meldingen', seen.meldingen], ['vervolg', seen.vervolg]]) {
    await page.route(`**/api/v1/${route}`, async (r) => {
      list.push(createHash('sha256').update(r.request().postDataBuffer() ?? Buffer.alloc(0)).digest('hex'));
      const response = await r.fetch();
      if (list.length === 1) {
        assert.equal(response.status(), 201, await response.text());
        await r.abort('connectionreset');
      } else {
        await r.fulfill({ response });
      }
    });
  }
  const statuses = [];
  await page.exposeFunction('noteStatus', (s) => statuses.push(s));
  await page.evaluate(() => {
    const el = document.getElementById('status');
    new MutationObserver(() => window.noteStatus(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
  });
  const token = await fileMelding(page, { org: 'leiden', text: 'De verbinding viel weg na het opslaan.' });
  assert.equal(seen.meldingen.length, 2, 'sent twice');
  assert.equal(seen.meldingen[0], seen.meldingen[1], 'the same bytes both times');
  assert.ok(statuses.some((s) => /poging 2/.test(s)), `a progress line: ${statuses.join(' | ')}`);

  await lookUp(page, token);
  await sendVervolg(page, 'Ook dit antwoord ging verloren.');
  assert.equal(seen.vervolg.length, 2);
  assert.equal(seen.vervolg[0], seen.vervolg[1]);
  await context.close();

  const { tar, manifest } = await exportInbox(m, 'inbox');
  assert.deepEqual(manifest.items.map((i) => i.kind), ['melding', 'vervolg'], 'one melding and one follow-up');
  keys(m.laptop, ['import', tar]);
  const cases = keys(m.laptop, ['list']).split('\n').filter((l) => /\b\d{4}-\d{4}\b/.test(l));
  assert.equal(cases.length, 1, cases.join('\n'));
});

test('a config whose keys differ from pkg/keys.json is refused, and the code hash covers the keys', async () => {
  const m = await meldpunt();
  const other = join(m.dir, 'other.key');
  execFileSync('rage-keygen', ['-o', other], { stdio: ['ignore', 'ignore', 'ignore'] });
  const otherPub = readFileSync(other, 'utf8').match(/# public key: (age1[0-9a-z]+)/)[1];

  // Untouched: the page shows the SHA-256 of keys.json as its code hash.
  {
    const { page, context, problems } = await openPage(browser, m.server.url);
    await page.locator('#view-melding').waitFor({ state: 'visible' });
    await page.focus('#tekst');
    await page.locator('#code-blok').waitFor({ state: 'visible', timeout: 20000 });
    const pinned = Buffer.from(await (await fetch(`${m.server.url}/pkg/keys.json`)).arrayBuffer());
    assert.equal(await page.textContent('#code-hash'), createHash('sha256').update(pinned).digest('hex'));
    assert.equal(await page.getAttribute('#code-controle', 'data-i18n'), 'code_ok');
    assert.match(pinned.toString(), new RegExp(m.k.recipient));
    assert.deepEqual(problems, []);
    await context.close();
  }

  for (const [what, change] of [
    ['a recipient', (c) => { c.organisations[1].recipients = [otherPub]; }],
    ['the signing key', (c) => { c.signing_key = c.signing_key.slice(0, -2) + (c.signing_key.endsWith('A') ? 'BA' : 'AA'); }],
    ['bestuurder recipients', (c) => { c.organisations[0].bestuurder_recipients = [otherPub]; }],
    ['an organisation name', (c) => { c.organisations[2].name = 'Gemeente Elders'; }],
  ]) {
    const { page, context } = await openPage(browser, 'about:blank');
    let served = 0;
    await page.route('**/api/v1/config', async (r) => {
      const response = await r.fetch();
      const body = await response.json();
      change(body);
      served++;
      await r.fulfill({ response, json: body });
    });
    const sent = [];
    page.on('request', (req) => {
      if (req.method() === 'POST') sent.push(req.url());
    });
    await page.goto(m.server.url);
    await waitStatus(page, /vertrouwt de sleutels niet/);
    assert.equal(served, 1, what);
    assert.equal(await page.locator('#navigatie').isVisible(), false, `${what}: the page does not open`);
    assert.equal(await page.locator('#view-melding').isVisible(), false, what);
    assert.deepEqual(sent, [], `${what}: nothing is sent`);
    await context.close();
  }
});

test('the form without JavaScript sent twice, by a double click or a reload, is one case', async () => {
  const m = await meldpunt();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r.postData());
  });
  await page.goto(`${m.server.url}/zonder-js`);
  await page.selectOption('#organisatie', 'leiden');
  await page.selectOption('#soort', 'fraude-corruptie');
  await page.fill('#text', 'Twee keer op versturen gedrukt.');
  await page.dblclick('button[type=submit]');
  await page.locator('p.token').waitFor({ timeout: 20000 });
  const token = (await page.textContent('p.token')).trim();
  const receipt = await page.textContent('pre');
  // A reload sends the same form body again.
  await page.reload();
  await page.locator('p.token').waitFor({ timeout: 20000 });
  assert.equal((await page.textContent('p.token')).trim(), token);
  assert.equal(await page.textContent('pre'), receipt, 'the same ontvangstbewijs');
  assert.ok(posts.length >= 2, `the form went out ${posts.length} times`);
  assert.ok(posts.every((p) => p === posts[0]), 'the same form each time');
  await context.close();

  const { manifest } = await exportInbox(m, 'inbox');
  assert.equal(manifest.items.length, 1, 'one melding');
});
