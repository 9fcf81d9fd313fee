//! The limit as stated: `max_submission_bytes` is what the reporter's files may
//! weigh together; the meldpunt's padding and framing are not counted against it.
//! A file of exactly the limit is accepted, one byte more is refused (where the
//! limit ends a padding class, as here), and many files within the limit pass
//! although their padding is larger.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use meldpunt_envelope::melding::Kind;
use meldpunt_envelope::token::ReplyToken;
use meldpunt_server::db::Counts;

use crate::common::*;

/// Seals `files` as the page does and sends them with their melding.
async fn send_files(t: &TestApp, files: &[&[u8]]) -> (StatusCode, serde_json::Value) {
    let keys = ReplyToken::generate().unwrap().derive();
    let hash = hex::encode(keys.lookup_key.hash());
    let (ct, sealed) = seal_with_attachments(&t.identity.to_public(), &keys, Kind::Melding, files);
    let mut parts: Vec<(&str, &[u8])> = vec![("melding", &ct)];
    parts.extend(sealed.iter().map(|s| ("bijlage", &s[..])));
    t.send_json(multipart_request(
        "/api/v1/meldingen",
        &[
            ("meldpunt-organisatie", "leiden"),
            ("meldpunt-lookup-hash", &hash),
        ],
        multipart_body(&parts),
    ))
    .await
}

#[tokio::test]
async fn a_file_of_exactly_the_limit_is_accepted_and_one_byte_more_is_refused() {
    // 2 MiB less the 4-byte frame: the limit ends a padding class.
    let max = (2 << 20) - 4;
    let t = TestApp::with(Options {
        max_submission_bytes: Some(max),
        ..Options::default()
    });
    let exactly = vec![0x5a; max];
    let (status, v) = send_files(&t, &[&exactly]).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let b = export_bundle(&t).await;
    let file = meldpunt_envelope::attachment::open(&b.items[1].1, &[&t.identity]).unwrap();
    assert_eq!(file.len(), max);

    let over = vec![0x5a; max + 1];
    let (status, v) = send_files(&t, &[&over]).await;
    assert_error(&(status, v), StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    assert_eq!(
        t.counts().await,
        Counts {
            cases: 1,
            items: 2,
            replies: 0
        }
    );
}

#[tokio::test]
async fn a_round_limit_admits_a_file_of_that_size_and_files_that_add_up_to_it() {
    let max = 3_000_000;
    let t = TestApp::with(Options {
        max_submission_bytes: Some(max),
        ..Options::default()
    });
    let (status, v) = send_files(&t, &[&vec![1u8; max]]).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    // Five files of 600 kB: 3 MB, each padded to 1 MiB (5 MiB sealed).
    let photo = vec![2u8; 600_000];
    let five: Vec<&[u8]> = vec![&photo; 5];
    let (status, v) = send_files(&t, &five).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    // A sixth is over the limit.
    let six: Vec<&[u8]> = vec![&photo; 6];
    let (status, v) = send_files(&t, &six).await;
    assert_error(&(status, v), StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    assert_eq!(t.counts().await.items, 2 + 6);
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_before_it_is_read() {
    let max = 10_000;
    let t = TestApp::with(Options {
        max_submission_bytes: Some(max),
        ..Options::default()
    });
    let cap = meldpunt_server::limit::body_cap(max);
    let hash = hex::encode([7u8; 32]);
    for (declared, status) in [
        (cap + 1, StatusCode::PAYLOAD_TOO_LARGE),
        (cap, StatusCode::BAD_REQUEST),
    ] {
        let req = Request::post("/api/v1/meldingen")
            .header("content-type", "application/octet-stream")
            .header("content-length", declared.to_string())
            .header("meldpunt-organisatie", "leiden")
            .header("meldpunt-lookup-hash", &hash)
            .body(Body::from("not age at all"))
            .unwrap();
        let got = t.send_json(req).await;
        assert_eq!(got.0, status, "{declared}: {}", got.1);
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
async fn the_config_serves_the_limit_as_stated_in_decimal_megabytes_by_default() {
    let t = TestApp::new();
    let (_, v) = t
        .send_json(Request::get("/api/v1/config").body(Body::empty()).unwrap())
        .await;
    assert_eq!(v["max_submission_bytes"], 100_000_000);
}
