// The main path of the reporter's page in Firefox (Debian's firefox-esr, the base of Tor
// Browser), driven by puppeteer-core over WebDriver BiDi, against the real server and
// the real meldpunt-keys: a melding, the token, the reply view with a signed reply, and
// a follow-up on the same case. Then Firefox set as Tor Browser's "Safer" level sets it
// (WebAssembly and the JITs off): the page seals with the JavaScript build and the
// laptop opens the melding.
//
// playwright-core (which drives Chromium in the other tests) cannot drive a stock
// Firefox: its BiDi mode sends emulation commands Firefox ESR does not know.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import {
  tempDir, keys, initKeys, writeServerConfig, startServer, staffExport, caseOf, answerCase,
} from './harness.mjs';

const FIREFOX = '/usr/bin/firefox-esr';
const MELDING_TEXT = 'Een collega bij de afdeling Inkoop laat leveranciers voorgaan die hem een etentje aanbieden.';
const REPLY_TEXT = 'Wij onderzoeken uw melding. Weet u om welke leveranciers het gaat?';
const VERVOLG_TEXT = 'Het gaat om twee schoonmaakbedrijven uit de regio.';
// Without JIT everything runs interpreted; sealing and checking take longer there.
const SLOW = 240000;

let dir, k, server;

before(async () => {
  dir = tempDir();
  k = initKeys(join(dir, 'laptop'));
  // A low proof-of-work effort: Argon2id without JIT takes about a second an evaluation.
  server = await startServer(writeServerConfig(dir, k, '[pow]\nmin_effort = 2\nmax_effort = 4\n'));
});

after(async () => {
  await server?.stop();
});

/** Firefox ESR over WebDriver BiDi; `prefs` are Firefox preferences for this run. */
function launchFirefox(prefs = {}) {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    timeout: 60000,
    extraPrefsFirefox: prefs,
  });
}

/** A new page that records console errors and uncaught exceptions. */
async function openPage(browser) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(server.url);
  await page.waitForSelector('#view-melding', { visible: true, timeout: 20000 });
  return { page, problems };
}

const text = (page, sel) => page.$eval(sel, (el) => el.textContent.trim());

/** The page's status line shows text matching `re` (puppeteer's waitForFunction takes
 *  its options before the function's arguments, unlike playwright's in harness.mjs). */
const statusShows = (page, re) => page.waitForFunction(
  (src) => !document.getElementById('status').hidden && new RegExp(src).test(document.getElementById('status').textContent),
  { timeout: SLOW },
  re.source,
);

const laptop = () => join(dir, 'laptop');

/** Files a melding through the form; returns the token the page shows. */
async function fileMelding(page, org, body) {
  await page.select('#organisatie', org);
  await page.select('#soort', 'belangenverstrengeling');
  await page.locator('#tekst').fill(body);
  await page.click('#verstuur');
  await page.waitForSelector('#view-token', { visible: true, timeout: SLOW });
  const token = await text(page, '#token');
  assert.match(token, /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
  // The ontvangstbewijs was verified in this browser.
  assert.ok(await page.$eval('#bewijs-download', (b) => b.offsetParent !== null), await text(page, '#bewijs-blok'));
  await page.click('#token-bewaard');
  await page.click('#token-klaar');
  await page.waitForSelector('#view-melding', { visible: true });
  return token;
}

test('Firefox: a melding, the token, a signed reply in the reply view, and a follow-up', async () => {
  const browser = await launchFirefox();
  try {
    assert.match(await browser.version(), /^firefox\//i);
    const { page, problems } = await openPage(browser);
    assert.equal(await page.evaluate(() => typeof WebAssembly), 'object');
    const token = await fileMelding(page, 'oegstgeest', MELDING_TEXT);

    keys(laptop(), ['import', await staffExport(server, k.staffToken, dir, 'inbox-1.tar')]);
    const no = caseOf(laptop(), 'oegstgeest');
    assert.ok(keys(laptop(), ['show', no]).includes(MELDING_TEXT));
    assert.equal((await answerCase(server, k.staffToken, dir, no, REPLY_TEXT)).imported, 1);

    await page.click('#nav-reactie');
    await page.locator('#token-invoer').fill(token);
    await page.click('#bekijk');
    await page.waitForSelector('#reacties .reactie', { visible: true, timeout: SLOW });
    assert.ok((await text(page, '#reacties .reactie')).includes(REPLY_TEXT));

    await page.waitForSelector('#vervolg-form', { visible: true, timeout: SLOW });
    await page.locator('#vervolg-tekst').fill(VERVOLG_TEXT);
    await page.click('#vervolg-verstuur');
    await statusShows(page, /verstuurd en bij uw melding gevoegd/);
    assert.deepEqual(problems, []);

    keys(laptop(), ['import', await staffExport(server, k.staffToken, dir, 'inbox-2.tar')]);
    assert.equal(caseOf(laptop(), 'oegstgeest'), no);
    assert.ok(keys(laptop(), ['show', no]).includes(VERVOLG_TEXT), 'the follow-up is not on the case');
  } finally {
    await browser.close();
  }
});

test('Firefox as Tor Browser at "Safer" (no WebAssembly, no JIT): the JavaScript build seals', async () => {
  // The preferences Tor Browser's "Safer" level sets for JavaScript (besides media and fonts).
  const browser = await launchFirefox({
    'javascript.options.wasm': false,
    'javascript.options.baselinejit': false,
    'javascript.options.ion': false,
    'javascript.options.native_regexp': false,
  });
  try {
    const { page, problems } = await openPage(browser);
    assert.equal(await page.evaluate(() => typeof WebAssembly), 'undefined');
    await page.waitForSelector('#js-versie', { visible: true, timeout: SLOW });
    const body = `${MELDING_TEXT} (Veiliger)`;
    await fileMelding(page, 'zoeterwoude', body);
    assert.deepEqual(problems, []);
    keys(laptop(), ['import', await staffExport(server, k.staffToken, dir, 'inbox-3.tar')]);
    assert.ok(keys(laptop(), ['show', caseOf(laptop(), 'zoeterwoude')]).includes(body));
  } finally {
    await browser.close();
  }
});
