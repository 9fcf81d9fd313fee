//! PNG: the chunks a viewer needs for the right picture stay (image data, palette,
//! transparency, colour, animation); text chunks, EXIF (`eXIf`), the modification
//! time (`tIME`) and every chunk not on that list go.

use crate::{Metadata, Outcome, Reason, exif, xmp};
use img_parts::Bytes;
use img_parts::png::Png;
use std::collections::BTreeSet;

const KEEP: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"bKGD", b"pHYs", b"hIST", b"sPLT", b"acTL", b"fcTL", b"fdAT", b"cICP", b"mDCv", b"cLLi",
];

pub fn clean(bytes: &[u8]) -> Result<Outcome, Reason> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|_| Reason::Damaged)?;
    if png.chunks().last().map(|c| c.kind()) != Some(*b"IEND") {
        return Err(Reason::Damaged);
    }
    let mut found = BTreeSet::new();
    for chunk in png.chunks() {
        let kind = chunk.kind();
        let body = chunk.contents();
        match &kind {
            k if KEEP.contains(&k) => {}
            b"tEXt" | b"zTXt" | b"iTXt" => text(&kind, body, &mut found),
            b"eXIf" => exif::findings(body, &mut found),
            b"tIME" => {
                found.insert(Metadata::Dates);
            }
            _ => {
                found.insert(Metadata::Other);
            }
        }
    }
    let before = png.chunks().len();
    png.chunks_mut().retain(|c| KEEP.contains(&&c.kind()));
    let trailing = bytes.len() != png.len();
    if png.chunks().len() == before && !trailing {
        return Ok(Outcome { bytes: None, found });
    }
    if trailing {
        found.insert(Metadata::Other);
    }
    Ok(Outcome {
        bytes: Some(png.encoder().bytes().to_vec()),
        found,
    })
}

/// A text chunk's keyword says what it holds; XMP travels in an iTXt chunk.
fn text(kind: &[u8; 4], body: &[u8], found: &mut BTreeSet<Metadata>) {
    let keyword = body.split(|&b| b == 0).next().unwrap_or_default();
    let what = match keyword {
        b"Author" | b"Copyright" | b"Artist" => Metadata::Author,
        b"Software" => Metadata::Software,
        b"Creation Time" | b"date:create" | b"date:modify" | b"date:timestamp" => Metadata::Dates,
        b"Comment" | b"Description" | b"Disclaimer" | b"Warning" => Metadata::Comments,
        b"Title" => Metadata::Title,
        b"Source" => Metadata::Camera,
        b"XML:com.adobe.xmp" if kind == b"iTXt" => {
            xmp::findings(body, found);
            return;
        }
        _ => Metadata::Other,
    };
    found.insert(what);
}
