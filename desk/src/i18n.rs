//! The desk's catalogue: `desk/i18n/{nl,en}/meldpunt-desk.ftl`, Fluent files embedded at
//! compile time, isolation marks off. `t!(lang, "id", name = value, …)` looks a message
//! up; values are formatted with `Display` first. Domain labels do not live here: they
//! come from the envelope's typed vocabulary.

use meldpunt_envelope::Lang;

fluent_templates::static_loader! {
    static CATALOGUE = {
        locales: "./i18n",
        fallback_language: "nl",
        customise: |b| b.set_use_isolating(false),
    };
}

/// Message `id` in `l` with `args`; a missing id (a test checks there are none) shows
/// as the id itself.
pub fn text(l: Lang, id: &str, args: &[(&'static str, String)]) -> String {
    meldpunt_text::text(&*CATALOGUE, l, id, args)
}

#[macro_export]
macro_rules! t {
    ($l:expr, $id:literal $(, $name:ident = $val:expr)* $(,)?) => {
        $crate::i18n::text(
            $l,
            $id,
            &[$((stringify!($name), ::std::string::ToString::to_string(&$val))),*],
        )
    };
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    const NL_FILE: &str = include_str!("../i18n/nl/meldpunt-desk.ftl");
    const EN_FILE: &str = include_str!("../i18n/en/meldpunt-desk.ftl");

    fn ids(file: &str) -> BTreeSet<String> {
        meldpunt_text::message_ids(file)
            .map(str::to_string)
            .collect()
    }

    /// Every `t!(l, "id"` in the desk's sources.
    fn used() -> BTreeSet<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut out = BTreeSet::new();
        for e in std::fs::read_dir(dir).expect("src is readable") {
            let text = std::fs::read_to_string(e.expect("entry").path()).expect("a source file");
            for (i, _) in text.match_indices("t!(") {
                let before = text[..i].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"') {
                    continue;
                }
                let rest = &text[i + 3..];
                let Some(q) = rest.find('"') else { continue };
                // Only the macro's first string argument, right after the language.
                if rest[..q].contains(')') || rest[..q].len() > 12 {
                    continue;
                }
                let id: String = rest[q + 1..].chars().take_while(|c| *c != '"').collect();
                if id != "id" {
                    out.insert(id);
                }
            }
        }
        out
    }

    #[test]
    fn both_languages_have_every_message() {
        let (nl, en) = (ids(NL_FILE), ids(EN_FILE));
        assert!(nl.len() > 100, "too few ids parsed: {}", nl.len());
        let only_nl: Vec<_> = nl.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&nl).collect();
        assert!(only_nl.is_empty(), "missing in en: {only_nl:?}");
        assert!(only_en.is_empty(), "missing in nl: {only_en:?}");
    }

    #[test]
    fn every_message_the_code_uses_exists() {
        let nl = ids(NL_FILE);
        let used = used();
        assert!(used.len() > 100, "too few uses found: {}", used.len());
        let missing: Vec<_> = used.difference(&nl).collect();
        assert!(
            missing.is_empty(),
            "used but not in the catalogue: {missing:?}"
        );
    }

    #[test]
    fn arguments_are_filled_in() {
        use meldpunt_envelope::Lang;
        assert_eq!(crate::t!(Lang::Nl, "deadline-left", n = 2), "nog 2 dagen");
        assert_eq!(crate::t!(Lang::En, "deadline-late", n = 3), "3 days late");
    }
}
