//! `confirm`: the signed import confirmation for a bundle that is in the case store.
//! The server verifies it with the meldpunt's signing key and then deletes the
//! ciphertexts of those items (docs/PROTOCOL.md, "Import confirmation"): those the
//! store imported and those it set aside. Nothing is confirmed that the store does
//! not hold byte for byte.

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
        println!(
            "{}",
            l.t(
                "De bundel is leeg; er is niets te bevestigen en er is geen bestand gemaakt.",
                "The bundle is empty; there is nothing to confirm and no file was written.",
            )
        );
        return Ok(());
    };
    write_new(out, &json)?;
    let total = held.len() + set_aside.len();
    if set_aside.is_empty() {
        println!(
            "{}",
            l.t(
                format!(
                    "Importbevestiging voor {total} berichten geschreven naar {}; breng hem naar de online machine (POST /api/v1/staff/bevestiging), dan wist de server ze.",
                    out.display()
                ),
                format!(
                    "Import confirmation for {total} items written to {}; take it to the online machine (POST /api/v1/staff/bevestiging) and the server deletes them.",
                    out.display()
                ),
            )
        );
    } else {
        println!(
            "{}",
            l.t(
                format!(
                    "Importbevestiging voor {total} berichten ({} apart gezet) geschreven naar {}; breng hem naar de online machine (POST /api/v1/staff/bevestiging), dan wist de server ze.",
                    set_aside.len(),
                    out.display()
                ),
                format!(
                    "Import confirmation for {total} items ({} set aside) written to {}; take it to the online machine (POST /api/v1/staff/bevestiging) and the server deletes them.",
                    set_aside.len(),
                    out.display()
                ),
            )
        );
    }
    Ok(())
}
