//! `meldpunt-keys never opens a socket`: no networking crate may enter its tree.

use std::process::Command;

/// Crates that exist to talk over a network (or to drive sockets for one).
const FORBIDDEN: &[&str] = &[
    "hyper",
    "reqwest",
    "tokio",
    "ureq",
    "mio",
    "socket2",
    "h2",
    "curl",
    "isahc",
    "surf",
    "attohttpc",
    "async-std",
    "tungstenite",
    "rustls",
    "native-tls",
    "openssl",
];

#[test]
fn dependency_tree_has_no_networking_crates() {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = Command::new(env!("CARGO"))
        .args([
            "tree", "-e", "normal", "--prefix", "none", "--format", "{p}",
        ])
        .args(["--manifest-path", manifest, "-p", "meldpunt-keys"])
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        names.contains(&"age") && names.contains(&"rusqlite"),
        "unexpected tree:\n{stdout}"
    );
    let found: Vec<&&str> = names.iter().filter(|n| FORBIDDEN.contains(n)).collect();
    assert!(
        found.is_empty(),
        "networking crates in meldpunt-keys' tree: {found:?}\n{stdout}"
    );
}

/// The same at run time: every command, traced with `strace -f -e trace=%network`,
/// makes no network system call at all (socket, connect, bind, sendto, …). The trace
/// is checked to work first, on a process that does open a socket.
#[test]
fn no_command_opens_a_socket() {
    use crate::util::*;
    let strace = ["/usr/bin/strace", "/bin/strace"]
        .into_iter()
        .find(|p| std::path::Path::new(p).is_file())
        .expect("strace is not installed: apt-get install strace");
    let traced = |m: &Meldpunt, args: &[&str], stdin: Option<&[u8]>| -> String {
        let log = m.path("strace.log");
        let _ = std::fs::remove_file(&log);
        let mut c = m.cmd();
        let program = c.get_program().to_owned();
        let mut cmd = std::process::Command::new(strace);
        cmd.args(["-f", "-qq", "-e", "trace=%network", "-o"])
            .arg(&log)
            .arg(program)
            .args(args);
        for (k, v) in c.get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd.current_dir(m.tmp.path());
        c.args(args);
        let out = run(&mut cmd, stdin);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        std::fs::read_to_string(&log).unwrap()
    };
    let m = Meldpunt::new();
    // The trace sees a socket when there is one.
    let log = m.path("probe.log");
    let probe = Command::new(strace)
        .args(["-f", "-qq", "-e", "trace=%network", "-o"])
        .arg(&log)
        .args([
            "bash",
            "-c",
            "exec 3<>/dev/tcp/127.0.0.1/9 2>/dev/null; true",
        ])
        .status();
    let probe_log = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        probe.is_ok() && probe_log.contains("socket("),
        "strace does not see sockets here: {probe_log}"
    );

    let to = {
        let log = traced(&m, &["init"], None);
        assert!(!log.contains("socket("), "init: {log}");
        m.recipient()
    };
    let r = Reporter::new();
    write_file(
        &m.path("in.tar"),
        &m.inbox(&[item(&r, &r.melding("pesten", "Eén."), &to, "2026-11-20")]),
    );
    write_file(&m.path("a.txt"), b"Antwoord.");
    for (args, stdin) in [
        (vec!["import", "in.tar", "--confirm", "c.json"], None),
        (vec!["confirm", "in.tar", "-o", "c2.json"], None),
        (vec!["list"], None),
        (vec!["show", "2026-0001"], None),
        (vec!["reply", "2026-0001", "--file", "a.txt"], None),
        (vec!["note", "2026-0001"], Some(&b"Notitie."[..])),
        (vec!["status", "2026-0001", "--afdoening", "gegrond"], None),
        (vec!["export-replies", "out.tar"], None),
        (
            vec!["jaarverslag", "--year", "2026", "--format", "svg"],
            None,
        ),
        (vec!["rotate"], None),
    ] {
        let log = traced(&m, &args, stdin);
        let calls: Vec<&str> = log
            .lines()
            .filter(|l| !l.contains("+++") && !l.contains("---"))
            .collect();
        assert!(calls.is_empty(), "{args:?} made network calls:\n{log}");
    }
}
