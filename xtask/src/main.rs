//! Project automation. `cargo xtask <command>`:
//! - `setup`: install what the build and the tests need and is missing, build the WASM client;
//! - `wasm`: build the WASM client only (`--verify-reproducible`: build it twice in
//!   two fresh copies of the repository and compare the code hashes);
//! - `demo`: setup, then start the service on 127.0.0.1 with demo keys in `./demo` (the
//!   binaries of the `ci` profile, as the tests run them);
//! - `package`: the Debian packages `meldpunt-server` and `meldpunt-keys` in target/debian
//!   (release binaries, fat LTO: what ships);
//! - `install-test`: package, then install and use them in a clean Debian 12 root as
//!   docs/OPERATIONS.md says (`--use-built` skips the packaging, `--previous <deb>` names
//!   the package to upgrade from);
//! - `test`: the tools, then every test (Rust, the packages' install test, WASM vectors
//!   under node, browser end to end), built once in the `ci` profile with the WASM
//!   built beside it; prints the wall and CPU time of each phase.

mod install_test;
mod package;
mod phase;
mod toolchain;
mod wasm;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Runs a command in the workspace root, failing with its name if it fails.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    run_in(&root(), cmd)
}

/// Runs a command in `dir`, failing with its name if it fails.
pub fn run_in(dir: &Path, cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .current_dir(dir)
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn setup(with_test_tools: bool) -> Result<(), String> {
    toolchain::ensure_build_tools()?;
    if with_test_tools {
        toolchain::ensure_test_tools()?;
    }
    wasm::build_wasm(&root())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup(true),
        Some("wasm") if args.get(1).map(String::as_str) == Some("--verify-reproducible") => {
            wasm::verify_reproducible(&root())
        }
        Some("wasm") => wasm::build_wasm(&root()),
        Some("demo") => setup(false).and_then(|()| demo(&args[1..])),
        // The install test's recording relay, run inside the test root's network namespace.
        Some("__relay") => install_test::relay(&args[1..]),
        Some("package") => toolchain::ensure_build_tools()
            .and_then(|()| toolchain::ensure_package_tools())
            .and_then(|()| package::package())
            .map(drop),
        // `--use-built`: test the packages of the last `cargo xtask package` as they are.
        Some("install-test") if args.get(1).map(String::as_str) == Some("--use-built") => {
            toolchain::ensure_install_test_tools()
                .and_then(|()| package::existing())
                .and_then(|built| install_test::run(&built, &args[2..]))
        }
        Some("install-test") => toolchain::ensure_build_tools()
            .and_then(|()| toolchain::ensure_package_tools())
            .and_then(|()| toolchain::ensure_install_test_tools())
            .and_then(|()| package::package())
            .and_then(|built| install_test::run(&built, &args[1..])),
        Some("__base-root") => install_test::base_root().map(drop),
        Some("test") => {
            let start = std::time::Instant::now();
            // The tools only: the test builds the page itself, beside the Rust build.
            let result = phase::timed("tools", || {
                toolchain::ensure_build_tools()?;
                toolchain::ensure_test_tools()
            })
            .and_then(|()| test(&args[1..]));
            eprintln!(
                "xtask: test took {:.1} s in all, {:.1} s cpu (user+sys)",
                start.elapsed().as_secs_f64(),
                phase::children_cpu_seconds()
            );
            result
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <setup|wasm [--verify-reproducible]|demo|package|install-test|test>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

const DEMO_PASSPHRASE: &str = "demo-wachtwoord-niet-voor-echt";
const DEMO_ORGANISATIONS: &[(&str, &str)] = &[
    ("leiden", "Gemeente Leiden"),
    ("leiderdorp", "Gemeente Leiderdorp"),
    ("oegstgeest", "Gemeente Oegstgeest"),
    ("zoeterwoude", "Gemeente Zoeterwoude"),
];

/// Where the binaries of the `ci` profile are: what `cargo xtask test` (its Rust tests,
/// the install test's packages, the browser tests) and the demo run.
fn ci_binaries() -> PathBuf {
    root().join("target/ci")
}

/// The server and the offline tool in the `ci` profile (optimised, no fat LTO).
fn build_ci_binaries() -> Result<(), String> {
    build_binaries_in("ci")
}

/// The shipped binaries: the release profile, fat LTO (`cargo xtask package`).
fn build_binaries() -> Result<(), String> {
    build_binaries_in("release")
}

fn build_binaries_in(profile: &str) -> Result<(), String> {
    run(Command::new("cargo")
        .args(["build", "-q", "--profile", profile])
        .args([
            "-p",
            "meldpunt-server",
            "-p",
            "meldpunt-keys",
            "-p",
            "meldpunt-desk",
        ]))
}

/// Pulls `key = "value"` or `key = ["value"]` out of the file `meldpunt-keys init`
/// writes with `--server-file`.
fn snippet_value(out: &str, key: &str) -> Result<String, String> {
    out.lines()
        .filter_map(|l| l.trim().strip_prefix(key))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .filter_map(|v| v.split('"').nth(1))
        .map(str::to_string)
        .next()
        .ok_or_else(|| format!("meldpunt-keys init printed no {key}:\n{out}"))
}

/// Starts the service on an embedded default: demo keys and SQLite under ./demo.
fn demo(_args: &[String]) -> Result<(), String> {
    build_ci_binaries()?;
    let root = root();
    let demo = root.join("demo");
    let laptop = demo.join("laptop");
    let config = demo.join("meldpunt-server.toml");
    let keys_bin = ci_binaries().join("meldpunt-keys");
    let staff_file = demo.join("staff-token.txt");
    if !config.exists() {
        std::fs::create_dir_all(&demo)
            .map_err(|e| format!("cannot create {}: {e}", demo.display()))?;
        let out = Command::new(&keys_bin)
            .args([
                "--dir".as_ref(),
                laptop.as_os_str(),
                "init".as_ref(),
                "--json".as_ref(),
            ])
            .env("MELDPUNT_PASSPHRASE", DEMO_PASSPHRASE)
            .output()
            .map_err(|e| format!("cannot run meldpunt-keys: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if !out.status.success() {
            return Err(format!(
                "meldpunt-keys init failed:\n{text}{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let made: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("meldpunt-keys init --json printed no JSON ({e}):\n{text}"))?;
        let field = |k: &str| {
            made[k]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("meldpunt-keys init --json gave no {k}:\n{text}"))
        };
        let staff = field("staff_token")?;
        std::fs::write(&staff_file, format!("{staff}\n")).map_err(|e| e.to_string())?;
        let recipient = field("recipient")?;
        let mut toml = format!(
            "# Demo configuration made by `cargo xtask demo`. Not for real use: the demo\n\
             # keys' passphrase is printed on the screen.\n\
             name = \"Meldpunt integriteit Leidse regio (demo)\"\n\
             listen = \"127.0.0.1:8080\"\n\
             database = \"meldpunt.db\"\n\
             web_root = \"../client-wasm/www\"\n\
             signing_public_key = \"{}\"\n\
             staff_token_sha256 = [\"{}\"]\n",
            field("signing_public_key")?,
            field("staff_token_sha256")?,
        );
        for (slug, name) in DEMO_ORGANISATIONS {
            toml.push_str(&format!("\n[[organisations]]\nslug = \"{slug}\"\nname = \"{name}\"\nrecipients = [\"{recipient}\"]\n"));
        }
        std::fs::write(&config, toml).map_err(|e| e.to_string())?;
    }
    let staff = std::fs::read_to_string(&staff_file)
        .map_err(|e| e.to_string())?
        .trim()
        .to_string();
    println!(
        "\nMeldpunt demo\n\
         =============\n\
         1. Open http://127.0.0.1:8080 and file a melding. Keep the token the page shows.\n\
         2. Fetch the sealed meldingen as the staff would: in the staff page\n\
         \x20  http://127.0.0.1:8080/staff with the staff token {staff}\n\
         \x20  or in a second terminal:\n\
         \x20  curl -sf -H 'Authorization: Bearer {staff}' http://127.0.0.1:8080/api/v1/staff/export -o inbox.tar\n\
         3. Open them on the \"laptop\" (passphrase: {DEMO_PASSPHRASE}) in the desk, the\n\
         \x20  coordinator's screen, which opens your browser:\n\
         \x20  target/ci/meldpunt-desk --dir demo/laptop\n\
         \x20  (Postvak: choose inbox.tar; a Zaak: write a reply; Weekronde: download the\n\
         \x20  replies bundle, reacties-<date>.tar, and use it as reacties.tar in step 4)\n\
         \x20  or with the command-line tool:\n\
         \x20  export MELDPUNT_DIR=demo/laptop\n\
         \x20  target/ci/meldpunt-keys import inbox.tar\n\
         \x20  target/ci/meldpunt-keys list\n\
         \x20  target/ci/meldpunt-keys show 2026-0001          (the case number from list)\n\
         \x20  echo 'Wij hebben uw melding ontvangen.' | target/ci/meldpunt-keys reply 2026-0001\n\
         \x20  target/ci/meldpunt-keys export-replies reacties.tar\n\
         4. Bring the signed replies back online:\n\
         \x20  curl -sf -H 'Authorization: Bearer {staff}' -H 'Content-Type: application/x-tar' --data-binary @reacties.tar http://127.0.0.1:8080/api/v1/staff/reacties\n\
         5. In the page choose \"Reactie bekijken\" and enter the token.\n\
         Stop the demo with Ctrl-C. Everything lives in ./demo; delete it to start over.\n"
    );
    run(Command::new(ci_binaries().join("meldpunt-server"))
        .args(["serve", "--config"])
        .arg(&config))
}

/// Node test files (`*.test.mjs`) under the given folders of tests/.
fn node_tests(folders: &[&str]) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    for folder in folders {
        let dir = root().join("tests").join(folder);
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.ends_with(".test.mjs") {
                files.push(format!("tests/{folder}/{name}"));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Every test: formatting and lints, the Rust tests, the packages' install test, the
/// WASM vectors under node, the browser end to end. `cargo xtask test e2e` runs only
/// the node tests.
///
/// Built once each: the page's WASM (release, as it ships) in its own target folder,
/// beside the Rust build; the Rust tests and the binaries in the `ci` profile, whose
/// `meldpunt-server` and `meldpunt-keys` the install test's packages and the browser
/// tests use too (the shipped packages, `cargo xtask package`, keep fat LTO).
fn test(args: &[String]) -> Result<(), String> {
    use phase::timed;
    let bins = ci_binaries();
    if args.first().map(String::as_str) == Some("e2e") {
        timed("wasm", || wasm::build_wasm(&root()))?;
        timed("ci binaries", build_ci_binaries)?;
    } else {
        timed("fmt", || {
            run(Command::new("cargo").args(["fmt", "--all", "--check"]))
        })?;
        // The page's build has its own target folder and compiler: it runs beside
        // the Rust build and fills the cores where that one waits on a single job
        // (build scripts, links).
        let page = std::thread::spawn(|| timed("wasm (beside)", || wasm::build_wasm(&root())));
        let rust = timed("clippy", || {
            run(Command::new("cargo").args([
                "clippy",
                "-q",
                "--profile",
                "ci",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        })
        // Builds the binaries too (the integration tests run them) into target/ci.
        .and_then(|()| {
            timed("cargo test build", || {
                run(Command::new("cargo").args(CARGO_TEST).arg("--no-run"))
            })
        });
        let page = page
            .join()
            .unwrap_or_else(|_| Err("the WASM build panicked".into()));
        rust.and(page)?;
        // Both Debian packages, installed and used in a clean Debian 12 root as
        // docs/OPERATIONS.md says (section 5), while the Rust tests run: the root is
        // a chroot in a network namespace of its own, and much of its time is apt's
        // and the disk's, not the cores'.
        let packages = bins.clone();
        let install = std::thread::spawn(move || {
            let built = timed("package (ci binaries)", || {
                toolchain::ensure_package_tools()?;
                toolchain::ensure_install_test_tools()?;
                package::package_for_test(&packages)
            })?;
            timed("install test (beside)", || install_test::run(&built, &[]))
        });
        let rust = timed("cargo test run", || {
            run(Command::new("cargo").args(CARGO_TEST))
        });
        let install = install
            .join()
            .unwrap_or_else(|_| Err("the install test panicked".into()));
        rust.and(install)?;
    }
    let files = node_tests(&["wasm", "e2e"])?;
    timed("node tests", || {
        run(Command::new("node")
            .arg("--test")
            .args(files)
            .env("MELDPUNT_BIN_DIR", &bins))
    })
}

/// The Rust tests, as `cargo xtask test` runs them.
const CARGO_TEST: [&str; 4] = ["test", "--profile", "ci", "--workspace"];
