// Loads meldpunt-client, the Rust that seals and opens, for the page (app.js) and the
// proof-of-work worker (pow-worker.js): the WebAssembly build (pkg/) where
// WebAssembly runs, and otherwise the same Rust compiled to JavaScript (pkg/js/, made
// by binaryen's wasm2js in `cargo xtask wasm`), so that a browser with WebAssembly
// switched off (Tor Browser at "Safer") still seals in the browser. Both builds have
// the same exports and pass the same protocol vectors (tests/wasm/vectors.test.mjs).

/** The smallest valid module: the magic number and version 1. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/**
 * Whether this browser compiles and runs WebAssembly. With it switched off the
 * `WebAssembly` object is missing (Tor Browser at "Safer", Chromium with
 * `--js-flags=--jitless`) or compiling throws; instantiating an empty module tells.
 */
export function webAssemblyRuns() {
  try {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') return false;
    return new WebAssembly.Instance(new WebAssembly.Module(EMPTY_MODULE)) instanceof WebAssembly.Instance;
  } catch {
    return false;
  }
}

/** Whether the file `path` of the manifest (relative to the page) belongs to `kind`'s build. */
export function partOfBuild(path, kind) {
  if (path.startsWith('pkg/js/')) return kind === 'js';
  if (path.startsWith('pkg/meldpunt_client')) return kind === 'wasm';
  return true;
}

let loading = null;

/**
 * Resolves with `{ client, kind }`: the module's exports and 'wasm' or 'js'. A
 * WebAssembly build that fails to start (a browser without SIMD, say) falls back to
 * the JavaScript build; rejects only when neither loads. Loads once per page or worker.
 */
export function loadClient() {
  loading ??= (async () => {
    if (webAssemblyRuns()) {
      try {
        const client = await import('./pkg/meldpunt_client.js');
        await client.default();
        return { client, kind: 'wasm' };
      } catch (e) {
        console.error('the WebAssembly client did not start; trying the JavaScript build', e);
      }
    }
    const client = await import('./pkg/js/meldpunt_client.js');
    await client.default();
    return { client, kind: 'js' };
  })();
  return loading;
}
