//! Security headers on pages, API answers and errors alike.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};

use crate::common::*;

const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

#[track_caller]
fn assert_security_headers(h: &HeaderMap, what: &str) {
    assert_eq!(h["content-security-policy"], CSP, "{what}");
    assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["cross-origin-opener-policy"], "same-origin", "{what}");
    assert_eq!(h["cross-origin-resource-policy"], "same-origin", "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
    assert!(!h.contains_key("server"), "{what}");
    assert!(!h.contains_key("set-cookie"), "{what}");
    for name in [
        "content-security-policy",
        "x-frame-options",
        "cache-control",
    ] {
        assert_eq!(h.get_all(name).iter().count(), 1, "{what}: one {name}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let t = TestApp::new();
    let cases: Vec<(&str, Request<Body>, StatusCode, &str)> = vec![
        (
            "page",
            Request::get("/").body(Body::empty()).unwrap(),
            StatusCode::OK,
            "no-cache",
        ),
        (
            "wasm",
            Request::get("/pkg/meldpunt_client_bg.wasm")
                .body(Body::empty())
                .unwrap(),
            StatusCode::OK,
            "no-cache",
        ),
        (
            "missing file",
            Request::get("/missing.js").body(Body::empty()).unwrap(),
            StatusCode::NOT_FOUND,
            "no-cache",
        ),
        (
            "config",
            Request::get("/api/v1/config").body(Body::empty()).unwrap(),
            StatusCode::OK,
            "no-store",
        ),
        (
            "healthz",
            Request::get("/healthz").body(Body::empty()).unwrap(),
            StatusCode::OK,
            "no-store",
        ),
        (
            "api 404",
            Request::get("/api/v1/nothing").body(Body::empty()).unwrap(),
            StatusCode::NOT_FOUND,
            "no-store",
        ),
        (
            "api 401",
            export_request(Some("wrong")),
            StatusCode::UNAUTHORIZED,
            "no-store",
        ),
        (
            "api 400",
            melding_request("leiden", "00", b"x".to_vec()),
            StatusCode::BAD_REQUEST,
            "no-store",
        ),
        (
            "no-JavaScript form",
            Request::get("/zonder-js").body(Body::empty()).unwrap(),
            StatusCode::OK,
            "no-store",
        ),
        (
            "no-JavaScript error page",
            form_request("/zonder-js/reactie", &[("token", "x")]),
            StatusCode::BAD_REQUEST,
            "no-store",
        ),
        (
            "staff page",
            Request::get("/staff").body(Body::empty()).unwrap(),
            StatusCode::OK,
            "no-store",
        ),
        (
            "stylesheet",
            Request::get("/assets/plain.css")
                .body(Body::empty())
                .unwrap(),
            StatusCode::OK,
            "no-cache",
        ),
        (
            "api 200 export",
            export_request(Some(STAFF_TOKEN)),
            StatusCode::OK,
            "no-store",
        ),
    ];
    for (what, req, status, cache) in cases {
        let resp = t.send(req).await;
        assert_eq!(resp.status(), status, "{what}");
        assert_security_headers(resp.headers(), what);
        assert_eq!(resp.headers()["cache-control"], cache, "{what}");
    }
}
