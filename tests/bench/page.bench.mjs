// Benchmark of the reporter's page, not a test (`cargo xtask test` does not run it):
// in one headless Chromium run, sealing throughput and the latency of a 1 KiB melding
// of our WASM client against the official TypeScript age (npm `age-encryption`), and
// the weight of everything the first view transfers, compressed. Results go to
// docs/PERFORMANCE.md ("The reporter's page").
//
//   cargo xtask wasm && cargo build --release -p meldpunt-server -p meldpunt-keys
//   node tests/bench/page.bench.mjs

import { join } from 'node:path';
import { loadavg } from 'node:os';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { tempDir, initKeys, writeServerConfig, startServer, launchBrowser } from '../e2e/harness.mjs';
import { benchPage } from './serve.mjs';

/** Sealing rounds (BENCH_ROUNDS); the figures are medians. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Whether the machine was quiet: shown with the results. */
const LOAD = loadavg();

const dir = tempDir('meldpunt-bench-');
const k = initKeys(join(dir, 'laptop'));
const server = await startServer(writeServerConfig(dir, k));
const browser = await launchBrowser();
try {
  // 1. Page weight of the first view, from the real server.
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const bodies = [];
  page.on('response', async (r) => {
    try {
      bodies.push({ url: r.url(), body: await r.body() });
    } catch { /* redirects have no body */ }
  });
  await page.goto(server.url, { waitUntil: 'networkidle' });
  await page.waitForTimeout(500);
  const weigh = (list) => list.reduce((a, { body }) => ({
    raw: a.raw + body.length,
    gzip: a.gzip + gzipSync(body, { level: 9 }).length,
    br: a.br + brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }), { raw: 0, gzip: 0, br: 0 });
  const first = weigh(bodies);
  const firstFiles = bodies.map((b) => new URL(b.url).pathname);
  // What the first interaction adds (the WebAssembly client).
  const before = bodies.length;
  const touched = Date.now();
  await page.focus('#tekst');
  await page.waitForFunction(() => !document.getElementById('code-blok').hidden, null, { timeout: 20000 });
  // From the first interaction until the module is fetched, compiled, instantiated and
  // its hash checked (loopback: no network time).
  const wasmReadyMs = Date.now() - touched;
  await page.waitForTimeout(300);
  // The code-hash check fetches the files again (from the cache): count each once.
  const wasmOnly = weigh(bodies.slice(before).filter((b) => b.url.endsWith('.wasm')).slice(0, 1));
  await ctx.close();

  // 2. Sealing, both libraries in one page of one origin (served from disk).
  const bctx = await browser.newContext();
  const bpage = await benchPage(bctx);
  const result = await bpage.evaluate(async (ROUNDS) => {
    const wasm = await import('/pkg/meldpunt_client.js');
    await wasm.default();
    const age = await import('age-encryption');
    const id = await age.generateX25519Identity();
    const recipient = await age.identityToRecipient(id);
    const recipients = JSON.stringify([recipient]);
    const token = wasm.new_token();
    const MB = 32 * 1024 * 1024;
    const data = new Uint8Array(MB);
    for (let i = 0; i < MB; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
    const { sha256 } = await import('@noble/hashes/sha2.js');
    const PIECE = 1 << 20;
    const time = async (f) => {
      const t0 = performance.now();
      await f();
      return performance.now() - t0;
    };
    // Equal work for both libraries: the same 32 MiB sealed to one X25519 recipient.
    // Ours goes in 1 MiB pieces through `AttachmentSealer`, as the page does (and seals
    // 33 MiB: the file plus its padding to the next size class); age-encryption seals
    // in one call. Then what the page does per attachment, sealing plus the file's
    // SHA-256 for the melding's list: ours with `FileHash`, theirs with
    // @noble/hashes (the SHA-256 age-encryption itself depends on), both in 1 MiB pieces.
    const sealOurs = () => {
      const s = new wasm.AttachmentSealer(recipients, MB);
      for (let at = 0; at < MB; at += PIECE) s.push(data.subarray(at, at + PIECE));
      s.finish();
      s.free();
    };
    const sealTheirs = async () => {
      const e = new age.Encrypter();
      e.addRecipient(recipient);
      await e.encrypt(data);
    };
    const pageOurs = () => {
      const s = new wasm.AttachmentSealer(recipients, MB);
      const h = new wasm.FileHash();
      for (let at = 0; at < MB; at += PIECE) {
        const piece = data.subarray(at, at + PIECE);
        s.push(piece);
        h.update(piece);
      }
      s.finish();
      h.hex();
      s.free();
      h.free();
    };
    const pageTheirs = async () => {
      const h = sha256.create();
      for (let at = 0; at < MB; at += PIECE) h.update(data.subarray(at, at + PIECE));
      h.digest();
      await sealTheirs();
    };
    // Rounds interleave the libraries, so a busy moment on the machine hits both;
    // each figure is the median over the rounds.
    const rounds = { sealOurs: [], sealTheirs: [], pageOurs: [], pageTheirs: [] };
    for (let i = 0; i < ROUNDS; i++) {
      rounds.sealOurs.push(await time(sealOurs));
      rounds.sealTheirs.push(await time(sealTheirs));
      rounds.pageOurs.push(await time(pageOurs));
      rounds.pageTheirs.push(await time(pageTheirs));
    }
    // Latency of a 1 KiB melding: the whole seal_melding (JSON, padding, X25519, seal) vs
    // age-encryption sealing 1 KiB; median of 200.
    const text = 'x'.repeat(1024);
    const fields = JSON.stringify({ organisatie: 'leiden', soort: 'overig', text });
    const median = async (n, f) => {
      const ts = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await f();
        ts.push(performance.now() - t0);
      }
      ts.sort((a, b) => a - b);
      return ts[Math.floor(n / 2)];
    };
    const small = new TextEncoder().encode(text);
    const oursLat = await median(200, () => wasm.seal_melding(fields, recipients, token));
    const theirsLat = await median(200, async () => {
      const e = new age.Encrypter();
      e.addRecipient(recipient);
      await e.encrypt(small);
    });
    const mbps = (ms) => (MB / 1e6) / (ms / 1000);
    const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const speeds = Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, mbps(med(v))]));
    const ratios = rounds.sealOurs.map((t, i) => rounds.sealTheirs[i] / t);
    return { ...speeds, sealRatios: ratios, oursLat, theirsLat };
  }, ROUNDS);
  await bctx.close();

  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`chromium ${browser.version()}`);
  console.log(`load average at the start: ${LOAD.map((l) => l.toFixed(2)).join(' ')}; ${ROUNDS} rounds, medians`);
  console.log(`sealing 32 MiB: meldpunt WASM ${result.sealOurs.toFixed(0)} MB/s, age-encryption ${result.sealTheirs.toFixed(0)} MB/s (${(result.sealOurs / result.sealTheirs).toFixed(2)}x; per round ${result.sealRatios.map((r) => r.toFixed(2)).join(' ')})`);
  console.log(`sealing + SHA-256 of 32 MiB (the page's work per attachment): meldpunt WASM ${result.pageOurs.toFixed(0)} MB/s, age-encryption + @noble/hashes ${result.pageTheirs.toFixed(0)} MB/s (${(result.pageOurs / result.pageTheirs).toFixed(2)}x)`);
  console.log(`1 KiB melding: meldpunt WASM seal_melding ${result.oursLat.toFixed(3)} ms, age-encryption ${result.theirsLat.toFixed(3)} ms (median of 200)`);
  console.log(`first view (${firstFiles.join(' ')}): raw ${kib(first.raw)}, gzip ${kib(first.gzip)}, brotli ${kib(first.br)}`);
  console.log(`WASM module, loaded on first interaction: raw ${kib(wasmOnly.raw)}, gzip ${kib(wasmOnly.gzip)}, brotli ${kib(wasmOnly.br)}; ready ${wasmReadyMs} ms after the first interaction (loopback)`);
} finally {
  await browser.close();
  await server.stop();
}
