//! Small signed statements: the server's **ontvangstbewijs** (receipt) for a
//! submission, and the laptop's **import confirmation** that lets the server delete
//! ciphertexts the laptop holds. Both are JSON with an Ed25519 signature over a fixed
//! label and the statement's canonical JSON (the struct's own field order).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::Signer;
use serde::{Deserialize, Serialize};

use crate::keys::{SigningPublicKey, SigningSecretKey};
use crate::{Error, calendar, domain, is_valid_id};

const RECEIPT_LABEL: &[u8] = b"meldpunt/v1/ontvangstbewijs\0";
const CONFIRMATION_LABEL: &[u8] = b"meldpunt/v1/import-confirmation\0";

/// What the server states when it has durably stored a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub v: u32,
    /// The stored item's id.
    pub id: String,
    /// The day the server received it.
    pub received: String,
    pub organisatie: String,
    /// Hex lookup hash of the case: only the token holder can show it is theirs.
    pub lookup_hash: String,
    /// Hex SHA-256 of the melding's age file as stored.
    pub sha256: String,
}

/// A receipt with the server's signature, as the reporter downloads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedReceipt {
    pub ontvangstbewijs: Receipt,
    /// The server's receipt key, `meldpunt-ed25519:…`.
    pub server_key: String,
    /// Base64 Ed25519 signature.
    pub signature: String,
}

impl Receipt {
    pub fn validate(&self) -> Result<(), Error> {
        let ok = self.v == 1
            && is_valid_id(&self.id)
            && calendar::is_valid_day(&self.received)
            && domain::is_valid_slug(&self.organisatie)
            && is_hex32(&self.lookup_hash)
            && is_hex32(&self.sha256);
        if ok {
            Ok(())
        } else {
            Err(Error::Signed("the ontvangstbewijs is not valid".into()))
        }
    }

    pub fn sign(&self, key: &SigningSecretKey) -> Result<SignedReceipt, Error> {
        self.validate()?;
        let sig = key.0.sign(&signed_bytes(RECEIPT_LABEL, self)?);
        Ok(SignedReceipt {
            ontvangstbewijs: self.clone(),
            server_key: key.public().to_string(),
            signature: STANDARD.encode(sig.to_bytes()),
        })
    }
}

impl SignedReceipt {
    /// Checks the signature against `expected` (the key the meldpunt publishes), or,
    /// with `None`, against the key named in the receipt itself.
    pub fn verify(&self, expected: Option<&SigningPublicKey>) -> Result<(), Error> {
        self.ontvangstbewijs.validate()?;
        let named: SigningPublicKey = self.server_key.parse()?;
        if let Some(k) = expected
            && *k != named
        {
            return Err(Error::BadSignature);
        }
        verify_bytes(
            &named,
            &signed_bytes(RECEIPT_LABEL, &self.ontvangstbewijs)?,
            &self.signature,
        )
    }
}

/// What the laptop states after it imported items: the server may delete them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    pub v: u32,
    /// The day of the confirmation.
    pub day: String,
    /// Ids of the items the laptop holds.
    pub items: Vec<String>,
    /// Ids of the items the laptop set aside because they do not open with the
    /// meldpunt's keys, are damaged, or hold no valid melding. The server deletes
    /// them as it deletes `items`. Left out when empty, so a confirmation without
    /// set-aside items is byte for byte what version 1 without this field was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<String>,
}

/// A confirmation with the meldpunt's signature, as uploaded by the staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedConfirmation {
    pub importbevestiging: Confirmation,
    pub signature: String,
}

impl Confirmation {
    pub fn validate(&self) -> Result<(), Error> {
        let all = || self.items.iter().chain(&self.set_aside);
        let total = self.items.len() + self.set_aside.len();
        let mut seen = std::collections::HashSet::with_capacity(total);
        let ok = self.v == 1
            && calendar::is_valid_day(&self.day)
            && total > 0
            && total <= crate::MAX_ITEMS
            && all().all(|i| is_valid_id(i))
            && all().all(|i| seen.insert(i.as_str()));
        if ok {
            Ok(())
        } else {
            Err(Error::Signed("the import confirmation is not valid".into()))
        }
    }

    pub fn sign(&self, key: &SigningSecretKey) -> Result<SignedConfirmation, Error> {
        self.validate()?;
        let sig = key.0.sign(&signed_bytes(CONFIRMATION_LABEL, self)?);
        Ok(SignedConfirmation {
            importbevestiging: self.clone(),
            signature: STANDARD.encode(sig.to_bytes()),
        })
    }
}

impl SignedConfirmation {
    pub fn verify(&self, key: &SigningPublicKey) -> Result<(), Error> {
        self.importbevestiging.validate()?;
        verify_bytes(
            key,
            &signed_bytes(CONFIRMATION_LABEL, &self.importbevestiging)?,
            &self.signature,
        )
    }
}

fn is_hex32(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn signed_bytes<T: Serialize>(label: &[u8], body: &T) -> Result<Vec<u8>, Error> {
    let mut m = label.to_vec();
    m.extend(serde_json::to_vec(body).map_err(|e| Error::Signed(e.to_string()))?);
    Ok(m)
}

fn verify_bytes(key: &SigningPublicKey, msg: &[u8], signature_b64: &str) -> Result<(), Error> {
    let sig = STANDARD
        .decode(signature_b64)
        .map_err(|_| Error::BadSignature)?;
    let sig = ed25519_dalek::Signature::from_slice(&sig).map_err(|_| Error::BadSignature)?;
    key.0
        .verify_strict(msg, &sig)
        .map_err(|_| Error::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt() -> Receipt {
        Receipt {
            v: 1,
            id: "0123456789abcdef0123456789abcdef".into(),
            received: "2026-11-22".into(),
            organisatie: "leiden".into(),
            lookup_hash: "ab".repeat(32),
            sha256: "cd".repeat(32),
        }
    }

    #[test]
    fn receipt_sign_verify_and_refuse() {
        let key = SigningSecretKey::generate().unwrap();
        let other = SigningSecretKey::generate().unwrap();
        let s = receipt().sign(&key).unwrap();
        s.verify(Some(&key.public())).unwrap();
        s.verify(None).unwrap();
        assert!(s.verify(Some(&other.public())).is_err());
        let mut t = s.clone();
        t.ontvangstbewijs.received = "2026-11-21".into();
        assert!(t.verify(None).is_err());
        let json = serde_json::to_string(&s).unwrap();
        let back: SignedReceipt = serde_json::from_str(&json).unwrap();
        back.verify(Some(&key.public())).unwrap();
        let mut r = receipt();
        r.sha256 = "xyz".into();
        assert!(r.sign(&key).is_err());
    }

    #[test]
    fn confirmation_sign_verify_and_refuse() {
        let key = SigningSecretKey::generate().unwrap();
        let c = Confirmation {
            v: 1,
            day: "2026-11-22".into(),
            items: vec!["0123456789abcdef0123456789abcdef".into()],
            set_aside: vec![],
        };
        let s = c.sign(&key).unwrap();
        // Without set-aside items the JSON is the one of before the field existed.
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("set_aside"), "{json}");
        s.verify(&key.public()).unwrap();
        let mut t = s.clone();
        t.importbevestiging
            .items
            .push("fedcba9876543210fedcba9876543210".into());
        assert!(t.verify(&key.public()).is_err());
        assert!(
            s.verify(&SigningSecretKey::generate().unwrap().public())
                .is_err()
        );
        let empty = Confirmation {
            v: 1,
            day: "2026-11-22".into(),
            items: vec![],
            set_aside: vec![],
        };
        assert!(empty.sign(&key).is_err());
        // Only set-aside items is a valid confirmation; an id in both lists is not.
        let id = "fedcba9876543210fedcba9876543210".to_string();
        let only = Confirmation {
            set_aside: vec![id.clone()],
            ..empty.clone()
        };
        let s = only.sign(&key).unwrap();
        s.verify(&key.public()).unwrap();
        let mut t = s.clone();
        t.importbevestiging.set_aside.clear();
        t.importbevestiging.items.push(id.clone());
        assert!(
            t.verify(&key.public()).is_err(),
            "moving an id between the lists breaks the signature"
        );
        let both = Confirmation {
            items: vec![id.clone()],
            set_aside: vec![id],
            ..empty
        };
        assert!(both.sign(&key).is_err());
    }
}
