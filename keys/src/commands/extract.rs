//! `extract`: write a case's attachments, decrypted, into a folder the coördinator
//! chooses. Names come from the reporter, so they are made safe: no folders, no
//! leading dots, no control characters; an existing file is never replaced; nothing is
//! ever written outside the folder.

use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use meldpunt_envelope::melding;

use super::{Ctx, printable};
use crate::error::{Action, Failure, Result};

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

pub fn run(ctx: &Ctx, number: &str, to: &Path) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    let (mut store, case) = super::open_case(p, number)?;
    let stored = store.attachments(case.id)?;
    if stored.is_empty() {
        return Err(Failure::NoAttachments(number.to_string()));
    }
    let keys = ctx.unlock(false)?;
    let ids = keys.ids();
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(to)
        .map_err(|e| Failure::io(to, Action::CreateDir, e))?;

    let mut written = Vec::new();
    let mut leftovers = Vec::new();
    for (n, a) in stored.iter().enumerate() {
        let (_, parent_ct) = store
            .item(&a.parent)?
            .ok_or_else(|| Failure::Internal(format!("attachment {} has no parent", a.id)))?;
        let parent = melding::open(&parent_ct, &ids)
            .map_err(|e| Failure::Internal(format!("a stored item no longer opens: {e}")))?;
        let entry = parent
            .attachments
            .get(a.idx as usize)
            .ok_or_else(|| Failure::Internal(format!("attachment {} is not named", a.id)))?;
        let bytes = zeroize::Zeroizing::new(
            meldpunt_envelope::attachment::open(&a.ciphertext, &ids).map_err(|e| {
                Failure::Internal(format!("a stored attachment no longer opens: {e}"))
            })?,
        );
        if meldpunt_envelope::sha256_hex(&bytes) != entry.sha256.to_ascii_lowercase() {
            return Err(Failure::Internal(format!(
                "stored attachment {} does not match its melding",
                a.id
            )));
        }
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
                        .map_err(|e| Failure::io(&candidate, Action::Write, e))?;
                    break candidate;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && k < 1000 => k += 1,
                Err(e) => return Err(Failure::io(&candidate, Action::Write, e)),
            }
        };
        leftovers.extend(crate::leftover::warnings(l, &entry.name, &bytes));
        written.push((path, entry.size, entry.name.clone()));
    }
    store.record(
        case.id,
        &crate::days::today(),
        "bijlagen-opgeslagen",
        &written.len().to_string(),
    )?;
    for (path, size, original) in &written {
        let shown = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
        if shown == original {
            println!("{}  ({size} bytes)", path.display());
        } else {
            println!(
                "{}  ({size} bytes; {} {:?})",
                path.display(),
                l.t("oorspronkelijke naam", "original name"),
                printable(original)
            );
        }
    }
    println!(
        "{}",
        l.t(
            format!(
                "{} bijlagen van zaak {number} opgeslagen in {}.",
                written.len(),
                to.display()
            ),
            format!(
                "{} attachments of case {number} saved in {}.",
                written.len(),
                to.display()
            ),
        )
    );
    crate::leftover::print(l, &leftovers);
    Ok(())
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
