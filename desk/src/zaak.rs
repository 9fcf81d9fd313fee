//! Zaak: one case's whole thread in order (melding, vervolgen, replies, notes) with
//! dates; its oversight fields and afdoening chosen from lists; its history; its
//! attachments with type and size, saved through the browser's download. Antwoorden:
//! a reply started from the standard text, previewed, sent to the outbox; the draft
//! lives only in the page, never in a file.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use meldpunt_envelope::Lang;
use meldpunt_envelope::domain::{AFDOENINGEN, KANALEN, MELDERS, OVER_WIE, OverWie, SOORTEN};
use meldpunt_envelope::melding::Kind;
use meldpunt_keys::cases::{
    CaseFile, FieldChange, HistoryEvent, ListFilter, StatusChange, ThreadEntry,
};
use meldpunt_keys::days::Deadline;
use meldpunt_keys::store::CaseRow;
use zeroize::Zeroizing;

use crate::orgs::Names;
use crate::page::{Nav, esc, layout, select, select_pairs, term};
use crate::postvak::deadline_words;
use crate::state::Desk;
use crate::{blocking, errors, t};

fn size_words(l: Lang, n: u64) -> String {
    if n >= 1024 * 1024 {
        t!(l, "size-mb", n = format!("{:.1}", n as f64 / 1048576.0))
    } else if n >= 1024 {
        t!(l, "size-kb", n = n.div_ceil(1024))
    } else {
        t!(l, "size-b", n = n)
    }
}

fn change(l: Lang, list: &[meldpunt_envelope::domain::Term], c: &FieldChange) -> String {
    let old = c
        .old
        .as_deref()
        .map(|o| term(l, list, o))
        .unwrap_or_else(|| t!(l, "not-set"));
    t!(l, "history-change", old = old, new = term(l, list, &c.new))
}

fn history_words(l: Lang, e: &HistoryEvent, names: &Names) -> String {
    match e {
        HistoryEvent::Created { kanaal } => {
            t!(l, "history-created", kanaal = term(l, KANALEN, kanaal))
        }
        HistoryEvent::MeldingImported { received } => t!(l, "history-melding", day = received),
        HistoryEvent::VervolgImported { received } => t!(l, "history-vervolg", day = received),
        HistoryEvent::AttachmentImported { received } => t!(l, "history-bijlage", day = received),
        HistoryEvent::ReplyWritten => t!(l, "history-reply"),
        HistoryEvent::ReplyExported => t!(l, "history-reply-exported"),
        HistoryEvent::NoteAdded => t!(l, "history-note"),
        HistoryEvent::AttachmentsSaved { count } => t!(l, "history-saved", n = count),
        HistoryEvent::Acknowledged { day } => t!(l, "history-ack", day = day),
        HistoryEvent::FeedbackGiven { day } => t!(l, "history-feedback", day = day),
        HistoryEvent::Afdoening(c) => format!(
            "{}: {}",
            t!(l, "field-afdoening"),
            change(l, AFDOENINGEN, c)
        ),
        HistoryEvent::Soort(c) => format!("{}: {}", t!(l, "field-soort"), change(l, SOORTEN, c)),
        HistoryEvent::Melder(c) => format!("{}: {}", t!(l, "field-melder"), change(l, MELDERS, c)),
        HistoryEvent::OverWie(c) => {
            format!("{}: {}", t!(l, "field-over-wie"), change(l, OVER_WIE, c))
        }
        HistoryEvent::Organisatie { detail } => {
            let (old, new) = detail.split_once(" -> ").unwrap_or(("-", detail));
            format!(
                "{}: {}",
                t!(l, "field-organisatie"),
                t!(
                    l,
                    "history-change",
                    old = names.name(old),
                    new = names.name(new)
                )
            )
        }
        HistoryEvent::Other { event, detail } => format!("{event} {detail}"),
        _ => t!(l, "history-other"),
    }
}

/// What the Zaak says under an attachment about data in it that could identify the
/// melder: what is still in it, why it could not be checked, or that nothing was found.
fn metadata_note(l: Lang, inspection: &meldpunt_clean::Inspection) -> String {
    let (found, why) = meldpunt_keys::i18n::leftover_words(l, inspection);
    let mut out = Vec::new();
    if let Some(why) = why {
        out.push(t!(l, "metadata-not-checked", reason = why));
    }
    if !found.is_empty() {
        out.push(t!(l, "metadata-found", what = found.join(", ")));
    }
    if out.is_empty() {
        out.push(t!(l, "metadata-none"));
    }
    out.join(" ")
}

fn text_block(s: &str) -> String {
    format!("<p class=\"reactie-tekst\">{}</p>", esc(s))
}

fn not_found(l: Lang, number: &str) -> Response {
    let e = meldpunt_keys::error::Error::CaseNotFound(number.to_string());
    (
        axum::http::StatusCode::NOT_FOUND,
        layout(
            l,
            &t!(l, "zaak-title", number = number),
            Some(Nav::Postvak),
            &errors::boxed(l, &e),
        ),
    )
        .into_response()
}

fn render_case(d: &Desk, number: &str, message: &str) -> Response {
    let l = d.lang();
    let today = meldpunt_keys::days::today();
    let names = Names::read(&d.settings.dir);
    let orgs = crate::orgs::known(d);
    let inner = d.inner();
    let Some(session) = inner.session.as_ref() else {
        return Redirect::to("/").into_response();
    };
    let file: CaseFile = match session.case_file(number, &today) {
        Ok(f) => f,
        Err(meldpunt_keys::error::Error::CaseNotFound(_)) => {
            drop(inner);
            return not_found(l, number);
        }
        Err(e) => {
            drop(inner);
            return layout(
                l,
                &t!(l, "zaak-title", number = number),
                Some(Nav::Postvak),
                &errors::boxed(l, &e),
            )
            .into_response();
        }
    };
    // What each stored attachment still carries that could identify the melder.
    let leftovers = session.leftovers(number).unwrap_or_default();
    let new_vervolg = session
        .store()
        .cases_with_new_vervolg()
        .map(|s| s.contains(number))
        .unwrap_or(false);
    drop(inner);
    let c = &file.case;
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>{}</h1>{message}",
        esc(&t!(l, "zaak-title", number = &c.number))
    );
    if c.over_wie.as_ref().and_then(|x| x.known()) == Some(OverWie::Bestuurder) {
        let _ = write!(
            b,
            "<div class=\"status waarschuwing-bestuurder\" role=\"note\"><p><strong>{}</strong> {}</p></div>",
            esc(&t!(l, "mark-bestuurder")),
            esc(&t!(l, "bestuurder-protocol"))
        );
    }
    if new_vervolg {
        let _ = write!(
            b,
            "<p><span class=\"merk merk-nieuw\">{}</span></p>",
            esc(&t!(l, "mark-new-vervolg"))
        );
    }
    let late = |dl: &Deadline| matches!(dl, Deadline::Open { left, .. } if *left < 0);
    let _ = write!(
        b,
        "<dl class=\"gegevens\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
         <dt>{}</dt><dd{}>{}</dd><dt>{}</dt><dd{}>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
        esc(&t!(l, "field-organisatie")),
        esc(names.name(&c.organisatie)),
        esc(&t!(l, "field-kanaal")),
        esc(&term(l, KANALEN, c.kanaal.code())),
        esc(&t!(l, "col-received")),
        esc(&c.received),
        esc(&t!(l, "deadline-ack-title")),
        if late(&file.deadlines.ack) {
            " class=\"te-laat\""
        } else {
            ""
        },
        esc(&deadline_words(l, true, &file.deadlines.ack)),
        esc(&t!(l, "deadline-feedback-title")),
        if late(&file.deadlines.feedback) {
            " class=\"te-laat\""
        } else {
            ""
        },
        esc(&deadline_words(l, false, &file.deadlines.feedback)),
        esc(&t!(l, "field-afdoening")),
        esc(&term(l, AFDOENINGEN, c.afdoening.code())),
    );
    if c.lookup_hash.is_some() {
        let _ = write!(
            b,
            "<p class=\"knoppen\"><a class=\"knop-hoofd knop-link\" href=\"/zaak/{}/antwoord\">{}</a></p>",
            esc(&c.number),
            esc(&t!(l, "reply-write"))
        );
    }
    // The thread.
    let _ = write!(
        b,
        "<h2>{}</h2><ol class=\"draad\">",
        esc(&t!(l, "thread-title"))
    );
    let mut attachment_no = 0usize;
    for e in &file.thread {
        b.push_str("<li class=\"reactie\">");
        match e {
            ThreadEntry::Registration { day, text } => {
                let _ = write!(
                    b,
                    "<h3 class=\"reactie-dag\">{} · {}</h3>{}",
                    esc(&t!(l, "thread-registration")),
                    esc(day),
                    text_block(text)
                );
            }
            ThreadEntry::Item {
                day,
                melding,
                stored,
                ..
            } => {
                let what = match melding.kind {
                    Kind::Melding => t!(l, "kind-melding"),
                    Kind::Vervolg => t!(l, "kind-vervolg"),
                };
                let _ = write!(
                    b,
                    "<h3 class=\"reactie-dag\">{} · {}</h3>{}",
                    esc(&what),
                    esc(day),
                    text_block(&melding.text)
                );
                if let Some(w) = &melding.wanneer_waar {
                    let _ = write!(
                        b,
                        "<p><strong>{}</strong> {}</p>",
                        esc(&t!(l, "thread-when-where")),
                        esc(w)
                    );
                }
                if let Some(w) = &melding.contact {
                    let _ = write!(
                        b,
                        "<p><strong>{}</strong> {}</p>",
                        esc(&t!(l, "thread-contact")),
                        esc(w)
                    );
                }
                if !melding.attachments.is_empty() {
                    let _ = write!(
                        b,
                        "<h4>{}</h4><ul class=\"bijlagen-lijst\">",
                        esc(&t!(l, "attachments-title"))
                    );
                    for (a, held) in melding.attachments.iter().zip(stored) {
                        let _ = write!(
                            b,
                            "<li><span class=\"bijlage-naam\">{}</span> <span class=\"hint\">{} · {}</span>",
                            esc(&a.name),
                            esc(&a.media_type),
                            esc(&size_words(l, a.size))
                        );
                        if *held {
                            let _ = write!(
                                b,
                                " <a class=\"knop-klein\" href=\"/zaak/{}/bijlage/{attachment_no}\" download>{}</a>",
                                esc(&c.number),
                                esc(&t!(l, "attachment-save"))
                            );
                            let note = match leftovers.iter().find(|x| x.index == attachment_no) {
                                None => t!(l, "metadata-unreadable"),
                                Some(x) => metadata_note(l, &x.inspection),
                            };
                            let _ = write!(b, "<p class=\"waarschuwing-tekst\">{}</p>", esc(&note));
                            attachment_no += 1;
                        } else {
                            let _ = write!(
                                b,
                                " <span class=\"hint\">{}</span>",
                                esc(&t!(l, "attachment-missing"))
                            );
                        }
                        b.push_str("</li>");
                    }
                    b.push_str("</ul>");
                }
            }
            ThreadEntry::Reply {
                day,
                text,
                exported,
            } => {
                let state = match exported {
                    Some(d) => t!(l, "reply-exported", day = d),
                    None => t!(l, "reply-in-outbox"),
                };
                let _ = write!(
                    b,
                    "<h3 class=\"reactie-dag\">{} · {} ({})</h3>{}",
                    esc(&t!(l, "thread-reply")),
                    esc(day),
                    esc(&state),
                    text_block(text)
                );
            }
            ThreadEntry::Note { day, text } => {
                let _ = write!(
                    b,
                    "<h3 class=\"reactie-dag\">{} · {}</h3>{}",
                    esc(&t!(l, "thread-note")),
                    esc(day),
                    text_block(text)
                );
            }
        }
        b.push_str("</li>");
    }
    b.push_str("</ol>");
    // Oversight fields.
    let _ = write!(
        b,
        "<h2>{}</h2><form method=\"post\" action=\"/zaak/{}/status\">{}{}{}{}{}\
         <div class=\"veld\"><label for=\"acknowledged\">{}</label><input type=\"date\" id=\"acknowledged\" name=\"acknowledged\" value=\"{}\"></div>\
         <div class=\"veld\"><label for=\"feedback\">{}</label><input type=\"date\" id=\"feedback\" name=\"feedback\" value=\"{}\"></div>\
         <button class=\"knop-hoofd\" type=\"submit\">{}</button></form>",
        esc(&t!(l, "status-title")),
        esc(&c.number),
        select(
            l,
            "afdoening",
            &t!(l, "field-afdoening"),
            AFDOENINGEN,
            Some(c.afdoening.code()),
            None
        ),
        select(
            l,
            "soort",
            &t!(l, "field-soort"),
            SOORTEN,
            c.soort.as_ref().map(|x| x.code()),
            Some(&t!(l, "not-set"))
        ),
        select(
            l,
            "melder",
            &t!(l, "field-melder"),
            MELDERS,
            c.melder.as_ref().map(|x| x.code()),
            Some(&t!(l, "not-set"))
        ),
        select(
            l,
            "over_wie",
            &t!(l, "field-over-wie"),
            OVER_WIE,
            c.over_wie.as_ref().map(|x| x.code()),
            Some(&t!(l, "not-set"))
        ),
        select_pairs(
            "organisatie",
            &t!(l, "field-organisatie"),
            &orgs,
            Some(&c.organisatie)
        ),
        esc(&t!(l, "deadline-ack-title")),
        esc(c.acknowledged.as_deref().unwrap_or("")),
        esc(&t!(l, "deadline-feedback-title")),
        esc(c.feedback.as_deref().unwrap_or("")),
        esc(&t!(l, "status-save")),
    );
    // Note.
    let _ = write!(
        b,
        "<h2>{}</h2><form method=\"post\" action=\"/zaak/{}/notitie\"><div class=\"veld\"><label for=\"note\">{}</label>\
         <p class=\"hint\" id=\"note-hint\">{}</p><textarea id=\"note\" name=\"text\" aria-describedby=\"note-hint\" required></textarea></div>\
         <button class=\"knop-hoofd\" type=\"submit\">{}</button></form>",
        esc(&t!(l, "note-title")),
        esc(&c.number),
        esc(&t!(l, "note-label")),
        esc(&t!(l, "note-hint")),
        esc(&t!(l, "note-save")),
    );
    // History.
    let _ = write!(
        b,
        "<h2>{}</h2><ul class=\"geschiedenis\">",
        esc(&t!(l, "history-title"))
    );
    for h in &file.history {
        let _ = write!(
            b,
            "<li><span class=\"mono\">{}</span> {}</li>",
            esc(&h.day),
            esc(&history_words(l, &h.event, &names))
        );
    }
    b.push_str("</ul>");
    layout(
        l,
        &t!(l, "zaak-title", number = &c.number),
        Some(Nav::Postvak),
        &b,
    )
    .into_response()
}

pub async fn view(
    State(desk): State<Arc<Desk>>,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let msg = match q.get("ok").map(String::as_str) {
            Some("status") => crate::page::ok_box(&t!(l, "ok-status")),
            Some("notitie") => crate::page::ok_box(&t!(l, "ok-note")),
            Some("antwoord") => crate::page::ok_box(&t!(l, "ok-reply")),
            Some("geregistreerd") => crate::page::ok_box(&t!(l, "ok-registered")),
            _ => String::new(),
        };
        render_case(d, &number, &msg)
    })
    .await
}

fn differs(new: Option<&String>, old: Option<&str>) -> Option<String> {
    let new = new.map(String::as_str).filter(|v| !v.is_empty())?;
    (Some(new) != old).then(|| new.to_string())
}

pub async fn status(
    State(desk): State<Arc<Desk>>,
    Path(number): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let today = meldpunt_keys::days::today();
        let mut inner = d.inner();
        let Some(session) = inner.session.as_mut() else {
            return Redirect::to("/").into_response();
        };
        let c: CaseRow = match session.case(&number) {
            Ok(c) => c,
            Err(_) => {
                drop(inner);
                return not_found(l, &number);
            }
        };
        let change = StatusChange {
            afdoening: differs(f.get("afdoening"), Some(c.afdoening.code())),
            acknowledged: differs(f.get("acknowledged"), c.acknowledged.as_deref()),
            feedback: differs(f.get("feedback"), c.feedback.as_deref()),
            organisatie: differs(f.get("organisatie"), Some(&c.organisatie)),
            soort: differs(f.get("soort"), c.soort.as_ref().map(|x| x.code())),
            melder: differs(f.get("melder"), c.melder.as_ref().map(|x| x.code())),
            over_wie: differs(f.get("over_wie"), c.over_wie.as_ref().map(|x| x.code())),
        };
        let result = session.update_status(&number, &change, &today);
        drop(inner);
        match result {
            Ok(_) => Redirect::to(&format!(
                "/zaak/{}?ok=status",
                crate::postvak::url_enc(&number)
            ))
            .into_response(),
            Err(e) => render_case(d, &number, &errors::boxed(l, &e)),
        }
    })
    .await
}

pub async fn note(
    State(desk): State<Arc<Desk>>,
    Path(number): Path<String>,
    Form(mut f): Form<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let text = Zeroizing::new(f.remove("text").unwrap_or_default());
        let today = meldpunt_keys::days::today();
        let result = match d.inner().session.as_mut() {
            None => return Redirect::to("/").into_response(),
            Some(_) if text.trim().is_empty() => {
                Err(meldpunt_keys::error::Error::TextInvalid(String::new()))
            }
            Some(s) => s.add_note(&number, &text, &today),
        };
        match result {
            Ok(()) => Redirect::to(&format!(
                "/zaak/{}?ok=notitie",
                crate::postvak::url_enc(&number)
            ))
            .into_response(),
            Err(e) => render_case(d, &number, &errors::boxed(l, &e)),
        }
    })
    .await
}

pub async fn attachment(
    State(desk): State<Arc<Desk>>,
    Path((number, idx)): Path<(String, usize)>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let today = meldpunt_keys::days::today();
        let got = match d.inner().session.as_mut() {
            Some(s) => s.attachment(&number, idx, &today),
            None => return Redirect::to("/").into_response(),
        };
        match got {
            Ok(a) => {
                let name: String = a
                    .safe_name
                    .chars()
                    .map(|c| {
                        if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                (
                    [
                        // Always a download, never shown in the desk's own origin.
                        (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                        (
                            header::CONTENT_DISPOSITION,
                            format!(
                                "attachment; filename=\"{name}\"; filename*=UTF-8''{}",
                                crate::postvak::url_enc(&a.safe_name)
                            ),
                        ),
                    ],
                    a.bytes.to_vec(),
                )
                    .into_response()
            }
            Err(e) => render_case(d, &number, &errors::boxed(l, &e)),
        }
    })
    .await
}

/// The standard text to start from.
fn template(l: Lang, c: &CaseRow, which: &str) -> String {
    let today = meldpunt_keys::days::today();
    match which {
        "terugkoppeling" => meldpunt_keys::tr!(l, "reply-dear-reporter-we-have-looked"),
        "leeg" => String::new(),
        _ => {
            let due = meldpunt_keys::days::feedback_due(&c.received, Some(&today));
            meldpunt_keys::tr!(
                l,
                "reply-dear-reporter-we-have-received",
                received = c.received,
                due = due
            )
        }
    }
}

fn reply_page(
    l: Lang,
    c: &CaseRow,
    text: &str,
    feedback: bool,
    preview: bool,
    message: &str,
) -> Response {
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>{}</h1><p><a href=\"/zaak/{n}\">{}</a></p>{message}<div class=\"uitleg\"><p>{}</p></div>\
         <p class=\"knoppen\"><a class=\"knop-licht knop-link\" href=\"/zaak/{n}/antwoord?sjabloon=ontvangst\">{}</a> \
         <a class=\"knop-licht knop-link\" href=\"/zaak/{n}/antwoord?sjabloon=terugkoppeling\">{}</a></p>",
        esc(&t!(l, "reply-title", number = &c.number)),
        esc(&t!(l, "back-to-case")),
        esc(&t!(l, "reply-intro")),
        esc(&t!(l, "reply-template-ack")),
        esc(&t!(l, "reply-template-feedback")),
        n = esc(&c.number),
    );
    if preview {
        let _ = write!(
            b,
            "<section class=\"voorbeeld\" aria-labelledby=\"voorbeeld-kop\"><h2 id=\"voorbeeld-kop\">{}</h2><div class=\"reactie\">{}</div></section>",
            esc(&t!(l, "reply-preview-title")),
            text_block(text)
        );
    }
    let _ = write!(
        b,
        "<form method=\"post\" action=\"/zaak/{}/antwoord\" autocomplete=\"off\"><div class=\"veld\"><label for=\"reply-text\">{}</label>\
         <textarea id=\"reply-text\" name=\"text\" required>{}</textarea></div>\
         <div class=\"veld veld-vink\"><input type=\"checkbox\" id=\"feedback\" name=\"feedback\" value=\"1\"{}><label for=\"feedback\">{}</label></div>\
         <div class=\"knoppen\"><button class=\"knop-licht\" type=\"submit\" name=\"actie\" value=\"voorbeeld\">{}</button>\
         <button class=\"knop-hoofd\" type=\"submit\" name=\"actie\" value=\"versturen\">{}</button></div></form>",
        esc(&c.number),
        esc(&t!(l, "reply-text")),
        esc(text),
        if feedback { " checked" } else { "" },
        esc(&t!(l, "reply-is-feedback")),
        esc(&t!(l, "reply-preview")),
        esc(&t!(l, "reply-send")),
    );
    layout(
        l,
        &t!(l, "reply-title", number = &c.number),
        Some(Nav::Antwoorden),
        &b,
    )
    .into_response()
}

pub async fn reply_form(
    State(desk): State<Arc<Desk>>,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let inner = d.inner();
        let Some(session) = inner.session.as_ref() else {
            return Redirect::to("/").into_response();
        };
        let c = match session.reply_case(&number) {
            Ok(c) => c,
            Err(e @ meldpunt_keys::error::Error::NoReplyChannel(..)) => {
                drop(inner);
                return render_case(d, &number, &errors::boxed(l, &e));
            }
            Err(_) => {
                drop(inner);
                return not_found(l, &number);
            }
        };
        drop(inner);
        let which = q
            .get("sjabloon")
            .map(String::as_str)
            .unwrap_or(if c.acknowledged.is_none() {
                "ontvangst"
            } else {
                "leeg"
            });
        let feedback = which == "terugkoppeling";
        reply_page(l, &c, &template(l, &c, which), feedback, false, "")
    })
    .await
}

pub async fn reply(
    State(desk): State<Arc<Desk>>,
    Path(number): Path<String>,
    Form(mut f): Form<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let today = meldpunt_keys::days::today();
        let text = Zeroizing::new(f.remove("text").unwrap_or_default().replace("\r\n", "\n"));
        let feedback = f.contains_key("feedback");
        let send = f.get("actie").map(String::as_str) == Some("versturen");
        let mut inner = d.inner();
        let Some(session) = inner.session.as_mut() else {
            return Redirect::to("/").into_response();
        };
        let c = match session.reply_case(&number) {
            Ok(c) => c,
            Err(_) => {
                drop(inner);
                return not_found(l, &number);
            }
        };
        if let Err(e) = session.check_reply_text(&text, &today) {
            drop(inner);
            return reply_page(l, &c, &text, feedback, false, &errors::boxed(l, &e));
        }
        if !send {
            drop(inner);
            return reply_page(l, &c, &text, feedback, true, "");
        }
        match session.reply(&number, &text, feedback, &today) {
            Ok(_) => Redirect::to(&format!(
                "/zaak/{}?ok=antwoord",
                crate::postvak::url_enc(&number)
            ))
            .into_response(),
            Err(e) => {
                drop(inner);
                reply_page(l, &c, &text, feedback, false, &errors::boxed(l, &e))
            }
        }
    })
    .await
}

/// Antwoorden: the outbox, and the cases waiting for an ontvangstbevestiging or a
/// terugkoppeling, each with a link to its reply started from the standard text.
pub async fn replies(State(desk): State<Arc<Desk>>) -> Response {
    blocking(desk, |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let today = meldpunt_keys::days::today();
        let names = Names::read(&d.settings.dir);
        let inner = d.inner();
        let Some(session) = inner.session.as_ref() else {
            return Redirect::to("/").into_response();
        };
        let pending = session.store().pending_replies().unwrap_or(0);
        let filter = ListFilter {
            store: meldpunt_keys::store::Filter { open: Some(true), ..Default::default() },
            overdue_only: false,
        };
        let cases = match session.cases(&filter, &today) {
            Ok(c) => c,
            Err(e) => {
                drop(inner);
                return layout(l, &t!(l, "nav-antwoorden"), Some(Nav::Antwoorden), &errors::boxed(l, &e)).into_response();
            }
        };
        drop(inner);
        let mut b = String::new();
        let _ = write!(
            b,
            "<h1>{}</h1><div class=\"uitleg\"><p>{}</p></div><p class=\"status\" role=\"status\">{}</p>",
            esc(&t!(l, "nav-antwoorden")),
            esc(&t!(l, "replies-intro")),
            esc(&t!(l, "replies-outbox", n = pending)),
        );
        for (title, ack) in [(t!(l, "replies-need-ack"), true), (t!(l, "replies-need-feedback"), false)] {
            let list: Vec<_> = cases
                .iter()
                .filter(|c| c.case.lookup_hash.is_some())
                .filter(|c| {
                    if ack {
                        matches!(c.deadlines.ack, Deadline::Open { .. })
                    } else {
                        !matches!(c.deadlines.ack, Deadline::Open { .. })
                            && matches!(c.deadlines.feedback, Deadline::Open { .. })
                    }
                })
                .take(200)
                .collect();
            let _ = write!(b, "<h2>{}</h2>", esc(&title));
            if list.is_empty() {
                let _ = write!(b, "<p>{}</p>", esc(&t!(l, "replies-none")));
                continue;
            }
            b.push_str("<ul class=\"antwoord-lijst\">");
            for c in list {
                let dl = if ack { &c.deadlines.ack } else { &c.deadlines.feedback };
                let _ = write!(
                    b,
                    "<li><a href=\"/zaak/{n}/antwoord?sjabloon={}\">{}</a> · {} · {}</li>",
                    if ack { "ontvangst" } else { "terugkoppeling" },
                    esc(&t!(l, "reply-to", number = &c.case.number)),
                    esc(names.name(&c.case.organisatie)),
                    esc(&deadline_words(l, ack, dl)),
                    n = esc(&c.case.number),
                );
            }
            b.push_str("</ul>");
        }
        layout(l, &t!(l, "nav-antwoorden"), Some(Nav::Antwoorden), &b).into_response()
    })
    .await
}
