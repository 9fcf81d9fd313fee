// The reply view in English with a real reply, in headless Chromium against the real
// server and meldpunt-keys: the reply is shown, a tampered reply is refused with the
// English message, a mistyped token gets the English message; axe-core (WCAG 2.1 AA)
// finds nothing on the view showing a reply nor on the view showing a refusal, and
// both are photographed for docs/screenshots (with UPDATE_SCREENSHOTS=1).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import {
  ROOT, tempDir, keys, initKeys, writeServerConfig, startServer, launchBrowser, openPage, tamperReplies,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1'
  ? join(ROOT, 'docs', 'screenshots')
  : join(tempDir('meldpunt-shots-'), 'screenshots');
const REPLY_TEXT = 'Thank you for your report. We have started an investigation into the invoices.';

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

async function noViolations(page, what) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], `axe-core on ${what}`);
}

async function waitStatus(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById('status');
    return !s.hidden && s.textContent.trim() !== '' && !/fetching|opgehaald|still loading|nog geladen|rekenklus|short computation|druk bij het meldpunt|meldpunt is busy/i.test(s.textContent);
  }, null, { timeout: 20000 });
  return (await page.textContent('#status')).trim();
}

/** Files a melding in the English page; answers it on the laptop; brings the reply back. */
async function meldingWithReply() {
  const { page, context } = await openPage(browser, `${server.url}/?lang=en`);
  await page.selectOption('#organisatie', 'zoeterwoude');
  await page.selectOption('#soort', 'fraude-corruptie');
  await page.fill('#tekst', 'Invoices for road works were paid twice in March.');
  await page.click('#verstuur');
  await page.locator('#token').waitFor({ state: 'visible', timeout: 20000 });
  const token = (await page.locator('#token').textContent()).trim();
  await context.close();

  const res = await fetch(`${server.url}/api/v1/staff/export`, { headers: { Authorization: `Bearer ${k.staffToken}` } });
  assert.equal(res.status, 200);
  const inbox = join(dir, 'inbox.tar');
  writeFileSync(inbox, Buffer.from(await res.arrayBuffer()));
  const laptop = join(dir, 'laptop');
  keys(laptop, ['import', inbox]);
  const caseNo = keys(laptop, ['list']).match(/\b(\d{4}-\d{4})\b/)?.[1];
  assert.ok(caseNo);
  writeFileSync(join(dir, 'reply.txt'), REPLY_TEXT);
  keys(laptop, ['reply', caseNo, '--file', join(dir, 'reply.txt')]);
  keys(laptop, ['export-replies', join(dir, 'replies.tar')]);
  const back = await fetch(`${server.url}/api/v1/staff/reacties`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${k.staffToken}`, 'Content-Type': 'application/x-tar' },
    body: readFileSync(join(dir, 'replies.tar')),
  });
  assert.equal(back.status, 200, await back.clone().text());
  return token;
}

test('in English: a reply is shown, a tampered one refused, a mistyped token explained; axe-core finds nothing', async () => {
  const token = await meldingWithReply();
  const { page, context, problems } = await openPage(browser, `${server.url}/?lang=en`);
  await page.click('#nav-reactie');

  // A mistyped token: the English message, tied to the field.
  await page.fill('#token-invoer', 'ABCD-EFGH-1234');
  await page.click('#bekijk');
  assert.match(await waitStatus(page), /This token is not right/);
  assert.equal(await page.getAttribute('#token-invoer', 'aria-invalid'), 'true');
  await noViolations(page, 'the reply view with a mistyped token (en)');

  // The real token: the reply, verified and opened.
  await page.fill('#token-invoer', token);
  await page.click('#bekijk');
  const reply = page.locator('#reacties .reactie');
  await reply.first().waitFor({ timeout: 20000 });
  assert.equal(await reply.count(), 1);
  assert.ok((await reply.first().textContent()).includes(REPLY_TEXT));
  assert.equal(await page.locator('#reactie-fout').isVisible(), false);
  await noViolations(page, 'the reply view showing a reply (en)');
  await page.screenshot({ path: join(SHOTS, 'reactie-antwoord-en.png'), fullPage: true });
  assert.deepEqual(problems, []);

  // The same reply changed on the way: refused in English, its text not on the page.
  await tamperReplies(page);
  await page.click('#bekijk');
  await page.locator('#reactie-fout').waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await page.textContent('#reactie-fout'), /One reply was refused/);
  assert.equal(await page.locator('#reacties .reactie').count(), 0);
  assert.ok(!(await page.content()).includes(REPLY_TEXT), 'the tampered reply text is on the page');
  await noViolations(page, 'the reply view showing a refusal (en)');
  await page.screenshot({ path: join(SHOTS, 'reactie-geweigerd-en.png'), fullPage: true });
  // The page logs the refusal for the console; nothing else went wrong.
  assert.ok(problems.every((p) => /bad_signature/.test(p)), problems.join('\n'));
  await context.close();
});
