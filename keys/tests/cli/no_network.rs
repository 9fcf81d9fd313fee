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
