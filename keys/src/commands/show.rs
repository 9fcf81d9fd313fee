//! `show`: one case with its whole thread, decrypted.

use std::fmt::Write;

use meldpunt_envelope::domain::{MELDERS, OVER_WIE, SOORTEN};
use meldpunt_envelope::melding::{self, Melding};

use super::{Ctx, printable};
use crate::error::{Failure, Result};
use crate::lang::Lang;
use crate::secrets::Keys;
use crate::store::{Entry, Store};

pub fn run(ctx: &Ctx, number: &str) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    p.require_keys()?;
    let store = Store::open(&p.db)?;
    let case = store
        .case(number)?
        .ok_or_else(|| Failure::CaseNotFound(number.to_string()))?;
    let thread = store.thread(case.id)?;
    let keys = Keys::unlock(p, l, false)?;

    let mut out = String::new();
    let field = |out: &mut String, label: &str, value: &str| {
        let _ = writeln!(out, "{:<17}{}", format!("{label}:"), printable(value));
    };
    let _ = writeln!(out, "{} {}", l.t("Zaak", "Case"), case.number);
    field(
        &mut out,
        l.t("Organisatie", "Organisation"),
        &case.organisatie,
    );
    field(&mut out, l.t("Ontvangen", "Received"), &case.received);
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

    for entry in thread {
        out.push('\n');
        match entry {
            Entry::Item {
                kind,
                day,
                ciphertext,
            } => {
                let m = melding::open(&ciphertext, &[&keys.identity]).map_err(|e| {
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
                item_fields(&mut out, l, &m, &field);
                let _ = writeln!(out, "\n{}", printable(m.text.trim_end()));
            }
            Entry::Reply {
                day,
                own_copy,
                exported,
            } => {
                let r = super::reply::open_own_copy(&own_copy, &keys.identity).map_err(|e| {
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
        }
    }
    print!("{out}");
    Ok(())
}

/// The fields a reporter may fill in besides the text. A vervolg normally has none.
fn item_fields(out: &mut String, l: Lang, m: &Melding, field: &dyn Fn(&mut String, &str, &str)) {
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
    for a in &m.attachments {
        field(
            out,
            l.t("Bijlage", "Attachment"),
            &format!(
                "{} ({}, {} bytes, sha256 {})",
                a.name, a.media_type, a.size, a.sha256
            ),
        );
    }
}
