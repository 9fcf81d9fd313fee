//! What every face's catalogue of user-facing text shares (the offline tool's
//! `keys/i18n`, the server's pages' `server/i18n`, and the desk's): Fluent files
//! embedded by each crate's own `fluent_templates::static_loader!` (the files sit
//! beside that crate), looked up here in the one [`Lang`] of the envelope.
//!
//! Each face keeps its own `.ftl` files and its own completeness test; this crate
//! holds only the machinery, so no face writes it again.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
pub use meldpunt_envelope::Lang;

static NL: LanguageIdentifier = langid!("nl");
static EN: LanguageIdentifier = langid!("en");

/// The Fluent language of a [`Lang`].
pub fn language(l: Lang) -> &'static LanguageIdentifier {
    match l {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// Message `id` of `loader` in language `l`, its `{ $name }` placeables filled from
/// `args` (already formatted text); `None` when the catalogue has no such message.
pub fn lookup<L: Loader + ?Sized>(
    loader: &L,
    l: Lang,
    id: &str,
    args: &[(&str, &str)],
) -> Option<String> {
    if args.is_empty() {
        return loader.try_lookup(language(l), id);
    }
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Owned(k.to_string()), FluentValue::from(v.to_string())))
        .collect();
    loader.try_lookup_with_args(language(l), id, &map)
}

/// [`lookup`] for the faces' `tr!`/`t!` macros, whose arguments are already text: the
/// message, or the id itself when the catalogue has no such message (each face's
/// completeness test checks there are none).
pub fn text<L: Loader + ?Sized>(
    loader: &L,
    l: Lang,
    id: &str,
    args: &[(&'static str, String)],
) -> String {
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    lookup(loader, l, id, &args).unwrap_or_else(|| id.to_string())
}

/// The message ids a Fluent file defines: lines `id = …` whose id is lowercase ASCII
/// letters, digits and hyphens (comments, terms and attributes are not messages).
pub fn message_ids(ftl: &str) -> impl Iterator<Item = &str> {
    ftl.lines().filter_map(|line| {
        let (id, _) = line.split_once(" =")?;
        let ok = id.starts_with(|c: char| c.is_ascii_lowercase())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        ok.then_some(id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_messages_only() {
        let ftl = "# a comment\nfirst = Eerste\n-term = x\n    .attr = y\nsecond-2 = { $n } twee\nBad = z\n";
        assert_eq!(message_ids(ftl).collect::<Vec<_>>(), ["first", "second-2"]);
    }

    #[test]
    fn each_lang_has_its_language() {
        assert_eq!(language(Lang::Nl).to_string(), "nl");
        assert_eq!(language(Lang::En).to_string(), "en");
    }
}
