//! Shared helpers: a configured app in a temporary directory, requests, bodies,
//! sealed meldingen and reply bundles made with the envelope crate.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use meldpunt_envelope::bundle::{self, BundleKind, ItemKind, NewItem};
use meldpunt_envelope::keys::{SigningPublicKey, SigningSecretKey};
use meldpunt_envelope::melding::{self, Melding};
use meldpunt_envelope::reply::{self, ReplyText};
use meldpunt_envelope::token::{ReplyToken, TokenKeys};
use meldpunt_server::db::{self, Counts};
use meldpunt_server::{AppState, Config, app};
use sha2::{Digest, Sha256};
use tempfile::TempDir;
use tower::ServiceExt;

pub const STAFF_TOKEN: &str = "staff-token-for-tests-7f3a";
pub const SECOND_STAFF_TOKEN: &str = "second-staff-token";

/// A server configured in its own temporary directory, with its own keys.
pub struct TestApp {
    pub dir: TempDir,
    pub state: AppState,
    /// The meldpunt identity the organisations' meldingen are sealed to.
    pub identity: age::x25519::Identity,
    /// Leiden's recipient for meldingen about bestuurders (with `Options::bestuurder`).
    pub bestuurder: age::x25519::Identity,
    pub signing: SigningSecretKey,
}

#[derive(Default)]
pub struct Options {
    pub max_submission_bytes: Option<usize>,
    /// Top-level config lines (such as `reply_retention_days = 30`).
    pub extra: String,
    /// Lines of the `[limits]` table.
    pub limits: String,
    /// Give leiden a separate recipient for meldingen about bestuurders.
    pub bestuurder: bool,
    /// More `[[organisations]]` tables, appended to the config.
    pub organisations: String,
    /// Lines of the `[pow]` table; `None` turns the proof of work off, so tests
    /// about other things can post without solving (tests/it/pow.rs tests it).
    pub pow: Option<String>,
}

impl TestApp {
    pub fn new() -> TestApp {
        TestApp::with(Options::default())
    }

    pub fn with(opts: Options) -> TestApp {
        capture_logs();
        let dir = tempfile::tempdir().unwrap();
        let identity = age::x25519::Identity::generate();
        let bestuurder = age::x25519::Identity::generate();
        let signing = SigningSecretKey::generate().unwrap();
        write_web_root(dir.path());
        let mut text = config_text(
            &identity.to_public().to_string(),
            &signing,
            "127.0.0.1:0",
            opts.max_submission_bytes,
        );
        text = text.replacen(
            "[[organisations]]",
            &format!("{}\n[[organisations]]", opts.extra),
            1,
        );
        if opts.bestuurder {
            text = text.replacen(
                "slug = \"leiden\"\nname = \"Gemeente Leiden\"\n",
                &format!(
                    "slug = \"leiden\"\nname = \"Gemeente Leiden\"\nbestuurder_recipients = [\"{}\"]\n",
                    bestuurder.to_public()
                ),
                1,
            );
        }
        text.push_str(&opts.organisations);
        if !opts.limits.is_empty() {
            text.push_str(&format!("\n[limits]\n{}\n", opts.limits));
        }
        let pow = opts.pow.as_deref().unwrap_or("enabled = false");
        text.push_str(&format!("\n[pow]\n{pow}\n"));
        let path = dir.path().join("meldpunt-server.toml");
        std::fs::write(&path, text).unwrap();
        let config = Config::load(&path).unwrap();
        let state = AppState::open(config).unwrap();
        TestApp {
            dir,
            state,
            identity,
            bestuurder,
            signing,
        }
    }

    /// A fresh router over the same state (rate limits and budgets are shared).
    pub fn router(&self) -> axum::Router {
        app(self.state.clone())
    }

    /// The server's receipt key, as published in /api/v1/config.
    pub fn receipt_key(&self) -> SigningPublicKey {
        self.state.receipt_key.public()
    }

    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        app(self.state.clone()).oneshot(req).await.unwrap()
    }

    /// Sends and returns the status and the JSON body.
    pub async fn send_json(&self, req: Request<Body>) -> (StatusCode, serde_json::Value) {
        let resp = self.send(req).await;
        let status = resp.status();
        let bytes = body_bytes(resp).await;
        let v = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            panic!("not JSON ({status}): {:?}", String::from_utf8_lossy(&bytes))
        });
        (status, v)
    }

    /// Sends a request that must be refused with `status` and the error `code`;
    /// `name` says which case failed.
    pub async fn refuses(&self, name: &str, req: Request<Body>, status: StatusCode, code: &str) {
        let got = self.send_json(req).await;
        assert_eq!(got.0, status, "{name}: {}", got.1);
        assert_error(&got, status, code);
    }

    /// [`TestApp::refuses`] for each case in turn.
    pub async fn refuses_all(&self, cases: Vec<(&str, Request<Body>, StatusCode, &str)>) {
        for (name, req, status, code) in cases {
            self.refuses(name, req, status, code).await;
        }
    }

    pub async fn counts(&self) -> Counts {
        self.state.db.call(db::counts).await.unwrap()
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("meldpunt.db")
    }

    /// Submits a fresh melding and returns the token's keys and the response.
    pub async fn submit(&self, text: &str) -> (TokenKeys, StatusCode, serde_json::Value) {
        let token = ReplyToken::generate().unwrap();
        let keys = token.derive();
        let ct = seal_melding(&self.identity, &keys, text);
        let (status, v) = self
            .send_json(melding_request(
                "leiden",
                &hex::encode(keys.lookup_key.hash()),
                ct,
            ))
            .await;
        (keys, status, v)
    }

    /// A replies bundle with one signed reply per case.
    pub fn replies_bundle(&self, cases: &[&TokenKeys], text: &str) -> Vec<u8> {
        let items: Vec<NewItem> = cases
            .iter()
            .map(|k| signed_reply_item(&self.signing, k, text))
            .collect();
        bundle::write(Vec::new(), BundleKind::Replies, None, "2026-11-22", &items).unwrap()
    }
}

pub fn signed_reply_item(key: &SigningSecretKey, case: &TokenKeys, text: &str) -> NewItem {
    let hash = case.lookup_key.hash();
    let sealed = reply::seal_and_sign(
        &ReplyText::new("2026-11-22", text),
        &case.reply_recipient(),
        &hash,
        key,
    )
    .unwrap();
    NewItem {
        id: meldpunt_envelope::random_id().unwrap(),
        kind: ItemKind::Reactie,
        lookup_hash: hash,
        organisatie: None,
        received: None,
        signature: Some(sealed.signature),
        parent: None,
        ciphertext: sealed.ciphertext,
    }
}

pub fn write_web_root(base: &std::path::Path) {
    let www = base.join("www");
    std::fs::create_dir_all(www.join("pkg")).unwrap();
    std::fs::write(
        www.join("index.html"),
        "<!doctype html><title>Meldpunt</title>",
    )
    .unwrap();
    std::fs::write(www.join("app.js"), "export {};").unwrap();
    std::fs::write(www.join("style.css"), "body{}").unwrap();
    std::fs::write(www.join("pkg/meldpunt_client_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

pub fn config_text(
    recipient: &str,
    signing: &SigningSecretKey,
    listen: &str,
    max: Option<usize>,
) -> String {
    let max = max
        .map(|n| format!("max_submission_bytes = {n}\n"))
        .unwrap_or_default();
    format!(
        r#"name = "Meldpunt integriteit Testregio"
listen = "{listen}"
database = "meldpunt.db"
web_root = "www"
signing_public_key = "{sig}"
staff_token_sha256 = ["{h1}", "{h2}"]
{max}
[[organisations]]
slug = "leiden"
name = "Gemeente Leiden"
recipients = ["{recipient}"]

[[organisations]]
slug = "oegstgeest"
name = "Gemeente Oegstgeest"
recipients = ["{recipient}"]
"#,
        sig = signing.public(),
        h1 = sha256_hex(STAFF_TOKEN),
        h2 = sha256_hex(SECOND_STAFF_TOKEN),
    )
}

pub fn seal_melding(identity: &age::x25519::Identity, keys: &TokenKeys, text: &str) -> Vec<u8> {
    let m = Melding::new("leiden", "fraude-corruptie", text, &keys.reply_recipient());
    melding::seal(&m, &[identity.to_public()]).unwrap()
}

pub fn melding_request(org: &str, lookup_hash_hex: &str, body: Vec<u8>) -> Request<Body> {
    Request::post("/api/v1/meldingen")
        .header("content-type", "application/octet-stream")
        .header("meldpunt-organisatie", org)
        .header("meldpunt-lookup-hash", lookup_hash_hex)
        .body(Body::from(body))
        .unwrap()
}

pub fn reacties_request(lookup_key_hex: &str) -> Request<Body> {
    json_request(
        "/api/v1/reacties",
        &serde_json::json!({ "lookup_key": lookup_key_hex }).to_string(),
    )
}

pub fn json_request(path: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

pub fn export_request(token: Option<&str>) -> Request<Body> {
    let mut r = Request::get("/api/v1/staff/export");
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::empty()).unwrap()
}

pub fn import_request(token: &str, body: Vec<u8>) -> Request<Body> {
    Request::post("/api/v1/staff/reacties")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/x-tar")
        .body(Body::from(body))
        .unwrap()
}

pub async fn body_bytes(resp: Response<Body>) -> Vec<u8> {
    axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

/// Asserts an error response: status, code, and the app's error shape.
#[track_caller]
pub fn assert_error(got: &(StatusCode, serde_json::Value), status: StatusCode, code: &str) {
    assert_eq!(got.0, status, "body: {}", got.1);
    assert_eq!(got.1["error"], code, "body: {}", got.1);
    let message = got.1["message"].as_str().expect("a message");
    assert!(
        message.ends_with('.') && message.len() > 10,
        "message: {message}"
    );
    // `more_work_needed` also names the effort to solve at, as a number.
    let extra = usize::from(code == "more_work_needed");
    if extra == 1 {
        assert!(
            got.1["effort"].as_u64().is_some_and(|e| e >= 1),
            "{}",
            got.1
        );
    }
    assert_eq!(
        got.1.as_object().unwrap().len(),
        2 + extra,
        "only error and message: {}",
        got.1
    );
}

/// Every log line of this test binary, captured once for all tests with the
/// production subscriber at the most verbose level.
pub fn logs() -> String {
    String::from_utf8_lossy(&capture_logs().lock().unwrap()).into_owned()
}

fn capture_logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static BUF: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    BUF.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sub = meldpunt_server::logging::subscriber(
            BufWriter(buf.clone()),
            meldpunt_server::logging::filter("trace"),
        );
        tracing::subscriber::set_global_default(sub).unwrap();
        buf
    })
}

#[derive(Clone)]
struct BufWriter(Arc<Mutex<Vec<u8>>>);

impl Write for BufWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for BufWriter {
    type Writer = BufWriter;
    fn make_writer(&'a self) -> BufWriter {
        self.clone()
    }
}

pub const BOUNDARY: &str = "meldpunt-test-boundary-7c1d";

/// A multipart body from named parts, in order.
pub fn multipart_body(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = Vec::new();
    for (name, data) in parts {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.age\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(data);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

/// `POST path` with a multipart body and the given headers.
pub fn multipart_request(path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Request<Body> {
    let mut r = Request::post(path).header(
        "content-type",
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.body(Body::from(body)).unwrap()
}

/// A melding with the attachment list filled in, sealed, and its attachments sealed.
pub fn seal_with_attachments(
    recipient: &age::x25519::Recipient,
    keys: &TokenKeys,
    kind: melding::Kind,
    files: &[&[u8]],
) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut m = Melding::new(
        "leiden",
        "fraude-corruptie",
        "Zie de bijlagen.",
        &keys.reply_recipient(),
    );
    m.kind = kind;
    if kind == melding::Kind::Vervolg {
        m.soort = None;
    }
    m.attachments = files
        .iter()
        .enumerate()
        .map(|(i, f)| melding::AttachmentRef {
            name: format!("bijlage-{i}.pdf"),
            media_type: "application/pdf".into(),
            size: f.len() as u64,
            sha256: meldpunt_envelope::sha256_hex(f),
        })
        .collect();
    let ct = melding::seal(&m, std::slice::from_ref(recipient)).unwrap();
    let sealed = files
        .iter()
        .map(|f| meldpunt_envelope::attachment::seal(f, std::slice::from_ref(recipient)).unwrap())
        .collect();
    (ct, sealed)
}

/// An import confirmation signed with `key`, as JSON.
pub fn confirmation(key: &SigningSecretKey, ids: &[&str]) -> String {
    let c = meldpunt_envelope::signed::Confirmation {
        v: 1,
        day: meldpunt_envelope::Day::today().to_string(),
        items: ids.iter().map(|s| s.to_string()).collect(),
        set_aside: vec![],
    };
    serde_json::to_string(&c.sign(key).unwrap()).unwrap()
}

pub fn bevestiging_request(token: &str, body: &str) -> Request<Body> {
    Request::post("/api/v1/staff/bevestiging")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// The inbox as the staff would export it.
pub async fn export_bundle(t: &TestApp) -> meldpunt_envelope::bundle::Bundle {
    let resp = t.send(export_request(Some(STAFF_TOKEN))).await;
    assert_eq!(resp.status(), StatusCode::OK);
    bundle::read(&body_bytes(resp).await[..], u64::MAX).unwrap()
}

/// A form POST.
pub fn form_request(path: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body = serde_urlencoded::to_string(fields).unwrap();
    Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}

pub async fn send_text(t: &TestApp, req: Request<Body>) -> (StatusCode, String) {
    let resp = t.send(req).await;
    let status = resp.status();
    (status, String::from_utf8(body_bytes(resp).await).unwrap())
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The canary scan of the disk: the database, its WAL and shm files must hold none of
/// `needles` (as text) nor `raw` (as bytes). Checks first that the scan looks at real
/// data: WAL mode left a -wal file, and a ciphertext is stored.
pub fn assert_disk_free_of(t: &TestApp, needles: &[(&str, String)], raw: &[(&str, &[u8])]) {
    let mut files = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let p = t.db_path().with_file_name(format!("meldpunt.db{suffix}"));
        if let Ok(b) = std::fs::read(&p) {
            files.push((p, b));
        }
    }
    assert!(
        files
            .iter()
            .any(|(p, _)| p.to_string_lossy().ends_with("-wal")),
        "WAL mode leaves a -wal file"
    );
    assert!(
        files
            .iter()
            .any(|(_, b)| contains(b, b"age-encryption.org/v1")),
        "the ciphertext is stored"
    );
    for (path, bytes) in &files {
        for (what, needle) in needles {
            assert!(
                !contains(bytes, needle.as_bytes()),
                "{what} found in {}",
                path.display()
            );
        }
        for (what, needle) in raw {
            assert!(
                !contains(bytes, needle),
                "raw {what} found in {}",
                path.display()
            );
        }
    }
}

/// The canary scan of the captured logs: the request to `route` answered `status` is
/// logged (so the scan looks at real lines), and no line holds any of `needles`.
pub fn assert_logs_free_of(route: &str, status: &str, needles: &[(&str, String)]) -> String {
    let logs = logs();
    assert!(
        logs.lines()
            .any(|l| l.contains(route) && l.contains(status)),
        "the request log line is captured:\n{logs}"
    );
    for line in logs.lines() {
        for (what, needle) in needles {
            assert!(
                !line.contains(needle.as_str()),
                "{what} in log line: {line}"
            );
        }
    }
    logs
}

/// How long a test waits for a condition before it fails.
pub const DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// Waits until `cond` holds, checking every few milliseconds; fails the test after
/// [`DEADLINE`] naming `what` was awaited.
pub async fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + DEADLINE;
    while !cond() {
        assert!(
            std::time::Instant::now() < deadline,
            "waited {DEADLINE:?} for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// [`wait_for`] for a condition that must itself be awaited (a request, say).
pub async fn wait_for_async(what: &str, mut cond: impl AsyncFnMut() -> bool) {
    let deadline = std::time::Instant::now() + DEADLINE;
    while !cond().await {
        assert!(
            std::time::Instant::now() < deadline,
            "waited {DEADLINE:?} for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// [`wait_for`] for plain threads.
pub fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + DEADLINE;
    while !cond() {
        assert!(
            std::time::Instant::now() < deadline,
            "waited {DEADLINE:?} for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// A finished command as (succeeded, stdout, stderr).
pub fn outcome(out: std::process::Output) -> (bool, String, String) {
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}
