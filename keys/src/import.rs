//! `import`: take an inbox bundle from the server into the case store.
//!
//! The bundle as a whole is checked first (envelope::bundle::read: manifest, sizes,
//! hashes), and its manifest must name this meldpunt (its signing public key, which
//! the server writes from its configuration); a bundle that fails either is refused
//! whole, before anything is written. Its items were chosen by anonymous senders,
//! so each is then judged on its own: opened with the identity (every identity,
//! after a key rotation), its melding validated, its attachments checked against
//! the entries their melding gives them (size and SHA-256), and every item checked
//! to belong to its case. What passes is imported; what does not is set aside with
//! its reason (kept in the store's `set_aside` table), so one bad item never stops
//! the rest, whatever the store already holds: a fresh store given only poisoned
//! items sets them all aside. Everything is written in one transaction. With
//! `--confirm` the signed import confirmation for the server is written as well; it names the imported and the set-aside items, so the server
//! deletes both.
//!
//! [`import_bundle`] is the logic and returns an [`ImportReport`];
//! [`Session::import`] is its front door. The faces print the report.

use std::collections::HashMap;
use std::path::Path;

use meldpunt_envelope::Error as EnvError;
use meldpunt_envelope::bundle::{self, Bundle, BundleKind, ItemKind};
use meldpunt_envelope::keys::SigningPublicKey;
use meldpunt_envelope::melding::{self, Kind, Melding};

use crate::error::{Action, Error, Result};
use crate::secrets::{Paths, Public};
use crate::session::Session;
use crate::store::{NewAttachment, NewItem, NewSetAside, Store};

/// Largest total of item bytes one bundle may carry into the laptop.
const MAX_BUNDLE_BYTES: u64 = 4 << 30;

/// This meldpunt's signing public key, from `public.txt` (no passphrase needed).
pub fn own_meldpunt(p: &Paths) -> Result<SigningPublicKey> {
    let public = Public::read(p)?;
    public
        .signing_public_key
        .parse()
        .map_err(|e| Error::KeyFileDamaged(p.public.clone(), format!("signing_public_key: {e}")))
}

/// Reads and checks an inbox bundle; nothing is opened yet.
pub fn read_inbox(file: &Path) -> Result<Bundle> {
    let f = std::fs::File::open(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::BundleMissing(file.to_path_buf()),
        _ => Error::io(file, Action::Read, e),
    })?;
    read_inbox_from(std::io::BufReader::new(f), file)
}

/// Reads an inbox bundle from `r` as its bytes arrive (a file, an upload still on its
/// way) and checks it as a whole (manifest, sizes, hashes) and that it is an inbox;
/// nothing is opened yet. `name` is what errors call it. A read error of `r` is a
/// damaged bundle ([`Error::BundleInvalid`]).
pub fn read_inbox_from(r: impl std::io::Read, name: &Path) -> Result<Bundle> {
    let b = bundle::read(r, MAX_BUNDLE_BYTES).map_err(|e| match e {
        EnvError::Bundle(d) => Error::BundleInvalid(name.to_path_buf(), d),
        e => Error::BundleInvalid(name.to_path_buf(), e.to_string()),
    })?;
    if b.manifest.kind != BundleKind::Inbox {
        return Err(Error::NotAnInbox(name.to_path_buf()));
    }
    Ok(b)
}

/// Why an item was set aside instead of imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SetAsideReason {
    /// It does not open with any of the meldpunt's identities.
    NotOurs,
    /// It is not an age file, or its ciphertext is damaged.
    Damaged,
    /// It opens, but holds no valid melding or vervolg (or not the kind the
    /// manifest says).
    NotAMelding,
    /// Its reply key differs from that of the case it is filed under.
    WrongCase,
    /// An attachment that is not one of the files its melding names.
    AttachmentMismatch,
    /// An attachment whose melding was set aside.
    ParentSetAside,
}

impl SetAsideReason {
    /// The code kept in the store.
    pub fn code(self) -> &'static str {
        match self {
            SetAsideReason::NotOurs => "not-ours",
            SetAsideReason::Damaged => "damaged",
            SetAsideReason::NotAMelding => "not-a-melding",
            SetAsideReason::WrongCase => "wrong-case",
            SetAsideReason::AttachmentMismatch => "attachment-mismatch",
            SetAsideReason::ParentSetAside => "parent-set-aside",
        }
    }

    /// The reason a stored code names, if it is one this version knows.
    pub fn from_code(code: &str) -> Option<SetAsideReason> {
        [
            SetAsideReason::NotOurs,
            SetAsideReason::Damaged,
            SetAsideReason::NotAMelding,
            SetAsideReason::WrongCase,
            SetAsideReason::AttachmentMismatch,
            SetAsideReason::ParentSetAside,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    fn of(e: EnvError) -> (SetAsideReason, String) {
        match e {
            EnvError::NoMatchingKey => (SetAsideReason::NotOurs, String::new()),
            EnvError::Damaged(d) | EnvError::NotAge(d) => (SetAsideReason::Damaged, d),
            e => (SetAsideReason::NotAMelding, e.to_string()),
        }
    }
}

/// One item set aside by this import.
#[derive(Debug, Clone)]
pub struct SetAside {
    pub id: String,
    pub kind: ItemKind,
    pub reason: SetAsideReason,
    /// What the library said, in English; never the item's content.
    pub detail: String,
}

/// An item whose manifest line names another organisation than its content.
#[derive(Debug, Clone)]
pub struct OrganisationMismatch {
    pub id: String,
    pub server: String,
    pub content: String,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Meldingen and vervolgen newly imported.
    pub imported: usize,
    pub new_attachments: usize,
    pub new_cases: Vec<String>,
    /// Items (imported or set aside) the store already held from an earlier import.
    pub duplicates: usize,
    /// Items set aside by this import, in manifest order. Those an earlier import
    /// set aside are counted in `duplicates` instead.
    pub set_aside: Vec<SetAside>,
    pub organisation_mismatches: Vec<OrganisationMismatch>,
    /// Ids of every item the store now holds as imported (for the confirmation).
    pub held_ids: Vec<String>,
    /// Ids of every item the store now holds as set aside (for the confirmation).
    pub set_aside_ids: Vec<String>,
}

/// Refuses a bundle whose manifest names another meldpunt than `own` (this
/// meldpunt's signing public key).
pub fn check_meldpunt(b: &Bundle, own: &SigningPublicKey) -> Result<()> {
    if b.manifest.is_from(own) {
        return Ok(());
    }
    Err(Error::BundleForeign {
        theirs: b.manifest.meldpunt.clone().unwrap_or_default(),
        ours: own.to_string(),
    })
}

/// Imports the items of a checked inbox bundle of this meldpunt (`own`: its signing
/// public key) that open and check, and sets aside those that do not, in one
/// transaction. A bundle of another meldpunt is refused before anything is written.
/// `step` is called once per item opened.
pub fn import_bundle(
    store: &mut Store,
    b: Bundle,
    own: &SigningPublicKey,
    ids: &[&dyn age::Identity],
    today: &str,
    step: &mut dyn FnMut(),
) -> Result<ImportReport> {
    check_meldpunt(&b, own)?;
    let mut report = ImportReport::default();
    let mut aside: Vec<(bundle::ManifestItem, Vec<u8>, SetAsideReason, String)> = Vec::new();

    // Open every melding and vervolg.
    let mut opened: Vec<(bundle::ManifestItem, Vec<u8>, Melding)> = Vec::new();
    let mut bijlagen: Vec<(bundle::ManifestItem, Vec<u8>)> = Vec::new();
    for (line, ciphertext) in b.items {
        if line.kind == ItemKind::Bijlage {
            bijlagen.push((line, ciphertext));
            continue;
        }
        step();
        let m = match melding::open(&ciphertext, ids) {
            Ok(m) => m,
            Err(e) => {
                let (reason, detail) = SetAsideReason::of(e);
                aside.push((line, ciphertext, reason, detail));
                continue;
            }
        };
        let expected = match line.kind {
            ItemKind::Melding => Kind::Melding,
            _ => Kind::Vervolg,
        };
        if m.kind != expected {
            let detail = "the manifest and the content disagree on its kind".to_string();
            aside.push((line, ciphertext, SetAsideReason::NotAMelding, detail));
            continue;
        }
        opened.push((line, ciphertext, m));
    }

    // All items of a case come from one reply token, so they carry one reply
    // recipient; the first one seen (in the store, else in this bundle) counts. An
    // item that disagrees is set aside.
    let mut recipients: HashMap<String, String> = HashMap::new();
    let mut checked = Vec::with_capacity(opened.len());
    for (line, ciphertext, m) in opened {
        let known = match recipients.get(&line.lookup_hash) {
            Some(r) => Some(r.clone()),
            None => match store.first_item_of(&line.lookup_hash)? {
                Some(ct) => Some(
                    melding::open(&ct, ids)
                        .map_err(|e| {
                            Error::Internal(format!("a stored item no longer opens: {e}"))
                        })?
                        .reply_recipient,
                ),
                None => None,
            },
        };
        match known {
            Some(r) if r != m.reply_recipient => {
                aside.push((line, ciphertext, SetAsideReason::WrongCase, String::new()));
                continue;
            }
            Some(r) => {
                recipients.insert(line.lookup_hash.clone(), r);
            }
            None => {
                recipients.insert(line.lookup_hash.clone(), m.reply_recipient.clone());
            }
        }
        if line.organisatie.as_deref() != Some(m.organisatie.as_str()) {
            report.organisation_mismatches.push(OrganisationMismatch {
                id: line.id.clone(),
                server: line.organisatie.clone().unwrap_or_default(),
                content: m.organisatie.clone(),
            });
        }
        checked.push((line, ciphertext, m));
    }

    // Each attachment must be one of the files its melding names (size and SHA-256),
    // each named file at most once; its place in that list is kept with it.
    let parents: HashMap<&str, &Melding> = checked
        .iter()
        .map(|(line, _, m)| (line.id.as_str(), m))
        .collect();
    let mut used: HashMap<String, Vec<bool>> = HashMap::new();
    let mut attachments = Vec::with_capacity(bijlagen.len());
    for (line, ciphertext) in bijlagen {
        step();
        let parent_id = line.parent.clone().unwrap_or_default();
        let Some(parent) = parents.get(parent_id.as_str()) else {
            aside.push((
                line,
                ciphertext,
                SetAsideReason::ParentSetAside,
                String::new(),
            ));
            continue;
        };
        let mismatch = |d: &str| (SetAsideReason::AttachmentMismatch, d.to_string());
        let file_bytes = if parent.attachments.is_empty() {
            Err(mismatch("the melding names no attachments"))
        } else {
            meldpunt_envelope::attachment::open(&ciphertext, ids).map_err(SetAsideReason::of)
        };
        let placed = file_bytes.and_then(|file_bytes| {
            let sha = meldpunt_envelope::sha256_hex(&file_bytes);
            let taken = used
                .entry(parent_id.clone())
                .or_insert_with(|| vec![false; parent.attachments.len()]);
            let idx = parent.attachments.iter().enumerate().position(|(i, a)| {
                !taken[i]
                    && a.size == file_bytes.len() as u64
                    && a.sha256.eq_ignore_ascii_case(&sha)
            });
            match idx {
                Some(idx) => {
                    taken[idx] = true;
                    Ok(idx)
                }
                None if parent
                    .attachments
                    .iter()
                    .any(|a| a.size == file_bytes.len() as u64) =>
                {
                    Err(mismatch("the SHA-256 differs"))
                }
                None => Err(mismatch("the size differs")),
            }
        });
        match placed {
            Ok(idx) => attachments.push(NewAttachment {
                id: line.id.clone(),
                parent: parent_id,
                idx: idx as i64,
                received: line.received.clone().unwrap_or_default(),
                ciphertext,
            }),
            Err((reason, detail)) => aside.push((line, ciphertext, reason, detail)),
        }
    }

    let items: Vec<NewItem> = checked
        .into_iter()
        .map(|(line, ciphertext, m)| NewItem {
            kind: ItemKind::from(m.kind),
            id: line.id,
            lookup_hash: line.lookup_hash,
            organisatie: m.organisatie.clone(),
            soort: m.soort.clone(),
            melder: m.melder.clone(),
            over_wie: m.over_wie.clone(),
            received: line.received.unwrap_or_default(),
            ciphertext,
        })
        .collect();
    let new_aside: Vec<NewSetAside> = aside
        .iter()
        .map(|(line, ciphertext, reason, _)| NewSetAside {
            id: line.id.clone(),
            kind: line.kind,
            parent: line.parent.clone(),
            lookup_hash: line.lookup_hash.clone(),
            organisatie: line.organisatie.clone().unwrap_or_default(),
            received: line.received.clone().unwrap_or_default(),
            reason: reason.code(),
            ciphertext: ciphertext.clone(),
        })
        .collect();
    let done = store.import(&items, &attachments, &new_aside, today)?;

    let newly: std::collections::HashSet<String> = done.new_set_aside.into_iter().collect();
    report.imported = done.new;
    report.new_attachments = done.new_attachments;
    report.new_cases = done.new_cases;
    report.duplicates = done.skipped;
    report.held_ids = items
        .into_iter()
        .map(|i| i.id)
        .chain(attachments.into_iter().map(|a| a.id))
        .collect();
    report.set_aside_ids = new_aside.into_iter().map(|s| s.id).collect();
    report.set_aside = aside
        .into_iter()
        .filter(|(line, ..)| newly.contains(&line.id))
        .map(|(line, _, reason, detail)| SetAside {
            id: line.id,
            kind: line.kind,
            reason,
            detail,
        })
        .collect();
    Ok(report)
}

/// How far an import is: `done` of `total` items opened.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// [`import_bundle`] with `progress(done, total)`: every item is opened once, the
/// attachments too, so `total` counts them all and `done` never passes it.
fn import_counted(
    store: &mut Store,
    b: Bundle,
    own: &SigningPublicKey,
    ids: &[&dyn age::Identity],
    today: &str,
    progress: Progress,
) -> Result<ImportReport> {
    let total = b.items.len();
    let mut done = 0;
    import_bundle(store, b, own, ids, today, &mut || {
        done += 1;
        progress(done, total);
    })
}

impl Session {
    /// This meldpunt's signing public key (from `public.txt`).
    pub fn own_meldpunt(&self) -> Result<SigningPublicKey> {
        own_meldpunt(self.paths())
    }

    /// Refuses a bundle of another meldpunt; needs no keys, so a face can check a
    /// bundle before it asks for the passphrase.
    pub fn check_bundle(&self, b: &Bundle) -> Result<()> {
        check_meldpunt(b, &self.own_meldpunt()?)
    }

    /// Imports a checked inbox bundle (from [`read_inbox`] or [`read_inbox_from`])
    /// with the unlocked keys, in one transaction. `progress(done, total)` is called
    /// once per item opened.
    pub fn import(&mut self, b: Bundle, today: &str, progress: Progress) -> Result<ImportReport> {
        let own = self.own_meldpunt()?;
        let (store, keys, _, _) = self.parts();
        let keys = keys.ok_or(Error::Locked)?;
        let ids = keys.ids();
        import_counted(store, b, &own, &ids, today, progress)
    }

    /// Reads, checks and imports the inbox bundle at `file`.
    pub fn import_file(
        &mut self,
        file: &Path,
        today: &str,
        progress: Progress,
    ) -> Result<ImportReport> {
        let b = read_inbox(file)?;
        self.check_bundle(&b)?;
        self.import(b, today, progress)
    }
}

impl Session {
    /// Every item an import set aside, oldest first. Needs no keys.
    pub fn set_aside_items(&self) -> Result<Vec<crate::store::SetAsideRow>> {
        self.store().set_aside_items()
    }

    /// Writes the bytes of set-aside item `id`, exactly as the server received them,
    /// to the new file `to`; returns how many.
    pub fn save_set_aside(&self, id: &str, to: &Path) -> Result<usize> {
        let bytes = self
            .store()
            .set_aside_bytes(id)?
            .ok_or_else(|| Error::SetAsideNotFound(id.to_string()))?;
        crate::replies::write_new(to, &bytes)?;
        Ok(bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meldpunt_envelope::bundle::NewItem;
    use meldpunt_envelope::keys::SigningSecretKey;
    use meldpunt_envelope::melding::AttachmentRef;
    use meldpunt_envelope::token::ReplyToken;

    /// A melding with one attachment: the progress goes 1 of 2, 2 of 2 (it counted
    /// the meldingen only, so a face's bar went past its end on attachments).
    #[test]
    fn the_progress_counts_attachments_in_its_total() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(&tmp.path().join("cases.db")).unwrap();
        let identity = age::x25519::Identity::generate();
        let to = [identity.to_public()];
        let own = SigningSecretKey::generate().unwrap().public();
        let file = b"een bijlage".to_vec();
        let token = ReplyToken::generate().unwrap().derive();
        let mut m = Melding::new("leiden", "pesten", "Een melding.", &token.reply_recipient());
        m.attachments.push(AttachmentRef {
            name: "bijlage.txt".into(),
            media_type: "text/plain".into(),
            size: file.len() as u64,
            sha256: meldpunt_envelope::sha256_hex(&file),
        });
        let melding_id = meldpunt_envelope::random_id().unwrap();
        let item = |id: String, kind, parent, ciphertext| NewItem {
            id,
            kind,
            lookup_hash: token.lookup_key.hash(),
            organisatie: Some("leiden".into()),
            received: Some("2026-11-20".into()),
            signature: None,
            parent,
            ciphertext,
        };
        let items = [
            item(
                melding_id.clone(),
                ItemKind::Melding,
                None,
                melding::seal(&m, &to).unwrap(),
            ),
            item(
                meldpunt_envelope::random_id().unwrap(),
                ItemKind::Bijlage,
                Some(melding_id),
                meldpunt_envelope::attachment::seal(&file, &to).unwrap(),
            ),
        ];
        let tar = bundle::write(
            Vec::new(),
            BundleKind::Inbox,
            Some(&own),
            "2026-11-22",
            &items,
        )
        .unwrap();
        let b = read_inbox_from(&tar[..], Path::new("inbox.tar")).unwrap();
        let mut seen = Vec::new();
        let report = import_counted(
            &mut store,
            b,
            &own,
            &[&identity as &dyn age::Identity],
            "2026-11-22",
            &mut |done, total| seen.push((done, total)),
        )
        .unwrap();
        assert_eq!((report.imported, report.new_attachments), (1, 1));
        assert_eq!(seen, [(1, 2), (2, 2)]);
    }
}
