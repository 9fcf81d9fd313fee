//! The language of everything the tool prints: Dutch by default, English on request
//! (`--lang en`) or when the locale says English.

use meldpunt_envelope::domain::Term;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    /// The label of a domain term, or the code itself if a newer client sent a code
    /// this version does not know (codes are kept, never dropped).
    pub fn term(self, list: &[Term], code: &str) -> String {
        match meldpunt_envelope::domain::find(list, code) {
            Some(t) => match self {
                Lang::Nl => t.nl,
                Lang::En => t.en,
            }
            .to_string(),
            None => code.to_string(),
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
            match value {
                Some("en") => return Lang::En,
                Some("nl") => return Lang::Nl,
                _ => {}
            }
        }
        Self::from_locale(|k| std::env::var(k).ok())
    }

    /// POSIX order: `LC_ALL` overrides `LC_MESSAGES`, which overrides `LANG`.
    pub fn from_locale(get: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(get)
            .find(|v| !v.is_empty());
        match locale {
            Some(l) if l.starts_with("en") => Lang::En,
            _ => Lang::Nl,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn locale_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_locale(env(&[])), Lang::Nl);
        assert_eq!(Lang::from_locale(env(&[("LANG", "en_GB.UTF-8")])), Lang::En);
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "en_GB.UTF-8"), ("LC_ALL", "nl_NL.UTF-8")])),
            Lang::Nl
        );
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "nl_NL.UTF-8"), ("LC_ALL", "")])),
            Lang::Nl
        );
        assert_eq!(Lang::from_locale(env(&[("LANG", "C.UTF-8")])), Lang::Nl);
    }

    #[test]
    fn flag_wins() {
        assert_eq!(
            Lang::detect(&args(&["x", "--lang", "en", "list"])),
            Lang::En
        );
        assert_eq!(Lang::detect(&args(&["x", "list", "--lang=en"])), Lang::En);
        assert_eq!(
            Lang::detect(&args(&["x", "--", "--lang=en"])),
            Lang::from_locale(|k| std::env::var(k).ok())
        );
    }
}
