//! The path for a reporter without JavaScript (`/zonder-js`): plain forms, and the
//! server does in memory what the page otherwise does in the browser.
//!
//! The page says so honestly: without JavaScript the text reaches the server in
//! clear (inside TLS) and is sealed there. What the server promises on this path:
//! the melding is built and sealed to the organisation's recipients before anything
//! is written, only the ciphertext is stored (exactly as from the API), the reply
//! token is made here, shown once and forgotten, and every copy of the plaintext and
//! the token this code makes is zeroized after use and never logged or written. The
//! HTTP stack's own buffers are outside that promise, which the page also says.
//!
//! The reply token is made when the form is served and travels in it (a hidden
//! field; the page is never cached), so a form sent twice, by a double click or a
//! reload, names the same case: the second time nothing is stored and the page
//! shows the token and ontvangstbewijs of the melding stored the first time. The
//! server keeps nothing to recognise a form by beyond the case itself.

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
}

/// An HTML page as the response, with its body zeroized when hyper drops it.
fn html(status: StatusCode, mut page: Zeroizing<String>) -> Response {
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

/// An error as a page, in the reporter's language.
fn error_page(lang: Lang, status: StatusCode, message: &str, back: &str) -> Response {
    let body = format!(
        "<h1>{h}</h1>\n<p class=\"error\" role=\"alert\">{m}</p>\n<p><a href=\"{back}{q}\">{again}</a></p>",
        h = lang.t("Dat ging niet goed", "That did not work"),
        m = escape(message),
        q = if lang == Lang::En { "?lang=en" } else { "" },
        again = lang.t("Terug naar het formulier", "Back to the form"),
    );
    html(
        status,
        Zeroizing::new(shell(lang, lang.t("Fout", "Error"), &body, None)),
    )
}

fn options<T: Labelled>(lang: Lang, with_empty: bool) -> String {
    let mut s = String::new();
    if with_empty {
        s.push_str(&format!(
            "<option value=\"\">{}</option>",
            lang.t("(zeg ik liever niet)", "(I would rather not say)")
        ));
    }
    for t in T::ALL {
        s.push_str(&format!(
            "<option value=\"{}\">{}</option>",
            escape(t.code()),
            escape(t.label(lang))
        ));
    }
    s
}

/// `GET /zonder-js`: the melding form, with a fresh reply token in it.
async fn form_page(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let lang = lang_of_query(q.as_deref());
    let t = |nl, en| lang.t(nl, en);
    let token = match ReplyToken::generate() {
        Ok(t) => Zeroizing::new(t.display()),
        Err(e) => return form_error(lang, e.into()),
    };
    let orgs: String = state
        .config
        .organisations
        .iter()
        .map(|o| {
            format!(
                "<option value=\"{}\">{}</option>",
                escape(&o.slug),
                escape(&o.name)
            )
        })
        .collect();
    let body = format!(
        r#"{switch}
<h1>{name}</h1>
<h2>{h}</h2>
<p class="notice">{honest}</p>
<p>{prefer}</p>
<form method="post" action="/zonder-js/melding" accept-charset="utf-8" autocomplete="off">
<input type="hidden" name="lang" value="{lang}">
<input type="hidden" name="token" value="{token}">
<label for="organisatie">{l_org}</label>
<select id="organisatie" name="organisatie" required>{orgs}</select>
<label for="soort">{l_soort}</label>
<select id="soort" name="soort" required>{soorten}</select>
<label for="over_wie">{l_over}</label>
<select id="over_wie" name="over_wie">{over}</select>
<label for="melder">{l_melder}</label>
<select id="melder" name="melder">{melders}</select>
<label for="text">{l_text}<span class="hint">{h_text}</span></label>
<textarea id="text" name="text" required maxlength="262144"></textarea>
<label for="wanneer_waar">{l_when}<span class="hint">{h_when}</span></label>
<textarea id="wanneer_waar" name="wanneer_waar" maxlength="4096"></textarea>
<button type="submit">{send}</button>
</form>
<p><a href="/zonder-js/reactie{q}">{reactie}</a></p>"#,
        switch = language_switch(lang, "/zonder-js"),
        name = escape(&state.config.name),
        h = t(
            "Melding maken zonder JavaScript",
            "Make a melding without JavaScript"
        ),
        honest = t(
            "Let op: zonder JavaScript kan uw browser de melding niet zelf versleutelen. De tekst gaat dan (binnen de beveiligde verbinding) naar de server, die hem in het geheugen versleutelt voor het meldpunt, alleen de versleutelde melding bewaart en de tekst direct daarna wist. Met JavaScript aan gebeurt het versleutelen in uw eigen browser en ziet de server de tekst nooit.",
            "Please note: without JavaScript your browser cannot seal the melding itself. The text then travels (inside the secure connection) to the server, which seals it in memory for the meldpunt, stores only the sealed melding and wipes the text straight after. With JavaScript on, sealing happens in your own browser and the server never sees the text."
        ),
        prefer = t(
            "Bijlagen kunt u alleen met JavaScript meesturen. Noem geen namen die u niet hoeft te noemen.",
            "Attachments can only be sent with JavaScript. Do not give names you do not need to give."
        ),
        lang = lang.code(),
        token = escape(&token),
        l_org = t("Organisatie", "Organisation"),
        l_soort = t("Soort melding", "Kind of melding"),
        soorten = options::<Soort>(lang, false),
        l_over = t("Over wie gaat het?", "Whom is it about?"),
        over = options::<OverWie>(lang, true),
        l_melder = t("Wie meldt?", "Who is reporting?"),
        melders = options::<Melder>(lang, true),
        l_text = t("Wat is er gebeurd?", "What happened?"),
        h_text = t(
            "Zo precies mogelijk: wat, wie (functie), hoe vaak.",
            "As precisely as you can: what, who (role), how often."
        ),
        l_when = t("Wanneer en waar?", "When and where?"),
        h_when = t("Niet verplicht.", "Optional."),
        send = t(
            "Melding versleutelen en versturen",
            "Seal and send the melding"
        ),
        q = if lang == Lang::En { "?lang=en" } else { "" },
        reactie = t(
            "Al een melding gedaan? Reacties bekijken met uw token",
            "Made a melding already? See replies with your token"
        ),
    );
    html(
        StatusCode::OK,
        Zeroizing::new(shell(
            lang,
            lang.t("Melding zonder JavaScript", "Melding without JavaScript"),
            &body,
            None,
        )),
    )
}

/// Reads a form body into memory this code zeroizes, wiping hyper's pieces where
/// it can (when nothing else holds them).
async fn read_form(req: Request) -> Result<Zeroizing<Vec<u8>>, AppError> {
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

fn wipe_bytes(b: Bytes) {
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
fn wipe_melding(m: &mut Melding) {
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
        Err(_) => {
            return error_page(
                lang,
                StatusCode::BAD_REQUEST,
                lang.t(
                    "Het formulier kon niet worden gelezen.",
                    "The form could not be read.",
                ),
                "/zonder-js",
            );
        }
    };
    drop(raw);
    let lang = lang_of_value(Some(form.lang.as_str()));
    let bad = |nl: &'static str, en: &'static str| {
        error_page(lang, StatusCode::BAD_REQUEST, lang.t(nl, en), "/zonder-js")
    };

    let Some(org) = state.config.organisation(form.organisatie.trim()) else {
        return bad(
            "Kies een organisatie uit de lijst.",
            "Choose an organisation from the list.",
        );
    };
    if Soort::from_code(form.soort.trim()).is_none() {
        return bad(
            "Kies een soort melding uit de lijst.",
            "Choose a kind of melding from the list.",
        );
    }
    let over_wie = optional(&form.over_wie);
    if over_wie
        .as_deref()
        .is_some_and(|c| OverWie::from_code(c).is_none())
    {
        return bad(
            "Kies ‘over wie’ uit de lijst.",
            "Choose ‘whom’ from the list.",
        );
    }
    let melder = optional(&form.melder);
    if melder
        .as_deref()
        .is_some_and(|c| Melder::from_code(c).is_none())
    {
        return bad(
            "Kies ‘wie meldt’ uit de lijst.",
            "Choose ‘who’ from the list.",
        );
    }
    if form.text.trim().is_empty() {
        return bad("Schrijf wat er is gebeurd.", "Write what happened.");
    }
    if form.text.len() > melding::MAX_TEXT || form.wanneer_waar.len() > melding::MAX_SHORT {
        return bad(
            "De tekst is te lang: maximaal 256 KiB, en 4 KiB voor wanneer en waar.",
            "The text is too long: at most 256 KiB, and 4 KiB for when and where.",
        );
    }
    let recipients: Vec<age::x25519::Recipient> = match org
        .recipients_for(over_wie.as_deref())
        .iter()
        .map(|r| meldpunt_envelope::keys::parse_recipient(r))
        .collect()
    {
        Ok(r) => r,
        Err(e) => return form_error(lang, AppError::Internal(e.to_string())),
    };

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
            return bad(
                "Dit formulier is beschadigd; er is niets opgeslagen. Open het formulier opnieuw.",
                "This form is damaged; nothing was stored. Open the form again.",
            );
        }
        Err(e) => return form_error(lang, e),
    };
    let keys = token.derive();
    let lookup_hash = keys.lookup_key.hash();
    // Sent before (a double click, a reload): show what was stored then.
    match stored_before(&state, lookup_hash).await {
        Ok(Some(created)) => return received_page(lang, &token, &created),
        Ok(None) => {}
        Err(e) => return form_error(lang, e),
    }
    let bestuurder =
        over_wie.as_deref() == Some("bestuurder") && !org.bestuurder_recipients.is_empty();
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
            Ok(Some(c)) => c,
            Ok(None) => return form_error(lang, AppError::CaseExists),
            Err(e) => return form_error(lang, e),
        },
        Err(e) => return form_error(lang, e),
    };
    received_page(lang, &token, &created)
}

/// The answer for the melding stored earlier for this case, if any.
async fn stored_before(
    state: &AppState,
    lookup_hash: [u8; 32],
) -> Result<Option<crate::api::Created>, AppError> {
    let case = state
        .db
        .call(move |c| db::case_info(c, &lookup_hash))
        .await?;
    let Some(case) = case else { return Ok(None) };
    let Some((id, sha)) = case.melding else {
        return Err(AppError::CaseExists);
    };
    crate::api::created(
        state,
        id,
        case.opened_day,
        case.organisation,
        lookup_hash,
        sha,
    )
    .map(Some)
}

/// The page after a stored melding: the token, shown once, and the ontvangstbewijs.
fn received_page(lang: Lang, token: &ReplyToken, created: &crate::api::Created) -> Response {
    let receipt = serde_json::to_string_pretty(&created.ontvangstbewijs).unwrap_or_default();
    let display = token.display();
    let t = |nl, en| lang.t(nl, en);
    let page = Zeroizing::new(shell(
        lang,
        t("Melding ontvangen", "Melding received"),
        &Zeroizing::new(format!(
            r#"<h1>{h}</h1>
<p class="ok">{ok}</p>
<h2>{h_token}</h2>
<p>{p_token}</p>
<p class="token">{token}</p>
<h2>{h_receipt}</h2>
<p>{p_receipt}</p>
<pre>{receipt}</pre>
<p><a href="/zonder-js/reactie{q}">{reactie}</a></p>"#,
            h = t("Uw melding is ontvangen", "Your melding has been received"),
            ok = t(
                "De melding is versleuteld opgeslagen. Alleen het meldpunt kan hem openen.",
                "The melding is stored sealed. Only the meldpunt can open it."
            ),
            h_token = t(
                "Uw token (wordt maar één keer getoond)",
                "Your token (shown only once)"
            ),
            p_token = t(
                "Schrijf dit token op of bewaar het veilig. Alleen met dit token kunt u later reacties van het meldpunt lezen. Niemand anders heeft het, ook de server niet: kwijt is kwijt.",
                "Write this token down or keep it safe. Only with it can you read the meldpunt's replies later. Nobody else has it, the server neither: if you lose it, it is gone."
            ),
            token = escape(&display),
            h_receipt = t("Ontvangstbewijs", "Receipt (ontvangstbewijs)"),
            p_receipt = t(
                "Ondertekend door de server: hiermee kunt u later aantonen dat en wanneer u meldde. Kopieer en bewaar het.",
                "Signed by the server: with it you can later prove that and when you reported. Copy and keep it."
            ),
            receipt = escape(&receipt),
            q = if lang == Lang::En { "?lang=en" } else { "" },
            reactie = t("Reacties bekijken", "See replies"),
        )),
        None,
    ));
    drop(display);
    html(StatusCode::OK, page)
}

/// An [`AppError`] as a page: the same fixed sentence as the API, translated where
/// the reporter can act on it.
pub(crate) fn form_error(lang: Lang, e: AppError) -> Response {
    let status = e.status();
    let msg = match (&e, lang) {
        (AppError::RateLimited | AppError::Busy, Lang::Nl) => {
            "Het meldpunt is nu erg druk; er is niets opgeslagen. Probeer het over een minuut opnieuw."
        }
        (AppError::TooLarge, Lang::Nl) => "Het formulier is te groot; er is niets opgeslagen.",
        (AppError::Timeout, Lang::Nl) => {
            "Het formulier kwam te langzaam binnen; er is niets opgeslagen. Probeer het opnieuw."
        }
        (AppError::UnsupportedMediaType(_), Lang::Nl) => {
            "Verstuur het formulier vanaf de pagina /zonder-js."
        }
        (AppError::Internal(_), Lang::Nl) => {
            "Er ging iets mis op de server; er is niets opgeslagen. Probeer het later opnieuw."
        }
        _ => "",
    };
    let msg = if msg.is_empty() {
        e.message()
    } else {
        msg.to_string()
    };
    if let AppError::Internal(cause) = &e {
        tracing::error!("{cause}");
    }
    error_page(lang, status, &msg, "/zonder-js")
}

/// `GET /zonder-js/reactie`: the token form.
async fn reactie_page(RawQuery(q): RawQuery) -> Response {
    let lang = lang_of_query(q.as_deref());
    let t = |nl, en| lang.t(nl, en);
    let body = format!(
        r#"{switch}
<h1>{h}</h1>
<p class="notice">{honest}</p>
<form method="post" action="/zonder-js/reactie" accept-charset="utf-8" autocomplete="off">
<input type="hidden" name="lang" value="{lang}">
<label for="token">{l_token}<span class="hint">{h_token}</span></label>
<input id="token" name="token" type="text" required autocomplete="off" spellcheck="false" autocapitalize="characters">
<button type="submit">{send}</button>
</form>"#,
        switch = language_switch(lang, "/zonder-js/reactie"),
        h = t(
            "Reacties bekijken zonder JavaScript",
            "See replies without JavaScript"
        ),
        honest = t(
            "Zonder JavaScript stuurt uw browser het token naar de server. De server leidt er in het geheugen de sleutels uit af, controleert de handtekening van elke reactie, opent haar en wist het token en de tekst direct daarna. Met JavaScript aan verlaat het token uw browser nooit.",
            "Without JavaScript your browser sends the token to the server. The server derives the keys in memory, checks each reply's signature, opens it, and wipes the token and the text straight after. With JavaScript on, the token never leaves your browser."
        ),
        lang = lang.code(),
        l_token = t("Uw token", "Your token"),
        h_token = t(
            "32 tekens, zoals XXXX-XXXX-…",
            "32 characters, such as XXXX-XXXX-…"
        ),
        send = t("Reacties tonen", "Show replies"),
    );
    html(
        StatusCode::OK,
        Zeroizing::new(shell(lang, lang.t("Reacties", "Replies"), &body, None)),
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
/// and opens each reply, and shows them escaped.
async fn post_reactie(State(state): State<AppState>, req: Request) -> Response {
    let lang = lang_of_query(req.uri().query());
    let back = "/zonder-js/reactie";
    let raw = match read_form(req).await {
        Ok(raw) => raw,
        Err(e) => return form_error(lang, e),
    };
    let Ok(form) = serde_urlencoded::from_bytes::<TokenForm>(&raw) else {
        return error_page(
            lang,
            StatusCode::BAD_REQUEST,
            lang.t(
                "Het formulier kon niet worden gelezen.",
                "The form could not be read.",
            ),
            back,
        );
    };
    drop(raw);
    let lang = lang_of_value(Some(form.lang.as_str()));
    let Ok(token) = ReplyToken::parse(&form.token) else {
        return error_page(
            lang,
            StatusCode::BAD_REQUEST,
            lang.t(
                "Dit is geen geldig token. Controleer of u het goed hebt overgenomen (32 tekens).",
                "This is not a valid token. Check that you copied it correctly (32 characters).",
            ),
            back,
        );
    };
    drop(form);
    let keys = token.derive();
    drop(token);
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
                lang.t(
                    "Bij dit token hoort geen melding. Controleer of u het goed hebt overgenomen.",
                    "No melding belongs to this token. Check that you copied it correctly.",
                ),
                back,
            );
        }
        Err(e) => return form_error(lang, AppError::from(e)),
    };
    let key = state.config.signing_public_key;
    let t = |nl, en| lang.t(nl, en);
    let mut list = Zeroizing::new(String::new());
    for r in &replies {
        match reply::verify_and_open(&key, &keys, &r.ciphertext, &r.signature) {
            Ok(mut text) => {
                list.push_str(&format!(
                    "<article class=\"reply\"><h2>{h} {day}</h2><p class=\"reply-text\">{body}</p></article>\n",
                    h = t("Reactie van", "Reply of"),
                    day = escape(&text.day),
                    body = *Zeroizing::new(escape(&text.text)),
                ));
                text.text.zeroize();
            }
            Err(_) => list.push_str(&format!(
                "<article class=\"reply error\"><p>{}</p></article>\n",
                t(
                    "Deze reactie kon niet worden gecontroleerd en wordt niet getoond: ze is niet door het meldpunt ondertekend of is beschadigd.",
                    "This reply could not be verified and is not shown: it was not signed by the meldpunt, or it is damaged."
                )
            )),
        }
    }
    drop(keys);
    if replies.is_empty() {
        list.push_str(&format!(
            "<p>{}</p>",
            t(
                "Er is nog geen reactie. Het meldpunt bevestigt de ontvangst binnen 7 dagen en geeft binnen 3 maanden terugkoppeling.",
                "There is no reply yet. The meldpunt acknowledges receipt within 7 days and gives feedback within 3 months."
            )
        ));
    }
    let page = Zeroizing::new(shell(
        lang,
        t("Reacties", "Replies"),
        &Zeroizing::new(format!(
            "<h1>{}</h1>\n{}",
            t("Reacties op uw melding", "Replies to your melding"),
            *list
        )),
        None,
    ));
    html(StatusCode::OK, page)
}
