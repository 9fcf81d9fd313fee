// Benchmark of metadata removal in the reporter's page, not a test (`cargo xtask test`
// does not run it): in one headless Chromium run, the WASM `clean_file` on a 20 MiB
// JPEG (camera noise drawn and encoded by Chromium, with the EXIF/GPS, XMP and IPTC
// segments exiftool wrote into tests/vectors' photo) and on 20 MiB PDFs (one with a
// large image stream, one with many small objects; both with Info and XMP), against
// the reference of the same bytes hashed by the same WASM (`sha256_hex`) and copied
// (`Uint8Array.slice`) in the same page. Results go to docs/PERFORMANCE.md
// ("Metadata removal in the page").
//
//   cargo xtask wasm && cargo build --release -p meldpunt-server -p meldpunt-keys
//   node tests/bench/clean.bench.mjs

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { ROOT, tempDir, initKeys, writeServerConfig, startServer, launchBrowser } from '../e2e/harness.mjs';

const MIB = 1 << 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const LOAD = loadavg();

/** The APP1-APP15 and COM segments of the committed dirty photo: real exiftool metadata. */
function metadataSegments() {
  const j = readFileSync(join(ROOT, 'clean/tests/vectors/photo-gps-camera-iptc-xmp.jpg'));
  const keep = [];
  let at = 2;
  while (j[at] === 0xff && j[at + 1] >= 0xe0 && j[at + 1] <= 0xfe) {
    const end = at + 2 + j.readUInt16BE(at + 2);
    if (j[at + 1] !== 0xe0) keep.push(j.subarray(at, end));
    at = end;
  }
  return Buffer.concat(keep);
}

/** A PDF of `objects`, with Info and an XMP stream, offsets computed. */
function pdf(objects) {
  const xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jan Jansen</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>';
  const all = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R /Metadata 3 0 R >>'),
    null, // pages, filled below
    Buffer.from(`<< /Type /Metadata /Subtype /XML /Length ${xmp.length} >>\nstream\n${xmp}\nendstream`),
    Buffer.from('<< /Author (Jan Jansen) /Creator (Gemeente Leiden) /Producer (Bench) >>'),
    ...objects,
  ];
  const first = all.length - objects.length + 1;
  const pages = objects.map((_, i) => i + first).filter((id, i) => objects[i].isPage);
  all[1] = Buffer.from(`<< /Type /Pages /Kids [${pages.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  const parts = [Buffer.from('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let len = parts[0].length;
  const offsets = all.map((o, i) => {
    const at = len;
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
    parts.push(b);
    len += b.length;
    return at;
  });
  let xref = `xref\n0 ${all.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) xref += `${String(o).padStart(10, '0')} 00000 n \n`;
  xref += `trailer\n<< /Size ${all.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${len}\n%%EOF\n`;
  parts.push(Buffer.from(xref));
  return Buffer.concat(parts);
}

function page(pageRef, contents) {
  const b = Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${contents} 0 R >>`);
  b.isPage = true;
  return b;
}

/** One page showing one 20 MiB image stream (a scan, a photo in a PDF). */
function bigStreamPdf() {
  const img = randomBytes(20 * MIB);
  const n = 5; // first object id of ours
  return pdf([
    page(n, n + 1),
    Buffer.from(`<< /Length 30 >>\nstream\nq 612 0 0 792 0 0 cm /Im1 Do Q\nendstream`),
    Buffer.concat([Buffer.from(`<< /Type /XObject /Subtype /Image /Width 4096 /Height 1280 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length ${img.length} >>\nstream\n`), img, Buffer.from('\nendstream')]),
  ]);
}

/** Many pages of text: some 10,000 small objects in 20 MiB (a long report). */
function manyObjectsPdf() {
  const objects = [];
  const text = 'BT /F1 10 Tf 72 720 Td (' + 'Lorem ipsum dolor sit amet. '.repeat(140) + ') Tj ET';
  const perPage = Buffer.byteLength(text) + 120;
  const pages = Math.floor((20 * MIB) / perPage);
  for (let i = 0; i < pages; i++) {
    const id = 5 + objects.length;
    objects.push(page(id, id + 1));
    objects.push(Buffer.from(`<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`));
  }
  return pdf(objects);
}

const dir = tempDir('meldpunt-bench-clean-');
const k = initKeys(join(dir, 'laptop'));
const server = await startServer(writeServerConfig(dir, k));
const browser = await launchBrowser();
try {
  const inputs = {
    'stream.pdf': bigStreamPdf(),
    'pages.pdf': manyObjectsPdf(),
    'meta.bin': metadataSegments(),
  };
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.route('**/bench-input/*', (route) => route.fulfill({ body: inputs[route.request().url().split('/').pop()], contentType: 'application/octet-stream' }));
  await p.goto(server.url);
  const results = await p.evaluate(async ({ ROUNDS, MIB }) => {
    const wasm = await import('/pkg/meldpunt_client.js');
    await wasm.default();
    const get = async (n) => new Uint8Array(await (await fetch(`/bench-input/${n}`)).arrayBuffer());
    // A 20 MiB JPEG: noise (what a camera's fine detail costs to encode), by Chromium.
    const c = document.createElement('canvas');
    c.width = 5600;
    c.height = 4000;
    const g = c.getContext('2d');
    const px = g.createImageData(c.width, c.height);
    for (let i = 0; i < px.data.length; i += 4) {
      const v = (Math.random() * 256) | 0;
      px.data[i] = v;
      px.data[i + 1] = (v * 7) & 255;
      px.data[i + 2] = (Math.random() * 256) | 0;
      px.data[i + 3] = 255;
    }
    g.putImageData(px, 0, 0);
    const encoded = new Uint8Array(await (await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.92))).arrayBuffer());
    const meta = await get('meta.bin');
    const jpeg = new Uint8Array(encoded.length + meta.length);
    jpeg.set(encoded.subarray(0, 2));
    jpeg.set(meta, 2);
    jpeg.set(encoded.subarray(2), 2 + meta.length);
    const files = [
      ['foto.jpg', 'image/jpeg', jpeg],
      ['scan.pdf', 'application/pdf', await get('stream.pdf')],
      ['rapport.pdf', 'application/pdf', await get('pages.pdf')],
    ];
    const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
    const time = (f) => {
      const t = [];
      for (let i = 0; i < ROUNDS; i++) {
        const t0 = performance.now();
        f();
        t.push(performance.now() - t0);
      }
      return median(t);
    };
    const out = [];
    for (const [name, type, bytes] of files) {
      let r;
      const clean = time(() => (r = wasm.clean_file(name, type, bytes)));
      const hash = time(() => wasm.sha256_hex(bytes));
      const copy = time(() => bytes.slice());
      out.push({ name, mib: bytes.length / MIB, clean, hash, copy, removed: r.removed.join(' '), couldNotCheck: r.couldNotCheck, outMib: r.bytes.length / MIB });
    }
    return out;
  }, { ROUNDS, MIB });
  await ctx.close();
  const mbs = (mib, ms) => ((mib * MIB) / 1e6 / (ms / 1000)).toFixed(0);
  const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
  console.log(`load average ${load(LOAD)} at the start, ${load(loadavg())} at the end; median of ${ROUNDS}; Chromium ${browser.version()}`);
  console.log('| file | size | clean_file | MB/s | sha256_hex (reference) | MB/s | copy | clean / sha256 | removed |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.mib.toFixed(1)} MiB | ${r.clean.toFixed(0)} ms | ${mbs(r.mib, r.clean)} | ${r.hash.toFixed(0)} ms | ${mbs(r.mib, r.hash)} | ${r.copy.toFixed(1)} ms | ${(r.clean / r.hash).toFixed(2)} | ${r.removed || r.couldNotCheck} |`);
  }
} finally {
  await browser.close();
  await server.stop();
}
