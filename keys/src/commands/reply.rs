//! `reply`: write a reply to a case. It is sealed to the reporter's reply recipient
//! and signed now, and waits in the store for `export-replies`. The text comes from
//! `--file`, standard input, or `$EDITOR` started on a standard text to begin from
//! (the ontvangstbevestiging while the case has none). The first reply on a case
//! records its ontvangstbevestiging; `--terugkoppeling` records the feedback.

use std::io::IsTerminal;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use meldpunt_envelope::melding;
use meldpunt_envelope::reply::{self, ReplyText};
use zeroize::Zeroizing;

use super::Ctx;
use crate::error::{Action, Failure, Result};
use crate::lang::{CliLang, Lang};
use crate::secrets::Public;
use crate::store::{CaseRow, NewReply};

pub struct Args<'a> {
    pub file: Option<&'a Path>,
    pub editor: bool,
    pub template: bool,
    pub terugkoppeling: bool,
}

/// The standard text to start from: an ontvangstbevestiging while the case has none,
/// a terugkoppeling when asked for, else only the instructions.
pub fn template(l: Lang, case: &CaseRow, feedback: bool) -> String {
    let today = crate::days::today();
    if case.acknowledged.is_none() {
        let due = crate::days::feedback_due(&case.received, Some(&today));
        l.t(
            format!(
                "Geachte melder,\n\n\
                 Wij hebben uw melding van {received} in goede orde ontvangen. Wij behandelen haar\n\
                 vertrouwelijk; uw identiteit blijft bij ons onbekend, tenzij u die zelf met ons deelt.\n\n\
                 Binnen drie maanden, uiterlijk op {due}, laten wij u weten wat er met uw melding is\n\
                 gedaan. Heeft u in de tussentijd aanvullende informatie, stuur dan een vervolgbericht\n\
                 met uw code.\n\n\
                 Met vriendelijke groet,\n\nDe integriteitscoördinator\n",
                received = case.received
            ),
            format!(
                "Dear reporter,\n\n\
                 We have received your report of {received}. We treat it confidentially; your identity\n\
                 remains unknown to us unless you share it yourself.\n\n\
                 Within three months, by {due} at the latest, we will let you know what has been done\n\
                 with your report. If you have more information in the meantime, send a follow-up\n\
                 message with your code.\n\n\
                 Kind regards,\n\nThe integrity coördinator\n",
                received = case.received
            ),
        )
    } else if feedback {
        l.t(
            "Geachte melder,\n\nWij hebben uw melding onderzocht. ...\n\nMet vriendelijke groet,\n\nDe integriteitscoördinator\n",
            "Dear reporter,\n\nWe have looked into your report. ...\n\nKind regards,\n\nThe integrity coördinator\n",
        )
        .to_string()
    } else {
        String::new()
    }
}

const COMMENT_NL: &str = "# Schrijf hierboven de reactie aan de melder. Regels die met # beginnen worden\n# weggelaten. Sla op en sluit de editor om te versturen; een lege tekst verstuurt niets.\n";
const COMMENT_EN: &str = "# Write the reply to the reporter above. Lines starting with # are left out.\n# Save and close the editor to send; an empty text sends nothing.\n";

/// Starts `$EDITOR` (or `editor`, `nano`, `vi`) on a private file in the meldpunt folder.
fn edit(ctx: &Ctx, number: &str, start: &str) -> Result<Zeroizing<String>> {
    let l = ctx.lang;
    let path = ctx.paths.dir.join(format!(".reactie-{number}.txt"));
    let _ = std::fs::remove_file(&path);
    let initial = format!("{start}\n{}", l.t(COMMENT_NL, COMMENT_EN));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, initial.as_bytes()))
        .map_err(|e| Failure::io(&path, Action::Write, e))?;
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
        Ok(s) => return Err(Failure::EditorFailed(format!("{editor}: {s}"))),
        Err(e) => return Err(Failure::EditorFailed(format!("{editor}: {e}"))),
    }
    let bytes = Zeroizing::new(read.map_err(|e| Failure::io(&path, Action::Read, e))?);
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        Failure::TextInvalid(
            l.t("de tekst is geen UTF-8", "the text is not UTF-8")
                .into(),
        )
    })?;
    let kept: Vec<&str> = text.lines().filter(|line| !line.starts_with('#')).collect();
    let kept = Zeroizing::new(kept.join("\n"));
    if kept.trim().is_empty() {
        return Err(Failure::ReplyAborted);
    }
    Ok(Zeroizing::new(kept.to_string()))
}

pub fn run(ctx: &Ctx, number: &str, a: &Args) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    let (mut store, case) = super::open_case(p, number)?;
    let Some(lookup_hex) = case.lookup_hash.clone() else {
        return Err(Failure::NoReplyChannel(
            number.to_string(),
            l.term(super::register::KANALEN, &case.kanaal)
                .to_lowercase(),
        ));
    };
    if a.template {
        print!("{}", template(l, &case, a.terugkoppeling));
        return Ok(());
    }
    let use_editor = a.editor || (a.file.is_none() && std::io::stdin().is_terminal());
    let text = if use_editor {
        edit(ctx, number, &template(l, &case, a.terugkoppeling))?
    } else {
        super::read_text(l, a.file)?
    };
    let day = crate::days::today();
    let reply_text = ReplyText::new(&day, text.trim_end());
    reply_text
        .validate()
        .map_err(|e| Failure::ReplyInvalid(e.to_string()))?;

    let keys = ctx.unlock(true)?;
    let public = Public::read(p)?;
    let first = store
        .first_item_of(&lookup_hex)?
        .ok_or_else(|| Failure::Internal(format!("case {number} has no items")))?;
    let m = melding::open(&first, &keys.ids())
        .map_err(|e| Failure::Internal(format!("a stored item no longer opens: {e}")))?;
    let mut lookup_hash = [0u8; 32];
    hex::decode_to_slice(&lookup_hex, &mut lookup_hash)
        .map_err(|_| Failure::Internal("a stored lookup hash is not hex".into()))?;
    let sealed = reply::seal_and_sign(
        &reply_text,
        &m.reply_recipient,
        &lookup_hash,
        keys.signing(),
    )
    .map_err(|e| Failure::ReplyInvalid(e.to_string()))?;
    let own_copy = crate::private::seal_text(&reply_text, &public.recipients()?)?;
    let id = meldpunt_envelope::random_id().map_err(|e| Failure::Internal(e.to_string()))?;
    store.add_reply(&NewReply {
        id,
        case_id: case.id,
        day,
        ciphertext: sealed.ciphertext,
        signature: sealed.signature,
        own_copy,
        feedback: a.terugkoppeling,
    })?;
    let pending = store.pending_replies()?;
    println!(
        "{}",
        l.t(
            format!("Reactie op zaak {number} opgeslagen; {pending} klaar voor export-replies."),
            format!("Reply to case {number} saved; {pending} ready for export-replies."),
        )
    );
    if case.acknowledged.is_none() {
        println!(
            "{}",
            l.t(
                "Deze reactie geldt als ontvangstbevestiging.",
                "This reply counts as the acknowledgement of receipt.",
            )
        );
    }
    if a.terugkoppeling && case.feedback.is_none() {
        println!(
            "{}",
            l.t(
                "Deze reactie geldt als terugkoppeling.",
                "This reply counts as the feedback.",
            )
        );
    }
    Ok(())
}
