//! The follow-up (vervolg) without JavaScript: `GET /zonder-js/vervolg` (a form
//! asking for the token and the text) and `POST /zonder-js/vervolg`, also sent from
//! the reply page, which carries the token in a hidden field.
//!
//! As for the melding ([`crate::zonder_js`]), the server seals the follow-up in
//! memory to the case's recipients (the case's organisation; the bestuurder
//! recipients when the case went there) before anything is written, stores only the
//! ciphertext through the API's own store, and zeroizes its copies of the text and
//! the token after use.
//!
//! Each form carries a fresh nonce (a hidden field). A form sent twice (a double
//! click, a reload) carries the same nonce, and the server answers the second time
//! with the follow-up stored the first time. The server remembers, in memory only
//! and for an hour, a SHA-256 of the case's lookup hash and the nonce beside the
//! stored item's id; nothing of it is written. (The API recognises a resend by the
//! same sealed bytes; here the server seals, and sealing twice never gives the same
//! bytes, so the nonce takes that place.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use meldpunt_envelope::domain::OverWie;
use meldpunt_envelope::melding::{self, Kind, Melding};
use meldpunt_envelope::token::ReplyToken;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::catalogue::Text;
use crate::db::{self, Blob, ItemKind};
use crate::error::AppError;
use crate::pages::{Lang, escape, lang_of_query, lang_of_value, language_switch, shell};
use crate::zonder_js::{
    error_page, error_summary, field_error, form_error, html, invalid_attrs, links_on, query,
    read_form, receipt_section, recipients_for, unreadable, wipe_melding,
};
use crate::{AppState, Class};

const BACK: &str = "/zonder-js/vervolg";
/// How long a sent form is recognised when it comes again.
const REMEMBER: Duration = Duration::from_secs(3600);
/// Most forms remembered at once (beyond, a resend is stored again).
const REMEMBER_AT_MOST: usize = 10_000;

pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new().route(
        "/zonder-js/vervolg",
        get(vervolg_page).merge(crate::rate_limited(
            axum::routing::post(post_vervolg),
            state,
            Class::Submissions,
        )),
    )
}

/// The follow-up form: with the token in a hidden field (on the reply page) or a
/// field to type it in (`token` is `None`).
pub(crate) fn form_section(
    lang: Lang,
    token: Option<&str>,
    text: &str,
    errors: &[(&'static str, String)],
) -> Zeroizing<String> {
    let nonce = meldpunt_envelope::random_id().unwrap_or_default();
    let token_field = match token {
        Some(t) => format!(
            "<input type=\"hidden\" name=\"token\" value=\"{}\">",
            *Zeroizing::new(escape(t))
        ),
        None => format!(
            "{e}<label for=\"token\">{l}<span class=\"hint\">{h}</span></label>\
<input id=\"token\" name=\"token\" type=\"text\" autocomplete=\"off\" spellcheck=\"false\" autocapitalize=\"characters\"{a}>",
            e = field_error(errors, "token"),
            l = lang.tr("zj-label-token"),
            h = lang.tr("zj-hint-token"),
            a = invalid_attrs(errors, "token"),
        ),
    };
    Zeroizing::new(format!(
        r#"<section aria-labelledby="vervolg-titel">
<h2 id="vervolg-titel">{h}</h2>
{summary}<p>{p}</p>
<form method="post" action="/zonder-js/vervolg{q}" accept-charset="utf-8" autocomplete="off" novalidate>
<input type="hidden" name="lang" value="{lang}">
<input type="hidden" name="nonce" value="{nonce}">
{token_field}
<label for="vervolg-text">{l_text}<span class="hint">{h_text}</span></label>
{e_text}<textarea id="vervolg-text" name="text" maxlength="262144"{a_text}>{text}</textarea>
<button type="submit">{send}</button>
</form>
</section>"#,
        h = lang.tr("zj-vervolg-title"),
        summary = error_summary(lang, errors),
        p = lang.tr("zj-vervolg-text"),
        q = query(lang),
        lang = lang.code(),
        l_text = lang.tr("zj-label-vervolg"),
        h_text = lang.tr("zj-hint-vervolg"),
        e_text = field_error(errors, "vervolg-text"),
        a_text = invalid_attrs(errors, "vervolg-text"),
        text = *Zeroizing::new(escape(text)),
        send = lang.tr("zj-send-vervolg"),
    ))
}

/// A page around the follow-up form.
fn vervolg_form_page(
    lang: Lang,
    status: StatusCode,
    token: Option<&str>,
    text: &str,
    errors: &[(&'static str, String)],
) -> Response {
    let body = Zeroizing::new(format!(
        "{switch}\n<h1>{h}</h1>\n<p class=\"notice\">{honest}</p>\n{form}\n{links}",
        switch = language_switch(lang, BACK),
        h = lang.tr("zj-vervolg-page-title"),
        honest = lang.tr("zj-vervolg-honest"),
        form = *form_section(lang, token, text, errors),
        links = links_on(lang),
    ));
    html(
        status,
        Zeroizing::new(shell(lang, &lang.tr("zj-vervolg-page-title"), &body, None)),
    )
}

/// `GET /zonder-js/vervolg`: the follow-up form with a field for the token.
async fn vervolg_page(RawQuery(q): RawQuery) -> Response {
    let lang = lang_of_query(q.as_deref());
    vervolg_form_page(lang, StatusCode::OK, None, "", &[])
}

#[derive(Deserialize, Zeroize, ZeroizeOnDrop)]
struct VervolgForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    nonce: String,
    #[serde(default)]
    text: String,
}

/// What the server remembers of a stored follow-up to answer a resend.
#[derive(Clone)]
struct Stored {
    id: String,
    received: String,
    organisation: String,
    sha256: [u8; 32],
}

type Sent = Arc<OnceCell<Stored>>;

/// Follow-up forms sent, by SHA-256 of the case's lookup hash and the form's nonce,
/// with when they were first seen. Held in [`crate::AppState`], in memory only.
#[derive(Default)]
pub struct SentForms(Mutex<HashMap<[u8; 32], (Instant, Sent)>>);

/// The slot of this form: the same for the same case and nonce within the hour.
fn slot(forms: &SentForms, lookup_hash: &[u8; 32], nonce: &str) -> Sent {
    let key: [u8; 32] = Sha256::new()
        .chain_update(b"meldpunt/zonder-js/vervolg\0")
        .chain_update(lookup_hash)
        .chain_update(nonce.as_bytes())
        .finalize()
        .into();
    let mut sent = forms.0.lock().unwrap_or_else(|e| e.into_inner());
    let now = Instant::now();
    sent.retain(|_, (at, _)| now.duration_since(*at) < REMEMBER);
    if let Some((_, s)) = sent.get(&key) {
        return Arc::clone(s);
    }
    let s: Sent = Arc::new(OnceCell::new());
    if sent.len() < REMEMBER_AT_MOST {
        sent.insert(key, (now, Arc::clone(&s)));
    }
    s
}

/// `POST /zonder-js/vervolg`: checks the token and the text, seals the follow-up in
/// memory to the case's recipients, stores only the ciphertext, and shows its
/// ontvangstbewijs.
async fn post_vervolg(State(state): State<AppState>, req: Request) -> Response {
    let lang = lang_of_query(req.uri().query());
    let raw = match read_form(req).await {
        Ok(raw) => raw,
        Err(e) => return form_error(lang, e),
    };
    let Ok(form) = serde_urlencoded::from_bytes::<VervolgForm>(&raw) else {
        return unreadable(lang, BACK);
    };
    drop(raw);
    let lang = lang_of_value(Some(form.lang.as_str()));
    let token = ReplyToken::parse(&form.token).ok();
    let mut errors = Vec::new();
    if token.is_none() {
        errors.push(("token", lang.tr("zj-err-token")));
    }
    if form.text.trim().is_empty() {
        errors.push(("vervolg-text", lang.tr("zj-err-vervolg-empty")));
    } else if form.text.len() > melding::MAX_TEXT {
        errors.push(("vervolg-text", lang.tr("zj-err-text-long")));
    }
    let token = match token {
        Some(t) if errors.is_empty() => t,
        token => {
            // A typed token that does not parse is shown again for correcting; a
            // valid one stays hidden as it came.
            let shown = token.as_ref().map(|t| Zeroizing::new(t.display()));
            let shown = shown.as_ref().map(|t| t.as_str());
            return vervolg_form_page(lang, StatusCode::BAD_REQUEST, shown, &form.text, &errors);
        }
    };
    let keys = token.derive();
    let lookup_hash = keys.lookup_key.hash();
    let case = match state.db.call(move |c| db::case_info(c, &lookup_hash)).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            return error_page(
                lang,
                StatusCode::NOT_FOUND,
                &lang.tr("zj-err-no-case"),
                BACK,
            );
        }
        Err(e) => return form_error(lang, AppError::from(e)),
    };
    let Some(org) = state.config.organisation(&case.organisation) else {
        return form_error(
            lang,
            AppError::Internal("the case's organisation is no longer configured".into()),
        );
    };
    let route = case.bestuurder.then_some(OverWie::Bestuurder.code());
    let recipients = match recipients_for(org, route) {
        Ok(r) => r,
        Err(e) => return form_error(lang, e),
    };
    let nonce = Zeroizing::new(form.nonce.trim().to_string());
    let sent = if nonce.is_empty() {
        // A form without its nonce is not recognised when it comes again.
        Arc::new(OnceCell::new())
    } else {
        slot(&state.sent_forms, &lookup_hash, &nonce)
    };
    let stored = sent
        .get_or_try_init(|| async {
            let mut m = Melding {
                v: melding::VERSION,
                kind: Kind::Vervolg,
                organisatie: case.organisation.clone(),
                soort: None,
                over_wie: None,
                melder: None,
                text: form.text.clone(),
                wanneer_waar: None,
                contact: None,
                reply_recipient: keys.reply_recipient(),
                attachments: Vec::new(),
            };
            let sealed = melding::seal(&m, &recipients);
            wipe_melding(&mut m);
            let blob = Blob::from(sealed.map_err(|e| AppError::Internal(e.to_string()))?);
            let sha256 = blob.sha256();
            let created = crate::api::store_submission(
                &state,
                ItemKind::Vervolg,
                case.organisation.clone(),
                lookup_hash,
                blob,
                sha256,
                Vec::new(),
                case.bestuurder,
            )
            .await?;
            Ok::<_, AppError>(Stored {
                id: created.id,
                received: created.received,
                organisation: created.ontvangstbewijs.ontvangstbewijs.organisatie,
                sha256,
            })
        })
        .await
        .cloned();
    drop(form);
    drop(keys);
    let stored = match stored {
        Ok(s) => s,
        Err(e) => return form_error(lang, e),
    };
    let created = match crate::api::created(
        &state,
        stored.id,
        stored.received,
        stored.organisation,
        lookup_hash,
        stored.sha256,
    ) {
        Ok(c) => c,
        Err(e) => return form_error(lang, e),
    };
    let display = Zeroizing::new(token.display());
    drop(token);
    let body = Zeroizing::new(format!(
        r#"<h1>{h}</h1>
<p class="ok">{ok}</p>
{receipt}
<h2>{h_next}</h2>
<form method="post" action="/zonder-js/reactie{q}" accept-charset="utf-8" autocomplete="off">
<input type="hidden" name="lang" value="{lang}">
<input type="hidden" name="token" value="{token}">
<button type="submit">{back}</button>
</form>
{links}"#,
        h = lang.tr("zj-vervolg-received-title"),
        ok = lang.tr("zj-vervolg-received-ok"),
        receipt = receipt_section(&state, lang, &created),
        h_next = lang.tr("zj-next-title"),
        q = query(lang),
        lang = lang.code(),
        token = *Zeroizing::new(escape(&display)),
        back = lang.tr("zj-back-to-replies"),
        links = links_on(lang),
    ));
    html(
        StatusCode::OK,
        Zeroizing::new(shell(
            lang,
            &lang.tr("zj-vervolg-received-title"),
            &body,
            None,
        )),
    )
}
