//! The Postvak: import a bundle by choosing its file (with progress; items that could
//! not be opened are listed, the rest goes in), then the cases: overdue first,
//! deadlines in words, new follow-ups and meldingen about a bestuurder marked, filters
//! and a search in the oversight fields.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use meldpunt_envelope::Lang;
use meldpunt_envelope::domain::{
    AFDOENINGEN, ItemKind, KANALEN, MELDERS, OVER_WIE, OverWie, SOORTEN,
};
use meldpunt_keys::cases::{CaseSummary, ListFilter};
use meldpunt_keys::days::Deadline;
use meldpunt_keys::error::Error;
use meldpunt_keys::import::SetAsideReason;
use meldpunt_keys::store::Filter;

use crate::orgs::Names;
use crate::page::{Nav, esc, layout, select_pairs, term};
use crate::state::{Desk, LastImport};
use crate::{blocking, errors, t};

/// Cases per page of the list.
const PAGE: usize = 100;

/// A deadline in words: "ontvangstbevestiging: nog 2 dagen", "… 3 dagen te laat".
pub fn deadline_words(l: Lang, ack: bool, d: &Deadline) -> String {
    let what = if ack {
        t!(l, "deadline-ack")
    } else {
        t!(l, "deadline-feedback")
    };
    let state = match d {
        Deadline::Met { day, on_time: true } => t!(l, "deadline-met", day = day),
        Deadline::Met {
            day,
            on_time: false,
        } => t!(l, "deadline-met-late", day = day),
        Deadline::Open { left: 0, .. } => t!(l, "deadline-today"),
        Deadline::Open { left: 1, .. } => t!(l, "deadline-left-one"),
        Deadline::Open { left: -1, .. } => t!(l, "deadline-late-one"),
        Deadline::Open { left, .. } if *left > 0 => t!(l, "deadline-left", n = left),
        Deadline::Open { left, .. } => t!(l, "deadline-late", n = -left),
    };
    format!("{what}: {state}")
}

fn is_late(d: &Deadline) -> bool {
    matches!(d, Deadline::Open { left, .. } if *left < 0)
}

/// The search: every word must be in the case's number, organisation or the labels
/// of its oversight fields (in either language).
fn matches(c: &CaseSummary, names: &Names, q: &str) -> bool {
    if q.trim().is_empty() {
        return true;
    }
    let row = &c.case;
    let mut hay = format!(
        "{} {} {}",
        row.number,
        row.organisatie,
        names.name(&row.organisatie)
    );
    for l in [Lang::Nl, Lang::En] {
        for (list, v) in [
            (SOORTEN, row.soort.as_ref().map(|x| x.code())),
            (MELDERS, row.melder.as_ref().map(|x| x.code())),
            (OVER_WIE, row.over_wie.as_ref().map(|x| x.code())),
            (AFDOENINGEN, Some(row.afdoening.code())),
            (KANALEN, Some(row.kanaal.code())),
        ] {
            if let Some(v) = v {
                hay.push(' ');
                hay.push_str(&term(l, list, v));
            }
        }
    }
    let hay = hay.to_lowercase();
    q.to_lowercase().split_whitespace().all(|w| hay.contains(w))
}

pub async fn list(
    State(desk): State<Arc<Desk>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        render_list(d, &q, "")
    })
    .await
}

fn render_list(d: &Desk, q: &HashMap<String, String>, message: &str) -> Response {
    let l = d.lang();
    let today = meldpunt_keys::days::today();
    let get = |k: &str| q.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let orgs = crate::orgs::known(d);
    let names = Names::read(&d.settings.dir);
    let inner = d.inner();
    let Some(session) = inner.session.as_ref() else {
        return Redirect::to("/").into_response();
    };
    let filter = ListFilter {
        store: Filter {
            organisatie: get("organisatie").map(str::to_string),
            open: match get("status") {
                Some("open") => Some(true),
                Some("gesloten") => Some(false),
                _ => None,
            },
            year: get("jaar").and_then(|y| y.parse().ok()),
        },
        overdue_only: get("te-laat").is_some(),
    };
    let (all, new) = match session
        .cases(&filter, &today)
        .and_then(|c| Ok((c, session.store().cases_with_new_vervolg()?)))
    {
        Ok(x) => x,
        Err(e) => return page(l, &errors::boxed(l, &e)),
    };
    let aside = session.store().set_aside_items().unwrap_or_default();
    let years: Vec<i64> = match session.store().cases(&Filter::default()) {
        Ok(c) => {
            let mut y: Vec<i64> = c.iter().map(|c| c.year).collect();
            y.sort_unstable();
            y.dedup();
            y.reverse();
            y
        }
        Err(_) => Vec::new(),
    };
    drop(inner);
    let soort = get("soort");
    let search = get("zoek").unwrap_or("");
    let shown: Vec<&CaseSummary> = all
        .iter()
        .filter(|c| soort.is_none() || c.case.soort.as_ref().map(|x| x.code()) == soort)
        .filter(|c| matches(c, &names, search))
        .collect();
    let page_no: usize = get("pagina")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let pages = shown.len().div_ceil(PAGE).max(1);
    let page_no = page_no.min(pages);

    let mut b = String::new();
    let _ = write!(b, "<h1>{}</h1>{message}", esc(&t!(l, "postvak-title")));
    // Import.
    let _ = write!(
        b,
        "<section aria-labelledby=\"import-kop\"><h2 id=\"import-kop\">{}</h2>\
         <form method=\"post\" action=\"/postvak/import\" enctype=\"multipart/form-data\" id=\"import-form\">\
         <div class=\"veld\"><label for=\"bundle\">{}</label><p class=\"hint\" id=\"bundle-hint\">{}</p>\
         <input type=\"file\" id=\"bundle\" name=\"bundle\" accept=\".tar,application/x-tar\" aria-describedby=\"bundle-hint\" required></div>\
         <div class=\"voortgang\" id=\"import-voortgang\" hidden><p id=\"import-stap\" role=\"status\">{}</p>\
         <progress id=\"import-balk\" max=\"100\" value=\"0\" aria-labelledby=\"import-stap\"></progress></div>\
         <button class=\"knop-hoofd\" type=\"submit\">{}</button></form></section>",
        esc(&t!(l, "import-title")),
        esc(&t!(l, "import-file")),
        esc(&t!(l, "import-hint")),
        esc(&t!(l, "import-running")),
        esc(&t!(l, "import-button")),
    );
    // Items set aside, by this import or earlier ones: kept as they arrived.
    if !aside.is_empty() {
        let _ = write!(
            b,
            "<section aria-labelledby=\"apart-kop\"><h2 id=\"apart-kop\">{}</h2><p>{}</p>\
             <div class=\"tabel-rol\"><table class=\"apart\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(&t!(l, "aside-title", n = aside.len())),
            esc(&t!(l, "aside-text")),
            esc(&t!(l, "aside-item")),
            esc(&t!(l, "field-organisatie")),
            esc(&t!(l, "col-received")),
            esc(&t!(l, "aside-day")),
            esc(&t!(l, "aside-reason")),
        );
        for a in &aside {
            let kind = ItemKind::from_code(&a.kind)
                .map(|k| kind_word(l, k))
                .unwrap_or_else(|| t!(l, "kind-other"));
            let reason = SetAsideReason::from_code(&a.reason)
                .map(|r| reason_words(l, r))
                .unwrap_or_else(|| t!(l, "aside-other"));
            let _ = write!(
                b,
                "<tr><th scope=\"row\">{} <span class=\"mono\">{}</span></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&kind),
                esc(&a.id),
                esc(names.name(&a.organisatie)),
                esc(&a.received),
                esc(&a.set_aside),
                esc(&reason),
            );
        }
        b.push_str("</tbody></table></div></section>");
    }
    // Filters.
    let mut org_pairs = vec![(String::new(), t!(l, "filter-all"))];
    org_pairs.extend(orgs);
    let status_pairs = vec![
        (String::new(), t!(l, "filter-all")),
        ("open".to_string(), t!(l, "filter-open")),
        ("gesloten".to_string(), t!(l, "filter-closed")),
    ];
    let mut year_pairs = vec![(String::new(), t!(l, "filter-all"))];
    year_pairs.extend(years.iter().map(|y| (y.to_string(), y.to_string())));
    let mut soort_pairs = vec![(String::new(), t!(l, "filter-all"))];
    soort_pairs.extend(
        SOORTEN
            .iter()
            .map(|s| (s.code.to_string(), term(l, SOORTEN, s.code))),
    );
    let _ = write!(
        b,
        "<section aria-labelledby=\"zaken-kop\"><h2 id=\"zaken-kop\">{}</h2>\
         <form method=\"get\" action=\"/postvak\" class=\"filters\" role=\"search\">{}{}{}{}\
         <div class=\"veld\"><label for=\"zoek\">{}</label><input type=\"text\" id=\"zoek\" name=\"zoek\" value=\"{}\"></div>\
         <div class=\"veld veld-vink\"><input type=\"checkbox\" id=\"te-laat\" name=\"te-laat\" value=\"1\"{}><label for=\"te-laat\">{}</label></div>\
         <button class=\"knop-licht\" type=\"submit\">{}</button></form>",
        esc(&t!(l, "cases-title")),
        select_pairs(
            "organisatie",
            &t!(l, "field-organisatie"),
            &org_pairs,
            get("organisatie")
        ),
        select_pairs(
            "status",
            &t!(l, "filter-status"),
            &status_pairs,
            get("status")
        ),
        select_pairs("jaar", &t!(l, "filter-year"), &year_pairs, get("jaar")),
        select_pairs("soort", &t!(l, "field-soort"), &soort_pairs, soort),
        esc(&t!(l, "filter-search")),
        esc(search),
        if filter.overdue_only { " checked" } else { "" },
        esc(&t!(l, "filter-overdue")),
        esc(&t!(l, "filter-apply")),
    );
    let _ = write!(
        b,
        "<p role=\"status\">{}</p>",
        esc(&t!(l, "cases-count", n = shown.len(), total = all.len()))
    );
    if !shown.is_empty() {
        let _ = write!(
            b,
            "<div class=\"tabel-rol\"><table class=\"zaken\"><caption class=\"verborgen\">{}</caption><thead><tr>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(&t!(l, "cases-title")),
            esc(&t!(l, "col-case")),
            esc(&t!(l, "field-organisatie")),
            esc(&t!(l, "field-soort")),
            esc(&t!(l, "col-received")),
            esc(&t!(l, "col-deadlines")),
            esc(&t!(l, "field-afdoening")),
        );
        for c in shown.iter().skip((page_no - 1) * PAGE).take(PAGE) {
            let row = &c.case;
            let late = is_late(&c.deadlines.ack) || is_late(&c.deadlines.feedback);
            let mut marks = String::new();
            if new.contains(&row.number) {
                let _ = write!(
                    marks,
                    " <span class=\"merk merk-nieuw\">{}</span>",
                    esc(&t!(l, "mark-new-vervolg"))
                );
            }
            if row.over_wie.as_ref().and_then(|x| x.known()) == Some(OverWie::Bestuurder) {
                let _ = write!(
                    marks,
                    " <span class=\"merk merk-bestuurder\">{}</span>",
                    esc(&t!(l, "mark-bestuurder"))
                );
            }
            let deadline = |ack: bool, dl: &Deadline| {
                let cls = if is_late(dl) {
                    " class=\"te-laat\""
                } else {
                    ""
                };
                format!("<span{cls}>{}</span>", esc(&deadline_words(l, ack, dl)))
            };
            let _ = write!(
                b,
                "<tr{}><th scope=\"row\"><a href=\"/zaak/{}\">{}</a>{marks}</th><td>{}</td><td>{}</td><td>{}</td><td>{}<br>{}</td><td>{}</td></tr>",
                if late { " class=\"rij-te-laat\"" } else { "" },
                esc(&row.number),
                esc(&row.number),
                esc(names.name(&row.organisatie)),
                esc(&row
                    .soort
                    .as_ref()
                    .map(|x| x.code())
                    .map(|s| term(l, SOORTEN, s))
                    .unwrap_or_else(|| t!(l, "not-set"))),
                esc(&row.received),
                deadline(true, &c.deadlines.ack),
                deadline(false, &c.deadlines.feedback),
                esc(&term(l, AFDOENINGEN, row.afdoening.code())),
            );
        }
        b.push_str("</tbody></table></div>");
        if pages > 1 {
            let mut link_q: Vec<(String, String)> = q
                .iter()
                .filter(|(k, _)| k.as_str() != "pagina" && k.as_str() != "lang")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            link_q.sort();
            let base: String = link_q
                .iter()
                .map(|(k, v)| format!("{}={}&", url_enc(k), url_enc(v)))
                .collect();
            let _ = write!(
                b,
                "<nav class=\"pagina-nav\" aria-label=\"{}\"><p>",
                esc(&t!(l, "pages"))
            );
            if page_no > 1 {
                let _ = write!(
                    b,
                    "<a href=\"/postvak?{}pagina={}\">{}</a> ",
                    esc(&base),
                    page_no - 1,
                    esc(&t!(l, "page-prev"))
                );
            }
            let _ = write!(b, "{} ", esc(&t!(l, "page-of", n = page_no, total = pages)));
            if page_no < pages {
                let _ = write!(
                    b,
                    "<a href=\"/postvak?{}pagina={}\">{}</a>",
                    esc(&base),
                    page_no + 1,
                    esc(&t!(l, "page-next"))
                );
            }
            b.push_str("</p></nav>");
        }
    }
    b.push_str("</section>");
    layout(l, &t!(l, "postvak-title"), Some(Nav::Postvak), &b).into_response()
}

fn page(l: Lang, body: &str) -> Response {
    layout(l, &t!(l, "postvak-title"), Some(Nav::Postvak), body).into_response()
}

/// Percent-encodes a query value.
pub fn url_enc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            o.push(b as char);
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    o
}

/// The import: the bundle is checked as it arrives (`upload::inbox`), then opened and
/// written with the unlocked keys; the answer sends the browser on to the report.
pub async fn import(State(desk): State<Arc<Desk>>, form: Multipart) -> Response {
    crate::upload::inbox(desk, form, |d, upload| {
        let l = d.lang();
        let Some((name, bundle)) = upload else {
            let body =
                crate::page::error_box(&t!(l, "import-no-file"), &t!(l, "import-no-file-todo"));
            return page(l, &body);
        };
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let today = meldpunt_keys::days::today();
        let p = &d.progress;
        p.done.store(0, Ordering::SeqCst);
        p.total.store(0, Ordering::SeqCst);
        p.running.store(true, Ordering::SeqCst);
        let mut inner = d.inner();
        let result = bundle.and_then(|b| match inner.session.as_mut() {
            Some(s) => {
                s.check_bundle(&b)?;
                s.import(b, &today, &mut |done, total| {
                    p.done.store(done, Ordering::SeqCst);
                    p.total.store(total, Ordering::SeqCst);
                })
            }
            None => Err(Error::Locked),
        });
        p.running.store(false, Ordering::SeqCst);
        match result {
            Ok(report) => {
                inner.last_import = Some(LastImport { name, report });
                Redirect::to("/postvak/resultaat").into_response()
            }
            Err(e) => {
                drop(inner);
                page(l, &errors::boxed(l, &e))
            }
        }
    })
    .await
}

pub async fn progress(State(desk): State<Arc<Desk>>) -> Response {
    let p = &desk.progress;
    Json(serde_json::json!({
        "running": p.running.load(Ordering::SeqCst),
        "done": p.done.load(Ordering::SeqCst),
        "total": p.total.load(Ordering::SeqCst),
    }))
    .into_response()
}

fn kind_word(l: Lang, k: ItemKind) -> String {
    match k {
        ItemKind::Melding => t!(l, "kind-melding"),
        ItemKind::Vervolg => t!(l, "kind-vervolg"),
        ItemKind::Bijlage => t!(l, "kind-bijlage"),
        _ => t!(l, "kind-other"),
    }
}

fn reason_words(l: Lang, r: SetAsideReason) -> String {
    match r {
        SetAsideReason::NotOurs => t!(l, "aside-not-ours"),
        SetAsideReason::Damaged => t!(l, "aside-damaged"),
        SetAsideReason::NotAMelding => t!(l, "aside-not-a-melding"),
        SetAsideReason::WrongCase => t!(l, "aside-wrong-case"),
        SetAsideReason::AttachmentMismatch => t!(l, "aside-attachment-mismatch"),
        SetAsideReason::ParentSetAside => t!(l, "aside-parent"),
        _ => t!(l, "aside-other"),
    }
}

pub async fn result(State(desk): State<Arc<Desk>>) -> Response {
    blocking(desk, |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let inner = d.inner();
        let Some(last) = inner.last_import.as_ref() else {
            return Redirect::to("/postvak").into_response();
        };
        let r = &last.report;
        let mut b = String::new();
        let _ = write!(
            b,
            "<h1>{}</h1>{}<ul><li>{}</li><li>{}</li><li>{}</li><li>{}</li></ul>",
            esc(&t!(l, "result-title")),
            crate::page::ok_box(&t!(l, "result-ok", name = last.name)),
            esc(&t!(l, "result-imported", n = r.imported)),
            esc(&t!(l, "result-attachments", n = r.new_attachments)),
            esc(&t!(l, "result-duplicates", n = r.duplicates)),
            esc(&t!(l, "result-set-aside", n = r.set_aside.len())),
        );
        if !r.new_cases.is_empty() {
            let _ = write!(
                b,
                "<h2>{}</h2><ul class=\"nieuwe-zaken\">",
                esc(&t!(l, "result-new-cases"))
            );
            for n in &r.new_cases {
                let _ = write!(b, "<li><a href=\"/zaak/{}\">{}</a></li>", esc(n), esc(n));
            }
            b.push_str("</ul>");
        }
        if !r.set_aside.is_empty() {
            let _ = write!(
                b,
                "<h2>{}</h2><p>{}</p><ul class=\"apart\">",
                esc(&t!(l, "result-aside-title")),
                esc(&t!(l, "result-aside-text"))
            );
            for a in &r.set_aside {
                let _ = write!(
                    b,
                    "<li><span class=\"mono\">{}</span> ({}): {}</li>",
                    esc(&a.id),
                    esc(&kind_word(l, a.kind)),
                    esc(&reason_words(l, a.reason))
                );
            }
            b.push_str("</ul>");
        }
        if !r.organisation_mismatches.is_empty() {
            let _ = write!(
                b,
                "<p>{}</p>",
                esc(&t!(
                    l,
                    "result-org-mismatch",
                    n = r.organisation_mismatches.len()
                ))
            );
        }
        let _ = write!(
            b,
            "<p>{}</p><p><a href=\"/weekronde\">{}</a> · <a href=\"/postvak\">{}</a></p>",
            esc(&t!(l, "result-next")),
            esc(&t!(l, "nav-weekronde")),
            esc(&t!(l, "nav-postvak")),
        );
        layout(l, &t!(l, "result-title"), Some(Nav::Postvak), &b).into_response()
    })
    .await
}
