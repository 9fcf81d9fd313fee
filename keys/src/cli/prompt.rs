//! Asking for the passphrase on the terminal (rpassword), or taking it from the
//! environment for scripted use.

use age::secrecy::{ExposeSecret, SecretString};
use meldpunt_keys::error::{Error, Result};
use meldpunt_keys::lang::Lang;
use meldpunt_keys::secrets::{ENV_PASSPHRASE, MIN_PASSPHRASE};
use meldpunt_keys::tr;

fn tty_available() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .is_ok()
}

fn prompt(text: &str) -> Result<SecretString> {
    if !tty_available() {
        return Err(Error::NoTerminal);
    }
    let p = rpassword::prompt_password(text).map_err(|_| Error::NoTerminal)?;
    Ok(SecretString::from(p))
}

/// The passphrase for opening the keys: from the environment, else asked once.
pub fn passphrase(l: Lang) -> Result<SecretString> {
    if let Ok(p) = std::env::var(ENV_PASSPHRASE) {
        return Ok(SecretString::from(p));
    }
    prompt(&tr!(l, "prompt-meldpunt-passphrase"))
}

/// The passphrase for new keys: from the environment, else asked twice. Either way
/// at least [`MIN_PASSPHRASE`] characters.
pub fn new_passphrase(l: Lang) -> Result<SecretString> {
    let p = match std::env::var(ENV_PASSPHRASE) {
        Ok(p) => SecretString::from(p),
        Err(_) => {
            if !tty_available() {
                return Err(Error::NoTerminal);
            }
            eprintln!("{}", tr!(l, "prompt-choose-a-passphrase-of-at"));
            let a = prompt(&tr!(l, "prompt-new-passphrase"))?;
            if a.expose_secret().chars().count() < MIN_PASSPHRASE {
                return Err(Error::PassphraseTooShort);
            }
            let b = prompt(&tr!(l, "prompt-once-more"))?;
            if a.expose_secret() != b.expose_secret() {
                return Err(Error::PassphraseMismatch);
            }
            a
        }
    };
    if p.expose_secret().chars().count() < MIN_PASSPHRASE {
        return Err(Error::PassphraseTooShort);
    }
    Ok(p)
}
