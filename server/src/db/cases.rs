//! Queries of the `cases` table: a case by its lookup hash.

use rusqlite::{Connection, OptionalExtension};

use super::DbError;

/// The facts of a case the reporter's page needs and a resend is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseInfo {
    pub organisation: String,
    pub bestuurder: bool,
    pub opened_day: String,
    /// The first melding's id and SHA-256, when recorded (cases opened since
    /// schema version 4).
    pub melding: Option<(String, [u8; 32])>,
}

/// The case of a lookup hash, if it exists.
pub fn case_info(conn: &Connection, lookup_hash: &[u8; 32]) -> Result<Option<CaseInfo>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT organisation, bestuurder, opened_day, melding_id, melding_sha256
             FROM cases WHERE lookup_hash = ?1",
        )?
        .query_row([&lookup_hash[..]], |r| {
            let id: Option<String> = r.get(3)?;
            let sha: Option<[u8; 32]> = r.get(4)?;
            Ok(CaseInfo {
                organisation: r.get(0)?,
                bestuurder: r.get(1)?,
                opened_day: r.get(2)?,
                melding: id.zip(sha),
            })
        })
        .optional()?)
}

/// The organisation of a case, if it exists.
pub fn case_organisation(
    conn: &Connection,
    lookup_hash: &[u8; 32],
) -> Result<Option<String>, DbError> {
    Ok(conn
        .prepare_cached("SELECT organisation FROM cases WHERE lookup_hash = ?1")?
        .query_row([&lookup_hash[..]], |r| r.get(0))
        .optional()?)
}
