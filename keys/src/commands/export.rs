//! `export-replies`: write the replies bundle that goes to the server. The replies
//! are already sealed and signed, so no passphrase is needed.

use std::path::Path;

use meldpunt_envelope::bundle::{self, BundleKind, ItemKind, NewItem};

use super::Ctx;
use crate::error::{Failure, Result};
use crate::store::Store;

pub fn run(ctx: &Ctx, out: &Path, all: bool) -> Result<()> {
    let (p, l) = (&ctx.paths, ctx.lang);
    p.require_keys()?;
    let mut store = Store::open(&p.db)?;
    if out.exists() {
        return Err(Failure::OutputExists(out.to_path_buf()));
    }
    let replies = store.outgoing(all)?;
    if replies.is_empty() {
        println!(
            "{}",
            l.t(
                "Er zijn geen nieuwe reacties om te exporteren; er is geen bestand gemaakt.",
                "There are no new replies to export; no file was written.",
            )
        );
        return Ok(());
    }
    let mut items = Vec::with_capacity(replies.len());
    for r in &replies {
        let bad = |what: &str| Failure::Internal(format!("stored reply {}: {what}", r.id));
        let mut lookup_hash = [0u8; 32];
        hex::decode_to_slice(&r.lookup_hash, &mut lookup_hash)
            .map_err(|_| bad("lookup hash is not hex"))?;
        let signature: [u8; 64] = r
            .signature
            .as_slice()
            .try_into()
            .map_err(|_| bad("signature is not 64 bytes"))?;
        items.push(NewItem {
            id: r.id.clone(),
            kind: ItemKind::Reactie,
            lookup_hash,
            organisatie: None,
            received: None,
            signature: Some(signature),
            parent: None,
            ciphertext: r.ciphertext.clone(),
        });
    }
    let bytes = bundle::write(
        Vec::new(),
        BundleKind::Replies,
        None,
        &crate::days::today(),
        &items,
    )
    .map_err(|e| Failure::Internal(e.to_string()))?;
    super::write_new(out, &bytes)?;
    let ids: Vec<(String, i64)> = replies.into_iter().map(|r| (r.id, r.case_id)).collect();
    store.mark_exported(&ids, &crate::days::today())?;
    let n = ids.len();
    println!(
        "{}",
        l.t(
            format!(
                "{n} {} geschreven naar {}.",
                if n == 1 { "reactie" } else { "reacties" },
                out.display()
            ),
            format!(
                "{n} {} written to {}.",
                if n == 1 { "reply" } else { "replies" },
                out.display()
            ),
        )
    );
    Ok(())
}
