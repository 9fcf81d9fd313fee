//! `meldpunt-server setup`: the one command after `apt install ./meldpunt-server_*.deb`.
//!
//! It takes the file `meldpunt-keys init --server-file` wrote on the laptop (public keys
//! and the staff token's hash, nothing secret), writes the config with the package's
//! paths, checks it like `check-config`, and starts the service when systemd runs. Nothing
//! is written unless the whole config checks out, and an existing config is replaced only
//! with `--force` (the old one is kept beside it as `.old`).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use meldpunt_server::Config;
use serde::Deserialize;

/// What `format` says in the laptop's file.
pub const SETUP_FORMAT: &str = "meldpunt-server-setup";

#[derive(clap::Args)]
pub struct Args {
    /// The file from the laptop (`meldpunt-keys init --server-file`), e.g. on the USB stick.
    file: PathBuf,
    /// The meldpunt's name, as reporters see it on the page.
    #[arg(long)]
    name: String,
    /// An organisation served, as SLUG=NAME (e.g. leiden="Gemeente Leiden"); repeat it
    /// for each municipality. Each gets the laptop's recipients.
    #[arg(long = "organisation", value_name = "SLUG=NAME", required = true)]
    organisations: Vec<String>,
    /// The config file to write.
    #[arg(long, env = "MELDPUNT_CONFIG", default_value = crate::DEFAULT_CONFIG)]
    config: PathBuf,
    /// Address and port the server listens on (nginx and Tor connect to it).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// The SQLite database (its directory must exist).
    #[arg(long, default_value = "/var/lib/meldpunt/meldpunt.db")]
    database: PathBuf,
    /// The built page.
    #[arg(long, default_value = "/usr/share/meldpunt/www")]
    web_root: PathBuf,
    /// The onion service's address (http://….onion), sent to browsers as Onion-Location.
    #[arg(long, value_name = "URL")]
    onion_location: Option<String>,
    /// Replace an existing config (the old one is kept as <config>.old).
    #[arg(long)]
    force: bool,
    /// Write and check the config, but do not start the service.
    #[arg(long)]
    no_start: bool,
}

/// The laptop's file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FromLaptop {
    format: String,
    v: u32,
    signing_public_key: String,
    staff_token_sha256: Vec<String>,
    recipients: Vec<String>,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let laptop = read_laptop_file(&args.file)?;
    if args.config.exists() && !args.force {
        bail!(
            "{} exists already; to replace it, run setup again with --force (the old file is kept as {}.old), or edit it and run `meldpunt-server check-config`",
            args.config.display(),
            args.config.display()
        );
    }
    let text = config_text(args, &laptop)?;
    let abs = std::path::absolute(&args.config).unwrap_or_else(|_| args.config.clone());
    let base = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    Config::parse(&text, &args.config, &base).map_err(|e| {
        anyhow::anyhow!("{e}\nNothing was written. Check the options and the file from the laptop.")
    })?;
    write_config(&args.config, &text)?;
    println!("meldpunt-server: wrote {}", args.config.display());
    crate::check_config(&args.config)?;
    if args.no_start {
        return Ok(());
    }
    start(&args.listen)
}

fn read_laptop_file(path: &Path) -> anyhow::Result<FromLaptop> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the file from the laptop {}", path.display()))?;
    let f: FromLaptop = toml::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{} is not the file `meldpunt-keys init --server-file` writes: {}",
            path.display(),
            e.to_string().trim_end()
        )
    })?;
    if f.format != SETUP_FORMAT || f.v != 1 {
        bail!(
            "{} is a {:?} file version {}; setup reads {SETUP_FORMAT:?} version 1 (written by `meldpunt-keys init --server-file`)",
            path.display(),
            f.format,
            f.v
        );
    }
    if f.recipients.is_empty() {
        bail!("{} lists no recipients", path.display());
    }
    Ok(f)
}

/// A TOML string, quoted and escaped.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", q.join(", "))
}

fn config_text(args: &Args, laptop: &FromLaptop) -> anyhow::Result<String> {
    let path_text = |p: &Path, what: &str| {
        p.to_str()
            .map(quoted)
            .ok_or_else(|| anyhow::anyhow!("the {what} path is not valid UTF-8"))
    };
    let mut t = format!(
        "# Written by `meldpunt-server setup` from the laptop's file {}.\n\
         # Every key is described in /etc/meldpunt/meldpunt-server.example.toml; after an\n\
         # edit run `meldpunt-server check-config` and `systemctl restart meldpunt-server`.\n\
         name = {}\n\
         listen = {}\n\
         database = {}\n\
         web_root = {}\n\
         signing_public_key = {}\n\
         staff_token_sha256 = {}\n",
        args.file.display(),
        quoted(&args.name),
        quoted(&args.listen),
        path_text(&args.database, "database")?,
        path_text(&args.web_root, "web root")?,
        quoted(&laptop.signing_public_key),
        list(&laptop.staff_token_sha256),
    );
    match &args.onion_location {
        Some(o) => t += &format!("onion_location = {}\n", quoted(o)),
        None => {
            t += "# onion_location = \"http://<the address in /var/lib/tor/meldpunt/hostname>\"\n"
        }
    }
    for o in &args.organisations {
        let Some((slug, name)) = o.split_once('=') else {
            bail!("--organisation {o:?} is not SLUG=NAME; write it as leiden=\"Gemeente Leiden\"");
        };
        t += &format!(
            "\n[[organisations]]\nslug = {}\nname = {}\nrecipients = {}\n",
            quoted(slug.trim()),
            quoted(name.trim()),
            list(&laptop.recipients)
        );
    }
    Ok(t)
}

/// Writes the config through a new file beside it, readable by root and the group
/// `meldpunt` (the service's) only, then renames it into place.
fn write_config(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(d) = dir
        && !d.is_dir()
    {
        bail!(
            "the folder {} does not exist; is the package installed?",
            d.display()
        );
    }
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".new");
    let tmp = path.with_file_name(tmp_name);
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o640)
        .open(&tmp)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    drop(f);
    if let Some(gid) = service_group() {
        std::os::unix::fs::chown(&tmp, Some(0), Some(gid))
            .with_context(|| format!("cannot give {} to the group meldpunt", tmp.display()))?;
    }
    if path.exists() {
        let mut old = path.as_os_str().to_os_string();
        old.push(".old");
        std::fs::copy(path, &old)
            .with_context(|| format!("cannot keep the old config as {}", old.to_string_lossy()))?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// The group id of `meldpunt` when we run as root and the package made the group.
fn service_group() -> Option<u32> {
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if !root {
        return None;
    }
    let groups = std::fs::read_to_string("/etc/group").ok()?;
    groups.lines().find_map(|l| {
        let mut f = l.split(':');
        (f.next() == Some("meldpunt"))
            .then(|| f.nth(1)?.parse().ok())
            .flatten()
    })
}

/// Enables and (re)starts the units when systemd runs, then waits for /healthz.
fn start(listen: &str) -> anyhow::Result<()> {
    if !Path::new("/run/systemd/system").is_dir() {
        println!(
            "systemd is not running here, so nothing was started. On the server run:\n  systemctl enable --now meldpunt-server.service meldpunt-backup.timer"
        );
        return Ok(());
    }
    let systemctl = |args: &[&str]| -> anyhow::Result<()> {
        let status = Command::new("systemctl")
            .args(args)
            .status()
            .context("cannot run systemctl")?;
        if !status.success() {
            bail!(
                "`systemctl {}` failed; see `journalctl -u meldpunt-server`",
                args.join(" ")
            );
        }
        Ok(())
    };
    systemctl(&["enable", "meldpunt-server.service", "meldpunt-backup.timer"])?;
    systemctl(&["restart", "meldpunt-server.service"])?;
    systemctl(&["start", "meldpunt-backup.timer"])?;
    let mut addr: SocketAddr = listen.parse().context("listen is not an address")?;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if healthz(addr) {
            println!("meldpunt-server: running; http://{addr}/healthz answers ok");
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!(
                "the service started but http://{addr}/healthz did not answer within 30 s; see `journalctl -u meldpunt-server`"
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn healthz(addr: SocketAddr) -> bool {
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let req = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut resp = String::new();
    s.write_all(req.as_bytes()).is_ok()
        && s.read_to_string(&mut resp).is_ok()
        && resp.starts_with("HTTP/1.1 200")
}
