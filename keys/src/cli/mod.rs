//! The command-line face of the library: one module per command. Each takes a
//! [`Ctx`], asks for what only a terminal can give (the passphrase, a text on stdin,
//! `$EDITOR`), calls the library and prints its results on stdout; failures travel up
//! as [`meldpunt_keys::Error`] and `main` words them ([`messages`]).

pub mod args;
pub mod confirm;
pub mod export;
pub mod extract;
pub mod help;
pub mod import;
pub mod init;
pub mod jaarverslag;
pub mod leftover;
pub mod list;
pub mod messages;
pub mod note;
pub mod prompt;
pub mod register;
pub mod reply;
pub mod rotate;
pub mod set_aside;
pub mod show;
pub mod status;

use meldpunt_keys::tr;
use std::path::{Path, PathBuf};

use meldpunt_keys::error::{Action, Error, Result};
use meldpunt_keys::lang::Lang;
use meldpunt_keys::secrets::Paths;
use meldpunt_keys::session::{Credential, Session, Want};

/// What every command gets: where the keys live, which language to speak, and
/// optionally a recovery identity file to open things with instead of the passphrase.
pub struct Ctx {
    pub paths: Paths,
    pub lang: Lang,
    pub recovery: Option<PathBuf>,
}

impl Ctx {
    /// Opens the meldpunt folder (no passphrase yet).
    pub fn session(&self) -> Result<Session> {
        Session::open(self.paths.dir.clone())
    }

    /// How this run unlocks: the recovery identity file if one was given, else the
    /// passphrase (from the environment or asked once).
    fn credential(&self, want: Want) -> Result<Credential> {
        match &self.recovery {
            Some(file) => {
                if want == Want::OpenAndSign {
                    return Err(Error::RecoveryCannotSign);
                }
                Ok(Credential::RecoveryIdentity(file.clone()))
            }
            None => Ok(Credential::Passphrase(prompt::passphrase(self.lang)?)),
        }
    }

    /// Unlocks the session's keys once for the whole command (scrypt runs once, not
    /// per item).
    pub fn unlock(&self, session: &mut Session, want: Want) -> Result<()> {
        let credential = self.credential(want)?;
        session.unlock(credential, want)
    }
}

/// Text from a reporter, made safe to print on a terminal: control characters
/// (escape sequences could rewrite the screen) become U+FFFD; newlines and tabs stay.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// The plural category of `n` for the catalogue's selectors (`one` or `other`; Dutch
/// and English share the rule).
pub fn plural(n: i64) -> &'static str {
    if n == 1 { "one" } else { "other" }
}

/// A day given on the command line: `YYYY-MM-DD`, or `vandaag` / `today`.
pub fn parse_day(s: &str) -> String {
    match s {
        "vandaag" | "today" => meldpunt_keys::days::today(),
        d => d.to_string(),
    }
}

pub use meldpunt_keys::replies::write_new;

/// Reads a text from a file, or from standard input.
pub fn read_text(l: Lang, file: Option<&Path>) -> Result<zeroize::Zeroizing<String>> {
    use std::io::{IsTerminal, Read};
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    match file {
        Some(path) => {
            let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, Action::Read, e))?;
            f.read_to_end(&mut bytes)
                .map_err(|e| Error::io(path, Action::Read, e))?;
        }
        None => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprintln!("{}", tr!(l, "input-type-the-text-and-finish"));
            }
            stdin
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io(Path::new("-"), Action::Read, e))?;
        }
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| Error::TextNotUtf8)?;
    Ok(zeroize::Zeroizing::new(text.to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn printable_strips_escapes() {
        assert_eq!(
            super::printable("a\u{1b}[2Jb\nc\td\r"),
            "a\u{fffd}[2Jb\nc\td\u{fffd}"
        );
    }
}
