//! `status`: set a case's afdoening, the days of the ontvangstbevestiging and the
//! terugkoppeling (for contact outside the server, such as a phone call), or correct
//! its oversight fields. Every change goes into the case history. No passphrase: only
//! plain oversight fields change.

use meldpunt_keys::cases::StatusChange;
use meldpunt_keys::days;
use meldpunt_keys::error::Result;
use meldpunt_keys::tr;

use super::args::StatusArgs;
use super::{Ctx, parse_day};

pub fn run(ctx: &Ctx, a: &StatusArgs) -> Result<()> {
    let l = ctx.lang;
    let number = a.case.as_str();
    let mut session = ctx.session()?;
    let day = |d: &Option<String>| d.as_deref().map(parse_day);
    let change = StatusChange {
        afdoening: a.afdoening.clone(),
        acknowledged: day(&a.ontvangstbevestiging),
        feedback: day(&a.terugkoppeling),
        organisatie: a.organisatie.clone(),
        soort: a.soort.clone(),
        melder: a.melder.clone(),
        over_wie: a.over_wie.clone(),
    };
    let outcome = session.update_status(number, &change, &days::today())?;
    let (n, after) = (outcome.changed, outcome.case);
    if n == 0 {
        println!(
            "{}",
            tr!(l, "status-case-nothing-changed-it-was", number = number)
        );
    } else {
        println!(
            "{}",
            tr!(
                l,
                "status-case-updated-changes-in-the",
                number = number,
                n = n
            )
        );
    }
    println!("{}: {}", tr!(l, "show-outcome"), after.afdoening.label(l));
    Ok(())
}
