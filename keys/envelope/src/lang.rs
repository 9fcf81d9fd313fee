//! The one language choice of Meldpunt: the reporter's pages, the server's pages and
//! the offline tools all speak Dutch by default and English on request.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A language every user-facing text exists in. Dutch first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    /// Every language, Dutch first.
    pub const ALL: &'static [Lang] = &[Lang::Nl, Lang::En];

    /// The ISO 639-1 code: `nl` or `en` (also the `lang` query parameter and the
    /// HTML `lang` attribute).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language with this code, exactly `nl` or `en`.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.iter().copied().find(|l| l.code() == code)
    }

    /// The language the locale asks for, in POSIX order: `LC_ALL` overrides
    /// `LC_MESSAGES`, which overrides `LANG`; an empty value counts as unset.
    /// English for a locale starting with `en`, otherwise Dutch. `get` reads one
    /// variable (`|k| std::env::var(k).ok()` in a program; a table in tests).
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

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = crate::domain::UnknownCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_code(s).ok_or_else(|| crate::domain::UnknownCode {
            what: "lang",
            code: s.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn locale_order() {
        assert_eq!(Lang::from_locale(env(&[])), Lang::Nl);
        assert_eq!(Lang::from_locale(env(&[("LANG", "en_GB.UTF-8")])), Lang::En);
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "en_GB.UTF-8"), ("LC_ALL", "nl_NL.UTF-8")])),
            Lang::Nl
        );
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "en_GB.UTF-8"), ("LC_MESSAGES", "nl_NL")])),
            Lang::Nl
        );
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "nl_NL.UTF-8"), ("LC_ALL", "")])),
            Lang::Nl
        );
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "en_US.UTF-8"), ("LC_ALL", "")])),
            Lang::En
        );
        assert_eq!(Lang::from_locale(env(&[("LANG", "C.UTF-8")])), Lang::Nl);
    }

    #[test]
    fn codes() {
        assert_eq!(Lang::default(), Lang::Nl);
        assert_eq!(Lang::ALL[0], Lang::Nl);
        for &l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
            assert_eq!(l.to_string().parse::<Lang>().unwrap(), l);
            assert_eq!(serde_json::to_string(&l).unwrap(), format!("\"{l}\""));
        }
        assert_eq!(Lang::from_code("EN"), None);
        assert_eq!(Lang::from_code("fr"), None);
        assert!("".parse::<Lang>().is_err());
    }
}
