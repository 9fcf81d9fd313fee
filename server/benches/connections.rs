//! Benchmark of the connection handling under hoarding (not a test: `cargo test`
//! never runs it).
//!
//!     cargo bench -p meldpunt-server --bench connections
//!
//! The real `meldpunt-server` binary runs with an open-file limit of 1,024 (as
//! systemd's default would give it: `ulimit -n 1024` in the shell that starts it).
//! A legitimate client makes [`ROUNDS`] rounds, one every [`PACE`], each of four
//! requests on new connections as a browser would: a submission, the look-up of
//! its replies, `/healthz` and the page. It does so twice against the same
//! server: first unloaded, then while an attacker holds [`IDLE`] idle connections
//! (reopening each as soon as the server closes it) and [`SLOW`] uploads that send
//! one byte every 20 seconds (reopened likewise). The result is how many of the
//! legitimate requests succeeded in each run, and their latencies under attack as
//! ratios to the unloaded run. It also samples how many descriptors the server
//! process holds. Everything stays on loopback; results go to stdout and
//! docs/PERFORMANCE.md holds the numbers of a run.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use meldpunt_envelope::keys::SigningSecretKey;
use meldpunt_envelope::token::ReplyToken;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ROUNDS: usize = 40;
const PACE: Duration = Duration::from_millis(500);
const IDLE: usize = 2000;
const SLOW: usize = 16;
const SERVER_NOFILE: u64 = 1024;
/// How long one legitimate request may take before it counts as failed.
const REQUEST_DEADLINE: Duration = Duration::from_secs(30);

const KINDS: [&str; 4] = ["submission", "look-up", "/healthz", "page"];

fn main() {
    raise_own_file_limit();
    let dir = tempfile::tempdir().expect("temp dir");
    let identity = age::x25519::Identity::generate();
    let config = write_config(dir.path(), &identity);
    let mut payload = vec![0u8; 4000];
    meldpunt_envelope::random_bytes(&mut payload).unwrap();
    let body = Arc::new(
        meldpunt_envelope::melding::seal_bytes(&payload, &[identity.to_public()]).unwrap(),
    );

    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n {SERVER_NOFILE} && exec \"$0\" serve --config \"$1\""
        ))
        .arg(env!("CARGO_BIN_EXE_meldpunt-server"))
        .arg(&config)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the server");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let addr: std::net::SocketAddr = line
        .trim()
        .strip_prefix("meldpunt-server listening on http://")
        .expect("the listening line")
        .parse()
        .unwrap();
    let pid = child.id();
    println!(
        "meldpunt-server connections benchmark: server pid {pid}, its open-file limit {}, {} cores",
        nofile_of(pid).unwrap_or_default(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let unloaded = legit_rounds(addr, &body).await;
        report("unloaded", &unloaded, None);

        let stop = Arc::new(AtomicBool::new(false));
        let attack = Attack::default();
        let attack = Arc::new(attack);
        let mut tasks = Vec::new();
        for _ in 0..IDLE {
            tasks.push(tokio::spawn(idle_attacker(
                addr,
                Arc::clone(&attack),
                Arc::clone(&stop),
            )));
        }
        for _ in 0..SLOW {
            tasks.push(tokio::spawn(slow_attacker(
                addr,
                Arc::clone(&attack),
                Arc::clone(&stop),
            )));
        }
        // Let the attack reach its full size.
        let start = Instant::now();
        while attack.open.load(Ordering::Relaxed) < IDLE + SLOW
            && start.elapsed() < Duration::from_secs(20)
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        println!(
            "attack: {} attacker connections open after {:.1}s",
            attack.open.load(Ordering::Relaxed),
            start.elapsed().as_secs_f64()
        );
        let peak_fds = Arc::new(AtomicUsize::new(0));
        let sampler = tokio::spawn(sample_fds(pid, Arc::clone(&peak_fds)));
        let reopened_before = attack.reopened.load(Ordering::Relaxed);
        let attack_start = Instant::now();
        let loaded = legit_rounds(addr, &body).await;
        let secs = attack_start.elapsed().as_secs_f64();
        report("under attack", &loaded, Some(&unloaded));
        println!(
            "attack during the loaded run ({secs:.0}s): attacker connections open at the end {}, closed by the server and reopened {} ({:.0}/s), slow uploads answered 408 {}",
            attack.open.load(Ordering::Relaxed),
            attack.reopened.load(Ordering::Relaxed) - reopened_before,
            (attack.reopened.load(Ordering::Relaxed) - reopened_before) as f64 / secs,
            attack.slow_stopped.load(Ordering::Relaxed)
        );
        println!(
            "server descriptors, peak sampled: {} (limit {SERVER_NOFILE})",
            peak_fds.load(Ordering::Relaxed)
        );
        stop.store(true, Ordering::Relaxed);
        sampler.abort();
        for t in tasks {
            t.abort();
        }
    });
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = child.wait();
}

/// The bench opens over 2,000 sockets itself.
fn raise_own_file_limit() {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut l = getrlimit(Resource::Nofile);
    l.current = l.maximum;
    setrlimit(Resource::Nofile, l).expect("raise the bench's own open-file limit");
}

fn nofile_of(pid: u32) -> Option<String> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3).map(str::to_string)
}

async fn sample_fds(pid: u32, peak: Arc<AtomicUsize>) {
    loop {
        if let Ok(d) = std::fs::read_dir(format!("/proc/{pid}/fd")) {
            peak.fetch_max(d.count(), Ordering::Relaxed);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn write_config(dir: &std::path::Path, identity: &age::x25519::Identity) -> std::path::PathBuf {
    let www = dir.join("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(
        www.join("index.html"),
        "<!doctype html><title>Meldpunt</title><p>De pagina.</p>",
    )
    .unwrap();
    let signing = SigningSecretKey::generate().unwrap();
    let staff = hex::encode(Sha256::digest(b"bench-staff-token"));
    // Rates high enough that the legitimate rounds and the slow uploads' reconnects
    // stay within them: this bench is about connections, not the rate limits.
    let text = format!(
        r#"name = "Meldpunt benchmark"
listen = "127.0.0.1:0"
database = "meldpunt.db"
web_root = "www"
signing_public_key = "{}"
staff_token_sha256 = ["{staff}"]

[[organisations]]
slug = "leiden"
name = "Gemeente Leiden"
recipients = ["{}"]

[limits]
submissions_per_minute = 6000
lookups_per_minute = 6000
"#,
        signing.public(),
        identity.to_public()
    );
    let path = dir.join("meldpunt-server.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[derive(Default)]
struct Attack {
    open: AtomicUsize,
    reopened: AtomicU64,
    slow_stopped: AtomicU64,
}

/// Holds one idle connection, reopening it whenever the server closes it.
async fn idle_attacker(addr: std::net::SocketAddr, attack: Arc<Attack>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut s) = TcpStream::connect(addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        attack.open.fetch_add(1, Ordering::Relaxed);
        let mut buf = [0u8; 256];
        let _ = s.read(&mut buf).await;
        attack.open.fetch_sub(1, Ordering::Relaxed);
        attack.reopened.fetch_add(1, Ordering::Relaxed);
    }
}

/// Holds one upload that sends a byte every 20 seconds, reopening it whenever
/// the server stops it.
async fn slow_attacker(addr: std::net::SocketAddr, attack: Arc<Attack>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::Relaxed) {
        let Ok(s) = TcpStream::connect(addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        attack.open.fetch_add(1, Ordering::Relaxed);
        let (mut rd, mut wr) = s.into_split();
        let hash = hex::encode(ReplyToken::generate().unwrap().derive().lookup_key.hash());
        let head = format!(
            "POST /api/v1/meldingen HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nMeldpunt-Organisatie: leiden\r\nMeldpunt-Lookup-Hash: {hash}\r\nContent-Length: 100000000\r\n\r\nage-encryption.org/v1\n"
        );
        let writer = tokio::spawn(async move {
            if wr.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            loop {
                tokio::time::sleep(Duration::from_secs(20)).await;
                if wr.write_all(b"x").await.is_err() {
                    return;
                }
            }
        });
        let mut out = Vec::new();
        let _ = rd.read_to_end(&mut out).await;
        writer.abort();
        if out.starts_with(b"HTTP/1.1 408") {
            attack.slow_stopped.fetch_add(1, Ordering::Relaxed);
        }
        attack.open.fetch_sub(1, Ordering::Relaxed);
        attack.reopened.fetch_add(1, Ordering::Relaxed);
    }
}

/// Latencies in ms of the successful requests of each kind, and the failures.
struct Run {
    ok: [Vec<f64>; 4],
    failed: [usize; 4],
}

async fn legit_rounds(addr: std::net::SocketAddr, body: &Arc<Vec<u8>>) -> Run {
    let mut run = Run {
        ok: Default::default(),
        failed: [0; 4],
    };
    let start = tokio::time::Instant::now();
    for i in 0..ROUNDS {
        tokio::time::sleep_until(start + PACE * i as u32).await;
        let keys = ReplyToken::generate().unwrap().derive();
        let hash = hex::encode(keys.lookup_key.hash());
        let lookup = format!("{{\"lookup_key\":\"{}\"}}", *keys.lookup_key.to_hex());
        let requests: [(String, Vec<u8>, u16); 4] = [
            (
                format!(
                    "POST /api/v1/meldingen HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/octet-stream\r\nMeldpunt-Organisatie: leiden\r\nMeldpunt-Lookup-Hash: {hash}\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                ),
                body.to_vec(),
                201,
            ),
            (
                format!(
                    "POST /api/v1/reacties HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    lookup.len()
                ),
                lookup.into_bytes(),
                200,
            ),
            (
                "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".into(),
                Vec::new(),
                200,
            ),
            (
                "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".into(),
                Vec::new(),
                200,
            ),
        ];
        for (k, (head, body, want)) in requests.into_iter().enumerate() {
            let t = Instant::now();
            match tokio::time::timeout(REQUEST_DEADLINE, one(addr, &head, &body)).await {
                Ok(Some(status)) if status == want => {
                    run.ok[k].push(t.elapsed().as_secs_f64() * 1000.0)
                }
                other => {
                    eprintln!("{} failed: {other:?}", KINDS[k]);
                    run.failed[k] += 1;
                }
            }
        }
    }
    run
}

/// One request on a new connection; the status, if a response came.
async fn one(addr: std::net::SocketAddr, head: &str, body: &[u8]) -> Option<u16> {
    let mut s = TcpStream::connect(addr).await.ok()?;
    s.write_all(head.as_bytes()).await.ok()?;
    s.write_all(body).await.ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.ok()?;
    std::str::from_utf8(out.get(9..12)?).ok()?.parse().ok()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn report(name: &str, run: &Run, base: Option<&Run>) {
    println!("{name}:");
    for (k, kind) in KINDS.iter().enumerate() {
        let mut v = run.ok[k].clone();
        v.sort_by(f64::total_cmp);
        let (p50, p95, max) = (
            percentile(&v, 0.5),
            percentile(&v, 0.95),
            percentile(&v, 1.0),
        );
        let ratios = base.map(|b| {
            let mut w = b.ok[k].clone();
            w.sort_by(f64::total_cmp);
            format!(
                "; ratio to unloaded p50 {:.2}, p95 {:.2}",
                p50 / percentile(&w, 0.5),
                p95 / percentile(&w, 0.95)
            )
        });
        println!(
            "  {:<10} {:>3} of {} succeeded; p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms{}",
            kind,
            run.ok[k].len(),
            run.ok[k].len() + run.failed[k],
            ratios.unwrap_or_default()
        );
    }
}
