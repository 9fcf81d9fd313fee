//! PDF: the Info dictionary, every XMP metadata stream (the document's and those of
//! images and pages), application private data (`PieceInfo`), the file identifier,
//! and the author and date on annotations (comments) go. The file is written anew
//! from its current state, so earlier revisions kept by incremental saves go too.

use crate::{Metadata, Outcome, Reason, find, pdf_bound, xmp};
use lopdf::{DecompressError, Document, Error, LoadOptions, Object, ObjectId};
use std::collections::BTreeSet;

/// How many objects a PDF may hold to be checked. lopdf 0.47 reads each object once, from
/// a slice starting at its offset, so loading costs about one pass over the bytes plus a
/// little per object (natively 0.3 s for a million tiny objects, two to four times that
/// in the page); this bounds that part and the memory the objects take. A long report
/// holds some tens of thousands. What lopdf parses and inflates in all is bounded
/// before it starts by [`pdf_bound::check`] (many entries naming one large object,
/// streams running over the objects after them, many small decompression bombs).
const MAX_OBJECTS: usize = 1_000_000;

/// How far one stream may inflate: the object and cross-reference streams lopdf unpacks
/// while loading (PDF 1.5+), and each XMP stream read here. Real ones hold a few hundred
/// kilobytes at most; a small crafted stream that would inflate past this (a
/// decompression bomb) makes the file "too large or too complex to check".
const MAX_INFLATED: usize = 16 << 20;

pub fn clean(bytes: &[u8]) -> Result<Outcome, Reason> {
    // Every object outside an object stream starts with `N G obj` (and most end with
    // `endobj`): the keyword cannot be escaped, so this bounds what lopdf can find
    // before it starts. Objects inside object streams are counted once loaded.
    if memchr::memmem::find_iter(bytes, b"obj").count() > 2 * MAX_OBJECTS {
        return Err(Reason::TooLarge);
    }
    // Left of the work budget for the XMP streams inflated below.
    let mut left = pdf_bound::check(bytes, MAX_INFLATED).map_err(|_| Reason::TooLarge)?;
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_INFLATED),
        ..LoadOptions::default()
    };
    let mut doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(e) if is_too_large(&e) => return Err(Reason::TooLarge),
        Err(_) if find(bytes, b"/Encrypt").is_some() => return Err(Reason::Encrypted),
        Err(_) => return Err(Reason::Damaged),
    };
    if doc.objects.len() > MAX_OBJECTS {
        return Err(Reason::TooLarge);
    }
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
        if let Object::Stream(s) = object
            && s.dict.has_type(b"Metadata")
        {
            metadata_streams.push(*id);
        }
    }
    for id in metadata_streams {
        if let Some(Object::Stream(s)) = doc.objects.remove(&id) {
            let limit = usize::try_from(left)
                .unwrap_or(usize::MAX)
                .min(MAX_INFLATED);
            let content = match s.decompressed_content_with_limit(limit) {
                Ok(content) => {
                    left = left.saturating_sub(content.len() as u64);
                    content
                }
                Err(e) if is_too_large(&e) => return Err(Reason::TooLarge),
                Err(_) => s.content,
            };
            xmp::findings(&content, &mut found);
        }
    }
    // Earlier revisions (incremental saves) still hold what was changed since.
    let revisions = count(bytes, b"%%EOF");
    if revisions > 1 {
        found.insert(Metadata::Other);
    }
    // Cross-reference and object streams (PDF 1.5+) are the file's structure, which the
    // writer makes anew: left in, pruning would drop them and every cleaning of a
    // cleaned file would write it again.
    doc.objects.retain(|_, o| {
        !o.as_stream()
            .is_ok_and(|s| s.dict.has_type(b"XRef") || s.dict.has_type(b"ObjStm"))
    });
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

/// lopdf refused a stream that would inflate past [`MAX_INFLATED`] (or through more
/// filters than it decodes).
fn is_too_large(e: &Error) -> bool {
    matches!(
        e,
        Error::Decompress(
            DecompressError::MemoryLimitExceeded { .. } | DecompressError::TooManyFilters { .. }
        )
    )
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
