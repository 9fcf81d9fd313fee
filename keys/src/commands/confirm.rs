//! `confirm`: the signed import confirmation for a bundle that is in the case store.
//! The server verifies it with the meldpunt's signing key and then deletes the
//! ciphertexts of those items (docs/PROTOCOL.md, "Import confirmation"). Nothing is
//! confirmed that the store does not hold byte for byte.

use std::path::Path;

use meldpunt_envelope::signed::Confirmation;

use super::Ctx;
use crate::error::{Failure, Result};
use crate::secrets::Keys;
use crate::store::Store;

pub fn run(ctx: &Ctx, file: &Path, out: &Path) -> Result<()> {
    let p = &ctx.paths;
    p.require_keys()?;
    if out.exists() {
        return Err(Failure::OutputExists(out.to_path_buf()));
    }
    let b = super::import::read_inbox(file)?;
    let store = Store::open(&p.db)?;
    for (line, ct) in &b.items {
        if !store.holds(&line.id, ct)? {
            return Err(Failure::NotImported(file.to_path_buf(), line.id.clone()));
        }
    }
    let keys = ctx.unlock(true)?;
    let ids: Vec<String> = b.items.into_iter().map(|(line, _)| line.id).collect();
    write_confirmation(ctx, &keys, &ids, out)
}

/// Signs a confirmation of `ids` and writes it to `out` (a new file).
pub fn write_confirmation(ctx: &Ctx, keys: &Keys, ids: &[String], out: &Path) -> Result<()> {
    let l = ctx.lang;
    if ids.is_empty() {
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
        items: ids.to_vec(),
    };
    let signed = c
        .sign(keys.signing())
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let mut json =
        serde_json::to_vec_pretty(&signed).map_err(|e| Failure::Internal(e.to_string()))?;
    json.push(b'\n');
    super::write_new(out, &json)?;
    println!(
        "{}",
        l.t(
            format!(
                "Importbevestiging voor {} berichten geschreven naar {}; breng hem naar de online machine (POST /api/v1/staff/bevestiging), dan wist de server ze.",
                ids.len(),
                out.display()
            ),
            format!(
                "Import confirmation for {} items written to {}; take it to the online machine (POST /api/v1/staff/bevestiging) and the server deletes them.",
                ids.len(),
                out.display()
            ),
        )
    );
    Ok(())
}
