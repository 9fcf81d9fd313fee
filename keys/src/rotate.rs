//! Key management after `init`: [`Session::rotate`] makes a new identity for new
//! meldingen and keeps the older ones in `identity.age` so older items still open;
//! [`Session::set_recovery`] sets the recovery recipient, a second key kept in a safe
//! that can open the store. Both reseal the store's own texts (reply copies, notes,
//! registrations) to the new set of recipients; the server's configuration then needs
//! [`Public::config_line`].

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use age::secrecy::SecretString;

use crate::error::{Action, Error, Result};
use crate::secrets::{self, Keys, Public};
use crate::session::Session;
use crate::store::Store;

/// Replaces `path` atomically: a new file beside it, synced, then renamed over it.
fn replace_file(path: &Path, data: &[u8], mode: u32) -> Result<()> {
    let tmp = path.with_extension("new");
    let _ = std::fs::remove_file(&tmp);
    let res = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(data)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    res.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, Action::Write, e)
    })
}

/// Reseals every text the store keeps for itself to `recipients`, in one transaction.
fn reseal_store(
    store: &mut Store,
    keys: &Keys,
    recipients: &[age::x25519::Recipient],
) -> Result<usize> {
    let ids = keys.ids();
    let mut resealed = Vec::new();
    for (table, key, ct) in store.private_blobs()? {
        let text = crate::private::open(&ct, &ids)
            .map_err(|e| Error::Internal(format!("a stored text no longer opens: {e}")))?;
        resealed.push((table, key, crate::private::seal_text(&text, recipients)?));
    }
    store.replace_private_blobs(&resealed)?;
    Ok(resealed.len())
}

impl Session {
    /// Makes a new identity for new meldingen, sealed with `pass` (which must open
    /// the current keys) next to the older ones, and reseals the store's own texts.
    /// The session stays unlocked with all identities. Returns the new public keys.
    pub fn rotate(&mut self, pass: &SecretString) -> Result<&Public> {
        let log_n = secrets::work_factor()?;
        let p = self.paths().clone();
        let keys = Keys::open(&p, pass, false)?;
        let mut public = Public::read(&p)?;
        let new = age::x25519::Identity::generate();
        let mut all = vec![new.clone()];
        all.extend(keys.identities.iter().cloned());
        let text = secrets::identities_file_text(&all, &crate::days::today());
        let sealed = secrets::seal_to_passphrase(text.as_bytes(), pass, log_n)?;
        replace_file(&p.identity, &sealed, 0o600)?;
        public.recipient = new.to_public().to_string();
        replace_file(&p.public, public.text().as_bytes(), 0o644)?;
        let keys = Keys::from_identities(all);
        reseal_store(self.store_mut(), &keys, &public.recipients()?)?;
        self.replace_keys(keys, public);
        Ok(self.public())
    }

    /// Refuses a recovery recipient that is not an age public key or is already set;
    /// needs no keys.
    pub fn check_recovery(&self, recipient: &str) -> Result<()> {
        meldpunt_envelope::keys::parse_recipient(recipient)
            .map_err(|_| Error::InvalidRecipient(recipient.to_string()))?;
        if self.public().recovery.as_deref() == Some(recipient) {
            return Err(Error::SameRecovery);
        }
        Ok(())
    }

    /// Sets the recovery recipient and reseals the store's own texts to it too (with
    /// the unlocked keys). Returns how many texts were resealed.
    pub fn set_recovery(&mut self, recipient: &str) -> Result<usize> {
        self.check_recovery(recipient)?;
        let p = self.paths().clone();
        let mut public = self.public().clone();
        public.recovery = Some(recipient.to_string());
        let recipients = public.recipients()?;
        replace_file(&p.public, public.text().as_bytes(), 0o644)?;
        let (store, keys, _, _) = self.parts();
        let n = reseal_store(store, keys.ok_or(Error::Locked)?, &recipients)?;
        self.set_public(public);
        Ok(n)
    }
}
