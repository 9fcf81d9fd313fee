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
    run(&["check-config"], path)
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
        (
            "the old fixed proof of work",
            Box::new(|s| format!("pow_difficulty = 16\n{s}")),
            &["pow_difficulty", "no longer used", "[pow]"],
        ),
        (
            "proof of work effort out of range",
            Box::new(|s| format!("{s}\n[pow]\nmin_effort = 0\n")),
            &["pow.min_effort", "is 0", "1 to"],
        ),
        (
            "proof of work ceiling below its floor",
            Box::new(|s| format!("{s}\n[pow]\nmin_effort = 100\nmax_effort = 10\n")),
            &["pow.max_effort", "below min_effort"],
        ),
        (
            "unknown proof of work key",
            Box::new(|s| format!("{s}\n[pow]\ndifficulty = 3\n")),
            &["difficulty"],
        ),
        (
            "no retention",
            Box::new(|s| format!("reply_retention_days = 0\n{s}")),
            &["reply_retention_days", "1 to 3650"],
        ),
        (
            "receipt key in a missing directory",
            Box::new(|s| format!("receipt_key = \"nope/receipt.key\"\n{s}")),
            &["receipt_key", "does not exist"],
        ),
        (
            "bad bestuurder recipient",
            Box::new(|s| {
                s.replacen(
                    "recipients = [",
                    "bestuurder_recipients = [\"age1nope\"]\nrecipients = [",
                    1,
                )
            }),
            &["organisations[0].bestuurder_recipients[0]", "age1"],
        ),
        (
            "memory budget below one submission",
            Box::new(|s| format!("{s}\n[limits]\nupload_memory_bytes = 4096\n")),
            &["limits.upload_memory_bytes", "is 4096"],
        ),
        (
            "zero rate",
            Box::new(|s| format!("{s}\n[limits]\nlookups_per_minute = 0\n")),
            &["limits.lookups_per_minute"],
        ),
        (
            "unknown limit",
            Box::new(|s| format!("{s}\n[limits]\nrequests_per_second = 5\n")),
            &["unknown field", "requests_per_second"],
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
    assert_eq!(c.max_submission_bytes, 100_000_000);
    assert!(c.pow.enabled, "the proof of work is on by default");
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
    // The receipt key was made on first start, mode 0600, and is the one served.
    let key_file = dir.path().join("meldpunt.db.receipt-key");
    let key_text = std::fs::read_to_string(&key_file).unwrap();
    let public = key_text
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .unwrap();
    assert!(
        resp.contains(&format!("\"receipt_key\":\"{public}\"")),
        "{resp}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let mut status = None;
    wait_until("the server to stop after SIGTERM", || {
        status = child.try_wait().unwrap();
        status.is_some()
    });
    let status = status.unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "exit {status}; stderr:\n{stderr}");
    // The reporter's requests are counted, not logged one by one.
    assert!(
        stderr.lines().any(|l| l.contains("reporter requests:")
            && l.contains("health 2xx=1")
            && l.contains("config 2xx=1")),
        "requests counted:\n{stderr}"
    );
    assert!(
        !stderr.contains("/healthz"),
        "a line per request:\n{stderr}"
    );
    assert!(stderr.contains("stopped"), "{stderr}");
    assert!(
        !stderr.contains("127.0.0.1"),
        "address in the log:\n{stderr}"
    );
    assert!(!stderr.contains(ua), "user agent in the log:\n{stderr}");
}

fn run(args: &[&str], config: &Path) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .arg("--config")
        .arg(config)
        .output()
        .unwrap();
    outcome(out)
}

#[tokio::test]
async fn backup_purge_and_stats_work_beside_the_running_server() {
    let t = TestApp::new();
    let config = t.dir.path().join("meldpunt-server.toml");
    let (keys, status, _) = t.submit("Voor de backup.").await;
    assert_eq!(status, axum::http::StatusCode::CREATED);
    let bundle = t.replies_bundle(&[&keys, &keys], "Antwoord.");
    assert_eq!(
        t.send(import_request(STAFF_TOKEN, bundle)).await.status(),
        axum::http::StatusCode::OK
    );
    // One reply is old enough to purge.
    rusqlite::Connection::open(t.db_path())
        .unwrap()
        .execute(
            "UPDATE replies SET day = '2000-01-01' WHERE rowid = (SELECT min(rowid) FROM replies)",
            [],
        )
        .unwrap();

    let (ok, stdout, stderr) = run(&["stats"], &config);
    assert!(ok, "{stderr}");
    for line in [
        "cases:                    1",
        "meldingen waiting:        1",
        "replies held:             2",
        "  leiden: 1",
    ] {
        assert!(stdout.contains(line), "{line:?} in:\n{stdout}");
    }
    let hash_hex = hex::encode(keys.lookup_key.hash());
    assert!(!stdout.contains(&hash_hex), "counts only");
    let (ok, stdout, _) = run(&["stats", "--json"], &config);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["cases"], 1);
    assert_eq!(v["bijlagen_waiting"], 0);

    let copy = t.dir.path().join("backup.db");
    let copy_s = copy.to_str().unwrap();
    let (ok, stdout, stderr) = run(&["backup", "--to", copy_s], &config);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("backup.db") && stdout.contains("receipt key"),
        "{stdout}"
    );
    let c = rusqlite::Connection::open(&copy).unwrap();
    let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(n("SELECT count(*) FROM items"), 1);
    assert_eq!(n("SELECT count(*) FROM replies"), 2);
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let (ok, _, stderr) = run(&["backup", "--to", copy_s], &config);
    assert!(!ok && stderr.contains("exists already"), "{stderr}");

    let (ok, stdout, stderr) = run(&["purge"], &config);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("deleted 1 reply received before"),
        "{stdout}"
    );
    assert_eq!(t.counts().await.replies, 1);
    assert_eq!(t.counts().await.cases, 1, "cases stay");

    let missing = tempfile::tempdir().unwrap();
    let path = write_config(missing.path(), "127.0.0.1:0", |s| s);
    let (ok, _, stderr) = run(&["stats"], &path);
    assert!(!ok && stderr.contains("no database"), "{stderr}");
}
