//! Reading an EXIF (TIFF) block far enough to say what it holds, and the one tag
//! worth keeping: the orientation, without which a portrait photo shows on its side.

use crate::Metadata;
use std::collections::BTreeSet;

const ORIENTATION: u16 = 0x0112;
const EXIF_IFD: u16 = 0x8769;
const GPS_IFD: u16 = 0x8825;
const INTEROP_IFD: u16 = 0xA005;

/// At most this many IFDs are followed: a loop of offsets ends here.
const MAX_IFDS: usize = 16;

/// One IFD entry: tag, type, count, and where its value (or value offset) field sits.
type Entry = (u16, u16, u32, usize);

struct Tiff<'a> {
    data: &'a [u8],
    little: bool,
}

impl Tiff<'_> {
    fn parse(data: &[u8]) -> Option<Tiff<'_>> {
        let little = match data.get(..4)? {
            [b'I', b'I', 42, 0] => true,
            [b'M', b'M', 0, 42] => false,
            _ => return None,
        };
        Some(Tiff { data, little })
    }

    fn u16_at(&self, at: usize) -> Option<u16> {
        let b: [u8; 2] = self.data.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if self.little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.data.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    /// The entries of the IFD at `offset` as (tag, type, count, value offset field
    /// position), and the offset of the next IFD (0: none).
    fn ifd(&self, offset: usize) -> Option<(Vec<Entry>, usize)> {
        let n = usize::from(self.u16_at(offset)?);
        let mut entries = Vec::with_capacity(n);
        for i in 0..n {
            let at = offset + 2 + i * 12;
            entries.push((
                self.u16_at(at)?,
                self.u16_at(at + 2)?,
                self.u32_at(at + 4)?,
                at + 8,
            ));
        }
        let next = self.u32_at(offset + 2 + n * 12).unwrap_or(0) as usize;
        Some((entries, next))
    }
}

/// What a tag (in IFD0, the EXIF IFD or IFD1) tells about the maker.
fn kind(tag: u16) -> Metadata {
    match tag {
        0x010F | 0x0110 | 0xA433 | 0xA434 => Metadata::Camera,
        0xA431 | 0xA435 | 0xA430 => Metadata::CameraSerial,
        0x013B | 0x9C9D | 0x8298 => Metadata::Author,
        0x0131 | 0x000B => Metadata::Software,
        0x0132 | 0x9003 | 0x9004 | 0x9010 | 0x9011 | 0x9012 | 0x9290 | 0x9291 | 0x9292 => {
            Metadata::Dates
        }
        0x010E | 0x9286 | 0x9C9C | 0x9C9B | 0x9C9E | 0x9C9F => Metadata::Comments,
        0xA420 => Metadata::RevisionIds,
        _ => Metadata::Other,
    }
}

/// Tags that say nothing about the maker (sizes, exposure, colour): their presence
/// alone is not worth telling the reporter about.
fn is_technical(tag: u16) -> bool {
    matches!(
        tag,
        0x0100..=0x0106 | 0x0111..=0x0119 | 0x011A..=0x0128 | 0x0211..=0x0214
            | 0x829A | 0x829D | 0x8822 | 0x8827 | 0x8830..=0x8835 | 0x9000 | 0x9101 | 0x9102
            | 0x9201..=0x920A | 0x9214 | 0xA000..=0xA004 | 0xA005 | 0xA20E..=0xA217
            | 0xA300..=0xA302 | 0xA401..=0xA40C | 0xA432 | 0x8769 | 0x8825
            | 0x0201 | 0x0202
    )
}

/// Adds what the EXIF block `tiff` (from "II*\0"/"MM\0*" on) holds to `found`.
pub fn findings(tiff: &[u8], found: &mut BTreeSet<Metadata>) {
    let Some(t) = Tiff::parse(tiff) else {
        found.insert(Metadata::Other);
        return;
    };
    let mut queue = vec![(t.u32_at(4).unwrap_or(0) as usize, 0usize)];
    let mut seen = 0;
    while let Some((offset, depth)) = queue.pop() {
        if offset == 0 || seen >= MAX_IFDS {
            continue;
        }
        seen += 1;
        let Some((entries, next)) = t.ifd(offset) else {
            found.insert(Metadata::Other);
            continue;
        };
        for (tag, _ty, _count, value) in entries {
            match tag {
                GPS_IFD => {
                    found.insert(Metadata::Location);
                }
                EXIF_IFD | INTEROP_IFD => {
                    queue.push((t.u32_at(value).unwrap_or(0) as usize, depth + 1));
                }
                // The maker note: a camera maker's own block (serial numbers, often).
                0x927C => {
                    found.insert(Metadata::Other);
                    found.insert(Metadata::CameraSerial);
                }
                _ if is_technical(tag) => {}
                _ => {
                    found.insert(kind(tag));
                }
            }
        }
        // IFD0's successor is IFD1, the thumbnail.
        if depth == 0 && next != 0 {
            found.insert(Metadata::Thumbnail);
        }
    }
}

/// The orientation tag of IFD0, if set to something other than "as stored".
pub fn orientation(tiff: &[u8]) -> Option<u16> {
    let t = Tiff::parse(tiff)?;
    let (entries, _) = t.ifd(t.u32_at(4)? as usize)?;
    let (_, _, _, value) = entries.into_iter().find(|e| e.0 == ORIENTATION)?;
    let o = t.u16_at(value)?;
    (2..=8).contains(&o).then_some(o)
}

/// A TIFF block holding nothing but the orientation.
pub fn only_orientation(o: u16) -> Vec<u8> {
    let mut v = Vec::with_capacity(26);
    v.extend_from_slice(b"MM\0\x2a");
    v.extend_from_slice(&8u32.to_be_bytes());
    v.extend_from_slice(&1u16.to_be_bytes());
    v.extend_from_slice(&ORIENTATION.to_be_bytes());
    v.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    v.extend_from_slice(&1u32.to_be_bytes());
    v.extend_from_slice(&o.to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&0u32.to_be_bytes());
    v
}
