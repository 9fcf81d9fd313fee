//! One module per command. Each takes a [`Ctx`] and prints its results on stdout;
//! failures travel up as [`crate::error::Failure`] and `main` prints them.

pub mod confirm;
pub mod export;
pub mod extract;
pub mod import;
pub mod init;
pub mod jaarverslag;
pub mod list;
pub mod note;
pub mod register;
pub mod reply;
pub mod rotate;
pub mod set_aside;
pub mod show;
pub mod status;

use std::io::Write;
use std::path::{Path, PathBuf};

use meldpunt_envelope::domain::Term;

use crate::error::{Action, Failure, Result};
use crate::lang::Lang;
use crate::secrets::{Keys, Paths};
use crate::store::{CaseRow, Store};

/// What every command gets: where the keys live, which language to speak, and
/// optionally a recovery identity file to open things with instead of the passphrase.
pub struct Ctx {
    pub paths: Paths,
    pub lang: Lang,
    pub recovery: Option<PathBuf>,
}

impl Ctx {
    /// Opens the keys once for the whole command (scrypt runs once, not per item).
    pub fn unlock(&self, signing: bool) -> Result<Keys> {
        Keys::unlock(&self.paths, self.lang, signing, self.recovery.as_deref())
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

/// A day given on the command line: `YYYY-MM-DD`, or `vandaag` / `today`.
pub fn parse_day(s: &str) -> Result<String> {
    match s {
        "vandaag" | "today" => Ok(crate::days::today()),
        d if meldpunt_envelope::domain::is_valid_day(d) => Ok(d.to_string()),
        d => Err(Failure::InvalidDay(d.to_string())),
    }
}

/// A code from one of the domain lists, as given on the command line.
pub fn check_code(what: &'static str, list: &[Term], code: &str) -> Result<String> {
    match meldpunt_envelope::domain::find(list, code) {
        Some(t) => Ok(t.code.to_string()),
        None => Err(Failure::InvalidCode(what, code.to_string())),
    }
}

/// Creates `path` (never replacing a file) and writes it durably; a half-written file
/// is removed.
pub fn write_new(path: &Path, data: &[u8]) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Failure::OutputExists(path.to_path_buf())
            } else {
                Failure::io(path, Action::Write, e)
            }
        })?;
    if let Err(e) = f.write_all(data).and_then(|()| f.sync_all()) {
        drop(f);
        let _ = std::fs::remove_file(path);
        return Err(Failure::io(path, Action::Write, e));
    }
    Ok(())
}

/// Reads a text from a file, or from standard input.
pub fn read_text(l: Lang, file: Option<&Path>) -> Result<zeroize::Zeroizing<String>> {
    use std::io::{IsTerminal, Read};
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    match file {
        Some(path) => {
            let mut f =
                std::fs::File::open(path).map_err(|e| Failure::io(path, Action::Read, e))?;
            f.read_to_end(&mut bytes)
                .map_err(|e| Failure::io(path, Action::Read, e))?;
        }
        None => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprintln!(
                    "{}",
                    l.t(
                        "Typ de tekst en sluit af met Ctrl-D op een lege regel:",
                        "Type the text and finish with Ctrl-D on an empty line:",
                    )
                );
            }
            stdin
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::io(Path::new("-"), Action::Read, e))?;
        }
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        Failure::TextInvalid(
            l.t("de tekst is geen UTF-8", "the text is not UTF-8")
                .into(),
        )
    })?;
    Ok(zeroize::Zeroizing::new(text.to_string()))
}

/// Opens the case store of an initialised folder and finds case `number`: the start
/// of every command that works on one case.
pub fn open_case(p: &Paths, number: &str) -> Result<(Store, CaseRow)> {
    p.require_keys()?;
    let store = Store::open(&p.db)?;
    let case = store
        .case(number)?
        .ok_or_else(|| Failure::CaseNotFound(number.to_string()))?;
    Ok((store, case))
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
