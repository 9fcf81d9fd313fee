//! `show`: one case with its whole thread, decrypted.

use std::fmt::Write;

use meldpunt_envelope::domain::{AFDOENINGEN, MELDERS, OVER_WIE, SOORTEN};
use meldpunt_envelope::melding::{self, Melding};
use meldpunt_keys::cases::{FieldChange, HistoryEntry, HistoryEvent, KANALEN, ThreadEntry};
use meldpunt_keys::days::Deadline;
use meldpunt_keys::error::Result;
use meldpunt_keys::lang::Lang;
use meldpunt_keys::session::Want;

use super::{Ctx, printable};

pub fn run(ctx: &Ctx, number: &str) -> Result<()> {
    let l = ctx.lang;
    let mut session = ctx.session()?;
    session.case(number)?;
    ctx.unlock(&mut session, Want::Open)?;
    let file = session.case_file(number, &meldpunt_keys::days::today())?;
    let (case, deadlines) = (&file.case, &file.deadlines);

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
            &l.term(meldpunt_keys::cases::KANALEN, &case.kanaal),
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

    for entry in &file.thread {
        out.push('\n');
        match entry {
            ThreadEntry::Registration { day, text } => {
                let _ = writeln!(
                    out,
                    "--- {day} · {} ({}) ---",
                    l.t("Melding", "Melding"),
                    l.term(KANALEN, &case.kanaal).to_lowercase()
                );
                let _ = writeln!(out, "\n{}", printable(text.trim_end()));
            }
            ThreadEntry::Item {
                day,
                melding: m,
                stored,
                ..
            } => {
                let title = if m.kind == melding::Kind::Melding {
                    "Melding"
                } else {
                    l.t(
                        "Vervolgbericht van de melder",
                        "Follow-up from the reporter",
                    )
                };
                let _ = writeln!(out, "--- {day} · {title} ---");
                item_fields(&mut out, l, m, &field, |idx| {
                    stored.get(idx).copied().unwrap_or(false)
                });
                let _ = writeln!(out, "\n{}", printable(m.text.trim_end()));
            }
            ThreadEntry::Reply {
                day,
                text,
                exported,
            } => {
                let state = match exported {
                    Some(d) => l.t(format!("geëxporteerd {d}"), format!("exported {d}")),
                    None => l.t("nog niet geëxporteerd", "not exported yet").to_string(),
                };
                let _ = writeln!(
                    out,
                    "--- {day} · {} ({state}) ---",
                    l.t("Reactie van het meldpunt", "Reply from the meldpunt")
                );
                let _ = writeln!(out, "\n{}", printable(text.trim_end()));
            }
            ThreadEntry::Note { day, text } => {
                let _ = writeln!(
                    out,
                    "--- {day} · {} ---",
                    l.t(
                        "Notitie (alleen voor het meldpunt)",
                        "Note (for the meldpunt only)"
                    )
                );
                let _ = writeln!(out, "\n{}", printable(text.trim_end()));
            }
        }
    }
    let _ = writeln!(out, "\n--- {} ---", l.t("Geschiedenis", "History"));
    for h in &file.history {
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

/// One line of the history in words. Codes are shown as their labels.
fn history_text(l: Lang, h: &HistoryEntry) -> String {
    let arrow = |list: &[meldpunt_envelope::domain::Term], c: &FieldChange| {
        let label = |c: &str| {
            if c == "-" {
                "-".to_string()
            } else {
                l.term(list, c)
            }
        };
        format!(
            "{} -> {}",
            label(c.old.as_deref().unwrap_or("-")),
            label(&c.new)
        )
    };
    match &h.event {
        HistoryEvent::Created { kanaal } => {
            let k = l.term(KANALEN, kanaal).to_lowercase();
            l.t(
                format!("zaak aangemaakt ({k})"),
                format!("case created ({k})"),
            )
        }
        HistoryEvent::MeldingImported { received: d } => l.t(
            format!("melding geïmporteerd (ontvangen {d})"),
            format!("melding imported (received {d})"),
        ),
        HistoryEvent::VervolgImported { received: d } => l.t(
            format!("vervolgbericht geïmporteerd (ontvangen {d})"),
            format!("follow-up imported (received {d})"),
        ),
        HistoryEvent::AttachmentImported { received: d } => l.t(
            format!("bijlage geïmporteerd (ontvangen {d})"),
            format!("attachment imported (received {d})"),
        ),
        HistoryEvent::ReplyWritten => l.t("reactie geschreven", "reply written").into(),
        HistoryEvent::ReplyExported => l.t("reactie geëxporteerd", "reply exported").into(),
        HistoryEvent::NoteAdded => l.t("notitie toegevoegd", "note added").into(),
        HistoryEvent::AttachmentsSaved { count } => l.t(
            format!("{count} bijlagen opgeslagen in een map"),
            format!("{count} attachments saved to a folder"),
        ),
        HistoryEvent::Acknowledged { day } => l.t(
            format!("ontvangstbevestiging: {day}"),
            format!("acknowledgement: {day}"),
        ),
        HistoryEvent::FeedbackGiven { day } => {
            l.t(format!("terugkoppeling: {day}"), format!("feedback: {day}"))
        }
        HistoryEvent::Afdoening(c) => l.t(
            format!("afdoening: {}", arrow(AFDOENINGEN, c)),
            format!("outcome: {}", arrow(AFDOENINGEN, c)),
        ),
        HistoryEvent::Soort(c) => l.t(
            format!("soort: {}", arrow(SOORTEN, c)),
            format!("kind: {}", arrow(SOORTEN, c)),
        ),
        HistoryEvent::Melder(c) => l.t(
            format!("melder: {}", arrow(MELDERS, c)),
            format!("reporter: {}", arrow(MELDERS, c)),
        ),
        HistoryEvent::OverWie(c) => l.t(
            format!("over wie: {}", arrow(OVER_WIE, c)),
            format!("about whom: {}", arrow(OVER_WIE, c)),
        ),
        HistoryEvent::Organisatie { detail } => l.t(
            format!("organisatie: {detail}"),
            format!("organisation: {detail}"),
        ),
        HistoryEvent::Other { event, detail } => format!("{event} {detail}"),
        other => format!("{other:?}"),
    }
}
