//! Server-rendered HTML: the shell every page shares, escaping, the language
//! choice, the static files these pages use (one stylesheet, one script for the
//! staff page, embedded in the binary), and the staff page itself.
//!
//! Same CSP as the reporter's page: no inline script or style, so every dynamic
//! value is escaped text and all behaviour lives in `/assets/staff.js`.

use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::catalogue::Text;

const PLAIN_CSS: &str = include_str!("../assets/plain.css");
const STAFF_JS: &str = include_str!("../assets/staff.js");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/plain.css", get(plain_css))
        .route("/assets/staff.js", get(staff_js))
        .route("/staff", get(staff_page))
}

/// The language of a page (`meldpunt_envelope::Lang`, shared with the offline tools).
pub use meldpunt_envelope::Lang;

/// The page's language from its query: `lang=en` (anywhere in it) means English,
/// anything else Dutch.
pub fn lang_of_query(q: Option<&str>) -> Lang {
    lang_of_value(
        q.unwrap_or("")
            .split('&')
            .find_map(|kv| kv.strip_prefix("lang=")),
    )
}

/// The language a form's `lang` field names; Dutch unless it is `en`.
pub fn lang_of_value(v: Option<&str>) -> Lang {
    v.and_then(Lang::from_code).unwrap_or_default()
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page around `body` (which must already be escaped HTML).
pub fn shell(lang: Lang, title: &str, body: &str, script: Option<&str>) -> String {
    let script = script
        .map(|s| format!("<script type=\"module\" src=\"{s}\"></script>\n"))
        .unwrap_or_default();
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"referrer\" content=\"no-referrer\">\n<title>{title}</title>\n\
<link rel=\"stylesheet\" href=\"/assets/plain.css\">\n{script}</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        lang = lang.code(),
        title = escape(title),
    )
}

/// The link to the same page in the other language.
pub fn language_switch(lang: Lang, path: &str) -> String {
    match lang {
        Lang::Nl => format!(
            "<p class=\"lang\"><a href=\"{path}?lang=en\" hreflang=\"en\" lang=\"en\">English</a></p>"
        ),
        Lang::En => format!(
            "<p class=\"lang\"><a href=\"{path}\" hreflang=\"nl\" lang=\"nl\">Nederlands</a></p>"
        ),
    }
}

async fn plain_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        PLAIN_CSS,
    )
        .into_response()
}

async fn staff_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        STAFF_JS,
    )
        .into_response()
}

/// The texts `/assets/staff.js` shows, as JSON for the page's `data-texts`: each in
/// the page's language, with `{name}` where the script puts a value.
fn staff_js_texts(lang: Lang) -> String {
    let marker = |k: &'static str| (k, format!("{{{k}}}"));
    let with = |id: &str, keys: &[&'static str]| {
        let args: Vec<(&'static str, String)> = keys.iter().map(|k| marker(k)).collect();
        let args: Vec<(&'static str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        lang.tr_with(id, &args)
    };
    serde_json::json!({
        "noToken": lang.tr("staff-js-no-token"),
        "noFile": lang.tr("staff-js-no-file"),
        "busy": lang.tr("staff-js-busy"),
        "exported": with("staff-js-exported", &["n", "name"]),
        "imported": with("staff-js-imported", &["new", "known"]),
        "confirmed": with("staff-js-confirmed", &["deleted", "unknown"]),
        "setAside": with("staff-js-set-aside", &["n"]),
        "failed": with("staff-js-failed", &["status", "message"]),
        "network": lang.tr("staff-js-network"),
    })
    .to_string()
}

/// `GET /staff`: the online step for the meldpunt staff. The token stays in the
/// page's memory (never stored by the browser); every action is a `fetch` by
/// `/assets/staff.js` to the staff API.
async fn staff_page(axum::extract::RawQuery(q): axum::extract::RawQuery) -> Html<String> {
    let lang = lang_of_query(q.as_deref());
    let body = format!(
        r#"{switch}
<h1>{h1}</h1>
<p>{intro}</p>
<form id="token-form" autocomplete="off">
<label for="token">{token_label}</label>
<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required>
</form>
<section>
<h2>{h_export}</h2>
<p>{p_export}</p>
<button id="export" type="button">{b_export}</button>
</section>
<section>
<h2>{h_replies}</h2>
<p>{p_replies}</p>
<label for="replies-file">{l_replies}</label>
<input id="replies-file" type="file" accept=".tar,application/x-tar">
<button id="upload-replies" type="button">{b_replies}</button>
</section>
<section>
<h2>{h_confirm}</h2>
<p>{p_confirm}</p>
<label for="confirm-file">{l_confirm}</label>
<input id="confirm-file" type="file" accept=".json,application/json">
<button id="upload-confirm" type="button">{b_confirm}</button>
</section>
<section aria-live="polite">
<h2>{h_result}</h2>
<p id="result" class="result" data-texts="{texts}">{none}</p>
</section>"#,
        switch = language_switch(lang, "/staff"),
        h1 = lang.tr("staff-title"),
        intro = lang.tr("staff-intro"),
        token_label = lang.tr("staff-token"),
        h_export = lang.tr("staff-export-title"),
        p_export = lang.tr("staff-export-text"),
        b_export = lang.tr("staff-export-button"),
        h_replies = lang.tr("staff-replies-title"),
        p_replies = lang.tr("staff-replies-text"),
        l_replies = lang.tr("staff-replies-label"),
        b_replies = lang.tr("staff-replies-button"),
        h_confirm = lang.tr("staff-confirm-title"),
        p_confirm = lang.tr("staff-confirm-text"),
        l_confirm = lang.tr("staff-confirm-label"),
        b_confirm = lang.tr("staff-confirm-button"),
        h_result = lang.tr("staff-result-title"),
        none = lang.tr("staff-result-none"),
        texts = escape(&staff_js_texts(lang)),
    );
    Html(shell(
        lang,
        &lang.tr("staff-title"),
        &body,
        Some("/assets/staff.js"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_matters() {
        assert_eq!(
            escape("<script>\"x\" & 'y'</script>"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(lang_of_query(Some("a=b&lang=en")), Lang::En);
        assert_eq!(lang_of_query(Some("lang=fr")), Lang::Nl);
        assert_eq!(lang_of_query(None), Lang::Nl);
        assert_eq!(lang_of_value(Some("en")), Lang::En);
        assert_eq!(lang_of_value(Some("EN")), Lang::Nl);
    }

    #[test]
    fn the_staff_script_gets_its_texts_in_the_page_language_with_markers() {
        let nl: serde_json::Value = serde_json::from_str(&staff_js_texts(Lang::Nl)).unwrap();
        let en: serde_json::Value = serde_json::from_str(&staff_js_texts(Lang::En)).unwrap();
        assert_eq!(nl["noToken"], "Plak eerst het staff-token.");
        assert_eq!(en["noToken"], "Paste the staff token first.");
        assert_eq!(
            en["exported"],
            "Downloaded {name} ({n} bytes). Carry it to the laptop."
        );
        assert_eq!(nl["failed"], "Geweigerd ({status}): {message}");
        assert_eq!(
            nl.as_object().unwrap().keys().collect::<Vec<_>>(),
            en.as_object().unwrap().keys().collect::<Vec<_>>()
        );
    }
}
