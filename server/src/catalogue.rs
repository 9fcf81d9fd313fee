//! The catalogue of the server's user-facing text: `server/i18n/{nl,en}/meldpunt-server.ftl`,
//! Fluent files embedded at compile time. Every page the server renders (the
//! no-JavaScript path, the staff page) takes its words from here; code names a
//! message by its id (`lang.tr("zj-form-title")`), never writes Dutch or English
//! inline. Unicode isolation marks are off so the HTML stays plain text.

use fluent_templates::static_loader;

use crate::pages::Lang;

static_loader! {
    static CATALOGUE = {
        locales: "./i18n",
        fallback_language: "nl",
        customise: |b| b.set_use_isolating(false),
    };
}

/// The catalogue's files, for the completeness test.
pub const FILES: [(&str, &str); 2] = [
    ("nl", include_str!("../i18n/nl/meldpunt-server.ftl")),
    ("en", include_str!("../i18n/en/meldpunt-server.ftl")),
];

/// Texts in a page's language.
pub trait Text: Copy {
    /// The message `id` (no arguments).
    fn tr(self, id: &str) -> String;
    /// The message `id` with its named arguments.
    fn tr_with(self, id: &str, args: &[(&'static str, &str)]) -> String;
}

impl Text for Lang {
    fn tr(self, id: &str) -> String {
        self.tr_with(id, &[])
    }

    fn tr_with(self, id: &str, args: &[(&'static str, &str)]) -> String {
        meldpunt_text::lookup(&*CATALOGUE, self, id, args).unwrap_or_else(|| id.to_string())
    }
}

/// How every message id begins: `zj-` the no-JavaScript path, `staff-` the staff
/// page, `receipt-file-` the ontvangstbewijs as a file.
pub const PREFIXES: [&str; 3] = ["zj-", "staff-", "receipt-file-"];

/// The message ids a `.ftl` file defines.
pub fn message_ids(ftl: &str) -> Vec<&str> {
    meldpunt_text::message_ids(ftl).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The message ids the server's code names: every string literal in
    /// `server/src` that looks like one (a prefix of [`PREFIXES`], then lowercase
    /// letters, digits and hyphens), whether passed to `tr` at once or chosen first.
    fn ids_used() -> BTreeSet<String> {
        let mut used = BTreeSet::new();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            for prefix in PREFIXES {
                for (i, _) in src.match_indices(&format!("\"{prefix}")) {
                    let rest = &src[i + 1..];
                    let end = rest
                        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
                        .unwrap_or(rest.len());
                    if end > prefix.len() && rest[end..].starts_with('"') {
                        used.insert(rest[..end].to_string());
                    }
                }
            }
        }
        used
    }

    #[test]
    fn both_languages_have_every_message_and_every_used_id_exists() {
        let nl: BTreeSet<&str> = message_ids(FILES[0].1).into_iter().collect();
        let en: BTreeSet<&str> = message_ids(FILES[1].1).into_iter().collect();
        assert!(nl.len() > 50, "the Dutch catalogue is read: {}", nl.len());
        let unprefixed: Vec<_> = nl
            .iter()
            .filter(|id| !PREFIXES.iter().any(|p| id.starts_with(p)))
            .collect();
        assert!(
            unprefixed.is_empty(),
            "ids without a known prefix: {unprefixed:?}"
        );
        let only_nl: Vec<_> = nl.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&nl).collect();
        assert!(only_nl.is_empty(), "missing in English: {only_nl:?}");
        assert!(only_en.is_empty(), "missing in Dutch: {only_en:?}");
        let used = ids_used();
        assert!(used.len() > 50, "the code's ids are found: {}", used.len());
        let unknown: Vec<_> = used.iter().filter(|id| !nl.contains(id.as_str())).collect();
        assert!(
            unknown.is_empty(),
            "used but not in the catalogue: {unknown:?}"
        );
        let unused: Vec<_> = nl.iter().filter(|id| !used.contains(**id)).collect();
        assert!(
            unused.is_empty(),
            "in the catalogue but never used: {unused:?}"
        );
    }

    #[test]
    fn every_message_resolves_in_both_languages_without_errors() {
        for (code, ftl) in FILES {
            let lang = Lang::from_code(code).unwrap();
            for id in message_ids(ftl) {
                // Every placeable the message has, given a value: a missing one is a
                // formatting error, which shows as the bare id.
                let line = ftl
                    .lines()
                    .find(|l| l.starts_with(&format!("{id} =")))
                    .unwrap();
                let vars: Vec<&'static str> = line
                    .split("{ $")
                    .skip(1)
                    .filter_map(|rest| rest.split_once(' ').map(|(v, _)| v))
                    .map(|v| &*String::leak(v.to_string()))
                    .collect();
                let args: Vec<(&'static str, &str)> = vars.iter().map(|v| (*v, "x")).collect();
                let text = lang.tr_with(id, &args);
                assert!(!text.is_empty() && text != id, "{code} {id}: {text:?}");
                assert!(!text.contains('\u{2068}'), "no isolation marks: {id}");
            }
        }
        assert_eq!(
            Lang::En.tr_with("zj-err-text-long", &[]),
            Lang::En.tr("zj-err-text-long")
        );
    }
}
