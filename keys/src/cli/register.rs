//! `register`: a case that came in by another channel (telefoon, e-mail, the
//! vertrouwenspersoon, in person), so the year's figures are complete. Its text is
//! sealed to the store's recipients at once; no passphrase is needed.

use meldpunt_keys::cases::Registration;
use meldpunt_keys::days;
use meldpunt_keys::error::Result;
use meldpunt_keys::tr;

use super::args::RegisterArgs;
use super::{Ctx, parse_day, read_text};

/// The channels a melding can come in by besides the meldpunt's own page.
pub fn run(ctx: &Ctx, a: &RegisterArgs) -> Result<()> {
    let l = ctx.lang;
    let mut session = ctx.session()?;
    let r = Registration {
        kanaal: a.kanaal.clone(),
        organisatie: a.organisatie.clone(),
        soort: a.soort.clone(),
        melder: a.melder.clone(),
        over_wie: a.over_wie.clone(),
        received: a.ontvangen.as_deref().map(parse_day),
    };
    session.check_registration(&r)?;
    let text = read_text(l, a.file.as_deref())?;
    let number = session.register(&r, &text, &days::today())?;
    println!("{}", tr!(l, "register-case-registered", number = number));
    Ok(())
}
