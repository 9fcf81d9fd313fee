//! Durability of the real server: a 201 means the submission survives anything,
//! SIGKILL included, and no 201 goes out before the commit's fsync.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use meldpunt_envelope::token::ReplyToken;

use crate::common::*;
use crate::running::*;

/// Kill-and-restart cycles; each kills the server while submissions are in flight.
const CYCLES: usize = 25;
/// Clients submitting at once.
const CLIENTS: usize = 6;

/// A submission of `body` under a fresh lookup hash; its id if acknowledged.
fn submit(addr: &str, body: &[u8]) -> std::io::Result<(u16, Option<(String, String)>)> {
    let mut hash = [0u8; 32];
    meldpunt_envelope::random_bytes(&mut hash).unwrap();
    let hash = hex::encode(hash);
    let r = request(
        addr,
        "POST",
        "/api/v1/meldingen",
        &[
            ("Content-Type", "application/octet-stream"),
            ("Meldpunt-Organisatie", "leiden"),
            ("Meldpunt-Lookup-Hash", &hash),
        ],
        body,
    )?;
    if r.status != 201 {
        return Ok((r.status, None));
    }
    let v: serde_json::Value = serde_json::from_slice(&r.body).expect("a 201 is JSON");
    let id = v["id"].as_str().expect("an id").to_string();
    Ok((201, Some((id, hash))))
}

fn random_below(n: u32) -> u32 {
    let mut b = [0u8; 4];
    meldpunt_envelope::random_bytes(&mut b).unwrap();
    u32::from_le_bytes(b) % n
}

/// Every acknowledged submission is in the database with its lookup hash, and
/// the database is sound.
fn assert_stored(db: &std::path::Path, acked: &[(String, String)]) {
    let c = rusqlite::Connection::open(db).unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let mut q = c
        .prepare("SELECT lookup_hash FROM items WHERE id = ?1")
        .unwrap();
    for (id, hash) in acked {
        let stored: Vec<u8> = q
            .query_row([id], |r| r.get(0))
            .unwrap_or_else(|e| panic!("acknowledged submission {id} is missing: {e}"));
        assert_eq!(hex::encode(stored), *hash, "{id}");
    }
}

#[test]
fn every_acknowledged_submission_survives_sigkill_mid_load() {
    let dir = tempfile::tempdir().unwrap();
    let (config, identity) = write_config(dir.path(), "submissions_per_minute = 10000000");
    let db = dir.path().join("meldpunt.db");
    let keys = ReplyToken::generate().unwrap().derive();
    let body = Arc::new(seal_melding(&identity, &keys, "Overleeft een SIGKILL."));
    let mut all_acked = 0;
    for cycle in 0..CYCLES {
        let server = Running::start(&config, &[]);
        let acked = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (addr, body) = (server.addr.clone(), Arc::clone(&body));
                let (acked, stop) = (Arc::clone(&acked), Arc::clone(&stop));
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        match submit(&addr, &body) {
                            Ok((_, Some(done))) => acked.lock().unwrap().push(done),
                            Ok((status, None)) => panic!("cycle {cycle}: status {status}"),
                            // The server was killed under this request.
                            Err(_) => break,
                        }
                    }
                })
            })
            .collect();
        // Kill at a different point in each cycle, always with requests in flight.
        let target = 1 + random_below(60) as usize;
        wait_until("acknowledged submissions", || {
            acked.lock().unwrap().len() >= target
        });
        server.kill();
        stop.store(true, Ordering::Relaxed);
        for c in clients {
            c.join().unwrap();
        }
        let acked = acked.lock().unwrap();
        assert_stored(&db, &acked);
        all_acked += acked.len();
    }
    // The server starts on what the kills left, and holds at least everything acknowledged.
    let server = Running::start(&config, &[]);
    assert_eq!(server.request("GET", "/healthz", &[], b"").status, 200);
    let (ok, stderr) = server.stop();
    assert!(ok, "{stderr}");
    let c = rusqlite::Connection::open(&db).unwrap();
    let n: usize = c
        .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
        .unwrap();
    assert!(n >= all_acked, "{n} items, {all_acked} acknowledged");
}

/// Compiles the fsync gate into `dir`.
fn fsync_gate(dir: &std::path::Path) -> std::path::PathBuf {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/fsync-gate.c");
    let out = dir.join("fsync-gate.so");
    let status = std::process::Command::new("gcc")
        .args(["-O2", "-shared", "-fPIC", "-o"])
        .arg(&out)
        .arg(src)
        .arg("-ldl")
        .status()
        .expect("gcc runs");
    assert!(status.success(), "gcc failed");
    out
}

#[test]
fn no_201_before_the_commit_is_durable() {
    let dir = tempfile::tempdir().unwrap();
    let gate_dir = dir.path().join("gate");
    std::fs::create_dir(&gate_dir).unwrap();
    let shim = fsync_gate(dir.path());
    let (config, identity) = write_config(dir.path(), "");
    let keys = ReplyToken::generate().unwrap().derive();
    let body = seal_melding(&identity, &keys, "Pas na de fsync bevestigd.");
    let server = Running::start(
        &config,
        &[
            ("LD_PRELOAD", shim.to_str().unwrap()),
            ("FSYNC_GATE_DIR", gate_dir.to_str().unwrap()),
            // Thread names are cut at 15 bytes: "meldpunt-db-wri".
            ("FSYNC_GATE_THREAD", "meldpunt-db-wri"),
        ],
    );
    // Unheld, a submission is acknowledged as usual.
    let (status, first) = submit(&server.addr, &body).unwrap();
    assert_eq!(status, 201);

    let armed = gate_dir.join("armed");
    let held = gate_dir.join("held");
    std::fs::write(&armed, b"").unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let (addr, b) = (server.addr.clone(), body.clone());
    std::thread::spawn(move || {
        let _ = tx.send(submit(&addr, &b));
    });
    // The writer reaches the WAL's fsync and is held there, or (if the server
    // answered without syncing) the answer comes first: either ends the wait.
    let mut answer = None;
    wait_until("the writer's fsync of the WAL, or an answer", || {
        if answer.is_none() {
            answer = rx.try_recv().ok();
        }
        answer.is_some()
            || std::fs::read_to_string(&held).is_ok_and(|h| h.contains("meldpunt.db-wal"))
    });
    assert!(
        answer.is_none(),
        "answered {:?} without the WAL's fsync being reached",
        answer.map(|a| a.map(|(s, _)| s))
    );
    // While the fsync is held the server keeps serving other requests (each answer
    // shows it got on with its work), the writer stays in that fsync (the gate has
    // held exactly that one call), and the submission gets no answer.
    for _ in 0..20 {
        assert_eq!(server.request("GET", "/healthz", &[], b"").status, 200);
        if let Ok(a) = rx.try_recv() {
            panic!(
                "answered {:?} while the commit's fsync was held",
                a.map(|(s, _)| s)
            );
        }
    }
    let held_calls = std::fs::read_to_string(&held).unwrap();
    assert_eq!(held_calls.lines().count(), 1, "{held_calls}");
    assert!(
        rx.try_recv().is_err(),
        "answered while the commit's fsync was held"
    );
    std::fs::remove_file(&armed).unwrap();
    let (status, second) = rx.recv_timeout(DEADLINE).unwrap().unwrap();
    assert_eq!(status, 201, "acknowledged once the fsync is done");
    let (ok, stderr) = server.stop();
    assert!(ok, "{stderr}");
    assert_stored(
        &dir.path().join("meldpunt.db"),
        &[first.unwrap(), second.unwrap()],
    );
}
