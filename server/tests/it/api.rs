//! The reporter's routes: config, meldingen, reacties, and the fallbacks.

use std::io::Write;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use meldpunt_envelope::bundle;
use meldpunt_envelope::token::ReplyToken;
use meldpunt_server::db::Counts;

use crate::common::*;

#[tokio::test]
async fn config_has_the_documented_shape() {
    let t = TestApp::new();
    let (status, v) = t
        .send_json(Request::get("/api/v1/config").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    let recipient = t.identity.to_public().to_string();
    assert_eq!(
        v,
        serde_json::json!({
            "v": 1,
            "name": "Meldpunt integriteit Testregio",
            "organisations": [
                {"slug": "leiden", "name": "Gemeente Leiden", "recipients": [recipient]},
                {"slug": "oegstgeest", "name": "Gemeente Oegstgeest", "recipients": [recipient]},
            ],
            "signing_key": t.signing.public().to_string(),
            "receipt_key": t.receipt_key().to_string(),
            "pow": null,
            "max_submission_bytes": 100_000_000,
        })
    );
}

#[tokio::test]
async fn a_sealed_melding_is_stored_and_exported() {
    let t = TestApp::new();
    let (keys, status, v) = t
        .submit("De wethouder kreeg een auto van de aannemer.")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap();
    assert!(meldpunt_envelope::is_valid_id(id));
    assert_eq!(v["received"], meldpunt_envelope::Day::today().to_string());
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 1,
            items: 1,
            replies: 0
        }
    );

    let resp = t.send(export_request(Some(STAFF_TOKEN))).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/x-tar");
    let today = meldpunt_envelope::Day::today().to_string();
    assert_eq!(
        resp.headers()["content-disposition"],
        format!("attachment; filename=\"meldpunt-inbox-{today}.tar\"").as_str()
    );
    let tar = body_bytes(resp).await;
    let b = bundle::read(&tar[..], u64::MAX).unwrap();
    assert_eq!(b.manifest.kind, bundle::BundleKind::Inbox);
    assert_eq!(b.manifest.created, today);
    assert_eq!(b.items.len(), 1);
    let (line, ct) = &b.items[0];
    assert_eq!(line.id, id);
    assert_eq!(line.kind, bundle::ItemKind::Melding);
    assert_eq!(line.organisatie.as_deref(), Some("leiden"));
    assert_eq!(line.received.as_deref(), Some(today.as_str()));
    assert_eq!(line.lookup_hash_bytes().unwrap(), keys.lookup_key.hash());
    let m = meldpunt_envelope::melding::open(ct, &[&t.identity]).unwrap();
    assert_eq!(m.text, "De wethouder kreeg een auto van de aannemer.");
    assert_eq!(m.reply_recipient, keys.reply_recipient());

    // Exporting does not remove anything (deletion is a later, explicit step).
    let again = body_bytes(t.send(export_request(Some(STAFF_TOKEN))).await).await;
    assert_eq!(bundle::read(&again[..], u64::MAX).unwrap().items.len(), 1);
}

#[tokio::test]
async fn a_second_melding_for_the_same_case_is_refused() {
    let t = TestApp::new();
    let keys = ReplyToken::generate().unwrap().derive();
    let hash = hex::encode(keys.lookup_key.hash());
    let first = t
        .send_json(melding_request(
            "leiden",
            &hash,
            seal_melding(&t.identity, &keys, "een"),
        ))
        .await;
    assert_eq!(first.0, StatusCode::CREATED);
    let second = t
        .send_json(melding_request(
            "oegstgeest",
            &hash,
            seal_melding(&t.identity, &keys, "twee"),
        ))
        .await;
    assert_error(&second, StatusCode::CONFLICT, "case_exists");
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 1,
            items: 1,
            replies: 0
        }
    );
}

fn passphrase_sealed() -> Vec<u8> {
    let enc = age::Encryptor::with_user_passphrase("wachtwoord".to_string().into());
    let mut out = Vec::new();
    let mut w = enc.wrap_output(&mut out).unwrap();
    w.write_all(b"hallo").unwrap();
    w.finish().unwrap();
    out
}

fn armored(ct: &[u8]) -> Vec<u8> {
    let b64 = STANDARD.encode(ct);
    let mut s = String::from("-----BEGIN AGE ENCRYPTED FILE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(chunk).unwrap());
        s.push('\n');
    }
    s.push_str("-----END AGE ENCRYPTED FILE-----\n");
    s.into_bytes()
}

#[tokio::test]
async fn bad_meldingen_are_refused_and_nothing_is_written() {
    let t = TestApp::with(Options {
        max_submission_bytes: Some(8192),
        ..Options::default()
    });
    let keys = ReplyToken::generate().unwrap().derive();
    let hash = hex::encode(keys.lookup_key.hash());
    let good = seal_melding(&t.identity, &keys, "Er is iets mis.");
    assert!(good.len() < 8192);

    let with_headers = |headers: &[(&str, &str)], body: Vec<u8>| {
        let mut r = Request::post("/api/v1/meldingen");
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.body(Body::from(body)).unwrap()
    };
    let ct = ("content-type", "application/octet-stream");
    let org = ("meldpunt-organisatie", "leiden");
    let lh = ("meldpunt-lookup-hash", hash.as_str());
    // The body may hold the meldpunt's padding and framing beyond the stated limit.
    let over_cap = (meldpunt_server::limit::body_cap(8192) + 1).to_string();

    let cases: Vec<(&str, Request<Body>, StatusCode, &str)> = vec![
        (
            "garbage",
            melding_request("leiden", &hash, b"hello, this is not age".to_vec()),
            StatusCode::BAD_REQUEST,
            "not_age_file",
        ),
        (
            "age header only",
            melding_request("leiden", &hash, b"age-encryption.org/v1\n".to_vec()),
            StatusCode::BAD_REQUEST,
            "invalid_age_file",
        ),
        (
            "armored",
            melding_request("leiden", &hash, armored(&good)),
            StatusCode::BAD_REQUEST,
            "not_age_file",
        ),
        (
            "passphrase",
            melding_request("leiden", &hash, passphrase_sealed()),
            StatusCode::BAD_REQUEST,
            "not_age_file",
        ),
        (
            "empty",
            melding_request("leiden", &hash, Vec::new()),
            StatusCode::BAD_REQUEST,
            "empty_body",
        ),
        (
            "too large",
            with_headers(
                &[ct, org, lh, ("content-length", &over_cap)],
                vec![b'a'; 10],
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
        (
            "no content type",
            with_headers(&[org, lh], good.clone()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "json content type",
            with_headers(
                &[("content-type", "application/json"), org, lh],
                good.clone(),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "no organisation",
            with_headers(&[ct, lh], good.clone()),
            StatusCode::BAD_REQUEST,
            "missing_header",
        ),
        (
            "no lookup hash",
            with_headers(&[ct, org], good.clone()),
            StatusCode::BAD_REQUEST,
            "missing_header",
        ),
        (
            "empty organisation",
            with_headers(&[ct, ("meldpunt-organisatie", ""), lh], good.clone()),
            StatusCode::BAD_REQUEST,
            "missing_header",
        ),
        (
            "slug not valid",
            melding_request("Leiden!", &hash, good.clone()),
            StatusCode::BAD_REQUEST,
            "invalid_header",
        ),
        (
            "unknown organisation",
            melding_request("zoeterwoude", &hash, good.clone()),
            StatusCode::BAD_REQUEST,
            "unknown_organisation",
        ),
        (
            "short hash",
            melding_request("leiden", &hash[..63], good.clone()),
            StatusCode::BAD_REQUEST,
            "invalid_header",
        ),
        (
            "long hash",
            melding_request("leiden", &format!("{hash}00"), good.clone()),
            StatusCode::BAD_REQUEST,
            "invalid_header",
        ),
        (
            "hash not hex",
            melding_request("leiden", &"zz".repeat(32), good.clone()),
            StatusCode::BAD_REQUEST,
            "invalid_header",
        ),
    ];
    for (name, req, status, code) in cases {
        t.refuses(name, req, status, code).await;
        assert_eq!(
            t.counts().await,
            Counts {
                cases: 0,
                items: 0,
                replies: 0
            },
            "{name}"
        );
    }

    // A body just under the limit passes the size check (and fails only as not age).
    let got = t
        .send_json(melding_request("leiden", &hash, vec![b'a'; 8192]))
        .await;
    assert_error(&got, StatusCode::BAD_REQUEST, "not_age_file");
    // And the good one still goes in.
    assert_eq!(
        t.send_json(melding_request("leiden", &hash, good)).await.0,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn reacties_for_a_case_without_replies_is_an_empty_list() {
    let t = TestApp::new();
    let (keys, status, _) = t.submit("Melding zonder reactie.").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, v) = t
        .send_json(reacties_request(&keys.lookup_key.to_hex()))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v,
        serde_json::json!({ "reacties": [], "organisatie": "leiden", "bestuurder": false })
    );
    // Hex case does not matter.
    let (status, _) = t
        .send_json(reacties_request(&keys.lookup_key.to_hex().to_uppercase()))
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn bad_reacties_requests_are_refused() {
    let t = TestApp::new();
    let unknown = ReplyToken::generate().unwrap().derive();
    let cases: Vec<(&str, Request<Body>, StatusCode, &str)> = vec![
        (
            "malformed JSON",
            json_request("/api/v1/reacties", "{\"lookup_key\": "),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            "wrong shape",
            json_request("/api/v1/reacties", "{\"key\": \"00\"}"),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            "not a string",
            json_request("/api/v1/reacties", "{\"lookup_key\": 7}"),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            "extra field",
            json_request(
                "/api/v1/reacties",
                &format!("{{\"lookup_key\": \"{}\", \"x\": 1}}", "0".repeat(64)),
            ),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            "empty",
            json_request("/api/v1/reacties", ""),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            "no content type",
            Request::post("/api/v1/reacties")
                .body(Body::from("{}"))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "bad hex",
            reacties_request(&"g".repeat(64)),
            StatusCode::BAD_REQUEST,
            "invalid_lookup_key",
        ),
        (
            "short hex",
            reacties_request(&"a".repeat(62)),
            StatusCode::BAD_REQUEST,
            "invalid_lookup_key",
        ),
        (
            "unknown key",
            reacties_request(&unknown.lookup_key.to_hex()),
            StatusCode::NOT_FOUND,
            "unknown_token",
        ),
        (
            "too large",
            json_request(
                "/api/v1/reacties",
                &format!("{{\"lookup_key\": \"{}\"}}", "a".repeat(10_000)),
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
    ];
    t.refuses_all(cases).await;
}

#[tokio::test]
async fn unknown_api_paths_and_methods_get_json_errors() {
    let t = TestApp::new();
    let got = t
        .send_json(
            Request::get("/api/v1/nothing-here")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_error(&got, StatusCode::NOT_FOUND, "not_found");
    let got = t
        .send_json(Request::post("/api/v1/config").body(Body::empty()).unwrap())
        .await;
    assert_error(&got, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    let got = t
        .send_json(
            Request::get("/api/v1/meldingen")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_error(&got, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

#[tokio::test]
async fn healthz_and_the_static_page() {
    let t = TestApp::new();
    let resp = t
        .send(Request::get("/healthz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(body_bytes(resp).await, b"ok");

    let resp = t.send(Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(
        body_bytes(resp).await,
        b"<!doctype html><title>Meldpunt</title>"
    );

    for (path, media) in [
        ("/app.js", "text/javascript"),
        ("/style.css", "text/css"),
        ("/pkg/meldpunt_client_bg.wasm", "application/wasm"),
    ] {
        let resp = t
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert_eq!(resp.headers()["content-type"], media, "{path}");
    }
    let resp = t
        .send(Request::get("/../meldpunt.db").body(Body::empty()).unwrap())
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let resp = t
        .send(Request::get("/nope.html").body(Body::empty()).unwrap())
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

/// A request body that never finishes arriving.
struct Stalled;

impl http_body::Body for Stalled {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;
    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

#[tokio::test]
async fn a_full_upload_pool_makes_room_by_stopping_a_stalled_upload_and_nothing_is_lost() {
    use tower::ServiceExt;
    let t = TestApp::new();
    let router = meldpunt_server::app(t.state.clone());
    let stalled_request = || {
        let hash = hex::encode(ReplyToken::generate().unwrap().derive().lookup_key.hash());
        Request::post("/api/v1/meldingen")
            .header("content-type", "application/octet-stream")
            .header("meldpunt-organisatie", "leiden")
            .header("meldpunt-lookup-hash", hash)
            .body(Body::new(Stalled))
            .unwrap()
    };
    let max = t.state.config.limits.max_concurrent_uploads;
    let mut slow: Vec<_> = (0..max)
        .map(|_| tokio::spawn(router.clone().oneshot(stalled_request())))
        .collect();
    wait_for("the upload pool full", || t.state.uploads.len() == max).await;
    // A newcomer waits until the stalled uploads have had their grace, then takes
    // the slot of one of them and gets its own answer.
    let probe = || melding_request("leiden", &"ab".repeat(32), b"not age".to_vec());
    let resp = router.clone().oneshot(probe()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    wait_for("a stalled upload stopped", || {
        slow.iter().any(|h| h.is_finished())
    })
    .await;
    let i = slow.iter().position(|h| h.is_finished()).unwrap();
    let stopped = slow.swap_remove(i).await.unwrap().unwrap();
    assert_eq!(stopped.headers()["connection"], "close");
    let v: serde_json::Value = serde_json::from_slice(&body_bytes(stopped).await).unwrap();
    assert_error(
        &(StatusCode::REQUEST_TIMEOUT, v),
        StatusCode::REQUEST_TIMEOUT,
        "timeout",
    );
    assert!(slow.iter().all(|h| !h.is_finished()), "only one gave way");
    // The staff import shares the pool, and gets in the same way.
    let staff = router
        .clone()
        .oneshot(import_request(STAFF_TOKEN, b"x".to_vec()))
        .await
        .unwrap();
    assert_eq!(staff.status(), StatusCode::BAD_REQUEST, "its own answer");
    // Other routes are not limited.
    let resp = router
        .clone()
        .oneshot(Request::get("/api/v1/config").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    // The slow uploads give up; their slots free up and a real melding goes in.
    for h in slow.drain(..) {
        h.abort();
        let _ = h.await;
    }
    let (_, status, _) = t.submit("Na de drukte.").await;
    assert_eq!(status, StatusCode::CREATED);
    let resp = router.clone().oneshot(probe()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 1,
            items: 1,
            replies: 0
        }
    );
}
