//! Jaarverslag: per organisation and in total, this year beside earlier years, the
//! chart on screen, and downloads (Markdown, CSV for Dutch Excel, SVG). Organisation
//! names, not slugs; counts below 5 as "< 5" unless the coördinator chooses otherwise.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use meldpunt_envelope::Lang;
use meldpunt_keys::jaarverslag::{Format, Jaarverslag};
use meldpunt_keys::jaarverslag_view::Presentation;

use crate::orgs::Names;
use crate::page::{Nav, esc, layout, select_pairs};
use crate::postvak::url_enc;
use crate::state::Desk;
use crate::{blocking, errors, t};

struct Asked {
    year: i64,
    years: i64,
    org: Option<String>,
    show_small: bool,
}

fn asked(q: &HashMap<String, String>) -> Asked {
    let this_year: i64 = meldpunt_keys::days::today()[..4].parse().unwrap_or(2026);
    let get = |k: &str| q.get(k).map(String::as_str).filter(|v| !v.is_empty());
    Asked {
        year: get("jaar")
            .and_then(|y| y.parse().ok())
            .unwrap_or(this_year),
        years: get("jaren").and_then(|y| y.parse().ok()).unwrap_or(3),
        org: get("organisatie").map(str::to_string),
        show_small: get("klein").is_some(),
    }
}

fn figures(
    d: &Desk,
    a: &Asked,
) -> Result<(Jaarverslag, Presentation), meldpunt_keys::error::Error> {
    let today = meldpunt_keys::days::today();
    let inner = d.inner();
    let session = inner
        .session
        .as_ref()
        .ok_or(meldpunt_keys::error::Error::Locked)?;
    let j = session.jaarverslag(a.year, a.years, a.org.as_deref(), &today)?;
    let p = Presentation {
        names: Names::read(&d.settings.dir).0,
        show_small: a.show_small,
    };
    Ok((j, p))
}

pub async fn view(
    State(desk): State<Arc<Desk>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l: Lang = d.lang();
        let a = asked(&q);
        let mut orgs = vec![(String::new(), t!(l, "report-all-orgs"))];
        orgs.extend(crate::orgs::known(d));
        let years_pairs: Vec<(String, String)> =
            (1..=5).map(|n| (n.to_string(), n.to_string())).collect();
        let mut b = String::new();
        let _ = write!(
            b,
            "<h1>{}</h1><div class=\"uitleg\"><p>{}</p></div>\
             <form method=\"get\" action=\"/jaarverslag\" class=\"filters\">\
             <div class=\"veld\"><label for=\"jaar\">{}</label><input type=\"text\" inputmode=\"numeric\" id=\"jaar\" name=\"jaar\" value=\"{}\" size=\"6\"></div>{}{}\
             <div class=\"veld veld-vink\"><input type=\"checkbox\" id=\"klein\" name=\"klein\" value=\"1\"{}><label for=\"klein\">{}</label></div>\
             <button class=\"knop-licht\" type=\"submit\">{}</button></form>",
            esc(&t!(l, "report-title")),
            esc(&t!(l, "report-intro")),
            esc(&t!(l, "filter-year")),
            a.year,
            select_pairs("jaren", &t!(l, "report-years"), &years_pairs, Some(&a.years.to_string())),
            select_pairs("organisatie", &t!(l, "field-organisatie"), &orgs, a.org.as_deref().or(Some(""))),
            if a.show_small { " checked" } else { "" },
            esc(&t!(l, "report-show-small")),
            esc(&t!(l, "filter-apply")),
        );
        let (j, p) = match figures(d, &a) {
            Ok(x) => x,
            Err(e) => {
                b.push_str(&errors::boxed(l, &e));
                return layout(l, &t!(l, "report-title"), Some(Nav::Jaarverslag), &b).into_response();
            }
        };
        let mut link = format!("jaar={}&jaren={}", a.year, a.years);
        if let Some(o) = &a.org {
            let _ = write!(link, "&organisatie={}", url_enc(o));
        }
        if a.show_small {
            link.push_str("&klein=1");
        }
        let _ = write!(
            b,
            "<h2>{}</h2><p>{}</p><p class=\"knoppen\">\
             <a class=\"knop-licht knop-link\" href=\"/jaarverslag/download?fmt=md&amp;{l_}\" download>{}</a> \
             <a class=\"knop-licht knop-link\" href=\"/jaarverslag/download?fmt=csv&amp;{l_}\" download>{}</a> \
             <a class=\"knop-licht knop-link\" href=\"/jaarverslag/download?fmt=svg&amp;{l_}\" download>{}</a></p>",
            esc(&t!(l, "report-downloads")),
            esc(&t!(l, "report-downloads-what")),
            esc(&t!(l, "report-download-md")),
            esc(&t!(l, "report-download-csv")),
            esc(&t!(l, "report-download-svg")),
            l_ = esc(&link),
        );
        let _ = write!(
            b,
            "<h2>{}</h2><figure class=\"grafiek\">{}</figure>",
            esc(&t!(l, "report-chart")),
            p.render(&j, l, Format::Svg)
        );
        for s in &j.scopes {
            let _ = write!(b, "<h2>{}</h2>", esc(&p.scope_name(l, s)));
            let mut section = "";
            for r in p.rows(s) {
                if r.section != section {
                    if !section.is_empty() {
                        b.push_str("</tbody></table></div>");
                    }
                    section = r.section;
                    let _ = write!(
                        b,
                        "<div class=\"tabel-rol\"><table class=\"cijfers\"><caption>{}</caption><thead><tr><td></td>",
                        esc(&p.section_label(l, section))
                    );
                    for y in &s.table.years {
                        let _ = write!(b, "<th scope=\"col\">{y}</th>");
                    }
                    b.push_str("</tr></thead><tbody>");
                }
                let _ = write!(b, "<tr><th scope=\"row\">{}</th>", esc(&p.row_label(l, r)));
                for c in &r.cells {
                    let _ = write!(b, "<td>{}</td>", esc(&p.cell(l, *c)));
                }
                b.push_str("</tr>");
            }
            if !section.is_empty() {
                b.push_str("</tbody></table></div>");
            }
        }
        layout(l, &t!(l, "report-title"), Some(Nav::Jaarverslag), &b).into_response()
    })
    .await
}

pub async fn download(
    State(desk): State<Arc<Desk>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    blocking(desk, move |d| {
        if let Some(r) = crate::not_ready(d) {
            return r;
        }
        let l = d.lang();
        let a = asked(&q);
        let (format, ext, mime) = match q.get("fmt").map(String::as_str) {
            Some("csv") => (Format::Csv, "csv", "text/csv; charset=utf-8"),
            Some("svg") => (Format::Svg, "svg", "image/svg+xml"),
            _ => (Format::Markdown, "md", "text/markdown; charset=utf-8"),
        };
        match figures(d, &a) {
            Ok((j, p)) => {
                let suffix = a
                    .org
                    .as_deref()
                    .map(|o| format!("-{o}"))
                    .unwrap_or_default();
                (
                    [
                        (header::CONTENT_TYPE, mime.to_string()),
                        (
                            header::CONTENT_DISPOSITION,
                            format!(
                                "attachment; filename=\"jaarverslag-{}{suffix}.{ext}\"",
                                a.year
                            ),
                        ),
                    ],
                    p.render(&j, l, format),
                )
                    .into_response()
            }
            Err(e) => layout(
                l,
                &t!(l, "report-title"),
                Some(Nav::Jaarverslag),
                &errors::boxed(l, &e),
            )
            .into_response(),
        }
    })
    .await
}
