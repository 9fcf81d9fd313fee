//! WebP: the image, alpha, animation and colour profile chunks stay; EXIF, XMP and
//! unknown chunks go, and the extended header's flags stop announcing them. The
//! orientation is not kept (WebP viewers mostly ignore it anyway).

use crate::{Metadata, Outcome, Reason, exif, xmp};
use img_parts::Bytes;
use img_parts::riff::RiffContent;
use img_parts::webp::WebP;
use std::collections::BTreeSet;

const KEEP: &[&[u8; 4]] = &[
    b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP",
];
/// The VP8X flag bits for "has EXIF" and "has XMP".
const FLAG_EXIF: u8 = 0b0000_1000;
const FLAG_XMP: u8 = 0b0000_0100;

pub fn clean(bytes: &[u8]) -> Result<Outcome, Reason> {
    let mut webp = WebP::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|_| Reason::Damaged)?;
    let mut found = BTreeSet::new();
    for chunk in webp.chunks() {
        let id = chunk.id();
        let data = chunk.content().data().map(|d| &d[..]).unwrap_or_default();
        match &id {
            k if KEEP.contains(&k) => {}
            b"EXIF" => exif::findings(data.strip_prefix(b"Exif\0\0").unwrap_or(data), &mut found),
            b"XMP " => xmp::findings(data, &mut found),
            _ => {
                found.insert(Metadata::Other);
            }
        }
    }
    let before = webp.chunks().len();
    webp.chunks_mut().retain(|c| KEEP.contains(&&c.id()));
    for chunk in webp.chunks_mut() {
        if chunk.id() != *b"VP8X" {
            continue;
        }
        if let RiffContent::Data(data) = chunk.content_mut()
            && data
                .first()
                .is_some_and(|f| f & (FLAG_EXIF | FLAG_XMP) != 0)
        {
            let mut header = data.to_vec();
            header[0] &= !(FLAG_EXIF | FLAG_XMP);
            *data = Bytes::from(header);
        }
    }
    let trailing = bytes.len() != webp.len() as usize + 8;
    if webp.chunks().len() == before && !trailing {
        return Ok(Outcome { bytes: None, found });
    }
    Ok(Outcome {
        bytes: Some(webp.encoder().bytes().to_vec()),
        found,
    })
}
