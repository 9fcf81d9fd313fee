//! Path segments of any length get a clear 4xx, never a 5xx: on the API's catch-all,
//! on every route, and on the static page (where a segment longer than a file name
//! may be once made the file system refuse the lookup).

use axum::body::Body;
use axum::http::Request;

use crate::common::*;

/// Every route, and the places under which a path parameter or a file name goes.
const PREFIXES: &[&str] = &[
    "/",
    "/pkg/",
    "/assets/",
    "/api/",
    "/api/v1/",
    "/api/v1/staff/",
    "/api/v1/meldingen/",
    "/api/v1/vervolg/",
    "/api/v1/reacties/",
    "/api/v1/config/",
    "/api/v1/staff/export/",
    "/api/v1/staff/bevestiging/",
    "/api/v1/staff/reacties/",
    "/zonder-js/",
    "/zonder-js/melding/",
    "/staff/",
    "/healthz/",
];

#[tokio::test]
async fn long_path_segments_get_a_4xx_on_every_route() {
    let t = TestApp::new();
    for prefix in PREFIXES {
        for len in [255usize, 256, 300, 4096] {
            for segment in [
                "a".repeat(len),
                "%61".repeat(len),
                format!("{}.js", "b".repeat(len)),
            ] {
                for method in ["GET", "POST", "HEAD"] {
                    let uri = format!("{prefix}{segment}");
                    let resp = t
                        .send(
                            Request::builder()
                                .method(method)
                                .uri(&uri)
                                .body(Body::empty())
                                .unwrap(),
                        )
                        .await;
                    let status = resp.status();
                    assert!(
                        status.is_client_error(),
                        "{method} {prefix}<{} bytes>: {status}",
                        segment.len()
                    );
                }
            }
        }
    }
    // Deeper paths, a file used as a folder, and names just under the guard's limit
    // looked up with their precompressed siblings, the same.
    for uri in [
        format!("/{}/{}", "a".repeat(256), "b".repeat(256)),
        format!("/pkg/{}/x.wasm", "c".repeat(1000)),
        "/x/".repeat(500),
        "/index.html/x".to_string(),
        "/app.js/x/y".to_string(),
        format!(
            "/{}",
            "d".repeat(meldpunt_server::static_files::MAX_SEGMENT)
        ),
        format!(
            "/pkg/{}",
            "e".repeat(meldpunt_server::static_files::MAX_SEGMENT)
        ),
    ] {
        let resp = t
            .send(
                Request::get(&uri)
                    .header("accept-encoding", "br, gzip")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(resp.status().is_client_error(), "{uri}: {}", resp.status());
    }
}
