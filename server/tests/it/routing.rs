//! Routing by the case and idempotent submission (issue 14): the look-up names the
//! case's organisation and route, a follow-up is filed under its case and refused
//! when it names another, a melding about a bestuurder is recorded as such, the same
//! bytes sent twice give one item and the same answer (API and no-JavaScript form),
//! and `/pkg/keys.json` pins the keys the page uses.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use meldpunt_envelope::melding::{self, Melding};
use meldpunt_envelope::signed::SignedReceipt;
use meldpunt_envelope::token::{ReplyToken, TokenKeys};
use sha2::{Digest, Sha256};

use crate::common::*;

fn seal_to(recipient: &age::x25519::Recipient, keys: &TokenKeys, kind: melding::Kind) -> Vec<u8> {
    let mut m = Melding::new(
        "leiden",
        "fraude-corruptie",
        "Over de wethouder.",
        &keys.reply_recipient(),
    );
    m.kind = kind;
    if kind == melding::Kind::Vervolg {
        m.soort = None;
    } else {
        m.over_wie = Some("bestuurder".into());
    }
    melding::seal(&m, std::slice::from_ref(recipient)).unwrap()
}

fn with_headers(mut req: Request<Body>, headers: &[(&str, &str)]) -> Request<Body> {
    for (k, v) in headers {
        req.headers_mut().insert(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    req
}

fn vervolg(key_hex: &str, body: Vec<u8>, headers: &[(&str, &str)]) -> Request<Body> {
    let req = Request::post("/api/v1/vervolg")
        .header("content-type", "application/octet-stream")
        .header("meldpunt-lookup-key", key_hex)
        .body(Body::from(body))
        .unwrap();
    with_headers(req, headers)
}

async fn lookup(t: &TestApp, keys: &TokenKeys) -> serde_json::Value {
    let (status, v) = t
        .send_json(reacties_request(&keys.lookup_key.to_hex()))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

#[tokio::test]
async fn the_look_up_names_the_case_organisation_and_route() {
    let t = TestApp::with(Options {
        bestuurder: true,
        ..Options::default()
    });
    let (keys, status, _) = t.submit("Gewoon.").await;
    assert_eq!(status, StatusCode::CREATED);
    let v = lookup(&t, &keys).await;
    assert_eq!(v["organisatie"], "leiden");
    assert_eq!(v["bestuurder"], false);

    let b = ReplyToken::generate().unwrap().derive();
    let ct = seal_to(&t.bestuurder.to_public(), &b, melding::Kind::Melding);
    let req = with_headers(
        melding_request("leiden", &hex::encode(b.lookup_key.hash()), ct),
        &[("meldpunt-route", "bestuurder")],
    );
    let (status, v) = t.send_json(req).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let v = lookup(&t, &b).await;
    assert_eq!(v["organisatie"], "leiden");
    assert_eq!(v["bestuurder"], true);
    assert_eq!(v["reacties"], serde_json::json!([]));
}

#[tokio::test]
async fn a_bestuurder_route_needs_bestuurder_recipients_and_a_known_value() {
    let t = TestApp::with(Options {
        bestuurder: true,
        ..Options::default()
    });
    let k = ReplyToken::generate().unwrap().derive();
    let hash = hex::encode(k.lookup_key.hash());
    let ct = seal_to(&t.identity.to_public(), &k, melding::Kind::Melding);
    t.refuses_all(vec![
        (
            "oegstgeest has no bestuurder recipients",
            with_headers(
                melding_request("oegstgeest", &hash, ct.clone()),
                &[("meldpunt-route", "bestuurder")],
            ),
            StatusCode::BAD_REQUEST,
            "no_bestuurder_recipients",
        ),
        (
            "unknown route",
            with_headers(
                melding_request("leiden", &hash, ct.clone()),
                &[("meldpunt-route", "wethouder")],
            ),
            StatusCode::BAD_REQUEST,
            "invalid_header",
        ),
    ])
    .await;
    assert_eq!(t.counts().await.cases, 0);
    // `standaard` is the same as no header.
    let req = with_headers(
        melding_request("oegstgeest", &hash, ct),
        &[("meldpunt-route", "standaard")],
    );
    assert_eq!(t.send(req).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_follow_up_is_filed_under_its_case_and_refused_when_it_names_another() {
    let t = TestApp::with(Options {
        bestuurder: true,
        ..Options::default()
    });
    let (keys, _, _) = t.submit("Eerste.").await;
    let key_hex = keys.lookup_key.to_hex();
    let ct = seal_to(&t.identity.to_public(), &keys, melding::Kind::Vervolg);
    t.refuses_all(vec![
        (
            "another organisation",
            vervolg(
                &key_hex,
                ct.clone(),
                &[("meldpunt-organisatie", "oegstgeest")],
            ),
            StatusCode::CONFLICT,
            "organisation_mismatch",
        ),
        (
            "another route",
            vervolg(&key_hex, ct.clone(), &[("meldpunt-route", "bestuurder")]),
            StatusCode::CONFLICT,
            "organisation_mismatch",
        ),
        (
            "not a slug",
            vervolg(&key_hex, ct.clone(), &[("meldpunt-organisatie", "Leiden!")]),
            StatusCode::BAD_REQUEST,
            "invalid_header",
        ),
    ])
    .await;
    assert_eq!(t.counts().await.items, 1, "nothing stored");
    let (status, v) = t
        .send_json(vervolg(
            &key_hex,
            ct,
            &[
                ("meldpunt-organisatie", "leiden"),
                ("meldpunt-route", "standaard"),
            ],
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(
        v["ontvangstbewijs"]["ontvangstbewijs"]["organisatie"],
        "leiden"
    );
    let b = export_bundle(&t).await;
    assert_eq!(b.items.len(), 2);
    assert!(
        b.items
            .iter()
            .all(|(m, _)| m.organisatie.as_deref() == Some("leiden"))
    );
}

#[tokio::test]
async fn the_same_melding_sent_twice_is_one_case_with_one_answer() {
    let t = TestApp::new();
    let keys = ReplyToken::generate().unwrap().derive();
    let hash = hex::encode(keys.lookup_key.hash());
    let ct = seal_melding(&t.identity, &keys, "Verbinding viel weg.");
    let (s1, first) = t
        .send_json(melding_request("leiden", &hash, ct.clone()))
        .await;
    assert_eq!(s1, StatusCode::CREATED, "{first}");
    let (s2, second) = t
        .send_json(melding_request("leiden", &hash, ct.clone()))
        .await;
    assert_eq!(s2, StatusCode::CREATED, "{second}");
    assert_eq!(first, second, "the same id, day and ontvangstbewijs");
    let r: SignedReceipt = serde_json::from_value(second["ontvangstbewijs"].clone()).unwrap();
    r.verify(Some(&t.receipt_key())).unwrap();
    assert_eq!(r.ontvangstbewijs.sha256, hex::encode(Sha256::digest(&ct)));
    let c = t.counts().await;
    assert_eq!((c.cases, c.items), (1, 1));

    // Other bytes under the same token are still a second melding: refused.
    let other = seal_melding(&t.identity, &keys, "Verbinding viel weg.");
    t.refuses(
        "other bytes",
        melding_request("leiden", &hash, other),
        StatusCode::CONFLICT,
        "case_exists",
    )
    .await;
    // The same bytes named for another organisation do not get the answer.
    t.refuses(
        "same bytes, other organisation",
        melding_request("oegstgeest", &hash, ct),
        StatusCode::CONFLICT,
        "organisation_mismatch",
    )
    .await;
    let c = t.counts().await;
    assert_eq!((c.cases, c.items), (1, 1));
}

#[tokio::test]
async fn the_same_melding_sent_at_once_many_times_is_one_case() {
    let t = TestApp::new();
    let keys = ReplyToken::generate().unwrap().derive();
    let hash = hex::encode(keys.lookup_key.hash());
    let ct = seal_melding(&t.identity, &keys, "Dubbelklik.");
    let send = || t.send_json(melding_request("leiden", &hash, ct.clone()));
    let (a, b, c, d) = tokio::join!(send(), send(), send(), send());
    let answers = [a, b, c, d];
    for (s, v) in &answers {
        assert_eq!(*s, StatusCode::CREATED, "{v}");
        assert_eq!(*v, answers[0].1);
    }
    let c = t.counts().await;
    assert_eq!((c.cases, c.items), (1, 1));
}

#[tokio::test]
async fn the_same_follow_up_sent_twice_is_one_item() {
    let t = TestApp::new();
    let (keys, _, _) = t.submit("Eerste.").await;
    let key_hex = keys.lookup_key.to_hex();
    let ct = seal_to(&t.identity.to_public(), &keys, melding::Kind::Vervolg);
    let (s1, first) = t.send_json(vervolg(&key_hex, ct.clone(), &[])).await;
    assert_eq!(s1, StatusCode::CREATED, "{first}");
    let (s2, second) = t.send_json(vervolg(&key_hex, ct.clone(), &[])).await;
    assert_eq!(s2, StatusCode::CREATED, "{second}");
    assert_eq!(first, second);
    assert_eq!(t.counts().await.items, 2, "the melding and one follow-up");

    // The same bytes under another case are not a resend of this one.
    let (other, _, _) = t.submit("Ander geval.").await;
    t.refuses(
        "same bytes, other case",
        vervolg(&other.lookup_key.to_hex(), ct, &[]),
        StatusCode::CONFLICT,
        "organisation_mismatch",
    )
    .await;
    assert_eq!(t.counts().await.items, 3);
}

fn form_with_token<'a>(
    token: &'a str,
    text: &'a str,
    over_wie: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("lang", "nl"),
        ("token", token),
        ("organisatie", "leiden"),
        ("soort", "fraude-corruptie"),
        ("over_wie", over_wie),
        ("melder", ""),
        ("text", text),
        ("wanneer_waar", ""),
    ]
}

fn hidden_token(page: &str) -> String {
    let start = page.find("name=\"token\" value=\"").expect("a token field") + 20;
    let end = page[start..].find('"').unwrap() + start;
    page[start..end].to_string()
}

#[tokio::test]
async fn the_form_sent_twice_without_javascript_is_one_case() {
    let t = TestApp::with(Options {
        bestuurder: true,
        ..Options::default()
    });
    let (_, form) = send_text(&t, Request::get("/zonder-js").body(Body::empty()).unwrap()).await;
    let token = hidden_token(&form);
    let (_, again) = send_text(&t, Request::get("/zonder-js").body(Body::empty()).unwrap()).await;
    assert_ne!(token, hidden_token(&again), "a fresh token per form");
    assert_eq!(t.counts().await.cases, 0, "serving a form stores nothing");

    let fields = form_with_token(&token, "Over de wethouder.", "bestuurder");
    let (s1, first) = send_text(&t, form_request("/zonder-js/melding", &fields)).await;
    assert_eq!(s1, StatusCode::OK, "{first}");
    let (s2, second) = send_text(&t, form_request("/zonder-js/melding", &fields)).await;
    assert_eq!(s2, StatusCode::OK, "{second}");
    assert_eq!(first, second, "the same token and ontvangstbewijs");
    let c = t.counts().await;
    assert_eq!((c.cases, c.items), (1, 1));
    let parsed = ReplyToken::parse(&token).unwrap();
    assert!(first.contains(parsed.display().as_str()));
    // The case is recorded as a bestuurder case, so follow-ups go there too.
    let v = lookup(&t, &parsed.derive()).await;
    assert_eq!(v["bestuurder"], true);

    let (status, page) = send_text(
        &t,
        form_request(
            "/zonder-js/melding",
            &form_with_token("not-a-token", "x", ""),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("beschadigd"), "{page}");
    assert_eq!(t.counts().await.cases, 1);

    // The token travelled in the form and back; none of it was kept.
    let display = parsed.display().to_string();
    let keys = parsed.derive();
    let needles: Vec<(&str, String)> = vec![
        ("melding text", "Over de wethouder.".into()),
        ("token", display.clone()),
        ("token without hyphens", display.replace('-', "")),
        ("lookup key hex", keys.lookup_key.to_hex().to_string()),
    ];
    assert_disk_free_of(&t, &needles, &[("lookup key", &keys.lookup_key.0[..])]);
    let logs = logs();
    for (what, needle) in &needles {
        assert!(!logs.contains(needle.as_str()), "the log holds the {what}");
    }
}

#[tokio::test]
async fn keys_json_pins_the_keys_and_the_page_build() {
    let t = TestApp::with(Options {
        bestuurder: true,
        ..Options::default()
    });
    let manifest = b"{\"format\":\"meldpunt-page\"}\n";
    std::fs::write(t.dir.path().join("www/pkg/manifest.json"), manifest).unwrap();
    let get = || Request::get("/pkg/keys.json").body(Body::empty()).unwrap();
    let resp = t.send(get()).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/json");
    let bytes = body_bytes(resp).await;
    assert_eq!(
        bytes,
        body_bytes(t.send(get()).await).await,
        "the same bytes"
    );
    assert!(bytes.ends_with(b"}\n"));
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["format"], "meldpunt-keys");
    assert_eq!(v["page"], hex::encode(Sha256::digest(manifest)));
    assert_eq!(v["signing_key"], t.signing.public().to_string());
    let (_, config) = t
        .send_json(Request::get("/api/v1/config").body(Body::empty()).unwrap())
        .await;
    assert_eq!(v["signing_key"], config["signing_key"]);
    assert_eq!(
        v["organisations"][0]["recipients"],
        config["organisations"][0]["recipients"]
    );
    assert_eq!(
        v["organisations"][0]["bestuurder_recipients"][0],
        t.bestuurder.to_public().to_string()
    );
    assert_eq!(
        v["organisations"][1]["bestuurder_recipients"],
        serde_json::json!([])
    );

    // Other keys, other bytes (so another hash on the page).
    let other = TestApp::new();
    std::fs::write(other.dir.path().join("www/pkg/manifest.json"), manifest).unwrap();
    assert_ne!(bytes, body_bytes(other.send(get()).await).await);
}
