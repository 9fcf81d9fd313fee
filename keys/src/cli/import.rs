//! `import`: take an inbox bundle from the server into the case store (the logic is
//! `meldpunt_keys::import`), with a progress bar on a terminal, and print the report.

use meldpunt_keys::tr;
use std::io::IsTerminal;
use std::path::Path;

use meldpunt_keys::error::{Error, Result};
use meldpunt_keys::import::{ImportReport, read_inbox};
use meldpunt_keys::lang::Lang;
use meldpunt_keys::session::Want;

use super::Ctx;

/// Shows how far a long import is, on a terminal only.
struct Bar {
    on: bool,
    label: String,
}

impl Bar {
    fn new(total: usize, label: String) -> Bar {
        Bar {
            on: total >= 20 && std::io::stderr().is_terminal(),
            label,
        }
    }

    fn show(&self, done: usize, total: usize) {
        if self.on && (done.is_multiple_of(10) || done == total) {
            let width = 30;
            let filled = done * width / total.max(1);
            eprint!(
                "\r{} [{}{}] {}/{}",
                self.label,
                "#".repeat(filled),
                " ".repeat(width - filled),
                done,
                total
            );
            if done == total {
                eprintln!();
            }
        }
    }
}

pub fn run(ctx: &Ctx, file: &Path, confirm: Option<&Path>) -> Result<()> {
    let l = ctx.lang;
    ctx.paths.require_keys()?;
    if let Some(out) = confirm
        && out.exists()
    {
        return Err(Error::OutputExists(out.to_path_buf()));
    }
    let mut session = ctx.session()?;
    let b = read_inbox(file)?;
    session.check_bundle(&b)?;
    let want = if confirm.is_some() {
        Want::OpenAndSign
    } else {
        Want::Open
    };
    ctx.unlock(&mut session, want)?;
    let bar = Bar::new(b.items.len(), tr!(l, "import-opening"));
    let today = meldpunt_keys::days::today();
    let report = session.import(b, &today, &mut |done, total| bar.show(done, total))?;
    print_report(l, &report);
    if let Some(out) = confirm {
        super::confirm::write_confirmation(
            ctx,
            &session,
            &report.held_ids,
            &report.set_aside_ids,
            out,
        )?;
    }
    Ok(())
}

/// Prints what an import did: counts on stdout, each set-aside item with its
/// reason and what to do on stderr (where warnings go).
fn print_report(l: Lang, r: &ImportReport) {
    for m in &r.organisation_mismatches {
        eprintln!(
            "{}",
            tr!(
                l,
                "import-note-the-server-says-item",
                id = m.id,
                server = format!("{:?}", m.server),
                content = format!("{:?}", m.content)
            )
        );
    }
    let (nieuw, new) = if r.imported == 1 {
        ("nieuwe melding", "new melding")
    } else {
        ("nieuwe meldingen", "new meldingen")
    };
    println!(
        "{}",
        tr!(
            l,
            "import-imported-already-present-skipped",
            imported = r.imported,
            nieuw = nieuw,
            duplicates = r.duplicates,
            new = new
        )
    );
    if !r.new_cases.is_empty() {
        println!("{} {}", tr!(l, "import-new-cases"), r.new_cases.join(", "));
    }
    if r.new_attachments > 0 {
        println!(
            "{}",
            tr!(
                l,
                "import-attachments-stored",
                new_attachments = r.new_attachments
            )
        );
    }
    if !r.set_aside.is_empty() {
        println!(
            "{}",
            super::messages::set_aside_summary(l, r.set_aside.len())
        );
        for s in &r.set_aside {
            eprint!("{}", super::messages::render_set_aside(l, s));
        }
    }
}
