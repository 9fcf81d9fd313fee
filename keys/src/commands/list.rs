//! `list`: the cases, from the plain oversight data only (no passphrase needed).

use meldpunt_envelope::domain::SOORTEN;

use super::{Ctx, printable};
use crate::error::Result;
use crate::store::Store;

pub fn run(ctx: &Ctx) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    p.require_keys()?;
    let store = Store::open(&p.db)?;
    let cases = store.cases()?;
    if cases.is_empty() {
        println!(
            "{}",
            l.t(
                "Nog geen zaken. Importeer een bundel van de server met `meldpunt-keys import <bundel.tar>`.",
                "No cases yet. Import a bundle from the server with `meldpunt-keys import <bundle.tar>`.",
            )
        );
        return Ok(());
    }
    let header = [
        l.t("Zaak", "Case"),
        l.t("Ontvangen", "Received"),
        l.t("Berichten", "Messages"),
        l.t("Reacties", "Replies"),
        l.t("Organisatie", "Organisation"),
        l.t("Soort", "Kind"),
    ];
    let org_width = cases
        .iter()
        .map(|c| c.organisatie.chars().count())
        .max()
        .unwrap_or(0)
        .max(header[4].len());
    println!(
        "{:<9}  {:<10}  {:>9}  {:>8}  {:<org_width$}  {}",
        header[0], header[1], header[2], header[3], header[4], header[5]
    );
    for c in cases {
        let soort = c
            .soort
            .as_deref()
            .map(|s| l.term(SOORTEN, s))
            .unwrap_or_else(|| "-".into());
        println!(
            "{:<9}  {:<10}  {:>9}  {:>8}  {:<org_width$}  {}",
            c.number,
            c.received,
            c.messages,
            c.replies,
            c.organisatie,
            printable(&soort)
        );
    }
    Ok(())
}
