//! Installs the tools the build and the tests need, idempotently and quietly when present.
//!
//! The machines this project runs on (developers', CI's, a fresh Debian VM) are root
//! with apt and crates.io and npm reachable, but nothing else: no rustup targets, no
//! prebuilt binaries. So the WASM toolchain is Debian's `rustc-web` (which has the
//! wasm32 targets) with `rust-web-src` to build std from source, and the tools are
//! built from crates.io at exactly the versions the project pins.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Debian packages for building the WASM client: a rustc with wasm32 targets and
/// the standard library source for `-Zbuild-std`.
const APT_BUILD: &[&str] = &["rustc-web", "rust-web-src"];
/// Debian packages for the browser tests: Chromium, and Firefox ESR (the base of Tor
/// Browser; tests/e2e/firefox.test.mjs drives it with puppeteer-core over WebDriver BiDi);
/// exiftool and mat2 write and read the real metadata of the metadata-removal tests (mat2
/// brings python3, which zips a docx).
const APT_TEST: &[&str] = &[
    "chromium",
    "chromium-driver",
    "strace",
    "firefox-esr",
    "libimage-exiftool-perl",
    "mat2",
];
/// Debian packages for `cargo xtask package`: dpkg-deb (always there) with dpkg-dev's
/// tools, and binutils for `strip` and `objdump` (the glibc the binaries need).
const APT_PACKAGE: &[&str] = &["dpkg-dev", "binutils"];
/// Debian packages for the install test on the host: debootstrap makes the clean Debian 12
/// root, iproute2 its own network namespace, openssl the test's certificate, curl the
/// client; systemd's `systemd-analyze verify` checks the unit files.
const APT_INSTALL_TEST: &[&str] = &[
    "debootstrap",
    "iproute2",
    "openssl",
    "curl",
    "systemd",
    "debian-archive-keyring",
];
/// The `rage` the tests use to prove every ciphertext opens with the reference tool.
const RAGE_VERSION: &str = "0.12.1";

/// Tools needed to build everything, the WASM client included: the build also runs
/// `wasm-opt` from the npm `binaryen` package pinned in tests/package-lock.json
/// (Debian's binaryen emits modules that fail to load, DESIGN.md).
pub fn ensure_build_tools() -> Result<(), String> {
    let mut apt = APT_BUILD.to_vec();
    if which("npm").is_none() {
        apt.extend(["nodejs", "npm"]);
    }
    ensure_apt(&apt)?;
    let version = wasm_bindgen_version(&crate::root())?;
    ensure_cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &version)?;
    ensure_npm(&crate::root().join("tests"))
}

/// Tools needed only by the tests: Chromium and its driver, Firefox ESR, `rage`, the npm
/// packages.
pub fn ensure_test_tools() -> Result<(), String> {
    let mut apt = APT_TEST.to_vec();
    if which("npm").is_none() {
        apt.extend(["nodejs", "npm"]);
    }
    ensure_apt(&apt)?;
    ensure_cargo_tool("rage", "rage", RAGE_VERSION)?;
    ensure_npm(&crate::root().join("tests"))
}

/// Tools for `cargo xtask package`.
pub fn ensure_package_tools() -> Result<(), String> {
    ensure_apt(APT_PACKAGE)
}

/// Tools for `cargo xtask install-test` on the host (nginx, tor and the rest are
/// installed inside the Debian root it makes).
pub fn ensure_install_test_tools() -> Result<(), String> {
    ensure_apt(APT_INSTALL_TEST)
}

/// The version of the `wasm-bindgen` crate in Cargo.lock: the CLI must match it exactly,
/// or the glue it writes does not fit the compiled module.
pub fn wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let lock_path = root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let versions = locked_versions(&lock, "wasm-bindgen");
    match versions.as_slice() {
        [v] => Ok(v.clone()),
        [] => {
            Err("Cargo.lock has no wasm-bindgen package; is client-wasm a workspace member?".into())
        }
        many => Err(format!(
            "Cargo.lock has several wasm-bindgen versions ({}); pin one",
            many.join(", ")
        )),
    }
}

/// Every version of package `name` in a Cargo.lock text.
fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let want = format!("name = \"{name}\"");
    let lines: Vec<&str> = lock.lines().map(str::trim).collect();
    lines
        .windows(2)
        .filter(|w| w[0] == want)
        .filter_map(|w| w[1].strip_prefix("version = \"")?.strip_suffix('"'))
        .map(str::to_string)
        .collect()
}

/// Where cargo installs binaries: `$CARGO_HOME/bin`, by default `~/.cargo/bin`.
fn cargo_bin_dir() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    Some(home.join("bin"))
}

/// Finds an executable on PATH.
fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The path of a tool that `cargo install` provides: cargo's bin directory first
/// (it may not be on PATH on a fresh machine), then PATH.
pub fn cargo_tool(name: &str) -> PathBuf {
    cargo_bin_dir()
        .map(|d| d.join(name))
        .filter(|p| p.is_file())
        .or_else(|| which(name))
        .unwrap_or_else(|| name.into())
}

/// The first line a command prints on stdout, if it runs and succeeds.
fn output_line(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout)
        .ok()?
        .lines()
        .next()
        .map(|l| l.trim().to_string())
}

/// Installs the Debian packages among `packages` that are not installed yet; runs
/// `apt-get update` only when something must be installed.
fn ensure_apt(packages: &[&str]) -> Result<(), String> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian packages: {}", missing.join(" "));
    if which("apt-get").is_none() {
        return Err(format!(
            "apt-get not found: install {} by hand (this project expects Debian 12)",
            missing.join(" ")
        ));
    }
    let apt = |args: &[&str]| {
        crate::run(
            Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .stdin(Stdio::null()),
        )
    };
    apt(&["update", "-q"])?;
    let mut args = vec!["install", "-y", "-q", "--no-install-recommends"];
    args.extend(&missing);
    apt(&args).map_err(|e| format!("{e}; are you root?"))
}

fn dpkg_installed(package: &str) -> bool {
    output_line(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|s| s == "install ok installed")
}

/// Installs `krate` with `cargo install` unless `binary --version` already reports `version`.
fn ensure_cargo_tool(binary: &str, krate: &str, version: &str) -> Result<(), String> {
    let want = format!("{binary} {version}");
    if output_line(Command::new(cargo_tool(binary)).arg("--version")).is_some_and(|v| v == want) {
        return Ok(());
    }
    eprintln!("xtask: installing {krate} {version} (this takes a few minutes)");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let install = |locked: bool| {
        let mut cmd = Command::new(&cargo);
        cmd.args(["install", krate, "--version", version, "--force"]);
        if locked {
            cmd.arg("--locked");
        }
        // Never let the workspace's settings leak into the tool's own build.
        cmd.env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTFLAGS")
            .env_remove("RUSTC");
        crate::run(&mut cmd)
    };
    if let Err(e) = install(true) {
        // A crate's published lock file can name a dependency version the registry no
        // longer offers (wasm-bindgen-cli 0.2.130 locks webpki-roots 1.0.11, which
        // crates.io refuses here): then resolve afresh within the same semver ranges.
        eprintln!("xtask: {e}; retrying without --locked");
        install(false)?;
    }
    match output_line(Command::new(cargo_tool(binary)).arg("--version")) {
        Some(v) if v == want => Ok(()),
        got => Err(format!(
            "after installing, {binary} --version says {got:?}, want {want:?}"
        )),
    }
}

/// Runs `npm ci` in `dir` when its node_modules is missing or older than package-lock.json.
fn ensure_npm(dir: &Path) -> Result<(), String> {
    let lock = dir.join("package-lock.json");
    // npm writes node_modules/.package-lock.json on every install: the install's stamp.
    let stamp = dir.join("node_modules/.package-lock.json");
    let fresh = match (mtime(&stamp), mtime(&lock)) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    eprintln!("xtask: npm ci in {}", dir.display());
    // `crate::run` runs in the workspace root, so name the directory with --prefix.
    let prefix = dir
        .to_str()
        .ok_or("the tests directory is not valid UTF-8")?;
    crate::run(Command::new("npm").args([
        "ci",
        "--prefix",
        prefix,
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]))
}

pub fn mtime(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_versions_from_a_lock_file() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n[[package]]\nname = \"wasm-bindgen-shared\"\nversion = \"0.2.130\"\n";
        assert_eq!(locked_versions(lock, "wasm-bindgen"), ["0.2.130"]);
        assert!(locked_versions(lock, "rage").is_empty());
    }

    #[test]
    fn the_workspace_pins_one_wasm_bindgen() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let v = wasm_bindgen_version(root).unwrap();
        assert!(v.starts_with("0.2."), "{v}");
    }
}
