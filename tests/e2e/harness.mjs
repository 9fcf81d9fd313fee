// Shared pieces of the end-to-end tests: the real binaries, a real server process on
// loopback, Debian's Chromium driven by playwright-core. Nothing here is a mock.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// `cargo xtask test` names the folder of the binaries it built (its `ci` profile);
// run by hand, the tests take the release build.
const BIN_DIR = process.env.MELDPUNT_BIN_DIR || join(ROOT, 'target', 'release');
export const BIN = {
  server: join(BIN_DIR, 'meldpunt-server'),
  keys: join(BIN_DIR, 'meldpunt-keys'),
  desk: join(BIN_DIR, 'meldpunt-desk'),
};
export const PASSPHRASE = 'correct horse battery staple e2e';

for (const [name, path] of Object.entries(BIN)) {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: build it with cargo build --release -p meldpunt-${name} (or run cargo xtask test e2e)`);
  }
}
if (!existsSync(join(ROOT, 'client-wasm', 'www', 'pkg', 'meldpunt_client_bg.wasm'))) {
  throw new Error('the WASM client is not built: run cargo xtask wasm');
}

/** RUST_LOG that also traces each connection the server accepts and closes. */
export const CONNECTION_TRACE = 'info,meldpunt_server::conn=trace';

export function tempDir(prefix = 'meldpunt-e2e-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs meldpunt-keys non-interactively; returns stdout, throws with stderr on failure. */
export function keys(dir, args, opts = {}) {
  return execFileSync(BIN.keys, ['--dir', dir, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      MELDPUNT_PASSPHRASE: PASSPHRASE,
      MELDPUNT_SCRYPT_LOG_N: '10',
      LANG: 'nl_NL.UTF-8',
      ...(opts.env || {}),
    },
    input: opts.input,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** `meldpunt-keys init --json` and the values the server config needs. */
export function initKeys(dir) {
  const out = keys(dir, ['init', '--json']);
  const made = JSON.parse(out);
  for (const k of ['signing_public_key', 'staff_token_sha256', 'recipient', 'staff_token']) {
    if (typeof made[k] !== 'string') throw new Error(`init --json gave no ${k}:\n${out}`);
  }
  return {
    out,
    signingKey: made.signing_public_key,
    staffHash: made.staff_token_sha256,
    recipient: made.recipient,
    staffToken: made.staff_token,
  };
}

/** Writes a server config for the Leidse regio with the given keys. */
export function writeServerConfig(dir, k, extra = '') {
  const orgs = [
    ['leiden', 'Gemeente Leiden'],
    ['leiderdorp', 'Gemeente Leiderdorp'],
    ['oegstgeest', 'Gemeente Oegstgeest'],
    ['zoeterwoude', 'Gemeente Zoeterwoude'],
  ];
  const toml = [
    'name = "Meldpunt integriteit Leidse regio (test)"',
    'listen = "127.0.0.1:0"',
    'database = "meldpunt.db"',
    `web_root = ${JSON.stringify(join(ROOT, 'client-wasm', 'www'))}`,
    `signing_public_key = "${k.signingKey}"`,
    `staff_token_sha256 = ["${k.staffHash}"]`,
    extra,
    ...orgs.flatMap(([slug, name]) => [
      '[[organisations]]',
      `slug = "${slug}"`,
      `name = "${name}"`,
      `recipients = ["${k.recipient}"]`,
    ]),
  ].join('\n');
  const path = join(dir, 'meldpunt-server.toml');
  writeFileSync(path, toml + '\n');
  return path;
}

/**
 * Waits until `cond` (which may be async) holds, checking every 25 ms; fails naming
 * `what` after `timeoutMs`.
 */
export async function waitUntil(what, cond, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Starts the real server; resolves once it prints its listening line. `opts.log`
 * sets RUST_LOG (default `info`).
 */
export function startServer(configPath, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(BIN.server, ['serve', '--config', configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: opts.log || 'info' },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.:]+)/);
      if (m && !child.started) {
        child.started = true;
        clearTimeout(timer);
        resolvePromise({
          url: m[1],
          child,
          logs: () => out + err,
          // Connections the server accepted and has not closed yet, from its trace
          // lines (start it with `log: CONNECTION_TRACE`).
          openConnections: () => {
            const logs = out + err;
            const count = (what) => logs.split(what).length - 1;
            return count('connection accepted') - count('connection closed');
          },
          stop: () =>
            new Promise((r) => {
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
      if (!child.started) reject(new Error(`server exited with ${code}:\n${out}\n${err}`));
    });
  });
}

/** Debian's Chromium; `extraArgs` adds flags (`--js-flags=--jitless`: no WebAssembly). */
export async function launchBrowser(extraArgs = []) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      ...extraArgs,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens a page that records console errors, CSP violations and failed requests. */
export async function openPage(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  return { page, context, problems };
}

/**
 * Flips the last byte of every reply's ciphertext on its way from the server to the
 * page, as a compromised server or proxy might; the page must refuse such replies.
 */
export async function tamperReplies(page) {
  await page.route('**/api/v1/reacties', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    for (const r of body.reacties) {
      const ct = Buffer.from(r.ciphertext, 'base64');
      ct[ct.length - 1] ^= 1;
      r.ciphertext = ct.toString('base64');
    }
    await route.fulfill({ response, json: body });
  });
}

export function readBytes(path) {
  return readFileSync(path);
}

/** Waits until the page's status line is shown and matches `re`. */
export async function waitStatus(page, re, timeout = 30000) {
  await page.waitForFunction(
    (src) => {
      const s = document.getElementById('status');
      return !s.hidden && new RegExp(src).test(s.textContent);
    },
    re.source,
    { timeout },
  );
}

/** The staff's export of the inbox bundle, written to `dir/name`; returns its path. */
export async function staffExport(server, staffToken, dir, name) {
  const res = await fetch(`${server.url}/api/v1/staff/export`, { headers: { Authorization: `Bearer ${staffToken}` } });
  if (res.status !== 200) throw new Error(`export: status ${res.status}: ${await res.text()}`);
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await res.arrayBuffer()));
  return path;
}

/** The case number `meldpunt-keys list` shows for the only case of `org` in `laptopDir`. */
export function caseOf(laptopDir, org) {
  const line = keys(laptopDir, ['list']).split('\n').find((l) => l.toLowerCase().includes(org));
  const no = line?.match(/\b(\d{4}-\d{4})\b/)?.[1];
  if (!no) throw new Error(`no case for ${org} in the list`);
  return no;
}

/**
 * The coördinator answers case `caseNo` with `text` on the laptop (`dir/laptop`), and the
 * signed replies bundle is imported online; resolves with the server's answer (JSON).
 */
export async function answerCase(server, staffToken, dir, caseNo, text) {
  const laptopDir = join(dir, 'laptop');
  const file = join(dir, `antwoord-${caseNo}.txt`);
  writeFileSync(file, text);
  keys(laptopDir, ['reply', caseNo, '--file', file]);
  const bundle = join(dir, `reacties-${caseNo}.tar`);
  keys(laptopDir, ['export-replies', bundle]);
  const res = await fetch(`${server.url}/api/v1/staff/reacties`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${staffToken}`, 'Content-Type': 'application/x-tar' },
    body: readFileSync(bundle),
  });
  if (res.status !== 200) throw new Error(`replies import: status ${res.status}: ${await res.text()}`);
  return res.json();
}
