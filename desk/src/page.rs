//! The desk's HTML: one layout in the reporter's page's look (its `style.css` is
//! included as it is, with the desk's own additions after it), escaping, and small
//! helpers for forms built from the envelope's vocabulary.

use std::fmt::Write;

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use meldpunt_envelope::Lang;
use meldpunt_envelope::domain::Term;

use crate::t;

/// The reporter's page's stylesheet (copied in at compile time, not forked), then the
/// desk's additions.
pub const CSS: &str = concat!(
    include_str!("../../client-wasm/www/style.css"),
    "\n/* meldpunt-desk additions */\n",
    include_str!("../static/desk.css")
);
pub const JS: &str = include_str!("../static/desk.js");

pub fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}

pub fn js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        JS,
    )
        .into_response()
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// The views in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Postvak,
    Registreren,
    Antwoorden,
    Weekronde,
    Jaarverslag,
    /// A page outside the navigation (first run, unlock, a case).
    None,
}

const NAV: &[(Nav, &str)] = &[
    (Nav::Postvak, "/postvak"),
    (Nav::Antwoorden, "/antwoorden"),
    (Nav::Registreren, "/registreren"),
    (Nav::Weekronde, "/weekronde"),
    (Nav::Jaarverslag, "/jaarverslag"),
];

fn nav_label(l: Lang, n: Nav) -> String {
    match n {
        Nav::Postvak => t!(l, "nav-postvak"),
        Nav::Registreren => t!(l, "nav-registreren"),
        Nav::Antwoorden => t!(l, "nav-antwoorden"),
        Nav::Weekronde => t!(l, "nav-weekronde"),
        Nav::Jaarverslag => t!(l, "nav-jaarverslag"),
        Nav::None => String::new(),
    }
}

/// A whole page. `nav` is `None` on pages shown before the keys are unlocked (no
/// navigation, no lock button).
pub fn layout(l: Lang, title: &str, nav: Option<Nav>, body: &str) -> Html<String> {
    let mut o = String::with_capacity(body.len() + 2048);
    let other = match l {
        Lang::Nl => ("en", "English"),
        Lang::En => ("nl", "Nederlands"),
    };
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · {}</title><link rel=\"stylesheet\" href=\"/desk.css\">\
         <script src=\"/desk.js\" defer></script></head><body>\
         <a class=\"overslaan\" href=\"#inhoud\">{}</a>\
         <header class=\"kop\"><div class=\"kop-regel\"><p class=\"kop-naam\">{}</p>\
         <p class=\"taal\"><a href=\"?lang={}\" lang=\"{}\">{}</a></p></div>",
        l.code(),
        esc(title),
        esc(&t!(l, "desk-name")),
        esc(&t!(l, "skip-to-content")),
        esc(&t!(l, "desk-name")),
        other.0,
        other.0,
        other.1,
    );
    if let Some(current) = nav {
        let _ = write!(
            o,
            "<nav class=\"navigatie desk-nav\" aria-label=\"{}\">",
            esc(&t!(l, "nav-label"))
        );
        for (n, href) in NAV {
            let cur = if *n == current {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = write!(
                o,
                "<a class=\"nav-knop\" href=\"{href}\"{cur}>{}</a>",
                esc(&nav_label(l, *n))
            );
        }
        let _ = write!(
            o,
            "<form method=\"post\" action=\"/vergrendel\" class=\"kop-form\">\
             <button class=\"nav-knop\" type=\"submit\">{}</button></form>",
            esc(&t!(l, "nav-lock"))
        );
        o.push_str("</nav>");
    }
    let _ = write!(
        o,
        "</header><main id=\"inhoud\" tabindex=\"-1\">{body}</main>\
         <footer class=\"voet desk-voet\"><form method=\"post\" action=\"/afsluiten\" class=\"kop-form\">\
         <button class=\"knop-licht\" type=\"submit\">{}</button></form>\
         <p>{}</p></footer></body></html>",
        esc(&t!(l, "nav-quit")),
        esc(&t!(l, "footer-offline")),
    );
    Html(o)
}

/// A page for refusals, with no navigation.
pub fn bare(l: Lang, title: &str, what: &str, todo: &str) -> String {
    layout(l, title, None, &error_box(what, todo)).0
}

/// An error in a page: what happened and what to do.
pub fn error_box(what: &str, todo: &str) -> String {
    format!(
        "<div class=\"status status-fout\" role=\"alert\"><p>{}</p><p class=\"wat-nu\">{}</p></div>",
        esc(what),
        esc(todo)
    )
}

pub fn ok_box(text: &str) -> String {
    format!(
        "<div class=\"status status-ok\" role=\"status\"><p>{}</p></div>",
        esc(text)
    )
}

/// A `<select>` from a vocabulary list, labelled in `l`, never showing codes.
pub fn select(
    l: Lang,
    name: &str,
    label: &str,
    list: &[Term],
    chosen: Option<&str>,
    empty: Option<&str>,
) -> String {
    let mut o = format!(
        "<div class=\"veld\"><label for=\"{name}\">{}</label><select id=\"{name}\" name=\"{name}\">",
        esc(label)
    );
    if let Some(e) = empty {
        let _ = write!(o, "<option value=\"\">{}</option>", esc(e));
    }
    for term in list {
        let sel = if Some(term.code) == chosen {
            " selected"
        } else {
            ""
        };
        let text = match l {
            Lang::Nl => term.nl,
            Lang::En => term.en,
        };
        let _ = write!(
            o,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(term.code),
            esc(text)
        );
    }
    o.push_str("</select></div>");
    o
}

/// A `<select>` from (value, label) pairs.
pub fn select_pairs(
    name: &str,
    label: &str,
    pairs: &[(String, String)],
    chosen: Option<&str>,
) -> String {
    let mut o = format!(
        "<div class=\"veld\"><label for=\"{name}\">{}</label><select id=\"{name}\" name=\"{name}\">",
        esc(label)
    );
    for (v, text) in pairs {
        let sel = if Some(v.as_str()) == chosen {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            o,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(v),
            esc(text)
        );
    }
    o.push_str("</select></div>");
    o
}

/// The label of a code in a vocabulary list; an unknown code (a newer store) shows as
/// itself, marked.
pub fn term(l: Lang, list: &[Term], code: &str) -> String {
    match list.iter().find(|t| t.code == code) {
        Some(t) => match l {
            Lang::Nl => t.nl.to_string(),
            Lang::En => t.en.to_string(),
        },
        None => format!("({code})"),
    }
}
