//! Benchmark of the desk (not a test; `cargo test` does not run it): with 10,000 cases
//! in the store, how fast the Postvak and a Zaak answer after unlock, and importing a
//! 10,000-melding bundle through the desk against the CLI in the same run.
//!
//!     cargo build --release -p meldpunt-keys && cargo bench -p meldpunt-desk --bench desk
//!
//! Both faces get the same bundle, the same keys (age's default scrypt work factor, as
//! real keys are) and an empty store; the CLI's time is `meldpunt-keys import` (scrypt
//! once, open, store), the desk's the unlock plus the upload and import through its HTTP
//! form, as the browser sends it. Results go in docs/PERFORMANCE.md ("The desk").

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use meldpunt_envelope::bundle::{self, BundleKind, ItemKind, NewItem};
use meldpunt_envelope::melding::Melding;
use meldpunt_envelope::token::ReplyToken;

const N: usize = 10_000;
const PASSPHRASE: &str = "benchmark passphrase horse";

fn keys_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let release = exe.parent().and_then(Path::parent).unwrap();
    let bin = release.join("meldpunt-keys");
    assert!(
        bin.is_file(),
        "{} is missing: cargo build --release -p meldpunt-keys",
        bin.display()
    );
    bin
}

fn keys(dir: &Path, args: &[&str]) -> Duration {
    let t = Instant::now();
    let out = Command::new(keys_binary())
        .env("MELDPUNT_DIR", dir)
        .env("MELDPUNT_PASSPHRASE", PASSPHRASE)
        .env_remove("MELDPUNT_SCRYPT_LOG_N")
        .args(args)
        .stdout(Stdio::null())
        .output()
        .unwrap();
    let took = t.elapsed();
    assert!(
        out.status.success(),
        "meldpunt-keys {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

struct Http {
    port: u16,
    cookie: String,
}

impl Http {
    fn send(&self, method: &str, path: &str, content_type: &str, body: &[u8]) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nOrigin: http://127.0.0.1:{p}\r\nCookie: {c}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len(),
            p = self.port,
            c = self.cookie,
        );
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).to_string();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, text)
    }

    fn get(&self, path: &str) -> Duration {
        let t = Instant::now();
        let (status, text) = self.send("GET", path, "text/plain", b"");
        let took = t.elapsed();
        assert_eq!(status, 200, "{path}: {}", &text[..text.len().min(400)]);
        took
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// A started desk, signed in.
fn start_desk(dir: &Path) -> (std::process::Child, Http) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_meldpunt-desk"))
        .arg("--dir")
        .arg(dir)
        .arg("--no-browser")
        .env_remove("MELDPUNT_SCRYPT_LOG_N")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim();
    let port: u16 = url[17..].split('/').next().unwrap().parse().unwrap();
    let mut http = Http {
        port,
        cookie: String::new(),
    };
    let (status, text) = http.send("GET", &url[url.find("/?").unwrap()..], "text/plain", b"");
    assert_eq!(status, 303);
    http.cookie = text
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    (child, http)
}

fn copy_keys(from: &Path, to: &Path) {
    std::fs::create_dir(to).unwrap();
    for f in ["identity.age", "signing.age", "public.txt", "cases.db"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
}

const ROUNDS: usize = 3;

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let made = tmp.path().join("made");
    keys(&made, &["init"]);
    let public = std::fs::read_to_string(made.join("public.txt")).unwrap();
    let value = |key: &str| -> String {
        public
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap()
            .trim_matches('"')
            .to_string()
    };
    let to = meldpunt_envelope::keys::parse_recipient(&value("recipient = ")).unwrap();
    let meldpunt: meldpunt_envelope::keys::SigningPublicKey =
        value("signing_public_key = ").parse().unwrap();

    // 10,000 meldingen over 2026, sealed as the browser does.
    let items: Vec<NewItem> = (0..N)
        .map(|i| {
            let token = ReplyToken::generate().unwrap().derive();
            let m = Melding::new(
                ["leiden", "leiderdorp", "oegstgeest"][i % 3],
                ["pesten", "fraude-corruptie", "overig"][i % 3],
                &format!("Melding {i}. {}", "x".repeat(i % 500)),
                &token.reply_recipient(),
            );
            NewItem {
                id: meldpunt_envelope::random_id().unwrap(),
                kind: ItemKind::Melding,
                lookup_hash: token.lookup_key.hash(),
                organisatie: Some(m.organisatie.clone()),
                received: Some(meldpunt_envelope::domain::day_from_unix_days(
                    20_454 + (i % 320) as i64,
                )),
                signature: None,
                parent: None,
                ciphertext: meldpunt_envelope::melding::seal(&m, std::slice::from_ref(&to))
                    .unwrap(),
            }
        })
        .collect();
    let bytes = bundle::write(
        Vec::new(),
        BundleKind::Inbox,
        Some(&meldpunt),
        "2026-11-22",
        &items,
    )
    .unwrap();
    let bundle_path = tmp.path().join("inbox.tar");
    std::fs::write(&bundle_path, &bytes).unwrap();
    let bundle_arg = bundle_path.to_str().unwrap();
    let boundary = "----meldpuntbench";
    let mut form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"inbox.tar\"\r\nContent-Type: application/x-tar\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(&bytes);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let pass = format!("pass={}", PASSPHRASE.replace(' ', "+"));

    // Interleaved rounds on fresh copies, so both faces see the same machine load.
    let (mut cli_alone, mut cli_round, mut desk_all, mut desk_unlock) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut last_desk = None;
    for r in 0..ROUNDS {
        let a = tmp.path().join(format!("cli-{r}"));
        copy_keys(&made, &a);
        cli_alone.push(keys(&a, &["import", bundle_arg]));
        // The weekly round's command: import and the signed confirmation, which needs
        // the signing key too (a second scrypt), as the desk's one unlock gives it.
        let b = tmp.path().join(format!("cli-confirm-{r}"));
        copy_keys(&made, &b);
        let confirm = b.join("importbevestiging.json");
        cli_round.push(keys(
            &b,
            &["import", bundle_arg, "--confirm", confirm.to_str().unwrap()],
        ));
        let d = tmp.path().join(format!("desk-{r}"));
        copy_keys(&made, &d);
        if let Some((mut child, http)) = last_desk.take() {
            let _: (u16, String) = Http::send(&http, "POST", "/afsluiten", "text/plain", b"");
            let _ = std::process::Child::wait(&mut child);
        }
        let (child, http) = start_desk(&d);
        let t = Instant::now();
        let (status, _) = http.send(
            "POST",
            "/ontgrendel",
            "application/x-www-form-urlencoded",
            pass.as_bytes(),
        );
        assert_eq!(status, 303);
        desk_unlock.push(t.elapsed());
        let (status, text) = http.send(
            "POST",
            "/postvak/import",
            &format!("multipart/form-data; boundary={boundary}"),
            &form,
        );
        desk_all.push(t.elapsed());
        assert_eq!(status, 303, "{}", &text[..text.len().min(600)]);
        assert!(text.contains("/postvak/resultaat"));
        last_desk = Some((child, http));
    }
    let (mut child, http) = last_desk.unwrap();

    // After unlock: the Postvak (first page of 10,000 cases) and one Zaak.
    let postvak = median((0..7).map(|_| http.get("/postvak")).collect());
    let filtered = median(
        (0..7)
            .map(|_| http.get("/postvak?zoek=leiden&status=open"))
            .collect(),
    );
    let zaak = median((0..7).map(|_| http.get("/zaak/2026-0001")).collect());
    let _ = http.send("POST", "/afsluiten", "text/plain", b"");
    let _ = child.wait();
    let cli_list = keys(&tmp.path().join("cli-0"), &["list"]);

    let (desk_all, desk_unlock) = (median(desk_all), median(desk_unlock));
    let (cli_alone, cli_round) = (median(cli_alone), median(cli_round));
    println!(
        "desk, {N} meldingen / cases (age default scrypt), medians of {ROUNDS} interleaved rounds"
    );
    println!(
        "  desk: unlock + upload + import                      {}   (of which unlock {})",
        ms(desk_all),
        ms(desk_unlock)
    );
    println!(
        "  CLI: import --confirm (same keys unlocked)          {}   ratio desk/CLI {:.2} (goal <= 1.00)",
        ms(cli_round),
        desk_all.as_secs_f64() / cli_round.as_secs_f64()
    );
    println!(
        "  CLI: import alone (identity only)                   {}   ratio desk/CLI {:.2}",
        ms(cli_alone),
        desk_all.as_secs_f64() / cli_alone.as_secs_f64()
    );
    println!(
        "  Postvak, {N} cases, median of 7                  {}   (goal <= 200 ms)",
        ms(postvak)
    );
    println!(
        "  Postvak searched and filtered, median of 7           {}",
        ms(filtered)
    );
    println!(
        "  Zaak 2026-0001, median of 7                         {}   (goal <= 200 ms)",
        ms(zaak)
    );
    println!(
        "  reference: meldpunt-keys list, {N} cases        {}   (with process start)",
        ms(cli_list)
    );
}
