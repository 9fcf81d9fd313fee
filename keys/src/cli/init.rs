//! `init`: make the meldpunt's keys, once (`meldpunt_keys::init`), asking for the new
//! passphrase twice, and show what was made: as text, or as JSON with `--json`.

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
    out += &l.t(
        format!(
            "Sleutels van het meldpunt aangemaakt in {}.\n",
            r.paths.dir.display()
        ),
        format!("Meldpunt keys created in {}.\n", r.paths.dir.display()),
    );
    out += l.t(
        "  identity.age  geheime sleutel die meldingen opent (beveiligd met de wachtwoordzin)\n\
         \x20 signing.age   geheime sleutel die reacties ondertekent (beveiligd met de wachtwoordzin)\n\
         \x20 public.txt    publieke sleutels (niet geheim)\n\
         \x20 cases.db      het zaakregister\n\
         Maak nu een reservekopie van deze map op een aparte USB-stick en bewaar die achter slot.\n\n\
         Zet dit in de configuratie van de server (meldpunt-server); de regel recipients hoort in elk\n\
         [[organisations]]-blok, één per organisatie:\n\n",
        "  identity.age  secret key that opens meldingen (protected by the passphrase)\n\
         \x20 signing.age   secret key that signs replies (protected by the passphrase)\n\
         \x20 public.txt    public keys (not secret)\n\
         \x20 cases.db      the case store\n\
         Now back up this folder to a separate USB stick and keep it locked away.\n\n\
         Put this in the server's configuration (meldpunt-server); the recipients line goes in every\n\
         [[organisations]] block, one per organisation:\n\n",
    );
    out += &r.config_lines();
    out += "\n";
    if let Some(f) = &r.server_file {
        out += &l.t(
            format!(
                "Dezelfde regels staan in {}: neem dat bestand mee naar de server voor `meldpunt-server setup`.\n\n",
                f.display()
            ),
            format!(
                "The same lines are in {}: take that file to the server for `meldpunt-server setup`.\n\n",
                f.display()
            ),
        );
    }
    if r.recovery.is_some() {
        out += l.t(
            "De tweede sleutel in recipients is de herstelsleutel: bewaar zijn geheime deel in de kluis.\n\n",
            "The second key in recipients is the recovery key: keep its secret part in the safe.\n\n",
        );
    }
    out += l.t(
        "Toegangscode voor de medewerkers van de online machine (staff token). Hij wordt alleen nu getoond\n\
         en niet op deze laptop bewaard; geef hem aan wie de online machine bedient:\n\n",
        "Access code for the staff of the online machine (staff token). It is shown only now and not\n\
         kept on this laptop; give it to whoever runs the online machine:\n\n",
    );
    Zeroizing::new(format!("{out}{}\n", r.staff_token.as_str()))
}
