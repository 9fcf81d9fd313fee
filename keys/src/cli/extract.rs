//! `extract`: write a case's attachments, decrypted, into a folder the coördinator
//! chooses (`Session::extract`), and list what was written.

use meldpunt_keys::tr;
use std::path::Path;

use meldpunt_keys::error::Result;
use meldpunt_keys::session::Want;

use super::{Ctx, printable};

pub fn run(ctx: &Ctx, number: &str, to: &Path) -> Result<()> {
    let l = ctx.lang;
    let mut session = ctx.session()?;
    session.attachment_count(number)?;
    ctx.unlock(&mut session, Want::Open)?;
    let written = session.extract(number, to, &meldpunt_keys::days::today())?;
    let mut leftovers = Vec::new();
    for w in &written {
        leftovers.extend(super::leftover::warnings(l, &w.original_name, &w.leftover));
        let (path, size, original) = (&w.path, w.size, &w.original_name);
        let shown = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
        if shown == original {
            println!("{}  ({size} bytes)", path.display());
        } else {
            println!(
                "{}  ({size} bytes; {} {:?})",
                path.display(),
                tr!(l, "extract-original-name"),
                printable(original)
            );
        }
    }
    println!(
        "{}",
        tr!(
            l,
            "extract-attachments-of-case-saved-in",
            written_len = written.len(),
            number = number,
            to = to.display()
        )
    );
    // On stderr, so the list of written files on stdout stays as it was.
    eprint!("{}", super::leftover::block(l, &leftovers));
    Ok(())
}
