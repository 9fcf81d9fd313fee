//! Attachments: [`Session::extract`] writes a case's attachments, decrypted, into a
//! folder the coördinator chooses. Names come from the reporter, so they are made safe: no folders, no
//! leading dots, no control characters; an existing file is never replaced; nothing is
//! ever written outside the folder.

use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use meldpunt_clean::Inspection;

use crate::error::{Action, Error, Result};
use crate::session::Session;

/// Longest file name written, in bytes (most file systems allow 255).
const MAX_NAME: usize = 200;

/// A file name from a reporter, made safe to create inside a folder.
pub fn sanitise(name: &str, fallback: &str) -> String {
    // Only the last path component counts, whatever the separator.
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    let mut out = String::new();
    for c in cleaned.chars() {
        if out.len() + c.len_utf8() > MAX_NAME {
            break;
        }
        out.push(c);
    }
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// `name`, or `name (2).ext`, `name (3).ext`, … : the first that does not exist yet.
fn free_name(dir: &Path, name: &str, n: usize) -> PathBuf {
    if n == 1 {
        return dir.join(name);
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => dir.join(format!("{stem} ({n}).{ext}")),
        _ => dir.join(format!("{name} ({n})")),
    }
}

/// One attachment written by [`Session::extract`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// Where it was written (its name made safe, numbered if taken).
    pub path: PathBuf,
    pub size: u64,
    /// The name the reporter gave it (not safe to print as it is).
    pub original_name: String,
    /// What is still in it that could identify the melder (`meldpunt_clean::inspect`):
    /// metadata the reporter's browser could not remove, or that the reporter kept.
    pub leftover: Inspection,
}

/// What [`Session::leftovers`] found in one attachment of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// Its place among the case's stored attachments (0-based, in the thread's order,
    /// as [`Session::attachment`] counts them).
    pub index: usize,
    /// The name the reporter gave it (not safe to print as it is).
    pub name: String,
    pub inspection: Inspection,
}

impl Leftover {
    /// Whether it still carries, or may carry, data that could identify the melder.
    pub fn warns(&self) -> bool {
        !self.inspection.found.is_empty() || self.inspection.could_not_check.is_some()
    }
}

impl Session {
    /// How many attachments of case `number` the store holds; none is
    /// [`Error::NoAttachments`]. Needs no keys.
    pub fn attachment_count(&self, number: &str) -> Result<usize> {
        let case = self.case(number)?;
        let n = self.store().attachments(case.id)?.len();
        if n == 0 {
            return Err(Error::NoAttachments(number.to_string()));
        }
        Ok(n)
    }

    /// Writes case `number`'s attachments, decrypted and checked against their
    /// melding, into folder `to` (made if missing); records it in the history.
    pub fn extract(&mut self, number: &str, to: &Path, today: &str) -> Result<Vec<Extracted>> {
        let case = self.case(number)?;
        let stored = self.store().attachments(case.id)?;
        if stored.is_empty() {
            return Err(Error::NoAttachments(number.to_string()));
        }
        let keys = self.keys()?;
        let ids = keys.ids();
        let store = self.store();
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(to)
            .map_err(|e| Error::io(to, Action::CreateDir, e))?;

        let mut written = Vec::new();
        for (n, a) in stored.iter().enumerate() {
            let (entry, bytes) = crate::attachment_file::open_stored(store, &ids, a)?;
            let name = sanitise(&entry.name, &format!("bijlage-{}", n + 1));
            let mut k = 1;
            let path = loop {
                let candidate = free_name(to, &name, k);
                // create_new never follows a symlink or replaces a file that is there.
                match std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&candidate)
                {
                    Ok(mut f) => {
                        use std::io::Write;
                        f.write_all(&bytes)
                            .and_then(|()| f.sync_all())
                            .map_err(|e| Error::io(&candidate, Action::Write, e))?;
                        break candidate;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && k < 1000 => k += 1,
                    Err(e) => return Err(Error::io(&candidate, Action::Write, e)),
                }
            };
            written.push(Extracted {
                path,
                size: entry.size,
                original_name: entry.name.clone(),
                leftover: meldpunt_clean::inspect(&entry.name, &bytes),
            });
        }
        self.store_mut().record(
            case.id,
            today,
            meldpunt_envelope::domain::Event::BijlagenOpgeslagen,
            &written.len().to_string(),
        )?;
        Ok(written)
    }
}

impl Session {
    /// Every stored attachment of case `number`, with what `meldpunt_clean::inspect`
    /// finds in it that could identify the melder (metadata the reporter's browser
    /// could not remove, or that the reporter chose to keep). An attachment that does
    /// not open is left out, for [`Session::extract`] to report. Needs the keys.
    pub fn leftovers(&self, number: &str) -> Result<Vec<Leftover>> {
        let case = self.case(number)?;
        let ids = self.keys()?.ids();
        let store = self.store();
        let mut out = Vec::new();
        for (index, a) in store.attachments(case.id)?.iter().enumerate() {
            let Ok((entry, bytes)) = crate::attachment_file::open_stored(store, &ids, a) else {
                continue;
            };
            out.push(Leftover {
                index,
                inspection: meldpunt_clean::inspect(&entry.name, &bytes),
                name: entry.name,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::sanitise;

    #[test]
    fn names_stay_inside_the_folder() {
        assert_eq!(sanitise("../../etc/passwd", "x"), "passwd");
        assert_eq!(sanitise("..\\..\\boot.ini", "x"), "boot.ini");
        assert_eq!(sanitise("/abs/path/f.pdf", "x"), "f.pdf");
        assert_eq!(sanitise("..", "x"), "x");
        assert_eq!(sanitise(".bashrc", "x"), "bashrc");
        assert_eq!(sanitise("", "bijlage-1"), "bijlage-1");
        assert_eq!(sanitise("a\u{1b}[31mb\nc.txt", "x"), "a_[31mb_c.txt");
        assert_eq!(sanitise("con:tract?.pdf", "x"), "con_tract_.pdf");
        assert_eq!(sanitise(&"é".repeat(300), "x").len(), 200);
        assert_eq!(sanitise("factuur maart.pdf", "x"), "factuur maart.pdf");
    }
}
