//! The fixed vocabulary of a meldpunt integriteit, typed: soort melding, melder, over
//! wie, afdoening and kanaal, each an enum with its stable code (what meldingen, case
//! files, bundles and forms carry) and its label per [`Lang`]; the kinds of item
//! ([`ItemKind`]) and the events of a case's history ([`Event`]) with their stored
//! codes. Unknown codes from a newer client are kept as they are, never dropped:
//! [`Code`] carries them.
//!
//! This is the one definition: the reporter's page gets its `vocabulary.js` generated
//! from [`vocabulary_js`], the server's form and the offline tool read the enums.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg(not(target_arch = "wasm32"))]
pub use crate::calendar::today;
pub use crate::calendar::{day_from_unix_days, is_valid_day};
pub use crate::lang::Lang;

/// A code that is not one of a vocabulary's (language-free; the faces word it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} code {code:?}")]
pub struct UnknownCode {
    /// Which vocabulary: `soort`, `melder`, `over_wie`, `afdoening`, `kanaal`, ...
    pub what: &'static str,
    pub code: String,
}

/// What every vocabulary enum offers, for code that works on any of them.
pub trait Vocabulary: Copy + Eq + fmt::Debug + 'static {
    /// The field's own name, as the wire and the store spell it (`soort`, `over_wie`).
    const WHAT: &'static str;
    /// Every value in display order.
    const ALL: &'static [Self];
    /// The stable code.
    fn code(self) -> &'static str;
    /// The value with this code, if this version knows it.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// A vocabulary whose values have a label for people.
pub trait Labelled: Vocabulary {
    fn label(self, lang: Lang) -> &'static str;
}

/// The old untyped form of a term: a code with its Dutch and English label. The
/// lists below (`SOORTEN`, ...) are made from the enums by the same definition; they
/// stay until every reader uses the enums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub code: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
}

/// Finds a term by code (old API; new code uses `from_code` on the enums).
pub fn find(list: &[Term], code: &str) -> Option<Term> {
    list.iter().copied().find(|t| t.code == code)
}

/// Display, FromStr and serde as the code string, shared by every code enum.
macro_rules! code_traits {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;

            fn from_str(s: &str) -> Result<Self, UnknownCode> {
                <$name as Vocabulary>::from_code(s).ok_or_else(|| UnknownCode {
                    what: <$name as Vocabulary>::WHAT,
                    code: s.to_string(),
                })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// An enum of stored codes: the enum, `ALL`, `code()`, `from_code()`, [`Vocabulary`],
/// and Display, FromStr and serde as the code. Values without labels use it alone
/// (their wording belongs to each face).
macro_rules! codes {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stored code.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            /// The value with this code, if this version knows it.
            pub fn from_code(code: &str) -> Option<$name> {
                <$name as Vocabulary>::from_code(code)
            }
        }

        impl Vocabulary for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [$name] = $name::ALL;
            fn code(self) -> &'static str {
                $name::code(self)
            }
        }

        code_traits!($name);
    };
}

/// A vocabulary with labels: the enum and its codes (as `codes!`), its labels, and
/// the old `Term` list, from one table.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal, $list:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $nl:literal, $en:literal; )*
        }
    ) => {
        codes! {
            $(#[$meta])*
            $name, $what {
                $( $(#[$vmeta])* $variant = $code; )*
            }
        }

        impl $name {
            /// The label for people in `lang`.
            pub const fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        ($name::$variant, Lang::Nl) => $nl,
                        ($name::$variant, Lang::En) => $en,
                    )*
                }
            }
        }

        impl Labelled for $name {
            fn label(self, lang: Lang) -> &'static str {
                $name::label(self, lang)
            }
        }

        #[doc = concat!("The old form of [`", stringify!($name), "`]: codes with Dutch and English labels.")]
        pub const $list: &[Term] = &[$(Term { code: $code, nl: $nl, en: $en }),*];
    };
}

vocabulary! {
    /// Soort melding: what the melding is about.
    Soort, "soort", SOORTEN {
        Pesten = "pesten",
            "Ongewenste omgangsvormen: pesten",
            "Undesirable behaviour: bullying";
        Intimidatie = "intimidatie",
            "Ongewenste omgangsvormen: intimidatie",
            "Undesirable behaviour: intimidation";
        SeksueleIntimidatie = "seksuele-intimidatie",
            "Ongewenste omgangsvormen: seksuele intimidatie",
            "Undesirable behaviour: sexual harassment";
        AgressieEnGeweld = "agressie-en-geweld",
            "Ongewenste omgangsvormen: agressie en geweld",
            "Undesirable behaviour: aggression and violence";
        Discriminatie = "discriminatie",
            "Ongewenste omgangsvormen: discriminatie",
            "Undesirable behaviour: discrimination";
        Belangenverstrengeling = "belangenverstrengeling",
            "Belangenverstrengeling (ook nevenwerkzaamheden, financiële belangen)",
            "Conflict of interest (including outside work, financial interests)";
        MisbruikBevoegdheden = "misbruik-bevoegdheden",
            "Misbruik van bevoegdheden",
            "Abuse of powers";
        FraudeCorruptie = "fraude-corruptie",
            "Fraude en corruptie",
            "Fraud and corruption";
        DatalekPrivacy = "datalek-privacy",
            "Datalek of privacyschending",
            "Data breach or privacy violation";
        GeschenkenGiften = "geschenken-giften",
            "Geschenken en giften",
            "Gifts and hospitality";
        MaatschappelijkeMisstand = "maatschappelijke-misstand",
            "Misstand met maatschappelijk belang",
            "Wrongdoing of public concern";
        Overig = "overig", "Overig", "Other";
    }
}

vocabulary! {
    /// Melder: who reports (optional for the reporter).
    Melder, "melder", MELDERS {
        Medewerker = "medewerker", "Medewerker", "Employee";
        Extern = "extern",
            "Externe medewerker, inhuur of stagiair",
            "External staff, contractor or intern";
        Inwoner = "inwoner", "Inwoner", "Inhabitant";
        Ondernemer = "ondernemer", "Ondernemer", "Business owner";
        Anders = "anders",
            "Anders, of zeg ik liever niet",
            "Other, or I would rather not say";
    }
}

vocabulary! {
    /// Over wie: whom the melding is about.
    OverWie, "over_wie", OVER_WIE {
        Medewerker = "medewerker", "Een medewerker", "An employee";
        Leidinggevende = "leidinggevende", "Een leidinggevende", "A manager";
        Bestuurder = "bestuurder",
            "Een bestuurder (politieke ambtsdrager)",
            "An office holder (political)";
        Extern = "extern", "Een externe partij", "An external party";
        Onbekend = "onbekend",
            "Weet ik niet of zeg ik liever niet",
            "I don't know or would rather not say";
    }
}

vocabulary! {
    /// Afdoening: the outcome of a case. `in-behandeling` while it is open.
    Afdoening, "afdoening", AFDOENINGEN {
        InBehandeling = "in-behandeling", "In behandeling", "In progress";
        Gegrond = "gegrond", "Gegrond", "Substantiated";
        DeelsGegrond = "deels-gegrond", "Deels gegrond", "Partly substantiated";
        Ongegrond = "ongegrond", "Ongegrond", "Unsubstantiated";
        Doorverwezen = "doorverwezen", "Doorverwezen", "Referred elsewhere";
        VoortijdigBeeindigd = "voortijdig-beeindigd", "Voortijdig beëindigd", "Ended early";
        NietOntvankelijk = "niet-ontvankelijk", "Niet ontvankelijk", "Inadmissible";
    }
}

vocabulary! {
    /// Kanaal: the channel a case came in by. `meldpunt` is the meldpunt's own page;
    /// the others are registered by hand (`meldpunt-keys register`).
    Kanaal, "kanaal", KANALEN {
        Meldpunt = "meldpunt", "Online meldpunt", "Online meldpunt";
        Telefoon = "telefoon", "Telefoon", "Telephone";
        EMail = "e-mail", "E-mail", "E-mail";
        Vertrouwenspersoon = "vertrouwenspersoon",
            "Via de vertrouwenspersoon",
            "Through the confidential adviser";
        Persoonlijk = "persoonlijk", "Persoonlijk gesprek", "In person";
        Brief = "brief", "Brief", "Letter";
    }
}

impl Afdoening {
    /// True for every outcome that closes the case (all but `in-behandeling`).
    pub fn closes(self) -> bool {
        self != Afdoening::InBehandeling
    }
}

impl Kanaal {
    /// True for the channels a case is registered by hand (all but the meldpunt's
    /// own page, whose cases arrive by import).
    pub fn is_registered_by_hand(self) -> bool {
        self != Kanaal::Meldpunt
    }
}

codes! {
    /// What an item is: on the wire (bundle manifests, the server's queue) and in the
    /// laptop's store.
    ItemKind, "kind" {
        /// A first melding from the reporter's page.
        Melding = "melding";
        /// A later message from the reporter on the same case.
        Vervolg = "vervolg";
        /// An attachment of the melding or follow-up its item names as parent.
        Bijlage = "bijlage";
        /// A reply from the meldpunt to the reporter.
        Reactie = "reactie";
        /// A case's text registered by hand on the laptop (never on the wire).
        Registratie = "registratie";
    }
}

impl From<crate::melding::Kind> for ItemKind {
    fn from(k: crate::melding::Kind) -> ItemKind {
        match k {
            crate::melding::Kind::Melding => ItemKind::Melding,
            crate::melding::Kind::Vervolg => ItemKind::Vervolg,
        }
    }
}

codes! {
    /// One line of a case's history in the laptop's store (`history.event`). The
    /// detail stored with it is a received day, a channel code, a count, or
    /// `old -> new` for a field that changed.
    Event, "event" {
        /// The case was created; detail: the [`Kanaal`] code.
        Aangemaakt = "aangemaakt";
        /// A melding was imported; detail: the day it was received.
        Melding = "melding";
        /// A follow-up was imported; detail: the day it was received.
        Vervolg = "vervolg";
        /// An attachment was imported; detail: the day it was received.
        Bijlage = "bijlage";
        /// A reply was written.
        Reactie = "reactie";
        /// A reply went into a replies bundle.
        ReactieGeexporteerd = "reactie-geexporteerd";
        /// A note was added.
        Notitie = "notitie";
        /// Attachments were saved to a folder; detail: how many.
        BijlagenOpgeslagen = "bijlagen-opgeslagen";
        /// The ontvangstbevestiging day was set; detail: `old -> new` or the day.
        Ontvangstbevestiging = "ontvangstbevestiging";
        /// The terugkoppeling day was set; detail: `old -> new` or the day.
        Terugkoppeling = "terugkoppeling";
        /// The afdoening changed; detail: `old -> new` codes.
        Afdoening = "afdoening";
        /// The soort changed; detail: `old -> new` codes.
        Soort = "soort";
        /// The melder changed; detail: `old -> new` codes.
        Melder = "melder";
        /// The over wie changed; detail: `old -> new` codes.
        OverWie = "over_wie";
        /// The organisatie changed; detail: `old -> new` slugs.
        Organisatie = "organisatie";
    }
}

impl Event {
    /// The event for importing an item of this kind (melding, vervolg, bijlage).
    pub fn imported(kind: ItemKind) -> Option<Event> {
        match kind {
            ItemKind::Melding => Some(Event::Melding),
            ItemKind::Vervolg => Some(Event::Vervolg),
            ItemKind::Bijlage => Some(Event::Bijlage),
            ItemKind::Reactie | ItemKind::Registratie => None,
        }
    }
}

/// A code as a reader found it: one this version knows, or one a newer client sent
/// that is kept as it is (shown as the code itself, never dropped).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Code<T> {
    Known(T),
    Unknown(String),
}

impl<T: Vocabulary> Code<T> {
    /// Never fails: an unknown code is kept.
    pub fn parse(code: &str) -> Code<T> {
        match T::from_code(code) {
            Some(v) => Code::Known(v),
            None => Code::Unknown(code.to_string()),
        }
    }

    /// The code as stored.
    pub fn code(&self) -> &str {
        match self {
            Code::Known(v) => v.code(),
            Code::Unknown(c) => c,
        }
    }

    /// The known value, if it is one.
    pub fn known(&self) -> Option<T> {
        match self {
            Code::Known(v) => Some(*v),
            Code::Unknown(_) => None,
        }
    }
}

impl<T: Labelled> Code<T> {
    /// The label in `lang`, or the code itself when this version does not know it.
    pub fn label(&self, lang: Lang) -> &str {
        match self {
            Code::Known(v) => v.label(lang),
            Code::Unknown(c) => c,
        }
    }
}

impl<T> From<T> for Code<T> {
    fn from(v: T) -> Code<T> {
        Code::Known(v)
    }
}

impl<T: Vocabulary> fmt::Display for Code<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl<T: Vocabulary> FromStr for Code<T> {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Code::parse(s))
    }
}

impl<T: Vocabulary> Serialize for Code<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de, T: Vocabulary> Deserialize<'de> for Code<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Code::parse(&s))
    }
}

/// The label of `code` in `lang`, or the code itself when this version does not
/// know it.
pub fn label_of<T: Labelled>(code: &str, lang: Lang) -> String {
    Code::<T>::parse(code).label(lang).to_string()
}

/// True for an organisation slug: 1 to 40 lowercase letters, digits and hyphens.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// One choice of the reporter's form, as the page reads it.
#[derive(Serialize)]
struct Choice {
    code: &'static str,
    label: &'static str,
    label_en: &'static str,
}

/// The choices of the reporter's form.
#[derive(Serialize)]
struct FormVocabulary {
    soorten: Vec<Choice>,
    over_wie: Vec<Choice>,
    melders: Vec<Choice>,
}

fn form_vocabulary() -> FormVocabulary {
    fn choices<T: Labelled>() -> Vec<Choice> {
        T::ALL
            .iter()
            .map(|v| Choice {
                code: v.code(),
                label: v.label(Lang::Nl),
                label_en: v.label(Lang::En),
            })
            .collect()
    }
    FormVocabulary {
        soorten: choices::<Soort>(),
        over_wie: choices::<OverWie>(),
        melders: choices::<Melder>(),
    }
}

/// The reporter's form's choices with their Dutch and English labels, as JSON
/// `{"soorten":[{"code","label","label_en"}],"over_wie":[…],"melders":[…]}`.
pub fn form_vocabulary_json() -> String {
    serde_json::to_string(&form_vocabulary()).expect("static strings serialise")
}

/// Where the build writes [`vocabulary_js`], relative to the workspace root.
pub const VOCABULARY_JS: &str = "client-wasm/www/vocabulary.js";

/// The reporter's page's `vocabulary.js`: [`form_vocabulary_json`] as an ES module,
/// so the first view needs no WebAssembly. `cargo xtask wasm` writes it; a test
/// checks that the committed file is exactly this.
pub fn vocabulary_js() -> String {
    let json = serde_json::to_string_pretty(&form_vocabulary()).expect("static strings serialise");
    format!(
        "// The fixed choices of the form (codes with Dutch and English labels). Generated\n\
         // from meldpunt-envelope's domain.rs by `cargo xtask wasm`: do not edit by hand.\n\
         // It is a plain module so the first view needs no WebAssembly.\n\
         \n\
         export const VOCABULARY = {json};\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unique_slugs<T: Vocabulary>() {
        for (i, a) in T::ALL.iter().enumerate() {
            assert!(is_valid_slug(a.code()) || a.code().contains('_'), "{a:?}");
            assert!(T::ALL[i + 1..].iter().all(|b| b.code() != a.code()));
            assert_eq!(T::from_code(a.code()), Some(*a));
        }
        assert_eq!(T::from_code("no-such-code"), None);
    }

    fn round_trips<T: Labelled + Serialize + for<'de> Deserialize<'de> + FromStr>() {
        for &v in T::ALL {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.code()));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), v);
            assert!(!v.label(Lang::Nl).is_empty() && !v.label(Lang::En).is_empty());
        }
        assert!(serde_json::from_str::<T>("\"no-such-code\"").is_err());
        assert!("no-such-code".parse::<T>().is_err());
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        unique_slugs::<Soort>();
        unique_slugs::<Melder>();
        unique_slugs::<OverWie>();
        unique_slugs::<Afdoening>();
        unique_slugs::<Kanaal>();
        unique_slugs::<ItemKind>();
        unique_slugs::<Event>();
        round_trips::<Soort>();
        round_trips::<Melder>();
        round_trips::<OverWie>();
        round_trips::<Afdoening>();
        round_trips::<Kanaal>();
    }

    #[test]
    fn labels_are_todays() {
        assert_eq!(Soort::Pesten.code(), "pesten");
        assert_eq!(
            Soort::Belangenverstrengeling.label(Lang::Nl),
            "Belangenverstrengeling (ook nevenwerkzaamheden, financiële belangen)"
        );
        assert_eq!(
            Melder::Anders.label(Lang::En),
            "Other, or I would rather not say"
        );
        assert_eq!(OverWie::Onbekend.code(), "onbekend");
        assert_eq!(
            Afdoening::VoortijdigBeeindigd.label(Lang::Nl),
            "Voortijdig beëindigd"
        );
        assert_eq!(Kanaal::EMail.code(), "e-mail");
        assert_eq!(Soort::ALL.len(), 12);
        assert_eq!(Soort::ALL[11], Soort::Overig);
        assert!(!Afdoening::InBehandeling.closes() && Afdoening::Gegrond.closes());
        assert!(!Kanaal::Meldpunt.is_registered_by_hand());
        // The old lists are the enums, in the same order.
        assert_eq!(SOORTEN.len(), Soort::ALL.len());
        for (t, s) in KANALEN.iter().zip(Kanaal::ALL) {
            assert_eq!(
                (t.code, t.nl, t.en),
                (s.code(), s.label(Lang::Nl), s.label(Lang::En))
            );
        }
    }

    #[test]
    fn unknown_codes_are_kept() {
        let c: Code<Soort> = serde_json::from_str("\"nieuw-in-2030\"").unwrap();
        assert_eq!(c, Code::Unknown("nieuw-in-2030".into()));
        assert_eq!(c.label(Lang::Nl), "nieuw-in-2030");
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"nieuw-in-2030\"");
        let k: Code<Soort> = "pesten".parse().unwrap();
        assert_eq!(k.known(), Some(Soort::Pesten));
        assert_eq!(k.label(Lang::En), "Undesirable behaviour: bullying");
        assert_eq!(label_of::<Afdoening>("gegrond", Lang::En), "Substantiated");
        assert_eq!(label_of::<Afdoening>("later", Lang::En), "later");
        let e = "x".parse::<Kanaal>().unwrap_err();
        assert_eq!(e.what, "kanaal");
    }

    #[test]
    fn kinds_and_events() {
        assert_eq!(
            ItemKind::from(crate::melding::Kind::Vervolg),
            ItemKind::Vervolg
        );
        assert_eq!(Event::imported(ItemKind::Bijlage), Some(Event::Bijlage));
        assert_eq!(Event::imported(ItemKind::Reactie), None);
        assert_eq!(Event::ReactieGeexporteerd.code(), "reactie-geexporteerd");
        assert_eq!(Event::OverWie.code(), "over_wie");
        assert_eq!("registratie".parse::<ItemKind>(), Ok(ItemKind::Registratie));
    }

    #[test]
    fn form_vocabulary_names_every_code() {
        let v: serde_json::Value = serde_json::from_str(&form_vocabulary_json()).unwrap();
        for (key, list) in [
            ("soorten", SOORTEN),
            ("over_wie", OVER_WIE),
            ("melders", MELDERS),
        ] {
            let codes: Vec<&str> = v[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["code"].as_str().unwrap())
                .collect();
            assert_eq!(codes, list.iter().map(|t| t.code).collect::<Vec<_>>());
        }
        assert_eq!(v["soorten"][0]["label_en"], Soort::Pesten.label(Lang::En));
        let js = vocabulary_js();
        let body = js.split_once("export const VOCABULARY = ").unwrap().1;
        let parsed: serde_json::Value =
            serde_json::from_str(body.trim_end().trim_end_matches(';')).unwrap();
        assert_eq!(parsed, v);
    }

    /// The page's committed `vocabulary.js` is exactly what `cargo xtask wasm`
    /// generates from this file.
    #[test]
    fn committed_vocabulary_js_is_generated() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../client-wasm/www/vocabulary.js"
        );
        let committed = std::fs::read_to_string(path).unwrap();
        assert!(
            committed == vocabulary_js(),
            "{VOCABULARY_JS} differs from domain::vocabulary_js(): run `cargo xtask wasm` and commit it"
        );
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("gemeente-leiden"));
        assert!(!is_valid_slug("-leiden"));
        assert!(!is_valid_slug("Leiden"));
        assert!(!is_valid_slug(""));
        assert!(!is_valid_slug(&"a".repeat(41)));
    }
}
