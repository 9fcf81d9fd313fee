//! Builds the WASM client into client-wasm/www/pkg.
//!
//! The rustup toolchain here has no wasm32 standard library and none can be
//! downloaded, so this follows the recipe in DESIGN.md: Debian's `rustc-web`
//! (`/usr/bin/rustc`) compiles, building std from `rust-web-src` with `-Zbuild-std`
//! (`RUSTC_BOOTSTRAP=1` lets the stable cargo take that flag), and the rustup
//! toolchain's `rust-lld` links. The build has its own target directory,
//! `target/wasm`, so it never holds the lock on the native builds in `target/`.
//!
//! After wasm-bindgen, `wasm-opt` (npm binaryen, pinned in tests/package-lock.json)
//! optimises the module for speed, and the build writes `www/pkg/manifest.json`: the
//! SHA-256 of every file the page is made of. The page hashes what it loaded, compares
//! it with the manifest and shows the manifest's own SHA-256 as "the code hash", so a
//! reporter can compare it with the published one. The build is reproducible (paths
//! remapped, no timestamps), so anyone can rebuild and get the same hash;
//! `cargo xtask wasm --verify-reproducible` proves it by building twice in two fresh
//! copies of the repository at different paths.
//!
//! It also writes the same client as JavaScript, `www/pkg/js/`, for browsers where
//! WebAssembly is off (Tor Browser at "Safer"): the same Rust built a second time for
//! plain wasm32 (`-C target-cpu=mvp`: no SIMD, reference types or multi-value, which
//! wasm2js cannot translate), its own wasm-bindgen bindings (`--target bundler`, which
//! import the module as an ES module), and binaryen's `wasm2js` (the npm package
//! pinned with wasm-opt) translating that module. `www/client.js` chooses between the two.
//!
//! Last, it writes `.br` (brotli 11) and `.gz` (gzip 9, no timestamp) next to each
//! file of the page, for the server's precompressed serving.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::toolchain::{cargo_tool, mtime};

const CRATE: &str = "meldpunt-client";
const ARTIFACT: &str = "meldpunt_client";
const TARGET: &str = "wasm32-unknown-unknown";
/// The compiler that has the wasm32 targets (Debian's `rustc-web`).
const WASM_RUSTC: &str = "/usr/bin/rustc";
/// What the bytes of the build depend on, relative to the workspace root.
const INPUTS: &[&str] = &[
    "client-wasm/src",
    "client-wasm/Cargo.toml",
    "keys/envelope/src",
    "keys/envelope/Cargo.toml",
    "Cargo.toml",
    "Cargo.lock",
    "xtask/src/wasm.rs",
    "tests/package-lock.json",
];
/// The JavaScript build's files, relative to `client-wasm/www`: the entry (wasm-bindgen's
/// bundler entry importing the translated module), the bindings and the translated module.
pub const JS_FILES: &[&str] = &[
    "pkg/js/meldpunt_client.js",
    "pkg/js/meldpunt_client_bg.js",
    "pkg/js/meldpunt_client_bg.wasm.js",
];
/// Written (relative to the workspace root) once a build has finished, wasm-opt
/// included: the SHA-256 of each output, so only a finished build counts as up to date.
pub const BUILD_STAMP: &str = "target/wasm/page-build-finished";
/// The files of the page, relative to `client-wasm/www`, that the manifest covers: all
/// the code and text the browser runs or shows, in a fixed order.
const PAGE_FILES: &[&str] = &[
    "index.html",
    "app.js",
    "i18n.js",
    "vocabulary.js",
    "pow.js",
    "pow-worker.js",
    "style.css",
    "favicon.svg",
    "client.js",
    "pkg/meldpunt_client.js",
    "pkg/meldpunt_client_bg.wasm",
    "pkg/js/meldpunt_client.js",
    "pkg/js/meldpunt_client_bg.js",
    "pkg/js/meldpunt_client_bg.wasm.js",
];

/// Builds the WASM client (unless it is newer than every input) and writes the
/// manifest of the page's files; `root` is the workspace root.
pub fn build_wasm(root: &Path) -> Result<(), String> {
    build_at(root, root)?;
    precompress(root)
}

/// Builds the client in the workspace `root`, with the npm tools (wasm-opt) of the
/// workspace `tools`; returns the code hash.
fn build_at(root: &Path, tools: &Path) -> Result<String, String> {
    write_vocabulary(root)?;
    compile(root, tools)?;
    write_manifest(root)
}

/// Writes the page's `vocabulary.js` from the envelope's one vocabulary (only when it
/// differs, so an unchanged file keeps its time). The file is committed; the
/// envelope's tests fail when the committed file is not what this writes.
pub fn write_vocabulary(root: &Path) -> Result<(), String> {
    let path = root.join(meldpunt_envelope::domain::VOCABULARY_JS);
    let text = meldpunt_envelope::domain::vocabulary_js();
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, &text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("xtask: wrote {}", meldpunt_envelope::domain::VOCABULARY_JS);
    }
    Ok(())
}

fn compile(root: &Path, tools: &Path) -> Result<(), String> {
    let out_dir = root.join("client-wasm/www/pkg");
    let www = root.join("client-wasm/www");
    let mut outputs = vec![
        out_dir.join(format!("{ARTIFACT}.js")),
        out_dir.join(format!("{ARTIFACT}_bg.wasm")),
    ];
    outputs.extend(JS_FILES.iter().map(|f| www.join(f)));
    let stamp = root.join(BUILD_STAMP);
    if up_to_date(root, &outputs) {
        return Ok(());
    }
    let _ = std::fs::remove_file(&stamp);

    if !Path::new(WASM_RUSTC).is_file() {
        return Err(format!(
            "{WASM_RUSTC} not found: run `cargo xtask setup` (it installs Debian's rustc-web)"
        ));
    }
    eprintln!("xtask: building the WASM client");
    // Sealing speed matters (attachments): opt-level 3 measured 2.7-3x faster than
    // "s"/"z", and simd128 about 10% more (DESIGN.md). Every browser that runs WASM at
    // all has had simd128 since 2021.
    let wasm = cargo_build(root, "wasm", "-C target-feature=+simd128")?;
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    bindgen(&wasm, "web", &out_dir)?;
    optimise(tools, &outputs[1])?;

    eprintln!("xtask: building the JavaScript client (for browsers without WebAssembly)");
    let plain = cargo_build(root, "wasm-js", "-C target-cpu=mvp")?;
    compile_js(root, tools, &plain)?;

    let digest = outputs_digest(&outputs).ok_or("cannot hash the built page")?;
    std::fs::write(&stamp, digest).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    for out in [&outputs[1], &outputs[outputs.len() - 1]] {
        let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "xtask: wrote {} ({} KiB)",
            out.strip_prefix(root).unwrap_or(out).display(),
            size / 1024
        );
    }
    Ok(())
}

/// Builds the client crate for wasm32 in `target/<dir>` with the extra `features`
/// flags; returns the path of the module.
fn cargo_build(root: &Path, dir: &str, features: &str) -> Result<PathBuf, String> {
    let linker = rust_lld()?;
    let target_dir = root.join("target").join(dir);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    crate::run_in(
        root,
        Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "--release",
                "--locked",
                "--target",
                TARGET,
                "-Zbuild-std=std,panic_abort",
                "-p",
                CRATE,
            ])
            .env("RUSTC", WASM_RUSTC)
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_TARGET_DIR", &target_dir)
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", &linker)
            // A panic aborts (no unwinding tables; the page reports a failed call).
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "3")
            .env("CARGO_PROFILE_RELEASE_PANIC", "abort")
            .env("RUSTFLAGS", rustflags(root, features))
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("RUSTC_WRAPPER")
            .env_remove("RUSTC_WORKSPACE_WRAPPER"),
    )?;
    Ok(target_dir
        .join(TARGET)
        .join("release")
        .join(format!("{ARTIFACT}.wasm")))
}

/// `wasm-bindgen --target <target>` of `wasm` into `out_dir`.
fn bindgen(wasm: &Path, target: &str, out_dir: &Path) -> Result<(), String> {
    crate::run(
        Command::new(cargo_tool("wasm-bindgen"))
            .args([
                "--target",
                target,
                "--no-typescript",
                "--remove-name-section",
                "--remove-producers-section",
                "--out-dir",
            ])
            .arg(out_dir)
            .arg(wasm),
    )
    .map_err(|e| format!("{e}; run `cargo xtask setup` to install the matching wasm-bindgen-cli"))
}

/// The JavaScript build (`www/pkg/js/`) from the plain wasm32 module `plain`:
/// wasm-bindgen's bundler bindings, the module translated by `wasm2js -O3`, and the
/// bundler entry pointed at the translation, with an `init()` like the web glue's so
/// both builds load the same way.
fn compile_js(root: &Path, tools: &Path, plain: &Path) -> Result<(), String> {
    let staging = root.join("target/wasm-js/bindgen");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)
        .map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
    bindgen(plain, "bundler", &staging)?;

    let js_dir = root.join("client-wasm/www/pkg/js");
    std::fs::create_dir_all(&js_dir)
        .map_err(|e| format!("cannot create {}: {e}", js_dir.display()))?;
    let wasm2js = tools.join("tests/node_modules/.bin/wasm2js");
    if !wasm2js.is_file() {
        return Err(format!(
            "{} not found: run `cargo xtask setup` (npm ci in tests/)",
            wasm2js.display()
        ));
    }
    crate::run(
        Command::new(&wasm2js)
            .arg("-O3")
            .arg(staging.join(format!("{ARTIFACT}_bg.wasm")))
            .arg("-o")
            .arg(js_dir.join(format!("{ARTIFACT}_bg.wasm.js"))),
    )?;

    let read = |name: &str| {
        let p = staging.join(name);
        std::fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    let write = |name: &str, text: &str| {
        let p = js_dir.join(name);
        std::fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    write(
        &format!("{ARTIFACT}_bg.js"),
        &fresh_memory_views(&read(&format!("{ARTIFACT}_bg.js"))?)?,
    )?;
    write(
        &format!("{ARTIFACT}.js"),
        &js_entry(&read(&format!("{ARTIFACT}.js"))?)?,
    )
}

/// The bindings keep views (`Uint8Array`, `DataView`) over the module's memory and make
/// new ones only when the old one's buffer is detached (or reads as empty), which is
/// what happens when WebAssembly's memory grows. wasm2js grows its memory by moving to
/// a new `ArrayBuffer` and leaves the old one intact, so the bindings would go on
/// reading and writing a stale copy (the heap corrupts at the first growth). Each
/// view's check becomes "is it over the memory's current buffer".
fn fresh_memory_views(bindings: &str) -> Result<String, String> {
    let mut out = String::with_capacity(bindings.len());
    let mut patched = 0;
    for line in bindings.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let view = trimmed
            .strip_prefix("if (cached")
            .and_then(|rest| rest.split_once("Memory0 === null || "))
            .filter(|(_, rest)| rest.trim_end().ends_with(") {"))
            .map(|(kind, _)| format!("cached{kind}Memory0"));
        let Some(view) = view else {
            out.push_str(line);
            continue;
        };
        let indent = &line[..line.len() - trimmed.len()];
        out.push_str(&format!(
            "{indent}if ({view} === null || {view}.buffer !== wasm.memory.buffer) {{\n"
        ));
        patched += 1;
    }
    if patched == 0 {
        return Err(
            "the wasm-bindgen bindings have no memory view check to adapt for wasm2js: \
             has wasm-bindgen changed how it caches memory views?"
                .into(),
        );
    }
    Ok(out)
}

/// wasm-bindgen's bundler entry imports `./meldpunt_client_bg.wasm` as a module; point
/// it at the translation and add the `init()` the web glue has (nothing to wait for).
fn js_entry(entry: &str) -> Result<String, String> {
    let from = format!("\"./{ARTIFACT}_bg.wasm\"");
    if entry.matches(&from).count() != 1 {
        return Err(format!(
            "wasm-bindgen's bundler entry does not import {from} once:\n{entry}"
        ));
    }
    Ok(format!(
        "// The client compiled to JavaScript by wasm2js, for browsers without WebAssembly\n\
         // (written by `cargo xtask wasm`; see client.js).\n\
         {}\n\
         /** Ready once imported; the same call as the WebAssembly glue's `init()`. */\n\
         export default async function init() {{}}\n",
        entry
            .replace(&from, &format!("\"./{ARTIFACT}_bg.wasm.js\""))
            .trim_end()
    ))
}

/// The flags of a WASM build, `features` first. Paths are remapped so the module does not depend
/// on where the repository or cargo's registry lies (a reproducible build), and the
/// getrandom cfg selects the browser backend should a getrandom 0.3 ever enter the
/// client's tree (the 0.2 the envelope uses gets it from the "js" feature instead).
fn rustflags(root: &Path, features: &str) -> String {
    let mut flags = vec![
        features.to_string(),
        // Panics abort without formatting a message: no panic strings, locations or
        // formatting machinery in the module (a third of its size). The page treats
        // a trap like any failed call.
        "-Zunstable-options -C panic=immediate-abort".to_string(),
        "--cfg getrandom_backend=\"wasm_js\"".to_string(),
        format!("--remap-path-prefix={}=/meldpunt", root.display()),
    ];
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        flags.push(format!("--remap-path-prefix={}=/cargo", home.display()));
    }
    flags.join(" ")
}

/// `wasm-opt -O3` from npm binaryen, in place. The features are the ones the
/// build enables (Rust's wasm32 defaults plus simd128); binaryen must not add others.
fn optimise(root: &Path, wasm: &Path) -> Result<(), String> {
    let wasm_opt = root.join("tests/node_modules/.bin/wasm-opt");
    if !wasm_opt.is_file() {
        return Err(format!(
            "{} not found: run `cargo xtask setup` (npm ci in tests/)",
            wasm_opt.display()
        ));
    }
    let tmp = wasm.with_extension("opt.wasm");
    crate::run(
        Command::new(&wasm_opt)
            .args([
                "-O3",
                "--enable-simd",
                "--enable-bulk-memory",
                "--enable-mutable-globals",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-reference-types",
                "--enable-multivalue",
                "--strip-debug",
                "--strip-producers",
                "-o",
            ])
            .arg(&tmp)
            .arg(wasm),
    )?;
    std::fs::rename(&tmp, wasm).map_err(|e| format!("cannot replace {}: {e}", wasm.display()))
}

/// Whether the outputs are newer than every input *and* are the ones the last finished
/// build wrote: a build that stopped after wasm-bindgen (wasm-opt missing, say) leaves
/// newer but unoptimised files and no matching stamp, and must not count.
fn up_to_date(root: &Path, outputs: &[PathBuf]) -> bool {
    let oldest_output = outputs
        .iter()
        .map(|p| mtime(p))
        .collect::<Option<Vec<_>>>()
        .and_then(|t| t.into_iter().min());
    let newest_input = INPUTS
        .iter()
        .filter_map(|p| newest_mtime(&root.join(p)))
        .max();
    let finished = std::fs::read_to_string(root.join(BUILD_STAMP))
        .ok()
        .is_some_and(|s| Some(s) == outputs_digest(outputs));
    finished && matches!((oldest_output, newest_input), (Some(out), Some(newest)) if out > newest)
}

/// The SHA-256 of each output, one per line; `None` if one is missing.
fn outputs_digest(outputs: &[PathBuf]) -> Option<String> {
    outputs
        .iter()
        .map(|p| sha256_file(p).ok().map(|h| format!("{h}\n")))
        .collect()
}

/// Hex SHA-256 of a file, by coreutils' `sha256sum` (xtask has no dependencies).
fn sha256_file(path: &Path) -> Result<String, String> {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run sha256sum: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    match text.split_whitespace().next() {
        Some(h) if out.status.success() && h.len() == 64 => Ok(h.to_string()),
        _ => Err(format!("sha256sum {} failed", path.display())),
    }
}

/// Writes `www/pkg/manifest.json` (only when it changes, so it does not look new):
/// `{"format":"meldpunt-page","files":{"<path>":"<sha256 hex>",…}}` in `PAGE_FILES`
/// order. Its own SHA-256 is the code hash the page shows and the release publishes.
pub fn write_manifest(root: &Path) -> Result<String, String> {
    let www = root.join("client-wasm/www");
    let mut files = Vec::new();
    for f in PAGE_FILES {
        files.push(format!("    \"{f}\": \"{}\"", sha256_file(&www.join(f))?));
    }
    let text = format!(
        "{{\n  \"format\": \"meldpunt-page\",\n  \"v\": 1,\n  \"files\": {{\n{}\n  }}\n}}\n",
        files.join(",\n")
    );
    let path = www.join("pkg/manifest.json");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, &text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let hash = sha256_file(&path)?;
    eprintln!("xtask: code hash of the page (sha256sum client-wasm/www/pkg/manifest.json): {hash}");
    Ok(hash)
}

/// Writes `<file>.br` and `<file>.gz` next to every file of the page and the
/// manifest, unless the sibling is already newer than the file. Both are
/// deterministic (brotli has no header fields, the gzip header has mtime 0 and no
/// name), so they do not disturb a reproducible build.
fn precompress(root: &Path) -> Result<(), String> {
    let www = root.join("client-wasm/www");
    let mut written = 0usize;
    for f in PAGE_FILES.iter().chain(["pkg/manifest.json"].iter()) {
        let path = www.join(f);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let source_time = mtime(&path);
        for (ext, compress) in [
            ("br", brotli_bytes as fn(&[u8]) -> Vec<u8>),
            ("gz", gzip_bytes),
        ] {
            let sibling = www.join(format!("{f}.{ext}"));
            if matches!((mtime(&sibling), source_time), (Some(s), Some(t)) if s > t) {
                continue;
            }
            std::fs::write(&sibling, compress(&bytes))
                .map_err(|e| format!("cannot write {}: {e}", sibling.display()))?;
            written += 1;
        }
    }
    if written > 0 {
        eprintln!("xtask: wrote {written} precompressed files (.br, .gz) in client-wasm/www");
    }
    Ok(())
}

/// Brotli at quality 11 with a 4 MiB window: the smallest output; the page's
/// files are compressed once per build.
fn brotli_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
        .expect("brotli into memory cannot fail");
    out
}

/// Gzip at level 9, header without a timestamp or file name.
fn gzip_bytes(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("gzip into memory cannot fail");
    enc.finish().expect("gzip into memory cannot fail")
}

/// Builds the client twice, each time in a fresh copy of the repository (the files
/// git tracks, as they are in the working tree) at a different path with its own
/// target directory, and compares the code hashes; also says whether they equal the
/// hash of the build in the workspace itself. Takes two full builds of the standard
/// library and the client (several minutes on two cores), so `cargo xtask test`
/// does not run it.
pub fn verify_reproducible(root: &Path) -> Result<(), String> {
    let base = std::env::temp_dir().join(format!("meldpunt-repro-{}", std::process::id()));
    let result = (|| {
        let mut hashes = Vec::new();
        for name in ["first", "second-at-another-path"] {
            let copy = base.join(name);
            copy_tracked_files(root, &copy)?;
            eprintln!("xtask: building in {}", copy.display());
            hashes.push(build_at(&copy, root)?);
        }
        let own = sha256_file(&root.join("client-wasm/www/pkg/manifest.json")).ok();
        if hashes[0] != hashes[1] {
            return Err(format!(
                "not reproducible: the two builds differ ({} vs {}); compare the manifests under {}",
                hashes[0],
                hashes[1],
                base.display()
            ));
        }
        eprintln!(
            "xtask: reproducible: both builds have code hash {}",
            hashes[0]
        );
        match own {
            Some(h) if h == hashes[0] => {
                eprintln!("xtask: equal to the build in this workspace")
            }
            Some(h) => eprintln!(
                "xtask: the build in this workspace has {h} (stale or built from other inputs: run `cargo xtask wasm`)"
            ),
            None => {}
        }
        Ok(())
    })();
    if result.is_ok() {
        let _ = std::fs::remove_dir_all(&base);
    }
    result
}

/// Copies every file git tracks (working-tree contents) from `root` to `to`.
fn copy_tracked_files(root: &Path, to: &Path) -> Result<(), String> {
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git ls-files: {e}"))?;
    if !out.status.success() {
        return Err("git ls-files failed".into());
    }
    for name in out.stdout.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name);
        let from = root.join(&*name);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let dest = to.join(&*name);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::copy(&from, &dest).map_err(|e| format!("cannot copy {name}: {e}"))?;
    }
    Ok(())
}

/// The rustup toolchain's `rust-lld`: Debian's rustc-web has none, the stable
/// toolchain on PATH has one in its sysroot.
fn rust_lld() -> Result<PathBuf, String> {
    let run = |args: &[&str]| {
        Command::new("rustc")
            .args(args)
            .env_remove("RUSTC")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .ok_or_else(|| {
                format!(
                    "`rustc {}` failed; is rustup's toolchain on PATH?",
                    args.join(" ")
                )
            })
    };
    let sysroot = run(&["--print", "sysroot"])?.trim().to_string();
    let verbose = run(&["-vV"])?;
    let host = verbose
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .ok_or("`rustc -vV` names no host")?
        .trim();
    let lld = Path::new(&sysroot)
        .join("lib/rustlib")
        .join(host)
        .join("bin/rust-lld");
    if lld.is_file() {
        Ok(lld)
    } else {
        Err(format!(
            "{} not found: the WASM build links with the rustup toolchain's rust-lld",
            lld.display()
        ))
    }
}

/// The newest modification time of a file, or of any file under a directory.
fn newest_mtime(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_dir() {
        return meta.modified().ok();
    }
    std::fs::read_dir(path)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| newest_mtime(&e.path()))
        .chain(meta.modified().ok())
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reported bug: wasm-bindgen wrote the module, wasm-opt never ran, and the next
    /// build took the unoptimised module as up to date.
    #[test]
    fn only_a_finished_build_is_up_to_date() {
        let root = std::env::temp_dir().join(format!("meldpunt-wasm-stamp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("target/wasm")).unwrap();
        std::fs::write(root.join("Cargo.toml"), "[workspace]\n").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let outputs = [root.join("a.js"), root.join("a_bg.wasm")];
        std::fs::write(&outputs[0], "glue").unwrap();
        std::fs::write(&outputs[1], "unoptimised").unwrap();
        // Stopped before wasm-opt: newer than the inputs, but no stamp.
        assert!(!up_to_date(&root, &outputs));
        // Finished: the stamp names these outputs.
        std::fs::write(root.join(BUILD_STAMP), outputs_digest(&outputs).unwrap()).unwrap();
        assert!(up_to_date(&root, &outputs));
        // A later run that stopped half way rewrote the module: the stamp no longer fits.
        std::fs::write(&outputs[1], "unoptimised again").unwrap();
        assert!(!up_to_date(&root, &outputs));
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn memory_views_follow_a_grown_wasm2js_memory() {
        let bindings = "let cachedUint8ArrayMemory0 = null;\nfunction getUint8ArrayMemory0() {\n    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {\n        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);\n    }\n}\nfunction getDataViewMemory0() {\n    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {\n        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);\n";
        let patched = fresh_memory_views(bindings).unwrap();
        assert!(patched.contains("    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.buffer !== wasm.memory.buffer) {\n"));
        // Chromium has ArrayBuffer.prototype.detached, false for wasm2js's old buffer:
        // the DataView must be checked against the current buffer too.
        assert!(patched.contains("    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer !== wasm.memory.buffer) {\n"));
        assert!(!patched.contains("byteLength === 0") && !patched.contains("detached"));
        assert_eq!(patched.lines().count(), bindings.lines().count());
        // Bindings without the check: refuse rather than ship a build that reads stale memory.
        assert!(fresh_memory_views("let x = 1;\n").is_err());
    }

    #[test]
    fn the_js_entry_imports_the_translation() {
        let entry = "import * as wasm from \"./meldpunt_client_bg.wasm\";\nexport * from \"./meldpunt_client_bg.js\";\n";
        let out = js_entry(entry).unwrap();
        assert!(out.contains("import * as wasm from \"./meldpunt_client_bg.wasm.js\";"));
        assert!(out.contains("export default async function init() {}"));
        assert!(js_entry("export {};\n").is_err());
    }
}
