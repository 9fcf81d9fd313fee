//! The SQLite store: sealed items, cases (by lookup hash only) and signed replies.
//!
//! The server holds ciphertext, a hash of each case's lookup key, an organisation
//! slug and days, nothing else: no addresses, no times of day, no tokens. All work
//! goes through [`Db::call`], which runs it on tokio's blocking pool so SQLite never
//! stalls the async runtime. One connection behind a mutex is plenty for an intake
//! that sees a handful of meldingen a week.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

/// The schema, one entry per version; `PRAGMA user_version` records how many ran.
/// Never edit a released entry: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: cases, inbox items and replies.
    "CREATE TABLE cases (
        lookup_hash BLOB PRIMARY KEY CHECK (length(lookup_hash) = 32),
        organisation TEXT NOT NULL,
        opened_day TEXT NOT NULL
    ) STRICT;
    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('melding', 'vervolg')),
        organisation TEXT NOT NULL,
        lookup_hash BLOB NOT NULL REFERENCES cases (lookup_hash),
        received_day TEXT NOT NULL,
        ciphertext BLOB NOT NULL
    ) STRICT;
    CREATE INDEX items_by_case ON items (lookup_hash);
    CREATE TABLE replies (
        id TEXT PRIMARY KEY,
        lookup_hash BLOB NOT NULL REFERENCES cases (lookup_hash),
        day TEXT NOT NULL,
        ciphertext BLOB NOT NULL,
        signature BLOB NOT NULL CHECK (length(signature) = 64)
    ) STRICT;
    CREATE INDEX replies_by_case ON replies (lookup_hash);",
];

/// What went wrong in the store. Never shown to a client (it becomes a 500).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database has schema version {0}, newer than this meldpunt-server knows ({known}); upgrade meldpunt-server", known = MIGRATIONS.len())]
    NewerSchema(i64),
    #[error(
        "the database refused WAL journal mode (it kept {0:?}); keep it on a local file system"
    )]
    NoWal(String),
    #[error("a database task failed to complete")]
    TaskFailed,
}

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let mut conn = Connection::open(path)?;
        // WAL lets readers and the writer overlap; FULL makes a commit durable before
        // we answer 201, as the design promises.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(DbError::NoWal(mode));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        conn.busy_timeout(Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection on the blocking thread pool.
    pub async fn call<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic inside an earlier call rolled its transaction back when the
            // `Transaction` dropped, so the connection is still sound.
            let mut guard = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard)
        })
        .await
        .map_err(|_| E::from(DbError::TaskFailed))?
    }
}

fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(DbError::NewerSchema(version));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

/// Kind of an inbox item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Melding,
    Vervolg,
}

impl ItemKind {
    fn as_str(self) -> &'static str {
        match self {
            ItemKind::Melding => "melding",
            ItemKind::Vervolg => "vervolg",
        }
    }
}

/// A sealed item as stored.
pub struct Item {
    pub id: String,
    pub kind: ItemKind,
    pub organisation: String,
    pub lookup_hash: [u8; 32],
    pub received_day: String,
    pub ciphertext: Vec<u8>,
}

/// A signed reply as stored.
pub struct Reply {
    pub id: String,
    pub lookup_hash: [u8; 32],
    pub day: String,
    pub ciphertext: Vec<u8>,
    pub signature: [u8; 64],
}

/// How storing a first melding went.
#[derive(Debug, PartialEq, Eq)]
pub enum NewMelding {
    Stored,
    /// A case with this lookup hash exists already; nothing was written.
    CaseExists,
}

/// Stores a first melding and opens its case, in one transaction.
pub fn insert_melding(conn: &mut Connection, item: &Item) -> Result<NewMelding, DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if case_exists(&tx, &item.lookup_hash)? {
        return Ok(NewMelding::CaseExists);
    }
    tx.execute(
        "INSERT INTO cases (lookup_hash, organisation, opened_day) VALUES (?1, ?2, ?3)",
        params![&item.lookup_hash[..], item.organisation, item.received_day],
    )?;
    tx.execute(
        "INSERT INTO items (id, kind, organisation, lookup_hash, received_day, ciphertext)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            item.id,
            item.kind.as_str(),
            item.organisation,
            &item.lookup_hash[..],
            item.received_day,
            item.ciphertext
        ],
    )?;
    tx.commit()?;
    Ok(NewMelding::Stored)
}

fn case_exists(conn: &Connection, lookup_hash: &[u8; 32]) -> Result<bool, DbError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM cases WHERE lookup_hash = ?1",
            [&lookup_hash[..]],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The replies of a case in the order they arrived, or `None` if there is no such case.
pub fn replies_for(
    conn: &mut Connection,
    lookup_hash: &[u8; 32],
) -> Result<Option<Vec<Reply>>, DbError> {
    let tx = conn.transaction()?;
    if !case_exists(&tx, lookup_hash)? {
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

/// Every inbox item still held, oldest first.
pub fn all_items(conn: &mut Connection) -> Result<Vec<Item>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, organisation, lookup_hash, received_day, ciphertext FROM items ORDER BY rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        let kind: String = r.get(1)?;
        let kind = match kind.as_str() {
            "melding" => ItemKind::Melding,
            _ => ItemKind::Vervolg,
        };
        Ok(Item {
            id: r.get(0)?,
            kind,
            organisation: r.get(2)?,
            lookup_hash: r.get(3)?,
            received_day: r.get(4)?,
            ciphertext: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
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

/// Stores replies in one transaction: all of them, or (if any names an unknown case)
/// none. A reply whose id is already stored is skipped, so importing the same bundle
/// twice is harmless.
pub fn import_replies(conn: &mut Connection, replies: &[Reply]) -> Result<ImportOutcome, DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for r in replies {
        if !case_exists(&tx, &r.lookup_hash)? {
            return Ok(ImportOutcome::UnknownCase { id: r.id.clone() });
        }
    }
    let (imported, skipped) = insert_replies(&tx, replies)?;
    tx.commit()?;
    Ok(ImportOutcome::Imported { imported, skipped })
}

fn insert_replies(tx: &Transaction<'_>, replies: &[Reply]) -> Result<(usize, usize), DbError> {
    let mut stmt = tx.prepare(
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
    Ok((imported, replies.len() - imported))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn item(hash: u8, id: &str) -> Item {
        Item {
            id: id.into(),
            kind: ItemKind::Melding,
            organisation: "leiden".into(),
            lookup_hash: [hash; 32],
            received_day: "2026-11-22".into(),
            ciphertext: vec![1, 2, 3],
        }
    }

    #[test]
    fn migrates_once_and_refuses_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        drop(Db::open(&path).unwrap());
        drop(Db::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(Db::open(&path), Err(DbError::NewerSchema(99))));
    }

    #[test]
    fn one_case_per_lookup_hash() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("m.db")).unwrap();
        let mut conn = db.conn.lock().unwrap();
        assert_eq!(
            insert_melding(&mut conn, &item(1, "a")).unwrap(),
            NewMelding::Stored
        );
        assert_eq!(
            insert_melding(&mut conn, &item(1, "b")).unwrap(),
            NewMelding::CaseExists
        );
        assert_eq!(
            counts(&mut conn).unwrap(),
            Counts {
                cases: 1,
                items: 1,
                replies: 0
            }
        );
        assert_eq!(replies_for(&mut conn, &[1; 32]).unwrap().unwrap().len(), 0);
        assert!(replies_for(&mut conn, &[2; 32]).unwrap().is_none());
    }

    #[test]
    fn foreign_keys_are_enforced() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("m.db")).unwrap();
        let conn = db.conn.lock().unwrap();
        let r = conn.execute(
            "INSERT INTO replies (id, lookup_hash, day, ciphertext, signature) VALUES ('x', ?1, 'd', x'00', ?2)",
            params![&[9u8; 32][..], &[0u8; 64][..]],
        );
        assert!(r.is_err());
    }
}
