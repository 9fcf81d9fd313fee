//! `note`: a note on a case, for the meldpunt only, sealed to the store's recipients
//! (`Session::add_note`); no passphrase needed.

use meldpunt_keys::tr;
use std::path::Path;

use meldpunt_keys::days;
use meldpunt_keys::error::Result;

use super::{Ctx, read_text};

pub fn run(ctx: &Ctx, number: &str, file: Option<&Path>) -> Result<()> {
    let l = ctx.lang;
    let mut session = ctx.session()?;
    session.case(number)?;
    let text = read_text(l, file)?;
    session.add_note(number, &text, &days::today())?;
    println!(
        "{}",
        tr!(l, "note-note-on-case-stored-encrypted", number = number)
    );
    Ok(())
}
