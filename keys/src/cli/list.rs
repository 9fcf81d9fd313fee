//! `list`: the cases with their legal deadlines (`Session::cases`), from the plain
//! oversight data only (no passphrase needed). Overdue cases come first, the most
//! overdue at the top.

use meldpunt_keys::tr;

use super::{Ctx, plural, printable};
use meldpunt_keys::cases::{CaseSummary, Deadlines, ListFilter};
use meldpunt_keys::days::{self, Deadline};
use meldpunt_keys::error::Result;
use meldpunt_keys::lang::Lang;
use meldpunt_keys::store::Filter;

use super::args::{ListArgs, StatusArg};

/// A short text for the list: what is due next, or what is late.
pub fn summary(d: &Deadlines, l: Lang) -> String {
    let late = |what: &str, n: i64| tr!(l, "list-late", what = what, n = n, plural = plural(n));
    let ack = tr!(l, "list-acknowledgement");
    let fb = tr!(l, "list-feedback");
    match (&d.ack, &d.feedback) {
        (Deadline::Open { left, .. }, _) if *left < 0 => late(&ack, -left),
        (_, Deadline::Open { left, .. }) if *left < 0 => late(&fb, -left),
        (Deadline::Open { due, .. }, _) => {
            tr!(l, "list-by", ack = ack, due = due)
        }
        (_, Deadline::Open { due, .. }) => {
            tr!(l, "list-by-2", fb = fb, due = due)
        }
        _ => "-".into(),
    }
}

pub fn run(ctx: &Ctx, a: &ListArgs) -> Result<()> {
    let l = ctx.lang;
    let session = ctx.session()?;
    let filter = ListFilter {
        store: Filter {
            organisatie: a.organisatie.clone(),
            open: a.status.map(|s| matches!(s, StatusArg::Open)),
            year: a.year,
        },
        overdue_only: a.overdue,
    };
    let cases = session.cases(&filter, &days::today())?;
    if cases.is_empty() {
        let filtered = a.overdue
            || filter.store.organisatie.is_some()
            || filter.store.open.is_some()
            || filter.store.year.is_some();
        println!(
            "{}",
            if filtered {
                tr!(l, "list-no-cases-match-this-selection")
            } else {
                tr!(l, "list-no-cases-yet-import-a")
            }
        );
        return Ok(());
    }
    let header = [
        tr!(l, "show-case"),
        tr!(l, "show-received"),
        tr!(l, "list-messages"),
        tr!(l, "list-replies"),
        tr!(l, "show-organisation"),
        tr!(l, "show-outcome"),
        tr!(l, "list-deadline"),
        tr!(l, "list-kind"),
    ];
    let rows: Vec<[String; 8]> = cases
        .iter()
        .map(
            |CaseSummary {
                 case: c,
                 deadlines: d,
             }| {
                [
                    c.number.clone(),
                    c.received.clone(),
                    c.messages.to_string(),
                    c.replies.to_string(),
                    c.organisatie.clone(),
                    c.afdoening.label(l).to_string(),
                    summary(d, l),
                    printable(c.soort.as_ref().map_or("-", |s| s.label(l))),
                ]
            },
        )
        .collect();
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let (w4, w5, w6) = (width(4), width(5), width(6));
    let line = |r: [&str; 8]| {
        println!(
            "{:<9}  {:<10}  {:>9}  {:>8}  {:<w4$}  {:<w5$}  {:<w6$}  {}",
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]
        )
    };
    line(header.each_ref().map(String::as_str));
    for r in &rows {
        line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7]]);
    }
    let late = cases
        .iter()
        .filter(|c| c.deadlines.overdue().is_some())
        .count();
    if late > 0 {
        println!(
            "\n{}",
            tr!(
                l,
                "list-past-the-legal-deadline",
                late = late,
                plural = plural(late as i64)
            )
        );
    }
    Ok(())
}
