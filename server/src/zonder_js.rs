//! The path for a reporter without JavaScript (`/zonder-js`): plain forms, and the
//! server does in memory what the page otherwise does in the browser.
//!
//! The page says so honestly: without JavaScript the text reaches the server in
//! clear (inside TLS) and is sealed there. What the server promises on this path:
//! the melding (and a follow-up, see [`crate::zonder_js_vervolg`]) is built and
//! sealed to the case's recipients before anything is written, only the ciphertext
//! is stored (exactly as from the API), the reply token is made here, shown once and
//! forgotten, and every copy of the plaintext and the token this code makes is
//! zeroized after use and never logged or written. The HTTP stack's own buffers are
//! outside that promise, which the page also says.
//!
//! The reply token is made when the form is served and travels in it (a hidden
//! field; the page is never cached), so a form sent twice, by a double click or a
//! reload, names the same case: the second time nothing is stored and the page
//! shows the token and ontvangstbewijs of the melding stored the first time. The
//! server keeps nothing to recognise a form by beyond the case itself.
//!
//! Nothing is preselected that matters (organisatie, soort) and no field carries
//! the browser's `required`: the browser would say so in its own language. The
//! server checks the form and answers it refilled, with a summary of what to fix at
//! the top and the message beside each field, in the page's language.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http_body_util::BodyExt;
use meldpunt_envelope::domain::{Labelled, Melder, OverWie, Soort};
use meldpunt_envelope::melding::{self, Kind, Melding};
use meldpunt_envelope::reply;
use meldpunt_envelope::token::ReplyToken;
use serde::Deserialize;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::catalogue::Text;
use crate::db::{self, Blob, ItemKind};
use crate::error::AppError;
use crate::pages::{Lang, escape, lang_of_query, lang_of_value, language_switch, shell};
use crate::{AppState, Class};

/// Largest form body: the longest text (256 KiB) percent-encoded, plus the rest.
const MAX_FORM_BYTES: usize = 1 << 20;

pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/zonder-js", get(form_page))
        .route(
            "/zonder-js/melding",
            crate::rate_limited(axum::routing::post(post_melding), state, Class::Submissions),
        )
        .route(
            "/zonder-js/reactie",
            get(reactie_page).merge(crate::rate_limited(
                axum::routing::post(post_reactie),
                state,
                Class::Lookups,
            )),
        )
        .merge(crate::zonder_js_vervolg::routes(state))
}

/// An HTML page as the response, with its body zeroized when hyper drops it.
pub(crate) fn html(status: StatusCode, mut page: Zeroizing<String>) -> Response {
    let bytes = Zeroizing::new(std::mem::take(&mut *page).into_bytes());
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        Body::from(Bytes::from_owner(OwnedZeroizing(bytes))),
    )
        .into_response()
}

/// Bytes that are zeroized when the last reference goes.
struct OwnedZeroizing(Zeroizing<Vec<u8>>);

impl AsRef<[u8]> for OwnedZeroizing {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// `?lang=en` for an English page, nothing for Dutch.
pub(crate) fn query(lang: Lang) -> &'static str {
    if lang == Lang::En { "?lang=en" } else { "" }
}

/// The links every page of this path ends with, so none is a dead end: to the
/// start (the melding form) and to the token form for replies and follow-ups.
pub(crate) fn links_on(lang: Lang) -> String {
    format!(
        "<nav class=\"links-on\" aria-label=\"{nav}\"><ul>\
<li><a href=\"/zonder-js/reactie{q}\">{reactie}</a></li>\
<li><a href=\"/zonder-js/vervolg{q}\">{vervolg}</a></li>\
<li><a href=\"/zonder-js{q}\">{start}</a></li></ul></nav>",
        nav = lang.tr("zj-links-label"),
        q = query(lang),
        reactie = lang.tr("zj-link-replies"),
        vervolg = lang.tr("zj-link-vervolg"),
        start = lang.tr("zj-link-start"),
    )
}

/// An error as a page, in the reporter's language.
pub(crate) fn error_page(lang: Lang, status: StatusCode, message: &str, back: &str) -> Response {
    let body = format!(
        "<h1>{h}</h1>\n<p class=\"error\" role=\"alert\">{m}</p>\n<p><a href=\"{back}{q}\">{again}</a></p>\n{links}",
        h = lang.tr("zj-error-title"),
        m = escape(message),
        q = query(lang),
        again = lang.tr("zj-error-back"),
        links = links_on(lang),
    );
    html(
        status,
        Zeroizing::new(shell(lang, &lang.tr("zj-error-page-title"), &body, None)),
    )
}

/// The `<option>`s of a vocabulary: first the empty choice (its label `empty_id`),
/// then every value, with `chosen` selected when it is one of them.
fn options<T: Labelled>(lang: Lang, empty_id: &str, chosen: &str) -> String {
    let mut s = format!(
        "<option value=\"\"{sel}>{label}</option>",
        sel = if chosen.is_empty() { " selected" } else { "" },
        label = lang.tr(empty_id),
    );
    for v in T::ALL {
        s.push_str(&format!(
            "<option value=\"{code}\"{sel}>{label}</option>",
            code = escape(v.code()),
            sel = if v.code() == chosen { " selected" } else { "" },
            label = escape(v.label(lang)),
        ));
    }
    s
}

/// A field's message beside it, if it has one.
pub(crate) fn field_error(errors: &[(&'static str, String)], field: &str) -> String {
    errors
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(f, m)| format!("<p class=\"field-error\" id=\"{f}-fout\">{}</p>", escape(m)))
        .unwrap_or_default()
}

/// `aria-describedby` and `aria-invalid` for a field with a message.
pub(crate) fn invalid_attrs(errors: &[(&'static str, String)], field: &str) -> String {
    if errors.iter().any(|(f, _)| *f == field) {
        format!(" aria-invalid=\"true\" aria-describedby=\"{field}-fout\"")
    } else {
        String::new()
    }
}

/// The summary at the top of a form sent back (GOV.UK style): each message links
/// to its field.
pub(crate) fn error_summary(lang: Lang, errors: &[(&'static str, String)]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let items: String = errors
        .iter()
        .map(|(f, m)| format!("<li><a href=\"#{f}\">{}</a></li>", escape(m)))
        .collect();
    format!(
        "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"fouten-titel\">\
<h2 id=\"fouten-titel\">{h}</h2><ul>{items}</ul></div>",
        h = lang.tr("zj-summary-title"),
    )
}

/// What a melding form holds, for showing it again.
#[derive(Default)]
struct Filled<'a> {
    organisatie: &'a str,
    soort: &'a str,
    over_wie: &'a str,
    melder: &'a str,
    text: &'a str,
    wanneer_waar: &'a str,
}

/// The melding form, empty or refilled with `errors`.
fn melding_form(
    state: &AppState,
    lang: Lang,
    token: &str,
    v: &Filled<'_>,
    errors: &[(&'static str, String)],
) -> Zeroizing<String> {
    let mut orgs = format!(
        "<option value=\"\"{}>{}</option>",
        if v.organisatie.is_empty() {
            " selected"
        } else {
            ""
        },
        lang.tr("zj-choose-org"),
    );
    for o in &state.config.organisations {
        orgs.push_str(&format!(
            "<option value=\"{slug}\"{sel}>{name}</option>",
            slug = escape(&o.slug),
            sel = if o.slug == v.organisatie {
                " selected"
            } else {
                ""
            },
            name = escape(&o.name),
        ));
    }
    // The organisations with separate recipients for meldingen about a bestuurder.
    let separate: Vec<&str> = state
        .config
        .organisations
        .iter()
        .filter(|o| !o.bestuurder_recipients.is_empty())
        .map(|o| o.name.as_str())
        .collect();
    let body = Zeroizing::new(format!(
        r#"{switch}
<h1>{name}</h1>
<h2>{h}</h2>
{summary}<p class="notice">{honest}</p>
<p>{prefer}</p>
<form method="post" action="/zonder-js/melding{q}" accept-charset="utf-8" autocomplete="off" novalidate>
<input type="hidden" name="lang" value="{lang}">
<input type="hidden" name="token" value="{token}">
<label for="organisatie">{l_org}</label>
{e_org}<select id="organisatie" name="organisatie"{a_org}>{orgs}</select>
<label for="soort">{l_soort}</label>
{e_soort}<select id="soort" name="soort"{a_soort}>{soorten}</select>
<label for="over_wie">{l_over}</label>
{e_over}<select id="over_wie" name="over_wie"{a_over}>{over}</select>
<p class="hint" id="over_wie-uitleg">{h_over}</p>
<label for="melder">{l_melder}</label>
{e_melder}<select id="melder" name="melder"{a_melder}>{melders}</select>
<label for="text">{l_text}<span class="hint">{h_text}</span></label>
{e_text}<textarea id="text" name="text" maxlength="262144"{a_text}>{text}</textarea>
<label for="wanneer_waar">{l_when}<span class="hint">{h_when}</span></label>
{e_when}<textarea id="wanneer_waar" name="wanneer_waar" maxlength="4096"{a_when}>{when}</textarea>
<button type="submit">{send}</button>
</form>
{links}"#,
        switch = language_switch(lang, "/zonder-js"),
        name = escape(&state.config.name),
        h = lang.tr("zj-form-title"),
        summary = error_summary(lang, errors),
        honest = lang.tr("zj-form-honest"),
        prefer = lang.tr("zj-form-no-attachments"),
        q = query(lang),
        lang = lang.code(),
        token = escape(token),
        l_org = lang.tr("zj-label-org"),
        e_org = field_error(errors, "organisatie"),
        a_org = invalid_attrs(errors, "organisatie"),
        l_soort = lang.tr("zj-label-soort"),
        e_soort = field_error(errors, "soort"),
        a_soort = invalid_attrs(errors, "soort"),
        soorten = options::<Soort>(lang, "zj-choose-soort", v.soort),
        l_over = lang.tr("zj-label-over-wie"),
        h_over = if !separate.is_empty() {
            escape(&lang.tr_with("zj-hint-bestuurder", &[("names", &separate.join(", "))]))
        } else {
            lang.tr("zj-hint-bestuurder-none")
        },
        e_over = field_error(errors, "over_wie"),
        a_over = if errors.iter().any(|(f, _)| *f == "over_wie") {
            " aria-invalid=\"true\" aria-describedby=\"over_wie-fout over_wie-uitleg\""
        } else {
            " aria-describedby=\"over_wie-uitleg\""
        },
        over = options::<OverWie>(lang, "zj-rather-not-say", v.over_wie),
        l_melder = lang.tr("zj-label-melder"),
        e_melder = field_error(errors, "melder"),
        a_melder = invalid_attrs(errors, "melder"),
        melders = options::<Melder>(lang, "zj-rather-not-say", v.melder),
        l_text = lang.tr("zj-label-text"),
        h_text = lang.tr("zj-hint-text"),
        e_text = field_error(errors, "text"),
        a_text = invalid_attrs(errors, "text"),
        text = *Zeroizing::new(escape(v.text)),
        l_when = lang.tr("zj-label-when"),
        h_when = lang.tr("zj-hint-optional"),
        e_when = field_error(errors, "wanneer_waar"),
        a_when = invalid_attrs(errors, "wanneer_waar"),
        when = *Zeroizing::new(escape(v.wanneer_waar)),
        send = lang.tr("zj-send-melding"),
        links = links_on(lang),
    ));
    Zeroizing::new(shell(lang, &lang.tr("zj-form-page-title"), &body, None))
}

/// `GET /zonder-js`: the melding form, with a fresh reply token in it.
async fn form_page(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let lang = lang_of_query(q.as_deref());
    let token = match ReplyToken::generate() {
        Ok(t) => Zeroizing::new(t.display()),
        Err(e) => return form_error(lang, e.into()),
    };
    html(
        StatusCode::OK,
        melding_form(&state, lang, &token, &Filled::default(), &[]),
    )
}

/// Reads a form body into memory this code zeroizes, wiping hyper's pieces where
/// it can (when nothing else holds them).
pub(crate) async fn read_form(req: Request) -> Result<Zeroizing<Vec<u8>>, AppError> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    {
        return Err(AppError::UnsupportedMediaType(
            "application/x-www-form-urlencoded",
        ));
    }
    let mut out = Zeroizing::new(Vec::new());
    let mut body = req.into_body();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| AppError::UnreadableBody)?;
        if let Ok(data) = frame.into_data() {
            if out.len() + data.len() > MAX_FORM_BYTES {
                wipe_bytes(data);
                return Err(AppError::TooLarge);
            }
            out.extend_from_slice(&data);
            wipe_bytes(data);
        }
    }
    Ok(out)
}

pub(crate) fn wipe_bytes(b: Bytes) {
    if let Ok(mut m) = b.try_into_mut() {
        m.as_mut().zeroize();
    }
}

/// The melding form, zeroized on drop.
#[derive(Deserialize, Zeroize, ZeroizeOnDrop)]
struct MeldingForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    organisatie: String,
    #[serde(default)]
    soort: String,
    #[serde(default)]
    over_wie: String,
    #[serde(default)]
    melder: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    wanneer_waar: String,
    /// The reply token the form was served with.
    #[serde(default)]
    token: String,
}

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Wipes every text field of a melding.
pub(crate) fn wipe_melding(m: &mut Melding) {
    m.text.zeroize();
    m.reply_recipient.zeroize();
    for f in [
        &mut m.wanneer_waar,
        &mut m.contact,
        &mut m.soort,
        &mut m.over_wie,
        &mut m.melder,
    ]
    .into_iter()
    .flatten()
    {
        f.zeroize();
    }
}

/// What is wrong with a melding form, field by field, in the page's language.
fn check_melding_form(
    state: &AppState,
    lang: Lang,
    form: &MeldingForm,
) -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    if state.config.organisation(form.organisatie.trim()).is_none() {
        errors.push(("organisatie", lang.tr("zj-err-org")));
    }
    if Soort::from_code(form.soort.trim()).is_none() {
        errors.push(("soort", lang.tr("zj-err-soort")));
    }
    if optional(&form.over_wie).is_some_and(|c| OverWie::from_code(&c).is_none()) {
        errors.push(("over_wie", lang.tr("zj-err-over-wie")));
    }
    if optional(&form.melder).is_some_and(|c| Melder::from_code(&c).is_none()) {
        errors.push(("melder", lang.tr("zj-err-melder")));
    }
    if form.text.trim().is_empty() {
        errors.push(("text", lang.tr("zj-err-text-empty")));
    } else if form.text.len() > melding::MAX_TEXT {
        errors.push(("text", lang.tr("zj-err-text-long")));
    }
    if form.wanneer_waar.len() > melding::MAX_SHORT {
        errors.push(("wanneer_waar", lang.tr("zj-err-when-long")));
    }
    errors
}

/// The form could not be parsed at all.
pub(crate) fn unreadable(lang: Lang, back: &str) -> Response {
    error_page(
        lang,
        StatusCode::BAD_REQUEST,
        &lang.tr("zj-err-unreadable"),
        back,
    )
}

/// `POST /zonder-js/melding`: builds and seals the melding in memory, stores only
/// the ciphertext, and shows the new token once with the ontvangstbewijs.
async fn post_melding(State(state): State<AppState>, req: Request) -> Response {
    let lang = lang_of_query(req.uri().query());
    let raw = match read_form(req).await {
        Ok(raw) => raw,
        Err(e) => return form_error(lang, e),
    };
    let form: MeldingForm = match serde_urlencoded::from_bytes(&raw) {
        Ok(f) => f,
        Err(_) => return unreadable(lang, "/zonder-js"),
    };
    drop(raw);
    let lang = lang_of_value(Some(form.lang.as_str()));

    // A form without the field (a client that strips hidden fields) gets a fresh
    // token, as before; it is then not protected against being sent twice.
    let token = if form.token.trim().is_empty() {
        ReplyToken::generate().map_err(AppError::from)
    } else {
        ReplyToken::parse(&form.token).map_err(|_| AppError::InvalidLookupKey)
    };
    let token = match token {
        Ok(t) => t,
        Err(AppError::InvalidLookupKey) => {
            return error_page(
                lang,
                StatusCode::BAD_REQUEST,
                &lang.tr("zj-err-damaged"),
                "/zonder-js",
            );
        }
        Err(e) => return form_error(lang, e),
    };
    let errors = check_melding_form(&state, lang, &form);
    if !errors.is_empty() {
        let display = Zeroizing::new(token.display());
        let filled = Filled {
            organisatie: form.organisatie.trim(),
            soort: form.soort.trim(),
            over_wie: form.over_wie.trim(),
            melder: form.melder.trim(),
            text: &form.text,
            wanneer_waar: &form.wanneer_waar,
        };
        let page = melding_form(&state, lang, &display, &filled, &errors);
        return html(StatusCode::BAD_REQUEST, page);
    }
    let Some(org) = state.config.organisation(form.organisatie.trim()) else {
        return form_error(lang, AppError::Internal("checked above".into()));
    };
    let over_wie = optional(&form.over_wie);
    let melder = optional(&form.melder);
    let recipients = match recipients_for(org, over_wie.as_deref()) {
        Ok(r) => r,
        Err(e) => return form_error(lang, e),
    };

    let keys = token.derive();
    let lookup_hash = keys.lookup_key.hash();
    // Sent before (a double click, a reload): show what was stored then.
    match stored_before(&state, lookup_hash).await {
        Ok(Some((created, separate))) => {
            return received_page(&state, lang, &token, &created, separate);
        }
        Ok(None) => {}
        Err(e) => return form_error(lang, e),
    }
    let bestuurder = over_wie.as_deref() == Some(OverWie::Bestuurder.code())
        && !org.bestuurder_recipients.is_empty();
    let mut m = Melding {
        v: melding::VERSION,
        kind: Kind::Melding,
        organisatie: org.slug.clone(),
        soort: optional(&form.soort),
        over_wie,
        melder,
        text: form.text.clone(),
        wanneer_waar: optional(&form.wanneer_waar),
        contact: None,
        reply_recipient: keys.reply_recipient(),
        attachments: Vec::new(),
    };
    drop(form);
    let sealed = melding::seal(&m, &recipients);
    wipe_melding(&mut m);
    drop(keys);
    let ciphertext = match sealed {
        Ok(c) => c,
        Err(e) => return form_error(lang, AppError::Internal(e.to_string())),
    };
    let blob = Blob::from(ciphertext);
    let sha = blob.sha256();
    let created = match crate::api::store_submission(
        &state,
        ItemKind::Melding,
        org.slug.clone(),
        lookup_hash,
        blob,
        sha,
        Vec::new(),
        bestuurder,
    )
    .await
    {
        Ok(c) => c,
        // The same form, sent twice at once: the other request stored it.
        Err(AppError::CaseExists) => match stored_before(&state, lookup_hash).await {
            Ok(Some((c, _))) => c,
            Ok(None) => return form_error(lang, AppError::CaseExists),
            Err(e) => return form_error(lang, e),
        },
        Err(e) => return form_error(lang, e),
    };
    received_page(&state, lang, &token, &created, bestuurder)
}

/// The keys a melding (`over_wie`) or a follow-up (its case's route) of `org` is
/// sealed to: its bestuurder recipients for a bestuurder, where it has them.
pub(crate) fn recipients_for(
    org: &crate::config::Organisation,
    over_wie: Option<&str>,
) -> Result<Vec<age::x25519::Recipient>, AppError> {
    org.recipients_for(over_wie)
        .iter()
        .map(|r| meldpunt_envelope::keys::parse_recipient(r))
        .collect::<Result<_, _>>()
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// The answer for the melding stored earlier for this case, if any, and whether it
/// went to the bestuurder recipients.
async fn stored_before(
    state: &AppState,
    lookup_hash: [u8; 32],
) -> Result<Option<(crate::api::Created, bool)>, AppError> {
    let case = state
        .db
        .call(move |c| db::case_info(c, &lookup_hash))
        .await?;
    let Some(case) = case else { return Ok(None) };
    let Some((id, sha)) = case.melding else {
        return Err(AppError::CaseExists);
    };
    let bestuurder = case.bestuurder;
    crate::api::created(
        state,
        id,
        case.opened_day,
        case.organisation,
        lookup_hash,
        sha,
    )
    .map(|c| Some((c, bestuurder)))
}

/// The ontvangstbewijs on a page: what it is, a link that downloads it as a file
/// its holder can read, and the signed data itself.
pub(crate) fn receipt_section(
    state: &AppState,
    lang: Lang,
    created: &crate::api::Created,
) -> String {
    let org_name = state
        .config
        .organisation(&created.ontvangstbewijs.ontvangstbewijs.organisatie)
        .map(|o| o.name.as_str())
        .unwrap_or(&state.config.name);
    let file = crate::receipt_file::Download::new(
        lang,
        &state.config.name,
        org_name,
        &created.ontvangstbewijs,
    );
    let json = serde_json::to_string_pretty(&created.ontvangstbewijs).unwrap_or_default();
    format!(
        r#"<h2>{h}</h2>
<p>{p}</p>
<p><a class="download" href="{href}" download="{name}" type="text/plain">{dl}</a></p>
<details><summary>{show}</summary><pre>{json}</pre></details>"#,
        h = lang.tr("zj-receipt-title"),
        p = lang.tr("zj-receipt-text"),
        href = file.data_url(),
        name = escape(&file.file_name),
        dl = lang.tr("zj-receipt-download"),
        show = lang.tr("zj-receipt-show"),
        json = escape(&json),
    )
}

/// The page after a stored melding: the token, shown once, and the ontvangstbewijs.
fn received_page(
    state: &AppState,
    lang: Lang,
    token: &ReplyToken,
    created: &crate::api::Created,
    bestuurder: bool,
) -> Response {
    let display = Zeroizing::new(token.display());
    let org = &created.ontvangstbewijs.ontvangstbewijs.organisatie;
    let route = if bestuurder {
        let name = state
            .config
            .organisation(org)
            .map_or(org.as_str(), |o| &o.name);
        format!(
            "<p>{}</p>\n",
            escape(&lang.tr_with("zj-received-bestuurder", &[("name", name)]))
        )
    } else {
        String::new()
    };
    let body = Zeroizing::new(format!(
        r#"<h1>{h}</h1>
<p class="ok">{ok}</p>
{route}<h2>{h_token}</h2>
<p>{p_token}</p>
<p class="token">{token}</p>
{receipt}
<h2>{h_next}</h2>
<p>{p_next}</p>
{links}"#,
        h = lang.tr("zj-received-title"),
        ok = lang.tr("zj-received-ok"),
        h_token = lang.tr("zj-token-title"),
        p_token = lang.tr("zj-token-text"),
        token = escape(&display),
        receipt = receipt_section(state, lang, created),
        h_next = lang.tr("zj-next-title"),
        p_next = lang.tr("zj-next-text"),
        links = links_on(lang),
    ));
    let page = Zeroizing::new(shell(lang, &lang.tr("zj-received-page-title"), &body, None));
    html(StatusCode::OK, page)
}

/// An [`AppError`] as a page: the same fixed sentence as the API, translated where
/// the reporter can act on it.
pub(crate) fn form_error(lang: Lang, e: AppError) -> Response {
    let status = e.status();
    let id = match &e {
        AppError::RateLimited | AppError::Busy => Some("zj-err-busy"),
        AppError::TooLarge => Some("zj-err-too-large"),
        AppError::Timeout => Some("zj-err-timeout"),
        AppError::UnsupportedMediaType(_) => Some("zj-err-media-type"),
        AppError::Internal(_) => Some("zj-err-internal"),
        _ => None,
    };
    let msg = id.map(|id| lang.tr(id)).unwrap_or_else(|| e.message());
    if let AppError::Internal(cause) = &e {
        tracing::error!("{cause}");
    }
    error_page(lang, status, &msg, "/zonder-js")
}

/// `GET /zonder-js/reactie`: the token form.
async fn reactie_page(RawQuery(q): RawQuery) -> Response {
    let lang = lang_of_query(q.as_deref());
    let body = format!(
        r#"{switch}
<h1>{h}</h1>
<p class="notice">{honest}</p>
<form method="post" action="/zonder-js/reactie{q}" accept-charset="utf-8" autocomplete="off" novalidate>
<input type="hidden" name="lang" value="{lang}">
<label for="token">{l_token}<span class="hint">{h_token}</span></label>
<input id="token" name="token" type="text" autocomplete="off" spellcheck="false" autocapitalize="characters">
<button type="submit">{send}</button>
</form>
{links}"#,
        switch = language_switch(lang, "/zonder-js/reactie"),
        h = lang.tr("zj-replies-form-title"),
        honest = lang.tr("zj-replies-honest"),
        q = query(lang),
        lang = lang.code(),
        l_token = lang.tr("zj-label-token"),
        h_token = lang.tr("zj-hint-token"),
        send = lang.tr("zj-show-replies"),
        links = links_on(lang),
    );
    html(
        StatusCode::OK,
        Zeroizing::new(shell(lang, &lang.tr("zj-replies-page-title"), &body, None)),
    )
}

#[derive(Deserialize, Zeroize, ZeroizeOnDrop)]
struct TokenForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    token: String,
}

/// `POST /zonder-js/reactie`: derives the keys from the token in memory, verifies
/// and opens each reply, and shows them escaped, with the follow-up form below.
async fn post_reactie(State(state): State<AppState>, req: Request) -> Response {
    let lang = lang_of_query(req.uri().query());
    let back = "/zonder-js/reactie";
    let raw = match read_form(req).await {
        Ok(raw) => raw,
        Err(e) => return form_error(lang, e),
    };
    let Ok(form) = serde_urlencoded::from_bytes::<TokenForm>(&raw) else {
        return unreadable(lang, back);
    };
    drop(raw);
    let lang = lang_of_value(Some(form.lang.as_str()));
    let Ok(token) = ReplyToken::parse(&form.token) else {
        return error_page(
            lang,
            StatusCode::BAD_REQUEST,
            &lang.tr("zj-err-token"),
            back,
        );
    };
    drop(form);
    let keys = token.derive();
    let lookup_hash = keys.lookup_key.hash();
    let replies = match state
        .db
        .call(move |c| db::replies_for(c, &lookup_hash))
        .await
    {
        Ok(Some(r)) => r,
        Ok(None) => {
            return error_page(
                lang,
                StatusCode::NOT_FOUND,
                &lang.tr("zj-err-no-case"),
                back,
            );
        }
        Err(e) => return form_error(lang, AppError::from(e)),
    };
    let key = state.config.signing_public_key;
    let mut list = Zeroizing::new(String::new());
    for r in &replies {
        match reply::verify_and_open(&key, &keys, &r.ciphertext, &r.signature) {
            Ok(mut text) => {
                list.push_str(&format!(
                    "<article class=\"reply\"><h2>{h}</h2><p class=\"reply-text\">{body}</p></article>\n",
                    h = lang.tr_with("zj-reply-of", &[("day", &escape(&text.day))]),
                    body = *Zeroizing::new(escape(&text.text)),
                ));
                text.text.zeroize();
            }
            Err(_) => list.push_str(&format!(
                "<article class=\"reply error\"><p>{}</p></article>\n",
                lang.tr("zj-reply-unverified")
            )),
        }
    }
    drop(keys);
    if replies.is_empty() {
        list.push_str(&format!("<p>{}</p>", lang.tr("zj-no-reply-yet")));
    }
    let display = Zeroizing::new(token.display());
    drop(token);
    let vervolg = crate::zonder_js_vervolg::form_section(lang, Some(&display), "", &[]);
    drop(display);
    let page = Zeroizing::new(shell(
        lang,
        &lang.tr("zj-replies-page-title"),
        &Zeroizing::new(format!(
            "<h1>{h}</h1>\n{list}\n{vervolg}\n{links}",
            h = lang.tr("zj-replies-title"),
            list = *list,
            vervolg = *vervolg,
            links = links_on(lang),
        )),
        None,
    ));
    html(StatusCode::OK, page)
}
