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
    let (status, page) = send_text(
        &t,
        form_request(
            "/zonder-js/melding",
            &melding_form("Over de wethouder.", "", "bestuurder"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
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
        assert!(page.contains("class=\"error\""), "{name}: {page}");
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
