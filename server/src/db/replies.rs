//! Queries of the `replies` table: the signed replies of a case, and importing them.

use rusqlite::{Connection, params};

use super::DbError;
use super::cases::case_organisation;

/// A signed reply as stored.
pub struct Reply {
    pub id: String,
    pub lookup_hash: [u8; 32],
    pub day: String,
    pub ciphertext: Vec<u8>,
    pub signature: [u8; 64],
}

/// The replies of a case in the order they arrived, or `None` if there is no such case.
pub fn replies_for(
    conn: &mut Connection,
    lookup_hash: &[u8; 32],
) -> Result<Option<Vec<Reply>>, DbError> {
    let tx = conn.transaction()?;
    if case_organisation(&tx, lookup_hash)?.is_none() {
        return Ok(None);
    }
    let mut stmt = tx.prepare(
        "SELECT id, day, ciphertext, signature FROM replies WHERE lookup_hash = ?1 ORDER BY day, rowid",
    )?;
    let rows = stmt.query_map([&lookup_hash[..]], |r| {
        Ok(Reply {
            id: r.get(0)?,
            lookup_hash: *lookup_hash,
            day: r.get(1)?,
            ciphertext: r.get(2)?,
            signature: r.get(3)?,
        })
    })?;
    let replies = rows.collect::<Result<Vec<_>, _>>()?;
    Ok(Some(replies))
}

/// How importing replies went.
#[derive(Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported {
        imported: usize,
        skipped: usize,
    },
    /// This reply names a case the server does not know; nothing was written.
    UnknownCase {
        id: String,
    },
}

/// Stores replies: all of them, or (if any names an unknown case) none. A reply
/// whose id is already stored is skipped, so importing the same bundle twice is
/// harmless. Runs inside the writer's group transaction.
pub fn import_replies(conn: &Connection, replies: &[Reply]) -> Result<ImportOutcome, DbError> {
    for r in replies {
        if case_organisation(conn, &r.lookup_hash)?.is_none() {
            return Ok(ImportOutcome::UnknownCase { id: r.id.clone() });
        }
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO replies (id, lookup_hash, day, ciphertext, signature) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO NOTHING",
    )?;
    let mut imported = 0;
    for r in replies {
        imported += stmt.execute(params![
            r.id,
            &r.lookup_hash[..],
            r.day,
            r.ciphertext,
            &r.signature[..]
        ])?;
    }
    Ok(ImportOutcome::Imported {
        imported,
        skipped: replies.len() - imported,
    })
}
