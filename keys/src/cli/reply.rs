//! `reply`: write a reply to a case. It is sealed to the reporter's reply recipient
//! and signed now, and waits in the store for `export-replies`. The text comes from
//! `--file`, standard input, or `$EDITOR` started on a standard text to begin from
//! (the ontvangstbevestiging while the case has none). The first reply on a case
//! records its ontvangstbevestiging; `--terugkoppeling` records the feedback.

use meldpunt_keys::tr;
use std::io::IsTerminal;
use std::os::unix::fs::OpenOptionsExt;

use zeroize::Zeroizing;

use super::Ctx;
use super::args::ReplyArgs;
use meldpunt_keys::error::{Action, Error, Result};
use meldpunt_keys::lang::Lang;
use meldpunt_keys::session::Want;
use meldpunt_keys::store::CaseRow;

/// The standard text to start from: an ontvangstbevestiging while the case has none,
/// a terugkoppeling when asked for, else only the instructions.
pub fn template(l: Lang, case: &CaseRow, feedback: bool) -> String {
    let today = meldpunt_keys::days::today();
    if case.acknowledged.is_none() {
        let due = meldpunt_keys::days::feedback_due(&case.received, Some(&today));
        tr!(
            l,
            "reply-dear-reporter-we-have-received",
            received = case.received,
            due = due
        )
    } else if feedback {
        tr!(l, "reply-dear-reporter-we-have-looked").to_string()
    } else {
        String::new()
    }
}

/// Starts `$EDITOR` (or `editor`, `nano`, `vi`) on a private file in the meldpunt folder.
fn edit(ctx: &Ctx, number: &str, start: &str) -> Result<Zeroizing<String>> {
    let l = ctx.lang;
    let path = ctx.paths.dir.join(format!(".reactie-{number}.txt"));
    let _ = std::fs::remove_file(&path);
    let initial = format!("{start}\n{}", tr!(l, "reply-editor-comment"));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, initial.as_bytes()))
        .map_err(|e| Error::io(&path, Action::Write, e))?;
    let editor = std::env::var("VISUAL")
        .ok()
        .or_else(|| std::env::var("EDITOR").ok())
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "editor".to_string());
    // As git does: the editor setting may carry arguments, so the shell splits it.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    let read = std::fs::read(&path);
    // The draft is plaintext: overwrite it before removing it.
    if let Ok(meta) = std::fs::metadata(&path) {
        let _ = std::fs::write(&path, vec![0u8; meta.len() as usize]);
    }
    let _ = std::fs::remove_file(&path);
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => return Err(Error::EditorFailed(format!("{editor}: {s}"))),
        Err(e) => return Err(Error::EditorFailed(format!("{editor}: {e}"))),
    }
    let bytes = Zeroizing::new(read.map_err(|e| Error::io(&path, Action::Read, e))?);
    let text = std::str::from_utf8(&bytes).map_err(|_| Error::TextNotUtf8)?;
    let kept: Vec<&str> = text.lines().filter(|line| !line.starts_with('#')).collect();
    let kept = Zeroizing::new(kept.join("\n"));
    if kept.trim().is_empty() {
        return Err(Error::ReplyAborted);
    }
    Ok(Zeroizing::new(kept.to_string()))
}

pub fn run(ctx: &Ctx, a: &ReplyArgs) -> Result<()> {
    let number = a.case.as_str();
    let l = ctx.lang;
    let mut session = ctx.session()?;
    let case = session.reply_case(number)?;
    if a.template {
        print!("{}", template(l, &case, a.terugkoppeling));
        return Ok(());
    }
    let use_editor = a.editor || (a.file.is_none() && std::io::stdin().is_terminal());
    let text = if use_editor {
        edit(ctx, number, &template(l, &case, a.terugkoppeling))?
    } else {
        super::read_text(l, a.file.as_deref())?
    };
    let day = meldpunt_keys::days::today();
    session.check_reply_text(&text, &day)?;
    ctx.unlock(&mut session, Want::OpenAndSign)?;
    let done = session.reply(number, &text, a.terugkoppeling, &day)?;
    let pending = done.pending;
    println!(
        "{}",
        tr!(
            l,
            "reply-reply-to-case-saved-ready",
            number = number,
            pending = pending
        )
    );
    if done.counts_as_acknowledgement {
        println!("{}", tr!(l, "reply-this-reply-counts-as-the"));
    }
    if done.counts_as_feedback {
        println!("{}", tr!(l, "reply-this-reply-counts-as-the-2"));
    }
    Ok(())
}
