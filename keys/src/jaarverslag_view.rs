//! The jaarverslag as the desk hands it out (added for the desk; the CLI's renderers in
//! [`crate::jaarverslag`] stay as they are): organisation names instead of slugs, and
//! counts from 1 to 4 shown as "< 5" unless the coördinator chooses otherwise, so no
//! figure points at a person. CSV for Dutch Excel: semicolons, UTF-8 with a BOM.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::jaarverslag::{
    Format, Jaarverslag, Scope, Shown, key_label, markdown, section_label, svg,
};
use crate::lang::Lang;
use crate::report::{Cell, Row};
use crate::tr;

/// How to present the figures.
#[derive(Debug, Clone, Default)]
pub struct Presentation {
    /// Organisation slug → name; a slug without one shows as itself.
    pub names: BTreeMap<String, String>,
    /// Show counts from 1 to 4 as they are (default: "< 5").
    pub show_small: bool,
}

/// The text shown for counts from 1 to 4.
pub const SMALL: &str = "< 5";

impl Presentation {
    /// A count as shown.
    pub fn count(&self, n: u64) -> String {
        if !self.show_small && (1..5).contains(&n) {
            SMALL.to_string()
        } else {
            n.to_string()
        }
    }

    /// A cell as shown: a count, or a share as a percentage with its counts.
    pub fn cell(&self, l: Lang, c: Cell) -> String {
        match c {
            Cell::Count(n) => self.count(n),
            Cell::Share { met, of } => match c.percent() {
                Some(p) => tr!(
                    l,
                    "report-of",
                    p = format!("{p:.0}"),
                    met = self.count(met),
                    of = self.count(of)
                ),
                None => "-".into(),
            },
        }
    }

    /// What a part of the report is called: the whole meldpunt or an organisation's
    /// name.
    pub fn scope_name(&self, l: Lang, s: &Scope) -> String {
        match &s.slug {
            None => tr!(l, "report-whole-meldpunt"),
            Some(o) => self.names.get(o).cloned().unwrap_or_else(|| o.clone()),
        }
    }

    /// The report in `format`.
    pub fn render(&self, j: &Jaarverslag, l: Lang, format: Format) -> String {
        match format {
            Format::Markdown => markdown(l, j.year, &j.scopes, self),
            Format::Csv => self.csv(j, l),
            Format::Svg => svg(l, j.year, &j.scopes[0], self),
        }
    }

    /// The rows worth showing: vocabulary items no year has are left out, except the
    /// fixed ones.
    pub fn rows<'a>(&self, s: &'a Scope) -> impl Iterator<Item = &'a Row> {
        s.table.rows.iter().filter(|r| {
            let empty = r.cells.iter().all(|c| matches!(c, Cell::Count(0)));
            !empty || matches!(r.section, "totaal" | "doorverwezen" | "melder")
        })
    }

    pub fn section_label(&self, l: Lang, section: &str) -> String {
        section_label(l, section)
    }

    pub fn row_label(&self, l: Lang, r: &Row) -> String {
        key_label(l, r.section, &r.key)
    }

    /// CSV as Dutch Excel opens it: a BOM, semicolons, one row per figure.
    fn csv(&self, j: &Jaarverslag, l: Lang) -> String {
        fn field(s: &str) -> String {
            if s.contains([';', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        }
        let mut out = String::from("\u{feff}");
        let years: Vec<String> = j.scopes[0]
            .table
            .years
            .iter()
            .map(|y| y.to_string())
            .collect();
        let head = tr!(l, "report-organisation-section-code-label").replace(',', ";");
        let _ = write!(out, "{head};{}\r\n", years.join(";"));
        for s in &j.scopes {
            let scope = field(&self.scope_name(l, s));
            for r in &s.table.rows {
                let cells: Vec<String> = r
                    .cells
                    .iter()
                    .map(|c| match c {
                        Cell::Count(n) => self.count(*n),
                        Cell::Share { .. } => c
                            .percent()
                            .map(|p| format!("{p:.1}").replace('.', ","))
                            .unwrap_or_default(),
                    })
                    .collect();
                let _ = write!(
                    out,
                    "{scope};{};{};{};{}\r\n",
                    field(&section_label(l, r.section)),
                    r.key,
                    field(&self.row_label(l, r)),
                    cells.join(";")
                );
            }
        }
        out
    }
}

impl Shown for Presentation {
    fn scope_name(&self, l: Lang, s: &Scope) -> String {
        Presentation::scope_name(self, l, s)
    }

    fn cell(&self, l: Lang, c: Cell) -> String {
        Presentation::cell(self, l, c)
    }

    fn bar(&self, n: u64) -> (String, u64, bool) {
        let shown = self.count(n);
        if shown == SMALL {
            (shown, 5, true)
        } else {
            (shown, n, false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_hidden_unless_chosen() {
        let p = Presentation::default();
        assert_eq!(p.count(0), "0");
        assert_eq!(p.count(1), "< 5");
        assert_eq!(p.count(4), "< 5");
        assert_eq!(p.count(5), "5");
        let p = Presentation {
            show_small: true,
            ..Presentation::default()
        };
        assert_eq!(p.count(3), "3");
    }
}
