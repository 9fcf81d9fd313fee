//! `show`: one case with its whole thread, decrypted.

use meldpunt_envelope::domain::Kanaal;
use meldpunt_keys::lang::CliLang;
use meldpunt_keys::tr;
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
    let field = |out: &mut String, label: String, value: &str| {
        let _ = writeln!(out, "{:<22}{}", format!("{label}:"), printable(value));
    };
    let _ = writeln!(out, "{} {}", tr!(l, "show-case"), case.number);
    field(&mut out, tr!(l, "show-organisation"), &case.organisatie);
    if case.kanaal.known() != Some(Kanaal::Meldpunt) {
        field(&mut out, tr!(l, "show-channel"), case.kanaal.label(l));
    }
    field(&mut out, tr!(l, "show-received"), &case.received);
    let mut afdoening = case.afdoening.label(l).to_string();
    if let Some(d) = &case.closed {
        afdoening += &format!(" ({d})");
    }
    field(&mut out, tr!(l, "show-outcome"), &afdoening);
    field(
        &mut out,
        tr!(l, "show-acknowledgement"),
        &deadline_text(l, &deadlines.ack),
    );
    field(
        &mut out,
        tr!(l, "show-feedback"),
        &deadline_text(l, &deadlines.feedback),
    );
    if let Some(s) = &case.soort {
        field(&mut out, tr!(l, "show-kind"), s.label(l));
    }
    if let Some(s) = &case.over_wie {
        field(&mut out, tr!(l, "show-about-whom"), s.label(l));
    }
    if let Some(s) = &case.melder {
        field(&mut out, tr!(l, "show-reporter"), s.label(l));
    }
    if case.attachments > 0 {
        field(
            &mut out,
            tr!(l, "show-attachments"),
            &tr!(
                l,
                "show-stored-meldpunt-keys-extract-to",
                attachments = case.attachments,
                number = case.number
            ),
        );
    }

    let leftovers: Vec<String> = session
        .leftovers(number)?
        .iter()
        .filter(|a| a.warns())
        .flat_map(|a| super::leftover::warnings(l, &a.name, &a.inspection))
        .collect();
    if !leftovers.is_empty() {
        out.push('\n');
        out.push_str(&super::leftover::block(l, &leftovers));
    }

    for entry in &file.thread {
        out.push('\n');
        match entry {
            ThreadEntry::Registration { day, text } => {
                let _ = writeln!(
                    out,
                    "--- {day} · {} ({}) ---",
                    tr!(l, "show-melding"),
                    case.kanaal.label(l).to_lowercase()
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
                    tr!(l, "show-melding")
                } else {
                    tr!(l, "show-follow-up-from-the-reporter")
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
                    Some(d) => tr!(l, "show-exported", d = d),
                    None => tr!(l, "show-not-exported-yet").to_string(),
                };
                let _ = writeln!(
                    out,
                    "--- {day} · {} ({state}) ---",
                    tr!(l, "show-reply-from-the-meldpunt")
                );
                let _ = writeln!(out, "\n{}", printable(text.trim_end()));
            }
            ThreadEntry::Note { day, text } => {
                let _ = writeln!(
                    out,
                    "--- {day} · {} ---",
                    tr!(l, "show-note-for-the-meldpunt-only")
                );
                let _ = writeln!(out, "\n{}", printable(text.trim_end()));
            }
        }
    }
    let _ = writeln!(out, "\n--- {} ---", tr!(l, "show-history"));
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
    field: &dyn Fn(&mut String, String, &str),
    stored: impl Fn(usize) -> bool,
) {
    if m.kind == melding::Kind::Vervolg {
        if let Some(s) = &m.soort {
            field(out, tr!(l, "show-kind"), &l.term(SOORTEN, s));
        }
        if let Some(s) = &m.over_wie {
            field(out, tr!(l, "show-about-whom"), &l.term(OVER_WIE, s));
        }
        if let Some(s) = &m.melder {
            field(out, tr!(l, "show-reporter"), &l.term(MELDERS, s));
        }
    }
    if let Some(s) = &m.wanneer_waar {
        field(out, tr!(l, "show-when-and-where"), s);
    }
    if let Some(s) = &m.contact {
        field(out, tr!(l, "show-contact"), s);
    }
    for (i, a) in m.attachments.iter().enumerate() {
        let state = if stored(i) {
            tr!(l, "show-stored-see-extract")
        } else {
            tr!(l, "show-not-received")
        };
        field(
            out,
            tr!(l, "show-attachment"),
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
            tr!(l, "show-on-time", day = day)
        }
        Deadline::Met {
            day,
            on_time: false,
        } => tr!(l, "show-late", day = day),
        Deadline::Open { due, left } if *left < 0 => {
            tr!(l, "show-due-days-late", due = due, arg = -left)
        }
        Deadline::Open { due, left } => tr!(l, "show-due-days-left", due = due, left = left),
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
            tr!(l, "show-case-created", k = k)
        }
        HistoryEvent::MeldingImported { received: d } => {
            tr!(l, "show-melding-imported-received", d = d)
        }
        HistoryEvent::VervolgImported { received: d } => {
            tr!(l, "show-follow-up-imported-received", d = d)
        }
        HistoryEvent::AttachmentImported { received: d } => {
            tr!(l, "show-attachment-imported-received", d = d)
        }
        HistoryEvent::ReplyWritten => tr!(l, "show-reply-written"),
        HistoryEvent::ReplyExported => tr!(l, "show-reply-exported"),
        HistoryEvent::NoteAdded => tr!(l, "show-note-added"),
        HistoryEvent::AttachmentsSaved { count } => {
            tr!(l, "show-attachments-saved-to-a-folder", count = count)
        }
        HistoryEvent::Acknowledged { day } => tr!(l, "show-acknowledgement-2", day = day),
        HistoryEvent::FeedbackGiven { day } => {
            tr!(l, "show-feedback-2", day = day)
        }
        HistoryEvent::Afdoening(c) => tr!(l, "show-outcome-2", arg = arrow(AFDOENINGEN, c)),
        HistoryEvent::Soort(c) => tr!(l, "show-kind-2", arg = arrow(SOORTEN, c)),
        HistoryEvent::Melder(c) => tr!(l, "show-reporter-2", arg = arrow(MELDERS, c)),
        HistoryEvent::OverWie(c) => tr!(l, "show-about-whom-2", arg = arrow(OVER_WIE, c)),
        HistoryEvent::Organisatie { detail } => tr!(l, "show-organisation-2", detail = detail),
        HistoryEvent::Other { event, detail } => format!("{event} {detail}"),
        other => format!("{other:?}"),
    }
}
