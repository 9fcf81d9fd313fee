//! `note`: a note on a case for the coördinator's own file. It is sealed to the store's
//! recipients at once (no passphrase needed to write it, only to read it back).

use std::path::Path;

use super::{Ctx, read_text};
use crate::error::{Failure, Result};
use crate::secrets::Public;
use crate::store::Store;

pub fn run(ctx: &Ctx, number: &str, file: Option<&Path>) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    p.require_keys()?;
    let mut store = Store::open(&p.db)?;
    let case = store
        .case(number)?
        .ok_or_else(|| Failure::CaseNotFound(number.to_string()))?;
    let public = Public::read(p)?;
    let text = read_text(l, file)?;
    let day = crate::days::today();
    let sealed = crate::private::seal(&day, text.trim_end(), &public.recipients()?)?;
    store.add_note(case.id, &day, &sealed)?;
    println!(
        "{}",
        l.t(
            format!("Notitie bij zaak {number} versleuteld opgeslagen."),
            format!("Note on case {number} stored encrypted."),
        )
    );
    Ok(())
}
