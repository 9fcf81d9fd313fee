//! `note`: a note on a case for the coördinator's own file. It is sealed to the store's
//! recipients at once (no passphrase needed to write it, only to read it back).

use std::path::Path;

use super::{Ctx, read_text};
use crate::error::Result;
use crate::secrets::Public;

pub fn run(ctx: &Ctx, number: &str, file: Option<&Path>) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    let (mut store, case) = super::open_case(p, number)?;
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
