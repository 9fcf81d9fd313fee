//! `init`: make the meldpunt's keys, once. Returns what was made as a value
//! ([`InitResult`]); the faces show it (the staff token only then: it is not kept).

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use base64::Engine;
use meldpunt_envelope::keys::SigningSecretKey;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Action, Error, Result};
use crate::secrets::{self, Paths};
use crate::store::Store;

/// Prefix of staff tokens, so one is recognisable when pasted in the wrong place.
const STAFF_TOKEN_PREFIX: &str = "mpst_";

/// What `format` says in the `--server-file` file; `meldpunt-server setup` reads it.
const SERVER_FILE_FORMAT: &str = "meldpunt-server-setup";

/// What to make besides the keys.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// The recovery key's public key (`age1…`), a second recipient of everything.
    pub recovery: Option<String>,
    /// Where to write the file for `meldpunt-server setup` (a new file).
    pub server_file: Option<PathBuf>,
}

/// What `init` made.
pub struct InitResult {
    /// Where the files are.
    pub paths: Paths,
    /// The identity's public key (`age1…`).
    pub recipient: String,
    /// The recovery key's public key, if one was given.
    pub recovery: Option<String>,
    /// The signing key's public key.
    pub signing_public_key: String,
    /// The staff token, for the online machine's staff. Not kept anywhere: shown once.
    pub staff_token: Zeroizing<String>,
    /// SHA-256 of the staff token in hex, as the server's configuration holds it.
    pub staff_token_sha256: String,
    /// The `recipients = [...]` line for every `[[organisations]]` block.
    pub recipients_line: String,
    /// The file for `meldpunt-server setup`, if one was written.
    pub server_file: Option<PathBuf>,
}

impl InitResult {
    /// The lines for the server's configuration, one per line, ending in a newline.
    pub fn config_lines(&self) -> String {
        format!(
            "signing_public_key = \"{}\"\nstaff_token_sha256 = [\"{}\"]\n{}\n",
            self.signing_public_key, self.staff_token_sha256, self.recipients_line
        )
    }
}

/// Refuses early what `init` would refuse, before a face asks for a passphrase: a bad
/// recovery key, a folder that already holds keys, an existing server file, a bad
/// work factor.
pub fn check(dir: &Path, o: &InitOptions) -> Result<()> {
    let p = Paths::new(dir.to_path_buf());
    if let Some(r) = &o.recovery {
        meldpunt_envelope::keys::parse_recipient(r)
            .map_err(|_| Error::InvalidRecipient(r.to_string()))?;
    }
    if [&p.identity, &p.signing, &p.db].iter().any(|f| f.exists()) {
        return Err(Error::AlreadyInitialised(p.dir.clone()));
    }
    if let Some(f) = o.server_file.as_deref().filter(|f| f.exists()) {
        return Err(Error::OutputExists(f.to_path_buf()));
    }
    secrets::work_factor()?;
    Ok(())
}

/// Makes the meldpunt's keys in `dir`, sealed to `pass` (at least
/// [`secrets::MIN_PASSPHRASE`] characters), and an empty case store.
pub fn init(dir: &Path, pass: &SecretString, o: &InitOptions) -> Result<InitResult> {
    use age::secrecy::ExposeSecret;
    check(dir, o)?;
    if pass.expose_secret().chars().count() < secrets::MIN_PASSPHRASE {
        return Err(Error::PassphraseTooShort);
    }
    let p = &Paths::new(dir.to_path_buf());
    let recovery = o.recovery.as_deref();
    let server_file = o.server_file.as_deref();
    let log_n = secrets::work_factor()?;
    let identity = age::x25519::Identity::generate();
    let signing = SigningSecretKey::generate().map_err(|e| Error::Internal(e.to_string()))?;
    let recipient = identity.to_public().to_string();
    let signing_public = signing.public().to_string();
    let identity_file = secrets::seal_to_passphrase(
        secrets::identity_file_text(&identity, &meldpunt_envelope::domain::today()).as_bytes(),
        pass,
        log_n,
    )?;
    let signing_text = Zeroizing::new(format!("{}\n", signing.to_text().as_str()));
    let signing_file = secrets::seal_to_passphrase(signing_text.as_bytes(), pass, log_n)?;
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

    Ok(InitResult {
        paths: p.clone(),
        recipient: public.recipient.clone(),
        recovery: public.recovery.clone(),
        signing_public_key: signing_public,
        staff_token,
        staff_token_sha256: staff_hash,
        recipients_line: public.config_line(),
        server_file: server_file.map(Path::to_path_buf),
    })
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
            std::io::ErrorKind::AlreadyExists => Error::OutputExists(path.to_path_buf()),
            _ => Error::io(path, Action::Write, e),
        })
}

/// `mpst_` and 32 random bytes in base64url: what staff present to the server.
fn staff_token() -> Result<Zeroizing<String>> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    meldpunt_envelope::random_bytes(bytes.as_mut()).map_err(|e| Error::Internal(e.to_string()))?;
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
        .map_err(|e| Error::io(dir, Action::CreateDir, e))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| Error::io(dir, Action::CreateDir, e))
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
                    Error::AlreadyInitialised(p.dir.clone())
                } else {
                    Error::io(path, Action::Write, e)
                };
                if !matches!(failure, Error::AlreadyInitialised(_)) {
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
