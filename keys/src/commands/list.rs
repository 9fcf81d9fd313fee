//! `list`: the cases with their legal deadlines, from the plain oversight data only
//! (no passphrase needed). Overdue cases come first, the most overdue at the top.

use meldpunt_envelope::domain::{AFDOENINGEN, SOORTEN};

use super::{Ctx, printable};
use crate::days::{self, Deadline};
use crate::error::Result;
use crate::lang::{CliLang, Lang};
use crate::store::{CaseRow, Filter, Store};

/// Where a case stands with both deadlines.
pub struct Deadlines {
    pub ack: Deadline,
    pub feedback: Deadline,
}

impl Deadlines {
    pub fn of(c: &CaseRow, today: &str) -> Deadlines {
        Deadlines {
            ack: Deadline::of(
                c.acknowledged.as_deref(),
                &days::ack_due(&c.received),
                today,
            ),
            feedback: Deadline::of(
                c.feedback.as_deref(),
                &days::feedback_due(&c.received, c.acknowledged.as_deref()),
                today,
            ),
        }
    }

    /// Days the case is overdue, if it is.
    pub fn overdue(&self) -> Option<i64> {
        self.ack.overdue_days().max(self.feedback.overdue_days())
    }

    /// A short text for the list: what is due next, or what is late.
    pub fn summary(&self, l: Lang) -> String {
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
        match (&self.ack, &self.feedback) {
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
}

pub struct Args {
    pub filter: Filter,
    pub overdue: bool,
}

pub fn run(ctx: &Ctx, a: &Args) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    p.require_keys()?;
    let store = Store::open(&p.db)?;
    let today = days::today();
    let mut cases: Vec<(CaseRow, Deadlines)> = store
        .cases(&a.filter)?
        .into_iter()
        .map(|c| {
            let d = Deadlines::of(&c, &today);
            (c, d)
        })
        .filter(|(_, d)| !a.overdue || d.overdue().is_some())
        .collect();
    if cases.is_empty() {
        let filtered = a.overdue
            || a.filter.organisatie.is_some()
            || a.filter.open.is_some()
            || a.filter.year.is_some();
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
    // Stable sort: overdue first, most overdue on top; the rest keep case order.
    cases.sort_by_key(|(_, d)| std::cmp::Reverse(d.overdue().unwrap_or(-1)));
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
        .map(|(c, d)| {
            [
                c.number.clone(),
                c.received.clone(),
                c.messages.to_string(),
                c.replies.to_string(),
                c.organisatie.clone(),
                l.term(AFDOENINGEN, &c.afdoening),
                d.summary(l),
                printable(
                    &c.soort
                        .as_deref()
                        .map(|s| l.term(SOORTEN, s))
                        .unwrap_or_else(|| "-".into()),
                ),
            ]
        })
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
    let late = cases.iter().filter(|(_, d)| d.overdue().is_some()).count();
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
