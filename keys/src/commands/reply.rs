//! `reply`: write a reply to a case. It is sealed to the reporter's reply recipient
//! and signed now, and waits in the store for `export-replies`.

use std::io::{IsTerminal, Read};
use std::path::Path;

use meldpunt_envelope::melding;
use meldpunt_envelope::reply::{self, ReplyText};
use zeroize::Zeroizing;

use super::Ctx;
use crate::error::{Action, Failure, Result};
use crate::secrets::Keys;
use crate::store::{NewReply, Store};

pub fn run(ctx: &Ctx, number: &str, file: Option<&Path>) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    p.require_keys()?;
    let mut store = Store::open(&p.db)?;
    let case = store
        .case(number)?
        .ok_or_else(|| Failure::CaseNotFound(number.to_string()))?;
    let text = read_text(ctx, file)?;
    let day = meldpunt_envelope::domain::today();
    let reply_text = ReplyText::new(&day, text.trim_end());
    reply_text
        .validate()
        .map_err(|e| Failure::ReplyInvalid(e.to_string()))?;

    let keys = Keys::unlock(p, l, true)?;
    let first = store
        .first_item_of(&case.lookup_hash)?
        .ok_or_else(|| Failure::Internal(format!("case {number} has no items")))?;
    let m = melding::open(&first, &[&keys.identity])
        .map_err(|e| Failure::Internal(format!("a stored item no longer opens: {e}")))?;
    let mut lookup_hash = [0u8; 32];
    hex::decode_to_slice(&case.lookup_hash, &mut lookup_hash)
        .map_err(|_| Failure::Internal("a stored lookup hash is not hex".into()))?;
    let sealed = reply::seal_and_sign(
        &reply_text,
        &m.reply_recipient,
        &lookup_hash,
        keys.signing(),
    )
    .map_err(|e| Failure::ReplyInvalid(e.to_string()))?;
    let own_copy = seal_own_copy(&reply_text, &keys.identity)?;
    let id = meldpunt_envelope::random_id().map_err(|e| Failure::Internal(e.to_string()))?;
    store.add_reply(&NewReply {
        id,
        case_id: case.id,
        day,
        ciphertext: sealed.ciphertext,
        signature: sealed.signature,
        own_copy,
    })?;
    let pending = store.pending_replies()?;
    println!(
        "{}",
        l.t(
            format!("Reactie op zaak {number} opgeslagen; {pending} klaar voor export-replies."),
            format!("Reply to case {number} saved; {pending} ready for export-replies."),
        )
    );
    Ok(())
}

fn read_text(ctx: &Ctx, file: Option<&Path>) -> Result<Zeroizing<String>> {
    let l = ctx.lang;
    let mut bytes = Zeroizing::new(Vec::new());
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
                        "Typ de reactie en sluit af met Ctrl-D op een lege regel:",
                        "Type the reply and finish with Ctrl-D on an empty line:",
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
        Failure::ReplyInvalid(
            l.t("de tekst is geen UTF-8", "the text is not UTF-8")
                .into(),
        )
    })?;
    Ok(Zeroizing::new(text.to_string()))
}

/// The reply's text sealed to the meldpunt's own identity, so `show` can print what
/// was sent (the copy that goes out opens only with the reporter's token).
fn seal_own_copy(r: &ReplyText, identity: &age::x25519::Identity) -> Result<Vec<u8>> {
    let json = Zeroizing::new(serde_json::to_vec(r).map_err(|e| Failure::Internal(e.to_string()))?);
    let padded = Zeroizing::new(
        meldpunt_envelope::padding::pad(&json).map_err(|e| Failure::ReplyInvalid(e.to_string()))?,
    );
    melding::seal_bytes(&padded, &[identity.to_public()])
        .map_err(|e| Failure::Internal(e.to_string()))
}

/// Opens the own copy made by [`seal_own_copy`].
pub fn open_own_copy(
    ciphertext: &[u8],
    identity: &age::x25519::Identity,
) -> Result<ReplyText, meldpunt_envelope::Error> {
    let padded = Zeroizing::new(melding::open_bytes(ciphertext, &[identity])?);
    let json = meldpunt_envelope::padding::unpad(&padded)?;
    serde_json::from_slice(json).map_err(|e| meldpunt_envelope::Error::Reply(e.to_string()))
}
