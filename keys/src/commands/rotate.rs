//! Key management after `init`: `rotate` makes a new identity for new meldingen and
//! keeps the older ones in `identity.age` so older items still open; `recovery` sets
//! the recovery recipient, a second key kept in a safe that can open the store. Both
//! reseal the store's own texts (reply copies, notes, registrations) to the new set of
//! recipients and print the line for the server's configuration.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::Ctx;
use crate::error::{Action, Failure, Result};
use crate::secrets::{self, Keys, Public};
use crate::store::Store;

/// Replaces `path` atomically: a new file beside it, synced, then renamed over it.
fn replace_file(path: &Path, data: &[u8], mode: u32) -> Result<()> {
    let tmp = path.with_extension("new");
    let _ = std::fs::remove_file(&tmp);
    let res = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(data)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    res.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Failure::io(path, Action::Write, e)
    })
}

/// Reseals every text the store keeps for itself to `recipients`, in one transaction.
fn reseal_store(ctx: &Ctx, keys: &Keys, recipients: &[age::x25519::Recipient]) -> Result<usize> {
    let mut store = Store::open(&ctx.paths.db)?;
    let ids = keys.ids();
    let mut resealed = Vec::new();
    for (table, key, ct) in store.private_blobs()? {
        let text = crate::private::open(&ct, &ids)
            .map_err(|e| Failure::Internal(format!("a stored text no longer opens: {e}")))?;
        resealed.push((table, key, crate::private::seal_text(&text, recipients)?));
    }
    store.replace_private_blobs(&resealed)?;
    Ok(resealed.len())
}

fn print_config(ctx: &Ctx, public: &Public, what: (&str, &str)) {
    let l = ctx.lang;
    println!("{}", l.t(what.0, what.1));
    println!(
        "{}\n\n{}",
        l.t(
            "Zet deze regel in elk [[organisations]]-blok van de serverconfiguratie (meldpunt-server):",
            "Put this line in every [[organisations]] block of the server configuration (meldpunt-server):",
        ),
        public.config_line()
    );
}

pub fn rotate(ctx: &Ctx) -> Result<()> {
    let p = &ctx.paths;
    p.require_keys()?;
    let log_n = secrets::work_factor()?;
    let pass = secrets::passphrase(ctx.lang)?;
    let keys = Keys::open(p, &pass, false)?;
    let mut public = Public::read(p)?;
    let new = age::x25519::Identity::generate();
    let mut all = vec![new.clone()];
    all.extend(keys.identities.iter().cloned());
    let text = secrets::identities_file_text(&all, &crate::days::today());
    let sealed = secrets::seal_to_passphrase(text.as_bytes(), &pass, log_n)?;
    replace_file(&p.identity, &sealed, 0o600)?;
    public.recipient = new.to_public().to_string();
    replace_file(&p.public, public.text().as_bytes(), 0o644)?;
    let keys = Keys {
        identities: all,
        ..keys
    };
    reseal_store(ctx, &keys, &public.recipients()?)?;
    print_config(
        ctx,
        &public,
        (
            "Nieuwe sleutel gemaakt voor nieuwe meldingen; de oude sleutels blijven in identity.age en openen oudere berichten.",
            "New key made for new meldingen; the old keys stay in identity.age and open older items.",
        ),
    );
    Ok(())
}

pub fn recovery(ctx: &Ctx, recipient: &str) -> Result<()> {
    let p = &ctx.paths;
    p.require_keys()?;
    meldpunt_envelope::keys::parse_recipient(recipient)
        .map_err(|_| Failure::InvalidRecipient(recipient.to_string()))?;
    let mut public = Public::read(p)?;
    if public.recovery.as_deref() == Some(recipient) {
        return Err(Failure::SameRecovery);
    }
    let keys = ctx.unlock(false)?;
    public.recovery = Some(recipient.to_string());
    replace_file(&p.public, public.text().as_bytes(), 0o644)?;
    let n = reseal_store(ctx, &keys, &public.recipients()?)?;
    let l = ctx.lang;
    print_config(
        ctx,
        &public,
        (
            &l.t(
                format!("Herstelsleutel ingesteld; {n} eigen teksten in het zaakregister zijn opnieuw versleuteld, ook voor de herstelsleutel. Nieuwe meldingen zijn er alleen mee te openen als de server hem ook noemt."),
                format!("Recovery key set; {n} of the store's own texts were resealed, to the recovery key too. New meldingen open with it only if the server lists it as well."),
            ),
            &l.t(
                format!("Herstelsleutel ingesteld; {n} eigen teksten in het zaakregister zijn opnieuw versleuteld, ook voor de herstelsleutel. Nieuwe meldingen zijn er alleen mee te openen als de server hem ook noemt."),
                format!("Recovery key set; {n} of the store's own texts were resealed, to the recovery key too. New meldingen open with it only if the server lists it as well."),
            ),
        ),
    );
    Ok(())
}
