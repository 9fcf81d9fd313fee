//! `show`: one case with its whole thread, decrypted.

use std::fmt::Write;

use meldpunt_envelope::domain::{AFDOENINGEN, MELDERS, OVER_WIE, SOORTEN};
use meldpunt_envelope::melding::{self, Melding};

use super::{Ctx, printable};
use crate::days::Deadline;
use crate::error::{Failure, Result};
use crate::lang::Lang;
use crate::store::{Entry, HistoryLine};

pub fn run(ctx: &Ctx, number: &str) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    let (store, case) = super::open_case(p, number)?;
    let thread = store.thread(case.id)?;
    let history = store.history(case.id)?;
    let stored: std::collections::HashSet<(String, i64)> = store
        .attachments(case.id)?
        .into_iter()
        .map(|a| (a.parent, a.idx))
        .collect();
    let keys = ctx.unlock(false)?;
    let ids = keys.ids();
    let today = crate::days::today();
    let deadlines = super::list::Deadlines::of(&case, &today);

    let mut out = String::new();
    let field = |out: &mut String, label: &str, value: &str| {
        let _ = writeln!(out, "{:<22}{}", format!("{label}:"), printable(value));
    };
    let _ = writeln!(out, "{} {}", l.t("Zaak", "Case"), case.number);
    field(
        &mut out,
        l.t("Organisatie", "Organisation"),
        &case.organisatie,
    );
    if case.kanaal != "meldpunt" {
        field(
            &mut out,
            l.t("Kanaal", "Channel"),
            &l.term(super::register::KANALEN, &case.kanaal),
        );
    }
    field(&mut out, l.t("Ontvangen", "Received"), &case.received);
    let mut afdoening = l.term(AFDOENINGEN, &case.afdoening);
    if let Some(d) = &case.closed {
        afdoening += &format!(" ({d})");
    }
    field(&mut out, l.t("Afdoening", "Outcome"), &afdoening);
    field(
        &mut out,
        l.t("Ontvangstbevestiging", "Acknowledgement"),
        &deadline_text(l, &deadlines.ack),
    );
    field(
        &mut out,
        l.t("Terugkoppeling", "Feedback"),
        &deadline_text(l, &deadlines.feedback),
    );
    if let Some(s) = &case.soort {
        field(&mut out, l.t("Soort melding", "Kind"), &l.term(SOORTEN, s));
    }
    if let Some(s) = &case.over_wie {
        field(
            &mut out,
            l.t("Over wie", "About whom"),
            &l.term(OVER_WIE, s),
        );
    }
    if let Some(s) = &case.melder {
        field(&mut out, l.t("Melder", "Reporter"), &l.term(MELDERS, s));
    }
    if case.attachments > 0 {
        field(
            &mut out,
            l.t("Bijlagen", "Attachments"),
            &l.t(
                format!(
                    "{} opgeslagen (meldpunt-keys extract {} --to <map>)",
                    case.attachments, case.number
                ),
                format!(
                    "{} stored (meldpunt-keys extract {} --to <folder>)",
                    case.attachments, case.number
                ),
            ),
        );
    }

    out.push_str(&crate::leftover::in_case(l, &store, case.id, &ids));

    for entry in thread {
        out.push('\n');
        match entry {
            Entry::Item {
                kind,
                day,
                ciphertext,
                ..
            } if kind == "registratie" => {
                let r = crate::private::open(&ciphertext, &ids).map_err(|e| {
                    Failure::Internal(format!("a stored text no longer opens: {e}"))
                })?;
                let _ = writeln!(
                    out,
                    "--- {day} · {} ({}) ---",
                    l.t("Melding", "Melding"),
                    l.term(super::register::KANALEN, &case.kanaal)
                        .to_lowercase()
                );
                let _ = writeln!(out, "\n{}", printable(r.text.trim_end()));
            }
            Entry::Item {
                id,
                kind,
                day,
                ciphertext,
            } => {
                let m = melding::open(&ciphertext, &ids).map_err(|e| {
                    Failure::Internal(format!("a stored item no longer opens: {e}"))
                })?;
                let title = if kind == "melding" {
                    "Melding"
                } else {
                    l.t(
                        "Vervolgbericht van de melder",
                        "Follow-up from the reporter",
                    )
                };
                let _ = writeln!(out, "--- {day} · {title} ---");
                item_fields(&mut out, l, &m, &field, |idx| {
                    stored.contains(&(id.clone(), idx as i64))
                });
                let _ = writeln!(out, "\n{}", printable(m.text.trim_end()));
            }
            Entry::Reply {
                day,
                own_copy,
                exported,
            } => {
                let r = crate::private::open(&own_copy, &ids).map_err(|e| {
                    Failure::Internal(format!("a stored reply no longer opens: {e}"))
                })?;
                let state = match exported {
                    Some(d) => l.t(format!("geëxporteerd {d}"), format!("exported {d}")),
                    None => l.t("nog niet geëxporteerd", "not exported yet").to_string(),
                };
                let _ = writeln!(
                    out,
                    "--- {day} · {} ({state}) ---",
                    l.t("Reactie van het meldpunt", "Reply from the meldpunt")
                );
                let _ = writeln!(out, "\n{}", printable(r.text.trim_end()));
            }
            Entry::Note { day, ciphertext } => {
                let r = crate::private::open(&ciphertext, &ids).map_err(|e| {
                    Failure::Internal(format!("a stored note no longer opens: {e}"))
                })?;
                let _ = writeln!(
                    out,
                    "--- {day} · {} ---",
                    l.t(
                        "Notitie (alleen voor het meldpunt)",
                        "Note (for the meldpunt only)"
                    )
                );
                let _ = writeln!(out, "\n{}", printable(r.text.trim_end()));
            }
        }
    }
    let _ = writeln!(out, "\n--- {} ---", l.t("Geschiedenis", "History"));
    for h in &history {
        let _ = writeln!(out, "{}  {}", h.day, history_text(l, h));
    }
    print!("{out}");
    Ok(())
}

/// The fields a reporter may fill in besides the text. A vervolg normally has none.
fn item_fields(
    out: &mut String,
    l: Lang,
    m: &Melding,
    field: &dyn Fn(&mut String, &str, &str),
    stored: impl Fn(usize) -> bool,
) {
    if m.kind == melding::Kind::Vervolg {
        if let Some(s) = &m.soort {
            field(out, l.t("Soort melding", "Kind"), &l.term(SOORTEN, s));
        }
        if let Some(s) = &m.over_wie {
            field(out, l.t("Over wie", "About whom"), &l.term(OVER_WIE, s));
        }
        if let Some(s) = &m.melder {
            field(out, l.t("Melder", "Reporter"), &l.term(MELDERS, s));
        }
    }
    if let Some(s) = &m.wanneer_waar {
        field(out, l.t("Wanneer en waar", "When and where"), s);
    }
    if let Some(s) = &m.contact {
        field(out, l.t("Contact", "Contact"), s);
    }
    for (i, a) in m.attachments.iter().enumerate() {
        let state = if stored(i) {
            l.t("opgeslagen; zie extract", "stored; see extract")
        } else {
            l.t("niet ontvangen", "not received")
        };
        field(
            out,
            l.t("Bijlage", "Attachment"),
            &format!(
                "{} ({}, {} bytes, sha256 {}; {state})",
                a.name, a.media_type, a.size, a.sha256
            ),
        );
    }
}

fn deadline_text(l: Lang, d: &Deadline) -> String {
    match d {
        Deadline::Met { day, on_time: true } => {
            l.t(format!("{day}, op tijd"), format!("{day}, on time"))
        }
        Deadline::Met {
            day,
            on_time: false,
        } => l.t(format!("{day}, te laat"), format!("{day}, late")),
        Deadline::Open { due, left } if *left < 0 => l.t(
            format!("uiterlijk {due}: {} dagen te laat", -left),
            format!("due {due}: {} days late", -left),
        ),
        Deadline::Open { due, left } => l.t(
            format!("uiterlijk {due} (nog {left} dagen)"),
            format!("due {due} ({left} days left)"),
        ),
    }
}

/// One line of the history in words. Details are codes and days, so they are shown
/// as labels where they are codes.
fn history_text(l: Lang, h: &HistoryLine) -> String {
    let arrow = |list: &[meldpunt_envelope::domain::Term]| {
        let (old, new) = h.detail.split_once(" -> ").unwrap_or(("-", &h.detail));
        let label = |c: &str| {
            if c == "-" {
                "-".to_string()
            } else {
                l.term(list, c)
            }
        };
        format!("{} -> {}", label(old), label(new))
    };
    match h.event.as_str() {
        "aangemaakt" => l.t(
            format!(
                "zaak aangemaakt ({})",
                l.term(super::register::KANALEN, &h.detail).to_lowercase()
            ),
            format!(
                "case created ({})",
                l.term(super::register::KANALEN, &h.detail).to_lowercase()
            ),
        ),
        "melding" => l.t(
            format!("melding geïmporteerd (ontvangen {})", h.detail),
            format!("melding imported (received {})", h.detail),
        ),
        "vervolg" => l.t(
            format!("vervolgbericht geïmporteerd (ontvangen {})", h.detail),
            format!("follow-up imported (received {})", h.detail),
        ),
        "bijlage" => l.t(
            format!("bijlage geïmporteerd (ontvangen {})", h.detail),
            format!("attachment imported (received {})", h.detail),
        ),
        "reactie" => l.t("reactie geschreven", "reply written").into(),
        "reactie-geexporteerd" => l.t("reactie geëxporteerd", "reply exported").into(),
        "notitie" => l.t("notitie toegevoegd", "note added").into(),
        "bijlagen-opgeslagen" => l.t(
            format!("{} bijlagen opgeslagen in een map", h.detail),
            format!("{} attachments saved to a folder", h.detail),
        ),
        "ontvangstbevestiging" => l.t(
            format!("ontvangstbevestiging: {}", h.detail),
            format!("acknowledgement: {}", h.detail),
        ),
        "terugkoppeling" => l.t(
            format!("terugkoppeling: {}", h.detail),
            format!("feedback: {}", h.detail),
        ),
        "afdoening" => l.t(
            format!("afdoening: {}", arrow(AFDOENINGEN)),
            format!("outcome: {}", arrow(AFDOENINGEN)),
        ),
        "soort" => l.t(
            format!("soort: {}", arrow(SOORTEN)),
            format!("kind: {}", arrow(SOORTEN)),
        ),
        "melder" => l.t(
            format!("melder: {}", arrow(MELDERS)),
            format!("reporter: {}", arrow(MELDERS)),
        ),
        "over_wie" => l.t(
            format!("over wie: {}", arrow(OVER_WIE)),
            format!("about whom: {}", arrow(OVER_WIE)),
        ),
        "organisatie" => l.t(
            format!("organisatie: {}", h.detail),
            format!("organisation: {}", h.detail),
        ),
        other => format!("{other} {}", h.detail),
    }
}
