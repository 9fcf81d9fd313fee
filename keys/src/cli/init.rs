//! `init`: make the meldpunt's keys, once (`meldpunt_keys::init`), asking for the new
//! passphrase twice, and show what was made: as text, or as JSON with `--json`.

use meldpunt_keys::tr;
use std::io::Write;
use std::path::PathBuf;

use meldpunt_keys::error::{Error, Result};
use meldpunt_keys::init::{self, InitOptions, InitResult};
use meldpunt_keys::lang::Lang;
use zeroize::Zeroizing;

use super::Ctx;

pub fn run(
    ctx: &Ctx,
    recovery: Option<String>,
    server_file: Option<PathBuf>,
    json: bool,
) -> Result<()> {
    let o = InitOptions {
        recovery,
        server_file,
    };
    init::check(&ctx.paths.dir, &o)?;
    let pass = super::prompt::new_passphrase(ctx.lang)?;
    let r = init::init(&ctx.paths.dir, &pass, &o)?;
    let shown = if json {
        as_json(&r)
    } else {
        as_text(ctx.lang, &r)
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(shown.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::Internal(e.to_string()))
}

/// `init --json`: one object with everything `init` made, for scripts and tests.
fn as_json(r: &InitResult) -> Zeroizing<String> {
    let p = &r.paths;
    let v = serde_json::json!({
        "dir": p.dir,
        "identity": p.identity,
        "signing": p.signing,
        "public": p.public,
        "db": p.db,
        "recipient": r.recipient,
        "recovery": r.recovery,
        "signing_public_key": r.signing_public_key,
        "staff_token": r.staff_token.as_str(),
        "staff_token_sha256": r.staff_token_sha256,
        "config": r.config_lines(),
        "server_file": r.server_file,
    });
    Zeroizing::new(format!("{v:#}\n"))
}

fn as_text(l: Lang, r: &InitResult) -> Zeroizing<String> {
    let mut out = String::new();
    out += &tr!(
        l,
        "init-meldpunt-keys-created-in",
        dir = r.paths.dir.display()
    );
    out += &tr!(l, "init-identity-age-secret-key-that");
    out += &r.config_lines();
    out += "\n";
    if let Some(f) = &r.server_file {
        out += &tr!(l, "init-the-same-lines-are-in", f = f.display());
    }
    if r.recovery.is_some() {
        out += &tr!(l, "init-the-second-key-in-recipients");
    }
    out += &tr!(l, "init-access-code-for-the-staff");
    Zeroizing::new(format!("{out}{}\n", r.staff_token.as_str()))
}
