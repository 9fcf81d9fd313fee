//! Saying what an XMP packet holds, by the names of the properties in it. XMP is
//! removed whole wherever it is found; this only decides what to tell the reporter.

use crate::{Metadata, find};
use std::collections::BTreeSet;

/// Property names (without prefix) and what they tell.
const PROPERTIES: &[(&[u8], Metadata)] = &[
    (b"GPSLatitude", Metadata::Location),
    (b"GPSLongitude", Metadata::Location),
    (b"LocationCreated", Metadata::Location),
    (b"LocationShown", Metadata::Location),
    (b":City", Metadata::Location),
    (b":Country", Metadata::Location),
    (b"tiff:Make", Metadata::Camera),
    (b"tiff:Model", Metadata::Camera),
    (b"LensModel", Metadata::Camera),
    (b"SerialNumber", Metadata::CameraSerial),
    (b"dc:creator", Metadata::Author),
    (b"tiff:Artist", Metadata::Author),
    (b"pdf:Author", Metadata::Author),
    (b"photoshop:AuthorsPosition", Metadata::Author),
    (b"CreatorContactInfo", Metadata::Author),
    (b"dc:rights", Metadata::Author),
    (b"CreatorTool", Metadata::Software),
    (b"pdf:Producer", Metadata::Software),
    (b"softwareAgent", Metadata::Software),
    (b"CreateDate", Metadata::Dates),
    (b"ModifyDate", Metadata::Dates),
    (b"MetadataDate", Metadata::Dates),
    (b"DateCreated", Metadata::Dates),
    (b"DateTimeOriginal", Metadata::Dates),
    (b"dc:description", Metadata::Comments),
    (b"UserComment", Metadata::Comments),
    (b"dc:title", Metadata::Title),
    (b"dc:subject", Metadata::Title),
    (b"pdf:Keywords", Metadata::Title),
    (b"DocumentID", Metadata::RevisionIds),
    (b"InstanceID", Metadata::RevisionIds),
    (b"xmpMM:History", Metadata::RevisionIds),
    (b"Thumbnails", Metadata::Thumbnail),
];

/// Adds what the XMP packet `xmp` holds to `found` (at least [`Metadata::Other`]).
pub fn findings(xmp: &[u8], found: &mut BTreeSet<Metadata>) {
    let before = found.len();
    for (name, kind) in PROPERTIES {
        if find(xmp, name).is_some() {
            found.insert(*kind);
        }
    }
    if found.len() == before {
        found.insert(Metadata::Other);
    }
}
