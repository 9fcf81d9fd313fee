//! What goes back to the server: replies to reporters ([`Session::reply`]), sealed to
//! the reporter's reply recipient and signed, waiting in the store; the replies bundle
//! ([`Session::export_replies`]); and the signed import confirmation
//! ([`Session::confirmation`]), after which the server deletes what the laptop holds.

use std::io::Write;
use std::path::Path;

use meldpunt_envelope::bundle::{self, Bundle, BundleKind, ItemKind, NewItem};
use meldpunt_envelope::melding;
use meldpunt_envelope::reply::{self, ReplyText};
use meldpunt_envelope::signed::Confirmation;

use crate::error::{Action, Error, Result};
use crate::session::Session;
use crate::store::{CaseRow, Held, NewReply};

/// What [`Session::reply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyOutcome {
    /// Replies now waiting for `export-replies`.
    pub pending: i64,
    /// This reply counts as the case's ontvangstbevestiging (its first reply).
    pub counts_as_acknowledgement: bool,
    /// This reply counts as the case's terugkoppeling.
    pub counts_as_feedback: bool,
}

/// What [`Session::export_replies`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOutcome {
    /// Replies in the bundle; 0 means nothing was written.
    pub replies: usize,
}

/// The items of a bundle the store holds, for its confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeldItems {
    pub imported: Vec<String>,
    pub set_aside: Vec<String>,
}

/// Creates `path` (never replacing a file) and writes it durably; a half-written file
/// is removed.
pub fn write_new(path: &Path, data: &[u8]) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::OutputExists(path.to_path_buf())
            } else {
                Error::io(path, Action::Write, e)
            }
        })?;
    if let Err(e) = f.write_all(data).and_then(|()| f.sync_all()) {
        drop(f);
        let _ = std::fs::remove_file(path);
        return Err(Error::io(path, Action::Write, e));
    }
    Ok(())
}

impl Session {
    /// The case, if a reply can go to its reporter (it came in through the server);
    /// else [`Error::NoReplyChannel`]. Needs no keys.
    pub fn reply_case(&self, number: &str) -> Result<CaseRow> {
        let case = self.case(number)?;
        if case.lookup_hash.is_none() {
            return Err(Error::NoReplyChannel(
                number.to_string(),
                case.kanaal.code().to_string(),
            ));
        }
        Ok(case)
    }

    /// Checks a reply text (not empty, not too long) without the keys.
    pub fn check_reply_text(&self, text: &str, today: &str) -> Result<()> {
        ReplyText::new(today, text.trim_end())
            .validate()
            .map_err(|e| Error::ReplyInvalid(e.to_string()))
    }

    /// Writes a reply to case `number`: sealed to the reporter, signed, kept with an
    /// own copy sealed to the meldpunt. `feedback` records it as the terugkoppeling.
    /// Needs the signing key.
    pub fn reply(
        &mut self,
        number: &str,
        text: &str,
        feedback: bool,
        today: &str,
    ) -> Result<ReplyOutcome> {
        let case = self.reply_case(number)?;
        let lookup_hex = case.lookup_hash.clone().unwrap_or_default();
        let reply_text = ReplyText::new(today, text.trim_end());
        reply_text
            .validate()
            .map_err(|e| Error::ReplyInvalid(e.to_string()))?;
        let keys = self.signing_keys()?;
        let first = self
            .store()
            .first_item_of(&lookup_hex)?
            .ok_or_else(|| Error::Internal(format!("case {number} has no items")))?;
        let m = melding::open(&first, &keys.ids())
            .map_err(|e| Error::Internal(format!("a stored item no longer opens: {e}")))?;
        let mut lookup_hash = [0u8; 32];
        hex::decode_to_slice(&lookup_hex, &mut lookup_hash)
            .map_err(|_| Error::Internal("a stored lookup hash is not hex".into()))?;
        let sealed = reply::seal_and_sign(
            &reply_text,
            &m.reply_recipient,
            &lookup_hash,
            keys.signing(),
        )
        .map_err(|e| Error::ReplyInvalid(e.to_string()))?;
        let own_copy = crate::private::seal_text(&reply_text, &self.public().recipients()?)?;
        let id = meldpunt_envelope::random_id().map_err(|e| Error::Internal(e.to_string()))?;
        let store = self.store_mut();
        store.add_reply(&NewReply {
            id,
            case_id: case.id,
            day: today.to_string(),
            ciphertext: sealed.ciphertext,
            signature: sealed.signature,
            own_copy,
            feedback,
        })?;
        Ok(ReplyOutcome {
            pending: store.pending_replies()?,
            counts_as_acknowledgement: case.acknowledged.is_none(),
            counts_as_feedback: feedback && case.feedback.is_none(),
        })
    }

    /// Writes the replies bundle for the server to `out` (a new file): the replies
    /// not exported yet, or `all`. Needs no keys (the replies are sealed and signed).
    pub fn export_replies(&mut self, out: &Path, all: bool, today: &str) -> Result<ExportOutcome> {
        if out.exists() {
            return Err(Error::OutputExists(out.to_path_buf()));
        }
        let replies = self.store().outgoing(all)?;
        if replies.is_empty() {
            return Ok(ExportOutcome { replies: 0 });
        }
        let mut items = Vec::with_capacity(replies.len());
        for r in &replies {
            let bad = |what: &str| Error::Internal(format!("stored reply {}: {what}", r.id));
            let mut lookup_hash = [0u8; 32];
            hex::decode_to_slice(&r.lookup_hash, &mut lookup_hash)
                .map_err(|_| bad("lookup hash is not hex"))?;
            let signature: [u8; 64] = r
                .signature
                .as_slice()
                .try_into()
                .map_err(|_| bad("signature is not 64 bytes"))?;
            items.push(NewItem {
                id: r.id.clone(),
                kind: ItemKind::Reactie,
                lookup_hash,
                organisatie: None,
                received: None,
                signature: Some(signature),
                parent: None,
                ciphertext: r.ciphertext.clone(),
            });
        }
        let bytes = bundle::write(Vec::new(), BundleKind::Replies, None, today, &items)
            .map_err(|e| Error::Internal(e.to_string()))?;
        write_new(out, &bytes)?;
        let ids: Vec<(String, i64)> = replies.into_iter().map(|r| (r.id, r.case_id)).collect();
        self.store_mut().mark_exported(&ids, today)?;
        Ok(ExportOutcome { replies: ids.len() })
    }

    /// The items of inbox bundle `b` (read from `file`) the store holds, imported or
    /// set aside; an item it does not hold byte for byte is [`Error::NotImported`].
    /// Needs no keys.
    pub fn held_items(&self, b: Bundle, file: &Path) -> Result<HeldItems> {
        self.check_bundle(&b)?;
        let mut held = HeldItems::default();
        for (line, ct) in b.items {
            match self.store().holds(&line.id, &ct)? {
                Some(Held::Imported) => held.imported.push(line.id),
                Some(Held::SetAside) => held.set_aside.push(line.id),
                None => return Err(Error::NotImported(file.to_path_buf(), line.id)),
            }
        }
        Ok(held)
    }

    /// The signed import confirmation of `imported` and `set_aside` ids, as the JSON
    /// the server takes (`None` when both are empty: nothing to confirm). Needs the
    /// signing key.
    pub fn confirmation(
        &self,
        imported: &[String],
        set_aside: &[String],
        today: &str,
    ) -> Result<Option<Vec<u8>>> {
        let keys = self.signing_keys()?;
        if imported.is_empty() && set_aside.is_empty() {
            return Ok(None);
        }
        let c = Confirmation {
            v: 1,
            day: today.to_string(),
            items: imported.to_vec(),
            set_aside: set_aside.to_vec(),
        };
        let signed = c
            .sign(keys.signing())
            .map_err(|e| Error::Internal(e.to_string()))?;
        let mut json =
            serde_json::to_vec_pretty(&signed).map_err(|e| Error::Internal(e.to_string()))?;
        json.push(b'\n');
        Ok(Some(json))
    }
}
