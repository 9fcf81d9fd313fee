// Metadata removal before sealing (issue 15), end to end: real files with real
// metadata written by exiftool (a JPEG with GPS EXIF, camera serial, IPTC and XMP; a
// PDF with an Info dictionary and XMP; a Word file with an author, last editor,
// company and revision ids), chosen in the real page in Debian's Chromium, sealed and
// sent to the real server, exported, imported and extracted by the real meldpunt-keys.
// What the laptop extracts carries none of it by exiftool's and mat2's reading, and
// still opens. A photo whose original the melder chose to keep, and a HEIC photo the
// page cannot clean, arrive as they were, and the laptop warns about both.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  BIN, PASSPHRASE, tempDir, keys, initKeys, writeServerConfig, startServer, launchBrowser, openPage,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** What is planted in the files; none of it may reach the laptop from a cleaned file. */
const SECRETS = ['Jan Jansen', 'Gemeente Leiden', 'SN0123456789', 'Breestraat', 'Canon'];

let dir, k, server, browser;

before(async () => {
  dir = tempDir('meldpunt-e2e-meta-');
  k = initKeys(join(dir, 'laptop'));
  server = await startServer(writeServerConfig(dir, k));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const exiftool = (args) => execFileSync('exiftool', args, { encoding: 'utf8' });

/** Every tag exiftool reads, as one JSON object ("Group:Tag": value). */
function tags(path) {
  return JSON.parse(exiftool(['-j', '-a', '-G1', '-n', '-ee', path]))[0];
}

/** A real JPEG, drawn and encoded by Chromium itself. */
async function chromiumJpeg() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bytes = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 64;
    c.height = 48;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 64, 48);
    grad.addColorStop(0, '#c00');
    grad.addColorStop(1, '#00c');
    g.fillStyle = grad;
    g.fillRect(0, 0, 64, 48);
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.9));
    return [...new Uint8Array(await blob.arrayBuffer())];
  });
  await context.close();
  return Buffer.from(bytes);
}

/** A one-page PDF saying "Hallo", with correct offsets. */
function plainPdf() {
  const content = 'BT /F1 24 Tf 72 720 Td (Hallo) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** A Word document with an author, a last editor at an organisation and revision ids. */
function dirtyDocx(at) {
  const parts = {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
    '_rels/.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>',
    'word/document.xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p w:rsidR="00A1B2C3" w:rsidRDefault="00D4E5F6"><w:r><w:t>De offerte is achteraf aangepast.</w:t></w:r></w:p></w:body></w:document>',
    'docProps/core.xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Jan Jansen</dc:creator><cp:lastModifiedBy>Jan Jansen (Gemeente Leiden)</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2026-11-29T09:00:00Z</dcterms:created></cp:coreProperties>',
    'docProps/app.xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Company>Gemeente Leiden</Company></Properties>',
  };
  const src = join(at, 'docx');
  for (const [name, text] of Object.entries(parts)) {
    mkdirSync(join(src, name, '..'), { recursive: true });
    writeFileSync(join(src, name), text);
  }
  // Python's own zip writer (python3 comes with mat2): an archive the page did not make.
  const out = join(at, 'offerte.docx');
  execFileSync('python3', ['-m', 'zipfile', '-c', out, ...Object.keys(parts).map((n) => n.split('/')[0]).filter((n, i, a) => a.indexOf(n) === i)], { cwd: src });
  return out;
}

function makeFiles() {
  const files = join(dir, 'bestanden');
  mkdirSync(files, { recursive: true });
  return files;
}

const PHOTO_TAGS = [
  '-GPSLatitude=52.1583', '-GPSLatitudeRef=N', '-GPSLongitude=4.4931', '-GPSLongitudeRef=E',
  '-Make=Canon', '-Model=Canon EOS 5D', '-SerialNumber=SN0123456789', '-Artist=Jan Jansen',
  '-XMP-dc:Creator=Jan Jansen', '-IPTC:By-line=Jan Jansen', '-IPTC:Sub-location=Breestraat',
  '-Comment=Breestraat', '-DateTimeOriginal=2026:11:30 10:00:00',
];

/** Runs meldpunt-keys and returns {stdout, stderr}; throws if it fails. */
function keysBoth(args) {
  const r = spawnSync(BIN.keys, ['--dir', join(dir, 'laptop'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, MELDPUNT_PASSPHRASE: PASSPHRASE, MELDPUNT_SCRYPT_LOG_N: '10', LANG: 'nl_NL.UTF-8' },
  });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

test('files are cleaned in the page before sealing; the laptop gets none of the metadata, and is warned about what was kept', async () => {
  const files = makeFiles();
  const photo = join(files, 'foto.jpg');
  writeFileSync(photo, await chromiumJpeg());
  exiftool(['-q', '-overwrite_original', ...PHOTO_TAGS, photo]);
  const kept = join(files, 'datum-is-bewijs.jpg');
  writeFileSync(kept, readFileSync(photo));
  const pdf = join(files, 'brief.pdf');
  writeFileSync(pdf, plainPdf());
  exiftool(['-q', '-overwrite_original', '-PDF:Author=Jan Jansen', '-PDF:Creator=Gemeente Leiden',
    '-XMP-dc:Creator=Jan Jansen', '-XMP-pdf:Producer=Gemeente Leiden', pdf]);
  const docx = dirtyDocx(files);
  // A HEIC photo: the page cannot clean it, and says so.
  const heic = join(files, 'IMG_0001.HEIC');
  writeFileSync(heic, Buffer.concat([
    Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1'),
    Buffer.from('....Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a\0\0\0\0', 'latin1'),
  ]));
  // The files really carry what the test says, by exiftool's reading.
  const before = JSON.stringify([tags(photo), tags(pdf), tags(docx)]);
  for (const s of ['Jan Jansen', 'SN0123456789', 'Gemeente Leiden']) assert.ok(before.includes(s), s);
  assert.ok(tags(photo)['GPS:GPSLatitude'], 'the photo has GPS');

  const { page, context, problems } = await openPage(browser, server.url);
  await page.locator('#view-melding').waitFor({ state: 'visible' });
  await page.selectOption('#organisatie', 'leiden');
  await page.selectOption('#soort', 'fraude-corruptie');
  await page.fill('#tekst', 'De offerte in de bijlagen is achteraf aangepast.');
  await page.setInputFiles('#bijlagen', [photo, kept, pdf, docx, heic]);
  const item = (name) => page.locator('#bijlagen-lijst li', { hasText: name });
  // Each file's report, in plain Dutch.
  await page.waitForFunction(() => !document.getElementById('bijlagen-lijst').textContent.includes('Wordt gecontroleerd'), null, { timeout: 60000 });
  const said = await item('foto.jpg').textContent();
  for (const words of ['de plek waar de foto is gemaakt', 'het merk en type van de camera', 'het serienummer van de camera', 'de naam van de maker']) {
    assert.ok(said.includes(words), `${words}: ${said}`);
  }
  assert.match(await item('brief.pdf').textContent(), /de naam van de maker.*het programma waarmee het is gemaakt/);
  assert.match(await item('offerte.docx').textContent(), /de naam van de maker.*de naam van de organisatie/);
  assert.match(await item('IMG_0001.HEIC').textContent(), /kon niet worden gecontroleerd.*HEIC.*schermafbeelding/);
  // Keeping the original is a choice per file, off by default, explained.
  const keep = item('datum-is-bewijs.jpg').getByRole('checkbox', { name: /Verstuur het origineel/ });
  assert.equal(await keep.isChecked(), false);
  await keep.check();
  await page.waitForFunction(() => document.getElementById('bijlagen-lijst').textContent.includes('U verstuurt het origineel'));
  assert.equal(await item('datum-is-bewijs.jpg').getByRole('checkbox').isChecked(), true);
  assert.equal(await item('foto.jpg').getByRole('checkbox').isChecked(), false);
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], 'axe-core on the cleaning reports');

  await page.click('#verstuur');
  await page.locator('#view-token').waitFor({ state: 'visible', timeout: 120000 });
  assert.deepEqual(problems, []);
  await context.close();

  // The laptop.
  const res = await fetch(`${server.url}/api/v1/staff/export`, { headers: { Authorization: `Bearer ${k.staffToken}` } });
  assert.equal(res.status, 200);
  const bundle = join(dir, 'inbox.tar');
  writeFileSync(bundle, Buffer.from(await res.arrayBuffer()));
  keys(join(dir, 'laptop'), ['import', bundle]);
  const no = keys(join(dir, 'laptop'), ['list']).match(/\b(\d{4}-\d{4})\b/)[1];
  const out = join(dir, 'uitgepakt');
  const extracted = keysBoth(['extract', no, '--to', out]);
  const got = (name) => join(out, name);
  assert.deepEqual(readdirSync(out).sort(), ['IMG_0001.HEIC', 'brief.pdf', 'datum-is-bewijs.jpg', 'foto.jpg', 'offerte.docx']);

  // The cleaned files: nothing planted survives, by exiftool's and mat2's reading.
  for (const name of ['foto.jpg', 'brief.pdf', 'offerte.docx']) {
    const t = tags(got(name));
    const text = JSON.stringify(t);
    for (const s of SECRETS) assert.ok(!text.includes(s), `${name}: ${s} survived: ${text}`);
    for (const key of Object.keys(t)) {
      assert.doesNotMatch(key, /:(GPS|Make|Model|SerialNumber|Artist|Creator|By-line|Author|Producer|LastModifiedBy|Company|Comment|DateTimeOriginal)/, `${name}: ${key} survived`);
    }
    const mat2 = spawnSync('mat2', ['--show', got(name)], { encoding: 'utf8' });
    for (const s of SECRETS) assert.ok(!mat2.stdout.includes(s), `${name}: mat2 still shows ${s}:\n${mat2.stdout}`);
  }
  // … and they still open: Chromium decodes the photo, exiftool reads the PDF's page,
  // Python opens the docx and parses every XML part.
  const photoOut = readFileSync(got('foto.jpg'));
  const context2 = await browser.newContext();
  const p2 = await context2.newPage();
  const size = await p2.evaluate(async (b) => {
    const bmp = await createImageBitmap(new Blob([new Uint8Array(b)], { type: 'image/jpeg' }));
    return [bmp.width, bmp.height];
  }, [...photoOut]);
  await context2.close();
  assert.deepEqual(size, [64, 48]);
  assert.equal(tags(got('brief.pdf'))['PDF:PageCount'], 1);
  assert.ok(readFileSync(got('brief.pdf'), 'latin1').includes('(Hallo) Tj'));
  const parts = execFileSync('python3', ['-c', `
import sys, zipfile, xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for n in z.namelist():
    if n.endswith(('.xml', '.rels')):
        xml.dom.minidom.parseString(z.read(n))
print(z.read('word/document.xml').decode())
`, got('offerte.docx')], { encoding: 'utf8' });
  assert.match(parts, /De offerte is achteraf aangepast\./);
  assert.doesNotMatch(parts, /rsid/);

  // What the melder kept, and what the page could not check, arrive as they were…
  assert.ok(readFileSync(got('datum-is-bewijs.jpg')).equals(readFileSync(kept)));
  assert.ok(readFileSync(got('IMG_0001.HEIC')).equals(readFileSync(heic)));
  // … and the laptop says what is in them, on extract and on show; of the cleaned files it says nothing.
  assert.match(extracted.stderr, /datum-is-bewijs\.jpg bevat nog verborgen gegevens: de plek waar de foto is gemaakt, het merk en type van de camera, het serienummer van de camera, de naam van de maker/);
  assert.match(extracted.stderr, /IMG_0001\.HEIC kon niet worden gecontroleerd op verborgen gegevens: een HEIC-foto/);
  assert.match(extracted.stderr, /mat2/);
  for (const name of ['foto.jpg', 'brief.pdf', 'offerte.docx']) assert.ok(!extracted.stderr.includes(`${name} `), extracted.stderr);
  const shown = keysBoth(['show', no]).stdout;
  assert.match(shown, /datum-is-bewijs\.jpg bevat nog verborgen gegevens/);
  assert.match(shown, /IMG_0001\.HEIC kon niet worden gecontroleerd/);
  assert.doesNotMatch(shown, /foto\.jpg bevat|brief\.pdf bevat|offerte\.docx bevat/);
  const english = spawnSync(BIN.keys, ['--dir', join(dir, 'laptop'), '--lang', 'en', 'show', no], {
    encoding: 'utf8', env: { ...process.env, MELDPUNT_PASSPHRASE: PASSPHRASE, MELDPUNT_SCRYPT_LOG_N: '10' },
  });
  assert.match(english.stdout, /datum-is-bewijs\.jpg still holds hidden details: where the photo was taken/);
});

test('the reports are in English too', async () => {
  const files = makeFiles();
  const photo = join(files, 'photo.jpg');
  writeFileSync(photo, await chromiumJpeg());
  exiftool(['-q', '-overwrite_original', '-GPSLatitude=52.1583', '-GPSLatitudeRef=N', '-Artist=Jan Jansen', photo]);
  const { page, context, problems } = await openPage(browser, `${server.url}/?lang=en`);
  await page.locator('#view-melding').waitFor({ state: 'visible' });
  await page.setInputFiles('#bijlagen', [{ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: readFileSync(photo) }, { name: 'film.mp4', mimeType: 'video/mp4', buffer: Buffer.from('\0\0\0\x18ftypisom', 'latin1') }]);
  await page.waitForFunction(() => document.getElementById('bijlagen-lijst').textContent.includes('could not be checked'), null, { timeout: 60000 });
  const text = await page.textContent('#bijlagen-lijst');
  assert.match(text, /Hidden details removed: where the photo was taken, the name of the maker or editor/);
  assert.match(text, /film\.mp4.*could not be checked for hidden details: the page cannot read this kind of file/);
  assert.ok(await page.getByRole('checkbox', { name: /Send the original/ }).isVisible());
  assert.deepEqual(problems, []);
  await context.close();
});
