//! `jaarverslag`: the figures (`meldpunt_keys::jaarverslag`) in the format asked, on
//! stdout or in a new file.

use meldpunt_keys::error::{Error, Result};
use meldpunt_keys::jaarverslag::Format;
use meldpunt_keys::tr;

use super::Ctx;
use super::args::{FormatArg, JaarverslagArgs};

pub fn run(ctx: &Ctx, a: &JaarverslagArgs) -> Result<()> {
    let l = ctx.lang;
    ctx.paths.require_keys()?;
    let session = ctx.session()?;
    let today = meldpunt_keys::days::today();
    let figures = session.jaarverslag(a.year, a.years, a.organisatie.as_deref(), &today)?;
    if let Some(out) = &a.out
        && out.exists()
    {
        return Err(Error::OutputExists(out.to_path_buf()));
    }
    let text = figures.render(
        l,
        match a.format {
            FormatArg::Md => Format::Markdown,
            FormatArg::Csv => Format::Csv,
            FormatArg::Svg => Format::Svg,
        },
    );
    match &a.out {
        Some(out) => {
            super::write_new(out, text.as_bytes())?;
            println!(
                "{}",
                tr!(
                    l,
                    "jaarverslag-annual-report-written-to",
                    year = a.year,
                    out = out.display()
                )
            );
        }
        None => print!("{text}"),
    }
    Ok(())
}
