//! `import`: take an inbox bundle from the server into the case store.
//!
//! All or nothing: the bundle is checked (envelope::bundle::read), then every item is
//! opened with the identity (every identity, after a key rotation) and its melding
//! validated, every attachment is opened and checked against the entry its melding
//! gives it (size and SHA-256), and every item is checked to belong to its case; only
//! then is anything written, in one transaction. With `--confirm` the signed import
//! confirmation for the server is written as well.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;

use meldpunt_envelope::Error as EnvError;
use meldpunt_envelope::bundle::{self, Bundle, BundleKind, ItemKind};
use meldpunt_envelope::melding::{self, Kind, Melding};

use super::Ctx;
use crate::error::{Action, Failure, Result};
use crate::store::{NewAttachment, NewItem, Store};

/// Largest total of item bytes one bundle may carry into the laptop.
const MAX_BUNDLE_BYTES: u64 = 4 << 30;

/// Reads and checks an inbox bundle; nothing is opened yet.
pub fn read_inbox(file: &Path) -> Result<Bundle> {
    let f = std::fs::File::open(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Failure::BundleMissing(file.to_path_buf()),
        _ => Failure::io(file, Action::Read, e),
    })?;
    let b = bundle::read(std::io::BufReader::new(f), MAX_BUNDLE_BYTES).map_err(|e| match e {
        EnvError::Bundle(d) => Failure::BundleInvalid(file.to_path_buf(), d),
        e => Failure::BundleInvalid(file.to_path_buf(), e.to_string()),
    })?;
    if b.manifest.kind != BundleKind::Inbox {
        return Err(Failure::NotAnInbox(file.to_path_buf()));
    }
    Ok(b)
}

fn open_error(id: &str, e: EnvError) -> Failure {
    match e {
        EnvError::NoMatchingKey => Failure::ItemForeign(id.to_string()),
        EnvError::Damaged(d) | EnvError::NotAge(d) => Failure::ItemDamaged(id.to_string(), d),
        e => Failure::ItemInvalid(id.to_string(), e.to_string()),
    }
}

/// Shows how far a long import is, on a terminal only.
struct Progress {
    total: usize,
    done: usize,
    on: bool,
    label: &'static str,
}

impl Progress {
    fn new(total: usize, label: &'static str) -> Progress {
        Progress {
            total,
            done: 0,
            on: total >= 20 && std::io::stderr().is_terminal(),
            label,
        }
    }

    fn step(&mut self) {
        self.done += 1;
        if self.on && (self.done % 10 == 0 || self.done == self.total) {
            let width = 30;
            let filled = self.done * width / self.total.max(1);
            eprint!(
                "\r{} [{}{}] {}/{}",
                self.label,
                "#".repeat(filled),
                " ".repeat(width - filled),
                self.done,
                self.total
            );
            if self.done == self.total {
                eprintln!();
            }
        }
    }
}

pub fn run(ctx: &Ctx, file: &Path, confirm: Option<&Path>) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    p.require_keys()?;
    if let Some(out) = confirm {
        if out.exists() {
            return Err(Failure::OutputExists(out.to_path_buf()));
        }
    }
    let b = read_inbox(file)?;
    let keys = ctx.unlock(confirm.is_some())?;
    let ids = keys.ids();
    let mut store = Store::open(&p.db)?;
    let all_ids: Vec<(String, Vec<u8>)> = b
        .items
        .iter()
        .map(|(line, ct)| (line.id.clone(), ct.clone()))
        .collect();

    // Open everything first: one item that is not ours refuses the whole bundle.
    let mut progress = Progress::new(b.items.len(), l.t("Openen", "Opening"));
    let mut opened: Vec<(bundle::ManifestItem, Vec<u8>, Melding)> = Vec::new();
    let mut bijlagen: Vec<(bundle::ManifestItem, Vec<u8>)> = Vec::new();
    for (line, ciphertext) in b.items {
        if line.kind == ItemKind::Bijlage {
            bijlagen.push((line, ciphertext));
            continue;
        }
        let m = melding::open(&ciphertext, &ids).map_err(|e| open_error(&line.id, e))?;
        let expected = match line.kind {
            ItemKind::Melding => Kind::Melding,
            _ => Kind::Vervolg,
        };
        if m.kind != expected {
            return Err(Failure::ItemInvalid(
                line.id.clone(),
                "the manifest and the content disagree on its kind".into(),
            ));
        }
        opened.push((line, ciphertext, m));
        progress.step();
    }

    // Each attachment must be one of the files its melding names (size and SHA-256),
    // each named file at most once; its place in that list is kept with it.
    let parents: HashMap<&str, &Melding> = opened
        .iter()
        .map(|(line, _, m)| (line.id.as_str(), m))
        .collect();
    let mut used: HashMap<String, Vec<bool>> = HashMap::new();
    let mut attachments = Vec::with_capacity(bijlagen.len());
    for (line, ciphertext) in bijlagen {
        let parent_id = line.parent.clone().unwrap_or_default();
        let parent = parents.get(parent_id.as_str()).ok_or_else(|| {
            Failure::BundleInvalid(file.to_path_buf(), format!("item {}: no parent", line.id))
        })?;
        let mismatch = |d: &str| Failure::AttachmentMismatch(line.id.clone(), d.to_string());
        if parent.attachments.is_empty() {
            return Err(mismatch("the melding names no attachments"));
        }
        let file_bytes = meldpunt_envelope::attachment::open(&ciphertext, &ids)
            .map_err(|e| open_error(&line.id, e))?;
        let sha = meldpunt_envelope::sha256_hex(&file_bytes);
        let taken = used
            .entry(parent_id.clone())
            .or_insert_with(|| vec![false; parent.attachments.len()]);
        let idx = parent
            .attachments
            .iter()
            .enumerate()
            .position(|(i, a)| {
                !taken[i]
                    && a.size == file_bytes.len() as u64
                    && a.sha256.eq_ignore_ascii_case(&sha)
            })
            .ok_or_else(|| {
                if parent
                    .attachments
                    .iter()
                    .any(|a| a.size == file_bytes.len() as u64)
                {
                    mismatch("the SHA-256 differs")
                } else {
                    mismatch("the size differs")
                }
            })?;
        taken[idx] = true;
        attachments.push(NewAttachment {
            id: line.id.clone(),
            parent: parent_id,
            idx: idx as i64,
            received: line.received.clone().unwrap_or_default(),
            ciphertext,
        });
        progress.step();
    }

    // All items of a case come from one reply token, so they carry one reply
    // recipient. A server that moves an item to another case is caught here.
    let mut recipients: HashMap<String, String> = HashMap::new();
    for (line, _, m) in &opened {
        let known = match recipients.get(&line.lookup_hash) {
            Some(r) => Some(r.clone()),
            None => match store.first_item_of(&line.lookup_hash)? {
                Some(ct) => Some(
                    melding::open(&ct, &ids)
                        .map_err(|e| {
                            Failure::Internal(format!("a stored item no longer opens: {e}"))
                        })?
                        .reply_recipient,
                ),
                None => None,
            },
        };
        match known {
            Some(r) if r != m.reply_recipient => {
                return Err(Failure::ItemWrongCase(line.id.clone()));
            }
            Some(_) => {}
            None => {
                recipients.insert(line.lookup_hash.clone(), m.reply_recipient.clone());
            }
        }
        if line.organisatie.as_deref() != Some(m.organisatie.as_str()) {
            eprintln!(
                "{}",
                l.t(
                    format!("let op: bericht {} is volgens de server voor {:?} maar volgens de inhoud voor {:?}; de inhoud geldt",
                        line.id, line.organisatie.as_deref().unwrap_or(""), m.organisatie),
                    format!("note: the server says item {} is for {:?} but its content says {:?}; the content counts",
                        line.id, line.organisatie.as_deref().unwrap_or(""), m.organisatie),
                )
            );
        }
    }

    let items: Vec<NewItem> = opened
        .into_iter()
        .map(|(line, ciphertext, m)| NewItem {
            kind: if m.kind == Kind::Melding {
                "melding"
            } else {
                "vervolg"
            },
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
    let today = crate::days::today();
    let done = store.import(&items, &attachments, &today)?;

    let (nieuw, new) = if done.new == 1 {
        ("nieuwe melding", "new melding")
    } else {
        ("nieuwe meldingen", "new meldingen")
    };
    println!(
        "{}",
        l.t(
            format!(
                "{} {nieuw} geïmporteerd, {} al aanwezig overgeslagen.",
                done.new, done.skipped
            ),
            format!(
                "{} {new} imported, {} already present skipped.",
                done.new, done.skipped
            ),
        )
    );
    if !done.new_cases.is_empty() {
        println!(
            "{} {}",
            l.t("Nieuwe zaken:", "New cases:"),
            done.new_cases.join(", ")
        );
    }
    if done.new_attachments > 0 {
        println!(
            "{}",
            l.t(
                format!("{} bijlagen opgeslagen.", done.new_attachments),
                format!("{} attachments stored.", done.new_attachments),
            )
        );
    }
    if let Some(out) = confirm {
        let ids: Vec<String> = all_ids.into_iter().map(|(id, _)| id).collect();
        super::confirm::write_confirmation(ctx, &keys, &ids, out)?;
    }
    Ok(())
}
