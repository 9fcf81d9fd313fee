//! Key management after `init`: `rotate` makes a new identity for new meldingen and
//! keeps the older ones in `identity.age` so older items still open; `recovery` sets
//! the recovery recipient, a second key kept in a safe that can open the store. Both
//! reseal the store's own texts (reply copies, notes, registrations) to the new set of
//! recipients and print the line for the server's configuration.

use meldpunt_keys::error::Result;
use meldpunt_keys::secrets::Public;
use meldpunt_keys::session::Want;
use meldpunt_keys::tr;

use super::Ctx;

fn print_config(ctx: &Ctx, public: &Public, what: &str) {
    let l = ctx.lang;
    println!("{what}");
    println!(
        "{}\n\n{}",
        tr!(l, "rotate-put-this-line-in-every"),
        public.config_line()
    );
}

pub fn rotate(ctx: &Ctx) -> Result<()> {
    let mut session = ctx.session()?;
    meldpunt_keys::secrets::work_factor()?;
    let pass = super::prompt::passphrase(ctx.lang)?;
    let public = session.rotate(&pass)?.clone();
    print_config(ctx, &public, &tr!(ctx.lang, "rotate-new-key-made"));
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
        &tr!(l, "rotate-recovery-key-set-of-the", n = n),
    );
    Ok(())
}
