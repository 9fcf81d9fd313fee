//! The no-JavaScript path: the server seals in memory, stores only ciphertext,
//! shows the token once, and opens replies for the token holder; and the canary
//! that proves no plaintext or token reaches the database, WAL or logs.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use meldpunt_envelope::melding;
use meldpunt_envelope::signed::SignedReceipt;
use meldpunt_envelope::token::ReplyToken;
use meldpunt_server::db::Counts;

use crate::common::*;

fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let i = page
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {page}"))
        + start.len();
    let j = page[i..].find(end).unwrap() + i;
    &page[i..j]
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn melding_form<'a>(text: &'a str, when: &'a str, over_wie: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("lang", "nl"),
        ("organisatie", "leiden"),
        ("soort", "fraude-corruptie"),
        ("over_wie", over_wie),
        ("melder", "medewerker"),
        ("text", text),
        ("wanneer_waar", when),
    ]
}

#[track_caller]
fn assert_plain_page(page: &str) {
    assert!(page.starts_with("<!doctype html>"), "{page}");
    assert!(!page.contains("<script"), "no script: {page}");
    assert!(!page.contains("style="), "no inline style: {page}");
    assert!(!page.contains("<style"), "no style element: {page}");
    assert!(page.contains("href=\"/assets/plain.css\""), "{page}");
}

#[tokio::test]
async fn the_forms_are_plain_html_in_dutch_and_english() {
    let t = TestApp::new();
    let (status, nl) = send_text(&t, Request::get("/zonder-js").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_plain_page(&nl);
    assert!(nl.contains("<html lang=\"nl\">"));
    assert!(
        nl.contains("zonder JavaScript") && nl.contains("in het geheugen versleutelt"),
        "honest notice"
    );
    for needle in [
        "name=\"organisatie\"",
        "Gemeente Oegstgeest",
        "name=\"soort\"",
        "value=\"fraude-corruptie\"",
        "name=\"over_wie\"",
        "value=\"bestuurder\"",
        "name=\"melder\"",
        "name=\"text\"",
        "name=\"wanneer_waar\"",
        "action=\"/zonder-js/melding\"",
    ] {
        assert!(nl.contains(needle), "{needle}");
    }
    let (_, en) = send_text(
        &t,
        Request::get("/zonder-js?lang=en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_plain_page(&en);
    assert!(en.contains("<html lang=\"en\">") && en.contains("seals it in memory"));
    assert!(en.contains("name=\"lang\" value=\"en\""));
    let (status, r) = send_text(
        &t,
        Request::get("/zonder-js/reactie")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_plain_page(&r);
    assert!(r.contains("action=\"/zonder-js/reactie\"") && r.contains("name=\"token\""));
    let resp = t
        .send(
            Request::get("/assets/plain.css")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "text/css; charset=utf-8");
}

#[tokio::test]
async fn a_melding_without_javascript_is_sealed_and_its_token_opens_the_replies() {
    let t = TestApp::new();
    let text = "De <b>inkoper</b> & de leverancier.\nTweede regel.";
    let (status, page) = send_text(
        &t,
        form_request(
            "/zonder-js/melding",
            &melding_form(text, "Stadhuis, maart", ""),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_plain_page(&page);
    let token_text = between(&page, "<p class=\"token\">", "</p>");
    let token = ReplyToken::parse(token_text).unwrap();
    let keys = token.derive();
    let receipt: SignedReceipt =
        serde_json::from_str(&unescape(between(&page, "<pre>", "</pre>"))).unwrap();
    receipt.verify(Some(&t.receipt_key())).unwrap();
    assert_eq!(
        receipt.ontvangstbewijs.lookup_hash,
        hex::encode(keys.lookup_key.hash())
    );

    let b = export_bundle(&t).await;
    assert_eq!(b.items.len(), 1);
    assert_eq!(b.items[0].0.id, receipt.ontvangstbewijs.id);
    let m = melding::open(&b.items[0].1, &[&t.identity]).unwrap();
    assert_eq!(m.text, text);
    assert_eq!(m.wanneer_waar.as_deref(), Some("Stadhuis, maart"));
    assert_eq!(m.soort.as_deref(), Some("fraude-corruptie"));
    assert_eq!(m.melder.as_deref(), Some("medewerker"));
    assert_eq!(m.over_wie, None);
    assert_eq!(m.organisatie, "leiden");
    assert_eq!(m.reply_recipient, keys.reply_recipient());

    // No reply yet.
    let (status, page) = send_text(
        &t,
        form_request("/zonder-js/reactie", &[("token", token_text)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("nog geen reactie"), "{page}");

    let bundle = t.replies_bundle(
        &[&keys],
        "Dank u. <script>alert(1)</script> We kijken ernaar.",
    );
    assert_eq!(
        t.send(import_request(STAFF_TOKEN, bundle)).await.status(),
        StatusCode::OK
    );
    // Lowercase and without hyphens is the same token.
    let typed = token_text.replace('-', "").to_lowercase();
    let (status, page) = send_text(
        &t,
        form_request("/zonder-js/reactie", &[("token", &typed), ("lang", "en")]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_plain_page(&page);
    assert!(page.contains("<html lang=\"en\">"));
    assert!(
        page.contains("Dank u. &lt;script&gt;alert(1)&lt;/script&gt; We kijken ernaar."),
        "{page}"
    );
}

#[tokio::test]
async fn a_melding_about_a_bestuurder_goes_to_the_bestuurder_recipients() {
    let t = TestApp::with(Options {
        bestuurder: true,
        ..Options::default()
    });
    let (_, v) = t
        .send_json(Request::get("/api/v1/config").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        v["organisations"][0]["bestuurder_recipients"][0],
        t.bestuurder.to_public().to_string()
    );
    assert!(v["organisations"][1].get("bestuurder_recipients").is_none());
    // The form says in plain words what choosing a bestuurder does, and where.
    let (_, form) = send_text(&t, Request::get("/zonder-js").body(Body::empty()).unwrap()).await;
    let hint = between(&form, "id=\"over_wie-uitleg\">", "</p>");
    assert!(
        hint.contains("aparte ontvangers aangewezen: Gemeente Leiden."),
        "{hint}"
    );
    assert!(
        hint.contains("eigen protocol") && hint.contains("lezen hem niet"),
        "{hint}"
    );
    let (_, plain) = send_text(
        &TestApp::new(),
        Request::get("/zonder-js").body(Body::empty()).unwrap(),
    )
    .await;
    let hint = between(&plain, "id=\"over_wie-uitleg\">", "</p>");
    assert!(hint.contains("geen aparte ontvangers"), "{hint}");
    let (status, page) = send_text(
        &t,
        form_request(
            "/zonder-js/melding",
            &melding_form("Over de wethouder.", "", "bestuurder"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("aparte ontvangers van meldingen over een bestuurder bij Gemeente Leiden"),
        "{page}"
    );
    let b = export_bundle(&t).await;
    let ct = &b.items[0].1;
    let m = melding::open(ct, &[&t.bestuurder]).unwrap();
    assert_eq!(m.over_wie.as_deref(), Some("bestuurder"));
    assert!(
        melding::open(ct, &[&t.identity]).is_err(),
        "not to the usual recipients"
    );
}

#[tokio::test]
async fn bad_forms_get_an_html_error_and_nothing_is_written() {
    let t = TestApp::new();
    let mut unknown_org = melding_form("x", "", "");
    unknown_org[1] = ("organisatie", "amsterdam");
    let mut bad_soort = melding_form("x", "", "");
    bad_soort[2] = ("soort", "<nope>");
    let mut bad_over = melding_form("x", "", "");
    bad_over[3] = ("over_wie", "iedereen");
    let long = "a".repeat(300 * 1024);
    let cases: Vec<(&str, Request<Body>, StatusCode, &str)> = vec![
        (
            "unknown org",
            form_request("/zonder-js/melding", &unknown_org),
            StatusCode::BAD_REQUEST,
            "organisatie",
        ),
        (
            "bad soort",
            form_request("/zonder-js/melding", &bad_soort),
            StatusCode::BAD_REQUEST,
            "soort melding",
        ),
        (
            "bad over wie",
            form_request("/zonder-js/melding", &bad_over),
            StatusCode::BAD_REQUEST,
            "over wie",
        ),
        (
            "blank text",
            form_request("/zonder-js/melding", &melding_form("   ", "", "")),
            StatusCode::BAD_REQUEST,
            "Schrijf wat er is gebeurd",
        ),
        (
            "too long",
            form_request("/zonder-js/melding", &melding_form(&long, "", "")),
            StatusCode::BAD_REQUEST,
            "te lang",
        ),
        (
            "too large",
            form_request(
                "/zonder-js/melding",
                &melding_form(&"é".repeat(400 * 1024), "", ""),
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "te groot",
        ),
        (
            "not a form",
            Request::post("/zonder-js/melding")
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "/zonder-js",
        ),
        (
            "bad token",
            form_request("/zonder-js/reactie", &[("token", "ABCD-EFGH")]),
            StatusCode::BAD_REQUEST,
            "geen geldig token",
        ),
        (
            "unknown token",
            form_request(
                "/zonder-js/reactie",
                &[("token", &ReplyToken::generate().unwrap().display())],
            ),
            StatusCode::NOT_FOUND,
            "geen melding",
        ),
        (
            "english error",
            form_request("/zonder-js/reactie", &[("token", "x"), ("lang", "en")]),
            StatusCode::BAD_REQUEST,
            "not a valid token",
        ),
    ];
    for (name, req, status, needle) in cases {
        let (got, page) = send_text(&t, req).await;
        assert_eq!(got, status, "{name}: {page}");
        assert_plain_page(&page);
        assert!(
            page.contains("class=\"error\"") || page.contains("class=\"error-summary\""),
            "{name}: {page}"
        );
        assert!(
            page.to_lowercase().contains(&needle.to_lowercase()),
            "{name}: {page}"
        );
    }
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 0,
            items: 0,
            replies: 0
        }
    );
}

#[tokio::test]
async fn no_plaintext_or_token_of_the_no_javascript_path_reaches_the_database_wal_or_logs() {
    let t = TestApp::new();
    let canary = format!(
        "zonderjs-canary-{}",
        meldpunt_envelope::random_id().unwrap()
    );
    let when = format!("waar-canary-{}", meldpunt_envelope::random_id().unwrap());
    let reply_canary = format!("reply-canary-{}", meldpunt_envelope::random_id().unwrap());
    let vervolg_canary = format!("vervolg-canary-{}", meldpunt_envelope::random_id().unwrap());
    let text = format!("Steekpenningen bij de vergunningen. {canary}");
    let (status, page) = send_text(
        &t,
        form_request("/zonder-js/melding", &melding_form(&text, &when, "")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let token_text = between(&page, "<p class=\"token\">", "</p>").to_string();
    let keys = ReplyToken::parse(&token_text).unwrap().derive();
    let bundle = t.replies_bundle(&[&keys], &format!("Antwoord {reply_canary}"));
    assert_eq!(
        t.send(import_request(STAFF_TOKEN, bundle)).await.status(),
        StatusCode::OK
    );
    let (status, page) = send_text(
        &t,
        form_request("/zonder-js/reactie", &[("token", &token_text)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&reply_canary), "the reply was opened");
    // A follow-up from the reply page, sent twice, and one refused for its empty text.
    let follow = vervolg_fields(&page);
    let vervolg_text = format!("Nog iets: {vervolg_canary}");
    let mut fields: Vec<(&str, &str)> = follow
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("text", &vervolg_text));
    for _ in 0..2 {
        let (status, page) = send_text(&t, form_request("/zonder-js/vervolg", &fields)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
    let _ = send_text(
        &t,
        form_request(
            "/zonder-js/vervolg",
            &[("token", &token_text), ("text", " ")],
        ),
    )
    .await;
    // A mistyped token and a failed form go through the error paths too.
    let mut bad = token_text.clone();
    bad.replace_range(0..1, "U");
    let _ = send_text(&t, form_request("/zonder-js/reactie", &[("token", &bad)])).await;
    let mut broken = melding_form(&text, &when, "");
    broken[2] = ("soort", "nope");
    let _ = send_text(&t, form_request("/zonder-js/melding", &broken)).await;

    let hash_hex = hex::encode(keys.lookup_key.hash());
    let needles: Vec<(&str, String)> = vec![
        ("melding canary", canary.clone()),
        ("wanneer/waar canary", when.clone()),
        ("reply canary", reply_canary.clone()),
        ("vervolg canary", vervolg_canary.clone()),
        ("token", token_text.clone()),
        ("token without hyphens", token_text.replace('-', "")),
        ("lookup key hex", keys.lookup_key.to_hex().to_string()),
        ("lookup hash hex", hash_hex.clone()),
        ("reply recipient", keys.reply_recipient()),
    ];
    assert_disk_free_of(&t, &needles, &[("lookup key", &keys.lookup_key.0[..])]);
    // The reporter's requests are counted, not logged one by one; the counts
    // line is scanned too.
    t.state.request_counts.log("this test");
    assert_logs_free_of("/api/v1/staff/reacties", "200", &needles);
}

/// The hidden fields (lang, nonce, token) of the follow-up form on a page.
fn vervolg_fields(page: &str) -> Vec<(String, String)> {
    let form = between(page, "action=\"/zonder-js/vervolg", "</form>");
    let mut fields = Vec::new();
    for part in form.split("<input type=\"hidden\" name=\"").skip(1) {
        let name = &part[..part.find('"').unwrap()];
        let value = between(part, "value=\"", "\"");
        fields.push((name.to_string(), unescape(value)));
    }
    fields
}

/// The readable receipt file a page offers as a `data:` link.
fn receipt_download(page: &str) -> String {
    use base64::Engine;
    let href = between(
        page,
        "class=\"download\" href=\"data:text/plain;charset=utf-8;base64,",
        "\"",
    );
    let file = base64::engine::general_purpose::STANDARD
        .decode(href)
        .unwrap();
    assert!(page.contains("download=\"ontvangstbewijs-"), "{page}");
    String::from_utf8(file).unwrap()
}

/// Sends a melding through the form and returns the page and its token.
async fn make_melding(t: &TestApp, over_wie: &str) -> (String, String) {
    let (status, page) = send_text(
        t,
        form_request(
            "/zonder-js/melding",
            &melding_form("Het begon in maart.", "", over_wie),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let token = between(&page, "<p class=\"token\">", "</p>").to_string();
    (page, token)
}

#[tokio::test]
async fn the_form_preselects_nothing_that_matters_and_leaves_checking_to_the_server() {
    let t = TestApp::new();
    for (q, org, soort) in [
        ("", "Kies een organisatie", "Kies een soort melding"),
        (
            "?lang=en",
            "Choose an organisation",
            "Choose a kind of melding",
        ),
    ] {
        let (_, page) = send_text(
            &t,
            Request::get(format!("/zonder-js{q}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert!(
            page.contains(&format!("<option value=\"\" selected>{org}</option>")),
            "{page}"
        );
        assert!(
            page.contains(&format!("<option value=\"\" selected>{soort}</option>")),
            "{page}"
        );
        // The empty choices are the only ones selected; no browser-language checks.
        assert_eq!(page.matches(" selected").count(), 4, "{page}");
        assert!(!page.contains("required"), "{page}");
        assert!(page.contains(" novalidate"), "{page}");
        assert!(
            page.contains(&format!("action=\"/zonder-js/melding{q}\"")),
            "{page}"
        );
    }
}

#[tokio::test]
async fn an_unchosen_field_comes_back_in_dutch_or_english_with_the_form_refilled() {
    let t = TestApp::new();
    let mut form = melding_form("Wat ik zag: <b>dit</b>.", "Stadhuis", "leidinggevende");
    form[1] = ("organisatie", "");
    form[2] = ("soort", "");
    let token = ReplyToken::generate().unwrap().display().to_string();
    form.push(("token", &token));
    let (status, page) = send_text(&t, form_request("/zonder-js/melding", &form)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert_plain_page(&page);
    let summary = between(&page, "<div class=\"error-summary\"", "</div>");
    assert!(summary.contains("Er is een probleem"), "{summary}");
    assert!(
        summary.contains("<a href=\"#organisatie\">Kies een organisatie uit de lijst.</a>"),
        "{summary}"
    );
    assert!(
        summary.contains("<a href=\"#soort\">Kies een soort melding uit de lijst.</a>"),
        "{summary}"
    );
    assert!(page.contains("id=\"organisatie\" name=\"organisatie\" aria-invalid=\"true\""));
    // Refilled: the text, the place, the choices made, and the same token.
    assert!(
        page.contains(">Wat ik zag: &lt;b&gt;dit&lt;/b&gt;.</textarea>"),
        "{page}"
    );
    assert!(page.contains(">Stadhuis</textarea>"), "{page}");
    assert!(
        page.contains("<option value=\"leidinggevende\" selected>"),
        "{page}"
    );
    assert!(
        page.contains(&format!("name=\"token\" value=\"{token}\"")),
        "{page}"
    );
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 0,
            items: 0,
            replies: 0
        }
    );

    form[0] = ("lang", "en");
    let (status, page) = send_text(&t, form_request("/zonder-js/melding?lang=en", &form)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("There is a problem"), "{page}");
    assert!(
        page.contains("Choose an organisation from the list."),
        "{page}"
    );
    assert!(
        page.contains("Choose a kind of melding from the list."),
        "{page}"
    );

    // Sent again with the choices made: stored under the token the form kept.
    form[0] = ("lang", "nl");
    form[1] = ("organisatie", "leiden");
    form[2] = ("soort", "overig");
    let (status, page) = send_text(&t, form_request("/zonder-js/melding", &form)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(between(&page, "<p class=\"token\">", "</p>"), token);
}

#[tokio::test]
async fn the_token_page_tells_the_truth_of_this_mode_and_links_on() {
    let t = TestApp::new();
    let (page, _) = make_melding(&t, "").await;
    assert!(!page.contains("ook de server niet"), "{page}");
    assert!(page.contains("heeft de server dit token gemaakt"), "{page}");
    for link in [
        "href=\"/zonder-js/reactie\"",
        "href=\"/zonder-js/vervolg\"",
        "href=\"/zonder-js\"",
    ] {
        assert!(page.contains(link), "{link}: {page}");
    }
}

#[tokio::test]
async fn the_receipt_downloads_as_a_readable_file_with_the_signed_data_inside() {
    let t = TestApp::new();
    let (page, token) = make_melding(&t, "").await;
    let file = receipt_download(&page);
    assert!(file.starts_with("Ontvangstbewijs van "), "{file}");
    assert!(file.contains("Organisatie: Gemeente Leiden"), "{file}");
    let signed = meldpunt_server::receipt_file::signed_part(&file).unwrap();
    let receipt: SignedReceipt = serde_json::from_str(signed).unwrap();
    receipt.verify(Some(&t.receipt_key())).unwrap();
    assert!(file.contains(&format!(
        "Ontvangen op: {}",
        receipt.ontvangstbewijs.received
    )));
    assert_eq!(
        receipt.ontvangstbewijs.lookup_hash,
        hex::encode(
            ReplyToken::parse(&token)
                .unwrap()
                .derive()
                .lookup_key
                .hash()
        )
    );
    // A changed byte in the signed part no longer verifies.
    let forged = signed.replace(&receipt.ontvangstbewijs.received, "2001-01-01");
    let forged: SignedReceipt = serde_json::from_str(&forged).unwrap();
    assert!(forged.verify(Some(&t.receipt_key())).is_err());
}

#[tokio::test]
async fn a_follow_up_without_javascript_is_sealed_to_the_case_and_a_second_send_stores_nothing() {
    let t = TestApp::new();
    let (_, token) = make_melding(&t, "").await;
    // The reply page carries the follow-up form and links on.
    let (status, page) =
        send_text(&t, form_request("/zonder-js/reactie", &[("token", &token)])).await;
    assert_eq!(status, StatusCode::OK);
    assert_plain_page(&page);
    assert!(page.contains("href=\"/zonder-js\""), "{page}");
    let hidden = vervolg_fields(&page);
    let names: Vec<&str> = hidden.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["lang", "nonce", "token"]);
    let mut fields: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("text", "Het antwoord op uw vraag: <i>ja</i>."));
    let (status, first) = send_text(&t, form_request("/zonder-js/vervolg", &fields)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_plain_page(&first);
    assert!(first.contains("Uw aanvulling is ontvangen"), "{first}");
    let receipt: SignedReceipt =
        serde_json::from_str(&unescape(between(&first, "<pre>", "</pre>"))).unwrap();
    receipt.verify(Some(&t.receipt_key())).unwrap();
    // Back to the replies with the same token, and on to the start.
    assert!(first.contains("action=\"/zonder-js/reactie\""), "{first}");
    assert!(first.contains("href=\"/zonder-js\""), "{first}");
    // A double click: the same form again names the same follow-up.
    let (status, again) = send_text(&t, form_request("/zonder-js/vervolg", &fields)).await;
    assert_eq!(status, StatusCode::OK);
    let again: SignedReceipt =
        serde_json::from_str(&unescape(between(&again, "<pre>", "</pre>"))).unwrap();
    assert_eq!(again.ontvangstbewijs, receipt.ontvangstbewijs);
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 1,
            items: 2,
            replies: 0
        }
    );

    let b = export_bundle(&t).await;
    let item = b
        .items
        .iter()
        .find(|i| i.0.id == receipt.ontvangstbewijs.id)
        .unwrap();
    assert_eq!(item.0.kind, meldpunt_envelope::bundle::ItemKind::Vervolg);
    let m = melding::open(&item.1, &[&t.identity]).unwrap();
    assert_eq!(m.kind, melding::Kind::Vervolg);
    assert_eq!(m.text, "Het antwoord op uw vraag: <i>ja</i>.");
    assert_eq!(m.organisatie, "leiden");
    assert_eq!(m.soort, None);
    let keys = ReplyToken::parse(&token).unwrap().derive();
    assert_eq!(m.reply_recipient, keys.reply_recipient());

    // A new form (another nonce) is another follow-up.
    let (_, page) = send_text(&t, form_request("/zonder-js/reactie", &[("token", &token)])).await;
    let hidden = vervolg_fields(&page);
    let mut fields: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("text", "En nog iets."));
    let (status, _) = send_text(&t, form_request("/zonder-js/vervolg", &fields)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 1,
            items: 3,
            replies: 0
        }
    );
}

#[tokio::test]
async fn a_follow_up_on_a_bestuurder_case_goes_to_the_bestuurder_recipients() {
    let t = TestApp::with(Options {
        bestuurder: true,
        ..Options::default()
    });
    let (_, token) = make_melding(&t, "bestuurder").await;
    let (status, page) = send_text(
        &t,
        form_request(
            "/zonder-js/vervolg",
            &[
                ("token", &token),
                ("nonce", &meldpunt_envelope::random_id().unwrap()),
                ("text", "Aanvulling."),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let b = export_bundle(&t).await;
    let item = b
        .items
        .iter()
        .find(|i| i.0.kind == meldpunt_envelope::bundle::ItemKind::Vervolg)
        .unwrap();
    assert_eq!(
        melding::open(&item.1, &[&t.bestuurder]).unwrap().text,
        "Aanvulling."
    );
    assert!(
        melding::open(&item.1, &[&t.identity]).is_err(),
        "not to the usual recipients"
    );
}

#[tokio::test]
async fn bad_follow_ups_get_a_page_in_their_language_and_nothing_is_written() {
    let t = TestApp::new();
    let (_, token) = make_melding(&t, "").await;
    let unknown = ReplyToken::generate().unwrap().display();
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, StatusCode, &'a str);
    let cases: Vec<Case> = vec![
        (
            "empty text",
            vec![("token", &token), ("text", "  ")],
            StatusCode::BAD_REQUEST,
            "Schrijf uw aanvulling.",
        ),
        (
            "bad token",
            vec![("token", "ABCD"), ("text", "x")],
            StatusCode::BAD_REQUEST,
            "geen geldig token",
        ),
        (
            "unknown token",
            vec![("token", &unknown), ("text", "x")],
            StatusCode::NOT_FOUND,
            "geen melding",
        ),
        (
            "english",
            vec![("token", "ABCD"), ("text", ""), ("lang", "en")],
            StatusCode::BAD_REQUEST,
            "Write your follow-up.",
        ),
    ];
    for (name, fields, status, needle) in cases {
        let (got, page) = send_text(&t, form_request("/zonder-js/vervolg", &fields)).await;
        assert_eq!(got, status, "{name}: {page}");
        assert_plain_page(&page);
        assert!(page.contains(needle), "{name}: {page}");
        assert!(page.contains("href=\"/zonder-js"), "{name}: links on");
    }
    // The empty text keeps a valid token hidden; a bad one is asked for again.
    let (_, page) = send_text(
        &t,
        form_request("/zonder-js/vervolg", &[("token", &token), ("text", "")]),
    )
    .await;
    assert!(page.contains(&format!("type=\"hidden\" name=\"token\" value=\"{token}\"")));
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 1,
            items: 1,
            replies: 0
        }
    );
    let (status, page) = send_text(
        &t,
        Request::get("/zonder-js/vervolg?lang=en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_plain_page(&page);
    assert!(page.contains("name=\"token\" type=\"text\"") && page.contains("Send a follow-up"));
}
