//! The catalogue of user-facing text: `keys/i18n/{nl,en}/meldpunt-keys.ftl`, Fluent
//! files embedded at compile time. Unicode isolation marks are off, so what is printed
//! is exactly the text in the file. Arguments are passed as text, already formatted,
//! so numbers and paths print as they always did.
//!
//! `tr!(lang, "id", name = value, …)` looks a message up; every value is formatted
//! with `Display` first.

use crate::lang::Lang;

fluent_templates::static_loader! {
    static CATALOGUE = {
        locales: "./i18n",
        fallback_language: "nl",
        customise: |b| b.set_use_isolating(false),
    };
}

/// Message `id` in language `l` with `args`. A missing id (a test checks there are
/// none) shows as the id itself rather than failing.
pub fn text(l: Lang, id: &str, args: &[(&'static str, String)]) -> String {
    meldpunt_text::text(&*CATALOGUE, l, id, args)
}

/// The words for an attachment's inspection (the `leftover-…` messages): what was
/// found, and why it could not be checked. For every face that warns about
/// attachments (the CLI's `show` and `extract`, the desk's Zaak).
pub fn leftover_words(
    l: Lang,
    inspection: &meldpunt_clean::Inspection,
) -> (Vec<String>, Option<String>) {
    let id = |prefix: &str, code: &str| format!("{prefix}{}", code.replace('_', "-"));
    let found = inspection
        .found
        .iter()
        .map(|m| text(l, &id("leftover-", m.code()), &[]))
        .collect();
    let why = inspection
        .could_not_check
        .map(|r| text(l, &id("leftover-why-", r.code()), &[]));
    (found, why)
}

/// Whether the catalogue of `l` has message `id` (for tests).
pub fn has(l: Lang, id: &str) -> bool {
    // Look in the language's own file, not through the fallback.
    let path = match l {
        Lang::Nl => NL_FILE,
        Lang::En => EN_FILE,
    };
    ids(path).any(|i| i == id)
}

/// The catalogue files, as text, for the completeness test.
pub const NL_FILE: &str = include_str!("../i18n/nl/meldpunt-keys.ftl");
pub const EN_FILE: &str = include_str!("../i18n/en/meldpunt-keys.ftl");

/// The message ids a Fluent file defines.
pub use meldpunt_text::message_ids as ids;

/// Looks up a message in the catalogue: `tr!(lang, "id", name = value, …)`.
#[macro_export]
macro_rules! tr {
    ($l:expr, $id:literal $(, $name:ident = $val:expr)* $(,)?) => {
        $crate::i18n::text(
            $l,
            $id,
            &[$((stringify!($name), ::std::string::ToString::to_string(&$val))),*],
        )
    };
}
