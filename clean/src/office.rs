//! Office Open XML (docx, xlsx, pptx) and OpenDocument (odt, ods, odp): zip archives of
//! XML parts. The property parts (`docProps/core.xml`, `app.xml`, `custom.xml`;
//! `meta.xml`) are replaced by empty ones, Word's revision ids (`w:rsid…`) go, the
//! names and dates on comments and tracked changes are blanked, and the pictures
//! inside are cleaned like any photo. The archive is written anew (deflate or stored,
//! as each part was) with every timestamp at the zip epoch and no extra fields.
//! Any other zip is not checked: it could hold anything.

use crate::{Metadata, Outcome, Reason, find};
use std::collections::BTreeSet;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// What an archive may unpack to in total: far above any real document a melder sends
/// (the page's limit is 100 MiB), low enough that a zip bomb is refused, not unpacked.
const MAX_UNPACKED: u64 = 1 << 30;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ooxml,
    OpenDocument,
}

const EMPTY_CORE: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>"#;
const EMPTY_APP: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>"#;
const EMPTY_CUSTOM: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>"#;
const EMPTY_META: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:meta/></office:document-meta>"#;

pub fn clean(bytes: &[u8]) -> Result<Outcome, Reason> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| Reason::Damaged)?;
    let kind = if archive.index_for_name("[Content_Types].xml").is_some() {
        Kind::Ooxml
    } else if archive.index_for_name("mimetype").is_some() {
        Kind::OpenDocument
    } else {
        return Err(Reason::UnknownFormat);
    };
    let mut found = BTreeSet::new();
    if !archive.comment().is_empty() {
        found.insert(Metadata::Comments);
    }
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|_| Reason::Damaged)?;
        if file.encrypted() {
            return Err(Reason::Encrypted);
        }
        let stamped = file
            .last_modified()
            .is_some_and(|t| t != DateTime::default());
        if stamped || file.extra_data().is_some_and(|e| !e.is_empty()) {
            found.insert(Metadata::Dates);
        }
        if !file.comment().is_empty() {
            found.insert(Metadata::Comments);
        }
        let name = file.name().to_string();
        let method = match file.compression() {
            CompressionMethod::Stored => CompressionMethod::Stored,
            _ => CompressionMethod::Deflated,
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(DateTime::default());
        if file.is_dir() {
            out.add_directory(name, options)
                .map_err(|_| Reason::Damaged)?;
            continue;
        }
        let left = MAX_UNPACKED - unpacked;
        if file.size() > left {
            return Err(Reason::TooLarge);
        }
        let mut data = Vec::with_capacity(file.size() as usize);
        (&mut file)
            .take(left + 1)
            .read_to_end(&mut data)
            .map_err(|_| Reason::Damaged)?;
        unpacked += data.len() as u64;
        if unpacked > MAX_UNPACKED {
            return Err(Reason::TooLarge);
        }
        drop(file);
        let data = part(kind, &name, data, &mut found);
        out.start_file(name, options).map_err(|_| Reason::Damaged)?;
        out.write_all(&data).map_err(|_| Reason::Damaged)?;
    }
    if found.is_empty() {
        return Ok(Outcome { bytes: None, found });
    }
    let written = out.finish().map_err(|_| Reason::Damaged)?.into_inner();
    Ok(Outcome {
        bytes: Some(written),
        found,
    })
}

/// One part of the archive, cleaned.
fn part(kind: Kind, name: &str, data: Vec<u8>, found: &mut BTreeSet<Metadata>) -> Vec<u8> {
    let lower = name.to_ascii_lowercase();
    let replace = |data: Vec<u8>,
                   empty: &[u8],
                   found: &mut BTreeSet<Metadata>,
                   what: &[(&[u8], Metadata)]| {
        for (element, kind) in what {
            if has_text(&data, element) {
                found.insert(*kind);
            }
        }
        empty.to_vec()
    };
    match (kind, lower.as_str()) {
        (Kind::Ooxml, "docprops/core.xml") => replace(data, EMPTY_CORE, found, CORE),
        (Kind::Ooxml, "docprops/app.xml") => replace(data, EMPTY_APP, found, APP),
        (Kind::Ooxml, "docprops/custom.xml") => {
            if find(&data, b"<property").is_some() {
                found.insert(Metadata::CustomProperties);
            }
            EMPTY_CUSTOM.to_vec()
        }
        (Kind::OpenDocument, "meta.xml") => replace(data, EMPTY_META, found, META),
        (_, n) if n.ends_with(".xml") => xml_part(kind, n, data, found),
        (_, n) if is_picture(n) => {
            let cleaned = crate::clean(name, "", &data);
            if cleaned.could_not_check.is_none() {
                found.extend(cleaned.removed);
                cleaned.bytes.into_owned()
            } else {
                data
            }
        }
        _ => data,
    }
}

fn is_picture(name: &str) -> bool {
    [".jpg", ".jpeg", ".png", ".webp"]
        .iter()
        .any(|e| name.ends_with(e))
}

const CORE: &[(&[u8], Metadata)] = &[
    (b"dc:creator", Metadata::Author),
    (b"cp:lastModifiedBy", Metadata::Author),
    (b"dcterms:created", Metadata::Dates),
    (b"dcterms:modified", Metadata::Dates),
    (b"cp:lastPrinted", Metadata::Dates),
    (b"cp:revision", Metadata::RevisionIds),
    (b"dc:title", Metadata::Title),
    (b"dc:subject", Metadata::Title),
    (b"cp:keywords", Metadata::Title),
    (b"cp:category", Metadata::Title),
    (b"dc:description", Metadata::Comments),
    (b"cp:contentStatus", Metadata::Other),
    (b"dc:identifier", Metadata::RevisionIds),
];
const APP: &[(&[u8], Metadata)] = &[
    (b"Company", Metadata::Organisation),
    (b"Manager", Metadata::Author),
    (b"Application", Metadata::Software),
    (b"AppVersion", Metadata::Software),
    (b"Template", Metadata::Other),
    (b"TotalTime", Metadata::Other),
    (b"HyperlinkBase", Metadata::Other),
];
const META: &[(&[u8], Metadata)] = &[
    (b"meta:initial-creator", Metadata::Author),
    (b"dc:creator", Metadata::Author),
    (b"meta:printed-by", Metadata::Author),
    (b"meta:creation-date", Metadata::Dates),
    (b"dc:date", Metadata::Dates),
    (b"meta:print-date", Metadata::Dates),
    (b"meta:generator", Metadata::Software),
    (b"meta:editing-cycles", Metadata::RevisionIds),
    (b"meta:editing-duration", Metadata::Other),
    (b"meta:user-defined", Metadata::CustomProperties),
    (b"meta:template", Metadata::Other),
    (b"dc:title", Metadata::Title),
    (b"dc:subject", Metadata::Title),
    (b"meta:keyword", Metadata::Title),
    (b"dc:description", Metadata::Comments),
];

/// Whether `<element …>` occurs with some text or children before its end.
fn has_text(xml: &[u8], element: &[u8]) -> bool {
    let mut at = 0;
    while let Some(i) = find(&xml[at..], element) {
        let start = at + i;
        at = start + element.len();
        if start == 0 || xml[start - 1] != b'<' {
            continue;
        }
        let Some(close) = xml[at..].iter().position(|&b| b == b'>') else {
            return false;
        };
        let tag_end = at + close;
        if xml[tag_end - 1] == b'/' {
            continue;
        }
        if xml.get(tag_end + 1).is_some_and(|&b| b != b'<') {
            return true;
        }
        // Children (meta:user-defined holds text; Company may be empty).
        if xml.get(tag_end + 1..tag_end + 3) != Some(b"</") {
            return true;
        }
    }
    false
}

/// What happens to one attribute of a document part.
enum Attr {
    Keep,
    Drop(Metadata),
    Blank(Metadata),
}

fn attribute(kind: Kind, name: &[u8]) -> Attr {
    match (kind, name) {
        (Kind::Ooxml, n) if n.starts_with(b"w:rsid") => Attr::Drop(Metadata::RevisionIds),
        (
            Kind::Ooxml,
            b"w:author" | b"w15:author" | b"w:initials" | b"w15:userId" | b"w15:providerId",
        ) => Attr::Blank(Metadata::Author),
        (Kind::Ooxml, b"w:date" | b"w16du:dateUtc") => Attr::Drop(Metadata::Dates),
        (Kind::Ooxml, b"displayName" | b"userId" | b"providerId") => Attr::Blank(Metadata::Author),
        _ => Attr::Keep,
    }
}

/// A document part: revision ids and comment authors out, element by element.
fn xml_part(kind: Kind, name: &str, data: Vec<u8>, found: &mut BTreeSet<Metadata>) -> Vec<u8> {
    let mut data = data;
    if kind == Kind::Ooxml
        && name == "word/settings.xml"
        && let Some(cut) = span(&data, b"<w:rsids>", b"</w:rsids>")
    {
        data.drain(cut);
        found.insert(Metadata::RevisionIds);
    }
    let elements: &[&[u8]] = match (kind, name) {
        (Kind::Ooxml, n) if n.starts_with("xl/comments") => &[b"author"],
        (Kind::OpenDocument, _) => &[b"dc:creator", b"dc:date"],
        _ => &[],
    };
    for element in elements {
        if blank_elements(&mut data, element) {
            found.insert(if *element == b"dc:date" {
                Metadata::Dates
            } else {
                Metadata::Author
            });
        }
    }
    if kind == Kind::Ooxml && name == "ppt/commentauthors.xml" {
        let (out, changed) = rewrite_attributes(&data, |n| match n {
            b"name" | b"initials" => Attr::Blank(Metadata::Author),
            _ => Attr::Keep,
        });
        found.extend(changed);
        return out;
    }
    let (out, changed) = rewrite_attributes(&data, |n| attribute(kind, n));
    found.extend(changed);
    out
}

/// The byte range from `open` through `close`.
fn span(data: &[u8], open: &[u8], close: &[u8]) -> Option<std::ops::Range<usize>> {
    let start = find(data, open)?;
    let end = start + find(&data[start..], close)? + close.len();
    Some(start..end)
}

/// Empties the text of every `<element>…</element>`; true when some text went.
fn blank_elements(data: &mut Vec<u8>, element: &[u8]) -> bool {
    let open = [b"<", element, b">"].concat();
    let close = [b"</", element, b">"].concat();
    let mut changed = false;
    let mut at = 0;
    while let Some(i) = find(&data[at..], &open) {
        let start = at + i + open.len();
        let Some(len) = find(&data[start..], &close) else {
            break;
        };
        if len > 0 {
            data.drain(start..start + len);
            changed = true;
        }
        at = start + close.len();
    }
    changed
}

/// Walks the tags of an XML part and keeps, drops or blanks each attribute as `rule`
/// says. Text, comments and CDATA are copied as they are.
fn rewrite_attributes(data: &[u8], rule: impl Fn(&[u8]) -> Attr) -> (Vec<u8>, BTreeSet<Metadata>) {
    let mut out = Vec::with_capacity(data.len());
    let mut changed = BTreeSet::new();
    let mut i = 0;
    while i < data.len() {
        let Some(lt) = data[i..].iter().position(|&b| b == b'<') else {
            out.extend_from_slice(&data[i..]);
            break;
        };
        out.extend_from_slice(&data[i..i + lt]);
        i += lt;
        // Comments, CDATA, processing instructions and declarations: copied whole.
        if matches!(data.get(i + 1), Some(b'!' | b'?' | b'/')) {
            let end = data[i..]
                .iter()
                .position(|&b| b == b'>')
                .map_or(data.len(), |e| i + e + 1);
            out.extend_from_slice(&data[i..end]);
            i = end;
            continue;
        }
        // The element name.
        let name_end = data[i + 1..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
            .map_or(data.len(), |e| i + 1 + e);
        out.extend_from_slice(&data[i..name_end]);
        i = name_end;
        // Attributes: whitespace, name, '=', quoted value.
        loop {
            let ws = data[i..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            let attr_start = i;
            i += ws;
            let Some(&b) = data.get(i) else { break };
            if b == b'>' || b == b'/' {
                out.extend_from_slice(&data[attr_start..i]);
                break;
            }
            let Some(eq) = data[i..].iter().position(|&b| b == b'=') else {
                out.extend_from_slice(&data[attr_start..]);
                i = data.len();
                break;
            };
            let name = &data[i..i + eq];
            let quote_at = i + eq + 1;
            let Some(&quote) = data.get(quote_at) else {
                out.extend_from_slice(&data[attr_start..]);
                i = data.len();
                break;
            };
            if quote != b'"' && quote != b'\'' {
                out.extend_from_slice(&data[attr_start..quote_at]);
                i = quote_at;
                continue;
            }
            let value_start = quote_at + 1;
            let Some(len) = data[value_start..].iter().position(|&b| b == quote) else {
                out.extend_from_slice(&data[attr_start..]);
                i = data.len();
                break;
            };
            let value_end = value_start + len;
            match rule(name) {
                Attr::Keep => out.extend_from_slice(&data[attr_start..=value_end]),
                Attr::Drop(what) => {
                    changed.insert(what);
                }
                Attr::Blank(what) => {
                    if len > 0 {
                        changed.insert(what);
                    }
                    out.extend_from_slice(&data[attr_start..value_start]);
                    out.push(quote);
                }
            }
            i = value_end + 1;
        }
        // The rest of the tag ('/', '>').
        if let Some(gt) = data[i..].iter().position(|&b| b == b'>') {
            out.extend_from_slice(&data[i..=i + gt]);
            i += gt + 1;
        } else {
            out.extend_from_slice(&data[i..]);
            i = data.len();
        }
    }
    (out, changed)
}
