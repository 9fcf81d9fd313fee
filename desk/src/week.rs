//! Weekronde: what to carry to the server, saved through the browser's download (the
//! browser asks where): the replies bundle and the signed import confirmation, each
//! with what it does in plain words.

use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use meldpunt_envelope::Lang;
use meldpunt_keys::error::Error;

use crate::page::{Nav, esc, layout};
use crate::state::Desk;
use crate::{blocking, errors, t};

fn download(name: &str, mime: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn page(d: &Desk, message: &str) -> Response {
    let l: Lang = d.lang();
    let inner = d.inner();
    let pending = inner
        .session
        .as_ref()
        .and_then(|s| s.store().pending_replies().ok())
        .unwrap_or(0);
    let last = inner.last_import.as_ref().map(|i| i.name.clone());
    drop(inner);
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>{}</h1><div class=\"uitleg\"><p>{}</p></div>{message}\
         <section aria-labelledby=\"bundel-kop\"><h2 id=\"bundel-kop\">{}</h2><p>{}</p><p role=\"status\">{}</p>\
         <form method=\"post\" action=\"/weekronde/antwoorden\">\
         <div class=\"veld veld-vink\"><input type=\"checkbox\" id=\"alle\" name=\"alle\" value=\"1\"><label for=\"alle\">{}</label></div>\
         <button class=\"knop-hoofd\" type=\"submit\">{}</button></form></section>",
        esc(&t!(l, "week-title")),
        esc(&t!(l, "week-intro")),
        esc(&t!(l, "week-replies-title")),
        esc(&t!(l, "week-replies-what")),
        esc(&t!(l, "replies-outbox", n = pending)),
        esc(&t!(l, "week-replies-all")),
        esc(&t!(l, "week-replies-button")),
    );
    let _ = write!(
        b,
        "<section aria-labelledby=\"bevestiging-kop\"><h2 id=\"bevestiging-kop\">{}</h2><p>{}</p>",
        esc(&t!(l, "week-confirm-title")),
        esc(&t!(l, "week-confirm-what")),
    );
    if let Some(name) = last {
        let _ = write!(
            b,
            "<form method=\"post\" action=\"/weekronde/bevestiging\" enctype=\"multipart/form-data\">\
             <p>{}</p><button class=\"knop-hoofd\" type=\"submit\">{}</button></form>",
            esc(&t!(l, "week-confirm-last", name = name)),
            esc(&t!(l, "week-confirm-button")),
        );
    }
    let _ = write!(
        b,
        "<form method=\"post\" action=\"/weekronde/bevestiging\" enctype=\"multipart/form-data\">\
         <div class=\"veld\"><label for=\"inbox\">{}</label><p class=\"hint\" id=\"inbox-hint\">{}</p>\
         <input type=\"file\" id=\"inbox\" name=\"bundle\" accept=\".tar,application/x-tar\" aria-describedby=\"inbox-hint\" required></div>\
         <button class=\"knop-licht\" type=\"submit\">{}</button></form></section>\
         <section aria-labelledby=\"server-kop\"><h2 id=\"server-kop\">{}</h2><p>{}</p></section>",
        esc(&t!(l, "week-confirm-file")),
        esc(&t!(l, "week-confirm-file-hint")),
        esc(&t!(l, "week-confirm-button")),
        esc(&t!(l, "week-server-title")),
        esc(&t!(l, "week-server-what")),
    );
    layout(l, &t!(l, "week-title"), Some(Nav::Weekronde), &b).into_response()
}

pub async fn view(State(desk): State<Arc<Desk>>) -> Response {
    blocking(desk, |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        page(d, "")
    })
    .await
}

pub async fn replies_bundle(
    State(desk): State<Arc<Desk>>,
    axum::Form(f): axum::Form<std::collections::HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let today = meldpunt_keys::days::today();
        let all = f.contains_key("alle");
        // The library writes the bundle to a new file; it holds sealed, signed replies
        // only, and is removed as soon as it is read.
        let tmp = d.settings.dir.join(format!(
            ".desk-reacties-{}.tar",
            crate::state::random_hex().as_str()
        ));
        let result = match d.inner().session.as_mut() {
            Some(s) => s.export_replies(&tmp, all, &today),
            None => return Redirect::to("/").into_response(),
        };
        let read = result.and_then(|o| {
            if o.replies == 0 {
                return Ok(None);
            }
            let bytes = std::fs::read(&tmp)
                .map_err(|e| Error::io(&tmp, meldpunt_keys::error::Action::Read, e));
            let _ = std::fs::remove_file(&tmp);
            bytes.map(Some)
        });
        match read {
            Ok(Some(bytes)) => {
                download(&format!("reacties-{today}.tar"), "application/x-tar", bytes)
            }
            Ok(None) => page(d, &crate::page::ok_box(&t!(l, "week-replies-none"))),
            Err(e) => page(d, &errors::boxed(l, &e)),
        }
    })
    .await
}

pub async fn confirmation(State(desk): State<Arc<Desk>>, form: Multipart) -> Response {
    crate::upload::inbox(desk, form, move |d, upload| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let today = meldpunt_keys::days::today();
        let inner = d.inner();
        let Some(session) = inner.session.as_ref() else {
            return Redirect::to("/").into_response();
        };
        let ids = match upload {
            Some((name, bundle)) => bundle
                .and_then(|b| session.held_items(b, Path::new(&name)))
                .map(|h| (h.imported, h.set_aside)),
            None => match &inner.last_import {
                Some(i) => Ok((i.report.held_ids.clone(), i.report.set_aside_ids.clone())),
                None => {
                    drop(inner);
                    return page(
                        d,
                        &crate::page::error_box(
                            &t!(l, "import-no-file"),
                            &t!(l, "week-confirm-file-hint"),
                        ),
                    );
                }
            },
        };
        let json = ids.and_then(|(i, s)| session.confirmation(&i, &s, &today));
        drop(inner);
        match json {
            Ok(Some(json)) => download(
                &format!("importbevestiging-{today}.json"),
                "application/json",
                json,
            ),
            Ok(None) => page(d, &crate::page::ok_box(&t!(l, "week-confirm-none"))),
            Err(e) => page(d, &errors::boxed(l, &e)),
        }
    })
    .await
}
