//! Whole-store figures and the online backup, for the operator.

use std::path::Path;

use super::items::ItemKind;
use rusqlite::Connection;

use super::DbError;

/// Row counts, for tests and for the operator's peace of mind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub cases: u64,
    pub items: u64,
    pub replies: u64,
}

pub fn counts(conn: &mut Connection) -> Result<Counts, DbError> {
    let n = |table: &str| {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
            r.get::<_, u64>(0)
        })
    };
    Ok(Counts {
        cases: n("cases")?,
        items: n("items")?,
        replies: n("replies")?,
    })
}

/// Counts for `meldpunt-server stats`: numbers only, nothing about any case.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub cases: u64,
    pub meldingen_waiting: u64,
    pub vervolgen_waiting: u64,
    pub bijlagen_waiting: u64,
    pub ciphertext_bytes_waiting: u64,
    pub replies: u64,
    pub cases_per_organisation: Vec<(String, u64)>,
}

pub fn stats(conn: &mut Connection) -> Result<Stats, DbError> {
    let one = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, u64>(0));
    let kind = |k: &str| {
        conn.query_row("SELECT count(*) FROM items WHERE kind = ?1", [k], |r| {
            r.get::<_, u64>(0)
        })
    };
    let mut stmt = conn.prepare(
        "SELECT organisation, count(*) FROM cases GROUP BY organisation ORDER BY organisation",
    )?;
    let per_org = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Stats {
        cases: one("SELECT count(*) FROM cases")?,
        meldingen_waiting: kind(ItemKind::Melding.code())?,
        vervolgen_waiting: kind(ItemKind::Vervolg.code())?,
        bijlagen_waiting: kind(ItemKind::Bijlage.code())?,
        ciphertext_bytes_waiting: one("SELECT coalesce(sum(length(ciphertext)), 0) FROM items")?,
        replies: one("SELECT count(*) FROM replies")?,
        cases_per_organisation: per_org,
    })
}

/// A consistent copy of the live database at `to` (which must not exist), made
/// while the server runs: `VACUUM INTO` reads one snapshot.
pub fn backup(conn: &Connection, to: &Path) -> Result<(), DbError> {
    let to = to
        .to_str()
        .ok_or_else(|| DbError::Io(std::io::Error::other("the backup path is not UTF-8")))?;
    conn.execute("VACUUM INTO ?1", [to])?;
    Ok(())
}
