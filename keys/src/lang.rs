//! The language of everything the tool prints: Dutch by default, English on request
//! (`--lang en`) or when the locale says English. [`Lang`] itself is the envelope's,
//! shared with the server's pages; what is only the CLI's is here.

pub use meldpunt_envelope::Lang;
use meldpunt_envelope::domain::Term;

/// The CLI's additions to [`Lang`].
pub trait CliLang {
    /// The label of a domain term, or the code itself if a newer client sent a code
    /// this version does not know (codes are kept, never dropped).
    fn term(self, list: &[Term], code: &str) -> String;
}

impl CliLang for Lang {
    fn term(self, list: &[Term], code: &str) -> String {
        match meldpunt_envelope::domain::find(list, code) {
            Some(t) => self.t(t.nl, t.en).to_string(),
            None => code.to_string(),
        }
    }
}

/// The language before clap has parsed anything, so that even usage errors and
/// `--help` come out in the right language. `--lang` wins over the locale; an
/// invalid `--lang` value is left for clap to report.
pub fn detect(args: &[std::ffi::OsString]) -> Lang {
    let mut iter = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(a) = iter.next() {
        if a == "--" {
            break;
        }
        let value = if a == "--lang" {
            iter.next()
        } else {
            a.strip_prefix("--lang=")
        };
        if let Some(l) = value.and_then(Lang::from_code) {
            return l;
        }
    }
    Lang::from_locale(|k| std::env::var(k).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn flag_wins() {
        assert_eq!(detect(&args(&["x", "--lang", "en", "list"])), Lang::En);
        assert_eq!(detect(&args(&["x", "list", "--lang=en"])), Lang::En);
        assert_eq!(
            detect(&args(&["x", "--", "--lang=en"])),
            Lang::from_locale(|k| std::env::var(k).ok())
        );
    }
}
