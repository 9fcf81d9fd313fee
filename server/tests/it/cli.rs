//! The binary: `check-config` messages and a real `serve` over TCP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use meldpunt_envelope::keys::SigningSecretKey;
use meldpunt_server::Config;

use crate::common::*;

const BIN: &str = env!("CARGO_BIN_EXE_meldpunt-server");

fn write_config(
    dir: &Path,
    listen: &str,
    edit: impl FnOnce(String) -> String,
) -> std::path::PathBuf {
    write_web_root(dir);
    let identity = age::x25519::Identity::generate();
    let signing = SigningSecretKey::generate().unwrap();
    let text = edit(config_text(
        &identity.to_public().to_string(),
        &signing,
        listen,
        None,
    ));
    let path = dir.join("meldpunt-server.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn check_config(path: &Path) -> (bool, String, String) {
    let out = Command::new(BIN)
        .arg("check-config")
        .arg("--config")
        .arg(path)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn check_config_summarises_a_good_config() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "127.0.0.1:8080", |s| s);
    let (ok, stdout, stderr) = check_config(&path);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("the config is valid"), "{stdout}");
    assert!(
        stdout.contains("leiden (Gemeente Leiden): 1 recipient"),
        "{stdout}"
    );
    assert!(stdout.contains("staff tokens:         2"), "{stdout}");
}

/// A change that breaks a good config.
type Edit = Box<dyn FnOnce(String) -> String>;

#[test]
fn check_config_names_what_to_fix() {
    let cases: Vec<(&str, Edit, &[&str])> = vec![
        (
            "bad slug",
            Box::new(|s| s.replacen("slug = \"leiden\"", "slug = \"Leiden\"", 1)),
            &["organisations[0].slug", "lowercase"],
        ),
        (
            "duplicate slug",
            Box::new(|s| s.replace("oegstgeest", "leiden")),
            &["organisations[1].slug", "unique"],
        ),
        (
            "bad recipient",
            Box::new(|s| s.replacen("recipients = [\"age1", "recipients = [\"age1x", 1)),
            &["organisations[0].recipients[0]", "age1"],
        ),
        (
            "no recipients",
            Box::new(|s| {
                let i = s.rfind("recipients").unwrap();
                format!("{}recipients = []\n", &s[..i])
            }),
            &["organisations[1].recipients", "at least one"],
        ),
        (
            "unknown key",
            Box::new(|s| s.replace("web_root", "webroot")),
            &["unknown field", "webroot"],
        ),
        (
            "bad signing key",
            Box::new(|s| s.replace("meldpunt-ed25519:", "ed25519:")),
            &["signing_public_key"],
        ),
        (
            "bad hash",
            Box::new(|s| s.replacen("staff_token_sha256 = [\"", "staff_token_sha256 = [\"x", 1)),
            &["staff_token_sha256[0]", "64 hex"],
        ),
        (
            "no organisations",
            Box::new(|s| s[..s.find("[[organisations]]").unwrap()].to_string()),
            &["organisations"],
        ),
        (
            "bad listen",
            Box::new(|s| s.replace("127.0.0.1:8080", "localhost")),
            &["listen", "127.0.0.1:8080"],
        ),
        (
            "missing web root",
            Box::new(|s| s.replace("web_root = \"www\"", "web_root = \"nope\"")),
            &["web_root", "not a directory"],
        ),
        (
            "tiny limit",
            Box::new(|s| {
                s.replace(
                    "[[organisations]]",
                    "max_submission_bytes = 10\n[[organisations]]",
                )
            }),
            &["max_submission_bytes"],
        ),
    ];
    for (name, edit, expect) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = write_config(dir.path(), "127.0.0.1:8080", edit);
        let (ok, _, stderr) = check_config(&path);
        assert!(!ok, "{name}: accepted");
        assert!(
            stderr.starts_with("meldpunt-server: error: "),
            "{name}: {stderr}"
        );
        assert!(stderr.contains("check-config --config"), "{name}: {stderr}");
        for e in expect {
            assert!(stderr.contains(e), "{name}: expected {e:?} in:\n{stderr}");
        }
    }
    let (ok, _, stderr) = check_config(Path::new("/nonexistent/meldpunt-server.toml"));
    assert!(
        !ok && stderr.contains("cannot read the config file"),
        "{stderr}"
    );
}

#[test]
fn the_example_config_is_complete_once_filled_in() {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/meldpunt-server.example.toml"
    ))
    .unwrap();
    // Lay out the example's relative paths: server/ beside client-wasm/www.
    let dir = tempfile::tempdir().unwrap();
    let server = dir.path().join("server");
    std::fs::create_dir_all(&server).unwrap();
    std::fs::create_dir_all(dir.path().join("client-wasm/www")).unwrap();
    let path = server.join("meldpunt-server.toml");

    let err = Config::parse(&example, &path, &server).unwrap_err();
    assert_eq!(
        err.field(),
        Some("signing_public_key"),
        "as shipped the example must be refused: {err}"
    );

    let signing = SigningSecretKey::generate().unwrap();
    let filled = example
        .replace("meldpunt-ed25519:REPLACE-ME", &signing.public().to_string())
        .replace("[\"REPLACE-ME\"]", &format!("[\"{}\"]", sha256_hex("x")))
        .replace(
            "age1REPLACE-ME",
            &age::x25519::Identity::generate().to_public().to_string(),
        );
    let c = Config::parse(&filled, &path, &server).unwrap();
    assert_eq!(c.organisations.len(), 2);
    assert_eq!(c.max_submission_bytes, 100 << 20);
    assert_eq!(c.pow_difficulty, 0);
    assert_eq!(c.receipt_key, server.join("meldpunt.db.receipt-key"));
    assert_eq!(c.limits.submissions_per_minute, 120);
    assert_eq!(c.database, server.join("meldpunt.db"));
    assert!(
        filled
            .lines()
            .all(|l| l.starts_with('#') || !l.contains("REPLACE-ME"))
    );
}

#[test]
fn serve_listens_answers_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "127.0.0.1:0", |s| s);
    let mut child = Command::new(BIN)
        .arg("serve")
        .arg("--config")
        .arg(&path)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let line = match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(line) => line,
        Err(_) => {
            child.kill().ok();
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).ok();
            panic!("no listening line; stderr:\n{err}");
        }
    };
    let addr = line
        .strip_prefix("meldpunt-server listening on http://")
        .unwrap_or_else(|| panic!("{line}"));
    assert!(!addr.ends_with(":0"), "the real port is printed: {line}");

    let ua = "RawTcpCanary/1.0 unique-ua-91c2";
    let get = |path: &str| {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: {ua}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).unwrap();
        resp
    };
    let resp = get("/healthz");
    assert!(resp.starts_with("HTTP/1.1 200 OK\r\n"), "{resp}");
    assert!(resp.ends_with("\r\n\r\nok"), "{resp}");
    assert!(
        resp.to_ascii_lowercase()
            .contains("\r\ncache-control: no-store\r\n"),
        "{resp}"
    );
    assert!(!resp.to_ascii_lowercase().contains("\r\nserver:"), "{resp}");
    let resp = get("/api/v1/config");
    assert!(
        resp.starts_with("HTTP/1.1 200 OK\r\n") && resp.contains("Gemeente Leiden"),
        "{resp}"
    );

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "exit {status}; stderr:\n{stderr}");
    assert!(
        stderr.contains("/healthz") && stderr.contains("200"),
        "request logged:\n{stderr}"
    );
    assert!(stderr.contains("stopped"), "{stderr}");
    assert!(
        !stderr.contains("127.0.0.1"),
        "address in the log:\n{stderr}"
    );
    assert!(!stderr.contains(ua), "user agent in the log:\n{stderr}");
}
