// The reply view with wrong input, in headless Chromium against the real server: a
// mistyped token, a well-formed token nobody used, and a real melding without a reply
// yet. Each gets a clear message; none shows a reply; the server stores nothing new.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  tempDir, initKeys, writeServerConfig, startServer, launchBrowser, openPage,
} from './harness.mjs';

let dir, server, browser;

before(async () => {
  dir = tempDir();
  const k = initKeys(join(dir, 'laptop'));
  server = await startServer(writeServerConfig(dir, k));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function lookUp(page, token) {
  await page.click('#nav-reactie');
  await page.fill('#token-invoer', token);
  await page.click('#bekijk');
  const status = page.locator('#status');
  await page.waitForFunction(
    () => {
      const s = document.getElementById('status');
      // Past the passing messages: the module still loading, the replies being fetched, the proof of work.
      return !s.hidden && !/opgehaald|nog geladen|rekenklus|druk bij het meldpunt/.test(s.textContent);
    },
    null,
    { timeout: 20000 },
  );
  return (await status.textContent()).trim();
}

test('a mistyped token is refused in the browser, before anything is sent', async () => {
  const { page, context } = await openPage(browser, server.url);
  let asked = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/reacties')) asked += 1;
  });
  const text = await lookUp(page, 'ABCD-EFGH-1234');
  assert.match(text, /Dit token klopt niet/);
  assert.equal(await page.getAttribute('#token-invoer', 'aria-invalid'), 'true');
  assert.equal(await page.locator('#reacties .reactie').count(), 0);
  assert.equal(asked, 0, 'a mistyped token was sent to the server');
  await context.close();
});

test('a well-formed token that nobody used finds nothing', async () => {
  const { page, context } = await openPage(browser, server.url);
  const text = await lookUp(page, '0000-1111-2222-3333-4444-5555-6666-7777');
  assert.match(text, /Geen melding gevonden bij dit token/);
  assert.equal(await page.locator('#reacties .reactie').count(), 0);
  await context.close();
});

test('a melding without a reply yet says so and names the legal deadlines', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await page.selectOption('#organisatie', 'oegstgeest');
  await page.selectOption('#soort', 'pesten');
  await page.fill('#tekst', 'Mijn leidinggevende scheldt mij uit tijdens het teamoverleg.');
  await page.click('#verstuur');
  await page.locator('#token').waitFor({ state: 'visible', timeout: 20000 });
  await page.screenshot({ path: join(dir, 'token.png'), fullPage: true });
  const token = (await page.locator('#token').textContent()).trim();
  await page.check('#token-bewaard');
  const text = await lookUp(page, token);
  assert.match(text + (await page.locator('#reacties').textContent()), /7 dagen/);
  assert.equal(await page.locator('#reacties .reactie').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
  // The screenshot is real pixels of the token view (a PNG, not an error page).
  assert.deepEqual([...readFileSync(join(dir, 'token.png')).subarray(1, 4)], [0x50, 0x4e, 0x47]);
});
