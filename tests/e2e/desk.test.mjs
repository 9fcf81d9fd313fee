// The coördinator's desk (meldpunt-desk) in headless Chromium, with real parts only: a
// meldpunt made by the real meldpunt-keys, meldingen filed through the reporter's page
// and exported by the real server, the real desk binary on loopback. The main path
// (unlock, import, open, reply, status, weekly round) is done with the keyboard alone,
// and what the desk hands out is taken by the real server; every view is checked by
// axe-core in Dutch and English and photographed (UPDATE_SCREENSHOTS=1 refreshes
// docs/screenshots); at 200% zoom nothing needs sideways scrolling.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync, readFileSync, mkdirSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import {
  BIN, ROOT, PASSPHRASE, tempDir, initKeys, writeServerConfig, startServer, launchBrowser,
} from './harness.mjs';

const DESK = BIN.desk;
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1'
  ? join(ROOT, 'docs', 'screenshots')
  : join(tempDir('meldpunt-desk-shots-'), 'screenshots');

const CANARY = `bureau-${Math.random().toString(36).slice(2)}`;
const REPLY_CANARY = `antwoord-${Math.random().toString(36).slice(2)}`;
let dir, laptop, k, server, browser, inbox;

/** Starts the real desk on `folder`; resolves with its one-time URL and a stop(). */
function startDesk(folder, extra = []) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(DESK, ['--dir', folder, '--no-browser', '--lang', 'nl', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MELDPUNT_SCRYPT_LOG_N: '10' },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`desk did not start:\n${out}\n${err}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/\?s=[0-9a-f]{64})/);
      if (m && !child.started) {
        child.started = true;
        clearTimeout(timer);
        resolvePromise({
          url: m[1],
          origin: new URL(m[1]).origin,
          child,
          stop: () => new Promise((r) => {
            if (child.exitCode !== null) return r();
            child.on('exit', () => r());
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!child.started) reject(new Error(`desk exited with ${code}:\n${out}\n${err}`));
    });
  });
}

/** A browser context on the desk, signed in with its secret; records page errors. */
async function deskPage(desk, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(desk.origin)) problems.push(`request elsewhere: ${r.url()}`);
  });
  await page.goto(desk.url);
  return { page, context, problems };
}

async function axe(page, what) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], `axe-core on ${what}`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Presses Tab until `selector` has the focus (at most 200 times). */
async function tabTo(page, selector) {
  for (let i = 0; i < 200; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

const ATTACHMENT = Buffer.from(`factuur 2026-17, twee keer betaald ${CANARY}`);
// A HEIC photo's opening bytes: the page cannot clean it and sends it as it is, so the
// desk must warn that it was not checked.
const HEIC = Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1');

async function fileMelding(organisatie, soort, text, overWie, attachment) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.selectOption('#organisatie', organisatie);
  await page.selectOption('#soort', soort);
  if (overWie) await page.selectOption('#over-wie', overWie);
  await page.fill('#tekst', text);
  if (attachment) await page.setInputFiles('#bijlagen', attachment);
  await page.click('#verstuur');
  await page.locator('#token').waitFor({ state: 'visible', timeout: 60000 });
  await context.close();
}

async function staff(path, init = {}) {
  const res = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${k.staffToken}`, ...(init.headers || {}) },
  });
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return res;
}

before(async () => {
  dir = tempDir('meldpunt-desk-e2e-');
  laptop = join(dir, 'laptop');
  k = initKeys(laptop);
  writeFileSync(join(laptop, 'organisaties.txt'), 'leiden = Gemeente Leiden\nleiderdorp = Gemeente Leiderdorp\noegstgeest = Gemeente Oegstgeest\nzoeterwoude = Gemeente Zoeterwoude\n');
  server = await startServer(writeServerConfig(dir, k));
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
  await fileMelding('leiderdorp', 'fraude-corruptie', `De wethouder kreeg een auto van de aannemer. ${CANARY}`, 'bestuurder');
  await fileMelding('leiden', 'pesten', 'Mijn leidinggevende pest mij al maanden.', undefined,
    [{ name: 'factuur.txt', mimeType: 'text/plain', buffer: ATTACHMENT },
     { name: 'IMG_1.HEIC', mimeType: 'image/heic', buffer: HEIC }]);
  inbox = join(dir, 'inbox.tar');
  writeFileSync(inbox, Buffer.from(await (await staff('/api/v1/staff/export')).arrayBuffer()));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the weekly round with the keyboard alone, and the server takes what the desk hands out', async () => {
  const desk = await startDesk(laptop);
  const { page, context, problems } = await deskPage(desk);
  try {
    // Unlock.
    assert.match(page.url(), /\/ontgrendel$/);
    await tabTo(page, '#pass');
    await page.keyboard.type(PASSPHRASE);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/postvak$/);

    // Import: the file chooser opened from the keyboard.
    await tabTo(page, '#bundle');
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Space');
    await (await chooser).setFiles(inbox);
    await tabTo(page, '#import-form button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/postvak\/resultaat$/, { timeout: 60000 });
    const result = await page.locator('main').textContent();
    assert.match(result, /Nieuwe meldingen en vervolgberichten: 2/);
    assert.match(result, /Nieuwe bijlagen: 2/);
    assert.match(result, /Apart gezet: 0/);

    // The list: the bestuurder marked, deadlines in words, organisation names.
    await tabTo(page, 'a[href="/postvak"]:not(.nav-knop)');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/postvak$/);
    const rows = page.locator('table.zaken tbody tr');
    assert.equal(await rows.count(), 2);
    const listText = await page.locator('table.zaken').textContent();
    assert.match(listText, /Gemeente Leiderdorp/);
    assert.match(listText, /ontvangstbevestiging: nog \d+ dagen/);
    assert.match(listText, /Bestuurder/);
    assert.doesNotMatch(listText, /fraude-corruptie|leiderdorp\b/);
    const bestuurderRow = rows.filter({ hasText: 'Bestuurder' });
    const caseNo = (await bestuurderRow.locator('th a').textContent()).trim();

    // The other case's attachment, with its type and size, saved through a download
    // byte for byte, with the plain note about identifying data.
    const otherNo = (await rows.filter({ hasNotText: 'Bestuurder' }).locator('th a').textContent()).trim();
    await page.goto(`${desk.origin}/zaak/${otherNo}`);
    const item = page.locator('.bijlagen-lijst li').filter({ hasText: 'factuur.txt' });
    assert.match(await item.textContent(), /factuur\.txt[\s\S]*text\/plain/);
    assert.match(await item.textContent(), /Geen herkenbare gegevens gevonden/);
    // The HEIC photo the page could not clean: the desk says so, and why.
    const heic = page.locator('.bijlagen-lijst li').filter({ hasText: 'IMG_1.HEIC' });
    assert.match(await heic.textContent(), /kon niet worden gecontroleerd op gegevens[\s\S]*HEIC-foto/);
    const saved = page.waitForEvent('download');
    await item.locator('a').click();
    const file = await saved;
    assert.equal(file.suggestedFilename(), 'factuur.txt');
    assert.deepEqual(readFileSync(await file.path()), ATTACHMENT);
    await page.goto(`${desk.origin}/postvak`);

    // Open the case, reply from the standard text, straight to the outbox.
    await tabTo(page, `a[href="/zaak/${caseNo}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/zaak/${caseNo}$`));
    assert.ok((await page.locator('main').textContent()).includes(CANARY));
    await tabTo(page, `a[href="/zaak/${caseNo}/antwoord"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/antwoord$/);
    assert.match(await page.inputValue('#reply-text'), /in goede orde ontvangen/);
    await tabTo(page, '#reply-text');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(`\n${REPLY_CANARY}`);
    await tabTo(page, 'button[value="voorbeeld"]');
    await page.keyboard.press('Enter');
    await page.locator('.voorbeeld').waitFor();
    await tabTo(page, 'button[value="versturen"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?ok=antwoord$/);
    assert.match(await page.locator('main').textContent(), /klaar om mee te geven/);
    assert.ok((await page.locator('main').textContent()).includes(REPLY_CANARY));
    // No draft or copy of the reply in plaintext anywhere in the meldpunt folder.
    for (const f of readdirSync(laptop, { recursive: true })) {
      const path = join(laptop, String(f));
      if (statSync(path).isFile()) {
        assert.ok(!readFileSync(path).toString('latin1').includes(REPLY_CANARY), `${f} holds the reply in plaintext`);
      }
    }

    // Status: the afdoening from its list, by keyboard.
    await tabTo(page, '#afdoening');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.inputValue('#afdoening'), 'gegrond');
    await tabTo(page, 'form[action$="/status"] button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?ok=status$/);
    assert.match(await page.locator('.gegevens').textContent(), /Gegrond/);

    // Weekly round: the replies bundle and the import confirmation, as downloads.
    await tabTo(page, 'a.nav-knop[href="/weekronde"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/weekronde$/);
    await tabTo(page, 'form[action="/weekronde/antwoorden"] button');
    let dl = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const replies = await dl;
    assert.match(replies.suggestedFilename(), /^reacties-\d{4}-\d{2}-\d{2}\.tar$/);
    const repliesPath = join(dir, 'reacties.tar');
    await replies.saveAs(repliesPath);
    await tabTo(page, 'form[action="/weekronde/bevestiging"] button');
    dl = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const confirmation = await dl;
    assert.match(confirmation.suggestedFilename(), /^importbevestiging-\d{4}-\d{2}-\d{2}\.json$/);
    const confirmPath = join(dir, 'importbevestiging.json');
    await confirmation.saveAs(confirmPath);

    // The real server takes both.
    const took = await (await staff('/api/v1/staff/reacties', {
      method: 'POST', headers: { 'Content-Type': 'application/x-tar' }, body: readFileSync(repliesPath),
    })).json();
    assert.equal(took.imported, 1);
    const deleted = await (await staff('/api/v1/staff/bevestiging', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: readFileSync(confirmPath),
    })).json();
    assert.deepEqual(deleted, { deleted: 4, unknown: 0, set_aside: 0 }); // 2 meldingen, 2 bijlagen

    // The reply left the laptop: now the ontvangstbevestiging counts as given.
    await page.goto(`${desk.origin}/zaak/${caseNo}`);
    assert.match(await page.locator('.gegevens').textContent(), /ontvangstbevestiging: gegeven op/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await desk.stop();
  }
});

const VIEWS = [
  ['postvak', '/postvak'],
  ['antwoorden', '/antwoorden'],
  ['registreren', '/registreren'],
  ['organisaties', '/organisaties'],
  ['weekronde', '/weekronde'],
  ['jaarverslag', '/jaarverslag?jaren=3'],
];

test('every view in Dutch and English passes axe-core, and is photographed', async () => {
  // A first run, on an empty folder.
  const fresh = await startDesk(join(dir, 'nieuw'));
  const first = await deskPage(fresh);
  try {
    for (const lang of ['nl', 'en']) {
      await first.page.goto(`${fresh.origin}/eerste-keer?lang=${lang}`);
      await axe(first.page, `eerste-keer ${lang}`);
      await shot(first.page, `bureau-eerste-keer-${lang}`);
    }
    await first.page.fill('#pass1', PASSPHRASE);
    await first.page.fill('#pass2', PASSPHRASE);
    await first.page.click('form button[type="submit"]');
    await first.page.locator('#staff-token').waitFor();
    await axe(first.page, 'gemaakt en');
    await shot(first.page, 'bureau-gemaakt-en');
    const dl = first.page.waitForEvent('download');
    await first.page.click('a[href="/eerste-keer/serverbestand"]');
    const serverFile = readFileSync(await (await dl).path(), 'utf8');
    assert.match(serverFile, /signing_public_key/);
    // Shown once: the token is gone on the next visit.
    await first.page.goto(`${fresh.origin}/eerste-keer`);
    assert.equal(await first.page.locator('#staff-token').count(), 0);
    assert.deepEqual(first.problems, []);
  } finally {
    await first.context.close();
    await fresh.stop();
  }

  const desk = await startDesk(laptop);
  const { page, context, problems } = await deskPage(desk);
  try {
    for (const lang of ['nl', 'en']) {
      await page.goto(`${desk.origin}/ontgrendel?lang=${lang}`);
      await axe(page, `ontgrendel ${lang}`);
      await shot(page, `bureau-ontgrendel-${lang}`);
    }
    await page.fill('#pass', 'niet de goede wachtzin');
    await page.click('form button[type="submit"]');
    await page.locator('.status-fout').waitFor();
    assert.match(await page.locator('.status-fout').textContent(), /passphrase is not right/);
    await page.fill('#pass', PASSPHRASE);
    await page.click('form button[type="submit"]');
    await page.waitForURL(/\/postvak$/);
    // The import result (the same bundle again: everything a duplicate).
    await page.setInputFiles('#bundle', inbox);
    await page.click('#import-form button[type="submit"]');
    await page.waitForURL(/\/postvak\/resultaat$/, { timeout: 60000 });
    assert.match(await page.locator('main').textContent(), /(Al eerder ingelezen|Imported before): 4/);
    await page.goto(`${desk.origin}/postvak`);
    const caseNo = (await page.locator('table.zaken tbody th a').first().textContent()).trim();
    const views = [['resultaat', '/postvak/resultaat'], ...VIEWS, ['zaak', `/zaak/${caseNo}`], ['antwoord', `/zaak/${caseNo}/antwoord`]];
    for (const lang of ['nl', 'en']) {
      for (const [name, path] of views) {
        await page.goto(`${desk.origin}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        await axe(page, `${name} ${lang}`);
        await shot(page, `bureau-${name}-${lang}`);
      }
    }
    // A bundle of another kind is refused in words, and nothing changes.
    await page.goto(`${desk.origin}/postvak?lang=en`);
    const bogus = join(dir, 'kapot.tar');
    writeFileSync(bogus, 'dit is geen bundel');
    await page.setInputFiles('#bundle', bogus);
    await page.click('#import-form button[type="submit"]');
    await page.locator('.status-fout').waitFor();
    assert.match(await page.locator('.status-fout').textContent(), /damaged or not a bundle[\s\S]*Nothing was imported/);
    await axe(page, 'import error en');
    await shot(page, 'bureau-fout-en');

    // The jaarverslag's CSV opens in Dutch Excel: BOM, semicolons, names.
    const csv = await page.evaluate(async () => {
      const r = await fetch('/jaarverslag/download?fmt=csv&jaren=2');
      return new Uint8Array(await r.arrayBuffer());
    });
    const bytes = Buffer.from(Object.values(csv));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    assert.match(text.split('\r\n')[0], /;/);
    assert.match(text, /Gemeente Leiderdorp;/);
    assert.match(text, /< 5/);
    assert.deepEqual(problems.filter((p) => !p.includes('status of 4')), []);
  } finally {
    await context.close();
    await desk.stop();
  }
});

test('at 200% zoom no view needs sideways scrolling', async () => {
  const desk = await startDesk(laptop);
  // 200% zoom on a 1280-pixel-wide window: 640 CSS pixels, each drawn twice as large.
  const { page, context } = await deskPage(desk, { viewport: { width: 640, height: 720 }, deviceScaleFactor: 2 });
  try {
    await page.fill('#pass', PASSPHRASE);
    await page.click('form button[type="submit"]');
    await page.waitForURL(/\/postvak$/);
    const caseNo = (await page.locator('table.zaken tbody th a').first().textContent()).trim();
    for (const [name, path] of [...VIEWS, ['zaak', `/zaak/${caseNo}`]]) {
      await page.goto(`${desk.origin}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px at 200%`);
      assert.ok(await page.locator('h1').isVisible(), `${name}: no heading in view`);
    }
    await shot(page, 'bureau-zaak-200');
  } finally {
    await context.close();
    await desk.stop();
  }
});
