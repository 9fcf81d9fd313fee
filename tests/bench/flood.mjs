// Benchmark of the proof-of-work defence under a flood, not a test (`cargo xtask
// test` does not run it). Results go to docs/PERFORMANCE.md ("Under a flood").
//
//   cargo xtask wasm && cargo build --release -p meldpunt-server -p meldpunt-keys
//   node tests/bench/flood.mjs            # FLOOD_SECONDS=60 by default
//
// Against the real server (release binary, default limits: 120 submissions and 1200
// look-ups a minute), for FLOOD_SECONDS per phase:
//
// 1. submissions: an attacker floods /api/v1/meldingen from many connections with
//    (a) valid proofs, solved in worker threads with the same WASM client as the page
//    and always at the effort the server currently asks (an attacker who follows the
//    level), bound to junk bodies that take the quota; (b) made-up proofs claiming a
//    huge effort; (c) requests without a proof. Meanwhile the real page in headless
//    Chromium makes a melding every PAGE_EVERY seconds, each in a fresh page.
// 2. look-ups: the same against /api/v1/reacties, while the page looks up the replies
//    of the cases it made in phase 1.
// Throughout, the staff export runs every 5 s with the valid token while bad tokens
// flood the staff route.
//
// The server runs with `min_effort = MIN_EFFORT` (10 by default instead of 1000), so
// that the attacker's worker threads on this machine produce more valid proofs than
// the quota allows at the least effort: one core here makes about 1000 Argon2id
// evaluations a second, i.e. ~100 proofs/s at effort 10 = 50x the submissions quota.
// Against the default min_effort of 1000 the same flood needs ~100x the compute.

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.env.FLOOD_SECONDS ?? 60);
const MIN_EFFORT = Number(process.env.MIN_EFFORT ?? 10);
const SOLVERS = Number(process.env.SOLVERS ?? 1);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const PAGE_EVERY = Number(process.env.PAGE_EVERY ?? 4);
const JUNK = Buffer.concat([Buffer.from('age-encryption.org/v1\n-> X25519 '), randomBytes(2000)]);

// Keep-alive connections, many of them: the flood comes from many connections.
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 * CONNECTIONS + 16 });

function post(url, path, headers, body) {
  return new Promise((resolve) => {
    const req = http.request(`${url}${path}`, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function getJson(url, path) {
  return new Promise((resolve) => {
    http.get(`${url}${path}`, { agent }, (res) => {
      let s = '';
      res.on('data', (d) => (s += d));
      res.on('end', () => resolve(JSON.parse(s)));
    }).on('error', () => resolve(null));
  });
}

/** A request to flood with: its path, headers and body, for the phase's class. */
function floodRequest(kind, proof, binding) {
  if (kind === 'submissions') {
    return {
      path: '/api/v1/meldingen',
      headers: {
        'Content-Type': 'application/octet-stream',
        'Meldpunt-Organisatie': 'leiden',
        'Meldpunt-Lookup-Hash': binding.lookupHash,
        'Meldpunt-Melding-Sha256': binding.sha,
        ...(proof ? { 'Meldpunt-Pow': proof } : {}),
      },
      body: JUNK,
    };
  }
  return {
    path: '/api/v1/reacties',
    headers: { 'Content-Type': 'application/json', ...(proof ? { 'Meldpunt-Pow': proof } : {}) },
    body: binding.body,
  };
}

if (!isMainThread) {
  // A solver: valid proofs at the level the server asks now, as fast as one core can.
  const { url, kind, root, until } = workerData;
  const pkg = join(root, 'client-wasm', 'www', 'pkg');
  const wasm = await import(join(pkg, 'meldpunt_client.js'));
  await wasm.default({ module_or_path: await readFile(join(pkg, 'meldpunt_client_bg.wasm')) });
  let level = await getJson(url, '/api/v1/pow');
  let fetched = Date.now();
  let sent = 0;
  const answers = {};
  while (Date.now() < until) {
    if (Date.now() - fetched > 1000) {
      level = (await getJson(url, '/api/v1/pow')) ?? level;
      fetched = Date.now();
    }
    const lookupHash = randomBytes(32).toString('hex');
    const sha = createHash('sha256').update(JUNK).digest('hex');
    const body = JSON.stringify({ lookup_key: randomBytes(32).toString('hex') });
    const binding = kind === 'submissions'
      ? wasm.pow_binding_submission(lookupHash, sha)
      : wasm.pow_binding_lookup(Buffer.from(body));
    const effort = level[kind].effort;
    let n = BigInt('0x' + randomBytes(15).toString('hex'));
    let proof = '';
    while (!proof) {
      proof = wasm.pow_search(level.seed, binding, effort, n.toString(16).padStart(32, '0'), 8);
      n += 8n;
    }
    const r = floodRequest(kind, proof, { lookupHash, sha, body });
    sent++;
    // Fire and forget, as a flood does; count the answers.
    post(url, r.path, r.headers, r.body).then((s) => (answers[s] = (answers[s] ?? 0) + 1));
  }
  await new Promise((r) => setTimeout(r, 2000));
  parentPort.postMessage({ sent, answers });
} else {
  await main();
}

function pct(list, p) {
  if (list.length === 0) return NaN;
  const s = [...list].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function main() {
  const { ROOT, tempDir, initKeys, writeServerConfig, startServer, launchBrowser } = await import('../e2e/harness.mjs');
  const LOAD = loadavg();
  const dir = tempDir('meldpunt-flood-');
  const k = initKeys(join(dir, 'laptop'));
  const server = await startServer(writeServerConfig(dir, k, `[pow]\nmin_effort = ${MIN_EFFORT}\n`));
  const url = server.url;
  const browser = await launchBrowser();

  // 0. The puzzle's speed in this Chromium, before any flood: how long the base level
  //    takes a reporter (effort evaluations on average).
  const speed = await (async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(url);
    const ms = await p.evaluate(async () => {
      const m = await import('/pkg/meldpunt_client.js');
      await m.default();
      const seed = '11'.repeat(32);
      const binding = '22'.repeat(32);
      // An effort no nonce here meets, so each call tries all its nonces.
      m.pow_search(seed, binding, 1 << 30, '00'.repeat(16), 20);
      const t0 = performance.now();
      m.pow_search(seed, binding, 1 << 30, '01'.repeat(16), 300);
      return (performance.now() - t0) / 300;
    });
    await ctx.close();
    return ms;
  })();
  const staff = { ok: 0, other: 0, times: [] };
  const badStaff = {};
  const tokens = [];
  const results = {};
  let stop = false;

  // The staff: a valid export every 5 s; a flood of bad tokens all the time.
  const staffLoop = (async () => {
    while (!stop) {
      const t0 = performance.now();
      const s = await new Promise((resolve) => {
        http.get(`${url}/api/v1/staff/export`, { agent, headers: { Authorization: `Bearer ${k.staffToken}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        }).on('error', () => resolve(0));
      });
      staff.times.push(performance.now() - t0);
      if (s === 200) staff.ok++;
      else staff.other++;
      await new Promise((r) => setTimeout(r, 5000));
    }
  })();
  // Bad tokens at about 200 a second (more only measures loopback).
  const badStaffLoops = Array.from({ length: 4 }, async () => {
    while (!stop) {
      await new Promise((r) => setTimeout(r, 20));
      const s = await new Promise((resolve) => {
        http.get(`${url}/api/v1/staff/export`, { agent, headers: { Authorization: `Bearer mpst_guess${Math.random()}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        }).on('error', () => resolve(0));
      });
      badStaff[s] = (badStaff[s] ?? 0) + 1;
    }
  });

  for (const kind of ['submissions', 'lookups']) {
    const until = Date.now() + SECONDS * 1000;
    const solvers = Array.from({ length: SOLVERS }, () => new Promise((resolve) => {
      const w = new Worker(fileURLToPath(import.meta.url), { workerData: { url, kind, root: ROOT, until } });
      w.on('message', resolve);
      w.on('error', (e) => resolve({ sent: 0, answers: { error: String(e) } }));
    }));
    // Cheap flood from many connections: made-up proofs and none at all.
    const cheap = {};
    let cheapSent = 0;
    const level0 = await getJson(url, '/api/v1/pow');
    // Requests per second per connection: 50x the quota and more, all together.
    const rate = (kind === 'submissions' ? 4 : 16) * Number(process.env.FLOOD_SCALE ?? 1);
    const connections = kind === 'submissions' ? CONNECTIONS : 2 * CONNECTIONS;
    const cheapLoops = Array.from({ length: connections }, async (_, i) => {
      while (Date.now() < until) {
        const began = performance.now();
        const lookupHash = randomBytes(32).toString('hex');
        const sha = createHash('sha256').update(JUNK).digest('hex');
        const body = JSON.stringify({ lookup_key: randomBytes(32).toString('hex') });
        const proof = i % 2 === 0 ? `${level0.seed}:1000000:${randomBytes(16).toString('hex')}` : null;
        const r = floodRequest(kind, proof, { lookupHash, sha, body });
        cheapSent++;
        const s = await post(url, r.path, r.headers, r.body);
        cheap[s] = (cheap[s] ?? 0) + 1;
        const wait = 1000 / rate - (performance.now() - began);
        if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      }
    });

    // The page, every PAGE_EVERY seconds, each in a fresh context.
    const page = { tried: 0, ok: 0, times: [], failures: [] };
    const levels = [];
    const levelLoop = (async () => {
      while (Date.now() < until) {
        const l = await getJson(url, '/api/v1/pow');
        if (l) levels.push(l[kind].effort);
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    const pageLoop = (async () => {
      let i = 0;
      while (Date.now() < until - 2000) {
        const slot = performance.now();
        const ctx = await browser.newContext();
        const p = await ctx.newPage();
        page.tried++;
        try {
          await p.goto(url);
          const t0 = performance.now();
          if (kind === 'submissions') {
            await p.selectOption('#organisatie', 'leiden');
            await p.selectOption('#soort', 'overig');
            await p.fill('#tekst', `Melding ${i} tijdens de stortvloed.`);
            await p.click('#verstuur');
            await p.locator('#view-token').waitFor({ state: 'visible', timeout: 120000 });
            tokens.push((await p.locator('#token').textContent()).trim());
          } else {
            await p.click('#nav-reactie');
            await p.fill('#token-invoer', tokens[i % tokens.length]);
            await p.click('#bekijk');
            await p.locator('#status', { hasText: /Er is nog geen reactie|There is no reply/ }).waitFor({ timeout: 120000 });
          }
          page.ok++;
          page.times.push((performance.now() - t0) / 1000);
        } catch (e) {
          page.failures.push(String(e.message).split('\n')[0]);
        } finally {
          await ctx.close();
        }
        i++;
        const wait = PAGE_EVERY * 1000 - (performance.now() - slot);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();
    await Promise.all(cheapLoops);
    const solved = await Promise.all(solvers);
    await pageLoop;
    await levelLoop;
    results[kind] = { page, cheap, cheapSent, solved, levels };
  }
  stop = true;
  await staffLoop;
  await Promise.all(badStaffLoops);
  await browser.close();
  await server.stop();

  console.log(`flood benchmark: ${SECONDS} s per phase, min_effort ${MIN_EFFORT}, ${SOLVERS} solver thread(s), ${CONNECTIONS} (submissions) and ${2 * CONNECTIONS} (look-ups) flood connections, page every ${PAGE_EVERY} s`);
  console.log(`load average at the start: ${LOAD.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`Argon2id in this Chromium (WASM): ${speed.toFixed(2)} ms per evaluation; the default min_effort 1000 takes ${(speed).toFixed(2)} s on average`);
  for (const [kind, r] of Object.entries(results)) {
    const quota = kind === 'submissions' ? 120 : 1200;
    const validSent = r.solved.reduce((a, s) => a + s.sent, 0);
    const total = r.cheapSent + validSent;
    console.log(`${kind}: flood ${total} requests (${(total / SECONDS).toFixed(0)}/s = ${((total / SECONDS) * 60 / quota).toFixed(1)}x the quota of ${quota}/min): ${validSent} with valid proofs at the asked effort, answered ${JSON.stringify(r.solved.reduce((sum, s) => {
      for (const [code, n] of Object.entries(s.answers)) sum[code] = (sum[code] ?? 0) + n;
      return sum;
    }, {}))}; ${r.cheapSent} made-up or missing, answered ${JSON.stringify(r.cheap)}`);
    console.log(`${kind}: asked effort over the phase (per second): min ${Math.min(...r.levels)}, median ${pct(r.levels, 50)}, max ${Math.max(...r.levels)}`);
    const p = r.page;
    console.log(`${kind}: page ${p.ok}/${p.tried} accepted (${((100 * p.ok) / Math.max(1, p.tried)).toFixed(0)}%), time to acceptance median ${pct(p.times, 50)?.toFixed(1)} s, p95 ${pct(p.times, 95)?.toFixed(1)} s, max ${Math.max(...p.times).toFixed(1)} s${p.failures.length ? `; failures: ${p.failures.join(' | ')}` : ''}`);
  }
  console.log(`staff export with the valid token: ${staff.ok} ok, ${staff.other} not, median ${pct(staff.times, 50)?.toFixed(0)} ms, max ${Math.max(...staff.times).toFixed(0)} ms; bad tokens meanwhile: ${JSON.stringify(badStaff)}`);
}
