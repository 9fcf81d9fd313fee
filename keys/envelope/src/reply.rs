//! Replies from the meldpunt to the reporter.
//!
//! A reply is a binary age file sealed to the reply recipient carried in the
//! melding, plus an Ed25519 signature by the meldpunt's signing key over a fixed
//! label, the lookup hash of the case and the SHA-256 of the ciphertext. Binding the
//! lookup hash stops a server from moving a genuine reply to another case; the
//! browser checks the signature before it opens anything.

use ed25519_dalek::{Signer, Verifier};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::keys::{SigningPublicKey, SigningSecretKey};
use crate::token::TokenKeys;
use crate::{Error, calendar};

/// The current reply plaintext version.
pub const VERSION: u32 = 1;
const SIGNATURE_LABEL: &[u8] = b"meldpunt/v1/reply-signature\0";

/// What the meldpunt wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyText {
    pub v: u32,
    /// The day the reply was written, `YYYY-MM-DD`.
    pub day: String,
    pub text: String,
}

impl ReplyText {
    pub fn new(day: &str, text: &str) -> Self {
        ReplyText {
            v: VERSION,
            day: day.to_string(),
            text: text.to_string(),
        }
    }

    pub fn validate(&self) -> Result<(), Error> {
        if self.v != VERSION {
            return Err(Error::Reply("unsupported version".into()));
        }
        if !calendar::is_valid_day(&self.day) {
            return Err(Error::Reply("the day is not a valid date".into()));
        }
        if self.text.trim().is_empty() {
            return Err(Error::Reply("the text is empty".into()));
        }
        if self.text.len() > crate::melding::MAX_TEXT {
            return Err(Error::Reply("the text is too long".into()));
        }
        Ok(())
    }
}

fn signed_message(lookup_hash: &[u8; 32], ciphertext: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(SIGNATURE_LABEL.len() + 64);
    m.extend_from_slice(SIGNATURE_LABEL);
    m.extend_from_slice(lookup_hash);
    m.extend_from_slice(&Sha256::digest(ciphertext));
    m
}

/// A sealed and signed reply, ready for a reply bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedReply {
    pub ciphertext: Vec<u8>,
    pub signature: [u8; 64],
}

/// Seals `reply` to `reply_recipient` and signs it for the case `lookup_hash`.
pub fn seal_and_sign(
    reply: &ReplyText,
    reply_recipient: &str,
    lookup_hash: &[u8; 32],
    key: &SigningSecretKey,
) -> Result<SealedReply, Error> {
    reply.validate()?;
    let recipient = crate::keys::parse_recipient(reply_recipient)?;
    let json = serde_json::to_vec(reply).map_err(|e| Error::Reply(e.to_string()))?;
    let padded = zeroize::Zeroizing::new(crate::padding::pad(&json)?);
    let ciphertext = crate::melding::seal_bytes(&padded, &[recipient])?;
    let signature = sign(key, lookup_hash, &ciphertext);
    Ok(SealedReply {
        ciphertext,
        signature,
    })
}

/// The signature over a reply ciphertext for one case.
pub fn sign(key: &SigningSecretKey, lookup_hash: &[u8; 32], ciphertext: &[u8]) -> [u8; 64] {
    key.0
        .sign(&signed_message(lookup_hash, ciphertext))
        .to_bytes()
}

/// Checks a reply's signature. Strict verification: no malleable signatures.
pub fn verify(
    key: &SigningPublicKey,
    lookup_hash: &[u8; 32],
    ciphertext: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|_| Error::BadSignature)?;
    key.0
        .verify_strict(&signed_message(lookup_hash, ciphertext), &sig)
        .map_err(|_| Error::BadSignature)?;
    // `verify` is what `verify_strict` refines; keep both honest in one place.
    key.0
        .verify(&signed_message(lookup_hash, ciphertext), &sig)
        .map_err(|_| Error::BadSignature)
}

/// What the browser does with a reply: verify first, open only if genuine.
pub fn verify_and_open(
    key: &SigningPublicKey,
    token: &TokenKeys,
    ciphertext: &[u8],
    signature: &[u8],
) -> Result<ReplyText, Error> {
    verify(key, &token.lookup_key.hash(), ciphertext, signature)?;
    let padded = zeroize::Zeroizing::new(crate::melding::open_bytes(
        ciphertext,
        &[&token.reply_identity],
    )?);
    let json = crate::padding::unpad(&padded)?;
    let r: ReplyText = serde_json::from_slice(json).map_err(|e| Error::Reply(e.to_string()))?;
    r.validate()?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::ReplyToken;

    #[test]
    fn sign_verify_open() {
        let key = SigningSecretKey::generate().unwrap();
        let token = ReplyToken::generate().unwrap().derive();
        let hash = token.lookup_key.hash();
        let r = ReplyText::new("2026-11-22", "Wij hebben uw melding ontvangen.");
        let sealed = seal_and_sign(&r, &token.reply_recipient(), &hash, &key).unwrap();
        assert_eq!(
            verify_and_open(&key.public(), &token, &sealed.ciphertext, &sealed.signature).unwrap(),
            r
        );

        // Tampered ciphertext, other case, other key, truncated signature: all refused.
        let mut ct = sealed.ciphertext.clone();
        let n = ct.len();
        ct[n - 1] ^= 1;
        assert!(matches!(
            verify_and_open(&key.public(), &token, &ct, &sealed.signature),
            Err(Error::BadSignature)
        ));
        let other = ReplyToken::generate().unwrap().derive();
        assert!(matches!(
            verify_and_open(&key.public(), &other, &sealed.ciphertext, &sealed.signature),
            Err(Error::BadSignature)
        ));
        let key2 = SigningSecretKey::generate().unwrap();
        assert!(
            verify_and_open(
                &key2.public(),
                &token,
                &sealed.ciphertext,
                &sealed.signature
            )
            .is_err()
        );
        assert!(
            verify_and_open(
                &key.public(),
                &token,
                &sealed.ciphertext,
                &sealed.signature[..63]
            )
            .is_err()
        );
    }

    #[test]
    fn rejects_invalid_reply() {
        let key = SigningSecretKey::generate().unwrap();
        let token = ReplyToken::generate().unwrap().derive();
        let hash = token.lookup_key.hash();
        assert!(
            seal_and_sign(
                &ReplyText::new("2026-13-01", "x"),
                &token.reply_recipient(),
                &hash,
                &key
            )
            .is_err()
        );
        assert!(
            seal_and_sign(
                &ReplyText::new("2026-11-01", " "),
                &token.reply_recipient(),
                &hash,
                &key
            )
            .is_err()
        );
        assert!(seal_and_sign(&ReplyText::new("2026-11-01", "x"), "age1bad", &hash, &key).is_err());
    }
}
