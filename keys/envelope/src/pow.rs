//! The proof of work the server asks of anonymous senders, after the idea of Tor's
//! onion-service defence (proposal 327): a client puzzle with an *effort* that buys
//! priority when the meldpunt is busy.
//!
//! - The server publishes a random **seed** that it rotates (and remembers the one
//!   before), and a **suggested effort** that follows its load.
//! - A proof is bound to one request: its **binding** is the SHA-256 of what the
//!   request carries ([`submission_binding`] for a melding or follow-up,
//!   [`lookup_binding`] for a reply look-up), so a proof solved for one request is
//!   worth nothing for another.
//! - The puzzle is memory-hard: `H = Argon2id(password = nonce, salt = challenge)`
//!   with [`MEMORY_KIB`] KiB, one pass, one lane, 32 bytes out, where
//!   `challenge = SHA-256(label || seed || binding || effort as u32 big-endian)`.
//!   A nonce is a solution for `effort` when the first four bytes of `H`, read as a
//!   big-endian `u32` `R`, satisfy `R * effort <= 2^32 - 1`. So a solution takes
//!   `effort` Argon2id evaluations on average, and checking one takes exactly one,
//!   whatever effort is claimed.
//!
//! Memory-hard means each evaluation touches its whole 1 MiB, so a graphics card or
//! an ASIC gains little over a browser compared with a SHA-256 puzzle.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use sha2::{Digest, Sha256};

/// Argon2id memory per evaluation, in KiB.
pub const MEMORY_KIB: u32 = 1024;
/// Argon2id passes over the memory.
pub const PASSES: u32 = 1;
/// Argon2id lanes.
pub const LANES: u32 = 1;
/// Bytes of a seed.
pub const SEED_LEN: usize = 32;
/// Bytes of a nonce.
pub const NONCE_LEN: usize = 16;
/// Highest effort a proof may claim.
pub const MAX_EFFORT: u32 = 1 << 30;

const LABEL: &[u8] = b"meldpunt/v1/pow/challenge\0";
const LABEL_SUBMISSION: &[u8] = b"meldpunt/v1/pow/submission\0";
const LABEL_LOOKUP: &[u8] = b"meldpunt/v1/pow/lookup\0";

/// A server seed.
pub type Seed = [u8; SEED_LEN];
/// A nonce of a proof.
pub type Nonce = [u8; NONCE_LEN];

/// What a proof for a melding or follow-up is bound to: the case's lookup hash and
/// the SHA-256 of the melding's (or follow-up's) age file.
pub fn submission_binding(lookup_hash: &[u8; 32], melding_sha256: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(LABEL_SUBMISSION);
    h.update(lookup_hash);
    h.update(melding_sha256);
    h.finalize().into()
}

/// What a proof for a reply look-up is bound to: the exact bytes of its body.
pub fn lookup_binding(body: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(LABEL_LOOKUP);
    h.update(body);
    h.finalize().into()
}

/// The challenge for one request at one effort.
pub fn challenge(seed: &Seed, binding: &[u8; 32], effort: u32) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(LABEL);
    h.update(seed);
    h.update(binding);
    h.update(effort.to_be_bytes());
    h.finalize().into()
}

/// True when `hash` is a solution at `effort` (`R * effort <= 2^32 - 1`).
pub fn meets(hash: &[u8; 32], effort: u32) -> bool {
    let r = u32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]]);
    u64::from(r) * u64::from(effort) <= u64::from(u32::MAX)
}

/// Evaluates the puzzle function, reusing its 1 MiB of memory between calls.
pub struct Hasher {
    argon2: Argon2<'static>,
    memory: Vec<Block>,
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher::new()
    }
}

impl Hasher {
    pub fn new() -> Hasher {
        let params = Params::new(MEMORY_KIB, PASSES, LANES, Some(32))
            .expect("the fixed Argon2id parameters are valid");
        Hasher {
            argon2: Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
            memory: vec![Block::default(); MEMORY_KIB as usize],
        }
    }

    /// `Argon2id(password = nonce, salt = challenge)`.
    pub fn hash(&mut self, challenge: &[u8; 32], nonce: &Nonce) -> [u8; 32] {
        let mut out = [0u8; 32];
        self.argon2
            .hash_password_into_with_memory(nonce, challenge, &mut out, &mut self.memory)
            .expect("the fixed Argon2id inputs have valid lengths");
        out
    }

    /// True when `nonce` solves `challenge` at `effort`: one evaluation.
    pub fn check(&mut self, challenge: &[u8; 32], nonce: &Nonce, effort: u32) -> bool {
        (1..=MAX_EFFORT).contains(&effort) && meets(&self.hash(challenge, nonce), effort)
    }

    /// Tries `count` nonces from `start` on (counting as a big-endian number);
    /// returns the first solution. The page calls this in small steps so it can
    /// show progress.
    pub fn search(
        &mut self,
        challenge: &[u8; 32],
        effort: u32,
        start: &Nonce,
        count: u32,
    ) -> Option<Nonce> {
        let mut nonce = *start;
        for _ in 0..count {
            if self.check(challenge, &nonce, effort) {
                return Some(nonce);
            }
            increment(&mut nonce);
        }
        None
    }
}

/// Adds one to `nonce` as a big-endian number (wrapping).
pub fn increment(nonce: &mut Nonce) {
    for b in nonce.iter_mut().rev() {
        let (v, carry) = b.overflowing_add(1);
        *b = v;
        if !carry {
            break;
        }
    }
}

/// Solves `challenge` at `effort` from `start` on: `effort` evaluations on average.
pub fn solve(challenge: &[u8; 32], effort: u32, start: &Nonce) -> Nonce {
    let mut h = Hasher::new();
    let mut nonce = *start;
    loop {
        if let Some(n) = h.search(challenge, effort, &nonce, 1 << 16) {
            return n;
        }
        for _ in 0..(1u32 << 16) {
            increment(&mut nonce);
        }
    }
}

/// A proof as carried in the `Meldpunt-Pow` header: `<seed hex>:<effort>:<nonce hex>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proof {
    pub seed: Seed,
    pub effort: u32,
    pub nonce: Nonce,
}

/// Why a `Meldpunt-Pow` header could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a proof of work is written <64 hex seed>:<effort 1 to {MAX_EFFORT}>:<32 hex nonce>")]
pub struct ProofSyntaxError;

impl std::str::FromStr for Proof {
    type Err = ProofSyntaxError;

    fn from_str(s: &str) -> Result<Proof, ProofSyntaxError> {
        let mut parts = s.trim().split(':');
        let (Some(seed), Some(effort), Some(nonce), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ProofSyntaxError);
        };
        let mut p = Proof {
            seed: [0; SEED_LEN],
            effort: 0,
            nonce: [0; NONCE_LEN],
        };
        hex::decode_to_slice(seed, &mut p.seed).map_err(|_| ProofSyntaxError)?;
        hex::decode_to_slice(nonce, &mut p.nonce).map_err(|_| ProofSyntaxError)?;
        // Digits only: no sign, no spaces, no leading zeros beyond "0" itself.
        if effort.is_empty()
            || effort.len() > 10
            || !effort.bytes().all(|b| b.is_ascii_digit())
            || (effort.len() > 1 && effort.starts_with('0'))
        {
            return Err(ProofSyntaxError);
        }
        p.effort = effort.parse().map_err(|_| ProofSyntaxError)?;
        if !(1..=MAX_EFFORT).contains(&p.effort) {
            return Err(ProofSyntaxError);
        }
        Ok(p)
    }
}

impl std::fmt::Display for Proof {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            hex::encode(self.seed),
            self.effort,
            hex::encode(self.nonce)
        )
    }
}

impl Proof {
    /// The challenge this proof answers for a request with `binding`.
    pub fn challenge(&self, binding: &[u8; 32]) -> [u8; 32] {
        challenge(&self.seed, binding, self.effort)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_solution_checks_and_is_bound_to_its_request() {
        let seed = [7u8; 32];
        let binding = submission_binding(&[1; 32], &[2; 32]);
        let c = challenge(&seed, &binding, 8);
        let n = solve(&c, 8, &[0; 16]);
        let mut h = Hasher::new();
        assert!(h.check(&c, &n, 8));
        // Another request, seed or claimed effort gives another challenge.
        let other = submission_binding(&[1; 32], &[3; 32]);
        assert_ne!(challenge(&seed, &other, 8), c);
        assert_ne!(challenge(&[8; 32], &binding, 8), c);
        assert_ne!(challenge(&seed, &binding, 9), c);
        assert_ne!(
            lookup_binding(b"{}"),
            submission_binding(&[0; 32], &[0; 32])
        );
        // Effort 0 or above the maximum never checks.
        assert!(!h.check(&c, &n, 0));
        assert!(!h.check(&c, &n, MAX_EFFORT + 1));
    }

    #[test]
    fn effort_is_the_expected_number_of_evaluations() {
        assert!(meets(&[0xff; 32], 1));
        assert!(!meets(&[0xff; 32], 2));
        assert!(meets(
            &[
                0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0
            ],
            2
        ));
        assert!(!meets(
            &[
                0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0
            ],
            2
        ));
        assert!(meets(&[0; 32], u32::MAX));
    }

    #[test]
    fn nonces_count_big_endian() {
        let mut n = [0u8; 16];
        n[15] = 0xff;
        increment(&mut n);
        assert_eq!(n[14..], [1, 0]);
        let mut all = [0xff; 16];
        increment(&mut all);
        assert_eq!(all, [0; 16]);
    }

    #[test]
    fn the_header_form_round_trips_and_refuses_the_rest() {
        let p = Proof {
            seed: [0xab; 32],
            effort: 1200,
            nonce: [0x01; 16],
        };
        let s = p.to_string();
        assert_eq!(s.parse::<Proof>(), Ok(p));
        let seed = "ab".repeat(32);
        let nonce = "01".repeat(16);
        for bad in [
            String::new(),
            format!("{seed}:1200"),
            format!("{seed}:1200:{nonce}:x"),
            format!("{seed}:0:{nonce}"),
            format!("{seed}:-1:{nonce}"),
            format!("{seed}:+5:{nonce}"),
            format!("{seed}:012:{nonce}"),
            format!("{seed}: 12:{nonce}"),
            format!("{seed}:{}:{nonce}", u64::from(MAX_EFFORT) + 1),
            format!("{seed}:99999999999:{nonce}"),
            format!("{}:12:{nonce}", "ab".repeat(31)),
            format!("{seed}:12:{}", "zz".repeat(16)),
        ] {
            assert_eq!(bad.parse::<Proof>(), Err(ProofSyntaxError), "{bad:?}");
        }
    }
}
