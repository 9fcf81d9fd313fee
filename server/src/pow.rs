//! Fair under a flood without knowing callers: the adaptive proof of work in front
//! of submissions and reply look-ups, after Tor's onion-service defence.
//!
//! The server keeps no address or other key per caller, so the only thing that
//! tells a reporter from a flood is the work each request carries
//! (`meldpunt_envelope::pow`: Argon2id, bound to a seed and to the request):
//!
//! - **Seeds** rotate every `seed_rotation`; a proof names the seed it used and the
//!   current and the previous one are accepted. Each proof is accepted once: the
//!   proofs seen per seed are kept in memory until the seed is two rotations old.
//! - **Verification** costs exactly one Argon2id evaluation whatever effort a proof
//!   claims, runs on the blocking pool with at most [`Pow::verifiers`] at once, and
//!   beyond [`MAX_VERIFY_WAITING`] waiting the request is shed at once (503).
//!   Everything cheaper (syntax, seed, minimum effort, replay) is checked first.
//! - **Admission** ([`Gate`]): each class keeps its rate (a token bucket). While the
//!   bucket has tokens and nobody waits, a verified request goes through at once.
//!   Otherwise it waits in a bounded priority queue ordered by effort; whenever a
//!   token comes, the highest effort waiting (the oldest among equals) goes. When
//!   the queue is full, a newcomer with more effort than the lowest waiting takes
//!   its place and the lowest is refused; a newcomer with no more is refused; one
//!   that waits longer than `max_wait` is refused. Every refusal is a 429 that says
//!   which effort to use (`more_work_needed`).
//! - **The suggested effort** per class starts at `min_effort`. When a request with
//!   at least the suggested effort is refused, the suggestion doubles (at most once
//!   per update period, up to `max_effort`), so clients that follow it get ahead of
//!   a flood at a fixed effort; it stays while requests still have to wait, and each
//!   update period in which nobody had to wait it falls by a third, down to
//!   `min_effort`. (Tor's first control loop raised its suggestion on every busy
//!   period, which an attacker can inflate; this one rises only on refusals at or
//!   above the suggestion, as proposal 362 argues.)
//!
//! All of it lives in memory only, and none of it names a caller.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashSet};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use meldpunt_envelope::pow::{self as puzzle, Proof, Seed};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::{Notify, Semaphore, oneshot};
use tokio::time::Instant;

use crate::config::PowSettings;
use crate::error::AppError;

/// Verifications that may wait for a verifier before requests are shed.
pub const MAX_VERIFY_WAITING: usize = 256;
/// Proofs remembered per seed before the seed is rotated early (about 3 MB).
const MAX_REMEMBERED: usize = 100_000;

/// The two classes of reporter requests that carry a proof of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PowClass {
    Submissions,
    Lookups,
}

/// The whole proof-of-work defence of one server.
pub struct Pow {
    settings: PowSettings,
    seeds: Mutex<Seeds>,
    verify: Semaphore,
    verifiers: usize,
    verify_waiting: AtomicUsize,
    pub submissions: Arc<Gate>,
    pub lookups: Arc<Gate>,
}

struct Seeds {
    current: Seed,
    previous: Option<Seed>,
    since: Instant,
    /// Replay keys of the proofs accepted under `current` and `previous`.
    used_current: HashSet<[u8; 16]>,
    used_previous: HashSet<[u8; 16]>,
}

/// What `GET /api/v1/pow` publishes.
#[derive(Serialize)]
pub struct Published {
    pub v: u32,
    pub algorithm: &'static str,
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
    pub seed: String,
    /// Seconds until the seed rotates (the one before stays valid one more period).
    pub seed_expires_in: u64,
    pub submissions: ClassLevel,
    pub lookups: ClassLevel,
}

#[derive(Serialize)]
pub struct ClassLevel {
    /// The effort to solve at now.
    pub effort: u32,
    /// Requests waiting for their turn.
    pub waiting: usize,
}

fn random_seed() -> Seed {
    let mut s = [0u8; 32];
    // The OS generator; if it fails the seed is still unpredictable enough from the
    // clock, and a fixed seed would only let work be done ahead of time.
    if meldpunt_envelope::random_bytes(&mut s).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        s = Sha256::digest(t.as_nanos().to_le_bytes()).into();
    }
    s
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding these locks leaves only counters behind; go on.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Pow {
    pub fn new(
        settings: &PowSettings,
        submissions_per_minute: u32,
        lookups_per_minute: u32,
    ) -> Pow {
        let verifiers = std::thread::available_parallelism()
            .map(|n| (n.get() / 2).max(1))
            .unwrap_or(1);
        Pow {
            seeds: Mutex::new(Seeds {
                current: random_seed(),
                previous: None,
                since: Instant::now(),
                used_current: HashSet::new(),
                used_previous: HashSet::new(),
            }),
            verify: Semaphore::new(verifiers),
            verifiers,
            verify_waiting: AtomicUsize::new(0),
            submissions: Arc::new(Gate::new(settings, submissions_per_minute)),
            lookups: Arc::new(Gate::new(settings, lookups_per_minute)),
            settings: settings.clone(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.settings.enabled
    }

    /// Verifications at once.
    pub fn verifiers(&self) -> usize {
        self.verifiers
    }

    pub fn gate(&self, class: PowClass) -> &Arc<Gate> {
        match class {
            PowClass::Submissions => &self.submissions,
            PowClass::Lookups => &self.lookups,
        }
    }

    /// The current seed, rotating it first if its time is up.
    fn seeds(&self) -> MutexGuard<'_, Seeds> {
        let mut s = lock(&self.seeds);
        let full = s.used_current.len() >= MAX_REMEMBERED;
        if full || s.since.elapsed() >= self.settings.seed_rotation {
            let two_old = s.since.elapsed() >= 2 * self.settings.seed_rotation;
            s.previous = (!two_old || full).then_some(s.current);
            s.used_previous = std::mem::take(&mut s.used_current);
            if two_old && !full {
                s.used_previous.clear();
            }
            s.current = random_seed();
            s.since = Instant::now();
        }
        s
    }

    /// What the page needs to solve: seed, parameters and each class's effort.
    pub fn published(&self) -> Published {
        let (seed, expires) = {
            let s = self.seeds();
            let left = self
                .settings
                .seed_rotation
                .saturating_sub(s.since.elapsed());
            (hex::encode(s.current), left.as_secs())
        };
        Published {
            v: 1,
            algorithm: "argon2id",
            memory_kib: puzzle::MEMORY_KIB,
            passes: puzzle::PASSES,
            lanes: puzzle::LANES,
            seed,
            seed_expires_in: expires,
            submissions: self.submissions.level(),
            lookups: self.lookups.level(),
        }
    }

    /// Checks `proof` for a request of `class` bound to `binding`, then waits for
    /// the request's turn. Cheap refusals first; one Argon2id evaluation at most.
    pub async fn admit(
        &self,
        class: PowClass,
        proof: Proof,
        binding: [u8; 32],
    ) -> Result<(), AppError> {
        let gate = self.gate(class);
        if proof.effort < self.settings.min_effort {
            return Err(gate.more_work(proof.effort));
        }
        let challenge = proof.challenge(&binding);
        let key = replay_key(&challenge, &proof.nonce);
        {
            let s = self.seeds();
            let used = if proof.seed == s.current {
                &s.used_current
            } else if Some(proof.seed) == s.previous {
                &s.used_previous
            } else {
                // An old or made-up seed: fetch the current one and solve again.
                return Err(gate.more_work(0));
            };
            if used.contains(&key) {
                return Err(gate.more_work(0));
            }
        }
        self.verify(challenge, proof).await?;
        {
            let mut s = self.seeds();
            let fresh = if proof.seed == s.current {
                s.used_current.insert(key)
            } else if Some(proof.seed) == s.previous {
                s.used_previous.insert(key)
            } else {
                false
            };
            if !fresh {
                return Err(gate.more_work(0));
            }
        }
        gate.admit(proof.effort).await
    }

    /// One Argon2id evaluation on the blocking pool, at most `verifiers` at once.
    async fn verify(&self, challenge: [u8; 32], proof: Proof) -> Result<(), AppError> {
        struct Waiting<'a>(&'a AtomicUsize);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::AcqRel);
            }
        }
        if self.verify_waiting.fetch_add(1, Ordering::AcqRel) >= MAX_VERIFY_WAITING {
            self.verify_waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(AppError::Busy);
        }
        let waiting = Waiting(&self.verify_waiting);
        let permit = self.verify.acquire().await.map_err(|_| AppError::Busy)?;
        drop(waiting);
        let ok = tokio::task::spawn_blocking(move || {
            thread_local! {
                static HASHER: std::cell::RefCell<puzzle::Hasher> =
                    std::cell::RefCell::new(puzzle::Hasher::new());
            }
            HASHER.with(|h| h.borrow_mut().check(&challenge, &proof.nonce, proof.effort))
        })
        .await?;
        drop(permit);
        if ok {
            Ok(())
        } else {
            Err(AppError::BadProofOfWork)
        }
    }
}

fn replay_key(challenge: &[u8; 32], nonce: &puzzle::Nonce) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update(challenge);
    h.update(nonce);
    let d: [u8; 32] = h.finalize().into();
    let mut k = [0u8; 16];
    k.copy_from_slice(&d[..16]);
    k
}

/// The token bucket and priority queue of one class.
pub struct Gate {
    limiter: DefaultDirectRateLimiter,
    inner: Mutex<GateInner>,
    wake: Notify,
    queue_len: usize,
    max_wait: Duration,
    min_effort: u32,
    max_effort: u32,
    period: Duration,
}

struct GateInner {
    /// Waiting requests by (effort, newest last among equals reversed): the last
    /// entry is the highest effort and, among equals, the oldest.
    queue: BTreeMap<(u32, Reverse<u64>), oneshot::Sender<()>>,
    seq: u64,
    suggested: u32,
    period_start: Instant,
    /// Someone had to wait or was refused in this period.
    busy: bool,
    /// The suggestion was raised in this period already.
    raised: bool,
    dispatcher: bool,
}

impl Gate {
    fn new(s: &PowSettings, per_minute: u32) -> Gate {
        // The bucket holds ten seconds' worth, so a burst cannot use a whole
        // minute's quota at once.
        let rate = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new((per_minute / 6).max(1)).unwrap_or(NonZeroU32::MIN);
        Gate {
            limiter: RateLimiter::direct(Quota::per_minute(rate).allow_burst(burst)),
            inner: Mutex::new(GateInner {
                queue: BTreeMap::new(),
                seq: 0,
                suggested: s.min_effort,
                period_start: Instant::now(),
                busy: false,
                raised: false,
                dispatcher: false,
            }),
            wake: Notify::new(),
            queue_len: s.queue_len,
            max_wait: s.max_wait,
            min_effort: s.min_effort,
            max_effort: s.max_effort,
            period: s.update_period,
        }
    }

    /// The inner state with its update periods rolled forward to now.
    fn inner(&self) -> MutexGuard<'_, GateInner> {
        let mut g = lock(&self.inner);
        let elapsed = g.period_start.elapsed();
        if elapsed >= self.period {
            let periods = (elapsed.as_nanos() / self.period.as_nanos().max(1)).min(64) as u32;
            // The period that ended lowers the suggestion if nobody waited in it;
            // every later one had no requests at all.
            let quiet = periods - u32::from(g.busy || !g.queue.is_empty());
            for _ in 0..quiet {
                let step = (g.suggested / 3).max(1);
                g.suggested = g.suggested.saturating_sub(step).max(self.min_effort);
            }
            g.period_start += self.period * periods;
            if g.period_start.elapsed() >= self.period {
                g.period_start = Instant::now();
            }
            g.busy = !g.queue.is_empty();
            g.raised = false;
        }
        g
    }

    /// The suggested effort and the queue length now.
    pub fn level(&self) -> ClassLevel {
        let g = self.inner();
        ClassLevel {
            effort: g.suggested,
            waiting: g.queue.len(),
        }
    }

    /// The suggested effort now.
    pub fn suggested(&self) -> u32 {
        self.inner().suggested
    }

    /// Requests waiting now.
    pub fn waiting(&self) -> usize {
        lock(&self.inner).queue.len()
    }

    /// Notes a refusal at `effort` (raising the suggestion if it was at least the
    /// suggestion) and returns the error that names the effort to use.
    fn refuse(&self, g: &mut GateInner, effort: u32) -> AppError {
        g.busy = true;
        if effort >= g.suggested && !g.raised {
            g.suggested = g
                .suggested
                .max(effort)
                .saturating_mul(2)
                .min(self.max_effort);
            g.raised = true;
        }
        let lowest_waiting = g
            .queue
            .first_key_value()
            .map(|((e, _), _)| e.saturating_add(1));
        AppError::MoreWork {
            effort: g
                .suggested
                .max(lowest_waiting.unwrap_or(0))
                .max(effort.saturating_add(1).min(self.max_effort))
                .min(self.max_effort),
        }
    }

    /// The answer for a proof that is not worth verifying (too little effort, an
    /// unknown seed, used before).
    fn more_work(&self, effort: u32) -> AppError {
        let g = self.inner();
        AppError::MoreWork {
            effort: g
                .suggested
                .max(effort.saturating_add(1))
                .min(self.max_effort),
        }
    }

    /// Waits for this request's turn: at once while the bucket has tokens and
    /// nobody waits, else in the queue by effort.
    pub async fn admit(self: &Arc<Self>, effort: u32) -> Result<(), AppError> {
        let (key, rx) = {
            let mut g = self.inner();
            if g.queue.is_empty() && self.limiter.check().is_ok() {
                return Ok(());
            }
            g.busy = true;
            if g.queue.len() >= self.queue_len {
                // Clients that gave up (closed their connection) keep no place.
                g.queue.retain(|_, tx| !tx.is_closed());
            }
            if g.queue.len() >= self.queue_len {
                let lowest = g.queue.first_key_value().map(|(k, _)| *k);
                match lowest {
                    // Dropping its sender answers the lowest one: refused.
                    Some(k) if k.0 < effort => drop(g.queue.remove(&k)),
                    _ => return Err(self.refuse(&mut g, effort)),
                }
            }
            g.seq += 1;
            let key = (effort, Reverse(g.seq));
            let (tx, rx) = oneshot::channel();
            g.queue.insert(key, tx);
            (key, rx)
        };
        self.start();
        self.wake.notify_one();
        match tokio::time::timeout(self.max_wait, rx).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => {
                let mut g = self.inner();
                Err(self.refuse(&mut g, effort))
            }
            Err(_) => {
                let mut g = self.inner();
                g.queue.remove(&key);
                Err(self.refuse(&mut g, effort))
            }
        }
    }

    /// Starts the task that hands out tokens to the queue, once.
    fn start(self: &Arc<Self>) {
        let mut g = lock(&self.inner);
        if g.dispatcher {
            return;
        }
        g.dispatcher = true;
        drop(g);
        let gate = Arc::clone(self);
        tokio::spawn(async move { gate.dispatch().await });
    }

    async fn dispatch(&self) {
        loop {
            let woken = self.wake.notified();
            if self.waiting() == 0 {
                woken.await;
                continue;
            }
            self.limiter.until_ready().await;
            let mut g = self.inner();
            // The highest effort whose client still waits; a token that finds
            // nobody is lost, which only slows the class down by one request.
            while let Some((_, tx)) = g.queue.pop_last() {
                if tx.send(()).is_ok() {
                    break;
                }
            }
        }
    }
}

/// What the proof of a submission was bound to, for the handler to compare with
/// the melding it reads: the SHA-256 the client declared in
/// `Meldpunt-Melding-Sha256`.
#[derive(Clone, Copy, Debug)]
pub struct Declared {
    pub melding_sha256: [u8; 32],
}

/// Header with the SHA-256 of the melding's age file a submission's proof is bound to.
pub const HEADER_MELDING_SHA256: &str = "Meldpunt-Melding-Sha256";

/// Reads a request's proof and what it is bound to, and waits for its turn. A
/// look-up's body (a few hundred bytes at most) is read here, to bind the proof to
/// it, and handed on unchanged.
pub async fn admit_request(
    state: &crate::AppState,
    class: PowClass,
    req: axum::extract::Request,
) -> Result<axum::extract::Request, AppError> {
    use crate::api::{HEADER_LOOKUP_HASH, HEADER_LOOKUP_KEY, HEADER_POW, MAX_LOOKUP_BODY};
    use crate::extract::required_header;

    let headers = req.headers();
    let proof: Proof = required_header(headers, HEADER_POW)?
        .parse()
        .map_err(|_| AppError::InvalidHeader(HEADER_POW))?;
    let hex32 = |name: &'static str| -> Result<[u8; 32], AppError> {
        let mut b = [0u8; 32];
        hex::decode_to_slice(required_header(headers, name)?, &mut b)
            .map_err(|_| AppError::InvalidHeader(name))?;
        Ok(b)
    };
    match class {
        PowClass::Submissions => {
            // A follow-up names its case by the lookup key, a melding by its hash.
            let lookup_hash = if req.uri().path() == "/api/v1/vervolg" {
                let key = zeroize::Zeroizing::new(
                    required_header(headers, HEADER_LOOKUP_KEY)?.to_string(),
                );
                meldpunt_envelope::token::LookupKey::from_hex(&key)
                    .map_err(|_| AppError::InvalidLookupKey)?
                    .hash()
            } else {
                hex32(HEADER_LOOKUP_HASH)?
            };
            let melding_sha256 = hex32(HEADER_MELDING_SHA256)?;
            let binding = puzzle::submission_binding(&lookup_hash, &melding_sha256);
            state.pow.admit(class, proof, binding).await?;
            let mut req = req;
            req.extensions_mut().insert(Declared { melding_sha256 });
            Ok(req)
        }
        PowClass::Lookups => {
            let (parts, body) = req.into_parts();
            let bytes = axum::body::to_bytes(body, MAX_LOOKUP_BODY)
                .await
                .map_err(|e| {
                    if e.into_inner().is::<http_body_util::LengthLimitError>() {
                        AppError::TooLarge
                    } else {
                        AppError::UnreadableBody
                    }
                })?;
            let binding = puzzle::lookup_binding(&bytes);
            state.pow.admit(class, proof, binding).await?;
            Ok(axum::extract::Request::from_parts(
                parts,
                axum::body::Body::from(bytes),
            ))
        }
    }
}
