//! Key encodings shared by every crate: age X25519 recipients and identities, and
//! the meldpunt's Ed25519 signing key.

use std::fmt;
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::Error;

const SIGNING_PUBLIC_PREFIX: &str = "meldpunt-ed25519:";

/// Parses an `age1…` X25519 recipient.
pub fn parse_recipient(s: &str) -> Result<age::x25519::Recipient, Error> {
    age::x25519::Recipient::from_str(s.trim()).map_err(|e| Error::Recipient(format!("{s:?}: {e}")))
}

/// Builds an age X25519 identity from 32 secret bytes (as derived from a token).
pub fn x25519_identity_from_bytes(secret: &[u8; 32]) -> age::x25519::Identity {
    let hrp = bech32::Hrp::parse("age-secret-key-").expect("constant HRP is valid");
    let encoded = Zeroizing::new(
        bech32::encode::<bech32::Bech32>(hrp, secret)
            .expect("32 bytes fit in bech32")
            .to_uppercase(),
    );
    age::x25519::Identity::from_str(&encoded).expect("a freshly encoded identity parses")
}

/// The meldpunt's public signing key, as written in the server config and served to
/// the page: `meldpunt-ed25519:` followed by 32 bytes in standard base64.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SigningPublicKey(pub ed25519_dalek::VerifyingKey);

impl fmt::Display for SigningPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{SIGNING_PUBLIC_PREFIX}{}",
            STANDARD.encode(self.0.as_bytes())
        )
    }
}

impl fmt::Debug for SigningPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for SigningPublicKey {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let b64 = s
            .trim()
            .strip_prefix(SIGNING_PUBLIC_PREFIX)
            .ok_or(Error::SigningKey(
                "it does not start with meldpunt-ed25519:",
            ))?;
        let bytes = STANDARD
            .decode(b64)
            .map_err(|_| Error::SigningKey("it is not valid base64"))?;
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| Error::SigningKey("it is not 32 bytes long"))?;
        ed25519_dalek::VerifyingKey::from_bytes(&arr)
            .map(SigningPublicKey)
            .map_err(|_| Error::SigningKey("it is not a valid Ed25519 point"))
    }
}

/// The meldpunt's secret signing key. Lives only on the offline laptop.
pub struct SigningSecretKey(pub ed25519_dalek::SigningKey);

impl SigningSecretKey {
    pub fn generate() -> Result<Self, Error> {
        let mut seed = Zeroizing::new([0u8; 32]);
        crate::random_bytes(seed.as_mut())?;
        Ok(SigningSecretKey(ed25519_dalek::SigningKey::from_bytes(
            &seed,
        )))
    }

    pub fn from_seed(seed: &[u8; 32]) -> Self {
        SigningSecretKey(ed25519_dalek::SigningKey::from_bytes(seed))
    }

    pub fn public(&self) -> SigningPublicKey {
        SigningPublicKey(self.0.verifying_key())
    }

    /// The key as a one-line text file body: `MELDPUNT-ED25519-SECRET:<base64 seed>`.
    pub fn to_text(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "MELDPUNT-ED25519-SECRET:{}",
            STANDARD.encode(self.0.to_bytes())
        ))
    }

    pub fn from_text(s: &str) -> Result<Self, Error> {
        let b64 = s
            .trim()
            .strip_prefix("MELDPUNT-ED25519-SECRET:")
            .ok_or(Error::SigningKey("this is not a meldpunt signing key file"))?;
        let bytes = Zeroizing::new(
            STANDARD
                .decode(b64)
                .map_err(|_| Error::SigningKey("it is not valid base64"))?,
        );
        let seed: &[u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| Error::SigningKey("it is not 32 bytes long"))?;
        Ok(Self::from_seed(seed))
    }
}

/// The text form of an identity, for writing an identity file.
pub fn identity_to_string(id: &age::x25519::Identity) -> Zeroizing<String> {
    Zeroizing::new(id.to_string().expose_secret().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_from_bytes_matches_age_encoding() {
        let id = age::x25519::Identity::generate();
        let s = identity_to_string(&id);
        let parsed = age::x25519::Identity::from_str(&s).unwrap();
        assert_eq!(parsed.to_public().to_string(), id.to_public().to_string());
        let same = x25519_identity_from_bytes(&[9u8; 32]);
        let again = x25519_identity_from_bytes(&[9u8; 32]);
        assert_eq!(same.to_public().to_string(), again.to_public().to_string());
    }

    #[test]
    fn signing_key_text_round_trip() {
        let k = SigningSecretKey::generate().unwrap();
        let k2 = SigningSecretKey::from_text(&k.to_text()).unwrap();
        assert_eq!(k.public(), k2.public());
        let p: SigningPublicKey = k.public().to_string().parse().unwrap();
        assert_eq!(p, k.public());
        assert!("meldpunt-ed25519:AAAA".parse::<SigningPublicKey>().is_err());
        assert!("ed25519:xyz".parse::<SigningPublicKey>().is_err());
        assert!(SigningSecretKey::from_text("AGE-SECRET-KEY-1").is_err());
    }
}
