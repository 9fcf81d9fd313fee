// The page the in-browser benchmarks run in: one origin (http://127.0.0.1:9, answered by
// Playwright, nothing listens there) serving our client builds from client-wasm/www/pkg
// and the npm packages from tests/node_modules through an import map, so
// age-encryption and meldpunt-client seal in the same page under the same flags.

import { readFileSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { ROOT } from '../e2e/harness.mjs';

const NM = join(ROOT, 'tests', 'node_modules');
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
export const BENCH_ORIGIN = 'http://127.0.0.1:9';

/** Resolves a bare import like '@noble/hashes/sha2.js' through the package's exports map. */
function importMap() {
  const imports = {};
  for (const pkg of ['@noble/ciphers', '@noble/curves', '@noble/hashes', '@noble/post-quantum', '@scure/base', 'age-encryption']) {
    const meta = JSON.parse(readFileSync(join(NM, pkg, 'package.json'), 'utf8'));
    const exp = meta.exports ?? {};
    const main = typeof exp['.'] === 'string' ? exp['.'] : exp['.']?.import ?? exp['.']?.default ?? meta.module ?? meta.main;
    imports[pkg] = `/nm/${pkg}/${String(main).replace(/^\.\//, '')}`;
    imports[`${pkg}/`] = `/nm/${pkg}/`;
  }
  return { imports };
}

/** Opens the benchmark page in `context`; returns the page. */
export async function benchPage(context) {
  const page = await context.newPage();
  await page.route(`${BENCH_ORIGIN}/**`, (route) => {
    const p = new URL(route.request().url()).pathname;
    let file;
    if (p === '/') {
      return route.fulfill({ contentType: 'text/html', body: `<!doctype html><script type="importmap">${JSON.stringify(importMap())}</script><p>bench</p>` });
    } else if (p.startsWith('/nm/')) file = join(NM, p.slice(4));
    else if (p.startsWith('/pkg/')) file = join(ROOT, 'client-wasm', 'www', p.slice(1));
    if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });
  await page.goto(`${BENCH_ORIGIN}/`);
  return page;
}
