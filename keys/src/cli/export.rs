//! `export-replies`: write the replies bundle that goes to the server. The replies
//! are already sealed and signed, so no passphrase is needed.

use meldpunt_keys::tr;
use std::path::Path;

use meldpunt_keys::error::Result;

use super::Ctx;

pub fn run(ctx: &Ctx, out: &Path, all: bool) -> Result<()> {
    let l = ctx.lang;
    let mut session = ctx.session()?;
    let n = session
        .export_replies(out, all, &meldpunt_keys::days::today())?
        .replies;
    if n == 0 {
        println!("{}", tr!(l, "export-there-are-no-new-replies"));
        return Ok(());
    }
    println!(
        "{}",
        tr!(
            l,
            "export-written-to",
            n = n,
            plural = super::plural(n as i64),
            out = out.display()
        )
    );
    Ok(())
}
