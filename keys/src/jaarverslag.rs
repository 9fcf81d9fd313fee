//! The jaarverslag integriteit: the year's figures for the council, for the whole
//! meldpunt and per organisation, with earlier years side by side
//! ([`Session::jaarverslag`]), and pure renderers of them: Markdown (for the report),
//! CSV (for a spreadsheet) or an SVG chart (for the infographic), in a [`Lang`].
//! Plain oversight data only, so no passphrase is needed.

use crate::tr;
use std::fmt::Write;

use meldpunt_envelope::domain::{AFDOENINGEN, SOORTEN};

use crate::error::{Error, Field, Result};
use crate::lang::{CliLang, Lang};
use crate::report::{self, Cell, Table};
use crate::session::Session;
use crate::store::Filter;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
    Svg,
}

/// One part of the report: the whole meldpunt (`slug` `None`) or one organisation.
#[derive(Debug, Clone)]
pub struct Scope {
    pub slug: Option<String>,
    pub table: Table,
}

/// The figures of a jaarverslag: the whole meldpunt first, then each organisation.
#[derive(Debug, Clone)]
pub struct Jaarverslag {
    pub year: i64,
    pub scopes: Vec<Scope>,
}

impl Jaarverslag {
    /// The report in `format`, in language `l`. Pure: the same figures give the same
    /// bytes.
    pub fn render(&self, l: Lang, format: Format) -> String {
        match format {
            Format::Markdown => markdown(l, self.year, &self.scopes),
            Format::Csv => csv(l, &self.scopes),
            Format::Svg => svg(l, self.year, &self.scopes[0]),
        }
    }
}

fn section_label(l: Lang, s: &str) -> String {
    match s {
        "totaal" => tr!(l, "report-total"),
        "melder" => tr!(l, "report-who-reported"),
        "soort" => tr!(l, "report-kind-of-report"),
        "afdoening" => tr!(l, "show-outcome"),
        "doorverwezen" => tr!(l, "report-referred-elsewhere"),
        "kanaal" => tr!(l, "show-channel"),
        _ => tr!(l, "report-legal-deadlines-met"),
    }
}

fn key_label(l: Lang, section: &str, key: &str) -> String {
    match section {
        "totaal" => tr!(l, "report-reports"),
        "melder" => match key {
            "eigen-organisatie" => tr!(l, "report-own-organisation-staff-contractors-interns"),
            "inwoners-ondernemers" => tr!(l, "report-inhabitants-and-businesses"),
            _ => tr!(l, "report-other-or-unknown"),
        },
        "soort" => l.term(SOORTEN, key),
        "afdoening" => l.term(AFDOENINGEN, key),
        "doorverwezen" => tr!(l, "report-referred-to-another-body"),
        "kanaal" => l.term(crate::cases::KANALEN, key),
        _ => match key {
            "ontvangstbevestiging" => tr!(l, "report-acknowledgement-within-7-days"),
            _ => tr!(l, "report-feedback-within-3-months"),
        },
    }
}

fn cell_text(l: Lang, c: Cell) -> String {
    match c {
        Cell::Count(n) => n.to_string(),
        Cell::Share { met, of } => match c.percent() {
            Some(p) => tr!(l, "report-of", p = format!("{:.0}", p), met = met, of = of),
            None => "-".into(),
        },
    }
}

fn scope_name(l: Lang, s: &Scope) -> String {
    match &s.slug {
        None => tr!(l, "report-whole-meldpunt"),
        Some(o) => format!("{} {o}", tr!(l, "show-organisation")),
    }
}

fn markdown(l: Lang, year: i64, scopes: &[Scope]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} {year}\n",
        tr!(l, "report-integrity-annual-report")
    );
    let _ = writeln!(out, "{}\n", tr!(l, "report-numbers-of-reports-by-year"));
    for s in scopes {
        let _ = writeln!(out, "## {}\n", scope_name(l, s));
        let mut section = "";
        for r in &s.table.rows {
            // Rows of vocabulary items no year has are left out, except the fixed ones.
            let empty = r.cells.iter().all(|c| matches!(c, Cell::Count(0)));
            if empty && !matches!(r.section, "totaal" | "doorverwezen" | "melder") {
                continue;
            }
            if r.section != section {
                if !section.is_empty() {
                    out.push('\n');
                }
                section = r.section;
                let years: Vec<String> = s.table.years.iter().map(|y| y.to_string()).collect();
                let _ = writeln!(
                    out,
                    "### {}\n\n| | {} |\n|---|{}",
                    section_label(l, section),
                    years.join(" | "),
                    "---:|".repeat(years.len())
                );
            }
            let cells: Vec<String> = r.cells.iter().map(|c| cell_text(l, *c)).collect();
            let _ = writeln!(
                out,
                "| {} | {} |",
                key_label(l, r.section, &r.key),
                cells.join(" | ")
            );
        }
        out.push('\n');
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One row per figure: scope, section code, key code, label, then one column per year.
/// Deadline rows give the percentage; `…-op-tijd` and `…-beoordeeld` rows the counts.
fn csv(l: Lang, scopes: &[Scope]) -> String {
    let mut out = String::new();
    let years: Vec<String> = scopes[0]
        .table
        .years
        .iter()
        .map(|y| y.to_string())
        .collect();
    let _ = writeln!(
        out,
        "{},{}",
        tr!(l, "report-organisation-section-code-label"),
        years.join(",")
    );
    for s in scopes {
        let scope = s.slug.clone().unwrap_or_else(|| "meldpunt".into());
        for r in &s.table.rows {
            let label = csv_field(&key_label(l, r.section, &r.key));
            let mut line = |key: &str, cells: Vec<String>| {
                let _ = writeln!(
                    out,
                    "{scope},{},{key},{label},{}",
                    r.section,
                    cells.join(",")
                );
            };
            match r.cells.first() {
                Some(Cell::Share { .. }) => {
                    line(
                        &format!("{}-procent", r.key),
                        r.cells
                            .iter()
                            .map(|c| c.percent().map(|p| format!("{p:.1}")).unwrap_or_default())
                            .collect(),
                    );
                    for (suffix, pick) in [("op-tijd", 0), ("beoordeeld", 1)] {
                        line(
                            &format!("{}-{suffix}", r.key),
                            r.cells
                                .iter()
                                .map(|c| match c {
                                    Cell::Share { met, of } => {
                                        if pick == 0 { met } else { of }.to_string()
                                    }
                                    Cell::Count(n) => n.to_string(),
                                })
                                .collect(),
                        );
                    }
                }
                _ => line(
                    &r.key,
                    r.cells
                        .iter()
                        .map(|c| match c {
                            Cell::Count(n) => n.to_string(),
                            Cell::Share { met, .. } => met.to_string(),
                        })
                        .collect(),
                ),
            }
        }
    }
    out
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A chart for the infographic: totals per year, and the asked year by soort and by
/// melder. Plain SVG with its own fonts and colours; nothing loaded from elsewhere.
fn svg(l: Lang, year: i64, scope: &Scope) -> String {
    let t = &scope.table;
    let count = |r: &report::Row, i: usize| match r.cells[i] {
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
        .map(|r| (key_label(l, r.section, &r.key), count(r, last)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let width = 900;
    let bar_h = 26;
    let top_h = 260;
    let height = top_h + 80 + bars.len() as i64 * bar_h + 40;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Arial, Helvetica, sans-serif\" role=\"img\">"
    );
    let title = format!(
        "{} {year} · {}",
        tr!(l, "report-integrity-reports"),
        scope_name(l, scope)
    );
    let _ = writeln!(o, "<title>{}</title>", xml(&title));
    let _ = writeln!(o, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
    let _ = writeln!(
        o,
        "<text x=\"24\" y=\"36\" font-size=\"22\" font-weight=\"bold\" fill=\"#1a1a1a\">{}</text>",
        xml(&title)
    );
    // Totals per year, vertical bars.
    let max_total = totals.iter().copied().max().unwrap_or(0).max(1);
    let col_w = 120;
    for (i, (y, n)) in t.years.iter().zip(&totals).enumerate() {
        let h = (*n as f64 / max_total as f64 * 160.0).round() as i64;
        let x = 40 + i as i64 * (col_w + 20);
        let fill = if i == last { "#01689b" } else { "#8fcae7" };
        let _ = writeln!(
            o,
            "<rect x=\"{x}\" y=\"{}\" width=\"{col_w}\" height=\"{h}\" fill=\"{fill}\"><title>{y}: {n}</title></rect>",
            220 - h
        );
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"18\" text-anchor=\"middle\" fill=\"#1a1a1a\">{n}</text>",
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
        xml(&tr!(l, "report-by-kind-and-by-who", year = year))
    );
    let max_bar = bars.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    for (i, (label, n)) in bars.iter().enumerate() {
        let y = top_h + 60 + i as i64 * bar_h;
        let w = (*n as f64 / max_bar as f64 * 300.0).round() as i64;
        let _ = writeln!(
            o,
            "<text x=\"530\" y=\"{}\" font-size=\"14\" text-anchor=\"end\" fill=\"#1a1a1a\">{}</text>",
            y + 17,
            xml(label)
        );
        let _ = writeln!(
            o,
            "<rect x=\"540\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"#01689b\"/>",
            y + 3,
            bar_h - 6
        );
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#1a1a1a\">{n}</text>",
            546 + w,
            y + 17
        );
    }
    o.push_str("</svg>\n");
    o
}

impl Session {
    /// The figures for `year` and the `years - 1` before it, for the whole meldpunt
    /// and per organisation, or for one `organisatie`.
    pub fn jaarverslag(
        &self,
        year: i64,
        years: i64,
        organisatie: Option<&str>,
        today: &str,
    ) -> Result<Jaarverslag> {
        if !(1970..=9999).contains(&year) {
            return Err(Error::InvalidCode(Field::Year, year.to_string()));
        }
        if !(1..=10).contains(&years) {
            return Err(Error::InvalidCode(Field::Years, years.to_string()));
        }
        let span: Vec<i64> = (year - years + 1..=year).collect();
        let all = self.store().cases(&Filter::default())?;
        let mut slugs: Vec<String> = all.iter().map(|c| c.organisatie.clone()).collect();
        slugs.sort();
        slugs.dedup();
        let mut scopes = Vec::new();
        match organisatie.map(str::to_string) {
            Some(o) => {
                if !slugs.contains(&o) {
                    return Err(Error::InvalidCode(Field::Organisatie, o.clone()));
                }
                let cases: Vec<_> = all.iter().filter(|c| c.organisatie == o).cloned().collect();
                scopes.push(Scope {
                    slug: Some(o.clone()),
                    table: report::table(&cases, &span, today),
                });
            }
            None => {
                scopes.push(Scope {
                    slug: None,
                    table: report::table(&all, &span, today),
                });
                // One organisation is the whole meldpunt: no second, identical section.
                if slugs.len() > 1 {
                    for o in slugs {
                        let cases: Vec<_> =
                            all.iter().filter(|c| c.organisatie == o).cloned().collect();
                        scopes.push(Scope {
                            slug: Some(o),
                            table: report::table(&cases, &span, today),
                        });
                    }
                }
            }
        }
        Ok(Jaarverslag { year, scopes })
    }
}
