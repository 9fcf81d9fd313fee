//! `register`: a case that came in by another channel (telefoon, e-mail, the
//! vertrouwenspersoon, in person), so the year's figures are complete. Its text is
//! sealed to the store's recipients at once; no passphrase is needed.

use std::path::Path;

use meldpunt_envelope::domain::{MELDERS, OVER_WIE, SOORTEN, is_valid_slug};

use super::{Ctx, check_code, parse_day, read_text};
use crate::error::{Failure, Result};
use crate::secrets::Public;
use crate::store::{NewRegistration, Store};

/// The channels a melding can come in by (now defined in the envelope's domain).
pub use meldpunt_envelope::domain::KANALEN;

pub struct Args {
    pub kanaal: String,
    pub organisatie: String,
    pub soort: String,
    pub melder: Option<String>,
    pub over_wie: Option<String>,
    pub ontvangen: Option<String>,
    pub file: Option<std::path::PathBuf>,
}

pub fn run(ctx: &Ctx, a: &Args) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    p.require_keys()?;
    let kanaal = check_code("kanaal", KANALEN, &a.kanaal)?;
    if kanaal == "meldpunt" {
        return Err(Failure::InvalidCode("kanaal", a.kanaal.clone()));
    }
    if !is_valid_slug(&a.organisatie) {
        return Err(Failure::InvalidCode("organisatie", a.organisatie.clone()));
    }
    let soort = check_code("soort", SOORTEN, &a.soort)?;
    let melder = a
        .melder
        .as_deref()
        .map(|m| check_code("melder", MELDERS, m))
        .transpose()?;
    let over_wie = a
        .over_wie
        .as_deref()
        .map(|m| check_code("over wie", OVER_WIE, m))
        .transpose()?;
    let received = match &a.ontvangen {
        Some(d) => parse_day(d)?,
        None => crate::days::today(),
    };
    let public = Public::read(p)?;
    let mut store = Store::open(&p.db)?;
    let text = read_text(l, a.file.as_deref().map(Path::new))?;
    let ciphertext = crate::private::seal(&received, text.trim_end(), &public.recipients()?)?;
    let number = store.register(
        &NewRegistration {
            kanaal,
            organisatie: a.organisatie.clone(),
            soort,
            melder,
            over_wie,
            received,
            ciphertext,
        },
        &crate::days::today(),
    )?;
    println!(
        "{}",
        l.t(
            format!("Zaak {number} geregistreerd."),
            format!("Case {number} registered."),
        )
    );
    Ok(())
}
