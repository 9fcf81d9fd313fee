//! Benchmark of the intake server (not a test: `cargo test` never runs it).
//!
//!     cargo bench -p meldpunt-server --bench intake
//!
//! Everything stays on loopback and every phase is bounded in count and time. It
//! measures, in one run on one machine:
//!
//! 1. **ceiling**: raw batched SQLite inserts of the same 16 KiB blobs through the
//!    server's own schema and insert (`db::insert_submission`: a case row and an
//!    item row each, with random item ids as the server makes them) but without its
//!    writer thread, WAL with `synchronous=FULL` and SQLite's default
//!    checkpointing, in transactions of 64 and of 256 rows; the better of the two
//!    is the ceiling;
//!    one commit per row is measured once beforehand, to tell a disk whose fsync
//!    sets the ceiling from one where CPU does;
//! 2. **durable intake**: 16 KiB sealed meldingen POSTed over real HTTP on loopback
//!    by 64 and then by 256 keep-alive clients, each time to a fresh server, each
//!    201 only after its group commit; the better of the two (as the ceiling is
//!    the better of its two transaction sizes: a group can never hold more
//!    submissions than there are clients) against the ceiling (goal ≥ 0.85).
//!    Ceiling and intake alternate in [`ROUNDS`] rounds, each on fresh database
//!    files, and the median ratio counts, because this shared machine's disk and CPU speed drift by more than
//!    10% within a minute. Every measured phase starts after `sync`, and each
//!    phase's files are deleted once measured, so no phase pays for writing back
//!    the pages an earlier one left dirty (the ceiling's two runs leave some
//!    650 MB, which used to land on the intake that followed them). Once the
//!    intake's servers are stopped, each round also measures **group commit
//!    without HTTP**: as many submissions handed straight to the server's store
//!    (`Db::write`) by 64 and by 256 tasks, on fresh files, the better of the two.
//!    Its ratio to the same ceiling tells how much of the gap is the store and how
//!    much is HTTP, the receipt and the load generator, which share this
//!    machine's cores. `server/benches/slow-fsync.c` says how to run it all on an
//!    emulated disk whose fsync sets the pace;
//! 3. **latency** at a steady 1,000 submissions/s for 10 s, open loop (measured
//!    from each request's scheduled time, so a stall is not hidden): p50/p99/max
//!    (goal p99 ≤ 50 ms);
//! 4. **flood**: look-ups (`POST /api/v1/reacties`) over their rate limit as fast
//!    as 32 connections can send them, while 200 submissions/s go in beside them:
//!    refusals per second (goal ≥ 20,000/s), how many flood requests reached SQLite,
//!    and whether every legitimate submission got its 201;
//! 5. **resident memory** of the whole benchmark process (server and load
//!    generator together, so an upper bound for the server) sampled during 2–4
//!    (goal ≤ 50 MiB).
//!
//! Results go to stdout; docs/PERFORMANCE.md holds the numbers of a run.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use meldpunt_envelope::keys::SigningSecretKey;
use meldpunt_server::{AppState, Config, app};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BODY_BYTES: usize = 16 * 1024;
/// Clients for the intake, one keep-alive connection each: as many as the raw
/// ceiling's two transaction sizes, so that each side is measured at its better.
const CLIENTS: [usize; 2] = [64, 256];
const THROUGHPUT_N: usize = 8_000;
// The same number of rows as the intake stores, so both databases grow alike.
const RAW_N: usize = THROUGHPUT_N;
const ROUNDS: usize = 5;
const STEADY_RATE: u64 = 1_000;
const STEADY_SECS: u64 = 10;
const FLOOD_SECS: u64 = 5;
const FLOOD_CONNECTIONS: usize = 32;
const LEGIT_RATE: u64 = 200;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let identity = age::x25519::Identity::generate();
    // One sealed 16 KiB payload: the server checks only the age header, and each
    // request gets its own case (lookup hash).
    let mut payload = vec![0u8; BODY_BYTES - 300];
    meldpunt_envelope::random_bytes(&mut payload).unwrap();
    let body = Arc::new(
        meldpunt_envelope::melding::seal_bytes(&payload, &[identity.to_public()]).unwrap(),
    );
    println!(
        "meldpunt-server intake benchmark: {} byte submissions, {} cores, {} async workers",
        body.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        workers()
    );

    // What this disk does without group commit: one transaction, so one fsync of
    // the WAL, per row. It tells whether the ceiling below is bound by fsync or by CPU.
    let single = raw_inserts(dir.path(), &body, 1, 500);
    println!("one commit per row: {single:>6.0} rows/s");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers())
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let rss = Arc::new(AtomicUsize::new(0));
        let sampler = tokio::spawn(sample_rss(Arc::clone(&rss)));

        // Limits high enough not to get in the way of the throughput and latency
        // phases: they measure durability, not the limiter.
        let open_limits = "submissions_per_minute = 10000000\nlookups_per_minute = 10000000\nmax_concurrent_uploads = 1024\nmax_concurrent_requests = 4096";
        let mut ratios = Vec::new();
        let mut direct_ratios = Vec::new();
        for round in 1..=ROUNDS {
            let c64 = raw_inserts(dir.path(), &body, 64, RAW_N);
            let c256 = raw_inserts(dir.path(), &body, 256, RAW_N);
            let ceiling = c64.max(c256);
            println!(
                "round {round}: ceiling {c64:>6.0} rows/s (64 per transaction), {c256:>6.0} (256)"
            );
            let mut rate = 0f64;
            for clients in CLIENTS {
                let r = intake(dir.path(), round, clients, &identity, &body, open_limits).await;
                rate = rate.max(r);
            }
            println!("         intake, the better of the two: ratio {:.2}", rate / ceiling);
            ratios.push(rate / ceiling);
            let mut direct = 0f64;
            for tasks in CLIENTS {
                direct = direct.max(store_direct(dir.path(), round, tasks, &body).await);
            }
            println!(
                "         group commit without HTTP: {direct:>6.0} submissions/s; ratio {:.2}",
                direct / ceiling
            );
            direct_ratios.push(direct / ceiling);
        }
        println!(
            "group commit without HTTP, ratio to the raw ceiling: {}",
            spread(direct_ratios)
        );
        println!(
            "durable intake over HTTP, ratio to the raw ceiling: {} over {ROUNDS} rounds  (goal >= 0.85)",
            spread(ratios)
        );

        let (addr, _state, _server) = start(dir.path(), "main", &identity, open_limits).await;
        let (p50, p99, max, late) = steady(addr, &body).await;
        println!(
            "steady {STEADY_RATE}/s for {STEADY_SECS}s: p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms, {late} not sent on time  (goal p99 <= 50 ms)"
        );

        // The flood gets its own server: look-ups limited to 60 a minute.
        let (faddr, fstate, _fserver) = start(
            dir.path(),
            "flood",
            &identity,
            "submissions_per_minute = 10000000\nlookups_per_minute = 60\nmax_concurrent_uploads = 1024\nmax_concurrent_requests = 4096",
        )
        .await;
        let reads_before = fstate.db.stats().reads.load(Ordering::Relaxed);
        let f = flood(faddr, &body).await;
        let reads = fstate.db.stats().reads.load(Ordering::Relaxed) - reads_before;
        println!(
            "flood: {:.0} refusals/s (429) of {} look-ups in {FLOOD_SECS}s; {} within the quota reached SQLite ({} database reads in all)  (goal >= 20000/s)",
            f.refused as f64 / f.secs,
            f.refused + f.allowed,
            f.allowed,
            reads
        );
        println!(
            "beside the flood: {} of {} legitimate submissions stored (201), p99 {:.1} ms",
            f.legit_ok, f.legit_sent, f.legit_p99
        );
        sampler.abort();
        println!(
            "resident memory, whole process (server + load generator), peak sampled: {:.1} MiB  (goal <= 50 MiB)",
            rss.load(Ordering::Relaxed) as f64 / (1024.0 * 1024.0)
        );
    });
}

/// Async worker threads for server and load generator together (default 1, so
/// that on a 2-core machine the database writer thread keeps a core, as it would
/// beside a server without a load generator in its process); `BENCH_WORKERS=n`.
fn workers() -> usize {
    std::env::var("BENCH_WORKERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

/// Inserts `n` submissions with the server's own schema (its migrations, by
/// `Db::open`) and its own insert (`db::insert_submission`: a case row and an item
/// row each), `batch` per transaction on one plain connection, without the writer
/// thread; rows/s. So the ceiling cannot drift from what the server writes.
fn raw_inserts(dir: &std::path::Path, body: &[u8], batch: usize, n: usize) -> f64 {
    use meldpunt_server::db::{Stored, insert_submission};
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let path = dir.join(format!(
        "raw-{batch}-{}.db",
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    drop(meldpunt_server::Db::open(&path).unwrap());
    let mut conn = meldpunt_server::db::connect(&path).unwrap();
    let bytes = axum::body::Bytes::copy_from_slice(body);
    settle();
    let start = Instant::now();
    let mut i = 0u64;
    while (i as usize) < n {
        let tx = conn.transaction().unwrap();
        for _ in 0..batch {
            let mut lookup_hash = [0u8; 32];
            lookup_hash[..8].copy_from_slice(&i.to_le_bytes());
            let s = melding(lookup_hash, "2026-11-22".into(), &bytes);
            let stored = insert_submission(&tx, &s).unwrap();
            assert!(matches!(stored, Stored::Stored { .. }), "{stored:?}");
            i += 1;
        }
        tx.commit().unwrap();
    }
    let rate = i as f64 / start.elapsed().as_secs_f64();
    drop(conn);
    discard(&path);
    rate
}

/// A melding of `bytes` for the case `lookup_hash`, with a random id as the server
/// makes them.
fn melding(
    lookup_hash: [u8; 32],
    received_day: String,
    bytes: &axum::body::Bytes,
) -> meldpunt_server::db::Submission {
    let mut ciphertext = meldpunt_server::intake::Blob::default();
    ciphertext.push(bytes.clone());
    meldpunt_server::db::Submission {
        kind: meldpunt_server::db::ItemKind::Melding,
        id: meldpunt_envelope::random_id().unwrap(),
        organisation: "leiden".into(),
        lookup_hash,
        received_day,
        ciphertext,
        bijlagen: Vec::new(),
    }
}

/// Stores [`THROUGHPUT_N`] submissions as the intake does, minus HTTP: `tasks`
/// tasks each hand one at a time to `Db::write` and wait for its commit;
/// submissions/s.
async fn store_direct(dir: &std::path::Path, round: usize, tasks: usize, body: &[u8]) -> f64 {
    use meldpunt_server::db::{Stored, insert_submission};
    let path = dir.join(format!("direct-{round}-{tasks}.db"));
    let db = meldpunt_server::Db::open(&path).unwrap();
    let bytes = axum::body::Bytes::copy_from_slice(body);
    settle();
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let (db, next, bytes) = (db.clone(), Arc::clone(&next), bytes.clone());
        handles.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < THROUGHPUT_N {
                let mut lookup_hash = [0u8; 32];
                meldpunt_envelope::random_bytes(&mut lookup_hash).unwrap();
                let s = melding(
                    lookup_hash,
                    meldpunt_envelope::Day::today().to_string(),
                    &bytes,
                );
                let stored = db.write(move |c| insert_submission(c, &s)).await;
                assert!(matches!(stored, Ok(Stored::Stored { .. })), "{stored:?}");
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let rate = THROUGHPUT_N as f64 / start.elapsed().as_secs_f64();
    // Let the writer and checkpoint threads close their connections first.
    drop(db);
    tokio::time::sleep(Duration::from_millis(300)).await;
    discard(&path);
    rate
}

/// Measures the intake of [`THROUGHPUT_N`] submissions by `clients` keep-alive
/// connections on a fresh server, prints it, stops the server and deletes its
/// files; submissions/s.
async fn intake(
    dir: &std::path::Path,
    round: usize,
    clients: usize,
    identity: &age::x25519::Identity,
    body: &Arc<Vec<u8>>,
    limits: &str,
) -> f64 {
    let name = format!("round-{round}-{clients}");
    let (addr, state, server) = start(dir, &name, identity, limits).await;
    settle();
    let cpu_before = thread_cpu();
    let rate = throughput(addr, body, clients).await;
    let cpu = cpu_per_submission(&cpu_before, &thread_cpu(), THROUGHPUT_N);
    let commits = state.db.stats().commits.load(Ordering::Relaxed).max(1);
    println!(
        "         intake with {clients:>3} clients: {rate:>6.0} submissions/s, {:.1} per commit; CPU per submission by thread: {cpu}",
        THROUGHPUT_N as f64 / commits as f64
    );
    // Stop the server, so its threads and caches do not linger into the next
    // measurement or the memory figure.
    server.abort();
    drop(state);
    tokio::time::sleep(Duration::from_millis(300)).await;
    discard(&dir.join(name).join("meldpunt.db"));
    rate
}

/// Writes every dirty page of the machine to disk, so that a measurement does not
/// pay for writing back what the one before it left in the page cache.
fn settle() {
    let ok = std::process::Command::new("sync")
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "sync failed");
}

/// Deletes a measured database with its WAL and shared-memory files; the kernel
/// then drops their pages instead of writing them back during the next phase.
fn discard(db: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

async fn start(
    base: &std::path::Path,
    name: &str,
    identity: &age::x25519::Identity,
    limits: &str,
) -> (std::net::SocketAddr, AppState, tokio::task::JoinHandle<()>) {
    let dir = base.join(name);
    std::fs::create_dir_all(dir.join("www")).unwrap();
    let signing = SigningSecretKey::generate().unwrap();
    let text = format!(
        r#"name = "Benchmark"
listen = "127.0.0.1:0"
database = "meldpunt.db"
web_root = "www"
signing_public_key = "{}"
staff_token_sha256 = ["{}"]

[[organisations]]
slug = "leiden"
name = "Gemeente Leiden"
recipients = ["{}"]

[limits]
{limits}

# The intake alone is measured here; tests/bench/flood.mjs measures the proof of work.
[pow]
enabled = false
"#,
        signing.public(),
        "00".repeat(32),
        identity.to_public()
    );
    let path = dir.join("meldpunt-server.toml");
    std::fs::write(&path, text).unwrap();
    let state = AppState::open(Config::load(&path).unwrap()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app(state.clone());
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (addr, state, server)
}

static CASE: AtomicU64 = AtomicU64::new(1);

fn submission_head(addr: std::net::SocketAddr, len: usize) -> Vec<u8> {
    let mut h = [0u8; 32];
    h[..8].copy_from_slice(&CASE.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    format!(
        "POST /api/v1/meldingen HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/octet-stream\r\nMeldpunt-Organisatie: leiden\r\nMeldpunt-Lookup-Hash: {}\r\nContent-Length: {len}\r\n\r\n",
        hex::encode(h)
    )
    .into_bytes()
}

/// One keep-alive HTTP/1.1 connection. It reads each response with as few reads
/// as it can and parses only the status and `Content-Length`, so that the load
/// generator, which shares the machine's two cores with the server, costs little.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    filled: usize,
}

impl Conn {
    async fn open(addr: std::net::SocketAddr) -> Conn {
        let s = TcpStream::connect(addr).await.unwrap();
        s.set_nodelay(true).unwrap();
        Conn {
            stream: s,
            buf: vec![0; 4096],
            filled: 0,
        }
    }

    /// Sends one request and returns the status of its response, reconnecting
    /// when the server has closed the connection (as it does after refusing a
    /// request whose body it did not read).
    async fn send(&mut self, addr: std::net::SocketAddr, head: &[u8], body: &[u8]) -> u16 {
        for _ in 0..3 {
            match self.try_send(head, body).await {
                Ok(status) => return status,
                Err(_) => *self = Conn::open(addr).await,
            }
        }
        panic!("the server keeps closing the connection");
    }

    /// Reads more of the response into the buffer; an error at end of stream.
    async fn fill(&mut self) -> std::io::Result<()> {
        if self.filled == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        match self.stream.read(&mut self.buf[self.filled..]).await? {
            0 => Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                self.filled += n;
                Ok(())
            }
        }
    }

    async fn try_send(&mut self, head: &[u8], body: &[u8]) -> std::io::Result<u16> {
        self.stream.write_all(head).await?;
        if !body.is_empty() {
            self.stream.write_all(body).await?;
        }
        let head_end = loop {
            if let Some(i) = self.buf[..self.filled]
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
            {
                break i + 4;
            }
            self.fill().await?;
        };
        let head = std::str::from_utf8(&self.buf[..head_end])
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidData))?;
        let status: u16 = head
            .split(' ')
            .nth(1)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let len: usize = head
            .split("\r\n")
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .unwrap_or(0);
        while self.filled < head_end + len {
            self.fill().await?;
        }
        // Keep-alive without pipelining: nothing follows the body, but keep any
        // bytes that did.
        self.buf.copy_within(head_end + len..self.filled, 0);
        self.filled -= head_end + len;
        Ok(status)
    }
}

async fn throughput(addr: std::net::SocketAddr, body: &Arc<Vec<u8>>, clients: usize) -> f64 {
    // Each connection keeps one buffer of head and body and rewrites only the head
    // (always the same length) per request, so the load generator sends each
    // request with one write and costs the server's core as little as it can,
    // without holding every request in memory (which the RSS sample would count).
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (next, body) = (Arc::clone(&next), Arc::clone(body));
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(addr).await;
            let mut request = submission_head(addr, body.len());
            let head_len = request.len();
            request.extend_from_slice(&body);
            while next.fetch_add(1, Ordering::Relaxed) < THROUGHPUT_N {
                let head = submission_head(addr, body.len());
                request[..head_len].copy_from_slice(&head);
                let status = c.send(addr, &request, &[]).await;
                assert_eq!(status, 201);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    THROUGHPUT_N as f64 / start.elapsed().as_secs_f64()
}

/// "median m, min a, max b" of the rounds' ratios.
fn spread(mut ratios: Vec<f64>) -> String {
    ratios.sort_by(f64::total_cmp);
    format!(
        "median {:.2}, min {:.2}, max {:.2}",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    )
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

/// Open-loop load at `rate`/s for `secs` over a pool of connections; latencies in
/// ms from each request's scheduled time, and how many found no free connection.
async fn paced(
    addr: std::net::SocketAddr,
    body: &Arc<Vec<u8>>,
    rate: u64,
    secs: u64,
    pool: usize,
) -> (Vec<f64>, usize, usize) {
    let (tx, rx) = async_channel(pool);
    for _ in 0..pool {
        tx.send(Conn::open(addr).await).await.unwrap();
    }
    let start = tokio::time::Instant::now();
    let interval = Duration::from_nanos(1_000_000_000 / rate);
    let mut tasks = Vec::new();
    let mut late = 0;
    let mut rx = rx;
    for i in 0..rate * secs {
        let at = start + interval * i as u32;
        tokio::time::sleep_until(at).await;
        let Ok(mut c) = rx.try_recv() else {
            late += 1;
            continue;
        };
        let (tx, body) = (tx.clone(), Arc::clone(body));
        tasks.push(tokio::spawn(async move {
            let status = c
                .send(addr, &submission_head(addr, body.len()), &body)
                .await;
            let ms = at.elapsed().as_secs_f64() * 1000.0;
            tx.send(c).await.ok();
            (status, ms)
        }));
    }
    let mut lat = Vec::with_capacity(tasks.len());
    let mut ok = 0;
    for t in tasks {
        let (status, ms) = t.await.unwrap();
        if status == 201 {
            ok += 1;
        }
        lat.push(ms);
    }
    lat.sort_by(f64::total_cmp);
    (lat, ok, late)
}

fn async_channel(
    n: usize,
) -> (
    tokio::sync::mpsc::Sender<Conn>,
    tokio::sync::mpsc::Receiver<Conn>,
) {
    tokio::sync::mpsc::channel(n)
}

async fn steady(addr: std::net::SocketAddr, body: &Arc<Vec<u8>>) -> (f64, f64, f64, usize) {
    let (lat, ok, late) = paced(addr, body, STEADY_RATE, STEADY_SECS, 128).await;
    assert_eq!(ok, lat.len(), "every paced submission is stored");
    (
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        *lat.last().unwrap(),
        late,
    )
}

struct Flood {
    refused: u64,
    allowed: u64,
    secs: f64,
    legit_sent: usize,
    legit_ok: usize,
    legit_p99: f64,
}

async fn flood(addr: std::net::SocketAddr, body: &Arc<Vec<u8>>) -> Flood {
    let refused = Arc::new(AtomicU64::new(0));
    let allowed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(FLOOD_SECS);
    let json = format!("{{\"lookup_key\":\"{}\"}}", "ab".repeat(32));
    let head = format!(
        "POST /api/v1/reacties HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        json.len()
    );
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..FLOOD_CONNECTIONS {
        let (refused, allowed) = (Arc::clone(&refused), Arc::clone(&allowed));
        let (head, json) = (head.clone(), json.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(addr).await;
            while Instant::now() < deadline {
                match c.send(addr, head.as_bytes(), json.as_bytes()).await {
                    429 => refused.fetch_add(1, Ordering::Relaxed),
                    _ => allowed.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    let (lat, legit_ok, late) = paced(addr, body, LEGIT_RATE, FLOOD_SECS, 16).await;
    for t in tasks {
        t.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    Flood {
        refused: refused.load(Ordering::Relaxed),
        allowed: allowed.load(Ordering::Relaxed),
        secs,
        legit_sent: lat.len() + late,
        legit_ok,
        legit_p99: percentile(&lat, 0.99),
    }
}

/// Samples this process's resident set every 50 ms and keeps the largest.
async fn sample_rss(peak: Arc<AtomicUsize>) {
    loop {
        if let Ok(s) = std::fs::read_to_string("/proc/self/status")
            && let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        {
            peak.fetch_max(kb * 1024, Ordering::Relaxed);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// CPU time (user + system, in clock ticks) of each thread of this process, by name.
fn thread_cpu() -> std::collections::BTreeMap<String, u64> {
    let mut out = std::collections::BTreeMap::new();
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else {
        return out;
    };
    for t in dir.flatten() {
        let Ok(stat) = std::fs::read_to_string(t.path().join("stat")) else {
            continue;
        };
        // The name is in parentheses and may hold spaces; the fields follow it.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = stat[open + 1..close].to_string();
        let f: Vec<&str> = stat[close + 2..].split(' ').collect();
        let ticks = f.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
            + f.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        *out.entry(name).or_insert(0) += ticks;
    }
    out
}

/// Where the CPU went during a phase: microseconds per submission per thread name.
fn cpu_per_submission(
    before: &std::collections::BTreeMap<String, u64>,
    after: &std::collections::BTreeMap<String, u64>,
    n: usize,
) -> String {
    // Linux reports thread times in USER_HZ ticks, 100 a second.
    let us_per_tick = 10_000.0;
    let parts: Vec<String> = after
        .iter()
        .filter_map(|(name, &t)| {
            let d = t - before.get(name).copied().unwrap_or(0);
            (d > 0).then(|| format!("{name} {:.0} us", d as f64 * us_per_tick / n as f64))
        })
        .collect();
    parts.join(", ")
}
