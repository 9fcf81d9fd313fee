//! The jaarverslag as the desk hands it out (added for the desk; the CLI's renderers in
//! [`crate::jaarverslag`] stay as they are): organisation names instead of slugs, and
//! counts from 1 to 4 shown as "< 5" unless the coördinator chooses otherwise, so no
//! figure points at a person. CSV for Dutch Excel: semicolons, UTF-8 with a BOM.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::jaarverslag::{Format, Jaarverslag, Scope, key_label, section_label, xml};
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
            Format::Markdown => self.markdown(j, l),
            Format::Csv => self.csv(j, l),
            Format::Svg => self.svg(j, l, &j.scopes[0]),
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

    fn markdown(&self, j: &Jaarverslag, l: Lang) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# {} {}\n",
            tr!(l, "report-integrity-annual-report"),
            j.year
        );
        let _ = writeln!(out, "{}\n", tr!(l, "report-numbers-of-reports-by-year"));
        for s in &j.scopes {
            let _ = writeln!(out, "## {}\n", self.scope_name(l, s));
            let years: Vec<String> = s.table.years.iter().map(|y| y.to_string()).collect();
            let mut section = "";
            for r in self.rows(s) {
                if r.section != section {
                    if !section.is_empty() {
                        out.push('\n');
                    }
                    section = r.section;
                    let _ = writeln!(
                        out,
                        "### {}\n\n| | {} |\n|---|{}",
                        section_label(l, section),
                        years.join(" | "),
                        "---:|".repeat(years.len())
                    );
                }
                let cells: Vec<String> = r.cells.iter().map(|c| self.cell(l, *c)).collect();
                let _ = writeln!(out, "| {} | {} |", self.row_label(l, r), cells.join(" | "));
            }
            out.push('\n');
        }
        out
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

    /// The chart: totals per year, and the asked year by soort and by melder. A count
    /// below 5 (when hidden) is drawn as a short hatched bar labelled "< 5".
    fn svg(&self, j: &Jaarverslag, l: Lang, scope: &Scope) -> String {
        let t = &scope.table;
        let count = |r: &Row, i: usize| match r.cells[i] {
            Cell::Count(n) => n,
            _ => 0,
        };
        let last = t.years.len() - 1;
        let totals: Vec<u64> = (0..t.years.len())
            .map(|i| {
                t.get("totaal", "meldingen")
                    .map(|r| count(r, i))
                    .unwrap_or(0)
            })
            .collect();
        let bars: Vec<(String, u64)> = t
            .rows
            .iter()
            .filter(|r| r.section == "soort" || r.section == "melder")
            .map(|r| (self.row_label(l, r), count(r, last)))
            .filter(|(_, n)| *n > 0)
            .collect();
        let (width, bar_h, top_h) = (900i64, 26i64, 260i64);
        let height = top_h + 80 + bars.len() as i64 * bar_h + 40;
        let title = format!(
            "{} {} · {}",
            tr!(l, "report-integrity-reports"),
            j.year,
            self.scope_name(l, scope)
        );
        let mut o = String::new();
        let _ = writeln!(
            o,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Arial, Helvetica, sans-serif\" role=\"img\" aria-label=\"{}\">",
            xml(&title)
        );
        let _ = writeln!(o, "<title>{}</title>", xml(&title));
        let _ = writeln!(o, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        let _ = writeln!(
            o,
            "<text x=\"24\" y=\"36\" font-size=\"22\" font-weight=\"bold\" fill=\"#1a1a1a\">{}</text>",
            xml(&title)
        );
        let max_total = totals.iter().copied().max().unwrap_or(0).max(5);
        let col_w = 120;
        for (i, (y, n)) in t.years.iter().zip(&totals).enumerate() {
            let shown_n = if self.count(*n) == SMALL { 5 } else { *n };
            let h = (shown_n as f64 / max_total as f64 * 160.0).round() as i64;
            let x = 40 + i as i64 * (col_w + 20);
            let fill = if i == last { "#01689b" } else { "#8fcae7" };
            let label = xml(&self.count(*n));
            let _ = writeln!(
                o,
                "<rect x=\"{x}\" y=\"{}\" width=\"{col_w}\" height=\"{h}\" fill=\"{fill}\"><title>{y}: {label}</title></rect>",
                220 - h
            );
            let _ = writeln!(
                o,
                "<text x=\"{}\" y=\"{}\" font-size=\"18\" text-anchor=\"middle\" fill=\"#1a1a1a\">{label}</text>",
                x + col_w / 2,
                212 - h
            );
            let _ = writeln!(
                o,
                "<text x=\"{}\" y=\"244\" font-size=\"16\" text-anchor=\"middle\" fill=\"#1a1a1a\">{y}</text>",
                x + col_w / 2
            );
        }
        let _ = writeln!(
            o,
            "<text x=\"24\" y=\"{}\" font-size=\"18\" font-weight=\"bold\" fill=\"#1a1a1a\">{}</text>",
            top_h + 40,
            xml(&tr!(l, "report-by-kind-and-by-who", year = j.year))
        );
        let max_bar = bars.iter().map(|(_, n)| *n).max().unwrap_or(0).max(5);
        for (i, (label, n)) in bars.iter().enumerate() {
            let y = top_h + 60 + i as i64 * bar_h;
            let small = self.count(*n) == SMALL;
            let shown_n = if small { 5 } else { *n };
            let w = (shown_n as f64 / max_bar as f64 * 300.0).round() as i64;
            let _ = writeln!(
                o,
                "<text x=\"530\" y=\"{}\" font-size=\"14\" text-anchor=\"end\" fill=\"#1a1a1a\">{}</text>",
                y + 17,
                xml(label)
            );
            let fill = if small { "#8fcae7" } else { "#01689b" };
            let _ = writeln!(
                o,
                "<rect x=\"540\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"{fill}\"/>",
                y + 3,
                bar_h - 6
            );
            let _ = writeln!(
                o,
                "<text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#1a1a1a\">{}</text>",
                546 + w,
                y + 17,
                xml(&self.count(*n))
            );
        }
        o.push_str("</svg>\n");
        o
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
