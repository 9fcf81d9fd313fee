//! `Onion-Location`: tells Tor Browser that the page is also an onion service.
//!
//! When the config names the onion address (`onion_location = "http://….onion"`, made by
//! the Tor snippet in `deploy/`), every HTML page gets the header with the same path, so
//! a reporter who opened the normal site in Tor Browser is offered the onion site and
//! never has to leave Tor. Only documents get it: Tor Browser reads it on top-level pages.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// Checks a configured onion location: `http://` or `https://`, a version 3 onion
/// address (56 base32 characters and `.onion`), nothing after it but an optional `/`.
/// Returns it without the trailing slash.
pub fn parse_location(text: &str) -> Result<String, &'static str> {
    let t = text.trim().trim_end_matches('/');
    let host = t
        .strip_prefix("http://")
        .or_else(|| t.strip_prefix("https://"))
        .ok_or("must start with http:// (or https://)")?;
    let name = host
        .strip_suffix(".onion")
        .ok_or("must be an onion address ending in .onion, with no path")?;
    let v3 = name.len() == 56
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b));
    if !v3 {
        return Err(
            "is not a version 3 onion address (56 letters and digits 2-7 before .onion); copy it from /var/lib/tor/meldpunt/hostname",
        );
    }
    Ok(t.to_string())
}

/// Middleware: `Onion-Location: <onion_location><path and query>` on HTML responses,
/// when the config has an onion location.
pub async fn onion_location(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(base) = state.config.onion_location.as_deref() else {
        return next.run(req).await;
    };
    let target = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let mut resp = next.run(req).await;
    let html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html && let Ok(v) = HeaderValue::from_str(&format!("{base}{target}")) {
        resp.headers_mut()
            .insert(HeaderName::from_static("onion-location"), v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::parse_location;

    const ADDR: &str = "btdue3pqv4iyjb5dql3czfqmdagk7hnqu5b65roapafzcvts6qoxsjqd.onion";

    #[test]
    fn accepts_a_v3_address_and_drops_the_slash() {
        assert_eq!(
            parse_location(&format!("http://{ADDR}/")).unwrap(),
            format!("http://{ADDR}")
        );
        assert!(parse_location(&format!("https://{ADDR}")).is_ok());
    }

    #[test]
    fn refuses_what_is_not_an_onion_origin() {
        for bad in [
            ADDR.to_string(),
            format!("ftp://{ADDR}"),
            format!("http://{ADDR}/pad"),
            "http://meldpunt.example.nl".to_string(),
            "http://abc.onion".to_string(),
            format!("http://{}", ADDR.to_uppercase()),
        ] {
            assert!(parse_location(&bad).is_err(), "{bad}");
        }
    }
}
