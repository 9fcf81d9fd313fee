//! `set-aside`: the items imports set aside (not for this meldpunt, damaged, not a
//! valid melding, ...), listed with their reason in words, and one item's bytes,
//! exactly as the server received them, written to a file for inspection (with rage,
//! or by whoever holds an older key). No passphrase is needed: the list holds only
//! what the server's manifest said, and the bytes are still sealed.
//!
//! [`items`] and [`save`] are the logic; [`run`] prints.

use meldpunt_keys::tr;
use std::path::Path;

use super::messages::{set_aside_kind, set_aside_reason};
use super::{Ctx, printable};
use meldpunt_keys::error::Result;

pub fn run(ctx: &Ctx, id: Option<&str>, to: Option<&Path>) -> Result<()> {
    let l = ctx.lang;
    let session = ctx.session()?;
    if let (Some(id), Some(to)) = (id, to) {
        let n = session.save_set_aside(id, to)?;
        println!(
            "{}",
            tr!(
                l,
                "set-aside-bytes-of-item-saved-in",
                n = n,
                id = id,
                to = to.display()
            )
        );
        return Ok(());
    }
    let rows = session.set_aside_items()?;
    if rows.is_empty() {
        println!("{}", tr!(l, "set-aside-nothing-has-been-set-aside"));
        return Ok(());
    }
    let header = [
        tr!(l, "set-aside-item"),
        tr!(l, "list-kind"),
        tr!(l, "show-organisation"),
        tr!(l, "show-received"),
        tr!(l, "set-aside-set-aside"),
        tr!(l, "set-aside-reason"),
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
        tr!(
            l,
            "set-aside-set-aside-the-import-confirmation",
            rows_len = rows.len()
        )
    );
    Ok(())
}
