//! `import`: take an inbox bundle from the server into the case store.
//!
//! All or nothing: the bundle is checked (envelope::bundle::read), then every item is
//! opened with the identity and its melding validated, then every item is checked to
//! belong to its case; only then is anything written, in one transaction.

use std::collections::HashMap;
use std::path::Path;

use meldpunt_envelope::Error as EnvError;
use meldpunt_envelope::bundle::{self, BundleKind, ItemKind};
use meldpunt_envelope::melding::{self, Kind, Melding};

use super::Ctx;
use crate::error::{Action, Failure, Result};
use crate::secrets::Keys;
use crate::store::{NewItem, Store};

/// Largest total of item bytes one bundle may carry into the laptop.
const MAX_BUNDLE_BYTES: u64 = 4 << 30;

pub fn run(ctx: &Ctx, file: &Path) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    p.require_keys()?;
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

    let keys = Keys::unlock(p, l, false)?;
    let mut store = Store::open(&p.db)?;

    // Open everything first: one item that is not ours refuses the whole bundle.
    let mut opened: Vec<(bundle::ManifestItem, Vec<u8>, Melding)> =
        Vec::with_capacity(b.items.len());
    for (line, ciphertext) in b.items {
        let m = melding::open(&ciphertext, &[&keys.identity]).map_err(|e| match e {
            EnvError::NoMatchingKey => Failure::ItemForeign(line.id.clone()),
            EnvError::Damaged(d) | EnvError::NotAge(d) => Failure::ItemDamaged(line.id.clone(), d),
            e => Failure::ItemInvalid(line.id.clone(), e.to_string()),
        })?;
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
    }

    // All items of a case come from one reply token, so they carry one reply
    // recipient. A server that moves an item to another case is caught here.
    let mut recipients: HashMap<String, String> = HashMap::new();
    for (line, _, m) in &opened {
        let known = match recipients.get(&line.lookup_hash) {
            Some(r) => Some(r.clone()),
            None => match store.first_item_of(&line.lookup_hash)? {
                Some(ct) => Some(
                    melding::open(&ct, &[&keys.identity])
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
    let done = store.import(&items, &meldpunt_envelope::domain::today())?;

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
    Ok(())
}
