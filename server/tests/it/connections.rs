//! Connections cannot be hoarded: header-read and idle timeouts, the cap on open
//! connections, the minimum body rate and the pools where the slowest sender gives
//! way, and hyper's own refusals. Real sockets on loopback against the server's
//! own connection handling (`conn::Server`), in process.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use meldpunt_envelope::token::ReplyToken;
use meldpunt_server::conn::{ConnHandle, ConnLimits, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;

use crate::common::*;
use crate::limits::Trickle;
use crate::running::parse_reply;

/// The app of `t` served on a loopback port, until the test ends.
struct Served {
    addr: SocketAddr,
    handle: ConnHandle,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn serve(t: &TestApp) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = Server::new(
        listener,
        t.router(),
        ConnLimits::from_limits(&t.state.config.limits),
    );
    let handle = server.handle();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async move {
        let _ = rx.await;
    }));
    Served {
        addr,
        handle,
        _stop: tx,
    }
}

/// Reads until the server closes the connection; what it sent.
async fn read_to_close(s: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(DEADLINE, s.read(&mut buf)).await {
            Err(_) => panic!("the server did not close the connection"),
            Ok(Ok(0)) | Ok(Err(_)) => return out,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}

/// One request on a new connection that asks to be closed after it.
async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let raw = read_to_close(&mut s).await;
    let r = parse_reply(&raw).unwrap_or_else(|| panic!("no response: {raw:?}"));
    (r.status, r.head)
}

fn submission_head(len: usize) -> String {
    let hash = hex::encode(ReplyToken::generate().unwrap().derive().lookup_key.hash());
    format!(
        "POST /api/v1/meldingen HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nMeldpunt-Organisatie: leiden\r\nMeldpunt-Lookup-Hash: {hash}\r\nContent-Length: {len}\r\n\r\n"
    )
}

/// A connection that sends a submission's head and the first bytes of its body.
async fn start_upload(addr: SocketAddr, len: usize) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(submission_head(len).as_bytes()).await.unwrap();
    s.write_all(b"age-encryption.org/v1\n").await.unwrap();
    s
}

/// A melding with `text`, sealed for `t` and posted over its own connection to `addr`.
async fn submit(t: &TestApp, addr: SocketAddr, text: &str) -> crate::running::Reply {
    let keys = ReplyToken::generate().unwrap().derive();
    let body = seal_melding(&t.identity, &keys, text);
    let hash = hex::encode(keys.lookup_key.hash());
    tokio::task::spawn_blocking(move || {
        crate::running::request(
            &addr.to_string(),
            "POST",
            "/api/v1/meldingen",
            &[
                ("Content-Type", "application/octet-stream"),
                ("Meldpunt-Organisatie", "leiden"),
                ("Meldpunt-Lookup-Hash", &hash),
            ],
            &body,
        )
    })
    .await
    .unwrap()
    .unwrap()
}

#[tokio::test]
async fn silent_and_slow_header_connections_are_closed_without_an_answer() {
    let t = TestApp::with(Options {
        limits: "keep_alive_timeout_seconds = 1\nheader_read_timeout_seconds = 2".into(),
        ..Options::default()
    });
    let srv = serve(&t).await;

    // Silent from the start.
    let mut silent = TcpStream::connect(srv.addr).await.unwrap();
    // A head that never ends, one byte at a time: the bytes keep coming, the
    // head-read timeout ends it anyway.
    let mut slow = TcpStream::connect(srv.addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let dripping = tokio::spawn(async move {
        for _ in 0..(DEADLINE.as_millis() / 100) {
            if slow.write_all(b"a").await.is_err() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    });
    assert!(read_to_close(&mut silent).await.is_empty());
    assert!(dripping.await.unwrap(), "the slow head was cut off");

    // Kept alive after a response, then silent.
    let mut kept = TcpStream::connect(srv.addr).await.unwrap();
    for _ in 0..2 {
        kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 1024];
        let n = kept.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200 OK\r\n"));
        assert!(buf[..n].ends_with(b"\r\n\r\nok"));
    }
    assert!(read_to_close(&mut kept).await.is_empty());
    wait_for("every connection gone", || srv.handle.stats().open == 0).await;
}

#[tokio::test]
async fn at_the_cap_the_longest_idle_connection_makes_room() {
    let t = TestApp::with(Options {
        limits: "max_connections = 16\nkeep_alive_timeout_seconds = 300\nheader_read_timeout_seconds = 300".into(),
        ..Options::default()
    });
    let srv = serve(&t).await;
    let mut old = Vec::new();
    for _ in 0..16 {
        old.push(TcpStream::connect(srv.addr).await.unwrap());
    }
    wait_for("16 open connections", || srv.handle.stats().open == 16).await;
    // A slow head counts as idle too.
    for s in &mut old[8..] {
        s.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
    }
    let mut newer = Vec::new();
    for _ in 0..16 {
        newer.push(TcpStream::connect(srv.addr).await.unwrap());
    }
    // A real request still gets through, on yet another connection.
    let (status, head) = get(srv.addr, "/healthz").await;
    assert_eq!(status, 200, "{head}");
    for s in &mut old {
        assert!(
            read_to_close(s).await.is_empty(),
            "the oldest were closed without an answer"
        );
    }
    let stats = srv.handle.stats();
    assert!(stats.open <= 16, "{stats:?}");
    assert!(stats.evicted >= 17, "{stats:?}");
    assert_eq!(stats.refused, 0);
}

#[tokio::test]
async fn when_every_connection_is_busy_a_new_one_is_closed_and_accepting_goes_on() {
    let t = TestApp::with(Options {
        limits: "max_connections = 16\nmax_concurrent_uploads = 16\nbody_rate_window_seconds = 600\nmin_body_bytes_per_window = 1".into(),
        ..Options::default()
    });
    let srv = serve(&t).await;
    let mut uploads = Vec::new();
    for _ in 0..16 {
        uploads.push(start_upload(srv.addr, 10_000).await);
    }
    wait_for("16 uploads in progress", || t.state.uploads.len() == 16).await;
    let mut extra = TcpStream::connect(srv.addr).await.unwrap();
    let _ = extra
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    assert!(read_to_close(&mut extra).await.is_empty());
    assert!(srv.handle.stats().refused >= 1);
    // Once the uploads are gone, connections are served again.
    drop(uploads);
    wait_for("the uploads' slots given back", || {
        t.state.uploads.is_empty()
    })
    .await;
    let (status, _) = get(srv.addr, "/healthz").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_slow_upload_gives_its_slot_to_a_new_one_when_the_pool_is_full() {
    let t = TestApp::with(Options {
        limits: "max_concurrent_uploads = 2\nbody_rate_window_seconds = 1\nmin_body_bytes_per_window = 10".into(),
        ..Options::default()
    });
    let srv = serve(&t).await;
    // Two uploads that keep just above the minimum rate, for ever.
    let mut slow = Vec::new();
    for _ in 0..2 {
        let s = start_upload(srv.addr, 1_000_000).await;
        let (mut rd, mut wr) = s.into_split();
        tokio::spawn(async move {
            while wr.write_all(&[b'x'; 20]).await.is_ok() {
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
        });
        slow.push(tokio::spawn(async move {
            let mut out = Vec::new();
            let _ = rd.read_to_end(&mut out).await;
            out
        }));
    }
    wait_for("two uploads in the pool", || t.state.uploads.len() == 2).await;
    // A real submission takes the slower one's slot (waiting, if need be, until
    // both have shown their rate).
    let r = submit(&t, srv.addr, "Ik kom er toch door.").await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    // One of the slow ones was stopped with 408.
    let mut stopped = 0;
    for h in slow {
        if let Ok(Ok(raw)) = tokio::time::timeout(Duration::from_secs(2), h).await {
            let r = parse_reply(&raw).expect("a response");
            assert_eq!(r.status, 408);
            assert!(r.head.contains("content-security-policy"), "{}", r.head);
            stopped += 1;
        }
    }
    assert_eq!(stopped, 1);
    assert_eq!(t.counts().await.items, 1);
}

#[tokio::test]
async fn sixteen_trickling_uploads_do_not_keep_a_submission_out() {
    // As in issue 14, against the default limits: 16 uploads that send a byte
    // every 20 s hold every upload slot.
    let t = TestApp::new();
    let srv = serve(&t).await;
    let mut slow = Vec::new();
    for _ in 0..16 {
        slow.push(start_upload(srv.addr, 1_000_000).await);
    }
    wait_for("the upload pool full", || t.state.uploads.len() == 16).await;
    let r = submit(&t, srv.addr, "Zestien trage uploads houden mij niet tegen.").await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    // The one that gave way got 408.
    let mut answered = 0;
    for s in &mut slow {
        let mut buf = [0u8; 16];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(200), s.read(&mut buf)).await
            && n > 0
        {
            assert!(buf.starts_with(b"HTTP/1.1 408"));
            answered += 1;
        }
    }
    assert_eq!(answered, 1);
    assert_eq!(t.counts().await.items, 1);
}

#[tokio::test]
async fn a_client_that_does_not_read_its_answer_loses_the_connection() {
    let t = TestApp::with(Options {
        limits: "send_timeout_seconds = 1".into(),
        ..Options::default()
    });
    let big = vec![b'x'; 32 << 20];
    std::fs::write(t.dir.path().join("www/big.bin"), &big).unwrap();
    let srv = serve(&t).await;
    let mut s = TcpStream::connect(srv.addr).await.unwrap();
    s.write_all(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    wait_for("the request in progress", || srv.handle.stats().open == 1).await;
    // Not reading: the server gives up on it and closes the connection.
    wait_for("the connection closed", || srv.handle.stats().open == 0).await;
    let out = read_to_close(&mut s).await;
    assert!(out.len() < big.len(), "the answer was cut off");
}

#[tokio::test]
async fn slow_lookup_bodies_leave_health_config_and_page_answering() {
    // As in issue 14: 520 slow look-up bodies, against the default limits.
    let t = TestApp::new();
    let srv = serve(&t).await;
    let mut slow = Vec::new();
    for _ in 0..520 {
        let mut s = TcpStream::connect(srv.addr).await.unwrap();
        s.write_all(
            b"POST /api/v1/reacties HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 90\r\n\r\n{\"lookup_key\": \"",
        )
        .await
        .unwrap();
        slow.push(s);
    }
    let pool = t.state.config.limits.max_concurrent_lookups;
    wait_for("the look-up pool full", || t.state.lookups.len() == pool).await;
    for _ in 0..3 {
        for path in ["/healthz", "/api/v1/config", "/", "/zonder-js"] {
            let (status, head) = get(srv.addr, path).await;
            assert_eq!(status, 200, "{path}: {head}");
        }
    }
    // A real look-up still gets an answer, not 503: it takes the place of the
    // slowest (waiting, if need be, until the others have shown their rate).
    let key = ReplyToken::generate().unwrap().derive().lookup_key.to_hex();
    let body = serde_json::json!({ "lookup_key": *key }).to_string();
    let addr = srv.addr.to_string();
    let r = tokio::task::spawn_blocking(move || {
        crate::running::request(
            &addr,
            "POST",
            "/api/v1/reacties",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(r.status, 404, "unknown token, answered");
}

#[tokio::test]
async fn the_no_javascript_form_and_the_lookup_are_under_the_minimum_rate_too() {
    let t = TestApp::with(Options {
        limits: "body_rate_window_seconds = 1\nmin_body_bytes_per_window = 1000".into(),
        ..Options::default()
    });
    for (path, ct) in [
        (
            "/zonder-js/melding?lang=nl",
            "application/x-www-form-urlencoded",
        ),
        ("/zonder-js/reactie", "application/x-www-form-urlencoded"),
        ("/api/v1/reacties", "application/json"),
        ("/api/v1/staff/bevestiging", "application/json"),
    ] {
        let req = Request::post(path)
            .header("content-type", ct)
            .header("authorization", format!("Bearer {STAFF_TOKEN}"))
            .body(Body::new(Trickle(Some(Bytes::from_static(b"soort=")))))
            .unwrap();
        let resp = t.router().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::REQUEST_TIMEOUT, "{path}");
        let body = String::from_utf8(body_bytes(resp).await).unwrap();
        if path.starts_with("/zonder-js") {
            assert!(body.contains("te langzaam"), "{path}: {body}");
        } else {
            assert!(body.contains("\"timeout\""), "{path}: {body}");
        }
    }
    assert!(t.state.uploads.is_empty() && t.state.lookups.is_empty());
    assert_eq!(t.counts().await.items, 0);
}

#[tokio::test]
async fn hyper_refusals_carry_the_security_headers_and_nothing_is_a_5xx() {
    let t = TestApp::new();
    let srv = serve(&t).await;
    let long_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(100 << 10)
    );
    let long_uri = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70 << 10));
    let segment = format!(
        "GET /{}/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "b".repeat(300)
    );
    let cases: Vec<(&str, String, u16)> = vec![
        ("header too large", long_header, 431),
        ("uri too long", long_uri, 431),
        (
            "bad method",
            "G@T / HTTP/1.1\r\nHost: x\r\n\r\n".into(),
            400,
        ),
        (
            "HTTP/2.0 version",
            "GET / HTTP/2.0\r\nHost: x\r\n\r\n".into(),
            400,
        ),
        (
            "bad header",
            "GET / HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n".into(),
            400,
        ),
        (
            "bad content-length",
            "POST /api/v1/reacties HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n".into(),
            400,
        ),
        ("long path segment", segment, 0),
    ];
    for (name, raw, want) in cases {
        let mut s = TcpStream::connect(srv.addr).await.unwrap();
        let _ = s.write_all(raw.as_bytes()).await;
        let out = read_to_close(&mut s).await;
        let r = parse_reply(&out).unwrap_or_else(|| panic!("{name}: {out:?}"));
        if want != 0 {
            assert_eq!(r.status, want, "{name}: {}", r.head);
        }
        assert!(r.status < 500, "{name}: {}", r.head);
        for h in [
            "content-security-policy: default-src 'none'",
            "x-content-type-options: nosniff",
            "x-frame-options: deny",
            "referrer-policy: no-referrer",
        ] {
            assert!(r.head.contains(h), "{name}: {h} missing in {}", r.head);
        }
    }
}

#[test]
fn connection_and_body_limits_are_checked_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = crate::running::write_config(dir.path(), "");
    let base = std::fs::read_to_string(&path).unwrap();
    let parse = |limits: &str| {
        meldpunt_server::Config::parse(&format!("{base}\n[limits]\n{limits}\n"), &path, dir.path())
    };
    let d = parse("").unwrap().limits;
    assert_eq!(d.max_connections, 1024);
    assert_eq!(d.header_read_timeout, Duration::from_secs(10));
    assert_eq!(d.keep_alive_timeout, Duration::from_secs(5));
    assert_eq!(d.body_rate_window, Duration::from_secs(10));
    assert_eq!(d.min_body_bytes_per_window, 8192);
    assert_eq!(d.max_concurrent_lookups, 64);
    assert_eq!(d.send_timeout, Duration::from_secs(30));
    let cases = [
        ("max_connections = 4", "limits.max_connections", "16 to"),
        (
            "header_read_timeout_seconds = 0",
            "limits.header_read_timeout_seconds",
            "1 to 300",
        ),
        (
            "header_read_timeout_seconds = 4\nkeep_alive_timeout_seconds = 8",
            "limits.keep_alive_timeout_seconds",
            "at most header_read_timeout_seconds (4)",
        ),
        (
            "body_rate_window_seconds = 0",
            "limits.body_rate_window_seconds",
            "1 to 600",
        ),
        (
            "min_body_bytes_per_window = 0",
            "limits.min_body_bytes_per_window",
            "choose 1 to",
        ),
        (
            "max_concurrent_lookups = 0",
            "limits.max_concurrent_lookups",
            "1 to",
        ),
        (
            "upload_timeout_seconds = 900",
            "limits.upload_timeout_seconds",
            "minimum rate",
        ),
    ];
    for (limits, field, words) in cases {
        let e = parse(limits).unwrap_err();
        assert_eq!(e.field(), Some(field), "{limits}: {e}");
        assert!(e.to_string().contains(words), "{limits}: {e}");
    }
    // A shorter head timeout takes the idle timeout's default down with it.
    let l = parse("header_read_timeout_seconds = 3").unwrap().limits;
    assert_eq!(l.keep_alive_timeout, Duration::from_secs(3));
}
