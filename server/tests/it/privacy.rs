//! The canary: what a reporter sends must never appear in clear in the database
//! files or the logs; neither may their token, lookup key, lookup hash (in hex),
//! address or user agent.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use meldpunt_envelope::token::ReplyToken;

use crate::common::*;

const USER_AGENT: &str = "CanaryBrowser/9.9 (X11; Linux x86_64) unique-ua-5b1e";

fn as_reporter(mut req: Request<Body>) -> Request<Body> {
    let h = req.headers_mut();
    h.insert("user-agent", USER_AGENT.parse().unwrap());
    h.insert("x-forwarded-for", "127.0.0.1".parse().unwrap());
    h.insert("x-real-ip", "127.0.0.1".parse().unwrap());
    h.insert("forwarded", "for=127.0.0.1".parse().unwrap());
    req.extensions_mut().insert(ConnectInfo(
        "127.0.0.1:50123".parse::<SocketAddr>().unwrap(),
    ));
    req
}

#[tokio::test]
async fn no_plaintext_token_or_address_in_the_database_or_the_logs() {
    let t = TestApp::new();
    let canary = format!("canary-{}", meldpunt_envelope::random_id().unwrap());
    let token = ReplyToken::generate().unwrap();
    let keys = token.derive();
    let hash_hex = hex::encode(keys.lookup_key.hash());

    let text = format!("De afdeling vergunningen neemt steekpenningen aan. {canary}");
    let ct = seal_melding(&t.identity, &keys, &text);
    let (status, _) = t
        .send_json(as_reporter(melding_request("leiden", &hash_hex, ct)))
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Everything else the reporter and staff do, including failures.
    let (status, _) = t
        .send_json(as_reporter(reacties_request(&keys.lookup_key.to_hex())))
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut with_query = as_reporter(reacties_request(&keys.lookup_key.to_hex()));
    *with_query.uri_mut() = format!(
        "/api/v1/reacties?k={}&c={canary}",
        *keys.lookup_key.to_hex()
    )
    .parse()
    .unwrap();
    assert_eq!(t.send(with_query).await.status(), StatusCode::OK);
    let bad_json = json_request(
        "/api/v1/reacties",
        &format!("{{\"lookup_key\": \"{canary}\""),
    );
    assert_eq!(
        t.send(as_reporter(bad_json)).await.status(),
        StatusCode::BAD_REQUEST
    );
    let dup = seal_melding(&t.identity, &keys, &text);
    assert_eq!(
        t.send(as_reporter(melding_request("leiden", &hash_hex, dup)))
            .await
            .status(),
        StatusCode::CONFLICT
    );
    let unknown_org = melding_request(&canary[..20], &hash_hex, b"x".to_vec());
    assert_eq!(
        t.send(as_reporter(unknown_org)).await.status(),
        StatusCode::BAD_REQUEST
    );
    let page = Request::get(format!("/{canary}.html?{canary}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        t.send(as_reporter(page)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.send(as_reporter(export_request(Some(STAFF_TOKEN))))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        t.send(as_reporter(export_request(Some(&canary))))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let replies = t.replies_bundle(&[&keys], &format!("Antwoord {canary}"));
    assert_eq!(
        t.send(as_reporter(import_request(STAFF_TOKEN, replies)))
            .await
            .status(),
        StatusCode::OK
    );

    let display = token.display();
    let text_needles: Vec<(&str, String)> = vec![
        ("canary", canary.clone()),
        ("token", display.to_string()),
        ("token without hyphens", display.replace('-', "")),
        ("lookup key hex", keys.lookup_key.to_hex().to_string()),
        ("lookup key HEX", keys.lookup_key.to_hex().to_uppercase()),
        ("lookup hash hex", hash_hex.clone()),
        ("lookup hash HEX", hash_hex.to_uppercase()),
        ("staff token", STAFF_TOKEN.to_string()),
        ("reply recipient", keys.reply_recipient()),
        ("user agent", USER_AGENT.to_string()),
        ("address", "127.0.0.1".to_string()),
    ];

    assert_disk_free_of(
        &t,
        &text_needles,
        &[
            ("lookup key", &keys.lookup_key.0[..]),
            ("token", &token.as_bytes()[..]),
        ],
    );
    // The reporter's requests are counted, not logged one by one; the counts
    // line is scanned too.
    t.state.request_counts.log("this test");
    let logs = assert_logs_free_of("/api/v1/staff/reacties", "200", &text_needles);
    for line in logs.lines() {
        assert!(!line.contains("?"), "query string in log line: {line}");
    }
}
