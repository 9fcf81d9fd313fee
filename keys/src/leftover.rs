//! What is still in an attachment that could betray the melder: metadata the
//! reporter's browser could not remove (a HEIC photo, an unknown format) or that the
//! reporter chose to keep. `show` and `extract` print it per attachment, read by
//! `meldpunt_clean::inspect`, so the coördinator does not pass such a file on as is.
//!
//! TEMPORARY (h15-clean): the messages live in `i18n/{nl,en}/attachments.ftl` and are
//! rendered here by a tiny loader of plain `id = text { $var }` lines, until the
//! keys' Fluent loader (h12-lib) is on main; then these lookups go through it.

use meldpunt_clean::{Inspection, Metadata};
use meldpunt_envelope::melding;

use crate::lang::Lang;
use crate::store::Store;

const NL: &str = include_str!("../i18n/nl/attachments.ftl");
const EN: &str = include_str!("../i18n/en/attachments.ftl");

/// The message `id` in `lang` with `{ $name }` placeholders filled from `args`.
fn message(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    let catalogue = lang.t(NL, EN);
    let text = catalogue
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .find(|(k, _)| k.trim() == id)
        .map_or(id, |(_, v)| v);
    let mut out = text.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{ ${name} }}"), value);
    }
    out
}

/// The lines to print for one attachment; empty when nothing is left in it.
pub fn warnings(lang: Lang, name: &str, bytes: &[u8]) -> Vec<String> {
    let Inspection {
        found,
        could_not_check,
    } = meldpunt_clean::inspect(name, bytes);
    let shown = crate::commands::printable(name);
    let mut lines = Vec::new();
    if let Some(reason) = could_not_check {
        let why = message(lang, &format!("leftover-why-{}", reason.code()), &[]);
        lines.push(message(
            lang,
            "leftover-not-checked",
            &[("name", &shown), ("reason", &why)],
        ));
    }
    if !found.is_empty() {
        let what: Vec<String> = found
            .iter()
            .map(|m: &Metadata| message(lang, &format!("leftover-{}", m.code()), &[]))
            .collect();
        lines.push(message(
            lang,
            "leftover-found",
            &[("name", &shown), ("what", &what.join(", "))],
        ));
    }
    lines
}

/// The advice printed once after the warnings.
pub fn advice(lang: Lang) -> String {
    message(lang, "leftover-advice", &[])
}

/// Prints `lines` (from [`warnings`]) and the advice, on stderr so the list of
/// written files on stdout stays as it was; nothing when there are none.
pub fn print(lang: Lang, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    for l in lines {
        eprintln!("! {l}");
    }
    eprintln!("! {}", advice(lang));
}

/// The warnings for every stored attachment of a case, as a block of text for
/// `show` (empty when there is nothing to warn about). An attachment that does not
/// open is left to `extract` to report.
pub fn in_case(lang: Lang, store: &Store, case_id: i64, ids: &[&dyn age::Identity]) -> String {
    let mut lines = Vec::new();
    for a in store.attachments(case_id).unwrap_or_default() {
        let Ok(Some((_, parent))) = store.item(&a.parent) else {
            continue;
        };
        let Ok(parent) = melding::open(&parent, ids) else {
            continue;
        };
        let Some(entry) = parent.attachments.get(a.idx as usize) else {
            continue;
        };
        let Ok(bytes) = meldpunt_envelope::attachment::open(&a.ciphertext, ids) else {
            continue;
        };
        let bytes = zeroize::Zeroizing::new(bytes);
        lines.extend(warnings(lang, &entry.name, &bytes));
    }
    if lines.is_empty() {
        return String::new();
    }
    lines.push(advice(lang));
    let mut out = String::from("\n");
    for l in lines {
        out.push_str(&format!("! {l}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<&str> {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split_once(" = ").expect("id = text").0)
            .collect()
    }

    #[test]
    fn both_languages_have_every_message_the_code_uses() {
        assert_eq!(ids(NL), ids(EN));
        let mut used = vec![
            "leftover-found".to_string(),
            "leftover-not-checked".into(),
            "leftover-advice".into(),
        ];
        used.extend(
            Metadata::ALL
                .iter()
                .map(|m| format!("leftover-{}", m.code())),
        );
        for r in [
            "unknown_format",
            "heic",
            "damaged",
            "encrypted",
            "too_large",
        ] {
            used.push(format!("leftover-why-{r}"));
        }
        for id in &used {
            assert!(ids(NL).contains(&id.as_str()), "{id} missing");
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
        let w = warnings(Lang::Nl, "foto.jpg", &jpeg);
        assert_eq!(
            w,
            ["foto.jpg bevat nog verborgen gegevens: de plek waar de foto is gemaakt."]
        );
        let w = warnings(
            Lang::En,
            "IMG_1.HEIC",
            b"\0\0\0\x18ftypheic\0\0\0\0mif1heic",
        );
        assert_eq!(
            w,
            ["IMG_1.HEIC could not be checked for hidden details: a HEIC photo (iPhone)."]
        );
        assert!(warnings(Lang::Nl, "leeg.txt", b"tekst").is_empty());
    }
}
