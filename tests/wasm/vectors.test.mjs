// The envelope's test vectors, checked inside the WASM build under node, and the
// exported API driven from JavaScript against the same vectors: proof that the
// browser makes and accepts the same bytes as the native builds. Every test runs
// twice: against the WebAssembly build (pkg/) and against the JavaScript build that
// browsers without WebAssembly load (pkg/js/, the same Rust through wasm2js).
//
// Run from the repository root after `cargo xtask wasm`:  node --test tests/wasm/

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url);
const pkg = new URL('client-wasm/www/pkg/', root);

const wasmBuild = await import(new URL('meldpunt_client.js', pkg));
// The `--target web` glue fetches the module by URL in a browser; under node hand it the bytes.
await wasmBuild.default({ module_or_path: await readFile(new URL('meldpunt_client_bg.wasm', pkg)) });
const jsBuild = await import(new URL('js/meldpunt_client.js', pkg));
await jsBuild.default();
const BUILDS = { WebAssembly: wasmBuild, JavaScript: jsBuild };

const vectorsText = await readFile(new URL('keys/envelope/vectors/v1.json', root), 'utf8');
const vectors = JSON.parse(vectorsText);
const b64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));

/** Calls `f`, expecting it to throw an Error whose `code` is `code`. */
function throwsCode(f, code) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof Error, `expected an Error, got ${e}`);
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.startsWith(`${code}: `), e.message);
    return true;
  });
}

for (const [build, wasm] of Object.entries(BUILDS)) describe(`the ${build} build`, () => {
  test('check_vectors accepts every vector', () => {
    const want =
      vectors.tokens.length + vectors.token_parse.length + vectors.padding.length +
      vectors.meldingen.length + vectors.replies.length + vectors.pow.length;
    assert.equal(want, 27);
    assert.equal(wasm.check_vectors(vectorsText), want);
  });

  test('check_vectors notices altered vectors', () => {
    const altered = structuredClone(vectors);
    const h = altered.tokens[2].lookup_hash;
    altered.tokens[2].lookup_hash = (h[0] === '0' ? '1' : '0') + h.slice(1);
    throwsCode(() => wasm.check_vectors(JSON.stringify(altered)), 'vectors_failed');

    const reply = structuredClone(vectors);
    reply.replies[1].text = reply.replies[0].text; // claim the tampered reply is genuine
    throwsCode(() => wasm.check_vectors(JSON.stringify(reply)), 'vectors_failed');

    throwsCode(() => wasm.check_vectors('{'), 'vectors_failed');
  });

  test('token derivations equal the vectors', () => {
    for (const t of vectors.tokens) {
      for (const typed of [t.display, t.display.toLowerCase().replaceAll('-', ' ')]) {
        assert.equal(wasm.token_display(typed), t.display);
        assert.equal(wasm.token_lookup_hash(typed), t.lookup_hash);
        assert.equal(wasm.token_lookup_key(typed), t.lookup_key);
        assert.equal(wasm.token_reply_recipient(typed), t.reply_recipient);
      }
    }
    for (const p of vectors.token_parse.filter((p) => p.bytes === null)) {
      throwsCode(() => wasm.token_lookup_hash(p.input), 'invalid_token');
    }
  });

  test('new_token makes distinct well-formed tokens', () => {
    const a = wasm.new_token();
    const b = wasm.new_token();
    assert.match(a, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/);
    assert.notEqual(a, b);
    assert.equal(wasm.token_display(a), a);
  });

  test('replies open only when genuinely signed', () => {
    assert.ok(vectors.replies.some((r) => r.text === null));
    for (const r of vectors.replies) {
      const open = () => wasm.open_reply(r.signing_public, r.token, b64(r.ciphertext), b64(r.signature));
      if (r.text !== null) {
        const reply = JSON.parse(open());
        assert.deepEqual(Object.keys(reply).sort(), ['day', 'text']);
        assert.equal(reply.text, r.text, r.comment);
        assert.match(reply.day, /^\d{4}-\d{2}-\d{2}$/);
      } else {
        throwsCode(open, 'bad_signature');
      }
    }
    const good = vectors.replies.find((r) => r.text !== null);
    const ct = b64(good.ciphertext);
    const sig = b64(good.signature);
    throwsCode(() => wasm.open_reply('meldpunt-ed25519:AAAA', good.token, ct, sig), 'invalid_signing_key');
    throwsCode(() => wasm.open_reply(good.signing_public, 'ABCD', ct, sig), 'invalid_token');
    // Another token's case: the signature binds the lookup hash, so it is refused unopened.
    throwsCode(() => wasm.open_reply(good.signing_public, vectors.tokens[0].display, ct, sig), 'bad_signature');
    throwsCode(() => wasm.open_reply(good.signing_public, good.token, ct, sig.slice(0, 63)), 'bad_signature');
  });

  test('seal_melding makes a binary age file', () => {
    const m = vectors.meldingen[0];
    const fields = { organisatie: 'leiden', soort: 'fraude-corruptie', text: 'De wethouder kreeg een auto. €, ë, 日本.' };
    const token = wasm.new_token();
    const sealed = wasm.seal_melding(JSON.stringify(fields), JSON.stringify([m.melding.reply_recipient]), token);
    assert.ok(sealed instanceof Uint8Array);
    assert.equal(new TextDecoder().decode(sealed.slice(0, 22)), 'age-encryption.org/v1\n');
    // Padding: a short melding fills the 1 KiB class; age adds its header and a 16-byte tag.
    assert.ok(sealed.length > 1024 + 16 && sealed.length < 1024 + 600, `${sealed.length} bytes`);
  });

  /** The reference `rage` tool (installed by `cargo xtask setup`), or null. */
  function findRage(name) {
    const cargoBin = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', name);
    if (existsSync(cargoBin)) return cargoBin;
    try {
      execFileSync(name, ['--version'], { stdio: 'ignore' });
      return name;
    } catch {
      return null;
    }
  }

  test('a melding sealed in WASM opens with rage to the same JSON', async () => {
    const rage = findRage('rage');
    const keygen = findRage('rage-keygen');
    // A missing reference tool is a failure, never a skip: `cargo xtask setup` installs it.
    assert.ok(rage && keygen, 'rage is not installed: run cargo xtask setup');
    const dir = await mkdtemp(join(tmpdir(), 'meldpunt-wasm-'));
    try {
      const idFile = join(dir, 'identity.txt');
      await writeFile(idFile, `${vectors.meldingen[0].identity}\n`, { mode: 0o600 });
      const recipient = execFileSync(keygen, ['-y', idFile], { encoding: 'utf8' }).trim();
      assert.match(recipient, /^age1[0-9a-z]+$/);

      const token = wasm.new_token();
      const fields = {
        organisatie: 'zoeterwoude',
        soort: 'datalek-privacy',
        text: 'Persoonsgegevens van inwoners stonden op een openbare schijf. €, ë, 日本.',
        over_wie: 'leidinggevende',
        wanneer_waar: '',
      };
      const sealed = wasm.seal_melding(JSON.stringify(fields), JSON.stringify([recipient]), token);
      const ctFile = join(dir, 'melding.age');
      await writeFile(ctFile, sealed);
      const padded = execFileSync(rage, ['-d', '-i', idFile, ctFile]);

      assert.equal(padded.length, 1024, 'a short melding fills the smallest size class');
      const len = padded.readUInt32BE(0);
      assert.ok(padded.subarray(4 + len).every((b) => b === 0), 'padding is zero bytes');
      const json = padded.subarray(4, 4 + len).toString('utf8');
      assert.deepEqual(JSON.parse(json), {
        v: 1,
        kind: 'melding',
        organisatie: 'zoeterwoude',
        soort: 'datalek-privacy',
        over_wie: 'leidinggevende',
        text: fields.text,
        reply_recipient: wasm.token_reply_recipient(token),
      });
      // Field order is part of the format (one plaintext, one encoding).
      assert.ok(json.startsWith('{"v":1,"kind":"melding","organisatie":"zoeterwoude","soort":'), json);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('seal_melding refuses bad input with a code', () => {
    const rcpt = JSON.stringify([vectors.tokens[0].reply_recipient]);
    const token = vectors.tokens[2].display;
    const ok = { organisatie: 'leiden', soort: 'pesten', text: 'x' };
    throwsCode(() => wasm.seal_melding('{', rcpt, token), 'invalid_input');
    throwsCode(() => wasm.seal_melding(JSON.stringify({ ...ok, tekst: 'y' }), rcpt, token), 'invalid_input');
    throwsCode(() => wasm.seal_melding(JSON.stringify(ok), '[]', token), 'no_recipients');
    throwsCode(() => wasm.seal_melding(JSON.stringify(ok), '["age1nope"]', token), 'invalid_recipient');
    throwsCode(() => wasm.seal_melding(JSON.stringify(ok), rcpt, 'nope'), 'invalid_token');
    throwsCode(() => wasm.seal_melding(JSON.stringify({ ...ok, text: ' ' }), rcpt, token), 'invalid_melding');
    throwsCode(() => wasm.seal_melding(JSON.stringify({ ...ok, soort: 'onbekend' }), rcpt, token), 'invalid_melding');
  });

  test('vocabulary offers the envelope codes with Dutch labels', () => {
    const v = JSON.parse(wasm.vocabulary());
    const codes = v.soorten.map((s) => s.code);
    assert.ok(codes.includes('fraude-corruptie') && codes.includes('overig'), codes.join());
    assert.ok(vectors.meldingen.filter((m) => m.melding.soort).every((m) => codes.includes(m.melding.soort)));
    assert.equal(v.soorten.find((s) => s.code === 'overig').label, 'Overig');
    assert.ok(v.melders.length > 0 && v.over_wie.length > 0);
  });

  test('the page\'s vocabulary.js is exactly vocabulary() of this build', async () => {
    const { VOCABULARY } = await import(new URL('client-wasm/www/vocabulary.js', root));
    assert.deepEqual(VOCABULARY, JSON.parse(wasm.vocabulary()));
    assert.equal(VOCABULARY.soorten.find((s) => s.code === 'overig').label_en, 'Other');
  });

  test('AttachmentSealer seals a file in pieces that rage opens to the same bytes; FileHash hashes it', async () => {
    const rageBin = (name) => {
      const found = findRage(name);
      assert.ok(found, `${name} is not installed: run cargo xtask setup`);
      return found;
    };
    const dir = await mkdtemp(join(tmpdir(), 'meldpunt-bijlage-'));
    try {
      const idPath = join(dir, 'id.txt');
      execFileSync(rageBin('rage-keygen'), ['-o', idPath], { stdio: 'ignore' });
      const recipient = (await readFile(idPath, 'utf8')).match(/age1[0-9a-z]+/)[0];
      const file = Buffer.alloc(3 * 65536 + 123);
      for (let i = 0; i < file.length; i++) file[i] = (i * 7) % 251;
      const sealer = new wasm.AttachmentSealer(JSON.stringify([recipient]), file.length);
      const hash = new wasm.FileHash();
      const parts = [];
      for (let at = 0; at < file.length; at += 50000) {
        parts.push(sealer.push(file.subarray(at, at + 50000)));
        hash.update(file.subarray(at, at + 50000));
      }
      parts.push(sealer.finish());
      const sha = hash.hex();
      sealer.free();
      hash.free();
      const { createHash } = await import('node:crypto');
      assert.equal(sha, createHash('sha256').update(file).digest('hex'));
      const ctPath = join(dir, 'bijlage.age');
      await writeFile(ctPath, Buffer.concat(parts));
      const padded = execFileSync(rageBin('rage'), ['-d', '-i', idPath, ctPath]);
      assert.equal(padded.length, 256 * 1024, 'padded to its size class');
      assert.equal(padded.readUInt32BE(0), file.length);
      assert.ok(padded.subarray(4, 4 + file.length).equals(file));

      const short = new wasm.AttachmentSealer(JSON.stringify([recipient]), 10);
      short.push(new Uint8Array(3));
      throwsCode(() => short.finish(), 'invalid_input');
      short.free();
      throwsCode(() => new wasm.AttachmentSealer('[]', 1), 'no_recipients');
      throwsCode(() => new wasm.AttachmentSealer(JSON.stringify([recipient]), 1.5), 'invalid_input');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('follow-ups, proof of work and receipts through the WASM exports', () => {
    const rcpt = JSON.stringify([vectors.tokens[0].reply_recipient]);
    const token = vectors.tokens[2].display;
    const vervolg = wasm.seal_melding(JSON.stringify({ kind: 'vervolg', organisatie: 'leiden', text: 'Nog iets.' }), rcpt, token);
    assert.ok(Buffer.from(vervolg.subarray(0, 22)).toString() === 'age-encryption.org/v1\n');
    throwsCode(() => wasm.seal_melding(JSON.stringify({ kind: 'vervolg', organisatie: 'leiden', soort: 'overig', text: 'x' }), rcpt, token), 'invalid_melding');
    const sha = wasm.sha256_hex(vervolg);
    assert.match(sha, /^[0-9a-f]{64}$/);
    const binding = wasm.pow_binding_submission(vectors.tokens[2].lookup_hash, sha);
    assert.match(binding, /^[0-9a-f]{64}$/);
    throwsCode(() => wasm.pow_binding_submission('xx', sha), 'invalid_input');
    throwsCode(() => wasm.verify_receipt('{}', 'meldpunt-ed25519:AAAA', sha, sha), 'invalid_signing_key');
  });

  test('the proof-of-work vectors: same bindings and solutions in WASM as natively', () => {
    assert.ok(vectors.pow.length >= 5);
    for (const v of vectors.pow) {
      const binding = v.body
        ? wasm.pow_binding_lookup(Buffer.from(v.body, 'hex'))
        : wasm.pow_binding_submission(v.lookup_hash, v.melding_sha256);
      assert.equal(binding, v.binding, v.comment);
      const [seed, effort, nonce] = v.proof.split(':');
      // Searching one nonce from the vector's: found exactly when the vector is valid.
      const found = wasm.pow_search(seed, binding, Number(effort), nonce, 1);
      assert.equal(found, v.valid ? v.proof : '', v.comment);
    }
    // A search from a few nonces before a solution finds that solution.
    const good = vectors.pow.find((v) => v.valid && v.proof.split(':')[1] === '20');
    const [seed, effort, nonce] = good.proof.split(':');
    const n = BigInt('0x' + nonce);
    const from = n >= 3n ? n - 3n : 0n;
    const start = from.toString(16).padStart(32, '0');
    const found = wasm.pow_search(seed, good.binding, Number(effort), start, Number(n - from) + 1);
    assert.match(found, new RegExp(`^${seed}:20:[0-9a-f]{32}$`));
    throwsCode(() => wasm.pow_search(seed, good.binding, 0, nonce, 1), 'invalid_input');
    throwsCode(() => wasm.pow_search('zz', good.binding, 1, nonce, 1), 'invalid_input');
  });
});
