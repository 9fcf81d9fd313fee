//! `jaarverslag`: the year's figures for the council, for the whole meldpunt and per
//! organisation, with earlier years side by side: Markdown (for the report), CSV (for
//! a spreadsheet) or an SVG chart (for the infographic). Plain oversight data only, so
//! no passphrase is needed.

use std::fmt::Write;
use std::path::Path;

use meldpunt_envelope::domain::{AFDOENINGEN, SOORTEN};

use super::Ctx;
use crate::error::{Failure, Result};
use crate::lang::{CliLang, Lang};
use crate::report::{self, Cell, Table};
use crate::store::{Filter, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
    Svg,
}

pub struct Args<'a> {
    pub year: i64,
    pub organisatie: Option<String>,
    pub format: Format,
    /// How many years in all, the asked year last.
    pub years: i64,
    pub out: Option<&'a Path>,
}

/// Everything the report covers: the whole meldpunt, then each organisation.
struct Scope {
    slug: Option<String>,
    table: Table,
}

fn section_label(l: Lang, s: &str) -> &'static str {
    match s {
        "totaal" => l.t("Totaal", "Total"),
        "melder" => l.t("Wie meldde", "Who reported"),
        "soort" => l.t("Soort melding", "Kind of report"),
        "afdoening" => l.t("Afdoening", "Outcome"),
        "doorverwezen" => l.t("Doorverwezen", "Referred elsewhere"),
        "kanaal" => l.t("Kanaal", "Channel"),
        _ => l.t("Wettelijke termijnen gehaald", "Legal deadlines met"),
    }
}

fn key_label(l: Lang, section: &str, key: &str) -> String {
    match section {
        "totaal" => l.t("Meldingen", "Reports").into(),
        "melder" => match key {
            "eigen-organisatie" => l.t(
                "Eigen organisatie (medewerkers, inhuur, stagiairs)",
                "Own organisation (staff, contractors, interns)",
            ),
            "inwoners-ondernemers" => l.t("Inwoners en ondernemers", "Inhabitants and businesses"),
            _ => l.t("Anders of onbekend", "Other or unknown"),
        }
        .into(),
        "soort" => l.term(SOORTEN, key),
        "afdoening" => l.term(AFDOENINGEN, key),
        "doorverwezen" => l
            .t(
                "Doorverwezen naar een andere instantie",
                "Referred to another body",
            )
            .into(),
        "kanaal" => l.term(super::register::KANALEN, key),
        _ => match key {
            "ontvangstbevestiging" => l.t(
                "Ontvangstbevestiging binnen 7 dagen",
                "Acknowledgement within 7 days",
            ),
            _ => l.t(
                "Terugkoppeling binnen 3 maanden",
                "Feedback within 3 months",
            ),
        }
        .into(),
    }
}

fn cell_text(l: Lang, c: Cell) -> String {
    match c {
        Cell::Count(n) => n.to_string(),
        Cell::Share { met, of } => match c.percent() {
            Some(p) => l.t(
                format!("{p:.0} % ({met} van {of})"),
                format!("{p:.0} % ({met} of {of})"),
            ),
            None => "-".into(),
        },
    }
}

fn scope_name(l: Lang, s: &Scope) -> String {
    match &s.slug {
        None => l.t("Hele meldpunt", "Whole meldpunt").into(),
        Some(o) => format!("{} {o}", l.t("Organisatie", "Organisation")),
    }
}

fn markdown(l: Lang, year: i64, scopes: &[Scope]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} {year}\n",
        l.t("Jaarverslag integriteit", "Integrity annual report")
    );
    let _ = writeln!(
        out,
        "{}\n",
        l.t(
            "Aantallen meldingen naar jaar van ontvangst, met eerdere jaren ter vergelijking. Een termijn telt mee zodra hij verstreken is of gehaald.",
            "Numbers of reports by year of receipt, with earlier years for comparison. A deadline counts once it has passed or was met.",
        )
    );
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
        l.t(
            "organisatie,onderdeel,code,omschrijving",
            "organisation,section,code,label"
        ),
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
        l.t("Meldingen integriteit", "Integrity reports"),
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
        xml(&l.t(
            format!("{year}: per soort en naar wie meldde"),
            format!("{year}: by kind and by who reported"),
        ))
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

pub fn run(ctx: &Ctx, a: &Args) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    p.require_keys()?;
    if !(1970..=9999).contains(&a.year) {
        return Err(Failure::InvalidCode("--year", a.year.to_string()));
    }
    if !(1..=10).contains(&a.years) {
        return Err(Failure::InvalidCode("--years", a.years.to_string()));
    }
    if let Some(out) = a.out {
        if out.exists() {
            return Err(Failure::OutputExists(out.to_path_buf()));
        }
    }
    let store = Store::open(&p.db)?;
    let years: Vec<i64> = (a.year - a.years + 1..=a.year).collect();
    let all = store.cases(&Filter::default())?;
    let today = crate::days::today();
    let mut slugs: Vec<String> = all.iter().map(|c| c.organisatie.clone()).collect();
    slugs.sort();
    slugs.dedup();
    let mut scopes = Vec::new();
    match &a.organisatie {
        Some(o) => {
            if !slugs.contains(o) {
                return Err(Failure::InvalidCode("organisatie", o.clone()));
            }
            let cases: Vec<_> = all
                .iter()
                .filter(|c| &c.organisatie == o)
                .cloned()
                .collect();
            scopes.push(Scope {
                slug: Some(o.clone()),
                table: report::table(&cases, &years, &today),
            });
        }
        None => {
            scopes.push(Scope {
                slug: None,
                table: report::table(&all, &years, &today),
            });
            // One organisation is the whole meldpunt: no second, identical section.
            if slugs.len() > 1 {
                for o in slugs {
                    let cases: Vec<_> =
                        all.iter().filter(|c| c.organisatie == o).cloned().collect();
                    scopes.push(Scope {
                        slug: Some(o),
                        table: report::table(&cases, &years, &today),
                    });
                }
            }
        }
    }
    let text = match a.format {
        Format::Markdown => markdown(l, a.year, &scopes),
        Format::Csv => csv(l, &scopes),
        Format::Svg => svg(l, a.year, &scopes[0]),
    };
    match a.out {
        Some(out) => {
            super::write_new(out, text.as_bytes())?;
            println!(
                "{}",
                l.t(
                    format!("Jaarverslag {} geschreven naar {}.", a.year, out.display()),
                    format!("Annual report {} written to {}.", a.year, out.display()),
                )
            );
        }
        None => print!("{text}"),
    }
    Ok(())
}
