// The metadata-removal vectors (clean/tests/vectors/) through the WASM build's
// `clean_file` under node: the browser removes the same metadata and returns the same
// bytes as the native build, byte for byte.
//
// Run from the repository root after `cargo xtask wasm`:  node --test tests/wasm/

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const pkg = new URL('client-wasm/www/pkg/', root);
const dir = new URL('clean/tests/vectors/', root);

const wasm = await import(new URL('meldpunt_client.js', pkg));
await wasm.default({ module_or_path: await readFile(new URL('meldpunt_client_bg.wasm', pkg)) });

test('clean_file agrees with the native vectors byte for byte', async () => {
  const names = (await readdir(dir)).filter((n) => !n.endsWith('.expect') && !n.endsWith('.cleaned'));
  assert.ok(names.length >= 8, names.join());
  for (const name of names) {
    const input = new Uint8Array(await readFile(new URL(name, dir)));
    const expect = await readFile(new URL(`${name}.expect`, dir), 'utf8');
    const cleaned = new URL(`${name}.cleaned`, dir);
    const want = existsSync(cleaned) ? new Uint8Array(await readFile(cleaned)) : input;
    const r = wasm.clean_file(name, '', input);
    assert.equal(`removed: ${r.removed.join(' ')}\ncould-not-check: ${r.couldNotCheck ?? '-'}\n`, expect, name);
    // null: nothing removed, the file is sealed as it is.
    assert.equal(r.bytes === null, !existsSync(cleaned), name);
    assert.ok(Buffer.from(r.bytes ?? input).equals(Buffer.from(want)), `${name}: the WASM made other bytes`);
  }
});

test('clean_file never throws on bytes that only look like a format', () => {
  for (const prefix of ['\xFF\xD8\xFF', '\x89PNG\r\n\x1a\n', 'RIFF\0\0\0\0WEBP', '%PDF-1.7\n', 'PK\x03\x04', '']) {
    for (let n = 0; n < 64; n++) {
      const bytes = new Uint8Array(Buffer.concat([Buffer.from(prefix, 'latin1'), Buffer.from(Array.from({ length: n * 7 }, (_, i) => (i * 131 + n) & 255))]));
      const r = wasm.clean_file('f', '', bytes);
      assert.ok(r.couldNotCheck === null || typeof r.couldNotCheck === 'string');
    }
  }
});
