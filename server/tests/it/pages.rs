//! The staff page: plain HTML plus one static script, under the same CSP.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::common::*;

#[tokio::test]
async fn the_staff_page_and_its_script_are_served_without_inline_code() {
    let t = TestApp::new();
    let resp = t
        .send(Request::get("/staff").body(Body::empty()).unwrap())
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    assert!(
        resp.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self' 'wasm-unsafe-eval'")
    );
    let page = String::from_utf8(body_bytes(resp).await).unwrap();
    assert!(page.contains("<html lang=\"nl\">"));
    assert!(page.contains("<script type=\"module\" src=\"/assets/staff.js\"></script>"));
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the external script"
    );
    assert!(!page.contains("style="));
    for id in [
        "token",
        "export",
        "replies-file",
        "upload-replies",
        "confirm-file",
        "upload-confirm",
        "result",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(page.contains("Inbox downloaden") && page.contains("Importbevestiging"));
    let (_, en) = send_text(
        &t,
        Request::get("/staff?lang=en").body(Body::empty()).unwrap(),
    )
    .await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Download inbox"));

    let resp = t
        .send(
            Request::get("/assets/staff.js")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let js = String::from_utf8(body_bytes(resp).await).unwrap();
    // The script uses exactly the staff API routes and ids the page has.
    for needle in [
        "/api/v1/staff/export",
        "/api/v1/staff/reacties",
        "/api/v1/staff/bevestiging",
        "Authorization: `Bearer ${t}`",
        "'upload-confirm'",
    ] {
        assert!(js.contains(needle), "{needle}");
    }
    assert!(
        !js.contains("localStorage") && !js.contains("sessionStorage"),
        "the token is never stored"
    );
}

/// The page's build writes `.br` and `.gz` siblings; they are served to clients
/// that accept them, with the original file's type.
#[tokio::test]
async fn precompressed_siblings_are_served_with_their_encoding_and_the_original_type() {
    let t = TestApp::new();
    let pkg = t.dir.path().join("www/pkg");
    let plain = b"\0asm\x01\0\0\0".to_vec();
    std::fs::write(pkg.join("meldpunt_client_bg.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(pkg.join("meldpunt_client_bg.wasm.gz"), b"gzip bytes").unwrap();
    let get = |accept: Option<&str>| {
        let mut r = Request::get("/pkg/meldpunt_client_bg.wasm");
        if let Some(a) = accept {
            r = r.header("Accept-Encoding", a);
        }
        r.body(Body::empty()).unwrap()
    };
    for (accept, encoding, body) in [
        (Some("gzip, deflate, br"), Some("br"), &b"brotli bytes"[..]),
        (Some("gzip"), Some("gzip"), &b"gzip bytes"[..]),
        (None, None, &plain[..]),
        (Some("identity"), None, &plain[..]),
    ] {
        let resp = t.send(get(accept)).await;
        assert_eq!(resp.status(), StatusCode::OK, "{accept:?}");
        let h = resp.headers();
        assert_eq!(h["content-type"], "application/wasm", "{accept:?}");
        assert_eq!(
            h.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "{accept:?}"
        );
        assert_eq!(body_bytes(resp).await, body, "{accept:?}");
    }

    // A file without siblings is served as it is, whatever the client accepts.
    let resp = t
        .send(
            Request::get("/app.js")
                .header("Accept-Encoding", "br, gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().get("content-encoding").is_none());
    assert_eq!(body_bytes(resp).await, &b"export {};"[..]);
}
