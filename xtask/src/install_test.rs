//! `cargo xtask install-test`: the packages installed as a sysadmin would, in a clean
//! Debian 12 root, following docs/OPERATIONS.md.
//!
//! - A Debian 12 root made by debootstrap (cached in [`CACHE`], remade when its recipe
//!   changes or it is a week old, so a fresh machine makes it from nothing), copied afresh
//!   for every run, chrooted into, in a network namespace of its own: its 127.0.0.1:8080,
//!   :443 and :80 are its own, and nothing in it reaches another machine.
//! - Every command of OPERATIONS.md that the test runs is checked to be written there
//!   verbatim ([`Root::doc`]). There is no systemd as PID 1 here, so where the docs say
//!   `systemctl`, the test runs what the installed unit file says (its `ExecStart=` with
//!   its `User=`, `Group=`, `UMask=` and `StateDirectory=`); and where they say
//!   `certbot`, the test makes a self-signed certificate at the paths certbot uses.
//! - What it shows: `apt install` of the package, `meldpunt-server setup` with the file
//!   the laptop's `meldpunt-keys init --server-file` wrote, the server started as its unit
//!   does, a sealed melding accepted through nginx with TLS (HTTP/2), the time from the
//!   clean root to that (printed, and written in docs/OPERATIONS.md by hand); the server
//!   receiving no client address (a recording relay between nginx and the server, client
//!   headers and address as canaries) and nginx writing no access log; `tor
//!   --verify-config` and the onion address put in `onion_location`; the staff round with
//!   the laptop's package (export, import, reply, replies back, the reporter reads it);
//!   monitoring; the backup unit and a restore drill; the unit files through
//!   `systemd-analyze verify`; and in a second clean root, an upgrade from the previous
//!   package with a database it made.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use base64::Engine;
use meldpunt_envelope::keys::SigningPublicKey;
use meldpunt_envelope::melding::{self, Melding};
use meldpunt_envelope::token::{ReplyToken, TokenKeys};

use crate::package::Built;

/// The cached debootstrap root, shared by every checkout on the machine.
const CACHE: &str = "/var/cache/meldpunt-xtask/debian12-root";
/// What the cached root is made of; a change here remakes it.
const RECIPE: &str = "bookworm minbase +systemd,adduser,ca-certificates,curl,openssl; prefetched nginx tor certbot; v1";
const INCLUDE: &str = "systemd,adduser,ca-certificates,curl,openssl";
/// Packages the install pulls in (the server package recommends them), downloaded into
/// the cached root's apt cache so a run does not fetch them again.
const PREFETCH: &[&str] = &["nginx", "tor", "certbot"];
const MAX_AGE: Duration = Duration::from_secs(7 * 24 * 3600);
const HOST: &str = "meldpunt.example.nl";
const PASSPHRASE: &str = "installatietest-wachtwoordzin";
const USB_FILE: &str = "/media/usb/meldpunt-server-setup.toml";
/// Canaries: what a client puts in headers that name addresses, and the client's own
/// address (curl binds to it); none may reach the server.
const CANARY: &str = "canary-7f3e9a1c";
const CLIENT_ADDR: &str = "127.0.0.77";

pub fn run(built: &Built, args: &[String]) -> Result<(), String> {
    let previous = match args {
        [flag, file] if flag == "--previous" => Some(PathBuf::from(file)),
        [] => None,
        _ => {
            return Err(
                "usage: cargo xtask install-test [--previous <meldpunt-server_…deb>]".into(),
            );
        }
    };
    let started = Instant::now();
    let docs = std::fs::read_to_string(crate::root().join("docs/OPERATIONS.md"))
        .map_err(|e| format!("cannot read docs/OPERATIONS.md: {e}"))?;
    let base = base_root()?;
    let work = crate::root().join("target/install-test");
    let elapsed = install_and_use(&base, &work.join("root"), built, &docs)?;
    upgrade(
        &base,
        &work.join("upgrade-root"),
        built,
        previous.as_deref(),
        &docs,
    )?;
    let line = format!(
        "clean Debian 12 root to the first melding accepted through nginx: {:.1} s (apt install with nginx, tor and certbot from a warm apt cache, setup, start, TLS, one sealed melding)\n",
        elapsed.as_secs_f64()
    );
    std::fs::write(work.join("timing.txt"), &line).map_err(|e| e.to_string())?;
    eprintln!(
        "install-test: {line}install-test: all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The timed install, then everything a sysadmin does with it. Returns the time from
/// the clean root to the first melding accepted.
fn install_and_use(base: &Path, dir: &Path, built: &Built, docs: &str) -> Result<Duration, String> {
    let mut r = Root::fresh(base, dir, docs)?;
    r.copy_in(&built.server, "/root/")?;
    r.copy_in(&built.keys, "/root/")?;
    let server_deb = deb_name(&built.server);
    let keys_deb = deb_name(&built.keys);

    // The laptop (another machine in real life; here the same root): the keys package and
    // `init` writing the file for the server onto the "USB stick".
    step("the laptop: meldpunt-keys package, init --server-file");
    r.apt(&format!("cd /root && apt-get install -y -q ./{keys_deb}"))?;
    let init = r.sh(&format!(
        "mkdir -p /media/usb && MELDPUNT_PASSPHRASE={PASSPHRASE} meldpunt-keys init --json --server-file {USB_FILE}"
    ))?;
    let made: serde_json::Value = serde_json::from_str(&init)
        .map_err(|e| format!("meldpunt-keys init --json printed no JSON ({e}):\n{init}"))?;
    let staff_token = made["staff_token"]
        .as_str()
        .ok_or_else(|| format!("meldpunt-keys init --json gave no staff token:\n{init}"))?
        .to_string();
    let setup_file = r.read(USB_FILE)?;
    let recipient = crate::snippet_value(&setup_file, "recipients")?;
    let signing: SigningPublicKey = crate::snippet_value(&setup_file, "signing_public_key")?
        .parse()
        .map_err(|e| format!("bad signing key in the setup file: {e:?}"))?;

    // From here the clock runs: a clean root to the first melding accepted.
    let t0 = Instant::now();
    step("apt install ./meldpunt-server_*.deb");
    r.apt_doc(
        "apt install ./meldpunt-server_*.deb",
        &format!("apt-get install -y -q ./{server_deb}"),
    )?;
    r.check_installed_files(&built.code_hash)?;
    step("meldpunt-server setup");
    let out = r.doc(&format!(
        "meldpunt-server setup {USB_FILE} --name \"Meldpunt integriteit Leidse regio\" --organisation leiden=\"Gemeente Leiden\" --organisation leiderdorp=\"Gemeente Leiderdorp\""
    ))?;
    expect(&out, "the config is valid", "setup's check")?;
    expect(&out, "systemd is not running here", "setup without systemd")?;
    let mode = r.sh("stat -c '%U:%G %a' /etc/meldpunt/meldpunt-server.toml")?;
    if mode.trim() != "root:meldpunt 640" {
        return Err(format!("the config is {mode}, want root:meldpunt 640"));
    }
    r.doc("runuser -u meldpunt -- meldpunt-server check-config")?;
    r.start_unit("meldpunt-server")?;
    r.wait_http("http://127.0.0.1:8080/healthz")?;

    step("nginx with TLS");
    r.tls_and_nginx()?;
    let reporter = file_melding(&r, &recipient, "https://meldpunt.example.nl", "leiden")?;
    let elapsed = t0.elapsed();
    step(&format!(
        "first melding accepted {:.1} s after the clean root",
        elapsed.as_secs_f64()
    ));

    step("staff round with the laptop's package; the reporter reads the reply");
    staff_round(&r, &staff_token, &reporter, &signing)?;
    step("no client address reaches the server; no access log");
    r.no_addresses_reach_the_server(&recipient)?;
    step("Tor: verify-config, onion address in onion_location");
    r.tor()?;
    step("firewall ruleset");
    r.doc("cp /usr/share/doc/meldpunt-server/examples/nftables.conf /etc/nftables.conf")?;
    r.doc("nft -c -f /etc/nftables.conf")?;
    step("monitoring");
    expect(
        &r.doc("curl -sf https://meldpunt.example.nl/healthz")?,
        "ok",
        "healthz",
    )?;
    let stats = r.doc("runuser -u meldpunt -- meldpunt-server stats --json")?;
    // The reporter's case and the one filed through the relay.
    expect(&stats, "\"cases\": 2", "stats")?;
    step("backup and restore drill");
    r.backup_and_restore(&recipient)?;
    step("systemd-analyze verify");
    r.verify_units()?;
    Ok(elapsed)
}

/// In a second clean root: the previous package, a database it made, then the upgrade.
fn upgrade(
    base: &Path,
    dir: &Path,
    built: &Built,
    previous: Option<&Path>,
    docs: &str,
) -> Result<(), String> {
    step("upgrade from the previous package");
    let mut r = Root::fresh(base, dir, docs)?;
    let previous = match previous {
        Some(p) => p.to_path_buf(),
        None => repack_as_previous(&built.server, &dir.with_extension("debs"))?,
    };
    r.copy_in(&previous, "/root/")?;
    r.copy_in(&built.server, "/root/")?;
    r.copy_in(&built.keys, "/root/")?;
    r.apt(&format!(
        "cd /root && apt-get install -y -q ./{}",
        deb_name(&built.keys)
    ))?;
    r.sh(&format!(
        "mkdir -p /media/usb && MELDPUNT_PASSPHRASE={PASSPHRASE} meldpunt-keys init --server-file {USB_FILE}"
    ))?;
    r.apt(&format!(
        "cd /root && apt-get install -y -q ./{}",
        deb_name(&previous)
    ))?;
    r.sh(&format!(
        "meldpunt-server setup {USB_FILE} --name Meldpunt --organisation leiden=Leiden"
    ))?;
    let recipient = crate::snippet_value(&r.read(USB_FILE)?, "recipients")?;
    r.start_unit("meldpunt-server")?;
    r.wait_http("http://127.0.0.1:8080/healthz")?;
    file_melding(&r, &recipient, "http://127.0.0.1:8080", "leiden")?;
    let before = r.sh("runuser -u meldpunt -- meldpunt-server stats --json")?;
    let config_before = r.read("/etc/meldpunt/meldpunt-server.toml")?;
    // The upgrade as the docs say it; postinst restarts a running server under systemd,
    // here the test stops and starts it around the upgrade.
    r.stop("meldpunt-server");
    r.apt_doc(
        "apt install ./meldpunt-server_*.deb",
        &format!("apt-get install -y -q ./{}", deb_name(&built.server)),
    )?;
    let version = r.sh("dpkg-query -W -f '${Version}' meldpunt-server")?;
    if !deb_name(&built.server).contains(&format!("_{}_", version.trim())) {
        return Err(format!("after the upgrade dpkg has version {version}"));
    }
    if r.read("/etc/meldpunt/meldpunt-server.toml")? != config_before {
        return Err("the upgrade changed the config".into());
    }
    let mode = r.sh("stat -c '%U:%G %a' /etc/meldpunt/meldpunt-server.toml /var/lib/meldpunt")?;
    if mode.split_whitespace().collect::<Vec<_>>()
        != ["root:meldpunt", "640", "meldpunt:meldpunt", "700"]
    {
        return Err(format!("after the upgrade: {mode}"));
    }
    r.start_unit("meldpunt-server")?;
    r.wait_http("http://127.0.0.1:8080/healthz")?;
    let after = r.sh("runuser -u meldpunt -- meldpunt-server stats --json")?;
    if after != before {
        return Err(format!("the upgrade changed the data: {before} -> {after}"));
    }
    file_melding(&r, &recipient, "http://127.0.0.1:8080", "leiden")?;
    Ok(())
}

/// The current package with a lower version (`<version>~previous`): the stand-in for
/// the previous release until there is one (`--previous <file>` takes a real one).
fn repack_as_previous(deb: &Path, dir: &Path) -> Result<PathBuf, String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tree = dir.join("tree");
    crate::run(Command::new("dpkg-deb").arg("-R").arg(deb).arg(&tree))?;
    let control_path = tree.join("DEBIAN/control");
    let control = std::fs::read_to_string(&control_path).map_err(|e| e.to_string())?;
    let version = control
        .lines()
        .find_map(|l| l.strip_prefix("Version: "))
        .ok_or("no Version in the control file")?
        .to_string();
    let previous = format!("{version}~previous");
    std::fs::write(
        &control_path,
        control.replace(
            &format!("Version: {version}\n"),
            &format!("Version: {previous}\n"),
        ),
    )
    .map_err(|e| e.to_string())?;
    let out = dir.join(format!("meldpunt-server_{previous}_amd64.deb"));
    crate::run(
        Command::new("dpkg-deb")
            .args(["--root-owner-group", "-Zxz", "-b"])
            .arg(&tree)
            .arg(&out),
    )?;
    Ok(out)
}

/// A reporter: the token and what it derives.
struct Reporter {
    keys: TokenKeys,
}

/// Seals a melding with the envelope (the format the page sends) to `recipient` and
/// posts it from inside the root to `base`; checks the 201.
fn file_melding(r: &Root, recipient: &str, base: &str, org: &str) -> Result<Reporter, String> {
    let token = ReplyToken::generate().map_err(|e| e.to_string())?;
    let keys = token.derive();
    let m = Melding::new(
        org,
        "fraude-corruptie",
        "Installatietest: een melding over een aanbesteding.",
        &keys.reply_recipient(),
    );
    let to = meldpunt_envelope::keys::parse_recipient(recipient).map_err(|e| format!("{e:?}"))?;
    let sealed = melding::seal(&m, std::slice::from_ref(&to)).map_err(|e| e.to_string())?;
    r.write("/root/melding.age", &sealed)?;
    let hash = hex::encode(keys.lookup_key.hash());
    let pow = pow_headers(r, base, &keys.lookup_key.hash(), &sealed)?;
    let out = r.sh(&format!(
        "curl -sS -o /root/response.json -w '%{{http_code}}' -H 'Content-Type: application/octet-stream' -H 'Meldpunt-Organisatie: {org}' -H 'Meldpunt-Lookup-Hash: {hash}' {pow} --data-binary @/root/melding.age {base}/api/v1/meldingen"
    ))?;
    let body = r.read("/root/response.json")?;
    if out.trim() != "201" || !body.contains("\"ontvangstbewijs\"") {
        return Err(format!("the melding was not accepted: {out} {body}"));
    }
    Ok(Reporter { keys })
}

/// The proof-of-work headers for a melding (docs/PROTOCOL.md, "Proof of work"), as the
/// page makes them.
fn pow_headers(
    r: &Root,
    base: &str,
    lookup_hash: &[u8; 32],
    sealed: &[u8],
) -> Result<String, String> {
    let sha = meldpunt_envelope::sha256_hex(sealed);
    let mut melding_sha = [0u8; 32];
    hex::decode_to_slice(&sha, &mut melding_sha).map_err(|e| e.to_string())?;
    let binding = meldpunt_envelope::pow::submission_binding(lookup_hash, &melding_sha);
    let mut headers = format!("-H 'Meldpunt-Melding-Sha256: {sha}'");
    if let Some(proof) = pow_proof(r, base, "submissions", &binding)? {
        headers.push_str(&format!(" -H 'Meldpunt-Pow: {proof}'"));
    }
    Ok(headers)
}

/// A proof of work for a request of `kind` ("submissions" or "lookups") bound to
/// `binding`: the server's seed and asked effort fetched from inside the root through
/// `base`, solved here with the envelope's own solver. None when the server asks none.
fn pow_proof(
    r: &Root,
    base: &str,
    kind: &str,
    binding: &[u8; 32],
) -> Result<Option<meldpunt_envelope::pow::Proof>, String> {
    use meldpunt_envelope::pow;
    let level = r.sh(&format!("curl -sf {base}/api/v1/pow"))?;
    let v: serde_json::Value =
        serde_json::from_str(level.trim()).map_err(|e| format!("/api/v1/pow is not JSON: {e}"))?;
    if v.is_null() {
        return Ok(None);
    }
    let mut seed = [0u8; pow::SEED_LEN];
    hex::decode_to_slice(v["seed"].as_str().unwrap_or_default(), &mut seed)
        .map_err(|e| format!("/api/v1/pow has no seed: {e}"))?;
    let effort = v[kind]["effort"]
        .as_u64()
        .and_then(|e| u32::try_from(e).ok())
        .ok_or("/api/v1/pow has no effort")?;
    let mut start = [0u8; pow::NONCE_LEN];
    meldpunt_envelope::random_bytes(&mut start).map_err(|e| e.to_string())?;
    let nonce = pow::solve(&pow::challenge(&seed, binding, effort), effort, &start);
    Ok(Some(pow::Proof {
        seed,
        effort,
        nonce,
    }))
}

/// The weekly round of OPERATIONS.md with the laptop's package, and the reporter reading
/// the reply with the envelope's checks (the page's).
fn staff_round(
    r: &Root,
    staff: &str,
    reporter: &Reporter,
    signing: &SigningPublicKey,
) -> Result<(), String> {
    let env =
        format!("cd /root && export STAFF_TOKEN={staff} MELDPUNT_PASSPHRASE={PASSPHRASE} && ");
    let run = |cmd: &str| r.doc_with(cmd, &env);
    run(
        "curl -sf -H \"Authorization: Bearer $STAFF_TOKEN\" https://meldpunt.example.nl/api/v1/staff/export -o inbox.tar",
    )?;
    run("meldpunt-keys import inbox.tar --confirm importbevestiging.json")?;
    let list = run("meldpunt-keys list")?;
    let year = r.sh("date +%Y")?;
    let case = format!("{}-0001", year.trim());
    expect(&list, &case, "meldpunt-keys list")?;
    // The documented commands name the case 2026-0001 and the year 2026; here they run
    // with this year's.
    let dated = |cmd: &str| r.doc_dated(cmd, &env, year.trim());
    let shown = dated("meldpunt-keys show 2026-0001")?;
    expect(&shown, "aanbesteding", "meldpunt-keys show")?;
    r.sh(&format!(
        "{env}echo 'Wij hebben uw melding ontvangen.' > antwoord.txt"
    ))?;
    dated("meldpunt-keys reply 2026-0001 --file antwoord.txt")?;
    dated("meldpunt-keys status 2026-0001 --afdoening gegrond")?;
    r.sh(&format!(
        "{env}echo 'Telefonische melding over een nevenfunctie.' > gespreksverslag.txt"
    ))?;
    run(
        "meldpunt-keys register --kanaal telefoon --organisatie leiden --soort fraude-corruptie --file gespreksverslag.txt",
    )?;
    let verslag = dated("meldpunt-keys jaarverslag --year 2026")?;
    expect(&verslag, year.trim(), "meldpunt-keys jaarverslag")?;
    run("meldpunt-keys export-replies reacties.tar")?;
    let up = r.sh(&format!(
        "{env}curl -sf -H \"Authorization: Bearer $STAFF_TOKEN\" -H \"Content-Type: application/x-tar\" --data-binary @reacties.tar https://meldpunt.example.nl/api/v1/staff/reacties"
    ))?;
    expect(&up, "\"imported\":1", "replies upload")?;
    let confirmed = r.sh(&format!(
        "{env}curl -sf -H \"Authorization: Bearer $STAFF_TOKEN\" -H \"Content-Type: application/json\" --data-binary @importbevestiging.json https://meldpunt.example.nl/api/v1/staff/bevestiging"
    ))?;
    expect(&confirmed, "\"deleted\":1", "import confirmation")?;
    // The reporter: fetch with the lookup key, verify the signature, open.
    let key = reporter.keys.lookup_key.to_hex();
    let lookup = format!("{{\"lookup_key\":\"{}\"}}", key.as_str());
    r.write("/root/lookup.json", lookup.as_bytes())?;
    let binding = meldpunt_envelope::pow::lookup_binding(lookup.as_bytes());
    let pow = match pow_proof(r, "https://meldpunt.example.nl", "lookups", &binding)? {
        Some(proof) => format!("-H 'Meldpunt-Pow: {proof}' "),
        None => String::new(),
    };
    let body = r.sh(&format!("curl -sf -H 'Content-Type: application/json' {pow}--data-binary @/root/lookup.json https://meldpunt.example.nl/api/v1/reacties"))?;
    let v: serde_json::Value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
    let reply = &v["reacties"][0];
    let b64 = |f: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(reply[f].as_str().unwrap_or_default())
            .map_err(|e| format!("{f}: {e}"))
    };
    let text = meldpunt_envelope::reply::verify_and_open(
        signing,
        &reporter.keys,
        &b64("ciphertext")?,
        &b64("signature")?,
    )
    .map_err(|e| format!("the reporter cannot open the reply: {e}"))?;
    if text.text.trim() != "Wij hebben uw melding ontvangen." {
        return Err(format!("the reply reads {:?}", text.text));
    }
    Ok(())
}

fn step(what: &str) {
    eprintln!("install-test: {what}");
}

fn expect(text: &str, want: &str, what: &str) -> Result<(), String> {
    if text.contains(want) {
        Ok(())
    } else {
        Err(format!("{what}: expected {want:?} in:\n{text}"))
    }
}

fn deb_name(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string()
}

/// The clean root for one run, in its own network namespace; processes started in it
/// are stopped, `/proc` unmounted and the namespace removed when it is dropped.
struct Root {
    dir: PathBuf,
    ns: String,
    docs: String,
    children: Vec<(String, Child)>,
}

impl Drop for Root {
    fn drop(&mut self) {
        for (_, c) in &mut self.children {
            terminate(c);
        }
        unmount_under(&self.dir);
        let _ = Command::new("ip")
            .args(["netns", "delete", &self.ns])
            .status();
    }
}

impl Root {
    /// A copy of the cached base root at `dir`, with /proc and a network namespace.
    fn fresh(base: &Path, dir: &Path, docs: &str) -> Result<Root, String> {
        remove_root(dir)?;
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        crate::run(Command::new("cp").arg("-a").arg(base).arg(dir))?;
        let ns = format!(
            "meldpunt-it-{}-{}",
            std::process::id(),
            dir.file_name().unwrap_or_default().to_string_lossy()
        );
        let _ = Command::new("ip")
            .args(["netns", "delete", &ns])
            .stderr(Stdio::null())
            .status();
        crate::run(Command::new("ip").args(["netns", "add", &ns]))?;
        let r = Root {
            dir: dir.to_path_buf(),
            ns,
            docs: docs.to_string(),
            children: Vec::new(),
        };
        crate::run(
            Command::new("ip").args(["netns", "exec", &r.ns, "ip", "link", "set", "lo", "up"]),
        )?;
        crate::run(
            Command::new("mount")
                .args(["-t", "proc", "proc"])
                .arg(dir.join("proc")),
        )?;
        // The site's name resolves to this root's own loopback, as DNS would to the VM.
        r.sh(&format!("echo '127.0.0.1 {HOST}' >> /etc/hosts"))?;
        Ok(r)
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.join(p.trim_start_matches('/'))
    }

    fn copy_in(&self, from: &Path, to_dir: &str) -> Result<(), String> {
        let dest = self.path(to_dir).join(from.file_name().unwrap_or_default());
        std::fs::copy(from, &dest)
            .map(drop)
            .map_err(|e| format!("cannot copy {}: {e}", from.display()))
    }

    fn read(&self, p: &str) -> Result<String, String> {
        std::fs::read_to_string(self.path(p))
            .map_err(|e| format!("cannot read {p} in the root: {e}"))
    }

    fn write(&self, p: &str, data: &[u8]) -> Result<(), String> {
        std::fs::write(self.path(p), data).map_err(|e| format!("cannot write {p} in the root: {e}"))
    }

    fn command(&self, netns: bool, user: Option<&str>, script: &str) -> Command {
        let mut c = if netns {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", &self.ns, "chroot"]);
            c
        } else {
            Command::new("chroot")
        };
        if let Some(u) = user {
            c.arg(format!("--userspec={u}:{u}"));
        }
        c.arg(&self.dir)
            .args(["/bin/sh", "-ec", script])
            .env_clear()
            .env(
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            )
            .env("HOME", "/root")
            .env("LANG", "C.UTF-8")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null());
        c
    }

    fn output(&self, mut c: Command, script: &str) -> Result<String, String> {
        let out = c
            .output()
            .map_err(|e| format!("cannot run {script}: {e}"))?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if out.status.success() {
            Ok(text)
        } else {
            Err(format!(
                "in the Debian root, `{script}` failed ({}):\n{text}",
                out.status
            ))
        }
    }

    /// Runs a shell script as root in the root's network namespace; stdout and stderr.
    fn sh(&self, script: &str) -> Result<String, String> {
        self.output(self.command(true, None, script), script)
    }

    /// apt needs the machine's network (the root's own namespace has none).
    fn apt(&self, script: &str) -> Result<String, String> {
        self.output(self.command(false, None, script), script)
    }

    /// A command from OPERATIONS.md: checks that the docs have it verbatim, then runs it.
    fn doc(&self, cmd: &str) -> Result<String, String> {
        self.doc_with(cmd, "")
    }

    fn doc_with(&self, cmd: &str, prefix: &str) -> Result<String, String> {
        self.documented(cmd)?;
        self.sh(&format!("{prefix}{cmd}"))
    }

    /// Fails unless docs/OPERATIONS.md has `cmd` word for word.
    fn documented(&self, cmd: &str) -> Result<(), String> {
        if self.docs.contains(cmd) {
            Ok(())
        } else {
            Err(format!(
                "docs/OPERATIONS.md does not have the command the test runs:\n  {cmd}"
            ))
        }
    }

    /// A command from the docs that names the year 2026 (a case number, a jaarverslag),
    /// run with `year` in its place.
    fn doc_dated(&self, cmd: &str, prefix: &str, year: &str) -> Result<String, String> {
        self.documented(cmd)?;
        self.sh(&format!("{prefix}{}", cmd.replace("2026", year)))
    }

    /// An apt command from the docs, run as `actual` (non-interactive, the file's real name).
    fn apt_doc(&self, documented: &str, actual: &str) -> Result<String, String> {
        self.documented(documented)?;
        self.apt(&format!("cd /root && {actual}"))
    }

    /// The files the package must have put in place.
    fn check_installed_files(&self, code_hash: &str) -> Result<(), String> {
        for f in [
            "/usr/bin/meldpunt-server",
            "/usr/share/meldpunt/www/index.html",
            "/usr/share/meldpunt/www/pkg/manifest.json",
            "/usr/share/meldpunt/www/pkg/meldpunt_client_bg.wasm.br",
            "/lib/systemd/system/meldpunt-server.service",
            "/lib/systemd/system/meldpunt-backup.timer",
            "/etc/meldpunt/meldpunt-server.example.toml",
            "/etc/nginx/sites-available/meldpunt",
            "/etc/tor/torrc.d/meldpunt.conf",
        ] {
            if !self.path(f).is_file() {
                return Err(format!("the package did not install {f}"));
            }
        }
        // The page's manifest is the one the code hash names.
        let hash = self.sh("sha256sum /usr/share/meldpunt/www/pkg/manifest.json")?;
        let published = self.read("/usr/share/doc/meldpunt-server/code-hash")?;
        if hash.split_whitespace().next() != Some(published.trim()) || published.trim() != code_hash
        {
            return Err(format!(
                "the installed page's manifest hash {hash} is not the code hash {published}"
            ));
        }
        self.sh("cd /usr/share/meldpunt/www && sed -n 's/^ *\"\\([^\"]*\\)\": \"\\([0-9a-f]\\{64\\}\\)\",\\{0,1\\}$/\\2  \\1/p' pkg/manifest.json | sha256sum -c --quiet")
            .map_err(|e| format!("the installed page does not match its manifest: {e}"))?;
        Ok(())
    }

    /// Starts a unit the way systemd would: its ExecStart as its User/Group with its
    /// UMask, after making its StateDirectory; in the background.
    fn start_unit(&mut self, unit: &str) -> Result<(), String> {
        let script = self.unit_script(unit)?;
        let (user, script) = script;
        let mut c = self.command(true, Some(&user), &script);
        c.stdout(Stdio::null()).stderr(Stdio::null());
        let child = c.spawn().map_err(|e| format!("cannot start {unit}: {e}"))?;
        self.children.push((unit.to_string(), child));
        Ok(())
    }

    /// Runs a oneshot unit to its end, the way systemd would.
    fn run_unit(&self, unit: &str) -> Result<String, String> {
        let (user, script) = self.unit_script(unit)?;
        self.output(self.command(true, Some(&user), &script), &script)
    }

    fn unit_script(&self, unit: &str) -> Result<(String, String), String> {
        let text = self.read(&format!("/lib/systemd/system/{unit}.service"))?;
        let value = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}=")))
                .map(|v| v.trim().to_string())
        };
        let exec = value("ExecStart")
            .ok_or(format!("{unit} has no ExecStart"))?
            .replace("%%", "%");
        let user = value("User").ok_or(format!("{unit} has no User"))?;
        let group = value("Group").unwrap_or_else(|| user.clone());
        let umask = value("UMask").unwrap_or_else(|| "0022".into());
        let mode = value("StateDirectoryMode").unwrap_or_else(|| "0755".into());
        for d in value("StateDirectory")
            .unwrap_or_default()
            .split_whitespace()
        {
            self.sh(&format!(
                "install -d -o {user} -g {group} -m {mode} /var/lib/{d}"
            ))?;
        }
        Ok((user, format!("umask {umask}; exec {exec}")))
    }

    fn stop(&mut self, name: &str) {
        self.children.retain_mut(|(n, c)| {
            if n == name {
                terminate(c);
                false
            } else {
                true
            }
        });
    }

    /// Waits (at most 30 s) until `url` answers 200 inside the root.
    fn wait_http(&self, url: &str) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if self.sh(&format!("curl -sf -o /dev/null {url}")).is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("{url} did not answer within 30 s"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The TLS section of the docs with a self-signed certificate where certbot would
    /// put its own, then the nginx site enabled, checked and started.
    fn tls_and_nginx(&mut self) -> Result<(), String> {
        for cmd in ["certbot certonly", "sed -i 's/meldpunt.example.nl/"] {
            if !self.docs.contains(cmd) {
                return Err(format!("docs/OPERATIONS.md lacks {cmd}"));
            }
        }
        let live = format!("/etc/letsencrypt/live/{HOST}");
        self.sh(&format!(
            "mkdir -p {live} && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN={HOST} -addext subjectAltName=DNS:{HOST} -keyout {live}/privkey.pem -out {live}/fullchain.pem 2>/dev/null && cp {live}/fullchain.pem /usr/local/share/ca-certificates/meldpunt-test.crt && update-ca-certificates >/dev/null"
        ))?;
        self.doc("ln -s /etc/nginx/sites-available/meldpunt /etc/nginx/sites-enabled/meldpunt")?;
        self.doc("rm /etc/nginx/sites-enabled/default")?;
        self.doc("nginx -t")?;
        let mut c = self.command(true, None, "exec nginx -g 'daemon off; master_process on;'");
        c.stdout(Stdio::null()).stderr(Stdio::null());
        let child = c.spawn().map_err(|e| format!("cannot start nginx: {e}"))?;
        self.children.push(("nginx".into(), child));
        self.wait_http(&format!("https://{HOST}/healthz"))?;
        let version = self.sh(&format!(
            "curl -s -o /dev/null -w '%{{http_version}}' https://{HOST}/"
        ))?;
        if version.trim() != "2" {
            return Err(format!("nginx answered with HTTP/{version}, want HTTP/2"));
        }
        Ok(())
    }

    /// A relay between nginx and the server records every byte nginx sends; a client
    /// connecting from [`CLIENT_ADDR`] with canaries in the headers that carry addresses
    /// files a melding and fetches the page; neither canary may reach the server, and
    /// nginx writes no access log.
    fn no_addresses_reach_the_server(&mut self, recipient: &str) -> Result<(), String> {
        let config = "/etc/meldpunt/meldpunt-server.toml";
        self.stop("meldpunt-server");
        self.sh(&format!(
            "sed -i 's/^listen = .*/listen = \"127.0.0.1:8081\"/' {config}"
        ))?;
        self.start_unit("meldpunt-server")?;
        self.wait_http("http://127.0.0.1:8081/healthz")?;
        let record = self.dir.join("root/relay.bin");
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let child = Command::new("ip")
            .args(["netns", "exec", &self.ns])
            .arg(exe)
            .args(["__relay", "127.0.0.1:8080", "127.0.0.1:8081"])
            .arg(&record)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start the relay: {e}"))?;
        self.children.push(("relay".into(), child));
        self.wait_http("http://127.0.0.1:8080/healthz")?;
        let logs_before = self.sh("find /var/log/nginx -type f -size +0 | sort")?;

        let canaries = format!(
            "--interface {CLIENT_ADDR} -H 'X-Forwarded-For: {CANARY}' -H 'X-Real-IP: {CANARY}' -H 'Forwarded: for={CANARY}' -A 'ua-{CANARY}'"
        );
        self.sh(&format!("curl -sf -o /dev/null {canaries} https://{HOST}/"))?;
        self.sh(&format!(
            "curl -sf -o /dev/null {canaries} --http1.1 https://{HOST}/api/v1/config"
        ))?;
        self.sh(&format!("curl -s -o /dev/null {canaries} http://{HOST}/"))?;
        let token = ReplyToken::generate().map_err(|e| e.to_string())?.derive();
        let m = Melding::new("leiden", "overig", "Via nginx.", &token.reply_recipient());
        let to =
            meldpunt_envelope::keys::parse_recipient(recipient).map_err(|e| format!("{e:?}"))?;
        let sealed = melding::seal(&m, &[to]).map_err(|e| e.to_string())?;
        self.write("/root/melding2.age", &sealed)?;
        let pow = pow_headers(
            self,
            &format!("https://{HOST}"),
            &token.lookup_key.hash(),
            &sealed,
        )?;
        let status = self.sh(&format!(
            "curl -s -o /dev/null -w '%{{http_code}}' {canaries} -H 'Content-Type: application/octet-stream' -H 'Meldpunt-Organisatie: leiden' -H 'Meldpunt-Lookup-Hash: {}' {pow} --data-binary @/root/melding2.age https://{HOST}/api/v1/meldingen",
            hex::encode(token.lookup_key.hash())
        ))?;
        if status.trim() != "201" {
            return Err(format!("the melding through the relay got {status}"));
        }
        // A control: a header sent straight to the relay (not through nginx) is recorded,
        // so the canaries' absence means nginx dropped them, not that the relay missed them.
        self.sh("curl -sf -o /dev/null -H 'X-Forwarded-For: relay-control-5d2b' http://127.0.0.1:8080/healthz")?;
        self.stop("relay");
        let seen =
            std::fs::read(&record).map_err(|e| format!("the relay recorded nothing: {e}"))?;
        let seen = String::from_utf8_lossy(&seen);
        for want in [
            "GET / HTTP/1",
            "GET /api/v1/config",
            "POST /api/v1/meldingen",
            "X-Forwarded-For: relay-control-5d2b",
        ] {
            expect(&seen, want, "what nginx sent the server")?;
        }
        for canary in [CANARY, CLIENT_ADDR] {
            if seen.contains(canary) {
                return Err(format!(
                    "the server received {canary:?} from nginx:\n{seen}"
                ));
            }
        }
        // No access log anywhere, and nothing of the client in nginx's logs.
        let logs_after = self.sh("find /var/log/nginx -type f -size +0 | sort")?;
        if logs_after != logs_before
            || self
                .path("/var/log/nginx/access.log")
                .metadata()
                .is_ok_and(|m| m.len() > 0)
        {
            return Err(format!("nginx wrote a log: {logs_after}"));
        }
        let grep = self.sh(&format!(
            "grep -rl -e {CANARY} -e {CLIENT_ADDR} /var/log || true"
        ))?;
        if !grep.trim().is_empty() {
            return Err(format!("the client shows up in {grep}"));
        }
        // Back to the documented port.
        self.stop("meldpunt-server");
        self.sh(&format!(
            "sed -i 's/^listen = .*/listen = \"127.0.0.1:8080\"/' {config}"
        ))?;
        self.start_unit("meldpunt-server")?;
        self.wait_http("http://127.0.0.1:8080/healthz")
    }

    /// The Tor section: include the snippet, verify, start tor as its unit does, put
    /// the onion address in the config, and see `Onion-Location` on the page.
    fn tor(&mut self) -> Result<(), String> {
        self.doc("echo '%include /etc/tor/torrc.d/*.conf' >> /etc/tor/torrc")?;
        let verified = self.doc("tor --verify-config")?;
        expect(&verified, "Configuration was valid", "tor --verify-config")?;
        expect(&verified, "meldpunt.conf", "tor --verify-config")?;
        let mut c = self.command(
            true,
            None,
            "install -m 02755 -o debian-tor -g debian-tor -d /run/tor && exec tor --defaults-torrc /usr/share/tor/tor-service-defaults-torrc -f /etc/tor/torrc --RunAsDaemon 0 --Log 'notice stdout'",
        );
        c.stdout(Stdio::null()).stderr(Stdio::null());
        let child = c.spawn().map_err(|e| format!("cannot start tor: {e}"))?;
        self.children.push(("tor".into(), child));
        let hostname = self.path("/var/lib/tor/meldpunt/hostname");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !hostname.is_file() {
            if Instant::now() > deadline {
                return Err("tor made no onion address within 60 s".into());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let onion = self.doc("cat /var/lib/tor/meldpunt/hostname")?;
        self.doc("sed -i \"s|^# onion_location = .*|onion_location = \\\"http://$(cat /var/lib/tor/meldpunt/hostname)\\\"|\" /etc/meldpunt/meldpunt-server.toml")?;
        self.doc("runuser -u meldpunt -- meldpunt-server check-config")?;
        self.stop("meldpunt-server");
        self.start_unit("meldpunt-server")?;
        self.wait_http("http://127.0.0.1:8080/healthz")?;
        let headers = self.sh(&format!(
            "curl -sf -D - -o /dev/null https://{HOST}/zonder-js"
        ))?;
        let want = format!("onion-location: http://{}/zonder-js", onion.trim());
        expect(&headers.to_ascii_lowercase(), &want, "the page's headers")?;
        // The onion service's target: the server straight on loopback.
        self.sh("curl -sf http://127.0.0.1:8080/ -o /dev/null")?;
        self.stop("tor");
        Ok(())
    }

    /// The backup unit, then a restore drill as the docs describe it: what came in after
    /// the backup is gone, everything before it is back.
    fn backup_and_restore(&mut self, recipient: &str) -> Result<(), String> {
        if !self
            .docs
            .contains("systemctl start meldpunt-backup.service")
        {
            return Err("docs/OPERATIONS.md lacks the backup command".into());
        }
        let out = self.run_unit("meldpunt-backup")?;
        expect(&out, "backup of", "the backup unit")?;
        let backups = self.doc("ls /var/lib/meldpunt-backups/")?;
        let db = backups
            .lines()
            .find(|l| l.ends_with(".db"))
            .ok_or(format!("no backup in {backups}"))?
            .to_string();
        if !backups.contains("receipt-key-") {
            return Err(format!("no receipt key in the backups: {backups}"));
        }
        let at_backup = self.sh("runuser -u meldpunt -- meldpunt-server stats --json")?;
        file_melding(self, recipient, &format!("https://{HOST}"), "leiderdorp")?;
        let later = self.sh("runuser -u meldpunt -- meldpunt-server stats --json")?;
        if later == at_backup {
            return Err("a melding after the backup changed no count".into());
        }
        self.stop("meldpunt-server");
        let restore = format!(
            "install -o meldpunt -g meldpunt -m 0600 /var/lib/meldpunt-backups/{db} /var/lib/meldpunt/meldpunt.db"
        );
        let docs_restore =
            "install -o meldpunt -g meldpunt -m 0600 /var/lib/meldpunt-backups/meldpunt-";
        if !self.docs.contains(docs_restore) {
            return Err("docs/OPERATIONS.md lacks the restore command".into());
        }
        self.sh(&restore)?;
        self.doc("rm -f /var/lib/meldpunt/meldpunt.db-wal /var/lib/meldpunt/meldpunt.db-shm")?;
        self.start_unit("meldpunt-server")?;
        self.wait_http("http://127.0.0.1:8080/healthz")?;
        let restored = self.sh("runuser -u meldpunt -- meldpunt-server stats --json")?;
        if restored != at_backup {
            return Err(format!(
                "after the restore: {restored}, at the backup: {at_backup}"
            ));
        }
        Ok(())
    }

    /// `systemd-analyze verify` on the installed units, inside the root.
    fn verify_units(&self) -> Result<(), String> {
        let out = self.sh(
            "systemd-analyze verify /lib/systemd/system/meldpunt-server.service /lib/systemd/system/meldpunt-backup.service /lib/systemd/system/meldpunt-backup.timer 2>&1",
        )?;
        if out.to_ascii_lowercase().contains("meldpunt") {
            return Err(format!("systemd-analyze verify complains:\n{out}"));
        }
        Ok(())
    }
}

/// SIGTERM, as systemd stops a unit (nginx's master then stops its workers; SIGKILL
/// would leave them running), and SIGKILL only after 30 s.
fn terminate(c: &mut Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(c.id().to_string())
        .status();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = c.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = c.kill();
    let _ = c.wait();
}

/// Unmounts everything mounted at or below `dir` (a run that stopped half way).
fn unmount_under(dir: &Path) {
    let Ok(mounts) = std::fs::read_to_string("/proc/mounts") else {
        return;
    };
    let prefix = dir.to_string_lossy().to_string();
    let mut points: Vec<&str> = mounts
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|m| *m == prefix || m.starts_with(&format!("{prefix}/")))
        .collect();
    points.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in points {
        let _ = Command::new("umount").arg("-l").arg(p).status();
    }
}

/// Removes a root made earlier, never crossing into a mount.
fn remove_root(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        unmount_under(dir);
        crate::run(
            Command::new("rm")
                .arg("-rf")
                .arg("--one-file-system")
                .arg(dir),
        )?;
    }
    Ok(())
}

/// The machine's apt source for `suite` (from /etc/apt/sources.list and
/// sources.list.d): the mirror this Debian root is made from.
fn apt_uri(suite: &str) -> Option<String> {
    let mut texts = Vec::new();
    if let Ok(t) = std::fs::read_to_string("/etc/apt/sources.list") {
        texts.push(t);
    }
    if let Ok(dir) = std::fs::read_dir("/etc/apt/sources.list.d") {
        for e in dir.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.ends_with(".sources") || name.ends_with(".list") {
                texts.push(std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
    }
    for t in &texts {
        // One-line style: deb [opts] URI SUITE COMPONENTS
        for l in t.lines().map(str::trim) {
            let Some(rest) = l.strip_prefix("deb ") else {
                continue;
            };
            let words: Vec<&str> = rest
                .split_whitespace()
                .filter(|w| !w.starts_with('[') && !w.ends_with(']'))
                .collect();
            if words.get(1) == Some(&suite) {
                return Some(words[0].to_string());
            }
        }
        // deb822 style: stanzas with URIs: and Suites:
        for stanza in t.split("\n\n") {
            let field = |k: &str| {
                stanza
                    .lines()
                    .find_map(|l| l.trim().strip_prefix(k))
                    .map(str::trim)
            };
            let is_deb = field("Types:").is_some_and(|v| v.split_whitespace().any(|w| w == "deb"));
            let has_suite =
                field("Suites:").is_some_and(|v| v.split_whitespace().any(|w| w == suite));
            if is_deb
                && has_suite
                && let Some(uri) = field("URIs:").and_then(|v| v.split_whitespace().next())
            {
                return Some(uri.to_string());
            }
        }
    }
    None
}

/// The cached Debian 12 root: made with debootstrap when missing, stale or of another
/// recipe; returned as is otherwise.
pub fn base_root() -> Result<PathBuf, String> {
    let base = PathBuf::from(CACHE);
    let stamp = base.join(".meldpunt-recipe");
    let fresh = std::fs::read_to_string(&stamp).is_ok_and(|s| s == RECIPE)
        && std::fs::metadata(&stamp)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age < MAX_AGE);
    if fresh {
        return Ok(base);
    }
    let mirror = apt_uri("bookworm")
        .ok_or("no apt source for bookworm on this machine; debootstrap needs a Debian mirror")?;
    let security = apt_uri("bookworm-security");
    let tmp = base.with_extension("new");
    remove_root(&tmp)?;
    std::fs::create_dir_all(tmp.parent().unwrap_or(Path::new("/"))).map_err(|e| e.to_string())?;
    step("making the clean Debian 12 root with debootstrap (cached for a week)");
    let t = Instant::now();
    let log = base.with_extension("debootstrap.log");
    let log_file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
    let status = Command::new("debootstrap")
        .args([
            "--variant=minbase",
            &format!("--include={INCLUDE}"),
            "bookworm",
        ])
        .arg(&tmp)
        .arg(&mirror)
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file)
        .status()
        .map_err(|e| format!("cannot run debootstrap: {e}"))?;
    if !status.success() {
        return Err(format!("debootstrap failed; see {}", log.display()));
    }
    let mut sources = format!("deb {mirror} bookworm main\ndeb {mirror} bookworm-updates main\n");
    if let Some(s) = security {
        sources += &format!("deb {s} bookworm-security main\n");
    }
    std::fs::write(tmp.join("etc/apt/sources.list"), sources).map_err(|e| e.to_string())?;
    std::fs::copy("/etc/resolv.conf", tmp.join("etc/resolv.conf")).map_err(|e| e.to_string())?;
    // Services are never started by package scripts in here (there is no init anyway).
    std::fs::write(tmp.join("usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n")
        .map_err(|e| e.to_string())?;
    crate::run(
        Command::new("chmod")
            .arg("755")
            .arg(tmp.join("usr/sbin/policy-rc.d")),
    )?;
    let chroot = |script: &str| {
        crate::run(
            Command::new("chroot")
                .arg(&tmp)
                .args(["/bin/sh", "-ec", script])
                .env("DEBIAN_FRONTEND", "noninteractive")
                .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .stdout(Stdio::null()),
        )
    };
    chroot("apt-get update -q && apt-get -y -q upgrade")?;
    chroot(&format!(
        "apt-get install -y -q --download-only {} nftables",
        PREFETCH.join(" ")
    ))?;
    // nftables is in Debian 12's standard install; the firewall section uses it.
    chroot("apt-get install -y -q nftables")?;
    std::fs::write(tmp.join(".meldpunt-recipe"), RECIPE).map_err(|e| e.to_string())?;
    remove_root(&base)?;
    std::fs::rename(&tmp, &base)
        .map_err(|e| format!("cannot move the new root into place: {e}"))?;
    step(&format!(
        "debootstrap root ready in {:.0} s",
        t.elapsed().as_secs_f64()
    ));
    Ok(base)
}

/// `cargo xtask __relay LISTEN UPSTREAM FILE`: a TCP relay that appends every byte sent
/// upstream to FILE; the install test puts it between nginx and the server.
pub fn relay(args: &[String]) -> Result<(), String> {
    let [listen, upstream, file] = args else {
        return Err("usage: __relay LISTEN UPSTREAM FILE".into());
    };
    let record = Arc::new(Mutex::new(
        std::fs::File::create(file).map_err(|e| format!("cannot create {file}: {e}"))?,
    ));
    let listener =
        TcpListener::bind(listen).map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    for client in listener.incoming().flatten() {
        let Ok(server) = TcpStream::connect(upstream) else {
            continue;
        };
        let (mut c_read, mut s_write) = (
            client.try_clone().map_err(|e| e.to_string())?,
            server.try_clone().map_err(|e| e.to_string())?,
        );
        let (mut s_read, mut c_write) = (server, client);
        let record = Arc::clone(&record);
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = c_read.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut f) = record.lock() {
                    let _ = f.write_all(&buf[..n]);
                    let _ = f.flush();
                }
                if s_write.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            let _ = s_write.shutdown(std::net::Shutdown::Write);
        });
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut s_read, &mut c_write);
            let _ = c_write.shutdown(std::net::Shutdown::Write);
        });
    }
    Ok(())
}
