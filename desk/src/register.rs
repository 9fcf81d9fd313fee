//! Registreren: a melding that came in by telefoon, e-mail, vertrouwenspersoon, letter
//! or in person, with every field chosen from a list (an organisation that is not in
//! the list is added on the Organisaties page first, so a typo never makes a new one).

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use meldpunt_envelope::Lang;
use meldpunt_envelope::domain::{KANALEN, MELDERS, OVER_WIE, SOORTEN, Term};
use meldpunt_keys::cases::Registration;
use zeroize::Zeroizing;

use crate::page::{Nav, esc, layout, select, select_pairs};
use crate::state::Desk;
use crate::{blocking, errors, t};

fn page(d: &Desk, f: &HashMap<String, String>, message: &str) -> Response {
    let l: Lang = d.lang();
    let orgs = crate::orgs::known(d);
    let by_hand: Vec<Term> = KANALEN
        .iter()
        .copied()
        .filter(|k| k.code != "meldpunt")
        .collect();
    let get = |k: &str| f.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>{}</h1><div class=\"uitleg\"><p>{}</p></div>{message}<form method=\"post\" action=\"/registreren\" autocomplete=\"off\">{}",
        esc(&t!(l, "register-title")),
        esc(&t!(l, "register-intro")),
        select(
            l,
            "kanaal",
            &t!(l, "field-kanaal"),
            &by_hand,
            get("kanaal"),
            None
        ),
    );
    if orgs.is_empty() {
        let _ = write!(
            b,
            "<p class=\"fout-tekst\">{} <a href=\"/organisaties\">{}</a></p>",
            esc(&t!(l, "register-no-orgs")),
            esc(&t!(l, "orgs-title"))
        );
    } else {
        b.push_str(&select_pairs(
            "organisatie",
            &t!(l, "field-organisatie"),
            &orgs,
            get("organisatie"),
        ));
        let _ = write!(
            b,
            "<p class=\"hint\"><a href=\"/organisaties\">{}</a></p>",
            esc(&t!(l, "register-org-missing"))
        );
    }
    let _ = write!(
        b,
        "{}{}{}<div class=\"veld\"><label for=\"received\">{}</label><input type=\"date\" id=\"received\" name=\"received\" value=\"{}\"></div>\
         <div class=\"veld\"><label for=\"text\">{}</label><p class=\"hint\" id=\"text-hint\">{}</p><textarea id=\"text\" name=\"text\" aria-describedby=\"text-hint\" required></textarea></div>\
         <button class=\"knop-hoofd\" type=\"submit\">{}</button></form>",
        select(
            l,
            "soort",
            &t!(l, "field-soort"),
            SOORTEN,
            get("soort"),
            None
        ),
        select(
            l,
            "melder",
            &t!(l, "field-melder"),
            MELDERS,
            get("melder"),
            Some(&t!(l, "not-set"))
        ),
        select(
            l,
            "over_wie",
            &t!(l, "field-over-wie"),
            OVER_WIE,
            get("over_wie"),
            Some(&t!(l, "not-set"))
        ),
        esc(&t!(l, "register-received")),
        esc(get("received").unwrap_or(&meldpunt_keys::days::today())),
        esc(&t!(l, "register-text")),
        esc(&t!(l, "register-text-hint")),
        esc(&t!(l, "register-button")),
    );
    layout(l, &t!(l, "register-title"), Some(Nav::Registreren), &b).into_response()
}

pub async fn form(State(desk): State<Arc<Desk>>) -> Response {
    blocking(desk, |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        page(d, &HashMap::new(), "")
    })
    .await
}

pub async fn make(
    State(desk): State<Arc<Desk>>,
    Form(mut f): Form<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let text = Zeroizing::new(f.remove("text").unwrap_or_default().replace("\r\n", "\n"));
        let opt = |k: &str| f.get(k).filter(|v| !v.is_empty()).cloned();
        let known: Vec<String> = crate::orgs::known(d).into_iter().map(|(s, _)| s).collect();
        let organisatie = opt("organisatie").unwrap_or_default();
        if !known.contains(&organisatie) {
            let e = meldpunt_keys::error::Error::InvalidCode(
                meldpunt_keys::error::Field::Organisatie,
                organisatie,
            );
            return page(d, &f, &errors::boxed(l, &e));
        }
        let r = Registration {
            kanaal: opt("kanaal").unwrap_or_default(),
            organisatie,
            soort: opt("soort").unwrap_or_default(),
            melder: opt("melder"),
            over_wie: opt("over_wie"),
            received: opt("received"),
        };
        if text.trim().is_empty() {
            let e = meldpunt_keys::error::Error::TextInvalid(String::new());
            return page(d, &f, &errors::boxed(l, &e));
        }
        let today = meldpunt_keys::days::today();
        let made = match d.inner().session.as_mut() {
            Some(s) => s.register(&r, &text, &today),
            None => return Redirect::to("/").into_response(),
        };
        match made {
            Ok(number) => Redirect::to(&format!(
                "/zaak/{}?ok=geregistreerd",
                crate::postvak::url_enc(&number)
            ))
            .into_response(),
            Err(e) => page(d, &f, &errors::boxed(l, &e)),
        }
    })
    .await
}
