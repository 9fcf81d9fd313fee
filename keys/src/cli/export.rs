//! `export-replies`: write the replies bundle that goes to the server. The replies
//! are already sealed and signed, so no passphrase is needed.

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
        println!(
            "{}",
            l.t(
                "Er zijn geen nieuwe reacties om te exporteren; er is geen bestand gemaakt.",
                "There are no new replies to export; no file was written.",
            )
        );
        return Ok(());
    }
    println!(
        "{}",
        l.t(
            format!(
                "{n} {} geschreven naar {}.",
                if n == 1 { "reactie" } else { "reacties" },
                out.display()
            ),
            format!(
                "{n} {} written to {}.",
                if n == 1 { "reply" } else { "replies" },
                out.display()
            ),
        )
    );
    Ok(())
}
