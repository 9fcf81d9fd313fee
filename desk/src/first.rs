//! The first run (keys, recovery key, the file for the server, the staff token shown
//! once), unlocking and locking the keys, and stopping the desk.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use age::secrecy::{ExposeSecret, SecretString};
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use meldpunt_keys::error::Error;
use meldpunt_keys::init::{InitOptions, init};
use meldpunt_keys::session::{Credential, Session, Want};
use zeroize::Zeroizing;

use crate::page::{esc, layout};
use crate::state::{Desk, Made};
use crate::{blocking, errors, t};

pub const SERVER_FILE: &str = "meldpunt-server-setup.toml";

pub async fn home(State(desk): State<Arc<Desk>>) -> Response {
    blocking(desk, |d| {
        crate::not_ready(d).unwrap_or_else(|| Redirect::to("/postvak").into_response())
    })
    .await
}

pub async fn not_found(State(desk): State<Arc<Desk>>) -> Response {
    let l = desk.lang();
    let body = crate::page::error_box(&t!(l, "err-not-found"), &t!(l, "err-not-found-todo"));
    (
        StatusCode::NOT_FOUND,
        layout(l, &t!(l, "err-not-found"), None, &body),
    )
        .into_response()
}

fn first_page(l: meldpunt_envelope::Lang, error: &str) -> Response {
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>{}</h1><div class=\"uitleg\"><p>{}</p><p>{}</p></div>{error}\
         <form method=\"post\" action=\"/eerste-keer\">\
         <div class=\"veld\"><label for=\"pass1\">{}</label><p class=\"hint\" id=\"pass-hint\">{}</p>\
         <input type=\"password\" id=\"pass1\" name=\"pass1\" autocomplete=\"new-password\" aria-describedby=\"pass-hint\" required minlength=\"12\"></div>\
         <div class=\"veld\"><label for=\"pass2\">{}</label>\
         <input type=\"password\" id=\"pass2\" name=\"pass2\" autocomplete=\"new-password\" required minlength=\"12\"></div>\
         <div class=\"veld veld-vink\"><input type=\"checkbox\" id=\"recovery\" name=\"recovery\" value=\"1\" checked>\
         <label for=\"recovery\">{}</label></div><p class=\"hint\">{}</p>\
         <button class=\"knop-hoofd\" type=\"submit\">{}</button></form>",
        esc(&t!(l, "first-title")),
        esc(&t!(l, "first-intro")),
        esc(&t!(l, "first-intro-2")),
        esc(&t!(l, "first-pass")),
        esc(&t!(l, "first-pass-hint")),
        esc(&t!(l, "first-pass-again")),
        esc(&t!(l, "first-recovery")),
        esc(&t!(l, "first-recovery-hint")),
        esc(&t!(l, "first-make")),
    );
    layout(l, &t!(l, "first-title"), None, &b).into_response()
}

pub async fn first_form(State(desk): State<Arc<Desk>>) -> Response {
    blocking(desk, |d| {
        let l = d.lang();
        let inner = d.inner();
        if inner.made.is_some() {
            drop(inner);
            return made_page(d);
        }
        if inner.session.is_some() {
            return Redirect::to("/").into_response();
        }
        first_page(l, "")
    })
    .await
}

pub async fn first_make(
    State(desk): State<Arc<Desk>>,
    Form(mut f): Form<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        let l = d.lang();
        if d.inner().session.is_some() {
            return Redirect::to("/").into_response();
        }
        let p1 = Zeroizing::new(f.remove("pass1").unwrap_or_default());
        let p2 = Zeroizing::new(f.remove("pass2").unwrap_or_default());
        if p1.as_str() != p2.as_str() {
            return first_page(l, &errors::boxed(l, &Error::PassphraseMismatch));
        }
        let recovery_id = f
            .contains_key("recovery")
            .then(age::x25519::Identity::generate);
        let opts = InitOptions {
            recovery: recovery_id.as_ref().map(|i| i.to_public().to_string()),
            server_file: Some(d.settings.dir.join(SERVER_FILE)),
        };
        let pass = SecretString::from(p1.to_string());
        let made = match init(&d.settings.dir, &pass, &opts) {
            Ok(m) => m,
            Err(e) => return first_page(l, &errors::boxed(l, &e)),
        };
        let server_file = std::fs::read_to_string(d.settings.dir.join(SERVER_FILE))
            .map(Zeroizing::new)
            .unwrap_or_else(|_| Zeroizing::new(made.config_lines()));
        let mut session = match Session::open(&d.settings.dir) {
            Ok(s) => s,
            Err(e) => return first_page(l, &errors::boxed(l, &e)),
        };
        if let Err(e) = session.unlock(Credential::Passphrase(pass), Want::OpenAndSign) {
            return first_page(l, &errors::boxed(l, &e));
        }
        let mut inner = d.inner();
        inner.session = Some(session);
        inner.made = Some(Made {
            staff_token: Some(made.staff_token.clone()),
            server_file,
            recipient: made.recipient.clone(),
            signing_public_key: made.signing_public_key.clone(),
            recovery: recovery_id
                .map(|i| Zeroizing::new(i.to_string().expose_secret().to_string())),
        });
        drop(inner);
        Redirect::to("/eerste-keer").into_response()
    })
    .await
}

/// What the first run made: shown once (the staff token and the recovery key are
/// forgotten as the page is written).
fn made_page(d: &Desk) -> Response {
    let l = d.lang();
    let mut inner = d.inner();
    let Some(made) = inner.made.as_mut() else {
        return Redirect::to("/").into_response();
    };
    let token = made.staff_token.take();
    let recovery = made.recovery.take();
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>{}</h1>{}",
        esc(&t!(l, "made-title")),
        crate::page::ok_box(&t!(l, "made-ok"))
    );
    match &token {
        Some(tok) => {
            let _ = write!(
                b,
                "<h2>{}</h2><p>{}</p><div class=\"token-blok\"><p class=\"token mono\" id=\"staff-token\">{}</p></div>",
                esc(&t!(l, "made-token-title")),
                esc(&t!(l, "made-token-text")),
                esc(tok)
            );
        }
        None => {
            let _ = write!(b, "<p>{}</p>", esc(&t!(l, "made-token-gone")));
        }
    }
    if let Some(r) = &recovery {
        let _ = write!(
            b,
            "<h2>{}</h2><p>{}</p><div class=\"token-blok\"><p class=\"token mono\" id=\"recovery-key\">{}</p></div>",
            esc(&t!(l, "made-recovery-title")),
            esc(&t!(l, "made-recovery-text")),
            esc(r)
        );
    }
    let _ = write!(
        b,
        "<h2>{}</h2><p>{}</p><p><a class=\"knop-hoofd knop-link\" href=\"/eerste-keer/serverbestand\" download=\"{SERVER_FILE}\">{}</a></p>\
         <h2>{}</h2><dl class=\"gegevens\"><dt>{}</dt><dd class=\"mono\">{}</dd><dt>{}</dt><dd class=\"mono\">{}</dd></dl>\
         <p><a href=\"/postvak\">{}</a></p>",
        esc(&t!(l, "made-server-title")),
        esc(&t!(l, "made-server-text")),
        esc(&t!(l, "made-server-download")),
        esc(&t!(l, "made-public-title")),
        esc(&t!(l, "made-recipient")),
        esc(&made.recipient),
        esc(&t!(l, "made-signing")),
        esc(&made.signing_public_key),
        esc(&t!(l, "made-continue")),
    );
    layout(l, &t!(l, "made-title"), Some(crate::page::Nav::None), &b).into_response()
}

pub async fn server_file(State(desk): State<Arc<Desk>>) -> Response {
    blocking(desk, |d| {
        let inner = d.inner();
        let text = match inner.made.as_ref() {
            Some(m) => m.server_file.to_string(),
            None => match std::fs::read_to_string(d.settings.dir.join(SERVER_FILE)) {
                Ok(t) => t,
                Err(_) => return Redirect::to("/").into_response(),
            },
        };
        (
            [
                (
                    header::CONTENT_TYPE,
                    "application/toml; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{SERVER_FILE}\""),
                ),
            ],
            text,
        )
            .into_response()
    })
    .await
}

fn unlock_page(l: meldpunt_envelope::Lang, error: &str) -> Response {
    let b = format!(
        "<h1>{}</h1><p>{}</p>{error}<form method=\"post\" action=\"/ontgrendel\">\
         <div class=\"veld\"><label for=\"pass\">{}</label>\
         <input type=\"password\" id=\"pass\" name=\"pass\" autocomplete=\"current-password\" required autofocus></div>\
         <button class=\"knop-hoofd\" type=\"submit\">{}</button></form>",
        esc(&t!(l, "unlock-title")),
        esc(&t!(l, "unlock-text")),
        esc(&t!(l, "unlock-pass")),
        esc(&t!(l, "unlock-button")),
    );
    layout(l, &t!(l, "unlock-title"), None, &b).into_response()
}

pub async fn unlock_form(State(desk): State<Arc<Desk>>) -> Response {
    blocking(desk, |d| {
        let inner = d.inner();
        match &inner.session {
            None => Redirect::to("/eerste-keer").into_response(),
            Some(s) if s.unlocked().is_some() => Redirect::to("/postvak").into_response(),
            Some(_) => unlock_page(d.lang(), ""),
        }
    })
    .await
}

pub async fn unlock(
    State(desk): State<Arc<Desk>>,
    Form(mut f): Form<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        let l = d.lang();
        let pass = SecretString::from(f.remove("pass").unwrap_or_default());
        let mut inner = d.inner();
        let Some(session) = inner.session.as_mut() else {
            return Redirect::to("/eerste-keer").into_response();
        };
        match session.unlock(Credential::Passphrase(pass), Want::OpenAndSign) {
            Ok(()) => Redirect::to("/postvak").into_response(),
            Err(e) => {
                drop(inner);
                unlock_page(l, &errors::boxed(l, &e))
            }
        }
    })
    .await
}

pub async fn lock(State(desk): State<Arc<Desk>>) -> Response {
    blocking(desk, |d| {
        d.lock_keys();
        d.inner().last_import = None;
        Redirect::to("/ontgrendel").into_response()
    })
    .await
}

pub async fn quit(State(desk): State<Arc<Desk>>) -> Response {
    let l = desk.lang();
    desk.lock_keys();
    desk.shut_down();
    let b = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(&t!(l, "quit-title")),
        esc(&t!(l, "quit-text"))
    );
    layout(l, &t!(l, "quit-title"), None, &b).into_response()
}
