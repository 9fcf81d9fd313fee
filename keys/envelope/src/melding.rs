//! The plaintext of a melding (or a follow-up from the reporter) and its sealing.
//!
//! The plaintext is JSON (schema in docs/PROTOCOL.md), padded by [`crate::padding`],
//! sealed as a binary age v1 file to every X25519 recipient of the organisation.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use crate::{Error, domain};

/// The current plaintext version.
pub const VERSION: u32 = 1;
/// Longest text field, in bytes.
pub const MAX_TEXT: usize = 256 * 1024;
/// Longest short field (when and where, contact), in bytes.
pub const MAX_SHORT: usize = 4 * 1024;

/// First melding, or a later message from the reporter on the same case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Melding,
    Vervolg,
}

/// A file attached to a melding, sealed separately; the melding names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRef {
    pub name: String,
    #[serde(rename = "type")]
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
}

/// What the reporter wrote. Optional fields are left out of the JSON when empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Melding {
    pub v: u32,
    pub kind: Kind,
    pub organisatie: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soort: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over_wie: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub melder: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wanneer_waar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The `age1…` recipient derived from the reporter's token; replies are sealed to it.
    pub reply_recipient: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
}

impl Melding {
    /// A new first melding with only the required fields.
    pub fn new(organisatie: &str, soort: &str, text: &str, reply_recipient: &str) -> Self {
        Melding {
            v: VERSION,
            kind: Kind::Melding,
            organisatie: organisatie.to_string(),
            soort: Some(soort.to_string()),
            over_wie: None,
            melder: None,
            text: text.to_string(),
            wanneer_waar: None,
            contact: None,
            reply_recipient: reply_recipient.to_string(),
            attachments: Vec::new(),
        }
    }

    /// Checks the rules a sealed melding must meet.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |m: &str| Err(Error::Melding(m.to_string()));
        if self.v != VERSION {
            return bad("unsupported version");
        }
        if !domain::is_valid_slug(&self.organisatie) {
            return bad("the organisation is not a valid slug");
        }
        if self.text.trim().is_empty() {
            return bad("the text is empty");
        }
        if self.text.len() > MAX_TEXT {
            return bad("the text is too long");
        }
        for f in [
            &self.wanneer_waar,
            &self.contact,
            &self.soort,
            &self.over_wie,
            &self.melder,
        ]
        .into_iter()
        .flatten()
        {
            if f.len() > MAX_SHORT {
                return bad("a field is too long");
            }
        }
        match (self.kind, &self.soort) {
            (Kind::Melding, None) => return bad("a melding needs a soort"),
            (Kind::Melding, Some(s)) if !domain::is_valid_slug(s) => {
                return bad("the soort is not a valid code");
            }
            _ => {}
        }
        crate::keys::parse_recipient(&self.reply_recipient)
            .map_err(|_| Error::Melding("the reply recipient is not valid".into()))?;
        if self.attachments.len() > 1000 {
            return bad("too many attachments");
        }
        Ok(())
    }

    /// The padded plaintext bytes that get sealed (deterministic: used by the vectors).
    pub fn to_padded(&self) -> Result<Vec<u8>, Error> {
        self.validate()?;
        let json = serde_json::to_vec(self).map_err(|e| Error::Melding(e.to_string()))?;
        crate::padding::pad(&json)
    }

    /// Parses padded plaintext bytes.
    pub fn from_padded(padded: &[u8]) -> Result<Self, Error> {
        let json = crate::padding::unpad(padded)?;
        let m: Melding = serde_json::from_slice(json).map_err(|e| Error::Melding(e.to_string()))?;
        m.validate()?;
        Ok(m)
    }
}

/// Seals bytes as a binary age v1 file to the given X25519 recipients.
pub fn seal_bytes(
    plaintext: &[u8],
    recipients: &[age::x25519::Recipient],
) -> Result<Vec<u8>, Error> {
    if recipients.is_empty() {
        return Err(Error::NoRecipients);
    }
    let enc = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    let mut out = Vec::with_capacity(plaintext.len() + 256 + plaintext.len() / 4096);
    let mut w = enc
        .wrap_output(&mut out)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    w.write_all(plaintext)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    w.finish().map_err(|e| Error::Encrypt(e.to_string()))?;
    Ok(out)
}

/// Opens a binary age file with any of the identities.
pub fn open_bytes(ciphertext: &[u8], identities: &[&dyn age::Identity]) -> Result<Vec<u8>, Error> {
    let dec = age::Decryptor::new_buffered(ciphertext).map_err(|e| Error::NotAge(e.to_string()))?;
    if dec.is_scrypt() {
        return Err(Error::NotAge("it is sealed with a passphrase".into()));
    }
    let mut r = dec
        .decrypt(identities.iter().copied())
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => Error::NoMatchingKey,
            e => Error::Damaged(e.to_string()),
        })?;
    let mut out = Vec::new();
    r.read_to_end(&mut out)
        .map_err(|e| Error::Damaged(e.to_string()))?;
    Ok(out)
}

/// Checks, without any key, that `ciphertext` starts like a binary age v1 file to
/// public-key recipients: what the server can verify before storing it.
pub fn check_age_header(ciphertext: &[u8]) -> Result<(), Error> {
    if ciphertext.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----") {
        return Err(Error::NotAge(
            "it is ASCII-armored; send the binary form".into(),
        ));
    }
    let dec = age::Decryptor::new_buffered(ciphertext).map_err(|e| Error::NotAge(e.to_string()))?;
    if dec.is_scrypt() {
        return Err(Error::NotAge("it is sealed with a passphrase".into()));
    }
    Ok(())
}

/// Seals a melding to its organisation's recipients.
pub fn seal(melding: &Melding, recipients: &[age::x25519::Recipient]) -> Result<Vec<u8>, Error> {
    let padded = zeroize::Zeroizing::new(melding.to_padded()?);
    seal_bytes(&padded, recipients)
}

/// Opens a sealed melding.
pub fn open(ciphertext: &[u8], identities: &[&dyn age::Identity]) -> Result<Melding, Error> {
    let padded = zeroize::Zeroizing::new(open_bytes(ciphertext, identities)?);
    Melding::from_padded(&padded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(recipient: &str) -> Melding {
        let mut m = Melding::new(
            "leiden",
            "fraude-corruptie",
            "De wethouder kreeg een auto.",
            recipient,
        );
        m.wanneer_waar = Some("maart, stadhuis".into());
        m
    }

    #[test]
    fn seal_open_two_recipients() {
        let a = age::x25519::Identity::generate();
        let b = age::x25519::Identity::generate();
        let reply = age::x25519::Identity::generate().to_public().to_string();
        let m = sample(&reply);
        let ct = seal(&m, &[a.to_public(), b.to_public()]).unwrap();
        check_age_header(&ct).unwrap();
        assert_eq!(open(&ct, &[&a]).unwrap(), m);
        assert_eq!(open(&ct, &[&b]).unwrap(), m);
        let c = age::x25519::Identity::generate();
        assert!(matches!(open(&ct, &[&c]), Err(Error::NoMatchingKey)));
    }

    #[test]
    fn sizes_leak_only_class() {
        // age adds a random "grease" stanza to some headers, so whole ciphertexts vary
        // by a few dozen bytes at random; the payload is what must not vary.
        let reply = age::x25519::Identity::generate().to_public().to_string();
        let short = Melding::new("leiden", "overig", "x", &reply)
            .to_padded()
            .unwrap();
        let longer = Melding::new("leiden", "overig", &"y".repeat(600), &reply)
            .to_padded()
            .unwrap();
        assert_eq!(short.len(), longer.len());
    }

    #[test]
    fn rejects_tampering_and_garbage() {
        let a = age::x25519::Identity::generate();
        let reply = age::x25519::Identity::generate().to_public().to_string();
        let mut ct = seal(&sample(&reply), &[a.to_public()]).unwrap();
        let n = ct.len();
        ct[n - 10] ^= 1;
        assert!(matches!(open(&ct, &[&a]), Err(Error::Damaged(_))));
        assert!(check_age_header(b"hello").is_err());
        assert!(open(b"age-encryption.org/v1\n", &[&a]).is_err());
        let pw = age::Encryptor::with_user_passphrase("x".to_string().into());
        let mut out = vec![];
        let mut w = pw.wrap_output(&mut out).unwrap();
        w.write_all(b"hi").unwrap();
        w.finish().unwrap();
        assert!(check_age_header(&out).is_err());
    }

    #[test]
    fn validation() {
        let reply = age::x25519::Identity::generate().to_public().to_string();
        let mut m = sample(&reply);
        m.organisatie = "Leiden!".into();
        assert!(m.validate().is_err());
        let mut m = sample(&reply);
        m.text = "  ".into();
        assert!(m.validate().is_err());
        let mut m = sample(&reply);
        m.soort = None;
        assert!(m.validate().is_err());
        m.kind = Kind::Vervolg;
        assert!(m.validate().is_ok());
        let mut m = sample(&reply);
        m.reply_recipient = "age1nope".into();
        assert!(m.validate().is_err());
    }
}
