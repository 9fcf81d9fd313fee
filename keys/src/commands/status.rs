//! `status`: set a case's afdoening, the days of the ontvangstbevestiging and the
//! terugkoppeling (for contact outside the server, such as a phone call), or correct
//! its oversight fields. Every change goes into the case history. No passphrase: only
//! plain oversight fields change.

use meldpunt_envelope::domain::{AFDOENINGEN, MELDERS, OVER_WIE, SOORTEN, is_valid_slug};

use super::{Ctx, check_code, parse_day};
use crate::error::{Failure, Result};
use crate::lang::CliLang;
use crate::store::Changes;

/// What `status` was asked to change, as typed.
#[derive(Debug, Default)]
pub struct Args {
    pub afdoening: Option<String>,
    pub ontvangstbevestiging: Option<String>,
    pub terugkoppeling: Option<String>,
    pub organisatie: Option<String>,
    pub soort: Option<String>,
    pub melder: Option<String>,
    pub over_wie: Option<String>,
}

pub fn run(ctx: &Ctx, number: &str, a: &Args) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    let (mut store, case) = super::open_case(p, number)?;
    let day = |d: &Option<String>| -> Result<Option<String>> {
        let Some(d) = d else { return Ok(None) };
        let d = parse_day(d)?;
        if d < case.received {
            return Err(Failure::DayBeforeReceipt(d, case.received.clone()));
        }
        Ok(Some(d))
    };
    let code = |what, list, v: &Option<String>| -> Result<Option<String>> {
        v.as_deref().map(|v| check_code(what, list, v)).transpose()
    };
    let changes = Changes {
        afdoening: code("afdoening", AFDOENINGEN, &a.afdoening)?,
        acknowledged: day(&a.ontvangstbevestiging)?,
        feedback: day(&a.terugkoppeling)?,
        organisatie: match &a.organisatie {
            Some(o) if !is_valid_slug(o) => {
                return Err(Failure::InvalidCode("organisatie", o.clone()));
            }
            o => o.clone(),
        },
        soort: code("soort", SOORTEN, &a.soort)?,
        melder: code("melder", MELDERS, &a.melder)?,
        over_wie: code("over wie", OVER_WIE, &a.over_wie)?,
    };
    let given = [
        &changes.afdoening,
        &changes.acknowledged,
        &changes.feedback,
        &changes.organisatie,
        &changes.soort,
        &changes.melder,
        &changes.over_wie,
    ]
    .iter()
    .any(|c| c.is_some());
    if !given {
        return Err(Failure::NothingToChange);
    }
    let n = store.update(&case, &changes, &crate::days::today())?;
    let after = store
        .case(number)?
        .ok_or_else(|| Failure::CaseNotFound(number.to_string()))?;
    if n == 0 {
        println!(
            "{}",
            l.t(
                format!("Zaak {number}: er is niets veranderd (alles stond al zo)."),
                format!("Case {number}: nothing changed (it was already so)."),
            )
        );
    } else {
        println!(
            "{}",
            l.t(
                format!("Zaak {number} bijgewerkt ({n} wijzigingen in de geschiedenis)."),
                format!("Case {number} updated ({n} changes in the history)."),
            )
        );
    }
    println!(
        "{}: {}",
        l.t("Afdoening", "Outcome"),
        l.term(AFDOENINGEN, &after.afdoening)
    );
    Ok(())
}
