//! `list`: the cases with their legal deadlines (`Session::cases`), from the plain
//! oversight data only (no passphrase needed). Overdue cases come first, the most
//! overdue at the top.

use meldpunt_envelope::domain::{AFDOENINGEN, SOORTEN};

use super::{Ctx, printable};
use meldpunt_keys::cases::{CaseSummary, Deadlines, ListFilter};
use meldpunt_keys::days::{self, Deadline};
use meldpunt_keys::error::Result;
use meldpunt_keys::lang::Lang;
use meldpunt_keys::store::Filter;

use super::args::{ListArgs, StatusArg};

/// A short text for the list: what is due next, or what is late.
pub fn summary(d: &Deadlines, l: Lang) -> String {
    let late = |what: &str, n: i64| {
        l.t(
            format!(
                "! {what} {n} {} te laat",
                if n == 1 { "dag" } else { "dagen" }
            ),
            format!("! {what} {n} {} late", if n == 1 { "day" } else { "days" }),
        )
    };
    let ack = l.t("ontvangstbevestiging", "acknowledgement");
    let fb = l.t("terugkoppeling", "feedback");
    match (&d.ack, &d.feedback) {
        (Deadline::Open { left, .. }, _) if *left < 0 => late(ack, -left),
        (_, Deadline::Open { left, .. }) if *left < 0 => late(fb, -left),
        (Deadline::Open { due, .. }, _) => {
            l.t(format!("{ack} vóór {due}"), format!("{ack} by {due}"))
        }
        (_, Deadline::Open { due, .. }) => {
            l.t(format!("{fb} vóór {due}"), format!("{fb} by {due}"))
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
                l.t(
                    "Geen zaken die aan deze keuze voldoen.",
                    "No cases match this selection.",
                )
            } else {
                l.t(
                    "Nog geen zaken. Importeer een bundel van de server met `meldpunt-keys import <bundel.tar>`.",
                    "No cases yet. Import a bundle from the server with `meldpunt-keys import <bundle.tar>`.",
                )
            }
        );
        return Ok(());
    }
    let header = [
        l.t("Zaak", "Case"),
        l.t("Ontvangen", "Received"),
        l.t("Berichten", "Messages"),
        l.t("Reacties", "Replies"),
        l.t("Organisatie", "Organisation"),
        l.t("Afdoening", "Outcome"),
        l.t("Termijn", "Deadline"),
        l.t("Soort", "Kind"),
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
                    l.term(AFDOENINGEN, &c.afdoening),
                    summary(d, l),
                    printable(
                        &c.soort
                            .as_deref()
                            .map(|s| l.term(SOORTEN, s))
                            .unwrap_or_else(|| "-".into()),
                    ),
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
    line(header);
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
            l.t(
                format!(
                    "{late} {} over de wettelijke termijn.",
                    if late == 1 { "zaak is" } else { "zaken zijn" }
                ),
                format!(
                    "{late} {} past the legal deadline.",
                    if late == 1 { "case is" } else { "cases are" }
                ),
            )
        );
    }
    Ok(())
}
