//! Property tests: `clean` never panics on arbitrary bytes, whatever format their
//! first bytes claim, and cleaning a cleaned file changes nothing more.

use meldpunt_clean::{clean, inspect};
use proptest::prelude::*;

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
    fn mutated_vectors(which in 0usize..6, at in any::<prop::sample::Index>(), to in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
        let names = [
            "photo-gps-camera-iptc-xmp.jpg", "screenshot-text-exif-xmp.png", "photo-exif-xmp.webp",
            "letter-info-xmp-incremental.pdf", "letter-author-rsid-comments-photo.docx", "letter-meta-annotation.odt",
        ];
        let mut bytes = std::fs::read(dir.join(names[which])).unwrap();
        let i = at.index(bytes.len());
        bytes[i] = to;
        bytes.truncate(cut.index(bytes.len() + 1).max(8));
        check(names[which], &bytes)?;
    }
}

/// A PDF of very many objects would cost lopdf quadratic time to load: past a budget it
/// is not checked rather than checked for minutes.
#[test]
fn a_huge_pdf_of_many_objects_is_not_checked() {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let filler = vec![b'x'; 4000];
    for i in 1..15_000 {
        pdf.extend_from_slice(format!("{i} 0 obj\n<< /A {i} >>\nstream\n").as_bytes());
        pdf.extend_from_slice(&filler);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
    }
    let c = clean("groot.pdf", "application/pdf", &pdf);
    assert_eq!(c.could_not_check, Some(meldpunt_clean::Reason::TooLarge));
}
