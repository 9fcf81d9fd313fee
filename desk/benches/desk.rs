//! Benchmark of the desk (not a test; `cargo test` does not run it): with 10,000 cases
//! in the store, how fast the Postvak and a Zaak answer after unlock, and importing a
//! 10,000-melding bundle through the desk against the CLI in the same run.
//!
//!     cargo build --release -p meldpunt-keys && cargo bench -p meldpunt-desk --bench desk
//!
//! (`MELDPUNT_BIN_DIR=<folder>` runs copies of `meldpunt-keys` and `meldpunt-desk` from
//! that folder instead of the release folder.)
//!
//! Both faces get the same bundle, the same keys (age's default scrypt work factor, as
//! real keys are) and an empty store; the CLI's time is `meldpunt-keys import` (scrypt
//! once, open, store), the desk's the unlock plus the upload and import through its HTTP
//! form, as the browser sends it, each answer's redirect followed as the browser does
//! (the Postvak after the unlock, the import's report after the import). Each round
//! times the faces back to back, so the ratio of a round compares them under the same
//! load; besides the wall time, the CPU time each face spent (user + system, from
//! `/proc`) is compared. The scrypt run of the unlock is the same in both faces and
//! what the machine's load moves most, so the rounds are repeated with keys at a work
//! factor of 2^10, which leaves the faces' own work. Results go in docs/PERFORMANCE.md
//! ("The desk").

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

/// The folder of the binaries: `MELDPUNT_BIN_DIR` when set (copies of the release
/// binaries, where others build into the same target folder), else the release folder.
fn bin_dir() -> Option<PathBuf> {
    std::env::var_os("MELDPUNT_BIN_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

fn desk_binary() -> PathBuf {
    bin_dir()
        .map(|d| d.join("meldpunt-desk"))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_meldpunt-desk")))
}

fn keys_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let release = exe.parent().and_then(Path::parent).unwrap();
    let bin = bin_dir()
        .unwrap_or_else(|| release.to_path_buf())
        .join("meldpunt-keys");
    assert!(
        bin.is_file(),
        "{} is missing: cargo build --release -p meldpunt-keys",
        bin.display()
    );
    bin
}

/// CPU time (user + system) from a `/proc/<pid>/stat` line: the process's own
/// (`children` false) or that of its children it has waited for.
fn cpu_of(stat: &str, children: bool) -> Duration {
    // The fields after the command's closing parenthesis start with the third field;
    // utime and stime are fields 14 and 15, cutime and cstime 16 and 17.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..]
        .split_whitespace()
        .collect();
    let at = if children { 13 } else { 11 };
    let ticks: u64 = fields[at].parse::<u64>().unwrap() + fields[at + 1].parse::<u64>().unwrap();
    // Linux reports these in USER_HZ, 100 per second on every architecture it runs on.
    Duration::from_millis(ticks * 10)
}

fn cpu(pid: &str, children: bool) -> Duration {
    cpu_of(
        &std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap(),
        children,
    )
}

/// Runs `meldpunt-keys`; its wall and CPU time.
fn keys(dir: &Path, args: &[&str]) -> (Duration, Duration) {
    keys_with(dir, args, None)
}

/// Runs `meldpunt-keys` with age's default scrypt work factor for new keys, or
/// `log_n`; its wall and CPU time.
fn keys_with(dir: &Path, args: &[&str], log_n: Option<&str>) -> (Duration, Duration) {
    let mut cmd = Command::new(keys_binary());
    match log_n {
        Some(n) => cmd.env("MELDPUNT_SCRYPT_LOG_N", n),
        None => cmd.env_remove("MELDPUNT_SCRYPT_LOG_N"),
    };
    let before = cpu("self", true);
    let t = Instant::now();
    let out = cmd
        .env("MELDPUNT_DIR", dir)
        .env("MELDPUNT_PASSPHRASE", PASSPHRASE)
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
    (took, cpu("self", true) - before)
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

    /// Sends a request and, as the browser does, follows a 303 to its page; the
    /// status of the first answer and the text of the last.
    fn send_follow(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: &[u8],
    ) -> (u16, String) {
        let (status, text) = self.send(method, path, content_type, body);
        if status != 303 {
            return (status, text);
        }
        let to = text
            .lines()
            .find_map(|l| l.strip_prefix("location: "))
            .unwrap()
            .trim()
            .to_string();
        let (page_status, page) = self.send("GET", &to, "text/plain", b"");
        assert_eq!(page_status, 200, "{to}: {}", &page[..page.len().min(400)]);
        (status, page)
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
    let mut child = Command::new(desk_binary())
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

const ROUNDS: usize = 7;

/// A meldpunt made by `meldpunt-keys init` and an inbox bundle of `N` meldingen over
/// 2026 for it, sealed as the browser does; the bundle also as the Postvak's form sends
/// it.
struct Meldpunt {
    made: PathBuf,
    bundle: PathBuf,
    form: Vec<u8>,
}

const BOUNDARY: &str = "----meldpuntbench";

fn meldpunt(tmp: &Path, name: &str, log_n: Option<&str>) -> Meldpunt {
    let made = tmp.join(name);
    keys_with(&made, &["init"], log_n);
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
    let signing: meldpunt_envelope::keys::SigningPublicKey =
        value("signing_public_key = ").parse().unwrap();
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
        Some(&signing),
        "2026-11-22",
        &items,
    )
    .unwrap();
    let bundle = tmp.join(format!("{name}.tar"));
    std::fs::write(&bundle, &bytes).unwrap();
    let mut form = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"inbox.tar\"\r\nContent-Type: application/x-tar\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(&bytes);
    form.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    Meldpunt { made, bundle, form }
}

/// What one round measured: wall and CPU time of each face.
struct Round {
    desk: Duration,
    desk_unlock: Duration,
    desk_cpu: Duration,
    cli: Duration,
    cli_cpu: Duration,
}

impl Round {
    fn ratio(&self) -> f64 {
        self.desk.as_secs_f64() / self.cli.as_secs_f64()
    }
}

/// One round on fresh copies of `m`'s keys: `meldpunt-keys import --confirm`, then the
/// desk (a new process: unlock, the Postvak, the upload, the report). The desk is left
/// running, signed in and unlocked, with the bundle imported.
fn round(m: &Meldpunt, tmp: &Path, name: &str) -> (Round, std::process::Child, Http) {
    // The weekly round's command: import and the signed confirmation, which needs the
    // signing key as well, as the desk's one unlock gives it.
    let b = tmp.join(format!("{name}-cli"));
    copy_keys(&m.made, &b);
    let confirm = b.join("importbevestiging.json");
    let (cli, cli_cpu) = keys(
        &b,
        &[
            "import",
            m.bundle.to_str().unwrap(),
            "--confirm",
            confirm.to_str().unwrap(),
        ],
    );
    let d = tmp.join(format!("{name}-desk"));
    copy_keys(&m.made, &d);
    let (child, http) = start_desk(&d);
    let pid = child.id().to_string();
    let cpu_before = cpu(&pid, false);
    let t = Instant::now();
    let pass = format!("pass={}", PASSPHRASE.replace(' ', "+"));
    let (status, page) = http.send_follow(
        "POST",
        "/ontgrendel",
        "application/x-www-form-urlencoded",
        pass.as_bytes(),
    );
    assert_eq!(status, 303);
    assert!(page.contains("id=\"import-form\""), "not the Postvak");
    let desk_unlock = t.elapsed();
    let (status, page) = http.send_follow(
        "POST",
        "/postvak/import",
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        &m.form,
    );
    let desk = t.elapsed();
    assert_eq!(status, 303, "{}", &page[..page.len().min(600)]);
    assert!(
        page.matches("<li><a href=\"/zaak/").count() == N,
        "not the import's report of {N} new cases"
    );
    let desk_cpu = cpu(&pid, false) - cpu_before;
    let r = Round {
        desk,
        desk_unlock,
        desk_cpu,
        cli,
        cli_cpu,
    };
    println!(
        "  round {name}: desk {}, CLI import --confirm {} (ratio {:.3}); CPU desk {}, CLI {}",
        ms(r.desk),
        ms(r.cli),
        r.ratio(),
        ms(r.desk_cpu),
        ms(r.cli_cpu),
    );
    (r, child, http)
}

fn stop_desk(mut child: std::process::Child, http: Http) {
    let _ = http.send("POST", "/afsluiten", "text/plain", b"");
    let _ = child.wait();
}

/// The medians of `rounds`, and the median and range of the rounds' ratios.
fn summary(rounds: &[Round]) {
    let med = |f: fn(&Round) -> Duration| median(rounds.iter().map(f).collect());
    let (desk, cli) = (med(|r| r.desk), med(|r| r.cli));
    let mut ratios: Vec<f64> = rounds.iter().map(Round::ratio).collect();
    ratios.sort_by(f64::total_cmp);
    let (desk_cpu, cli_cpu) = (med(|r| r.desk_cpu), med(|r| r.cli_cpu));
    println!(
        "  desk: unlock + Postvak + upload + import + report  {}   (of which unlock and Postvak {})",
        ms(desk),
        ms(med(|r| r.desk_unlock))
    );
    println!(
        "  CLI: import --confirm (same keys, same bundle)      {}   ratio desk/CLI {:.3} (goal <= 1.00)",
        ms(cli),
        desk.as_secs_f64() / cli.as_secs_f64()
    );
    // What the coördinator waits for after choosing the file and pressing "Inlezen":
    // the desk is unlocked once per session (the Postvak the import starts from is
    // only shown unlocked), where every CLI command unlocks again.
    let in_session = med(|r| r.desk - r.desk_unlock);
    println!(
        "  desk, in its unlocked session: upload + import + report  {}   ratio to the CLI's command {:.3}",
        ms(in_session),
        in_session.as_secs_f64() / cli.as_secs_f64()
    );
    println!(
        "  ratio of each round: median {:.3}, from {:.3} to {:.3}",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    );
    println!(
        "  CPU time (user + system): desk {}, CLI {}   ratio desk/CLI {:.3}",
        ms(desk_cpu),
        ms(cli_cpu),
        desk_cpu.as_secs_f64() / cli_cpu.as_secs_f64()
    );
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    let real = meldpunt(tmp, "made", None);

    // Interleaved rounds on fresh copies, so both faces see the same machine load.
    let mut rounds = Vec::new();
    let mut cli_alone = Vec::new();
    let mut last_desk = None;
    for r in 0..ROUNDS {
        let a = tmp.join(format!("cli-alone-{r}"));
        copy_keys(&real.made, &a);
        cli_alone.push(keys(&a, &["import", real.bundle.to_str().unwrap()]).0);
        if let Some((child, http)) = last_desk.take() {
            stop_desk(child, http);
        }
        let (round, child, http) = round(&real, tmp, &format!("{}", r + 1));
        rounds.push(round);
        last_desk = Some((child, http));
    }
    let (child, http) = last_desk.unwrap();

    // After unlock: the Postvak (first page of 10,000 cases) and one Zaak.
    let postvak = median((0..7).map(|_| http.get("/postvak")).collect());
    let filtered = median(
        (0..7)
            .map(|_| http.get("/postvak?zoek=leiden&status=open"))
            .collect(),
    );
    let zaak = median((0..7).map(|_| http.get("/zaak/2026-0001")).collect());
    stop_desk(child, http);
    let cli_list = keys(&tmp.join("cli-alone-0"), &["list"]).0;

    // The faces' own work, the scrypt run (the same in both, and what the machine's
    // load moves most) made small: keys made with work factor 2^10, as the tests do.
    println!("  with keys at scrypt work factor 2^10:");
    let light = meldpunt(tmp, "light", Some("10"));
    let light_rounds: Vec<Round> = (0..ROUNDS)
        .map(|r| {
            let (round, child, http) = round(&light, tmp, &format!("light-{}", r + 1));
            stop_desk(child, http);
            round
        })
        .collect();

    println!(
        "desk, {N} meldingen / cases (age default scrypt), medians of {ROUNDS} interleaved rounds"
    );
    summary(&rounds);
    let cli_alone = median(cli_alone);
    println!(
        "  CLI: import alone (identity only)                   {}   ratio desk/CLI {:.3}",
        ms(cli_alone),
        median(rounds.iter().map(|r| r.desk).collect()).as_secs_f64() / cli_alone.as_secs_f64()
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
    println!("the same with keys at scrypt work factor 2^10 (the faces' own work)");
    summary(&light_rounds);
}
