//! A [`Session`]: one meldpunt folder opened, its case store open, and (once the face
//! has asked for the passphrase) its keys unlocked, once, for everything that follows.
//! Every operation of the library is a method on it; a face (the CLI, the desk) opens
//! one session and keeps it. The keys are wiped from memory when the session drops.

use std::path::{Path, PathBuf};

use age::secrecy::SecretString;

use crate::error::{Error, Result};
use crate::secrets::{Keys, Paths, Public};
use crate::store::Store;

/// How to unlock the keys.
pub enum Credential {
    /// The meldpunt's passphrase: opens `identity.age` (and `signing.age`).
    Passphrase(SecretString),
    /// A plain age identity file, such as the recovery key from the safe. It opens;
    /// it cannot sign.
    RecoveryIdentity(PathBuf),
}

/// Which keys to unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The identities only: opening meldingen, notes and replies.
    Open,
    /// The identities and the signing key: writing replies and confirmations.
    OpenAndSign,
}

/// An opened meldpunt folder.
pub struct Session {
    paths: Paths,
    public: Public,
    store: Store,
    keys: Option<Keys>,
}

impl Session {
    /// Opens the meldpunt in `dir` (made by [`crate::init::init`]): its public keys and
    /// its case store. Needs no passphrase; the oversight data (list, status, register,
    /// notes, the jaarverslag) is usable at once.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Session> {
        let paths = Paths::new(dir.into());
        paths.require_keys()?;
        let public = Public::read(&paths)?;
        let store = Store::open(&paths.db)?;
        Ok(Session {
            paths,
            public,
            store,
            keys: None,
        })
    }

    /// Unlocks the keys, once (scrypt runs once, not per item). A recovery identity
    /// cannot sign, so [`Want::OpenAndSign`] with one is refused.
    pub fn unlock(&mut self, credential: Credential, want: Want) -> Result<()> {
        let signing = want == Want::OpenAndSign;
        let keys = match credential {
            Credential::Passphrase(pass) => Keys::open(&self.paths, &pass, signing)?,
            Credential::RecoveryIdentity(file) => {
                if signing {
                    return Err(Error::RecoveryCannotSign);
                }
                Keys::from_identity_file(&self.paths, &file)?
            }
        };
        self.keys = Some(keys);
        Ok(())
    }

    /// Whether [`Session::unlock`] has run, and with the signing key.
    pub fn unlocked(&self) -> Option<Want> {
        self.keys.as_ref().map(|k| {
            if k.can_sign() {
                Want::OpenAndSign
            } else {
                Want::Open
            }
        })
    }

    /// Forgets the keys (they are wiped); the store stays open.
    pub fn lock(&mut self) {
        self.keys = None;
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    pub fn dir(&self) -> &Path {
        &self.paths.dir
    }

    /// The public keys (`public.txt`).
    pub fn public(&self) -> &Public {
        &self.public
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The unlocked keys, or [`Error::Locked`].
    pub fn keys(&self) -> Result<&Keys> {
        self.keys.as_ref().ok_or(Error::Locked)
    }

    /// The unlocked keys with the signing key, or [`Error::Locked`].
    pub fn signing_keys(&self) -> Result<&Keys> {
        match &self.keys {
            Some(k) if k.can_sign() => Ok(k),
            _ => Err(Error::Locked),
        }
    }

    /// After a key change: the new keys and public keys.
    pub(crate) fn replace_keys(&mut self, keys: Keys, public: Public) {
        self.keys = Some(keys);
        self.public = public;
    }

    pub(crate) fn set_public(&mut self, public: Public) {
        self.public = public;
    }

    /// The store and the keys together, for operations that read with one and write
    /// the other.
    pub(crate) fn parts(&mut self) -> (&mut Store, Option<&Keys>, &Public, &Paths) {
        (
            &mut self.store,
            self.keys.as_ref(),
            &self.public,
            &self.paths,
        )
    }
}
