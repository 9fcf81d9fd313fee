//! Logs that do not time reporters: the reporter's requests are counted per
//! period, never logged one by one; staff requests are; and no log line, even at
//! `RUST_LOG=trace`, holds a client's address or port.

use std::io::{Read, Write};
use std::net::TcpStream;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use meldpunt_envelope::token::ReplyToken;

use crate::common::*;
use crate::running::*;

#[tokio::test]
async fn reporter_requests_are_counted_and_staff_requests_logged() {
    let t = TestApp::new();
    let (_, status, _) = t.submit("Geteld, niet gelogd.").await;
    assert_eq!(status, StatusCode::CREATED);
    let unknown = ReplyToken::generate().unwrap().derive();
    let (status, _) = t
        .send_json(reacties_request(&unknown.lookup_key.to_hex()))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for path in ["/api/v1/config", "/healthz", "/", "/zonder-js"] {
        let resp = t
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
    }
    assert_eq!(
        t.send(export_request(Some(STAFF_TOKEN))).await.status(),
        StatusCode::OK
    );

    assert_eq!(
        t.state.request_counts.take().as_deref(),
        Some("submissions 2xx=1; lookups 4xx=1; page 2xx=2; config 2xx=1; health 2xx=1")
    );
    let logs = logs();
    assert!(
        logs.lines()
            .any(|l| l.contains("route=\"/api/v1/staff/export\"") && l.contains("status=200")),
        "a staff request has its line:\n{logs}"
    );
    // No test of this binary leaves a line for a reporter's request that went well.
    for route in [
        "/api/v1/meldingen",
        "/api/v1/vervolg",
        "/api/v1/reacties",
        "/api/v1/config",
        "/healthz",
        "/zonder-js",
        "/zonder-js/melding",
        "/zonder-js/reactie",
        "(static)",
    ] {
        let needle = format!("route=\"{route}\"");
        for line in logs.lines().filter(|l| l.contains(&needle)) {
            assert!(line.contains("status=5"), "a line per request: {line}");
        }
    }
}

/// The local port of a connection, as the server saw it.
fn port_of(s: &TcpStream) -> u16 {
    s.local_addr().unwrap().port()
}

fn contains_word(hay: &str, word: &str) -> bool {
    hay.match_indices(word).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[test]
fn trace_logging_of_the_real_server_holds_no_client_address_or_port() {
    let dir = tempfile::tempdir().unwrap();
    let (config, _) = write_config(dir.path(), "");
    let server = Running::start(&config, &[("RUST_LOG", "trace")]);
    let ua = "TraceCanary/1.0 unique-ua-3f9d";
    let forwarded = "192.0.2.77";
    let mut ports = Vec::new();

    // Several requests on one kept-alive connection.
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    ports.push(port_of(&s));
    let key = ReplyToken::generate().unwrap().derive().lookup_key.to_hex();
    let json = format!("{{\"lookup_key\":\"{}\"}}", *key);
    for (i, req) in [
        format!("GET /healthz HTTP/1.1\r\nHost: x\r\nUser-Agent: {ua}\r\nX-Forwarded-For: {forwarded}\r\n\r\n"),
        format!(
            "POST /api/v1/reacties HTTP/1.1\r\nHost: x\r\nUser-Agent: {ua}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
            json.len()
        ),
    ]
    .iter()
    .enumerate()
    {
        s.write_all(req.as_bytes()).unwrap();
        if i == 0 {
            let mut buf = [0u8; 1024];
            let n = s.read(&mut buf).unwrap();
            assert!(buf[..n].starts_with(b"HTTP/1.1 200 OK"));
        }
    }
    let mut rest = Vec::new();
    s.read_to_end(&mut rest).unwrap();
    assert!(rest.starts_with(b"HTTP/1.1 404"));
    // A refusal by hyper itself, and a staff request.
    let mut bad = TcpStream::connect(&server.addr).unwrap();
    ports.push(port_of(&bad));
    bad.write_all(b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut out = Vec::new();
    let _ = bad.read_to_end(&mut out);
    assert!(out.starts_with(b"HTTP/1.1 400"));
    let export = request(
        &server.addr,
        "GET",
        "/api/v1/staff/export",
        &[("Authorization", &format!("Bearer {STAFF_TOKEN}"))],
        b"",
    )
    .unwrap();
    assert_eq!(export.status, 200);

    let (ok, stderr) = server.stop();
    assert!(ok, "{stderr}");
    let traced = stderr
        .lines()
        .filter(|l| l.contains("TRACE") && l.contains("connection accepted"))
        .count();
    assert!(
        traced >= 3,
        "trace is on: {traced} connections traced\n{stderr}"
    );
    assert!(!stderr.contains("127.0.0.1"), "an address in the log");
    assert!(
        !stderr.contains(forwarded),
        "a forwarded address in the log"
    );
    assert!(!stderr.contains(ua), "the user agent in the log");
    for p in ports {
        assert!(
            !contains_word(&stderr, &p.to_string()),
            "the client port {p} in the log"
        );
    }
    assert!(
        stderr.lines().any(|l| l.contains("reporter requests:")
            && l.contains("health 2xx=1")
            && l.contains("lookups 4xx=1")),
        "the counts at shutdown:\n{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("route=\"/api/v1/staff/export\"")),
        "the staff request's line"
    );
    assert!(!stderr.contains("route=\"/healthz\""));
}
