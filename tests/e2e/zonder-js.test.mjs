// The whole no-JavaScript path in headless Chromium with JavaScript disabled, against
// the real server and the real meldpunt-keys: a form sent with nothing chosen comes
// back in Dutch with the form refilled; the melding is filed; the ontvangstbewijs
// downloads as a readable file; the laptop imports it and replies; the reply is read
// with the token; a follow-up is sent from the reply page, twice by a double click,
// and the laptop imports it once. Every page is checked by axe-core (WCAG 2.1 AA)
// and links on.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  tempDir, keys, initKeys, writeServerConfig, startServer, launchBrowser,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

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

const laptop = () => join(dir, 'laptop');

/**
 * axe-core on the page as it is now. Script timers do not run in a page with
 * JavaScript off, so the checker runs on the same HTML, served at the same origin
 * (so the same stylesheet applies), in a page of its own with JavaScript on.
 */
async function noViolations(page, what) {
  const html = await page.content();
  const context = await browser.newContext();
  const checker = await context.newPage();
  const url = `${server.url}/axe-check`;
  await checker.route(url, (r) => r.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await checker.goto(url);
  await checker.evaluate(AXE);
  const violations = await checker.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  await context.close();
  assert.deepEqual(violations, [], `axe-core on ${what}`);
}

/** Every page of the path links back to the start: nothing is a dead end. */
async function linksOn(page, what) {
  assert.ok(await page.locator('a[href^="/zonder-js"]').count() >= 2, `${what} links on`);
}

async function staffExport(name) {
  const res = await fetch(`${server.url}/api/v1/staff/export`, { headers: { Authorization: `Bearer ${k.staffToken}` } });
  assert.equal(res.status, 200, await res.clone().text());
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await res.arrayBuffer()));
  return path;
}

function caseOf(org) {
  const line = keys(laptop(), ['list']).split('\n').find((l) => l.toLowerCase().includes(org));
  const no = line?.match(/\b(\d{4}-\d{4})\b/)?.[1];
  assert.ok(no, `no case for ${org} in the list`);
  return no;
}

test('without JavaScript: melding, reply, follow-up, all imported on the laptop', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
  const page = await context.newPage();
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/zonder-js/vervolg')) posts.push(r.postData());
  });
  await page.goto(`${server.url}/zonder-js`);
  assert.equal(await page.evaluate(() => document.scripts.length), 0, 'the page has no script');
  // Nothing that matters is chosen, and no field leaves checking to the browser.
  assert.equal(await page.inputValue('#organisatie'), '');
  assert.equal(await page.inputValue('#soort'), '');
  assert.equal(await page.locator('[required]').count(), 0);
  assert.match(await page.textContent('#over_wie-uitleg'), /bestuurder/);
  await noViolations(page, 'the form');

  // Sent with nothing chosen: the server's answer, in Dutch, with the text kept.
  const text = `Zonder JavaScript: de aanbesteding is vooraf uitgelekt ${randomBytes(4).toString('hex')}`;
  await page.fill('#text', text);
  await page.click('form[action="/zonder-js/melding"] [type="submit"]');
  await page.locator('.error-summary').waitFor({ timeout: 20000 });
  const summary = await page.textContent('.error-summary');
  assert.match(summary, /Er is een probleem/);
  assert.match(summary, /Kies een organisatie uit de lijst/);
  assert.match(summary, /Kies een soort melding uit de lijst/);
  assert.equal(await page.inputValue('#text'), text);
  assert.equal(await page.getAttribute('#organisatie', 'aria-invalid'), 'true');
  await noViolations(page, 'the form sent back');

  await page.selectOption('#organisatie', 'leiderdorp');
  await page.selectOption('#soort', 'fraude-corruptie');
  await page.click('form[action="/zonder-js/melding"] [type="submit"]');
  const token = (await page.locator('p.token').textContent({ timeout: 20000 })).trim();
  assert.match(token, /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
  // True for this mode: the server made the token.
  assert.match(await page.textContent('main'), /heeft de server dit token gemaakt/);
  await noViolations(page, 'the token page');
  await linksOn(page, 'the token page');

  // The ontvangstbewijs: a text file its holder can read, with the signed data inside.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('a.download')]);
  assert.match(dl.suggestedFilename(), /^ontvangstbewijs-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.txt$/);
  const file = readFileSync(await dl.path(), 'utf8');
  assert.match(file, /^Ontvangstbewijs van /);
  assert.match(file, /Organisatie: Gemeente Leiderdorp/);
  const signed = JSON.parse(file.split('-----BEGIN MELDPUNT ONTVANGSTBEWIJS-----\n')[1].split('\n-----END')[0]);
  assert.equal(signed.ontvangstbewijs.organisatie, 'leiderdorp');
  const cfg = await (await fetch(`${server.url}/api/v1/config`)).json();
  assert.equal(signed.server_key, cfg.receipt_key);

  // The laptop imports it and replies with a question.
  keys(laptop(), ['import', await staffExport('inbox-1.tar')]);
  const no = caseOf('leiderdorp');
  assert.ok(keys(laptop(), ['show', no]).includes(text));
  const question = `Wie was erbij aanwezig? ${randomBytes(4).toString('hex')}`;
  writeFileSync(join(dir, 'reply.txt'), question);
  keys(laptop(), ['reply', no, '--file', join(dir, 'reply.txt')]);
  keys(laptop(), ['export-replies', join(dir, 'replies.tar')]);
  const back = await fetch(`${server.url}/api/v1/staff/reacties`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${k.staffToken}`, 'Content-Type': 'application/x-tar' },
    body: readFileSync(join(dir, 'replies.tar')),
  });
  assert.equal(back.status, 200, await back.clone().text());

  // The reply, read with the token, and the follow-up form on the same page.
  await page.click('a[href="/zonder-js/reactie"]');
  await page.fill('#token', token);
  await noViolations(page, 'the token form');
  await page.click('form[action="/zonder-js/reactie"] [type="submit"]');
  await page.locator('article.reply').waitFor({ timeout: 20000 });
  assert.match(await page.textContent('article.reply'), new RegExp(question.replace('?', '\\?')));
  await noViolations(page, 'the reply page');
  await linksOn(page, 'the reply page');
  const answer = `Alleen de wethouder en de inkoper ${randomBytes(4).toString('hex')}`;
  await page.fill('#vervolg-text', answer);
  await page.dblclick('form[action="/zonder-js/vervolg"] [type="submit"]');
  await page.locator('text=Uw aanvulling is ontvangen').waitFor({ timeout: 20000 });
  await noViolations(page, 'the follow-up received page');
  await linksOn(page, 'the follow-up received page');
  assert.ok(posts.length >= 1 && posts.every((p) => p === posts[0]), 'the same form each time');
  // Back to the replies with the same token, without typing it again.
  await page.click('text=Terug naar de reacties');
  await page.locator('article.reply').waitFor({ timeout: 20000 });
  await context.close();

  // The laptop imports the follow-up on the same case, once.
  keys(laptop(), ['import', await staffExport('inbox-2.tar')]);
  const shown = keys(laptop(), ['show', caseOf('leiderdorp')]);
  assert.ok(shown.includes(answer), shown);
  assert.equal(shown.split(answer).length - 1, 1, `the follow-up once:\n${shown}`);
});

test('without JavaScript in English: the follow-up form on its own asks for the token', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/zonder-js/vervolg?lang=en`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.fill('#token', 'ABCD-EFGH');
  await page.click('form[action="/zonder-js/vervolg?lang=en"] [type="submit"]');
  await page.locator('.error-summary').waitFor({ timeout: 20000 });
  const summary = await page.textContent('.error-summary');
  assert.match(summary, /There is a problem/);
  assert.match(summary, /not a valid token/);
  assert.match(summary, /Write your follow-up/);
  await noViolations(page, 'the follow-up form sent back (en)');
  await linksOn(page, 'the follow-up form (en)');
  await context.close();
});
