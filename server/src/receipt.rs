//! The server's receipt key: an Ed25519 key of its own that signs each
//! ontvangstbewijs (`envelope::signed::Receipt`). It is not the meldpunt's signing
//! key and opens nothing; it lets a reporter prove later that and when the server
//! received their melding.
//!
//! Made on first start next to the database (mode 0600, never overwritten), in the
//! same one-line form as the meldpunt's signing key, with comment lines above it in
//! the manner of `rage-keygen`.

use std::io::Write;
use std::path::{Path, PathBuf};

use meldpunt_envelope::keys::SigningSecretKey;
use zeroize::Zeroizing;

const SECRET_PREFIX: &str = "MELDPUNT-ED25519-SECRET:";

/// Why the receipt key could not be loaded or made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiptKeyError {
    #[error("cannot read the receipt key {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the receipt key {}: {source}", path.display())]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the receipt key {} is not valid ({why}); restore it from the backup, or move it away to make a new one (earlier ontvangstbewijzen then name the old key)", path.display())]
    Invalid { path: PathBuf, why: String },
    #[error("cannot make a key: {0}")]
    Random(#[from] meldpunt_envelope::Error),
}

/// Loads the key at `path`, or makes it there if the file does not exist.
pub fn load_or_create(path: &Path) -> Result<SigningSecretKey, ReceiptKeyError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&Zeroizing::new(text)).map_err(|why| ReceiptKeyError::Invalid {
            path: path.to_owned(),
            why,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(source) => Err(ReceiptKeyError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

fn parse(text: &str) -> Result<SigningSecretKey, String> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(SECRET_PREFIX))
        .ok_or("it has no MELDPUNT-ED25519-SECRET line")?;
    SigningSecretKey::from_text(line).map_err(|e| e.to_string())
}

fn create(path: &Path) -> Result<SigningSecretKey, ReceiptKeyError> {
    let key = SigningSecretKey::generate()?;
    let text = Zeroizing::new(format!(
        "# meldpunt-server receipt key: signs each ontvangstbewijs; opens nothing.\n# created: {}\n# public key: {}\n{}\n",
        meldpunt_envelope::Day::today(),
        key.public(),
        *key.to_text()
    ));
    let err = |source| ReceiptKeyError::Create {
        path: path.to_owned(),
        source,
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path).map_err(err)?;
    f.write_all(text.as_bytes()).map_err(err)?;
    f.sync_all().map_err(err)?;
    tracing::info!("made a new receipt key; its public key is served in /api/v1/config");
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_with_mode_0600_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db.receipt-key");
        let k1 = load_or_create(&path).unwrap();
        let k2 = load_or_create(&path).unwrap();
        assert_eq!(k1.public(), k2.public());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(&format!("# public key: {}", k1.public())));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "nonsense").unwrap();
        assert!(matches!(
            load_or_create(&path),
            Err(ReceiptKeyError::Invalid { .. })
        ));
    }
}
