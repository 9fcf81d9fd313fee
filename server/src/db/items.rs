//! Queries of the `items` table: storing a submission (opening its case, or on an
//! existing one), the inbox export's items, and deleting the items the laptop
//! confirmed it holds.

use std::io::Write;

use rusqlite::{Connection, MAIN_DB, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::DbError;
use super::cases::case_info;
use crate::intake::Blob;

/// Ciphertexts up to this size are bound to the insert directly; larger ones are
/// written into the row piece by piece.
const INLINE_BLOB: usize = 1 << 20;

/// Kind of an inbox item: melding, vervolg or bijlage (the envelope's one list).
pub use meldpunt_envelope::domain::ItemKind;

/// A melding or follow-up with its attachments, as received.
pub struct Submission {
    pub kind: ItemKind,
    pub id: String,
    /// For a melding: the organisation it names. For a follow-up: ignored (the
    /// case's organisation is used).
    pub organisation: String,
    pub lookup_hash: [u8; 32],
    pub received_day: String,
    pub ciphertext: Blob,
    /// Attachments with their ids, in order.
    pub bijlagen: Vec<(String, Blob)>,
}

/// How storing a submission went.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    /// Committed; the organisation of the case.
    Stored { organisation: String },
    /// The same bytes were stored before for this case (a resend after a lost
    /// answer); nothing was written. The stored item's id and day.
    Resent {
        id: String,
        received_day: String,
        organisation: String,
    },
    /// A resend of a stored item that names another organisation or route than
    /// its case; nothing was written.
    Mismatch,
    /// A melding for a case that exists already; nothing was written.
    CaseExists,
    /// A follow-up for a case that does not exist; nothing was written.
    NoCase,
}

/// What the intake knows about a submission besides its bytes, for routing by the
/// case and recognising a resend.
#[derive(Debug, Clone, Copy, Default)]
pub struct Intake {
    /// SHA-256 of the melding's or follow-up's ciphertext (not of attachments).
    /// `None` stores none, and the submission is never recognised as a resend.
    pub sha256: Option<[u8; 32]>,
    /// Sealed to the organisation's bestuurder recipients. Recorded with the case
    /// a melding opens; a follow-up takes its case's (the API checks it first).
    pub bestuurder: bool,
}

/// Stores a melding (opening its case) or a follow-up (on an existing case) and its
/// attachments, with no resend recognition. Runs inside the writer's group
/// transaction.
pub fn insert_submission(conn: &Connection, s: &Submission) -> Result<Stored, DbError> {
    insert_submission_once(conn, s, &Intake::default())
}

/// Stores a melding or follow-up as [`insert_submission`] does, unless the same
/// bytes (by `intake.sha256`) were stored before for the same case: then it writes
/// nothing and returns [`Stored::Resent`] with the stored item's id and day.
pub fn insert_submission_once(
    conn: &Connection,
    s: &Submission,
    intake: &Intake,
) -> Result<Stored, DbError> {
    let organisation = if s.kind == ItemKind::Melding {
        // One statement opens the case or finds it taken (no row changed).
        let opened = conn
            .prepare_cached(
                "INSERT INTO cases (lookup_hash, organisation, opened_day, bestuurder, melding_id, melding_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (lookup_hash) DO NOTHING",
            )?
            .execute(params![
                &s.lookup_hash[..],
                s.organisation,
                s.received_day,
                intake.bestuurder,
                intake.sha256.map(|_| s.id.as_str()),
                intake.sha256.as_ref().map(|h| &h[..]),
            ])?;
        if opened == 0 {
            let case = case_info(conn, &s.lookup_hash)?;
            return Ok(match (case, intake.sha256) {
                (Some(c), Some(sha)) if c.melding.as_ref().is_some_and(|m| m.1 == sha) => {
                    if c.organisation != s.organisation || c.bestuurder != intake.bestuurder {
                        Stored::Mismatch
                    } else {
                        Stored::Resent {
                            id: c.melding.map(|m| m.0).unwrap_or_default(),
                            received_day: c.opened_day,
                            organisation: c.organisation,
                        }
                    }
                }
                _ => Stored::CaseExists,
            });
        }
        s.organisation.clone()
    } else {
        let Some(case) = case_info(conn, &s.lookup_hash)? else {
            return Ok(Stored::NoCase);
        };
        if let Some(sha) = intake.sha256 {
            let earlier: Option<(String, String, Vec<u8>)> = conn
                .prepare_cached(
                    "SELECT id, received_day, lookup_hash FROM items
                     WHERE kind = 'vervolg' AND sha256 = ?1",
                )?
                .query_row([&sha[..]], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            if let Some((id, received_day, hash)) = earlier {
                // The same bytes under another case cannot be a resend.
                if hash != s.lookup_hash {
                    return Ok(Stored::Mismatch);
                }
                return Ok(Stored::Resent {
                    id,
                    received_day,
                    organisation: case.organisation,
                });
            }
        }
        case.organisation
    };
    insert_item(conn, &s.id, s.kind, &organisation, s, None, &s.ciphertext)?;
    if let (ItemKind::Vervolg, Some(sha)) = (s.kind, intake.sha256) {
        conn.prepare_cached("UPDATE items SET sha256 = ?1 WHERE rowid = ?2")?
            .execute(params![&sha[..], conn.last_insert_rowid()])?;
    }
    for (id, blob) in &s.bijlagen {
        insert_item(
            conn,
            id,
            ItemKind::Bijlage,
            &organisation,
            s,
            Some(&s.id),
            blob,
        )?;
    }
    Ok(Stored::Stored { organisation })
}

fn insert_item(
    conn: &Connection,
    id: &str,
    kind: ItemKind,
    organisation: &str,
    s: &Submission,
    parent: Option<&str>,
    blob: &Blob,
) -> Result<(), DbError> {
    // A small ciphertext is bound as it is. A large one gets a zero blob of the
    // right length and its pieces are written into it in place, so SQLite never
    // needs its own copy of it.
    let small = blob.len() <= INLINE_BLOB;
    let joined;
    let inline: Option<&[u8]> = match blob.chunks() {
        _ if !small => None,
        [one] => Some(&one[..]),
        _ => {
            joined = blob.to_vec();
            Some(&joined[..])
        }
    };
    let mut insert = conn.prepare_cached(
        "INSERT INTO items (id, kind, organisation, lookup_hash, received_day, parent, ciphertext)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, zeroblob(?8)))",
    )?;
    insert.execute(params![
        id,
        kind.code(),
        organisation,
        &s.lookup_hash[..],
        s.received_day,
        parent,
        inline,
        blob.len() as i64
    ])?;
    if inline.is_none() {
        let rowid = conn.last_insert_rowid();
        let mut b = conn.blob_open(MAIN_DB, c"items", c"ciphertext", rowid, false)?;
        for c in blob.chunks() {
            b.write_all(c)?;
        }
        b.close()?;
    }
    Ok(())
}

/// An inbox item's manifest fields without its bytes, for an export that streams
/// them afterwards.
pub struct ItemMeta {
    pub rowid: i64,
    pub id: String,
    pub kind: ItemKind,
    pub organisation: String,
    pub lookup_hash: [u8; 32],
    pub received_day: String,
    pub parent: Option<String>,
    pub size: u64,
    pub sha256: [u8; 32],
}

/// Piece size when an item's bytes are read for hashing or export.
pub const EXPORT_PIECE: usize = 64 << 10;

/// The items an inbox export holds, in order, without their bytes (an attachment whose
/// parent is gone, confirmed without it, is left out so the bundle stays valid). Each ciphertext is read
/// in [`EXPORT_PIECE`] pieces to hash it, so memory stays bounded whatever the
/// inbox holds. Call it in the read transaction that then streams the bytes.
pub fn item_metas(conn: &Connection) -> Result<Vec<ItemMeta>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT i.rowid, i.id, i.kind, i.organisation, i.lookup_hash, i.received_day, i.parent,
                length(i.ciphertext)
         FROM items i
         WHERE i.parent IS NULL OR EXISTS (SELECT 1 FROM items p WHERE p.id = i.parent)
         ORDER BY i.rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        let kind: String = r.get(2)?;
        let kind = ItemKind::from_code(&kind).unwrap_or(ItemKind::Vervolg);
        Ok(ItemMeta {
            rowid: r.get(0)?,
            id: r.get(1)?,
            kind,
            organisation: r.get(3)?,
            lookup_hash: r.get(4)?,
            received_day: r.get(5)?,
            parent: r.get(6)?,
            size: r.get::<_, i64>(7)? as u64,
            sha256: [0; 32],
        })
    })?;
    let mut metas = rows.collect::<Result<Vec<_>, _>>()?;
    let mut piece = vec![0u8; EXPORT_PIECE];
    for m in &mut metas {
        let mut blob = conn.blob_open(MAIN_DB, c"items", c"ciphertext", m.rowid, true)?;
        let mut h = Sha256::new();
        loop {
            let n = std::io::Read::read(&mut blob, &mut piece)?;
            if n == 0 {
                break;
            }
            h.update(&piece[..n]);
        }
        m.sha256 = h.finalize().into();
    }
    Ok(metas)
}

/// Deletes the items the laptop confirmed it holds (their cases stay, so replies
/// and follow-ups still find them). Returns (deleted, unknown).
pub fn delete_items(conn: &Connection, ids: &[String]) -> Result<(usize, usize), DbError> {
    let mut stmt = conn.prepare_cached("DELETE FROM items WHERE id = ?1")?;
    let mut deleted = 0;
    for id in ids {
        deleted += stmt.execute([id])?;
    }
    Ok((deleted, ids.len() - deleted))
}
