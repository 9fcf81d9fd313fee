//! `init`: make the meldpunt's keys, once.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use base64::Engine;
use meldpunt_envelope::keys::SigningSecretKey;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::Ctx;
use crate::error::{Action, Failure, Result};
use crate::secrets::{self, Paths};
use crate::store::Store;

/// Prefix of staff tokens, so one is recognisable when pasted in the wrong place.
const STAFF_TOKEN_PREFIX: &str = "mpst_";

/// What `format` says in the `--server-file` file; `meldpunt-server setup` reads it.
const SERVER_FILE_FORMAT: &str = "meldpunt-server-setup";

pub fn run(ctx: &Ctx, recovery: Option<&str>, server_file: Option<&Path>) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    if let Some(r) = recovery {
        meldpunt_envelope::keys::parse_recipient(r)
            .map_err(|_| Failure::InvalidRecipient(r.to_string()))?;
    }
    if [&p.identity, &p.signing, &p.db].iter().any(|f| f.exists()) {
        return Err(Failure::AlreadyInitialised(p.dir.clone()));
    }
    if let Some(f) = server_file.filter(|f| f.exists()) {
        return Err(Failure::OutputExists(f.to_path_buf()));
    }
    let log_n = secrets::work_factor()?;
    let pass = secrets::new_passphrase(l)?;

    let identity = age::x25519::Identity::generate();
    let signing = SigningSecretKey::generate().map_err(|e| Failure::Internal(e.to_string()))?;
    let recipient = identity.to_public().to_string();
    let signing_public = signing.public().to_string();
    let identity_file = secrets::seal_to_passphrase(
        secrets::identity_file_text(&identity, &meldpunt_envelope::domain::today()).as_bytes(),
        &pass,
        log_n,
    )?;
    let signing_text = Zeroizing::new(format!("{}\n", signing.to_text().as_str()));
    let signing_file = secrets::seal_to_passphrase(signing_text.as_bytes(), &pass, log_n)?;
    let staff_token = staff_token()?;
    let staff_hash = hex::encode(Sha256::digest(staff_token.as_bytes()));
    let public = secrets::Public {
        recipient,
        signing_public_key: signing_public.clone(),
        recovery: recovery.map(str::to_string),
    };
    let public_text = public.text();

    make_private_dir(&p.dir)?;
    if let Some(f) = server_file {
        write_new(
            f,
            server_file_text(&public, &signing_public, &staff_hash).as_bytes(),
        )?;
    }
    write_all_or_nothing(
        p,
        &[
            (&p.public, public_text.as_bytes(), 0o644),
            (&p.signing, &signing_file, 0o600),
            (&p.identity, &identity_file, 0o600),
        ],
    )
    .inspect_err(|_| {
        if let Some(f) = server_file {
            let _ = std::fs::remove_file(f);
        }
    })?;
    drop(Store::open(&p.db)?);

    let mut out = String::new();
    out += &l.t(
        format!(
            "Sleutels van het meldpunt aangemaakt in {}.\n",
            p.dir.display()
        ),
        format!("Meldpunt keys created in {}.\n", p.dir.display()),
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
    out += &format!(
        "signing_public_key = \"{signing_public}\"\nstaff_token_sha256 = [\"{staff_hash}\"]\n{}\n\n",
        public.config_line()
    );
    if let Some(f) = server_file {
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
    if public.recovery.is_some() {
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
    let mut stdout = std::io::stdout().lock();
    let shown = Zeroizing::new(format!("{out}{}\n", staff_token.as_str()));
    stdout
        .write_all(shown.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::Internal(e.to_string()))
}

/// The file for `meldpunt-server setup`: the config lines `init` prints, as TOML with a
/// format name and version, so the server reads them instead of someone retyping them.
/// Public keys and the staff token's hash only; the token itself is never in it.
fn server_file_text(public: &secrets::Public, signing_public: &str, staff_hash: &str) -> String {
    format!(
        "# meldpunt-keys init: voor de server / for the server (meldpunt-server setup).\n\
         # Publieke sleutels en de hash van de toegangscode; niets geheims.\n\
         # Public keys and the hash of the staff token; nothing secret.\n\
         format = \"{SERVER_FILE_FORMAT}\"\n\
         v = 1\n\
         signing_public_key = \"{signing_public}\"\n\
         staff_token_sha256 = [\"{staff_hash}\"]\n\
         {}\n",
        public.config_line()
    )
}

/// Writes a new file (never overwriting one) and syncs it: it may be on a USB stick.
fn write_new(path: &Path, data: &[u8]) -> Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o644)
        .open(path)
        .and_then(|mut f| {
            f.write_all(data)?;
            f.sync_all()
        })
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Failure::OutputExists(path.to_path_buf()),
            _ => Failure::io(path, Action::Write, e),
        })
}

/// `mpst_` and 32 random bytes in base64url: what staff present to the server.
fn staff_token() -> Result<Zeroizing<String>> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    meldpunt_envelope::random_bytes(bytes.as_mut())
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let b64 = Zeroizing::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes[..]));
    Ok(Zeroizing::new(format!(
        "{STAFF_TOKEN_PREFIX}{}",
        b64.as_str()
    )))
}

fn make_private_dir(dir: &Path) -> Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Failure::io(dir, Action::CreateDir, e))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| Failure::io(dir, Action::CreateDir, e))
}

/// Writes new files (never overwriting one); if any fails, removes those written, so a
/// failed init can simply be run again.
fn write_all_or_nothing(p: &Paths, files: &[(&PathBuf, &[u8], u32)]) -> Result<()> {
    let mut written: Vec<&Path> = Vec::new();
    for (path, data, mode) in files {
        let res = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(*mode)
            .open(path)
            .and_then(|mut f| {
                f.write_all(data)?;
                f.sync_all()
            });
        match res {
            Ok(()) => written.push(path),
            Err(e) => {
                let failure = if e.kind() == std::io::ErrorKind::AlreadyExists {
                    Failure::AlreadyInitialised(p.dir.clone())
                } else {
                    Failure::io(path, Action::Write, e)
                };
                if !matches!(failure, Failure::AlreadyInitialised(_)) {
                    let _ = std::fs::remove_file(path);
                }
                for w in written {
                    let _ = std::fs::remove_file(w);
                }
                return Err(failure);
            }
        }
    }
    Ok(())
}
