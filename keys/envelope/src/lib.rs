//! The one definition of Meldpunt's envelope: every byte that crosses from the
//! reporter's browser to the server to the coördinator's laptop and back is made
//! and checked here.
//!
//! - [`token`]: the reply token, and what HKDF derives from it (lookup key, reply key pair).
//! - [`padding`]: length hiding before sealing.
//! - [`melding`]: the plaintext JSON of a melding or follow-up, sealing and opening.
//! - [`reply`]: replies from the meldpunt, sealed to the reply recipient and signed.
//! - [`header`]: the age header as the server checks it without a key.
//! - [`bundle`] (feature `bundle`): tar archives that carry items between server and laptop.
//! - [`domain`]: the typed vocabulary (soort melding, melder, over wie, afdoening,
//!   kanaal), item kinds and history events, with their codes and labels.
//! - [`calendar`]: the one calendar: [`Day`] in Europe/Amsterdam and the legal deadlines.
//! - [`lang`]: [`Lang`], the language of every face.
//!
//! This crate does no I/O and has no async: it builds for `wasm32-unknown-unknown`
//! and the browser uses exactly the same code as the server and the offline tool.
//! `docs/PROTOCOL.md` describes the formats; `vectors/` pins them.

pub mod attachment;
pub mod calendar;
pub mod domain;
pub mod error;
pub mod header;
pub mod keys;
pub mod lang;
pub mod melding;
pub mod padding;
pub mod pow;
pub mod reply;
pub mod signed;
pub mod token;
pub mod vectors;

#[cfg(feature = "bundle")]
pub mod bundle;

pub use calendar::Day;
pub use error::Error;
pub use lang::Lang;

/// Most items one bundle or one import confirmation may name.
pub const MAX_ITEMS: usize = 200_000;

/// Lowercase hex SHA-256 of `data`: how items are named and checked in bundles.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(data))
}

/// Fills `buf` from the platform CSPRNG (the OS natively, `crypto.getRandomValues`
/// in the browser).
pub fn random_bytes(buf: &mut [u8]) -> Result<(), Error> {
    getrandom::getrandom(buf).map_err(|_| Error::Random)
}

/// A random 128-bit identifier in lowercase hex, for items and replies.
pub fn random_id() -> Result<String, Error> {
    let mut b = [0u8; 16];
    random_bytes(&mut b)?;
    Ok(hex::encode(b))
}

/// True if `s` is an identifier as made by [`random_id`].
pub fn is_valid_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
