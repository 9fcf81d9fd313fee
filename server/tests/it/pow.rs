//! The adaptive proof of work (server/src/pow.rs): proofs bound to a seed and to
//! the request, the effort level that rises under load and falls after, priority
//! for more effort, bogus proofs, and the budgets that do not depend on work
//! (failed staff tokens, the no-JavaScript form).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use meldpunt_envelope::pow::{self, Proof};
use meldpunt_envelope::token::ReplyToken;
use sha2::{Digest, Sha256};
use tower::ServiceExt;

use crate::common::*;

fn app(pow: &str, limits: &str) -> TestApp {
    TestApp::with(Options {
        pow: Some(pow.into()),
        limits: limits.into(),
        ..Options::default()
    })
}

fn seed(t: &TestApp) -> [u8; 32] {
    let mut s = [0u8; 32];
    hex::decode_to_slice(t.state.pow.published().seed, &mut s).unwrap();
    s
}

fn random_nonce() -> pow::Nonce {
    let mut n = [0u8; 16];
    meldpunt_envelope::random_bytes(&mut n).unwrap();
    n
}

/// A valid proof at `effort` for `binding` under the server's current seed.
fn solve(t: &TestApp, binding: &[u8; 32], effort: u32) -> String {
    let seed = seed(t);
    let c = pow::challenge(&seed, binding, effort);
    let nonce = pow::solve(&c, effort, &random_nonce());
    Proof {
        seed,
        effort,
        nonce,
    }
    .to_string()
}

/// A proof that claims `effort` but is no solution.
fn bogus(t: &TestApp, binding: &[u8; 32], effort: u32) -> String {
    let seed = seed(t);
    let c = pow::challenge(&seed, binding, effort);
    let mut h = pow::Hasher::new();
    let mut nonce = random_nonce();
    while h.check(&c, &nonce, effort) {
        pow::increment(&mut nonce);
    }
    Proof {
        seed,
        effort,
        nonce,
    }
    .to_string()
}

fn lookup_body(key_hex: &str) -> String {
    serde_json::json!({ "lookup_key": key_hex }).to_string()
}

/// A reply look-up for a fresh (unknown) token with `proof`.
fn lookup(proof: impl FnOnce(&[u8; 32]) -> String) -> Request<Body> {
    let key = ReplyToken::generate().unwrap().derive().lookup_key.to_hex();
    let body = lookup_body(&key);
    let p = proof(&pow::lookup_binding(body.as_bytes()));
    let mut r = json_request("/api/v1/reacties", &body);
    r.headers_mut().insert("meldpunt-pow", p.parse().unwrap());
    r
}

/// A melding for a fresh case, its proof bound to `declared` (the real SHA-256 of
/// the age file when `None`).
fn melding(
    t: &TestApp,
    declared: Option<[u8; 32]>,
    proof: impl FnOnce(&[u8; 32]) -> String,
) -> Request<Body> {
    let keys = ReplyToken::generate().unwrap().derive();
    let lh = keys.lookup_key.hash();
    let ct = seal_melding(&t.identity, &keys, "Met bewijs van werk.");
    let sha: [u8; 32] = declared.unwrap_or_else(|| Sha256::digest(&ct).into());
    let p = proof(&pow::submission_binding(&lh, &sha));
    let mut r = melding_request("leiden", &hex::encode(lh), ct);
    r.headers_mut().insert("meldpunt-pow", p.parse().unwrap());
    r.headers_mut()
        .insert("meldpunt-melding-sha256", hex::encode(sha).parse().unwrap());
    r
}

fn db_ops(t: &TestApp) -> (u64, u64) {
    let s = t.state.db.stats();
    (
        s.reads.load(Ordering::Relaxed),
        s.writes.load(Ordering::Relaxed),
    )
}

async fn level(t: &TestApp) -> serde_json::Value {
    let (status, v) = t
        .send_json(Request::get("/api/v1/pow").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    v
}

#[tokio::test]
async fn proof_of_work_is_on_by_default_and_published() {
    let c = meldpunt_server::config::PowSettings::default();
    assert!(c.enabled);
    let t = app("min_effort = 3", "");
    let v = level(&t).await;
    assert_eq!(v["algorithm"], "argon2id");
    assert_eq!(v["memory_kib"], pow::MEMORY_KIB);
    assert_eq!(v["submissions"]["effort"], 3);
    assert_eq!(v["lookups"]["effort"], 3);
    assert_eq!(v["seed"].as_str().unwrap().len(), 64);
    let (_, config) = t
        .send_json(Request::get("/api/v1/config").body(Body::empty()).unwrap())
        .await;
    assert_eq!(config["pow"]["seed"], v["seed"]);
    // Off, the config says so and the plain rates apply.
    let off = TestApp::new();
    let (_, config) = off
        .send_json(Request::get("/api/v1/config").body(Body::empty()).unwrap())
        .await;
    assert!(config["pow"].is_null());
}

#[tokio::test]
async fn only_a_fresh_solution_bound_to_the_request_is_accepted() {
    let t = app("min_effort = 2", "");
    let before = db_ops(&t);
    let seed_hex = hex::encode(seed(&t));
    let nonce = "00".repeat(16);
    let cases: Vec<(&str, Request<Body>, StatusCode, &str)> = vec![
        (
            "no proof",
            melding_request("leiden", &"11".repeat(32), b"age".to_vec()),
            StatusCode::BAD_REQUEST,
            "missing_header",
        ),
        (
            "not a proof",
            melding(&t, None, |_| "12345".into()),
            StatusCode::BAD_REQUEST,
            "invalid_header",
        ),
        (
            "effort 0",
            melding(&t, None, |_| format!("{seed_hex}:0:{nonce}")),
            StatusCode::BAD_REQUEST,
            "invalid_header",
        ),
        (
            "below the least effort",
            melding(&t, None, |b| solve(&t, b, 1)),
            StatusCode::TOO_MANY_REQUESTS,
            "more_work_needed",
        ),
        (
            "a seed the server never gave",
            melding(&t, None, |_| format!("{}:5:{nonce}", "ab".repeat(32))),
            StatusCode::TOO_MANY_REQUESTS,
            "more_work_needed",
        ),
        (
            "not a solution",
            melding(&t, None, |b| bogus(&t, b, 2)),
            StatusCode::BAD_REQUEST,
            "bad_proof_of_work",
        ),
        (
            "a solution at a lower effort than claimed",
            melding(&t, None, |b| {
                // Solved at 2, claimed at 1,000,000: the claim is in the challenge.
                solve(&t, b, 2).replacen(":2:", ":1000000:", 1)
            }),
            StatusCode::BAD_REQUEST,
            "bad_proof_of_work",
        ),
        (
            "without the header naming the melding's hash",
            {
                let mut r = melding(&t, None, |b| solve(&t, b, 2));
                r.headers_mut().remove("meldpunt-melding-sha256");
                r
            },
            StatusCode::BAD_REQUEST,
            "missing_header",
        ),
    ];
    t.refuses_all(cases).await;
    assert_eq!(
        db_ops(&t),
        before,
        "refused proofs never reach the database"
    );

    // Bound to another age file than the one sent: refused once the body is read.
    t.refuses(
        "bound to another melding",
        melding(&t, Some([9; 32]), |b| solve(&t, b, 2)),
        StatusCode::BAD_REQUEST,
        "bad_proof_of_work",
    )
    .await;
    assert_eq!(t.counts().await.items, 0);

    // A proof for one look-up does not admit another (one that happens to solve
    // the other's challenge too, as half of them do at effort 2, is skipped).
    let other = lookup_body(&"ab".repeat(32));
    let other_binding = pow::lookup_binding(other.as_bytes());
    let mut r = loop {
        let mut proof = String::new();
        let r = lookup(|b| {
            proof = solve(&t, b, 2);
            proof.clone()
        });
        let p: Proof = proof.parse().unwrap();
        if !pow::Hasher::new().check(&p.challenge(&other_binding), &p.nonce, 2) {
            break r;
        }
    };
    *r.body_mut() = Body::from(other);
    t.refuses(
        "a look-up with another body",
        r,
        StatusCode::BAD_REQUEST,
        "bad_proof_of_work",
    )
    .await;

    // The real thing, once: a melding is stored, a look-up is answered.
    let keys = ReplyToken::generate().unwrap().derive();
    let lh = keys.lookup_key.hash();
    let ct = seal_melding(&t.identity, &keys, "Echt.");
    let sha: [u8; 32] = Sha256::digest(&ct).into();
    let proof = solve(&t, &pow::submission_binding(&lh, &sha), 2);
    let req = || {
        let mut r = melding_request("leiden", &hex::encode(lh), ct.clone());
        r.headers_mut()
            .insert("meldpunt-pow", proof.parse().unwrap());
        r.headers_mut()
            .insert("meldpunt-melding-sha256", hex::encode(sha).parse().unwrap());
        r
    };
    let (status, v) = t.send_json(req()).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    // The same proof again is spent, and says which effort to solve at.
    let got = t.send_json(req()).await;
    assert_error(&got, StatusCode::TOO_MANY_REQUESTS, "more_work_needed");
    assert!(got.1["effort"].as_u64().unwrap() >= 2, "{}", got.1);

    let body = lookup_body(&keys.lookup_key.to_hex());
    let mut r = json_request("/api/v1/reacties", &body);
    let p = solve(&t, &pow::lookup_binding(body.as_bytes()), 2);
    r.headers_mut().insert("meldpunt-pow", p.parse().unwrap());
    let (status, v) = t.send_json(r).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["reacties"], serde_json::json!([]));

    // A follow-up binds to its case's lookup hash (from the lookup key it carries).
    let ct2 = seal_melding(&t.identity, &keys, "Aanvulling.");
    let sha2: [u8; 32] = Sha256::digest(&ct2).into();
    let p = solve(&t, &pow::submission_binding(&lh, &sha2), 2);
    let r = Request::post("/api/v1/vervolg")
        .header("content-type", "application/octet-stream")
        .header("meldpunt-lookup-key", keys.lookup_key.to_hex().as_str())
        .header("meldpunt-pow", p)
        .header("meldpunt-melding-sha256", hex::encode(sha2))
        .body(Body::from(ct2))
        .unwrap();
    let (status, v) = t.send_json(r).await;
    // Sealed as a melding, not a follow-up: the proof let it through to the
    // handler's own checks, which is all this test is about.
    assert!(
        status == StatusCode::CREATED || status.is_client_error(),
        "{status} {v}"
    );
    assert_ne!(v["error"], "bad_proof_of_work", "{v}");
    assert_ne!(v["error"], "more_work_needed", "{v}");
    assert_eq!(t.counts().await.cases, 1);
}

#[tokio::test]
async fn a_flood_of_bogus_proofs_spends_neither_the_quota_nor_the_database() {
    // One look-up per 10 s, a burst of one.
    let t = app("min_effort = 1", "lookups_per_minute = 6");
    let before = db_ops(&t);
    let router = t.router();
    let mut flood = Vec::new();
    for _ in 0..64 {
        // Claiming a huge effort costs the server one evaluation, like any other.
        let r = lookup(|b| bogus(&t, b, 1_000_000));
        flood.push(tokio::spawn(router.clone().oneshot(r)));
    }
    for h in flood {
        let resp = h.await.unwrap().unwrap();
        assert!(
            resp.status() == StatusCode::BAD_REQUEST
                || resp.status() == StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            resp.status()
        );
    }
    assert_eq!(db_ops(&t), before);
    assert_eq!(t.state.pow.lookups.waiting(), 0);
    // The one honest look-up goes through at once: the bucket is untouched.
    let (status, v) = t.send_json(lookup(|b| solve(&t, b, 1))).await;
    assert_error(&(status, v), StatusCode::NOT_FOUND, "unknown_token");
}

#[tokio::test]
async fn more_effort_is_served_first_and_the_least_is_refused_with_the_effort_to_use() {
    // One look-up per 2 s after a burst of five; two may wait.
    let t = app(
        "min_effort = 1\nqueue_len = 2\nmax_wait_seconds = 60",
        "lookups_per_minute = 30",
    );
    for _ in 0..5 {
        let got = t.send_json(lookup(|b| solve(&t, b, 1))).await;
        assert_error(&got, StatusCode::NOT_FOUND, "unknown_token");
    }
    let router = t.router();
    let order = Arc::new(AtomicUsize::new(0));
    let spawn = |effort: u32| {
        let r = lookup(|b| solve(&t, b, effort));
        let router = router.clone();
        let order = Arc::clone(&order);
        tokio::spawn(async move {
            let resp = router.oneshot(r).await.unwrap();
            (resp.status(), order.fetch_add(1, Ordering::SeqCst))
        })
    };
    let low = spawn(1);
    wait_for("one look-up waiting", || t.state.pow.lookups.waiting() == 1).await;
    let high = spawn(4);
    wait_for("two look-ups waiting", || {
        t.state.pow.lookups.waiting() == 2
    })
    .await;
    // The queue is full: a newcomer with more effort than the lowest takes its place.
    let middle = spawn(2);
    let (status, _) = low.await.unwrap();
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the lowest was outbid"
    );
    // One with no more effort than the lowest waiting is refused at once, with the
    // effort to solve at.
    let got = t.send_json(lookup(|b| solve(&t, b, 1))).await;
    assert_error(&got, StatusCode::TOO_MANY_REQUESTS, "more_work_needed");
    assert!(got.1["effort"].as_u64().unwrap() >= 2, "{}", got.1);
    let (s_high, first) = high.await.unwrap();
    let (s_middle, second) = middle.await.unwrap();
    assert_eq!(s_high, StatusCode::NOT_FOUND);
    assert_eq!(s_middle, StatusCode::NOT_FOUND);
    assert!(first < second, "the highest effort went first");
}

#[tokio::test]
async fn the_level_rises_under_load_and_falls_after() {
    // One look-up per 10 s, a burst of one, one may wait.
    let t = app(
        "min_effort = 1\nqueue_len = 1\nupdate_seconds = 1\nmax_wait_seconds = 3",
        "lookups_per_minute = 6",
    );
    assert_eq!(level(&t).await["lookups"]["effort"], 1);
    let router = t.router();
    let got = t.send_json(lookup(|b| solve(&t, b, 1))).await;
    assert_error(&got, StatusCode::NOT_FOUND, "unknown_token");
    let waiting = tokio::spawn(router.clone().oneshot(lookup(|b| solve(&t, b, 1))));
    wait_for("one look-up waiting", || t.state.pow.lookups.waiting() == 1).await;
    // A flood at the suggested effort: refused, and the suggestion rises.
    let got = t.send_json(lookup(|b| solve(&t, b, 1))).await;
    assert_error(&got, StatusCode::TOO_MANY_REQUESTS, "more_work_needed");
    let raised = level(&t).await["lookups"]["effort"].as_u64().unwrap();
    assert!(raised >= 2, "{raised}");
    assert_eq!(level(&t).await["submissions"]["effort"], 1, "per class");
    // The one waiting gives up after max_wait; then nobody waits and the level
    // falls back to the least effort.
    let resp = waiting.await.unwrap().unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    wait_for_async("the level to fall back", async || {
        level(&t).await["lookups"]["effort"] == 1
    })
    .await;
}

#[tokio::test]
async fn a_valid_staff_token_works_during_a_flood_of_bad_ones() {
    let t = app(
        "min_effort = 1",
        "staff_per_minute = 5\nstaff_failed_per_minute = 3",
    );
    for i in 0..40 {
        let token = if i % 2 == 0 { Some("guess") } else { None };
        let (status, _) = t.send_json(export_request(token)).await;
        let want = if i < 3 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(status, want, "attempt {i}");
    }
    for _ in 0..5 {
        assert_eq!(
            t.send(export_request(Some(STAFF_TOKEN))).await.status(),
            StatusCode::OK
        );
    }
    // The staff's own budget is a budget still.
    let got = t.send_json(export_request(Some(SECOND_STAFF_TOKEN))).await;
    assert_error(&got, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
}

#[tokio::test]
async fn the_no_javascript_form_has_a_budget_of_its_own() {
    let t = app(
        "min_effort = 1",
        "zonder_js_lookups_per_minute = 2\nlookups_per_minute = 6",
    );
    let form = || {
        form_request(
            "/zonder-js/reactie",
            &[("token", "0000-0000-0000-0000-0000-0000-0000-0000")],
        )
    };
    for _ in 0..2 {
        let (status, _) = send_text(&t, form()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, page) = send_text(&t, form()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("druk"), "{page}");
    // The API with work is not held up by the form's budget, nor the other way.
    let got = t.send_json(lookup(|b| solve(&t, b, 1))).await;
    assert_error(&got, StatusCode::NOT_FOUND, "unknown_token");
    let t = app(
        "min_effort = 1\nmax_wait_seconds = 1",
        "zonder_js_lookups_per_minute = 2\nlookups_per_minute = 6",
    );
    let got = t.send_json(lookup(|b| solve(&t, b, 1))).await;
    assert_error(&got, StatusCode::NOT_FOUND, "unknown_token");
    let got = t.send_json(lookup(|b| solve(&t, b, 1))).await;
    assert_error(&got, StatusCode::TOO_MANY_REQUESTS, "more_work_needed");
    let (status, _) = send_text(&t, form()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
