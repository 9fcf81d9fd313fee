//! The figures of the jaarverslag integriteit, computed from the plain oversight fields
//! of the cases only: per year, for the whole meldpunt or one organisation. Kept apart
//! from the output formats so each format shows the same numbers.

use meldpunt_envelope::domain::{AFDOENINGEN, Afdoening, Code, SOORTEN};

use crate::days::{self, Deadline};
use crate::store::CaseRow;

/// One cell of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Count(u64),
    /// `met` of `of` deadlines met; `of` counts the deadlines that have come due
    /// (or were done early).
    Share {
        met: u64,
        of: u64,
    },
}

impl Cell {
    pub fn percent(self) -> Option<f64> {
        match self {
            Cell::Share { met, of } if of > 0 => Some(met as f64 * 100.0 / of as f64),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    /// `totaal`, `melder`, `soort`, `afdoening`, `doorverwezen`, `kanaal`, `termijn`.
    pub section: &'static str,
    /// A code within the section (a soort, an afdoening, a melder group, …).
    pub key: String,
    /// One cell per year, oldest first.
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub years: Vec<i64>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn get(&self, section: &str, key: &str) -> Option<&Row> {
        self.rows
            .iter()
            .find(|r| r.section == section && r.key == key)
    }
}

/// The melder groups councils are given: the organisation's own people, inhabitants
/// and businesses, and everyone else or unknown.
pub const MELDER_GROUPS: &[&str] = &[
    "eigen-organisatie",
    "inwoners-ondernemers",
    "anders-onbekend",
];

pub fn melder_group(melder: Option<&str>) -> &'static str {
    match melder {
        Some("medewerker" | "extern") => "eigen-organisatie",
        Some("inwoner" | "ondernemer") => "inwoners-ondernemers",
        _ => "anders-onbekend",
    }
}

/// The table for `years` over `cases` (already narrowed to one organisation if wanted).
pub fn table(cases: &[CaseRow], years: &[i64], today: &str) -> Table {
    let n = years.len();
    let col = |c: &CaseRow| years.iter().position(|y| *y == c.year);
    let mut rows: Vec<Row> = Vec::new();
    let mut row = |section: &'static str, key: &str| -> usize {
        if let Some(i) = rows
            .iter()
            .position(|r| r.section == section && r.key == key)
        {
            return i;
        }
        let cells = if section == "termijn" {
            vec![Cell::Share { met: 0, of: 0 }; n]
        } else {
            vec![Cell::Count(0); n]
        };
        rows.push(Row {
            section,
            key: key.to_string(),
            cells,
        });
        rows.len() - 1
    };
    // Fixed rows first, in the order of the vocabulary, so every year shows them.
    row("totaal", "meldingen");
    for g in MELDER_GROUPS {
        row("melder", g);
    }
    for t in SOORTEN {
        row("soort", t.code);
    }
    for t in AFDOENINGEN {
        row("afdoening", t.code);
    }
    row("doorverwezen", "doorverwezen");
    for t in crate::cases::KANALEN {
        row("kanaal", t.code);
    }
    row("termijn", "ontvangstbevestiging");
    row("termijn", "terugkoppeling");
    let mut rows_done = rows;
    let mut bump = |section: &'static str, key: &str, i: usize| {
        let idx = match rows_done
            .iter()
            .position(|r| r.section == section && r.key == key)
        {
            Some(x) => x,
            None => {
                rows_done.push(Row {
                    section,
                    key: key.to_string(),
                    cells: vec![Cell::Count(0); n],
                });
                rows_done.len() - 1
            }
        };
        if let Cell::Count(c) = &mut rows_done[idx].cells[i] {
            *c += 1;
        }
    };
    let mut shares = vec![[(0u64, 0u64); 2]; n];
    for c in cases {
        let Some(i) = col(c) else { continue };
        bump("totaal", "meldingen", i);
        bump("melder", melder_group(c.melder.as_ref().map(Code::code)), i);
        bump("soort", c.soort.as_ref().map_or("overig", Code::code), i);
        bump("afdoening", c.afdoening.code(), i);
        if c.afdoening.known() == Some(Afdoening::Doorverwezen) {
            bump("doorverwezen", "doorverwezen", i);
        }
        bump("kanaal", c.kanaal.code(), i);
        let ack = Deadline::of(
            c.acknowledged.as_deref(),
            &days::ack_due(&c.received),
            today,
        );
        let fb = Deadline::of(
            c.feedback.as_deref(),
            &days::feedback_due(&c.received, c.acknowledged.as_deref()),
            today,
        );
        for (k, d) in [ack, fb].into_iter().enumerate() {
            match d {
                Deadline::Met { on_time, .. } => {
                    shares[i][k].1 += 1;
                    if on_time {
                        shares[i][k].0 += 1;
                    }
                }
                Deadline::Open { left, .. } if left < 0 => shares[i][k].1 += 1,
                Deadline::Open { .. } => {}
            }
        }
    }
    for (k, key) in ["ontvangstbevestiging", "terugkoppeling"]
        .iter()
        .enumerate()
    {
        if let Some(r) = rows_done
            .iter_mut()
            .find(|r| r.section == "termijn" && r.key == *key)
        {
            for (i, s) in shares.iter().enumerate() {
                r.cells[i] = Cell::Share {
                    met: s[k].0,
                    of: s[k].1,
                };
            }
        }
    }
    Table {
        years: years.to_vec(),
        rows: rows_done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(
        year: i64,
        received: &str,
        melder: Option<&str>,
        afdoening: &str,
        ack: Option<&str>,
    ) -> CaseRow {
        CaseRow {
            id: 0,
            number: String::new(),
            year,
            lookup_hash: None,
            kanaal: meldpunt_envelope::domain::Kanaal::Meldpunt.into(),
            organisatie: "leiden".into(),
            soort: Some(Code::parse("pesten")),
            melder: melder.map(Code::parse),
            over_wie: None,
            received: received.into(),
            afdoening: Code::parse(afdoening),
            closed: None,
            acknowledged: ack.map(str::to_string),
            feedback: None,
            messages: 1,
            replies: 0,
            attachments: 0,
        }
    }

    #[test]
    fn counts_and_shares() {
        let cases = [
            case(
                2025,
                "2025-01-10",
                Some("medewerker"),
                "gegrond",
                Some("2025-01-12"),
            ),
            case(
                2026,
                "2026-01-10",
                Some("inwoner"),
                "doorverwezen",
                Some("2026-01-20"),
            ),
            case(2026, "2026-12-30", None, "in-behandeling", None),
        ];
        let t = table(&cases, &[2025, 2026], "2027-01-02");
        assert_eq!(
            t.get("totaal", "meldingen").unwrap().cells,
            [Cell::Count(1), Cell::Count(2)]
        );
        assert_eq!(
            t.get("melder", "anders-onbekend").unwrap().cells[1],
            Cell::Count(1)
        );
        assert_eq!(
            t.get("doorverwezen", "doorverwezen").unwrap().cells[1],
            Cell::Count(1)
        );
        // 2026: one acknowledged late, one not yet due.
        assert_eq!(
            t.get("termijn", "ontvangstbevestiging").unwrap().cells[1],
            Cell::Share { met: 0, of: 1 }
        );
        assert_eq!(
            t.get("termijn", "ontvangstbevestiging").unwrap().cells[0],
            Cell::Share { met: 1, of: 1 }
        );
    }
}
