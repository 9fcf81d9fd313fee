//! Who may talk to the desk. Every request passes here first:
//! - its Host must be the desk's own `127.0.0.1:PORT` (a DNS-rebinding page cannot
//!   reach it under another name);
//! - `/?s=<secret>` exchanges the one-time secret from the opened URL for a
//!   `SameSite=Strict; HttpOnly` cookie; every other request needs that cookie;
//! - a POST must come from the desk's own page: its Origin (or, without one, its
//!   Sec-Fetch-Site) must say so.
//!
//! Every answer carries a strict Content-Security-Policy (nothing but the desk's own
//! styles and script), is never cached (no page with a melding lands in the browser's
//! disk cache), and may not be framed.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use meldpunt_envelope::Lang;

use crate::state::{Desk, same};
use crate::t;

pub const COOKIE: &str = "meldpunt-desk";

const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; \
    connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

fn refusal(l: Lang, status: StatusCode, what: String, todo: String) -> Response {
    let body = crate::page::bare(l, &t!(l, "refused-title"), &what, &todo);
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn has_cookie(desk: &Desk, headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .any(|(k, v)| k == COOKIE && same(v.as_bytes(), desk.cookie.as_bytes()))
}

fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// The POST came from the desk's own page.
fn same_origin(desk: &Desk, headers: &HeaderMap) -> bool {
    match headers.get(header::ORIGIN) {
        Some(o) => o.as_bytes() == desk.origin().as_bytes(),
        None => headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"same-origin"),
    }
}

pub async fn guard(State(desk): State<Arc<Desk>>, req: Request, next: Next) -> Response {
    let l = desk.lang();
    let host_ok = req
        .headers()
        .get(header::HOST)
        .is_some_and(|h| h.as_bytes() == desk.host().as_bytes());
    if !host_ok {
        return refusal(
            l,
            StatusCode::MISDIRECTED_REQUEST,
            t!(l, "refused-host"),
            t!(l, "refused-host-todo", address = desk.origin()),
        );
    }
    let query = req.uri().query().unwrap_or("").to_string();
    if req.method() == Method::GET
        && req.uri().path() == "/"
        && let Some(secret) = query_value(&query, "s")
    {
        if desk.take_secret(secret) {
            desk.touch();
            let cookie = format!(
                "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
                desk.cookie.as_str()
            );
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::SEE_OTHER;
            let h = r.headers_mut();
            h.insert(header::LOCATION, HeaderValue::from_static("/"));
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                h.insert(header::SET_COOKIE, v);
            }
            secure_headers(h);
            return r;
        }
        // The browser that already holds the cookie (the address opened again)
        // just goes on.
        if has_cookie(&desk, req.headers()) {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::SEE_OTHER;
            r.headers_mut()
                .insert(header::LOCATION, HeaderValue::from_static("/"));
            return with_headers(r);
        }
        return with_headers(refusal(
            l,
            StatusCode::FORBIDDEN,
            t!(l, "refused-secret"),
            t!(l, "refused-secret-todo"),
        ));
    }
    if !has_cookie(&desk, req.headers()) {
        return with_headers(refusal(
            l,
            StatusCode::FORBIDDEN,
            t!(l, "refused-cookie"),
            t!(l, "refused-secret-todo"),
        ));
    }
    if req.method() != Method::GET
        && req.method() != Method::HEAD
        && !same_origin(&desk, req.headers())
    {
        return with_headers(refusal(
            l,
            StatusCode::FORBIDDEN,
            t!(l, "refused-origin"),
            t!(l, "refused-origin-todo"),
        ));
    }
    match query_value(&query, "lang") {
        Some("nl") => desk.set_lang(Lang::Nl),
        Some("en") => desk.set_lang(Lang::En),
        _ => {}
    }
    // The progress bar's polling does not keep an unattended desk awake.
    if req.uri().path() != "/postvak/voortgang" {
        desk.touch();
    }
    let r = next.run(req).await;
    // A request the handlers could not even read (a form without its fields, a body
    // too large, a wrong method) gets a page in words too, not the framework's text.
    let html = r
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if r.status().is_client_error() && !html {
        let (what, todo) = if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            (t!(l, "err-too-large"), t!(l, "err-too-large-todo"))
        } else {
            (t!(l, "err-bad-request"), t!(l, "err-bad-request-todo"))
        };
        return with_headers(refusal(l, r.status(), what, todo));
    }
    with_headers(r)
}

fn secure_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Not `no-referrer`: under it the browser sends `Origin: null` with the desk's own
    // forms, and the Origin check could not tell them from a foreign page's.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
}

fn with_headers(mut r: Response) -> Response {
    secure_headers(r.headers_mut());
    r
}
