// The page's side of the proof of work (docs/PROTOCOL.md, "Proof of work"): asks
// the server for its seed and the effort it wants now, solves in a Web Worker
// (pow-worker.js) so the page never freezes, and when the server answers 429
// more_work_needed, solves again at the effort it names and sends again.

/** Tries before giving up; each one solves afresh (a proof is accepted once). */
const ATTEMPTS = 5;

let worker = null;

function stopWorker() {
  worker?.terminate();
  worker = null;
}

/** Solves at `effort` for `binding` under `seed`; `onTries(n)` hears the progress. */
function solve(seed, binding, effort, onTries, job) {
  worker ??= new Worker(new URL('./pow-worker.js', import.meta.url), { type: 'module' });
  const w = worker;
  return new Promise((resolve, reject) => {
    const stop = (err) => {
      w.onmessage = null;
      w.onerror = null;
      clearInterval(watch);
      if (err) {
        // A worker that failed or was cancelled mid-search is not reused.
        if (worker === w) stopWorker();
        reject(err);
      }
    };
    // Cancelling the send stops the search at once.
    const watch = setInterval(() => {
      if (job?.cancelled) stop(Object.assign(new Error('cancelled'), { code: 'cancelled' }));
    }, 100);
    w.onmessage = ({ data }) => {
      if (data.error) return stop(Object.assign(new Error(data.error), { code: 'pow' }));
      if (job?.cancelled) return stop(Object.assign(new Error('cancelled'), { code: 'cancelled' }));
      onTries(data.tries);
      if (data.proof) {
        stop(null);
        resolve(data.proof);
      }
    };
    w.onerror = (e) => stop(Object.assign(new Error(e.message || 'worker failed'), { code: 'pow' }));
    w.postMessage({ seed, binding, effort });
  });
}

/** The server's seed and levels, or null when it asks for no proof of work. */
async function level() {
  const resp = await fetch('/api/v1/pow', { cache: 'no-store', credentials: 'omit' });
  if (!resp.ok) throw Object.assign(new Error(`status ${resp.status}`), { code: 'offline' });
  return resp.json();
}

/** The effort a 429 asks for, if it is a more_work_needed answer. */
function effortAsked(result) {
  if (result?.status !== 429) return 0;
  const header = result.headers?.get?.('Meldpunt-Pow-Effort');
  return Number(header || result.body?.effort || 0);
}

/**
 * Sends a request with a proof of work: `kind` is 'submissions' or 'lookups',
 * `binding` the hex the proof is bound to (from the WASM client), `attempt(header)`
 * sends once with the Meldpunt-Pow header value (or null when none is needed) and
 * resolves with something that has `status` and either `headers` (a fetch Response)
 * or `body` (parsed JSON). `onProgress(fraction, busy)` hears how far the work is
 * (busy: the server asked for more). Resolves with the last attempt's result.
 */
export async function withWork({ kind, binding, attempt, onProgress, job }) {
  let asked = 0;
  let result = null;
  for (let i = 0; i < ATTEMPTS; i++) {
    const p = await level();
    if (!p) return attempt(null);
    // Requests waiting means the meldpunt is over its rate and serves the most work
    // first: twice the suggested effort goes ahead of everyone who only follows it.
    const now = p[kind];
    const effort = Math.max(now.waiting > 0 ? 2 * now.effort : now.effort, asked);
    const busy = asked > 0;
    onProgress(0, busy);
    let shown = performance.now();
    const proof = await solve(p.seed, binding, effort, (tries) => {
      // A line read aloud by screen readers: at most one update a second.
      if (performance.now() - shown < 1000) return;
      shown = performance.now();
      // Solving takes `effort` tries on average; never show 100% before the end.
      onProgress(Math.min(0.99, 1 - Math.exp(-tries / effort)), busy);
    }, job);
    onProgress(1, busy);
    result = await attempt(proof);
    asked = effortAsked(result);
    if (!asked) return result;
  }
  return result;
}
