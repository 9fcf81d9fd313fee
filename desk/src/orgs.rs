//! Organisation names. The store keeps an organisation's slug (`leiden`); people read
//! its name (`Gemeente Leiden`). The names live in `organisaties.txt` in the meldpunt
//! folder, one `slug = Name` a line, as the server's configuration has them; the desk
//! edits the file on its Organisaties page. A slug without a name shows as itself.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use meldpunt_envelope::Lang;
use meldpunt_envelope::domain::is_valid_slug;
use meldpunt_keys::store::Filter;

use crate::page::{Nav, esc, layout};
use crate::state::Desk;
use crate::{blocking, t};

pub const FILE: &str = "organisaties.txt";

/// slug → name.
#[derive(Debug, Default, Clone)]
pub struct Names(pub BTreeMap<String, String>);

impl Names {
    pub fn read(dir: &Path) -> Names {
        let text = std::fs::read_to_string(dir.join(FILE)).unwrap_or_default();
        Names::parse(&text)
    }

    pub fn parse(text: &str) -> Names {
        let mut m = BTreeMap::new();
        for line in text.lines() {
            if let Some((slug, name)) = line.split_once('=') {
                let (slug, name) = (slug.trim(), name.trim());
                if is_valid_slug(slug) && !name.is_empty() {
                    m.insert(slug.to_string(), name.to_string());
                }
            }
        }
        Names(m)
    }

    pub fn text(&self) -> String {
        self.0.iter().map(|(s, n)| format!("{s} = {n}\n")).collect()
    }

    pub fn name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.0.get(slug).map(String::as_str).unwrap_or(slug)
    }
}

/// Every organisation the desk knows: named ones and those in the store, as
/// (slug, name) sorted by name.
pub fn known(d: &Desk) -> Vec<(String, String)> {
    let names = Names::read(&d.settings.dir);
    let mut slugs: Vec<String> = names.0.keys().cloned().collect();
    if let Some(s) = d.inner().session.as_ref()
        && let Ok(cases) = s.store().cases(&Filter::default())
    {
        slugs.extend(cases.into_iter().map(|c| c.organisatie));
    }
    slugs.sort();
    slugs.dedup();
    let mut pairs: Vec<(String, String)> = slugs
        .into_iter()
        .map(|s| {
            let n = names.name(&s).to_string();
            (s, n)
        })
        .collect();
    pairs.sort_by(|a, b| a.1.cmp(&b.1));
    pairs
}

fn page(l: Lang, names: &Names, message: &str) -> Response {
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>{}</h1><div class=\"uitleg\"><p>{}</p></div>{message}\
         <form method=\"post\" action=\"/organisaties\"><div class=\"veld\"><label for=\"names\">{}</label>\
         <p class=\"hint\" id=\"names-hint\">{}</p>\
         <textarea id=\"names\" name=\"names\" aria-describedby=\"names-hint\" class=\"mono\">{}</textarea></div>\
         <button class=\"knop-hoofd\" type=\"submit\">{}</button></form>",
        esc(&t!(l, "orgs-title")),
        esc(&t!(l, "orgs-intro")),
        esc(&t!(l, "orgs-label")),
        esc(&t!(l, "orgs-hint")),
        esc(&names.text()),
        esc(&t!(l, "orgs-save")),
    );
    layout(l, &t!(l, "orgs-title"), Some(Nav::None), &b).into_response()
}

pub async fn form(State(desk): State<Arc<Desk>>) -> Response {
    blocking(desk, |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        page(d.lang(), &Names::read(&d.settings.dir), "")
    })
    .await
}

pub async fn save(
    State(desk): State<Arc<Desk>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let text = f.get("names").cloned().unwrap_or_default();
        let bad: Vec<&str> = text
            .lines()
            .filter(|line| !line.trim().is_empty())
            .filter(|line| match line.split_once('=') {
                Some((s, n)) => !is_valid_slug(s.trim()) || n.trim().is_empty(),
                None => true,
            })
            .collect();
        if !bad.is_empty() {
            let msg =
                crate::page::error_box(&t!(l, "orgs-bad", line = bad[0]), &t!(l, "orgs-bad-todo"));
            return page(l, &Names::parse(&text), &msg);
        }
        let names = Names::parse(&text);
        let path = d.settings.dir.join(FILE);
        let tmp = d.settings.dir.join(format!("{FILE}.new"));
        let written =
            std::fs::write(&tmp, names.text()).and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            let e = meldpunt_keys::error::Error::io(&path, meldpunt_keys::error::Action::Write, e);
            return page(l, &names, &crate::errors::boxed(l, &e));
        }
        Redirect::to("/organisaties?opgeslagen=1").into_response()
    })
    .await
}
