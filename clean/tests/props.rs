//! Property tests: `clean` never panics on arbitrary bytes, whatever format their
//! first bytes claim, and cleaning a cleaned file changes nothing more.

use meldpunt_clean::{Reason, clean, inspect};
use proptest::prelude::*;

#[path = "support/pdf.rs"]
mod pdf_support;
use pdf_support::{
    many_small_bombs, one_stream_many_entries, one_stream_many_entries_compressed,
    overlapping_streams, packed, write_pdf,
};

/// The prefixes that send bytes down each format's path.
const PREFIXES: &[&[u8]] = &[
    b"",
    b"\xFF\xD8\xFF",
    b"\xFF\xD8\xFF\xE1\x00\x20Exif\0\0MM\0\x2a\0\0\0\x08",
    b"\x89PNG\r\n\x1a\n",
    b"RIFF\x20\0\0\0WEBPVP8X",
    b"\0\0\0\x18ftypheic",
    b"%PDF-1.4\n",
    b"PK\x03\x04",
];

fn check(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let c = clean(name, "", bytes);
    let _ = inspect(name, bytes);
    if c.could_not_check.is_some() {
        prop_assert_eq!(&c.bytes, &bytes.to_vec());
        prop_assert!(c.removed.is_empty());
    } else {
        let again = clean(name, "", &c.bytes);
        prop_assert_eq!(again.could_not_check, None);
        prop_assert_eq!(&again.bytes, &c.bytes, "not idempotent");
        prop_assert!(again.removed.is_empty(), "found again: {:?}", again.removed);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_and_is_idempotent(prefix in prop::sample::select(PREFIXES), tail in prop::collection::vec(any::<u8>(), 0..600)) {
        let bytes = [prefix, &tail[..]].concat();
        check("file", &bytes)?;
    }

    /// Real files with bytes flipped: the parsers meet almost-valid input.
    #[test]
    fn mutated_vectors(which in 0usize..7, at in any::<prop::sample::Index>(), to in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
        let names = [
            "photo-gps-camera-iptc-xmp.jpg", "screenshot-text-exif-xmp.png", "photo-exif-xmp.webp",
            "letter-info-xmp-incremental.pdf", "letter-author-rsid-comments-photo.docx", "letter-meta-annotation.odt",
            "letter-info-xmp-objstm.pdf",
        ];
        let mut bytes = std::fs::read(dir.join(names[which])).unwrap();
        let i = at.index(bytes.len());
        bytes[i] = to;
        bytes.truncate(cut.index(bytes.len() + 1).max(8));
        check(names[which], &bytes)?;
    }
}

/// A PDF of a catalog, an empty page tree and `objects` (numbered from 3 on).
fn pdf_around(objects: impl IntoIterator<Item = Vec<u8>>) -> Vec<u8> {
    let mut all = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
    ];
    all.extend(objects);
    write_pdf(b"%PDF-1.5\n", &all, "")
}

/// Loading costs a little per object: past a million objects a PDF is not checked,
/// and just below it is (lopdf 0.38 took quadratic time: it refused far fewer).
#[test]
fn a_pdf_of_more_than_a_million_objects_is_not_checked() {
    let tiny = |n: usize| (0..n).map(|_| b"0".to_vec());
    let huge = pdf_around(tiny(1_000_000));
    let c = clean("groot.pdf", "application/pdf", &huge);
    assert_eq!(c.could_not_check, Some(Reason::TooLarge));
    assert!(c.removed.is_empty());
    let long = pdf_around(tiny(20_000));
    let c = clean("lang.pdf", "application/pdf", &long);
    assert_eq!(c.could_not_check, None);
}

/// An object stream (PDF 1.5) of a few bytes that would inflate to more than 16 MiB
/// is not unpacked: the file is too large to check, and comes back unchanged.
#[test]
fn a_decompression_bomb_in_an_object_stream_is_not_checked() {
    let mut bomb = lopdf::Stream::new(
        lopdf::dictionary! { "Type" => "ObjStm", "N" => 1, "First" => 4 },
        [
            b"4 0 ".as_slice(),
            &vec![b' '; 17 << 20],
            b"<< /Author (Jan Jansen) >>",
        ]
        .concat(),
    );
    bomb.compress().unwrap();
    assert!(bomb.content.len() < 100_000);
    let mut objstm = format!(
        "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
        bomb.content.len()
    )
    .into_bytes();
    objstm.extend_from_slice(&bomb.content);
    objstm.extend_from_slice(b"\nendstream");
    let pdf = pdf_around([objstm]);
    let c = clean("bom.pdf", "application/pdf", &pdf);
    assert_eq!(c.could_not_check, Some(Reason::TooLarge));
    assert_eq!(&c.bytes[..], &pdf[..]);
    assert!(inspect("bom.pdf", &pdf).could_not_check == Some(Reason::TooLarge));
}

/// Whether cleaning and inspecting `pdf` both find it too large or too complex to
/// check, and give it back unchanged.
fn assert_not_checked(name: &str, pdf: &[u8]) {
    let c = clean(name, "application/pdf", pdf);
    assert_eq!(c.could_not_check, Some(Reason::TooLarge), "{name}");
    assert_eq!(&c.bytes[..], pdf);
    assert!(c.removed.is_empty());
    assert_eq!(inspect(name, pdf).could_not_check, Some(Reason::TooLarge));
}

/// Whether `pdf` is checked (cleaned), not refused.
fn assert_checked(name: &str, pdf: &[u8]) {
    let c = clean(name, "application/pdf", pdf);
    assert_eq!(c.could_not_check, None, "{name}");
}

/// 20,000 cross-reference entries naming one 1 MiB stream (a 1.4 MiB file): lopdf
/// would parse the stream once per entry (40 s natively). Refused before loading; the
/// same file with the stream named once is checked.
#[test]
fn many_entries_naming_one_large_stream_are_not_checked() {
    let pdf = one_stream_many_entries(20_000, 1 << 20);
    assert!(pdf.len() < 3 << 19);
    assert_not_checked("herhaald.pdf", &pdf);
    let once = one_stream_many_entries(0, 1 << 20);
    assert_checked("eens.pdf", &once);
    // The same in a compressed cross-reference stream: 20,000 entries in a few bytes.
    let pdf = one_stream_many_entries_compressed(20_000, 1 << 20);
    assert!(pdf.len() < (1 << 20) + 4096, "{}", pdf.len());
    assert_not_checked("herhaald-15.pdf", &pdf);
    let once = one_stream_many_entries_compressed(0, 1 << 20);
    assert_checked("eens-15.pdf", &once);
}

/// Streams nested in each other, each with its own offset, whose lengths all run to
/// the same end: 2,000 of them 500 bytes apart cover about 1 GB from a 1 MB file.
#[test]
fn overlapping_streams_are_not_checked() {
    let pdf = overlapping_streams(2_000, 500);
    assert_not_checked("overlap.pdf", &pdf);
    // Two such streams cost little, and the file is checked.
    let two = overlapping_streams(2, 500);
    assert_checked("twee.pdf", &two);
}

/// Streams whose `/Length` names one large stream (object 3): lopdf parses that stream
/// again for each of them, so 2,000 of them cost 2 GB of parsing from a 1 MiB file.
#[test]
fn indirect_lengths_naming_one_large_stream_are_not_checked() {
    let with = |n: usize| {
        let big = [
            b"<< /Length 1048576 >>\nstream\n".as_slice(),
            &vec![b'x'; 1 << 20],
            b"\nendstream",
        ]
        .concat();
        let small = b"<< /Length 3 0 R >>\nstream\nabc\nendstream".to_vec();
        pdf_around(std::iter::once(big).chain(std::iter::repeat_n(small, n)))
    };
    assert_not_checked("lengte.pdf", &with(2_000));
    assert_checked("lengte-2.pdf", &with(2));
}

/// Object streams that each inflate to 8 MiB (under the 16 MiB limit of one stream)
/// from about 8 KiB: 64 of them are 512 MiB of inflating from half a megabyte.
#[test]
fn many_small_decompression_bombs_are_not_checked() {
    let pdf = many_small_bombs("ObjStm", 64, 8 << 20);
    assert!(pdf.len() < 1 << 20, "{}", pdf.len());
    assert_not_checked("bommen.pdf", &pdf);
    let one = many_small_bombs("ObjStm", 1, 8 << 20);
    assert_checked("bom.pdf", &one);
    // XMP streams, which the cleaner inflates after loading, share what is left.
    let pdf = many_small_bombs("Metadata", 64, 8 << 20);
    assert_not_checked("xmp-bommen.pdf", &pdf);
    assert_checked("xmp-bom.pdf", &many_small_bombs("Metadata", 1, 8 << 20));
}

/// The pre-pass reads cross-reference streams as lopdf does: one without `/Type /XRef`
/// (some writers leave it out) in a file of object streams is still checked.
#[test]
fn object_streams_and_an_untyped_xref_stream_are_checked() {
    let info = b"<< /Author (Jan Jansen) >>".to_vec();
    let plain = write_pdf(
        b"%PDF-1.5\n",
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
            info,
        ],
        " /Info 3 0 R",
    );
    let mut doc = lopdf::Document::load_mem(&plain).unwrap();
    let mut bytes = packed(&mut doc);
    // `/Type/XRef` or `/Type /XRef`: blanked, so no offset moves.
    let at = bytes
        .windows(5)
        .rposition(|w| w == b"/XRef")
        .expect("an xref stream");
    let from = bytes[..at].windows(5).rposition(|w| w == b"/Type").unwrap();
    assert!(at - from <= 6);
    bytes[from..at + 5].fill(b' ');
    let c = clean("los.pdf", "application/pdf", &bytes);
    assert_eq!(c.could_not_check, None);
    assert!(!c.removed.is_empty());
}

/// Cross-reference streams with a wrong `/Length` are read up to `endstream`, as lopdf
/// reads them; one with no data at all (and a wrong length) is no panic either.
#[test]
fn xref_streams_with_a_wrong_length_do_not_panic() {
    for stream in [
        b"stream\r\nendstream".as_slice(),
        b"stream\n\x01\x00\x09\x00\nendstream",
    ] {
        let mut pdf = b"%PDF-1.5\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
        let at = pdf.len();
        pdf.extend_from_slice(
            b"2 0 obj\n<< /Type /XRef /W [1 2 1] /Size 2 /Root 1 0 R /Length 99 >>\n",
        );
        pdf.extend_from_slice(stream);
        pdf.extend_from_slice(format!("\nendobj\nstartxref\n{at}\n%%EOF\n").as_bytes());
        // Only that it returns: the verdict on such a file is lopdf's.
        let _ = clean("kapot.pdf", "application/pdf", &pdf);
        let _ = inspect("kapot.pdf", &pdf);
    }
}
