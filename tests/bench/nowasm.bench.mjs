// Benchmark of the JavaScript build of the client (pkg/js/, the browsers without
// WebAssembly), not a test (`cargo xtask test` does not run it): in one headless
// Chromium run with `--js-flags=--jitless` (no JIT and no WebAssembly, like Tor Browser
// at "Safer"), sealing a 1 KiB melding and a 10 MiB file with our JavaScript build
// against the official TypeScript age (npm `age-encryption`) under the same flags, and
// the time of one Argon2id evaluation of the proof of work (what the server's minimum
// effort costs there). Results go to docs/PERFORMANCE.md ("Without WebAssembly").
//
//   cargo xtask wasm && cargo build --release -p meldpunt-server -p meldpunt-keys
//   node tests/bench/nowasm.bench.mjs

import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { ROOT, launchBrowser } from '../e2e/harness.mjs';
import { benchPage } from './serve.mjs';

/** Rounds of the 10 MiB seal (BENCH_ROUNDS); the figures are medians. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** The server's default `[pow] min_effort` (server/src/config.rs). */
const DEFAULT_MIN_EFFORT = 1000;
const LOAD = loadavg();

const browser = await launchBrowser(['--js-flags=--jitless']);
try {
  const context = await browser.newContext();
  const page = await benchPage(context);
  const result = await page.evaluate(async ({ ROUNDS }) => {
    if (typeof WebAssembly !== 'undefined') throw new Error('this Chromium runs WebAssembly: not jitless');
    const t0 = performance.now();
    const ours = await import('/pkg/js/meldpunt_client.js');
    await ours.default();
    const loadMs = performance.now() - t0;
    const age = await import('age-encryption');
    const id = await age.generateX25519Identity();
    const recipient = await age.identityToRecipient(id);
    const recipients = JSON.stringify([recipient]);
    const token = ours.new_token();
    const time = async (f) => {
      const s = performance.now();
      await f();
      return performance.now() - s;
    };
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

    // 10 MiB: ours in 1 MiB pieces through AttachmentSealer, as the page does (it also
    // pads to the size class); age-encryption in one call. Rounds interleave.
    const SIZE = 10 * 1024 * 1024;
    const PIECE = 1 << 20;
    const data = new Uint8Array(SIZE);
    for (let i = 0; i < SIZE; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
    const rounds = { ours: [], theirs: [] };
    for (let i = 0; i < ROUNDS; i++) {
      rounds.ours.push(await time(() => {
        const s = new ours.AttachmentSealer(recipients, SIZE);
        for (let at = 0; at < SIZE; at += PIECE) s.push(data.subarray(at, at + PIECE));
        s.finish();
        s.free();
      }));
      rounds.theirs.push(await time(async () => {
        const e = new age.Encrypter();
        e.addRecipient(recipient);
        await e.encrypt(data);
      }));
    }

    // 1 KiB melding: the whole seal_melding (JSON, padding, X25519, seal) against
    // age-encryption sealing 1 KiB; median of 21, interleaved.
    const text = 'x'.repeat(1024);
    const fields = JSON.stringify({ organisatie: 'leiden', soort: 'overig', text });
    const small = new TextEncoder().encode(text);
    const lat = { ours: [], theirs: [] };
    for (let i = 0; i < 21; i++) {
      lat.ours.push(await time(() => ours.seal_melding(fields, recipients, token)));
      lat.theirs.push(await time(async () => {
        const e = new age.Encrypter();
        e.addRecipient(recipient);
        await e.encrypt(small);
      }));
    }

    // Argon2id: a search of n nonces at an effort no nonce meets is n evaluations.
    const n = 5;
    const argon = await time(() => ours.pow_search('00'.repeat(32), '11'.repeat(32), 1 << 30, '00'.repeat(16), n));
    return {
      loadMs,
      ours10: median(rounds.ours),
      theirs10: median(rounds.theirs),
      ratios10: rounds.ours.map((t, i) => rounds.theirs[i] / t),
      ours1: median(lat.ours),
      theirs1: median(lat.theirs),
      argonMs: argon / n,
    };
  }, { ROUNDS });
  await context.close();

  const js = readFileSync(join(ROOT, 'client-wasm', 'www', 'pkg', 'js', 'meldpunt_client_bg.wasm.js'));
  const br = brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const mbps = (ms) => (10 * 1024 * 1024 / 1e6) / (ms / 1000);
  console.log(`chromium ${browser.version()} --js-flags=--jitless (no WebAssembly)`);
  console.log(`load average at the start: ${LOAD.map((l) => l.toFixed(2)).join(' ')}; ${ROUNDS} rounds, medians`);
  console.log(`sealing 10 MiB: meldpunt JS build ${(result.ours10 / 1000).toFixed(1)} s (${mbps(result.ours10).toFixed(2)} MB/s), age-encryption ${(result.theirs10 / 1000).toFixed(1)} s (${mbps(result.theirs10).toFixed(2)} MB/s): ${(result.theirs10 / result.ours10).toFixed(2)}x as fast (per round ${result.ratios10.map((r) => r.toFixed(2)).join(' ')})`);
  console.log(`1 KiB melding: meldpunt JS build seal_melding ${result.ours1.toFixed(1)} ms, age-encryption ${result.theirs1.toFixed(1)} ms (median of 21)`);
  console.log(`proof of work: one Argon2id evaluation ${result.argonMs.toFixed(0)} ms; at the default min_effort (${DEFAULT_MIN_EFFORT}) about ${(result.argonMs * DEFAULT_MIN_EFFORT / 60000).toFixed(0)} min on average`);
  console.log(`JS build: translated module ${(js.length / 1024).toFixed(0)} KiB raw, ${(br / 1024).toFixed(0)} KiB brotli; imported and ready in ${result.loadMs.toFixed(0)} ms (loopback)`);
} finally {
  await browser.close();
}
