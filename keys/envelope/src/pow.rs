//! An optional proof of work on submissions: the page spends a moment of CPU, the
//! server checks it with two hashes. It is bound to the submission itself (the
//! organisation, the case's lookup hash and the SHA-256 of the melding's age file), so
//! it cannot be reused, and it needs no state or challenge round trip on the server.
//!
//! A nonce is valid when SHA-256(challenge || nonce as 8 little-endian bytes) starts
//! with at least `difficulty` zero bits.

use sha2::{Digest, Sha256};

const LABEL: &[u8] = b"meldpunt/v1/proof-of-work\0";
/// Highest difficulty a server may ask (about 16 million hashes on average).
pub const MAX_DIFFICULTY: u8 = 24;

/// The challenge for one submission.
pub fn challenge(organisatie: &str, lookup_hash: &[u8; 32], melding_sha256: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(LABEL);
    h.update(organisatie.as_bytes());
    h.update([0]);
    h.update(lookup_hash);
    h.update(melding_sha256);
    h.finalize().into()
}

fn leading_zero_bits(d: &[u8]) -> u32 {
    let mut n = 0;
    for &b in d {
        if b == 0 {
            n += 8;
        } else {
            return n + b.leading_zeros();
        }
    }
    n
}

/// True when `nonce` meets `difficulty` for `challenge`.
pub fn check(challenge: &[u8; 32], nonce: u64, difficulty: u8) -> bool {
    if difficulty == 0 {
        return true;
    }
    let mut h = Sha256::new();
    h.update(challenge);
    h.update(nonce.to_le_bytes());
    leading_zero_bits(&h.finalize()) >= u32::from(difficulty.min(MAX_DIFFICULTY))
}

/// Finds the first nonce that meets `difficulty` (what the page does).
pub fn solve(challenge: &[u8; 32], difficulty: u8) -> u64 {
    (0u64..)
        .find(|&n| check(challenge, n, difficulty))
        .expect("a nonce exists below 2^64")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_and_check() {
        let c = challenge("leiden", &[1; 32], &[2; 32]);
        let n = solve(&c, 12);
        assert!(check(&c, n, 12));
        // Bound to the submission: another organisation's challenge differs.
        let other = challenge("leiderdorp", &[1; 32], &[2; 32]);
        assert_ne!(c, other);
        assert!(check(&c, 12345, 0));
        // Some nonce below the solution fails at this difficulty.
        assert!(n == 0 || !check(&c, n - 1, 12) || (0..n).any(|m| !check(&c, m, 12)));
    }

    #[test]
    fn zero_bits() {
        assert_eq!(leading_zero_bits(&[0, 0x0f]), 12);
        assert_eq!(leading_zero_bits(&[0x80]), 0);
        assert_eq!(leading_zero_bits(&[0, 0]), 16);
    }
}
