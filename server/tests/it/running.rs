//! The real `meldpunt-server` binary, started on a config in a directory, and a
//! small blocking HTTP/1.1 client for it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use meldpunt_envelope::keys::SigningSecretKey;

use crate::common::*;

pub const BIN: &str = env!("CARGO_BIN_EXE_meldpunt-server");

/// Writes a config (and a web root) into `dir` with `limits` as the `[limits]`
/// table and the proof of work off; returns its path and the identity meldingen are sealed to.
pub fn write_config(dir: &Path, limits: &str) -> (PathBuf, age::x25519::Identity) {
    write_web_root(dir);
    let identity = age::x25519::Identity::generate();
    let signing = SigningSecretKey::generate().unwrap();
    let mut text = config_text(
        &identity.to_public().to_string(),
        &signing,
        "127.0.0.1:0",
        None,
    );
    if !limits.is_empty() {
        text.push_str(&format!("\n[limits]\n{limits}\n"));
    }
    // These tests post like a client without solving; tests/it/pow.rs covers the work.
    text.push_str("\n[pow]\nenabled = false\n");
    let path = dir.join("meldpunt-server.toml");
    std::fs::write(&path, text).unwrap();
    (path, identity)
}

/// A running server process.
pub struct Running {
    pub child: Child,
    pub addr: String,
    stderr: mpsc::Receiver<String>,
}

impl Running {
    /// Starts `meldpunt-server serve` on `config` with `env` set (and `RUST_LOG`
    /// removed unless given) and waits for its listening line.
    pub fn start(config: &Path, env: &[(&str, &str)]) -> Running {
        let mut cmd = Command::new(BIN);
        cmd.arg("serve")
            .arg("--config")
            .arg(config)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                if tx.send(line.unwrap_or_default()).is_err() {
                    break;
                }
            }
        });
        let stderr_pipe = child.stderr.take().unwrap();
        let (etx, erx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut all = Vec::new();
            let _ = BufReader::new(stderr_pipe).read_to_end(&mut all);
            let _ = etx.send(String::from_utf8_lossy(&all).into_owned());
        });
        let line = match rx.recv_timeout(DEADLINE) {
            Ok(line) => line,
            Err(_) => {
                child.kill().ok();
                child.wait().ok();
                let err = erx.recv_timeout(DEADLINE).unwrap_or_default();
                panic!("no listening line; stderr:\n{err}");
            }
        };
        let addr = line
            .strip_prefix("meldpunt-server listening on http://")
            .unwrap_or_else(|| panic!("{line}"))
            .to_string();
        Running {
            child,
            addr,
            stderr: erx,
        }
    }

    /// Stops it with SIGTERM; returns whether it exited successfully and its stderr.
    pub fn stop(mut self) -> (bool, String) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let mut status = None;
        wait_until("the server to stop after SIGTERM", || {
            status = self.child.try_wait().unwrap();
            status.is_some()
        });
        let stderr = self.stderr.recv_timeout(DEADLINE).unwrap_or_default();
        (status.unwrap().success(), stderr)
    }

    /// Kills it with SIGKILL and waits for it to be gone.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// One request on a new connection (`Connection: close`).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        request(&self.addr, method, path, headers, body).unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

/// A response: status, raw head (lowercased) and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

/// Sends one request on a new connection and reads the response to its end.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(DEADLINE))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: meldpunt.test\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    parse_reply(&raw).ok_or_else(|| std::io::Error::other("no complete response"))
}

/// A whole response (`Connection: close`, so the body runs to the end).
pub fn parse_reply(raw: &[u8]) -> Option<Reply> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end + 4]).to_ascii_lowercase();
    let status = head.get(9..12)?.parse().ok()?;
    Some(Reply {
        status,
        head,
        body: raw[end + 4..].to_vec(),
    })
}
