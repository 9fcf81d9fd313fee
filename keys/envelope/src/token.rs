//! The reply token: the reporter's only key to their melding.
//!
//! 160 bits from the CSPRNG, written as 32 Crockford base32 characters in eight
//! groups of four. It never leaves the browser. HKDF-SHA256 derives from it:
//! - a **lookup key**, sent to the server to fetch replies; the server stores only
//!   [`lookup_hash`] of it;
//! - an **X25519 reply identity**, whose recipient travels inside the sealed melding
//!   so the meldpunt can seal replies that only the token holder can open.

use std::fmt;
use std::str::FromStr;

use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::Error;

/// Bytes of entropy in a token.
pub const TOKEN_BYTES: usize = 20;
/// Characters in a token, without separators.
pub const TOKEN_CHARS: usize = TOKEN_BYTES * 8 / 5;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const HKDF_SALT: &[u8] = b"meldpunt/v1";
const LABEL_LOOKUP: &[u8] = b"meldpunt/v1/lookup-key";
const LABEL_REPLY: &[u8] = b"meldpunt/v1/reply-x25519";
const LABEL_LOOKUP_HASH: &[u8] = b"meldpunt/v1/lookup-hash";

/// A reply token. Zeroized on drop; its `Debug` does not print it.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct ReplyToken([u8; TOKEN_BYTES]);

impl ReplyToken {
    /// A fresh token from the platform CSPRNG.
    pub fn generate() -> Result<Self, Error> {
        let mut b = [0u8; TOKEN_BYTES];
        crate::random_bytes(&mut b)?;
        Ok(ReplyToken(b))
    }

    pub fn from_bytes(b: [u8; TOKEN_BYTES]) -> Self {
        ReplyToken(b)
    }

    pub fn as_bytes(&self) -> &[u8; TOKEN_BYTES] {
        &self.0
    }

    /// The token as shown to the reporter: `XXXX-XXXX-…`, eight groups of four.
    pub fn display(&self) -> Zeroizing<String> {
        let mut bits: u64 = 0;
        let mut nbits = 0;
        let mut out = Zeroizing::new(String::with_capacity(TOKEN_CHARS + 7));
        let mut n = 0;
        for &byte in &self.0 {
            bits = (bits << 8) | byte as u64;
            nbits += 8;
            while nbits >= 5 {
                nbits -= 5;
                if n > 0 && n % 4 == 0 {
                    out.push('-');
                }
                out.push(ALPHABET[((bits >> nbits) & 31) as usize] as char);
                n += 1;
            }
        }
        bits.zeroize();
        out
    }

    /// Parses a token as a person might type it: any case, with or without spaces
    /// and hyphens, `O` read as `0` and `I`/`L` as `1` (Crockford's rules).
    pub fn parse(s: &str) -> Result<Self, Error> {
        let mut out = [0u8; TOKEN_BYTES];
        let mut bits: u64 = 0;
        let mut nbits = 0;
        let mut i = 0;
        let mut chars = 0;
        for c in s.chars() {
            let v = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' | '\n' | '\r' => continue,
                'O' => 0,
                'I' | 'L' => 1,
                c => match ALPHABET.iter().position(|&a| a as char == c) {
                    Some(v) => v as u64,
                    None => {
                        return Err(Error::Token(
                            "it contains a character that is not part of a token",
                        ));
                    }
                },
            };
            chars += 1;
            if chars > TOKEN_CHARS {
                return Err(Error::Token("it is too long"));
            }
            bits = (bits << 5) | v;
            nbits += 5;
            if nbits >= 8 {
                nbits -= 8;
                out[i] = (bits >> nbits) as u8;
                i += 1;
            }
        }
        bits.zeroize();
        if chars < TOKEN_CHARS {
            out.zeroize();
            return Err(Error::Token("it is too short"));
        }
        Ok(ReplyToken(out))
    }

    /// Derives the lookup key and the reply identity.
    pub fn derive(&self) -> TokenKeys {
        let hk = Hkdf::<Sha256>::new(Some(HKDF_SALT), &self.0);
        let mut lookup_key = [0u8; 32];
        hk.expand(LABEL_LOOKUP, &mut lookup_key)
            .expect("32 bytes is a valid HKDF length");
        let mut reply_secret = Zeroizing::new([0u8; 32]);
        hk.expand(LABEL_REPLY, reply_secret.as_mut())
            .expect("32 bytes is a valid HKDF length");
        TokenKeys {
            lookup_key: LookupKey(lookup_key),
            reply_identity: crate::keys::x25519_identity_from_bytes(&reply_secret),
        }
    }
}

impl fmt::Debug for ReplyToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReplyToken(..)")
    }
}

impl FromStr for ReplyToken {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ReplyToken::parse(s)
    }
}

/// The lookup key: proves to the server that the caller holds the token, without
/// being the token. Zeroized on drop.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct LookupKey(pub [u8; 32]);

impl LookupKey {
    /// The hash the server stores and indexes by.
    pub fn hash(&self) -> [u8; 32] {
        lookup_hash(&self.0)
    }

    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0))
    }

    pub fn from_hex(s: &str) -> Result<Self, Error> {
        let mut b = [0u8; 32];
        hex::decode_to_slice(s, &mut b)
            .map_err(|_| Error::Token("the lookup key is not 64 hex digits"))?;
        Ok(LookupKey(b))
    }
}

impl fmt::Debug for LookupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LookupKey(..)")
    }
}

/// SHA-256 over a fixed label and the lookup key.
pub fn lookup_hash(lookup_key: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(LABEL_LOOKUP_HASH);
    h.update(lookup_key);
    h.finalize().into()
}

/// Everything the token opens.
pub struct TokenKeys {
    pub lookup_key: LookupKey,
    pub reply_identity: age::x25519::Identity,
}

impl TokenKeys {
    /// The `age1…` recipient that goes inside the melding.
    pub fn reply_recipient(&self) -> String {
        self.reply_identity.to_public().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_parse() {
        let t = ReplyToken::from_bytes([0xA5; TOKEN_BYTES]);
        let s = t.display();
        assert_eq!(s.len(), TOKEN_CHARS + 7);
        assert_eq!(ReplyToken::parse(&s).unwrap(), t);
        assert_eq!(
            ReplyToken::parse(&s.to_lowercase().replace('-', " ")).unwrap(),
            t
        );
        let zero = ReplyToken::from_bytes([0; TOKEN_BYTES]);
        assert_eq!(&*zero.display(), "0000-0000-0000-0000-0000-0000-0000-0000");
        assert_eq!(
            ReplyToken::parse("OOOO-oooo-0000-0000-0000-0000-0000-0000").unwrap(),
            zero
        );
    }

    #[test]
    fn rejects_bad_tokens() {
        assert!(ReplyToken::parse("").is_err());
        assert!(ReplyToken::parse("ABCD").is_err());
        assert!(ReplyToken::parse("UUUU-0000-0000-0000-0000-0000-0000-0000").is_err());
        assert!(ReplyToken::parse("0000-0000-0000-0000-0000-0000-0000-00000").is_err());
        assert!(ReplyToken::parse("0000-0000-0000-0000-0000-0000-0000-000!").is_err());
    }

    #[test]
    fn debug_hides_secret() {
        let t = ReplyToken::from_bytes([7; TOKEN_BYTES]);
        assert_eq!(format!("{t:?}"), "ReplyToken(..)");
    }

    proptest::proptest! {
        #[test]
        fn round_trip(b in proptest::array::uniform20(proptest::num::u8::ANY)) {
            let t = ReplyToken::from_bytes(b);
            proptest::prop_assert_eq!(ReplyToken::parse(&t.display()).unwrap(), t);
        }

        #[test]
        fn parse_never_panics(s in ".{0,80}") {
            let _ = ReplyToken::parse(&s);
        }
    }
}
