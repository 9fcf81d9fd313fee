//! JPEG: every APPn and COM segment goes except the three a decoder needs for the
//! right picture (JFIF, the ICC colour profile, Adobe's colour transform); what EXIF
//! held is read first to say what left, and its orientation is put back on its own.
//! Anything after the end-of-image marker (a second, preview picture with its own
//! EXIF, a maker's trailer) goes too. The compressed image data is copied as is.

use crate::{Metadata, Outcome, Reason, exif, xmp};
use std::collections::BTreeSet;

const EXIF_PREFIX: &[u8] = b"Exif\0\0";
const XMP_PREFIX: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXT_PREFIX: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";

pub fn clean(bytes: &[u8]) -> Result<Outcome, Reason> {
    let mut found = BTreeSet::new();
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    // Where the orientation-only EXIF block goes: after SOI, or after a JFIF APP0.
    let mut orientation_at = out.len();
    let mut orientation = None;
    let mut pos = 2;
    let mut changed = false;
    loop {
        // Fill bytes (0xFF) may come before a marker.
        if bytes.get(pos) != Some(&0xFF) {
            return Err(Reason::Damaged);
        }
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *bytes.get(pos).ok_or(Reason::Damaged)?;
        pos += 1;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                if bytes[pos..].iter().any(|&b| b != 0) {
                    found.insert(Metadata::Other);
                }
                changed |= pos != bytes.len();
                break;
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                continue;
            }
            0xD8 | 0x00 => return Err(Reason::Damaged),
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes(
            bytes
                .get(pos..pos + 2)
                .ok_or(Reason::Damaged)?
                .try_into()
                .map_err(|_| Reason::Damaged)?,
        ));
        if len < 2 {
            return Err(Reason::Damaged);
        }
        let body = bytes.get(pos + 2..pos + len).ok_or(Reason::Damaged)?;
        let segment = &bytes[pos - 2..pos + len];
        pos += len;
        let keep = match marker {
            0xE0 if body.starts_with(b"JFIF\0") => {
                out.extend_from_slice(segment);
                if orientation_at == 2 {
                    orientation_at = out.len();
                }
                continue;
            }
            0xE0 if body.starts_with(b"JFXX\0") => {
                found.insert(Metadata::Thumbnail);
                false
            }
            0xE1 if body.starts_with(EXIF_PREFIX) => {
                let tiff = &body[EXIF_PREFIX.len()..];
                exif::findings(tiff, &mut found);
                orientation = orientation.or_else(|| exif::orientation(tiff));
                false
            }
            0xE1 if body.starts_with(XMP_PREFIX) || body.starts_with(XMP_EXT_PREFIX) => {
                xmp::findings(body, &mut found);
                false
            }
            0xE2 if body.starts_with(b"ICC_PROFILE\0") => true,
            0xE2 if body.starts_with(b"MPF\0") => {
                found.insert(Metadata::Thumbnail);
                false
            }
            0xED => {
                iptc(body, &mut found);
                false
            }
            0xEE if body.starts_with(b"Adobe") => true,
            0xE0..=0xEF => {
                found.insert(Metadata::Other);
                false
            }
            0xFE => {
                found.insert(Metadata::Comments);
                false
            }
            _ => true,
        };
        if !keep {
            changed = true;
            continue;
        }
        out.extend_from_slice(segment);
        if marker == 0xDA {
            // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00,
            // a restart marker or fill.
            let start = pos;
            loop {
                let ff = memchr::memchr(0xFF, &bytes[pos..]).ok_or(Reason::Damaged)?;
                pos += ff;
                let next = *bytes.get(pos + 1).ok_or(Reason::Damaged)?;
                if next == 0x00 || (0xD0..=0xD7).contains(&next) {
                    pos += 2;
                } else if next == 0xFF {
                    pos += 1;
                } else {
                    break;
                }
            }
            out.extend_from_slice(&bytes[start..pos]);
        }
    }
    if let Some(o) = orientation {
        let tiff = exif::only_orientation(o);
        let mut segment = vec![0xFF, 0xE1];
        let len = (2 + EXIF_PREFIX.len() + tiff.len()) as u16;
        segment.extend_from_slice(&len.to_be_bytes());
        segment.extend_from_slice(EXIF_PREFIX);
        segment.extend_from_slice(&tiff);
        out.splice(orientation_at..orientation_at, segment);
    }
    // An orientation-only block put back in place of itself is no change.
    let unchanged = out == bytes;
    Ok(Outcome {
        bytes: (changed && !unchanged).then_some(out),
        found,
    })
}

/// Photoshop's APP13: IPTC datasets (record 2) say who, where and when.
fn iptc(body: &[u8], found: &mut BTreeSet<Metadata>) {
    let before = found.len();
    for w in body.windows(3) {
        if w[0] != 0x1C || w[1] != 0x02 {
            continue;
        }
        let kind = match w[2] {
            80 | 85 | 110 | 115 | 116 | 122 => Metadata::Author,
            26 | 27 | 90 | 92 | 95 | 100 | 101 => Metadata::Location,
            30 | 35 | 55 | 60 | 62 | 63 => Metadata::Dates,
            65 | 70 => Metadata::Software,
            120 => Metadata::Comments,
            5 | 15 | 20 | 25 | 105 => Metadata::Title,
            _ => continue,
        };
        found.insert(kind);
    }
    if find_thumbnail_resource(body) {
        found.insert(Metadata::Thumbnail);
    }
    if found.len() == before {
        found.insert(Metadata::Other);
    }
}

fn find_thumbnail_resource(body: &[u8]) -> bool {
    body.windows(6)
        .any(|w| &w[..4] == b"8BIM" && (w[4..6] == [0x04, 0x0C] || w[4..6] == [0x04, 0x09]))
}
