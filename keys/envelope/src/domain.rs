//! The fixed vocabulary of a meldpunt integriteit, with Dutch and English labels.
//! Codes are stable identifiers stored in meldingen and case files; labels are for
//! people. Unknown codes from a newer client are kept as they are, never dropped.

/// A code with its Dutch and English label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub code: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
}

const fn t(code: &'static str, nl: &'static str, en: &'static str) -> Term {
    Term { code, nl, en }
}

/// Soort melding: what the melding is about.
pub const SOORTEN: &[Term] = &[
    t(
        "pesten",
        "Ongewenste omgangsvormen: pesten",
        "Undesirable behaviour: bullying",
    ),
    t(
        "intimidatie",
        "Ongewenste omgangsvormen: intimidatie",
        "Undesirable behaviour: intimidation",
    ),
    t(
        "seksuele-intimidatie",
        "Ongewenste omgangsvormen: seksuele intimidatie",
        "Undesirable behaviour: sexual harassment",
    ),
    t(
        "agressie-en-geweld",
        "Ongewenste omgangsvormen: agressie en geweld",
        "Undesirable behaviour: aggression and violence",
    ),
    t(
        "discriminatie",
        "Ongewenste omgangsvormen: discriminatie",
        "Undesirable behaviour: discrimination",
    ),
    t(
        "belangenverstrengeling",
        "Belangenverstrengeling (ook nevenwerkzaamheden, financiële belangen)",
        "Conflict of interest (including outside work, financial interests)",
    ),
    t(
        "misbruik-bevoegdheden",
        "Misbruik van bevoegdheden",
        "Abuse of powers",
    ),
    t(
        "fraude-corruptie",
        "Fraude en corruptie",
        "Fraud and corruption",
    ),
    t(
        "datalek-privacy",
        "Datalek of privacyschending",
        "Data breach or privacy violation",
    ),
    t(
        "geschenken-giften",
        "Geschenken en giften",
        "Gifts and hospitality",
    ),
    t(
        "maatschappelijke-misstand",
        "Misstand met maatschappelijk belang",
        "Wrongdoing of public concern",
    ),
    t("overig", "Overig", "Other"),
];

/// Melder: who reports (optional for the reporter).
pub const MELDERS: &[Term] = &[
    t("medewerker", "Medewerker", "Employee"),
    t(
        "extern",
        "Externe medewerker, inhuur of stagiair",
        "External staff, contractor or intern",
    ),
    t("inwoner", "Inwoner", "Inhabitant"),
    t("ondernemer", "Ondernemer", "Business owner"),
    t(
        "anders",
        "Anders, of zeg ik liever niet",
        "Other, or I would rather not say",
    ),
];

/// Over wie: whom the melding is about.
pub const OVER_WIE: &[Term] = &[
    t("medewerker", "Een medewerker", "An employee"),
    t("leidinggevende", "Een leidinggevende", "A manager"),
    t(
        "bestuurder",
        "Een bestuurder (politieke ambtsdrager)",
        "An office holder (political)",
    ),
    t("extern", "Een externe partij", "An external party"),
    t(
        "onbekend",
        "Weet ik niet of zeg ik liever niet",
        "I don't know or would rather not say",
    ),
];

/// Afdoening: the outcome of a case.
pub const AFDOENINGEN: &[Term] = &[
    t("in-behandeling", "In behandeling", "In progress"),
    t("gegrond", "Gegrond", "Substantiated"),
    t("deels-gegrond", "Deels gegrond", "Partly substantiated"),
    t("ongegrond", "Ongegrond", "Unsubstantiated"),
    t("doorverwezen", "Doorverwezen", "Referred elsewhere"),
    t(
        "voortijdig-beeindigd",
        "Voortijdig beëindigd",
        "Ended early",
    ),
    t("niet-ontvankelijk", "Niet ontvankelijk", "Inadmissible"),
];

/// Finds a term by code.
pub fn find(list: &[Term], code: &str) -> Option<Term> {
    list.iter().copied().find(|t| t.code == code)
}

/// True for an organisation slug: 1 to 40 lowercase letters, digits and hyphens.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// True for a calendar day written `YYYY-MM-DD` (days are the finest time unit
/// Meldpunt keeps).
pub fn is_valid_day(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) if s[0..4].bytes().all(|c| c.is_ascii_digit()) => {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return false,
            };
            (1..=days).contains(&d) && (1970..=9999).contains(&y)
        }
        _ => false,
    }
}

/// Today's date in UTC, `YYYY-MM-DD`. Not in the WASM build: the browser never dates
/// anything (the server records the day it received a melding).
#[cfg(not(target_arch = "wasm32"))]
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    day_from_unix_days((secs / 86_400) as i64)
}

/// The civil date of a day number counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`), written `YYYY-MM-DD`.
pub fn day_from_unix_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_slugs() {
        for list in [SOORTEN, MELDERS, OVER_WIE, AFDOENINGEN] {
            for (i, a) in list.iter().enumerate() {
                assert!(is_valid_slug(a.code), "{}", a.code);
                assert!(list[i + 1..].iter().all(|b| b.code != a.code));
            }
        }
    }

    #[test]
    fn civil_days() {
        assert_eq!(day_from_unix_days(0), "1970-01-01");
        assert_eq!(day_from_unix_days(59), "1970-03-01");
        assert_eq!(day_from_unix_days(11_016), "2000-02-29");
        assert_eq!(day_from_unix_days(19_782), "2024-02-29");
        assert_eq!(day_from_unix_days(20_088), "2024-12-31");
        assert_eq!(day_from_unix_days(20_779), "2026-11-22");
        assert!(is_valid_day(&today()));
    }

    #[test]
    fn days() {
        assert!(is_valid_day("2026-11-22"));
        assert!(is_valid_day("2024-02-29"));
        assert!(!is_valid_day("2023-02-29"));
        assert!(!is_valid_day("2026-13-01"));
        assert!(!is_valid_day("2026-1-01"));
        assert!(!is_valid_day("+026-01-01"));
        assert!(!is_valid_day("2026-11-22T10:00"));
    }
}
