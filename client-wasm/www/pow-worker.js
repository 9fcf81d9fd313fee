// The proof of work, off the page's thread (a module Web Worker): the same client as
// the page (WebAssembly, or its JavaScript build where WebAssembly is off; client.js),
// searching in steps of about a tenth of a second so the page hears how far it is and can stop it at any time (by terminating the worker).
//
// Message in:  { seed, binding, effort } (hex, hex, number; see docs/PROTOCOL.md)
// Messages out: { tries } while searching, then { proof } (the Meldpunt-Pow header
// value) or { error }.

import { loadClient } from './client.js';

const ready = loadClient();
const SPACE = 1n << 128n;

function hex128(n) {
  return n.toString(16).padStart(32, '0');
}

function randomStart() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return BigInt('0x' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(''));
}

self.onmessage = async ({ data }) => {
  const { seed, binding, effort } = data;
  try {
    const { pow_search } = (await ready).client;
    // A random start, so two tabs (or two tries) never search the same nonces.
    let nonce = randomStart();
    let tries = 0;
    let step = 4;
    for (;;) {
      const began = performance.now();
      const proof = pow_search(seed, binding, effort, hex128(nonce), step);
      tries += step;
      if (proof) {
        self.postMessage({ proof, tries });
        return;
      }
      nonce = (nonce + BigInt(step)) % SPACE;
      self.postMessage({ tries });
      const took = performance.now() - began;
      if (took < 50) step *= 2;
      else if (took > 200 && step > 1) step = Math.max(1, Math.floor(step / 2));
    }
  } catch (e) {
    self.postMessage({ error: String(e?.message || e) });
  }
};
