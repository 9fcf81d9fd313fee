//! The meldpunt's secrets at rest and in memory: the passphrase, the age identity and
//! the Ed25519 signing key.
//!
//! Both secret files are plain age files encrypted to the passphrase (scrypt), so
//! `rage -d -i identity.age` accepts the identity as it is. Secrets are decrypted only
//! by the commands that need them and live in zeroizing buffers (`Zeroizing`,
//! `SecretString`, and the key types, which wipe themselves on drop).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::SecretString;
use meldpunt_envelope::keys::SigningSecretKey;
use zeroize::Zeroizing;

use crate::error::{Action, Error, Result};

/// Set for scripted use and tests: the passphrase without a prompt.
pub const ENV_PASSPHRASE: &str = "MELDPUNT_PASSPHRASE";
/// For tests only: a lower scrypt work factor (log2 N) at `init`, so tests run fast.
/// Real keys must keep age's default, which takes about a second to open.
pub const ENV_SCRYPT_LOG_N: &str = "MELDPUNT_SCRYPT_LOG_N";
/// Shortest passphrase accepted at `init`, in characters.
pub const MIN_PASSPHRASE: usize = 12;

/// Where everything lives inside the meldpunt folder.
#[derive(Debug, Clone)]
pub struct Paths {
    pub dir: PathBuf,
    pub identity: PathBuf,
    pub signing: PathBuf,
    pub public: PathBuf,
    pub db: PathBuf,
}

impl Paths {
    pub fn new(dir: PathBuf) -> Self {
        Paths {
            identity: dir.join("identity.age"),
            signing: dir.join("signing.age"),
            public: dir.join("public.txt"),
            db: dir.join("cases.db"),
            dir,
        }
    }

    /// Fails unless `init` has run here.
    pub fn require_keys(&self) -> Result<()> {
        if self.identity.is_file() {
            Ok(())
        } else {
            Err(Error::NotInitialised(self.dir.clone()))
        }
    }
}

/// The scrypt work factor for new key files: age's default (about a second on this
/// machine) unless a test lowers it.
pub fn work_factor() -> Result<Option<u8>> {
    match std::env::var(ENV_SCRYPT_LOG_N) {
        Err(_) => Ok(None),
        Ok(v) => match v.trim().parse::<u8>() {
            Ok(n) if (1..=30).contains(&n) => Ok(Some(n)),
            _ => Err(Error::BadWorkFactor(v)),
        },
    }
}

/// Encrypts `plain` to the passphrase as a binary age file.
pub fn seal_to_passphrase(plain: &[u8], pass: &SecretString, log_n: Option<u8>) -> Result<Vec<u8>> {
    let mut r = age::scrypt::Recipient::new(pass.clone());
    if let Some(n) = log_n {
        r.set_work_factor(n);
    }
    let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
        .map_err(|e| Error::Internal(e.to_string()))?;
    let mut out = Vec::new();
    let mut w = enc
        .wrap_output(&mut out)
        .map_err(|e| Error::Internal(e.to_string()))?;
    w.write_all(plain)
        .map_err(|e| Error::Internal(e.to_string()))?;
    w.finish().map_err(|e| Error::Internal(e.to_string()))?;
    Ok(out)
}

/// Reads and decrypts a passphrase-encrypted key file.
fn open_key_file(path: &Path, pass: &SecretString) -> Result<Zeroizing<Vec<u8>>> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::KeyFileDamaged(path.to_path_buf(), "missing".into()),
        _ => Error::io(path, Action::Read, e),
    })?;
    let damaged = |d: String| Error::KeyFileDamaged(path.to_path_buf(), d);
    let dec = age::Decryptor::new_buffered(&bytes[..]).map_err(|e| damaged(e.to_string()))?;
    if !dec.is_scrypt() {
        return Err(damaged("not encrypted with a passphrase".into()));
    }
    let id = age::scrypt::Identity::new(pass.clone());
    let mut reader = dec
        .decrypt(std::iter::once(&id as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed => Error::WrongPassphrase(path.to_path_buf()),
            e => damaged(e.to_string()),
        })?;
    let mut plain = Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut plain)
        .map_err(|e| damaged(e.to_string()))?;
    Ok(plain)
}

/// The standard age identity file text, as `rage-keygen` writes it.
pub fn identity_file_text(id: &age::x25519::Identity, created: &str) -> Zeroizing<String> {
    let secret = meldpunt_envelope::keys::identity_to_string(id);
    Zeroizing::new(format!(
        "# created: {created}\n# public key: {}\n{}\n",
        id.to_public(),
        secret.as_str()
    ))
}

/// Parses identity file text: comment lines and one or more X25519 identities. After a
/// key rotation the file holds the newest identity first and the older ones after it,
/// so old items still open (and `rage -d -i` reads such a file as it is).
fn parse_identity_file(text: &str) -> Option<Vec<age::x25519::Identity>> {
    let keys: Option<Vec<_>> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| age::x25519::Identity::from_str(l).ok())
        .collect();
    keys.filter(|k| !k.is_empty())
}

/// The identity file text for several identities, newest first.
pub fn identities_file_text(ids: &[age::x25519::Identity], created: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::new());
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push_str("# older identity, kept so older items still open\n");
        }
        out.push_str(&identity_file_text(id, created));
    }
    out
}

/// `public.txt`: the meldpunt's public keys, readable without the passphrase.
#[derive(Debug, Clone)]
pub struct Public {
    /// The recipient new meldingen are sealed to (the newest identity).
    pub recipient: String,
    pub signing_public_key: String,
    /// The recovery recipient (a second key kept in a safe), if there is one.
    pub recovery: Option<String>,
}

impl Public {
    pub fn read(paths: &Paths) -> Result<Public> {
        let text = std::fs::read_to_string(&paths.public).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                Error::KeyFileDamaged(paths.public.clone(), "missing".into())
            }
            _ => Error::io(&paths.public, Action::Read, e),
        })?;
        let value = |key: &str| {
            text.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
            })
        };
        let damaged = |d: &str| Error::KeyFileDamaged(paths.public.clone(), d.into());
        let p = Public {
            recipient: value("recipient").ok_or_else(|| damaged("no recipient line"))?,
            signing_public_key: value("signing_public_key")
                .ok_or_else(|| damaged("no signing_public_key line"))?,
            recovery: value("recovery_recipient"),
        };
        p.recipients()
            .map_err(|_| damaged("a recipient is not a valid age1 key"))?;
        Ok(p)
    }

    pub fn text(&self) -> String {
        let mut s = format!(
            "# Meldpunt: publieke sleutels, niet geheim / public keys, not secret\n\
             recipient = \"{}\"\n\
             signing_public_key = \"{}\"\n",
            self.recipient, self.signing_public_key
        );
        if let Some(r) = &self.recovery {
            s += &format!("recovery_recipient = \"{r}\"\n");
        }
        s
    }

    /// What the store seals its own texts to, and what the server config lists for
    /// new meldingen: the identity and, if there is one, the recovery recipient.
    pub fn recipients(&self) -> Result<Vec<age::x25519::Recipient>> {
        std::iter::once(&self.recipient)
            .chain(self.recovery.as_ref())
            .map(|r| {
                meldpunt_envelope::keys::parse_recipient(r)
                    .map_err(|e| Error::Internal(e.to_string()))
            })
            .collect()
    }

    /// The `recipients = [...]` line for the server's configuration.
    pub fn config_line(&self) -> String {
        let list: Vec<String> = std::iter::once(&self.recipient)
            .chain(self.recovery.as_ref())
            .map(|r| format!("\"{r}\""))
            .collect();
        format!("recipients = [{}]", list.join(", "))
    }
}

/// The meldpunt's keys, decrypted for the length of one command.
pub struct Keys {
    /// Newest first.
    pub identities: Vec<age::x25519::Identity>,
    pub(crate) signing: Option<SigningSecretKey>,
}

impl Keys {
    /// Opens the identity; with `signing`, the signing key as well (one passphrase).
    /// Keys that do not belong to this folder's `public.txt` are refused.
    pub fn open(paths: &Paths, pass: &SecretString, signing: bool) -> Result<Keys> {
        let public = Public::read(paths)?;
        let plain = open_key_file(&paths.identity, pass)?;
        let text = std::str::from_utf8(&plain)
            .map_err(|_| Error::KeyFileDamaged(paths.identity.clone(), "not text".into()))?;
        let identities = parse_identity_file(text).ok_or_else(|| {
            Error::KeyFileDamaged(paths.identity.clone(), "no age identity inside".into())
        })?;
        if !identities
            .iter()
            .any(|i| i.to_public().to_string() == public.recipient)
        {
            return Err(Error::ForeignKey(paths.identity.clone()));
        }
        let signing = if signing {
            let plain = open_key_file(&paths.signing, pass)?;
            let text = std::str::from_utf8(&plain)
                .map_err(|_| Error::KeyFileDamaged(paths.signing.clone(), "not text".into()))?;
            let key = SigningSecretKey::from_text(text)
                .map_err(|e| Error::KeyFileDamaged(paths.signing.clone(), e.to_string()))?;
            if key.public().to_string() != public.signing_public_key {
                return Err(Error::ForeignKey(paths.signing.clone()));
            }
            Some(key)
        } else {
            None
        };
        Ok(Keys {
            identities,
            signing,
        })
    }

    /// Opens a plain identity file, such as the recovery key from the safe (made with
    /// `rage-keygen`), instead of `identity.age`. It must be this meldpunt's recovery
    /// key or one of its identities. It opens; it cannot sign.
    pub fn from_identity_file(paths: &Paths, file: &Path) -> Result<Keys> {
        let public = Public::read(paths)?;
        let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, Action::Read, e))?;
        let identities = parse_identity_file(&text).ok_or_else(|| {
            Error::KeyFileDamaged(file.to_path_buf(), "no age identity inside".into())
        })?;
        let ours = identities.iter().any(|i| {
            let p = i.to_public().to_string();
            p == public.recipient || Some(&p) == public.recovery.as_ref()
        });
        if !ours {
            return Err(Error::ForeignKey(file.to_path_buf()));
        }
        Ok(Keys {
            identities,
            signing: None,
        })
    }

    /// The identities for opening, as age wants them.
    pub fn ids(&self) -> Vec<&dyn age::Identity> {
        self.identities
            .iter()
            .map(|i| i as &dyn age::Identity)
            .collect()
    }

    /// Identities without a signing key.
    pub fn from_identities(identities: Vec<age::x25519::Identity>) -> Keys {
        Keys {
            identities,
            signing: None,
        }
    }

    /// Whether the signing key was unlocked too.
    pub fn can_sign(&self) -> bool {
        self.signing.is_some()
    }

    pub fn signing(&self) -> &SigningSecretKey {
        self.signing
            .as_ref()
            .expect("the command asked for the signing key when unlocking")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_file_round_trip() {
        let id = age::x25519::Identity::generate();
        let text = identity_file_text(&id, "2026-11-22");
        assert!(text.starts_with("# created: 2026-11-22\n# public key: age1"));
        let back = parse_identity_file(&text).unwrap();
        assert_eq!(back[0].to_public().to_string(), id.to_public().to_string());
        assert!(parse_identity_file("# nothing").is_none());
        assert!(parse_identity_file("AGE-SECRET-KEY-1NOPE").is_none());
        let old = age::x25519::Identity::generate();
        let both = identities_file_text(&[id.clone(), old.clone()], "2026-11-22");
        let back = parse_identity_file(&both).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].to_public().to_string(), old.to_public().to_string());
    }

    #[test]
    fn passphrase_file_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.age");
        let pass = SecretString::from("correct horse battery".to_string());
        std::fs::write(
            &path,
            seal_to_passphrase(b"geheim", &pass, Some(4)).unwrap(),
        )
        .unwrap();
        assert_eq!(&open_key_file(&path, &pass).unwrap()[..], b"geheim");
        let wrong = SecretString::from("wrong horse battery".to_string());
        assert!(matches!(
            open_key_file(&path, &wrong),
            Err(Error::WrongPassphrase(_))
        ));
    }
}
