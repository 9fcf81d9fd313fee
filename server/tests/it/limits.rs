//! Abuse limits: rate limits per route class, the memory budget for bodies,
//! timeouts and the global concurrency limit. Each refusal is a JSON error and
//! leaves the database untouched.

use std::sync::atomic::Ordering;

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use meldpunt_envelope::token::ReplyToken;
use tower::ServiceExt;

use crate::common::*;

fn db_ops(t: &TestApp) -> (u64, u64) {
    let s = t.state.db.stats();
    (
        s.reads.load(Ordering::Relaxed),
        s.writes.load(Ordering::Relaxed),
    )
}

#[tokio::test]
async fn each_route_class_has_its_own_rate_limit_and_refusals_never_reach_the_database() {
    let t = TestApp::with(Options {
        limits: "lookups_per_minute = 3\nstaff_per_minute = 2\nsubmissions_per_minute = 2".into(),
        ..Options::default()
    });
    let unknown = ReplyToken::generate().unwrap().derive();
    for _ in 0..3 {
        let (status, _) = t
            .send_json(reacties_request(&unknown.lookup_key.to_hex()))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let before = db_ops(&t);
    let resp = t.send(reacties_request(&unknown.lookup_key.to_hex())).await;
    assert_eq!(resp.headers()["retry-after"], "60");
    let v: serde_json::Value = serde_json::from_slice(&body_bytes(resp).await).unwrap();
    assert_error(
        &(StatusCode::TOO_MANY_REQUESTS, v),
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    );
    assert_eq!(
        db_ops(&t),
        before,
        "refused look-ups never reach the database"
    );

    // Submissions are a class of their own.
    for i in 0..2 {
        let (_, status, v) = t.submit(&format!("melding {i}")).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }
    let (_, status, v) = t.submit("een te veel").await;
    assert_error(&(status, v), StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let before = db_ops(&t);
    let got = t
        .send_json(
            Request::post("/api/v1/vervolg")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_error(&got, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(db_ops(&t), before);
    assert_eq!(t.counts().await.items, 2);

    // Staff: failed attempts have a budget of their own (tests/it/pow.rs), valid
    // tokens this one.
    let got = t.send_json(export_request(Some("guess"))).await;
    assert_error(&got, StatusCode::UNAUTHORIZED, "unauthorized");
    for _ in 0..2 {
        assert_eq!(
            t.send(export_request(Some(STAFF_TOKEN))).await.status(),
            StatusCode::OK
        );
    }
    let got = t.send_json(export_request(Some(STAFF_TOKEN))).await;
    assert_error(&got, StatusCode::TOO_MANY_REQUESTS, "rate_limited");

    // Pages and config are not rate limited.
    for _ in 0..10 {
        let resp = t
            .send(Request::get("/api/v1/config").body(Body::empty()).unwrap())
            .await;
        assert_eq!(resp.status(), StatusCode::OK);
    }
}

/// A body that sends `first` and then never finishes.
pub struct Trickle(pub Option<Bytes>);

impl http_body::Body for Trickle {
    type Data = Bytes;
    type Error = std::convert::Infallible;
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        match self.0.take() {
            Some(b) => std::task::Poll::Ready(Some(Ok(http_body::Frame::data(b)))),
            None => std::task::Poll::Pending,
        }
    }
}

fn trickling_melding(len: usize) -> Request<Body> {
    let hash = hex::encode(ReplyToken::generate().unwrap().derive().lookup_key.hash());
    let mut first = b"age-encryption.org/v1\n".to_vec();
    first.resize(len, b'x');
    Request::post("/api/v1/meldingen")
        .header("content-type", "application/octet-stream")
        .header("meldpunt-organisatie", "leiden")
        .header("meldpunt-lookup-hash", hash)
        .body(Body::new(Trickle(Some(Bytes::from(first)))))
        .unwrap()
}

#[tokio::test]
async fn bodies_in_memory_stay_within_the_budget() {
    let t = TestApp::with(Options {
        max_submission_bytes: Some(10_000),
        limits: "upload_memory_bytes = 10000".into(),
        ..Options::default()
    });
    let router = t.router();
    let slow = tokio::spawn(router.clone().oneshot(trickling_melding(6000)));
    wait_for("the slow upload's 6000 bytes in memory", || {
        t.state.upload_memory.used() >= 6000
    })
    .await;
    assert_eq!(t.state.upload_memory.used(), 6000);
    let resp = router
        .clone()
        .oneshot(trickling_melding(6000))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    // A small real melding still fits.
    let (_, status, v) = t.submit("Past nog.").await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    slow.abort();
    let _ = slow.await;
    wait_for("the abandoned upload's memory given back", || {
        t.state.upload_memory.used() == 0
    })
    .await;
    assert_eq!(
        t.state.upload_memory.used(),
        0,
        "an abandoned upload gives its memory back"
    );
    assert_eq!(t.counts().await.items, 1);
}

#[tokio::test]
async fn a_stalled_upload_is_stopped_after_one_window_and_nothing_is_stored() {
    let t = TestApp::with(Options {
        limits: "body_rate_window_seconds = 1\nmin_body_bytes_per_window = 1000".into(),
        ..Options::default()
    });
    let resp = t.router().oneshot(trickling_melding(100)).await.unwrap();
    let status = resp.status();
    assert_eq!(resp.headers()["connection"], "close");
    let v: serde_json::Value = serde_json::from_slice(&body_bytes(resp).await).unwrap();
    assert_error(&(status, v), StatusCode::REQUEST_TIMEOUT, "timeout");
    assert_eq!(t.counts().await.items, 0);
    assert_eq!(t.state.upload_memory.used(), 0);
    assert!(t.state.uploads.is_empty(), "the slot is given back");
}

#[tokio::test]
async fn requests_without_a_body_are_shed_beyond_their_limit_and_slow_bodies_take_none_of_it() {
    let t = TestApp::with(Options {
        limits: "max_concurrent_requests = 2".into(),
        ..Options::default()
    });
    let router = t.router();
    let config = || Request::get("/api/v1/config").body(Body::empty()).unwrap();
    // Slow uploads hold upload slots, not the slots of requests without a body.
    let slow: Vec<_> = (0..4)
        .map(|_| tokio::spawn(router.clone().oneshot(trickling_melding(100))))
        .collect();
    wait_for("four uploads in their pool", || t.state.uploads.len() == 4).await;
    for _ in 0..5 {
        let resp = router.clone().oneshot(config()).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }
    // With both slots taken, the next request is shed at once.
    let held = t
        .state
        .requests
        .clone()
        .acquire_many_owned(2)
        .await
        .unwrap();
    let resp = router.clone().oneshot(config()).await.unwrap();
    let status = resp.status();
    let v: serde_json::Value = serde_json::from_slice(&body_bytes(resp).await).unwrap();
    assert_error(&(status, v), StatusCode::SERVICE_UNAVAILABLE, "busy");
    drop(held);
    for h in slow {
        h.abort();
        let _ = h.await;
    }
    let resp = router.oneshot(config()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}
