//! `confirm`: the signed import confirmation for a bundle that is in the case store.
//! The server verifies it with the meldpunt's signing key and then deletes the
//! ciphertexts of those items (docs/PROTOCOL.md, "Import confirmation"): those the
//! store imported and those it set aside. Nothing is confirmed that the store does
//! not hold byte for byte.

use std::path::Path;

use meldpunt_envelope::signed::Confirmation;

use super::Ctx;
use crate::error::{Failure, Result};
use crate::secrets::Keys;
use crate::store::{Held, Store};

pub fn run(ctx: &Ctx, file: &Path, out: &Path) -> Result<()> {
    let p = &ctx.paths;
    p.require_keys()?;
    if out.exists() {
        return Err(Failure::OutputExists(out.to_path_buf()));
    }
    let own = super::import::own_meldpunt(p)?;
    let b = super::import::read_inbox(file)?;
    super::import::check_meldpunt(&b, &own)?;
    let store = Store::open(&p.db)?;
    let (mut held, mut aside) = (Vec::new(), Vec::new());
    for (line, ct) in b.items {
        match store.holds(&line.id, &ct)? {
            Some(Held::Imported) => held.push(line.id),
            Some(Held::SetAside) => aside.push(line.id),
            None => return Err(Failure::NotImported(file.to_path_buf(), line.id)),
        }
    }
    let keys = ctx.unlock(true)?;
    write_confirmation(ctx, &keys, &held, &aside, out)
}

/// Signs a confirmation of `held` (imported) and `set_aside` ids and writes it to
/// `out` (a new file).
pub fn write_confirmation(
    ctx: &Ctx,
    keys: &Keys,
    held: &[String],
    set_aside: &[String],
    out: &Path,
) -> Result<()> {
    let l = ctx.lang;
    if held.is_empty() && set_aside.is_empty() {
        println!(
            "{}",
            l.t(
                "De bundel is leeg; er is niets te bevestigen en er is geen bestand gemaakt.",
                "The bundle is empty; there is nothing to confirm and no file was written.",
            )
        );
        return Ok(());
    }
    let c = Confirmation {
        v: 1,
        day: crate::days::today(),
        items: held.to_vec(),
        set_aside: set_aside.to_vec(),
    };
    let signed = c
        .sign(keys.signing())
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let mut json =
        serde_json::to_vec_pretty(&signed).map_err(|e| Failure::Internal(e.to_string()))?;
    json.push(b'\n');
    super::write_new(out, &json)?;
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
