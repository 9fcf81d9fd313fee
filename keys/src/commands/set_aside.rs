//! `set-aside`: the items imports set aside (not for this meldpunt, damaged, not a
//! valid melding, ...), listed with their reason in words, and one item's bytes,
//! exactly as the server received them, written to a file for inspection (with rage,
//! or by whoever holds an older key). No passphrase is needed: the list holds only
//! what the server's manifest said, and the bytes are still sealed.
//!
//! [`items`] and [`save`] are the logic; [`run`] prints.

use std::path::Path;

use super::{Ctx, printable};
use crate::error::{Failure, Result, set_aside_kind, set_aside_reason};
use crate::store::{SetAsideRow, Store};

/// Every set-aside item, oldest first.
pub fn items(store: &Store) -> Result<Vec<SetAsideRow>> {
    store.set_aside_items()
}

/// Writes the bytes of set-aside item `id` to the new file `to`; returns how many.
pub fn save(store: &Store, id: &str, to: &Path) -> Result<usize> {
    let bytes = store
        .set_aside_bytes(id)?
        .ok_or_else(|| Failure::SetAsideNotFound(printable(id)))?;
    super::write_new(to, &bytes)?;
    Ok(bytes.len())
}

pub fn run(ctx: &Ctx, id: Option<&str>, to: Option<&Path>) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    p.require_keys()?;
    let store = Store::open(&p.db)?;
    if let (Some(id), Some(to)) = (id, to) {
        let n = save(&store, id, to)?;
        println!(
            "{}",
            l.t(
                format!(
                    "{n} bytes van bericht {id} opgeslagen in {}, precies zoals de server ze ontving (niet ontsleuteld).",
                    to.display()
                ),
                format!(
                    "{n} bytes of item {id} saved in {}, exactly as the server received them (not decrypted).",
                    to.display()
                ),
            )
        );
        return Ok(());
    }
    let rows = items(&store)?;
    if rows.is_empty() {
        println!(
            "{}",
            l.t("Er is niets apart gezet.", "Nothing has been set aside.")
        );
        return Ok(());
    }
    let header = [
        l.t("Bericht", "Item"),
        l.t("Soort", "Kind"),
        l.t("Organisatie", "Organisation"),
        l.t("Ontvangen", "Received"),
        l.t("Apart gezet", "Set aside"),
        l.t("Reden", "Reason"),
    ]
    .map(String::from);
    let table: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.id.clone(),
                set_aside_kind(l, &r.kind),
                printable(&r.organisatie),
                r.received.clone(),
                r.set_aside.clone(),
                set_aside_reason(l, &r.reason),
            ]
        })
        .collect();
    let width = |i: usize| {
        table
            .iter()
            .chain([&header])
            .map(|r| r[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w1, w2, w3, w4) = (width(1), width(2), width(3), width(4));
    for r in std::iter::once(&header).chain(&table) {
        println!(
            "{:<32}  {:<w1$}  {:<w2$}  {:<w3$}  {:<w4$}  {}",
            r[0], r[1], r[2], r[3], r[4], r[5]
        );
    }
    println!(
        "\n{}",
        l.t(
            format!(
                "{} apart gezet. Met de importbevestiging wist de server ze; hier blijven ze bewaard. Sla de bytes van één bericht op met `meldpunt-keys set-aside <bericht> --to <bestand>`.",
                rows.len()
            ),
            format!(
                "{} set aside. The import confirmation has the server delete them; they stay kept here. Save one item's bytes with `meldpunt-keys set-aside <item> --to <file>`.",
                rows.len()
            ),
        )
    );
    Ok(())
}
