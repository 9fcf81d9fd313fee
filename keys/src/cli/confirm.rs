//! `confirm`: the signed import confirmation for a bundle that is in the case store.
//! The server verifies it with the meldpunt's signing key and then deletes the
//! ciphertexts of those items (docs/PROTOCOL.md, "Import confirmation"): those the
//! store imported and those it set aside. Nothing is confirmed that the store does
//! not hold byte for byte.

use meldpunt_keys::tr;
use std::path::Path;

use meldpunt_keys::error::{Error, Result};
use meldpunt_keys::import::read_inbox;
use meldpunt_keys::replies::write_new;
use meldpunt_keys::session::{Session, Want};

use super::Ctx;

pub fn run(ctx: &Ctx, file: &Path, out: &Path) -> Result<()> {
    ctx.paths.require_keys()?;
    if out.exists() {
        return Err(Error::OutputExists(out.to_path_buf()));
    }
    let mut session = ctx.session()?;
    let b = read_inbox(file)?;
    let held = session.held_items(b, file)?;
    ctx.unlock(&mut session, Want::OpenAndSign)?;
    write_confirmation(ctx, &session, &held.imported, &held.set_aside, out)
}

/// Signs a confirmation of `held` (imported) and `set_aside` ids and writes it to
/// `out` (a new file).
pub fn write_confirmation(
    ctx: &Ctx,
    session: &Session,
    held: &[String],
    set_aside: &[String],
    out: &Path,
) -> Result<()> {
    let l = ctx.lang;
    let Some(json) = session.confirmation(held, set_aside, &meldpunt_keys::days::today())? else {
        println!("{}", tr!(l, "confirm-the-bundle-is-empty-there"));
        return Ok(());
    };
    write_new(out, &json)?;
    let total = held.len() + set_aside.len();
    if set_aside.is_empty() {
        println!(
            "{}",
            tr!(
                l,
                "confirm-import-confirmation-for-items-written",
                total = total,
                out = out.display()
            )
        );
    } else {
        println!(
            "{}",
            tr!(
                l,
                "confirm-import-confirmation-for-items-set",
                total = total,
                set_aside_len = set_aside.len(),
                out = out.display()
            )
        );
    }
    Ok(())
}
