//! What is still in an attachment that could betray the melder: metadata the
//! reporter's browser could not remove (a HEIC photo, an unknown format) or that the
//! reporter chose to keep. `show` and `extract` print it per attachment (the library
//! reads it with `meldpunt_clean::inspect`), so the coördinator does not pass such a
//! file on as it is.

use meldpunt_clean::Inspection;
use meldpunt_keys::i18n::leftover_words;
use meldpunt_keys::lang::Lang;
use meldpunt_keys::tr;

use super::printable;

/// The lines to print for one attachment; empty when nothing is left in it.
pub fn warnings(l: Lang, name: &str, inspection: &Inspection) -> Vec<String> {
    let shown = printable(name);
    let (found, why) = leftover_words(l, inspection);
    let mut lines = Vec::new();
    if let Some(why) = why {
        lines.push(tr!(l, "leftover-not-checked", name = shown, reason = why));
    }
    if !found.is_empty() {
        lines.push(tr!(
            l,
            "leftover-found",
            name = shown,
            what = found.join(", ")
        ));
    }
    lines
}

/// The warnings as a block of `! ` lines ending in the advice; empty when there are
/// none.
pub fn block(l: Lang, lines: &[String]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for line in lines {
        out.push_str(&format!("! {line}\n"));
    }
    out.push_str(&format!("! {}\n", tr!(l, "leftover-advice")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use meldpunt_clean::{Metadata, Reason};

    #[test]
    fn both_languages_have_every_message_the_warnings_use() {
        let mut used = vec![
            "leftover-found".to_string(),
            "leftover-not-checked".into(),
            "leftover-advice".into(),
        ];
        let id = |prefix: &str, code: &str| format!("{prefix}{}", code.replace('_', "-"));
        used.extend(Metadata::ALL.iter().map(|m| id("leftover-", m.code())));
        used.extend(Reason::ALL.iter().map(|r| id("leftover-why-", r.code())));
        for l in [Lang::Nl, Lang::En] {
            for id in &used {
                assert!(meldpunt_keys::i18n::has(l, id), "{id} missing in {l:?}");
            }
        }
    }

    #[test]
    fn a_photo_with_gps_and_a_heic_are_named() {
        // EXIF with a GPS IFD pointer, in a minimal JPEG.
        let tiff = b"MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a\0\0\0\0";
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0, (2 + 6 + tiff.len()) as u8];
        jpeg.extend_from_slice(b"Exif\0\0");
        jpeg.extend_from_slice(tiff);
        jpeg.extend_from_slice(&[0xFF, 0xD9]);
        let w = warnings(
            Lang::Nl,
            "foto.jpg",
            &meldpunt_clean::inspect("foto.jpg", &jpeg),
        );
        assert_eq!(
            w,
            ["foto.jpg bevat nog verborgen gegevens: de plek waar de foto is gemaakt."]
        );
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        let w = warnings(
            Lang::En,
            "IMG_1.HEIC",
            &meldpunt_clean::inspect("IMG_1.HEIC", heic),
        );
        assert_eq!(
            w,
            ["IMG_1.HEIC could not be checked for hidden details: a HEIC photo (iPhone)."]
        );
        let plain = meldpunt_clean::inspect("leeg.txt", b"tekst");
        assert!(warnings(Lang::Nl, "leeg.txt", &plain).is_empty());
        assert_eq!(block(Lang::Nl, &[]), "");
    }
}
