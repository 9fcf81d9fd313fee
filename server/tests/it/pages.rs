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
