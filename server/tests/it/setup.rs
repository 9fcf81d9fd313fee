//! `meldpunt-server setup` with the file `meldpunt-keys init --server-file` writes, and
//! the `onion_location` it can set.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use meldpunt_envelope::keys::SigningSecretKey;

use crate::common::*;

const BIN: &str = env!("CARGO_BIN_EXE_meldpunt-server");
const ONION: &str = "http://btdue3pqv4iyjb5dql3czfqmdagk7hnqu5b65roapafzcvts6qoxsjqd.onion";

/// The laptop's file, as `meldpunt-keys init --server-file` writes it.
fn laptop_file(dir: &Path) -> (std::path::PathBuf, String, String) {
    let recipient = age::x25519::Identity::generate().to_public().to_string();
    let signing = SigningSecretKey::generate().unwrap().public().to_string();
    let text = format!(
        "# comment\nformat = \"meldpunt-server-setup\"\nv = 1\nsigning_public_key = \"{signing}\"\nstaff_token_sha256 = [\"{}\"]\nrecipients = [\"{recipient}\"]\n",
        sha256_hex(STAFF_TOKEN)
    );
    let path = dir.join("meldpunt-server-setup.toml");
    std::fs::write(&path, text).unwrap();
    (path, recipient, signing)
}

fn setup(dir: &Path, file: &Path, extra: &[&str]) -> (bool, String, String) {
    std::fs::create_dir_all(dir.join("state")).unwrap();
    write_web_root(dir);
    let out = Command::new(BIN)
        .arg("setup")
        .arg(file)
        .args([
            "--name",
            "Meldpunt \"Leidse\" regio",
            "--organisation",
            "leiden=Gemeente Leiden",
            "--organisation",
            "oegstgeest=Gemeente Oegstgeest",
            "--no-start",
        ])
        .arg("--config")
        .arg(dir.join("meldpunt-server.toml"))
        .arg("--database")
        .arg(dir.join("state/meldpunt.db"))
        .arg("--web-root")
        .arg(dir.join("www"))
        .args(extra)
        .env_remove("MELDPUNT_CONFIG")
        .output()
        .unwrap();
    outcome(out)
}

#[test]
fn setup_writes_a_checked_config_from_the_laptops_file() {
    let dir = tempfile::tempdir().unwrap();
    let (file, recipient, signing) = laptop_file(dir.path());
    let (ok, stdout, stderr) = setup(dir.path(), &file, &[]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("the config is valid"), "{stdout}");
    assert!(
        stdout.contains("oegstgeest (Gemeente Oegstgeest): 1 recipient"),
        "{stdout}"
    );
    let config = dir.path().join("meldpunt-server.toml");
    let mode = std::fs::metadata(&config).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let c = meldpunt_server::Config::load(&config).unwrap();
    assert_eq!(c.name, "Meldpunt \"Leidse\" regio");
    assert_eq!(c.signing_public_key.to_string(), signing);
    assert_eq!(c.organisations[1].recipients, [recipient]);
    assert_eq!(c.staff_token_sha256.len(), 1);
    assert_eq!(c.onion_location, None);
    assert_eq!(c.database, dir.path().join("state/meldpunt.db"));
}

#[test]
fn setup_replaces_a_config_only_with_force_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let (file, ..) = laptop_file(dir.path());
    let config = dir.path().join("meldpunt-server.toml");
    std::fs::write(&config, "# by hand\n").unwrap();
    let (ok, _, stderr) = setup(dir.path(), &file, &[]);
    assert!(!ok);
    assert!(
        stderr.contains("exists already") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&config).unwrap(), "# by hand\n");

    let (ok, _, stderr) = setup(dir.path(), &file, &["--force", "--onion-location", ONION]);
    assert!(ok, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("meldpunt-server.toml.old")).unwrap(),
        "# by hand\n"
    );
    let c = meldpunt_server::Config::load(&config).unwrap();
    assert_eq!(c.onion_location.as_deref(), Some(ONION));
}

#[test]
fn setup_refuses_a_wrong_file_or_option_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (file, ..) = laptop_file(dir.path());
    let config = dir.path().join("meldpunt-server.toml");
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "format = \"something-else\"\nv = 1\nsigning_public_key = \"x\"\nstaff_token_sha256 = []\nrecipients = [\"age1x\"]\n").unwrap();
    let cases: Vec<(&Path, Vec<&str>, &str)> = vec![
        (&other, vec![], "setup reads \"meldpunt-server-setup\""),
        (&config, vec![], "cannot read the file from the laptop"),
        (
            &file,
            vec!["--onion-location", "http://example.nl"],
            "`onion_location`",
        ),
        (
            &file,
            vec!["--organisation", "zonder-naam"],
            "is not SLUG=NAME",
        ),
        (&file, vec!["--listen", "overal"], "`listen`"),
    ];
    for (f, extra, want) in cases {
        let (ok, _, stderr) = setup(dir.path(), f, &extra);
        assert!(!ok, "{want}");
        assert!(stderr.contains(want), "{want}: {stderr}");
        assert!(!config.exists(), "{want}: a config was written");
    }
}

#[tokio::test]
async fn onion_location_goes_on_pages_only() {
    let t = TestApp::with(Options {
        extra: format!("onion_location = \"{ONION}/\"\n"),
        ..Options::default()
    });
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    let resp = t.send(get("/zonder-js?lang=en")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers().get("onion-location").unwrap(),
        &format!("{ONION}/zonder-js?lang=en")
    );
    let resp = t.send(get("/")).await;
    assert_eq!(
        resp.headers().get("onion-location").unwrap(),
        &format!("{ONION}/")
    );
    // Not on the API or static assets.
    for path in ["/api/v1/config", "/healthz", "/style.css"] {
        let resp = t.send(get(path)).await;
        assert!(resp.headers().get("onion-location").is_none(), "{path}");
    }
    // Without the key, no header.
    let plain = TestApp::new();
    assert!(
        plain
            .send(get("/"))
            .await
            .headers()
            .get("onion-location")
            .is_none()
    );
}
