//! Metadata removal for the files a melder attaches, before they are sealed.
//!
//! [`clean`] takes a file's name, media type and bytes and returns the bytes without
//! the data that could betray who made the file or where (a photo's GPS position and
//! camera serial number, a document's author, last editor and revision ids), plus a
//! language-free list of what it removed. [`inspect`] lists what is in a file without
//! changing it, for the coördinator's laptop. No I/O: it builds for `wasm32` and runs in
//! the reporter's browser, so the cleaned file is the only one that leaves their machine.
//!
//! The format is told by the bytes, never by the name: a renamed photo is still
//! cleaned. A file this crate cannot read is returned unchanged with a [`Reason`], so
//! the page can say so and advise.

mod exif;
mod jpeg;
mod office;
mod pdf;
mod pdf_bound;
mod png;
mod webp;
mod xmp;

use std::borrow::Cow;
use std::collections::BTreeSet;

/// A kind of metadata, named by what it tells about the maker, not by the format it
/// sits in. Each face (page, laptop) has its own words for each.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metadata {
    /// Where the file was made: GPS coordinates, place names.
    Location,
    /// The make and model of the camera or phone (and lens).
    Camera,
    /// Serial numbers of the camera body or lens, the owner's name stored in the camera.
    CameraSerial,
    /// A person's name: author, creator, artist, last editor, comment author.
    Author,
    /// The company or organisation the software is registered to.
    Organisation,
    /// The program (and version) that made or edited the file.
    Software,
    /// When the file was made, edited or printed.
    Dates,
    /// Comments, descriptions, captions.
    Comments,
    /// Title, subject, keywords, category.
    Title,
    /// A small copy of the image kept beside it (it can show what was cropped away).
    Thumbnail,
    /// Revision ids and edit counters that link versions of a document.
    RevisionIds,
    /// Properties a user or organisation added to a document (custom properties).
    CustomProperties,
    /// Other hidden data: maker notes, unknown blocks, data after the end of the image.
    Other,
}

/// What [`clean`] removed (in a stable order, each kind once).
pub type Removed = Metadata;
/// What [`inspect`] found.
pub type Finding = Metadata;

impl Metadata {
    /// Every kind, in the order the faces list them.
    pub const ALL: [Metadata; 13] = [
        Metadata::Location,
        Metadata::Camera,
        Metadata::CameraSerial,
        Metadata::Author,
        Metadata::Organisation,
        Metadata::Software,
        Metadata::Dates,
        Metadata::Comments,
        Metadata::Title,
        Metadata::Thumbnail,
        Metadata::RevisionIds,
        Metadata::CustomProperties,
        Metadata::Other,
    ];

    /// A stable code for the page and the catalogues (`location`, `camera`, …).
    pub fn code(self) -> &'static str {
        match self {
            Metadata::Location => "location",
            Metadata::Camera => "camera",
            Metadata::CameraSerial => "camera_serial",
            Metadata::Author => "author",
            Metadata::Organisation => "organisation",
            Metadata::Software => "software",
            Metadata::Dates => "dates",
            Metadata::Comments => "comments",
            Metadata::Title => "title",
            Metadata::Thumbnail => "thumbnail",
            Metadata::RevisionIds => "revision_ids",
            Metadata::CustomProperties => "custom_properties",
            Metadata::Other => "other",
        }
    }
}

/// Why a file was not checked (and is returned unchanged).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// A format this crate does not read (video, audio, archives, …).
    UnknownFormat,
    /// A HEIC/HEIF photo (iPhone): its metadata cannot be removed here.
    Heic,
    /// The file claims a known format but does not parse.
    Damaged,
    /// A password-protected PDF or document: its metadata cannot be reached.
    Encrypted,
    /// Too large or too complex to check in reasonable time: an archive that would
    /// unpack to far more than it weighs, a large PDF of very many objects.
    TooLarge,
}

impl Reason {
    /// Every reason, for catalogues that must name each.
    pub const ALL: [Reason; 5] = [
        Reason::UnknownFormat,
        Reason::Heic,
        Reason::Damaged,
        Reason::Encrypted,
        Reason::TooLarge,
    ];

    /// A stable code for the page and the catalogues.
    pub fn code(self) -> &'static str {
        match self {
            Reason::UnknownFormat => "unknown_format",
            Reason::Heic => "heic",
            Reason::Damaged => "damaged",
            Reason::Encrypted => "encrypted",
            Reason::TooLarge => "too_large",
        }
    }
}

/// The result of [`clean`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned<'a> {
    /// The cleaned file; the input itself, not a copy, when `could_not_check` is set or
    /// nothing was found (a 100 MiB video costs the browser no second 100 MiB).
    pub bytes: Cow<'a, [u8]>,
    /// What was removed, each kind once, in [`Metadata::ALL`] order.
    pub removed: Vec<Removed>,
    /// Set when the file could not be checked; `bytes` is then the input.
    pub could_not_check: Option<Reason>,
}

/// The result of [`inspect`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// What is in the file, each kind once, in [`Metadata::ALL`] order.
    pub found: Vec<Finding>,
    /// Set when the file could not be read fully; `found` then holds only what a
    /// plain scan of the bytes shows.
    pub could_not_check: Option<Reason>,
}

/// The formats told apart by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Jpeg,
    Png,
    Webp,
    Heic,
    Pdf,
    Zip,
    Text,
    Unknown,
}

fn detect(name: &str, mime: &str, bytes: &[u8]) -> Format {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Format::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Format::Png
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Format::Webp
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && is_heif_brand(&bytes[8..12]) {
        Format::Heic
    } else if bytes.starts_with(b"%PDF-") {
        Format::Pdf
    } else if bytes.starts_with(b"PK\x03\x04") {
        Format::Zip
    } else if is_plain_text(name, mime, bytes) {
        Format::Text
    } else {
        Format::Unknown
    }
}

fn is_heif_brand(brand: &[u8]) -> bool {
    matches!(
        brand,
        b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1" | b"avif"
    )
}

/// Plain text has no hidden fields: what it says is all there is.
fn is_plain_text(name: &str, mime: &str, bytes: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    let by_name = [".txt", ".csv", ".md"].iter().any(|e| lower.ends_with(e));
    let by_mime = matches!(mime, "text/plain" | "text/csv" | "text/markdown");
    (by_name || by_mime) && std::str::from_utf8(bytes).is_ok()
}

/// What a format's cleaner reports: the cleaned bytes (None: nothing to change) and
/// what it found.
pub(crate) struct Outcome {
    pub bytes: Option<Vec<u8>>,
    pub found: BTreeSet<Metadata>,
}

/// Removes the metadata from a file. Never panics; a file it cannot read comes back
/// unchanged with a [`Reason`].
pub fn clean<'a>(name: &str, mime: &str, bytes: &'a [u8]) -> Cleaned<'a> {
    let unchanged = |reason: Option<Reason>| Cleaned {
        bytes: Cow::Borrowed(bytes),
        removed: Vec::new(),
        could_not_check: reason,
    };
    let outcome = match detect(name, mime, bytes) {
        Format::Jpeg => jpeg::clean(bytes),
        Format::Png => png::clean(bytes),
        Format::Webp => webp::clean(bytes),
        Format::Pdf => pdf::clean(bytes),
        Format::Zip => office::clean(bytes),
        Format::Heic => Err(Reason::Heic),
        Format::Text => return unchanged(None),
        Format::Unknown => Err(Reason::UnknownFormat),
    };
    match outcome {
        Ok(Outcome {
            bytes: cleaned,
            found,
        }) => Cleaned {
            bytes: cleaned.map_or(Cow::Borrowed(bytes), Cow::Owned),
            removed: found.into_iter().collect(),
            could_not_check: None,
        },
        Err(reason) => unchanged(Some(reason)),
    }
}

/// Lists the metadata in a file without changing it: what [`clean`] would remove, or
/// for a file it cannot read, what a plain scan of its bytes shows (EXIF and XMP
/// blocks inside a HEIC photo or a video, say).
pub fn inspect(name: &str, bytes: &[u8]) -> Inspection {
    let cleaned = clean(name, "", bytes);
    match cleaned.could_not_check {
        None => Inspection {
            found: cleaned.removed,
            could_not_check: None,
        },
        Some(reason) => Inspection {
            found: scan(bytes).into_iter().collect(),
            could_not_check: Some(reason),
        },
    }
}

/// A format-blind look for EXIF and XMP blocks in bytes this crate cannot parse.
fn scan(bytes: &[u8]) -> BTreeSet<Metadata> {
    let mut found = BTreeSet::new();
    if let Some(at) = find(bytes, b"Exif\0\0") {
        exif::findings(&bytes[at + 6..], &mut found);
        if found.is_empty() {
            found.insert(Metadata::Other);
        }
    }
    if let Some(at) = find(bytes, b"<x:xmpmeta") {
        let end = find(&bytes[at..], b"</x:xmpmeta>").map_or(bytes.len(), |e| at + e);
        xmp::findings(&bytes[at..end], &mut found);
    }
    found
}

/// The first position of `needle` in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(hay, needle)
}
