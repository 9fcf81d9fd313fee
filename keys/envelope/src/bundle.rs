//! Bundles: how items travel between the intake server and the air-gapped laptop.
//!
//! A bundle is a plain (ustar) tar archive holding `manifest.json` first and then
//! one `<id>.age` file per item, so `tar tvf` lists it and `rage` opens each item.
//! Reading is strict about the bundle as a whole: any entry that is not a regular
//! file with an expected name, a missing or extra file, a duplicate, or a size or
//! hash that disagrees with the manifest rejects the whole bundle, as does, in a
//! replies bundle, an item that is not an age file. What an inbox item holds is not
//! judged here: an anonymous sender chose those bytes, so the laptop's import opens
//! each one and sets aside (never refuses the bundle for) one that is not age, not
//! sealed to the meldpunt, or not a valid melding.
//!
//! An inbox manifest names the meldpunt it comes from (`meldpunt`: the signing public
//! key from the server's configuration), so the laptop tells another meldpunt's bundle
//! from its own by identity, not by what its items hold. A replies bundle carries no
//! such field: its signatures already name the meldpunt.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use crate::keys::SigningPublicKey;
use crate::{Error, calendar, domain, is_valid_id, sha256_hex};

pub const FORMAT: &str = "meldpunt-bundle";
pub const VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
/// Most items one bundle may hold.
pub use crate::MAX_ITEMS;
const MAX_MANIFEST: u64 = 64 << 20;

/// Which way a bundle travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BundleKind {
    /// Server to laptop: new meldingen and follow-ups.
    Inbox,
    /// Laptop to server: signed replies.
    Replies,
}

pub use crate::domain::ItemKind;

/// One line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestItem {
    pub id: String,
    pub kind: ItemKind,
    /// Hex SHA-256 of the case's lookup key hash (the thread this item belongs to).
    pub lookup_hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisatie: Option<String>,
    /// Day the server received it (inbox items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<String>,
    /// Base64 Ed25519 signature (reply items), see [`crate::reply`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// The melding or follow-up an attachment belongs to (attachment items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub size: u64,
    pub sha256: String,
}

impl ManifestItem {
    pub fn file_name(&self) -> String {
        format!("{}.age", self.id)
    }

    /// The lookup hash as bytes.
    pub fn lookup_hash_bytes(&self) -> Result<[u8; 32], Error> {
        let mut b = [0u8; 32];
        hex::decode_to_slice(&self.lookup_hash, &mut b).map_err(|_| {
            Error::Bundle(format!(
                "item {}: the lookup hash is not 64 hex digits",
                self.id
            ))
        })?;
        Ok(b)
    }

    /// The signature as bytes (reply items).
    pub fn signature_bytes(&self) -> Result<Vec<u8>, Error> {
        use base64::Engine;
        let s = self
            .signature
            .as_deref()
            .ok_or_else(|| Error::Bundle(format!("item {}: the signature is missing", self.id)))?;
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .map_err(|_| Error::Bundle(format!("item {}: the signature is not base64", self.id)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub v: u32,
    pub kind: BundleKind,
    /// The meldpunt the bundle comes from: its signing public key
    /// (`meldpunt-ed25519:…`), as the server's configuration has it. Required in an
    /// inbox bundle, absent in a replies bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meldpunt: Option<String>,
    /// Day the bundle was made.
    pub created: String,
    pub items: Vec<ManifestItem>,
}

impl Manifest {
    /// Checks the manifest's own rules (what [`read`] and the writers enforce).
    pub fn validate(&self) -> Result<(), Error> {
        validate_manifest(self)
    }

    /// Whether this bundle names `own` as its meldpunt (compared as keys, not text).
    pub fn is_from(&self, own: &SigningPublicKey) -> bool {
        self.meldpunt
            .as_deref()
            .and_then(|m| m.parse::<SigningPublicKey>().ok())
            .is_some_and(|m| &m == own)
    }
}

/// An item to put in a bundle: its manifest line without size and hash, and its bytes.
pub struct NewItem {
    pub id: String,
    pub kind: ItemKind,
    pub lookup_hash: [u8; 32],
    pub organisatie: Option<String>,
    pub received: Option<String>,
    pub signature: Option<[u8; 64]>,
    pub parent: Option<String>,
    pub ciphertext: Vec<u8>,
}

/// A bundle read and checked, items in manifest order.
#[derive(Debug)]
pub struct Bundle {
    pub manifest: Manifest,
    pub items: Vec<(ManifestItem, Vec<u8>)>,
}

fn tar_header(size: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_entry_type(tar::EntryType::Regular);
    h
}

/// Writes a bundle to `out`. `meldpunt` is the meldpunt's signing public key: given
/// for an inbox bundle, `None` for a replies bundle.
pub fn write<W: Write>(
    out: W,
    kind: BundleKind,
    meldpunt: Option<&SigningPublicKey>,
    created: &str,
    items: &[NewItem],
) -> Result<W, Error> {
    use base64::Engine;
    let manifest = Manifest {
        format: FORMAT.to_string(),
        v: VERSION,
        kind,
        meldpunt: meldpunt.map(|k| k.to_string()),
        created: created.to_string(),
        items: items
            .iter()
            .map(|i| ManifestItem {
                id: i.id.clone(),
                kind: i.kind,
                lookup_hash: hex::encode(i.lookup_hash),
                organisatie: i.organisatie.clone(),
                received: i.received.clone(),
                signature: i
                    .signature
                    .map(|s| base64::engine::general_purpose::STANDARD.encode(s)),
                parent: i.parent.clone(),
                size: i.ciphertext.len() as u64,
                sha256: sha256_hex(&i.ciphertext),
            })
            .collect(),
    };
    let mut w = StreamWriter::new(out, &manifest)?;
    for item in items {
        w.append(&item.ciphertext[..])?;
    }
    w.finish()
}

/// Writes a bundle item by item, for writers that cannot hold every item in memory
/// (the server streams its export from SQLite). The manifest, with every size and
/// hash, comes first; then each item in manifest order; `finish` checks that all came.
pub struct StreamWriter<W: Write> {
    tar: tar::Builder<W>,
    lines: Vec<ManifestItem>,
    next: usize,
}

impl<W: Write> StreamWriter<W> {
    /// Validates `manifest` and writes it.
    pub fn new(out: W, manifest: &Manifest) -> Result<Self, Error> {
        validate_manifest(manifest)?;
        let json = serde_json::to_vec_pretty(manifest).map_err(|e| Error::Bundle(e.to_string()))?;
        let mut tar = tar::Builder::new(out);
        tar.mode(tar::HeaderMode::Deterministic);
        tar.append_data(&mut tar_header(json.len() as u64), MANIFEST, &json[..])
            .map_err(|e| Error::Bundle(format!("writing failed: {e}")))?;
        Ok(StreamWriter {
            tar,
            lines: manifest.items.clone(),
            next: 0,
        })
    }

    /// Writes the next item's bytes; they must be exactly the size the manifest says.
    pub fn append<R: Read>(&mut self, data: R) -> Result<(), Error> {
        let line = self
            .lines
            .get(self.next)
            .ok_or_else(|| Error::Bundle("more items than the manifest names".into()))?;
        self.tar
            .append_data(&mut tar_header(line.size), line.file_name(), data)
            .map_err(|e| Error::Bundle(format!("writing item {} failed: {e}", line.id)))?;
        self.next += 1;
        Ok(())
    }

    /// Ends the archive and returns the writer.
    pub fn finish(self) -> Result<W, Error> {
        if self.next != self.lines.len() {
            return Err(Error::Bundle(format!(
                "{} of {} items were written",
                self.next,
                self.lines.len()
            )));
        }
        self.tar
            .into_inner()
            .map_err(|e| Error::Bundle(format!("writing failed: {e}")))
    }
}

fn validate_manifest(m: &Manifest) -> Result<(), Error> {
    let bad = |s: String| Err(Error::Bundle(s));
    if m.format != FORMAT {
        return bad("this is not a meldpunt bundle".into());
    }
    if m.v != VERSION {
        return bad(format!("bundle version {} is not supported", m.v));
    }
    match (m.kind, &m.meldpunt) {
        (BundleKind::Inbox, None) => {
            return bad("the manifest does not name the meldpunt it comes from".into());
        }
        (BundleKind::Inbox, Some(k)) if k.parse::<SigningPublicKey>().is_err() => {
            return bad("the meldpunt's signing key in the manifest is not valid".into());
        }
        (BundleKind::Replies, Some(_)) => {
            return bad("a replies bundle does not name a meldpunt".into());
        }
        _ => {}
    }
    if !calendar::is_valid_day(&m.created) {
        return bad("the creation day is not a valid date".into());
    }
    if m.items.len() > MAX_ITEMS {
        return bad("too many items".into());
    }
    let mut ids = HashSet::new();
    for it in &m.items {
        if !is_valid_id(&it.id) {
            return bad(format!("item id {:?} is not valid", it.id));
        }
        if !ids.insert(&it.id) {
            return bad(format!("item {} appears twice", it.id));
        }
        it.lookup_hash_bytes()?;
        if it.sha256.len() != 64 || hex::decode(&it.sha256).is_err() {
            return bad(format!("item {}: the hash is not valid", it.id));
        }
        match (m.kind, it.kind) {
            (BundleKind::Inbox, ItemKind::Melding | ItemKind::Vervolg | ItemKind::Bijlage) => {
                let parent_ok = match (it.kind, &it.parent) {
                    (ItemKind::Bijlage, Some(p)) => m.items.iter().any(|o| {
                        &o.id == p && matches!(o.kind, ItemKind::Melding | ItemKind::Vervolg)
                    }),
                    (ItemKind::Bijlage, None) => false,
                    (_, parent) => parent.is_none(),
                };
                if !parent_ok {
                    return bad(format!(
                        "item {}: the parent is missing or not a melding in this bundle",
                        it.id
                    ));
                }
                match &it.organisatie {
                    Some(o) if domain::is_valid_slug(o) => {}
                    _ => {
                        return bad(format!(
                            "item {}: the organisation is missing or not valid",
                            it.id
                        ));
                    }
                }
                match &it.received {
                    Some(d) if calendar::is_valid_day(d) => {}
                    _ => {
                        return bad(format!(
                            "item {}: the received day is missing or not valid",
                            it.id
                        ));
                    }
                }
            }
            (BundleKind::Replies, ItemKind::Reactie) => {
                if it.signature_bytes()?.len() != 64 {
                    return bad(format!(
                        "item {}: the signature has the wrong length",
                        it.id
                    ));
                }
            }
            _ => {
                return bad(format!(
                    "item {}: a {:?} item does not belong in a {:?} bundle",
                    it.id, it.kind, m.kind
                ));
            }
        }
    }
    Ok(())
}

/// Reads and checks a whole bundle. `max_total` caps the bytes of all items together.
pub fn read<R: Read>(input: R, max_total: u64) -> Result<Bundle, Error> {
    let mut archive = tar::Archive::new(input);
    let mut manifest: Option<Manifest> = None;
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
    let mut total: u64 = 0;
    let entries = archive
        .entries()
        .map_err(|e| Error::Bundle(format!("this is not a tar archive: {e}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| Error::Bundle(format!("the archive is damaged: {e}")))?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(Error::Bundle(
                "the archive holds something other than plain files".into(),
            ));
        }
        let path = entry
            .path()
            .map_err(|_| Error::Bundle("a file name is not valid".into()))?;
        let name = path
            .to_str()
            .ok_or_else(|| Error::Bundle("a file name is not valid".into()))?
            .to_string();
        let size = entry
            .header()
            .size()
            .map_err(|_| Error::Bundle("a file size is not valid".into()))?;
        if name == MANIFEST {
            if manifest.is_some() {
                return Err(Error::Bundle("the manifest appears twice".into()));
            }
            if size > MAX_MANIFEST {
                return Err(Error::Bundle("the manifest is too large".into()));
            }
            let mut buf = Vec::with_capacity(size as usize);
            entry
                .read_to_end(&mut buf)
                .map_err(|e| Error::Bundle(format!("the archive is damaged: {e}")))?;
            let m: Manifest = serde_json::from_slice(&buf)
                .map_err(|e| Error::Bundle(format!("the manifest is not valid: {e}")))?;
            validate_manifest(&m)?;
            manifest = Some(m);
            continue;
        }
        let id = name.strip_suffix(".age").filter(|id| is_valid_id(id));
        let Some(id) = id else {
            return Err(Error::Bundle(format!(
                "unexpected file {name:?} in the bundle"
            )));
        };
        total = total.saturating_add(size);
        if total > max_total {
            return Err(Error::Bundle("the bundle is larger than allowed".into()));
        }
        if files.len() >= MAX_ITEMS {
            return Err(Error::Bundle("too many items".into()));
        }
        let mut buf = Vec::with_capacity(size as usize);
        entry
            .read_to_end(&mut buf)
            .map_err(|e| Error::Bundle(format!("the archive is damaged: {e}")))?;
        if buf.len() as u64 != size {
            return Err(Error::Bundle(format!("item {id} is truncated")));
        }
        if files.insert(id.to_string(), buf).is_some() {
            return Err(Error::Bundle(format!("item {id} appears twice")));
        }
    }
    let manifest = manifest.ok_or_else(|| Error::Bundle("the manifest is missing".into()))?;
    let mut items = Vec::with_capacity(manifest.items.len());
    for line in &manifest.items {
        let data = files
            .remove(&line.id)
            .ok_or_else(|| Error::Bundle(format!("item {} is missing", line.id)))?;
        if data.len() as u64 != line.size || sha256_hex(&data) != line.sha256 {
            return Err(Error::Bundle(format!(
                "item {} does not match the manifest (changed or damaged)",
                line.id
            )));
        }
        if manifest.kind == BundleKind::Replies {
            crate::melding::check_age_header(&data)
                .map_err(|e| Error::Bundle(format!("item {}: {e}", line.id)))?;
        }
        items.push((line.clone(), data));
    }
    if let Some(extra) = files.keys().next() {
        return Err(Error::Bundle(format!(
            "item {extra} is not in the manifest"
        )));
    }
    Ok(Bundle { manifest, items })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: ItemKind) -> NewItem {
        let id = age::x25519::Identity::generate();
        NewItem {
            id: crate::random_id().unwrap(),
            kind,
            lookup_hash: [3; 32],
            organisatie: Some("leiden".into()),
            received: Some("2026-11-22".into()),
            signature: None,
            parent: None,
            ciphertext: crate::melding::seal_bytes(b"hallo", &[id.to_public()]).unwrap(),
        }
    }

    fn ours() -> SigningPublicKey {
        crate::keys::SigningSecretKey::from_seed(&[7; 32]).public()
    }

    fn inbox(items: &[NewItem]) -> Vec<u8> {
        write(
            Vec::new(),
            BundleKind::Inbox,
            Some(&ours()),
            "2026-11-22",
            items,
        )
        .unwrap()
    }

    #[test]
    fn an_inbox_names_its_meldpunt_and_a_replies_bundle_does_not() {
        let items = vec![item(ItemKind::Melding)];
        let bytes = inbox(&items);
        let m = read(&bytes[..], u64::MAX).unwrap().manifest;
        assert_eq!(m.meldpunt, Some(ours().to_string()));
        assert!(m.is_from(&ours()));
        let other = crate::keys::SigningSecretKey::from_seed(&[8; 32]).public();
        assert!(!m.is_from(&other));
        // An inbox without it, or with something that is not a key, is not valid.
        assert!(write(Vec::new(), BundleKind::Inbox, None, "2026-11-22", &items).is_err());
        let mut bad = m.clone();
        bad.meldpunt = Some("meldpunt-ed25519:AAAA".into());
        assert!(bad.validate().is_err());
        bad.meldpunt = None;
        assert!(bad.validate().is_err());
        assert!(!bad.is_from(&ours()));
        // A replies bundle does not carry one.
        let mut replies = m.clone();
        replies.kind = BundleKind::Replies;
        replies.items.clear();
        assert!(replies.validate().is_err());
        replies.meldpunt = None;
        replies.validate().unwrap();
    }

    #[test]
    fn round_trip() {
        let items = vec![item(ItemKind::Melding), item(ItemKind::Vervolg)];
        let bytes = inbox(&items);
        let b = read(&bytes[..], u64::MAX).unwrap();
        assert_eq!(b.items.len(), 2);
        assert_eq!(b.items[0].1, items[0].ciphertext);
        assert_eq!(b.items[1].0.id, items[1].id);
    }

    #[test]
    fn stream_writer_checks_the_item_count() {
        let items = vec![item(ItemKind::Melding), item(ItemKind::Vervolg)];
        let whole = inbox(&items);
        let manifest = read(&whole[..], u64::MAX).unwrap().manifest;
        let mut w = StreamWriter::new(Vec::new(), &manifest).unwrap();
        w.append(&items[0].ciphertext[..]).unwrap();
        assert!(
            StreamWriter::new(Vec::new(), &manifest)
                .unwrap()
                .finish()
                .is_err()
        );
        w.append(&items[1].ciphertext[..]).unwrap();
        assert!(w.append(&b"extra"[..]).is_err());
        assert_eq!(w.finish().unwrap(), whole);
    }

    #[test]
    fn refuses_tampering() {
        let items = vec![item(ItemKind::Melding)];
        let bytes = inbox(&items);
        // Flip a byte inside the item's data (after the manifest's blocks).
        let mut t = bytes.clone();
        let pos = t
            .windows(21)
            .position(|w| w == b"age-encryption.org/v1")
            .unwrap();
        t[pos + 200] ^= 1;
        assert!(read(&t[..], u64::MAX).is_err());
        // Truncated.
        assert!(read(&bytes[..bytes.len() / 2], u64::MAX).is_err());
        // Too large.
        assert!(read(&bytes[..], 10).is_err());
        // Garbage.
        assert!(read(&b"not a tar"[..], u64::MAX).is_err());
        // Item in the wrong kind of bundle.
        assert!(write(Vec::new(), BundleKind::Replies, None, "2026-11-22", &items).is_err());
    }

    #[test]
    fn refuses_extra_and_missing_files() {
        let items = vec![item(ItemKind::Melding)];
        let good = inbox(&items);
        let b = read(&good[..], u64::MAX).unwrap();
        // Manifest only, item missing.
        let json = serde_json::to_vec(&b.manifest).unwrap();
        let mut tb = tar::Builder::new(Vec::new());
        tb.append_data(&mut tar_header(json.len() as u64), MANIFEST, &json[..])
            .unwrap();
        let only_manifest = tb.into_inner().unwrap();
        assert!(read(&only_manifest[..], u64::MAX).is_err());
        // An extra file.
        let mut tb = tar::Builder::new(Vec::new());
        tb.append_data(&mut tar_header(json.len() as u64), MANIFEST, &json[..])
            .unwrap();
        tb.append_data(
            &mut tar_header(items[0].ciphertext.len() as u64),
            items[0].id.clone() + ".age",
            &items[0].ciphertext[..],
        )
        .unwrap();
        tb.append_data(&mut tar_header(3), "../evil", &b"abc"[..])
            .unwrap_or(());
        tb.append_data(&mut tar_header(3), "notes.txt", &b"abc"[..])
            .unwrap();
        let extra = tb.into_inner().unwrap();
        assert!(read(&extra[..], u64::MAX).is_err());
    }
}
