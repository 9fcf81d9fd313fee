//! Key management after `init`: `rotate` makes a new identity for new meldingen and
//! keeps the older ones in `identity.age` so older items still open; `recovery` sets
//! the recovery recipient, a second key kept in a safe that can open the store. Both
//! reseal the store's own texts (reply copies, notes, registrations) to the new set of
//! recipients and print the line for the server's configuration.

use meldpunt_keys::error::Result;
use meldpunt_keys::secrets::Public;
use meldpunt_keys::session::Want;

use super::Ctx;

fn print_config(ctx: &Ctx, public: &Public, what: (&str, &str)) {
    let l = ctx.lang;
    println!("{}", l.t(what.0, what.1));
    println!(
        "{}\n\n{}",
        l.t(
            "Zet deze regel in elk [[organisations]]-blok van de serverconfiguratie (meldpunt-server):",
            "Put this line in every [[organisations]] block of the server configuration (meldpunt-server):",
        ),
        public.config_line()
    );
}

pub fn rotate(ctx: &Ctx) -> Result<()> {
    let mut session = ctx.session()?;
    meldpunt_keys::secrets::work_factor()?;
    let pass = super::prompt::passphrase(ctx.lang)?;
    let public = session.rotate(&pass)?.clone();
    print_config(
        ctx,
        &public,
        (
            "Nieuwe sleutel gemaakt voor nieuwe meldingen; de oude sleutels blijven in identity.age en openen oudere berichten.",
            "New key made for new meldingen; the old keys stay in identity.age and open older items.",
        ),
    );
    Ok(())
}

pub fn recovery(ctx: &Ctx, recipient: &str) -> Result<()> {
    let mut session = ctx.session()?;
    session.check_recovery(recipient)?;
    ctx.unlock(&mut session, Want::Open)?;
    let n = session.set_recovery(recipient)?;
    let public = session.public().clone();
    let l = ctx.lang;
    print_config(
        ctx,
        &public,
        (
            &l.t(
                format!("Herstelsleutel ingesteld; {n} eigen teksten in het zaakregister zijn opnieuw versleuteld, ook voor de herstelsleutel. Nieuwe meldingen zijn er alleen mee te openen als de server hem ook noemt."),
                format!("Recovery key set; {n} of the store's own texts were resealed, to the recovery key too. New meldingen open with it only if the server lists it as well."),
            ),
            &l.t(
                format!("Herstelsleutel ingesteld; {n} eigen teksten in het zaakregister zijn opnieuw versleuteld, ook voor de herstelsleutel. Nieuwe meldingen zijn er alleen mee te openen als de server hem ook noemt."),
                format!("Recovery key set; {n} of the store's own texts were resealed, to the recovery key too. New meldingen open with it only if the server lists it as well."),
            ),
        ),
    );
    Ok(())
}
