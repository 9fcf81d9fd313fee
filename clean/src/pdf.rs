//! PDF: the Info dictionary, every XMP metadata stream (the document's and those of
//! images and pages), application private data (`PieceInfo`), the file identifier,
//! and the author and date on annotations (comments) go. The file is written anew
//! from its current state, so earlier revisions kept by incremental saves go too.

use crate::{Metadata, Outcome, Reason, find, xmp};
use lopdf::{Document, Object, ObjectId};
use std::collections::BTreeSet;

/// How many bytes lopdf may scan in total while loading: it finds each object by
/// counting the lines before its offset, so loading costs about objects × size / 2.
/// This bounds it to some seconds; a bigger file with many objects is not checked
/// (on the laptop that also bounds what a crafted attachment can cost `show`).
const LOAD_BUDGET: u128 = 200_000_000_000;

pub fn clean(bytes: &[u8]) -> Result<Outcome, Reason> {
    let objects = memchr::memmem::find_iter(bytes, b" obj").count() as u128;
    if objects * bytes.len() as u128 / 2 > LOAD_BUDGET {
        return Err(Reason::TooLarge);
    }
    let mut doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(_) if find(bytes, b"/Encrypt").is_some() => return Err(Reason::Encrypted),
        Err(_) => return Err(Reason::Damaged),
    };
    if doc.is_encrypted() || doc.encryption_state.is_some() {
        return Err(Reason::Encrypted);
    }
    let mut found = BTreeSet::new();
    if let Some(info) = doc.trailer.remove(b"Info") {
        let dict = match &info {
            Object::Reference(id) => doc.objects.get(id).and_then(|o| o.as_dict().ok()),
            Object::Dictionary(d) => Some(d),
            _ => None,
        };
        for (key, value) in dict.into_iter().flatten() {
            if matches!(value, Object::String(s, _) if s.is_empty()) {
                continue;
            }
            found.insert(match key.as_slice() {
                b"Author" => Metadata::Author,
                b"Creator" | b"Producer" => Metadata::Software,
                b"CreationDate" | b"ModDate" => Metadata::Dates,
                b"Title" | b"Subject" | b"Keywords" => Metadata::Title,
                b"Trapped" => continue,
                _ => Metadata::CustomProperties,
            });
        }
    }
    if doc.trailer.remove(b"ID").is_some() {
        found.insert(Metadata::RevisionIds);
    }
    let mut metadata_streams: Vec<ObjectId> = Vec::new();
    for object in doc.objects.values_mut() {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        if let Some(Object::Reference(id)) = dict.remove(b"Metadata") {
            metadata_streams.push(id);
        }
        if dict.remove(b"PieceInfo").is_some() {
            found.insert(Metadata::Other);
        }
        if dict.remove(b"LastModified").is_some() {
            found.insert(Metadata::Dates);
        }
        // A comment's author (/T) and dates; form fields (/FT, widgets) use /T as
        // the field's name and keep it.
        let is_markup = dict.get(b"Subtype").is_ok_and(|s| {
            s.as_name()
                .is_ok_and(|n| n != b"Widget" && n != b"Link" && n != b"Popup")
        }) && !dict.has(b"FT")
            && dict
                .get(b"Type")
                .is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"Annot"));
        if is_markup {
            if dict.remove(b"T").is_some() {
                found.insert(Metadata::Author);
            }
            if dict.remove(b"M").is_some() | dict.remove(b"CreationDate").is_some() {
                found.insert(Metadata::Dates);
            }
        }
    }
    // Streams typed as metadata, referenced or not.
    for (id, object) in &doc.objects {
        if let Object::Stream(s) = object {
            if s.dict
                .get(b"Type")
                .is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"Metadata"))
            {
                metadata_streams.push(*id);
            }
        }
    }
    for id in metadata_streams {
        if let Some(Object::Stream(s)) = doc.objects.remove(&id) {
            let content = s.decompressed_content().unwrap_or(s.content);
            xmp::findings(&content, &mut found);
        }
    }
    // Earlier revisions (incremental saves) still hold what was changed since.
    let revisions = count(bytes, b"%%EOF");
    if revisions > 1 {
        found.insert(Metadata::Other);
    }
    let before = doc.objects.len();
    doc.prune_objects();
    if found.is_empty() && doc.objects.len() == before {
        return Ok(Outcome { bytes: None, found });
    }
    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out).map_err(|_| Reason::Damaged)?;
    Ok(Outcome {
        bytes: Some(out),
        found,
    })
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    let mut n = 0;
    let mut at = 0;
    while let Some(i) = find(&hay[at..], needle) {
        n += 1;
        at += i + needle.len();
    }
    n
}
