//! One attachment of a case, opened in memory, for a face that hands it to the user
//! itself (the desk's download) instead of writing a folder ([`Session::extract`]).

use meldpunt_envelope::melding::{self, AttachmentRef};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::session::Session;
use crate::store::{Store, StoredAttachment};

/// An attachment, decrypted and checked against the melding that names it.
pub struct AttachmentFile {
    /// What the melding says about it: the reporter's file name (not safe to use as a
    /// path as it is), type, size and hash.
    pub entry: AttachmentRef,
    /// A file name safe to offer ([`crate::attachments::sanitise`]).
    pub safe_name: String,
    pub bytes: Zeroizing<Vec<u8>>,
}

impl Session {
    /// Attachment `n` (0-based, in the order of the case's thread) of case `number`,
    /// opened with the keys; recorded in the history as saved. Needs the keys.
    pub fn attachment(&mut self, number: &str, n: usize, today: &str) -> Result<AttachmentFile> {
        let case = self.case(number)?;
        let stored = self.store().attachments(case.id)?;
        let a = stored
            .get(n)
            .ok_or_else(|| Error::NoAttachments(number.to_string()))?;
        let ids = self.keys()?.ids();
        let (entry, bytes) = open_stored(self.store(), &ids, a)?;
        let safe_name = crate::attachments::sanitise(&entry.name, &format!("bijlage-{}", n + 1));
        self.store_mut().record(
            case.id,
            today,
            meldpunt_envelope::domain::Event::BijlagenOpgeslagen,
            "1",
        )?;
        Ok(AttachmentFile {
            entry,
            safe_name,
            bytes,
        })
    }
}

/// A stored attachment opened with `ids` and checked against the melding that names it:
/// what the melding says about it, and its bytes.
pub(crate) fn open_stored(
    store: &Store,
    ids: &[&dyn age::Identity],
    a: &StoredAttachment,
) -> Result<(AttachmentRef, Zeroizing<Vec<u8>>)> {
    let (_, parent_ct) = store
        .item(&a.parent)?
        .ok_or_else(|| Error::Internal(format!("attachment {} has no parent", a.id)))?;
    let parent = melding::open(&parent_ct, ids)
        .map_err(|e| Error::Internal(format!("a stored item no longer opens: {e}")))?;
    let entry = parent
        .attachments
        .get(a.idx as usize)
        .cloned()
        .ok_or_else(|| Error::Internal(format!("attachment {} is not named", a.id)))?;
    let bytes = Zeroizing::new(
        meldpunt_envelope::attachment::open(&a.ciphertext, ids)
            .map_err(|e| Error::Internal(format!("a stored attachment no longer opens: {e}")))?,
    );
    if meldpunt_envelope::sha256_hex(&bytes) != entry.sha256.to_ascii_lowercase() {
        return Err(Error::Internal(format!(
            "stored attachment {} does not match its melding",
            a.id
        )));
    }
    Ok((entry, bytes))
}
