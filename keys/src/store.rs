//! The case store: `<dir>/cases.db`, SQLite in WAL mode.
//!
//! Ciphertexts are kept exactly as they arrived (age files to the meldpunt identity),
//! so anything here can still be opened with `rage`. In the clear is only what
//! oversight needs without the passphrase: case number, organisatie, soort, melder,
//! over wie, days, and the lookup hash that ties items and replies to a case. Replies
//! are kept twice: as sent (sealed to the reporter, signed) and as a copy of the text
//! sealed to the meldpunt identity, so `show` can print them.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::{Action, Failure, Result};

const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,   -- 2026-0001: year of receipt and a sequence number
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    lookup_hash TEXT NOT NULL UNIQUE,   -- hex; the server knows cases only by this
    organisatie TEXT NOT NULL,
    soort       TEXT,                   -- codes from envelope::domain, kept even if unknown
    melder      TEXT,
    over_wie    TEXT,
    received    TEXT NOT NULL,          -- day the first item reached the server
    UNIQUE (year, seq)
);
CREATE TABLE items (
    id          TEXT PRIMARY KEY,       -- the bundle item id, so a second import skips it
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    pos         INTEGER NOT NULL,       -- order of arrival in this store
    kind        TEXT NOT NULL CHECK (kind IN ('melding', 'vervolg')),
    received    TEXT NOT NULL,
    imported    TEXT NOT NULL,
    ciphertext  BLOB NOT NULL           -- the age file as it arrived
);
CREATE INDEX items_case ON items(case_id, pos);
CREATE TABLE replies (
    id          TEXT PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    pos         INTEGER NOT NULL,
    day         TEXT NOT NULL,
    ciphertext  BLOB NOT NULL,          -- sealed to the reporter's reply recipient
    signature   BLOB NOT NULL,          -- Ed25519, see docs/PROTOCOL.md
    own_copy    BLOB NOT NULL,          -- the same text sealed to the meldpunt identity
    exported    TEXT                    -- day of the last export-replies, NULL if never
);
CREATE INDEX replies_case ON replies(case_id, pos);
";

/// A case as `list` shows it.
#[derive(Debug, Clone)]
pub struct CaseRow {
    pub id: i64,
    pub number: String,
    pub lookup_hash: String,
    pub organisatie: String,
    pub soort: Option<String>,
    pub melder: Option<String>,
    pub over_wie: Option<String>,
    pub received: String,
    pub messages: i64,
    pub replies: i64,
}

/// One entry of a case's thread, in order.
#[derive(Debug, Clone)]
pub enum Entry {
    Item {
        kind: String,
        day: String,
        ciphertext: Vec<u8>,
    },
    Reply {
        day: String,
        own_copy: Vec<u8>,
        exported: Option<String>,
    },
}

/// An item to import, already opened and checked by the caller.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub id: String,
    pub kind: &'static str,
    pub lookup_hash: String,
    pub organisatie: String,
    pub soort: Option<String>,
    pub melder: Option<String>,
    pub over_wie: Option<String>,
    pub received: String,
    pub ciphertext: Vec<u8>,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub new: usize,
    pub skipped: usize,
    pub new_cases: Vec<String>,
}

/// A reply ready to store.
pub struct NewReply {
    pub id: String,
    pub case_id: i64,
    pub day: String,
    pub ciphertext: Vec<u8>,
    pub signature: [u8; 64],
    pub own_copy: Vec<u8>,
}

/// A reply as it goes into a replies bundle.
pub struct OutgoingReply {
    pub id: String,
    pub lookup_hash: String,
    pub ciphertext: Vec<u8>,
    pub signature: Vec<u8>,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the store, creating it (mode 0600) if it does not exist yet.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.exists() {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(|e| Failure::io(path, Action::Write, e))?;
        }
        let err = |e| Failure::store(path, e);
        let conn = Connection::open(path).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Failure + '_ {
        |e| Failure::store(&self.path, e)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(self.err())?;
        if version > SCHEMA_VERSION {
            return Err(Failure::StoreTooNew(self.path.clone()));
        }
        if version == 0 {
            let path = self.path.clone();
            let tx = self
                .conn
                .transaction()
                .map_err(|e| Failure::store(&path, e))?;
            tx.execute_batch(SCHEMA)
                .map_err(|e| Failure::store(&path, e))?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(|e| Failure::store(&path, e))?;
            tx.commit().map_err(|e| Failure::store(&path, e))?;
        }
        Ok(())
    }

    /// The ciphertext of the first item of the case with this lookup hash, if any:
    /// the import compares its reply recipient with that of new items.
    pub fn first_item_of(&self, lookup_hash: &str) -> Result<Option<Vec<u8>>> {
        self.conn
            .query_row(
                "SELECT i.ciphertext FROM items i JOIN cases c ON c.id = i.case_id
                 WHERE c.lookup_hash = ?1 ORDER BY i.pos LIMIT 1",
                [lookup_hash],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())
    }

    /// Stores the items in one transaction: all or nothing. Items whose id is already
    /// present are skipped, so importing a bundle twice changes nothing.
    pub fn import(&mut self, items: &[NewItem], today: &str) -> Result<Imported> {
        let path = self.path.clone();
        let err = |e| Failure::store(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        let mut done = Imported::default();
        for it in items {
            let existing: Option<(String, Vec<u8>)> = tx
                .query_row(
                    "SELECT c.lookup_hash, i.ciphertext FROM items i JOIN cases c ON c.id = i.case_id WHERE i.id = ?1",
                    [&it.id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(err)?;
            if let Some((lookup_hash, ciphertext)) = existing {
                // Skipped only if it is the very same item; the same id with other
                // content or in another case means someone changed it.
                if lookup_hash != it.lookup_hash || ciphertext != it.ciphertext {
                    return Err(Failure::ItemConflict(it.id.clone()));
                }
                done.skipped += 1;
                continue;
            }
            let case_id = match find_case(&tx, &it.lookup_hash).map_err(err)? {
                Some(id) => {
                    // A case first seen through a vervolg learns its soort from a later melding.
                    tx.execute(
                        "UPDATE cases SET soort = coalesce(soort, ?2), melder = coalesce(melder, ?3),
                         over_wie = coalesce(over_wie, ?4) WHERE id = ?1",
                        params![id, it.soort, it.melder, it.over_wie],
                    )
                    .map_err(err)?;
                    id
                }
                None => {
                    let (id, number) = create_case(&tx, it).map_err(err)?;
                    done.new_cases.push(number);
                    id
                }
            };
            tx.execute(
                "INSERT INTO items (id, case_id, pos, kind, received, imported, ciphertext)
                 VALUES (?1, ?2, (SELECT coalesce(max(p), 0) + 1 FROM
                    (SELECT max(pos) AS p FROM items UNION ALL SELECT max(pos) FROM replies)), ?3, ?4, ?5, ?6)",
                params![it.id, case_id, it.kind, it.received, today, it.ciphertext],
            )
            .map_err(err)?;
            done.new += 1;
        }
        tx.commit().map_err(err)?;
        Ok(done)
    }

    /// Every case, oldest first.
    pub fn cases(&self) -> Result<Vec<CaseRow>> {
        self.query_cases("", [])
    }

    /// One case by its number.
    pub fn case(&self, number: &str) -> Result<Option<CaseRow>> {
        Ok(self
            .query_cases("WHERE c.number = ?1", [number])?
            .into_iter()
            .next())
    }

    fn query_cases<P: rusqlite::Params>(&self, filter: &str, p: P) -> Result<Vec<CaseRow>> {
        let sql = format!(
            "SELECT c.id, c.number, c.lookup_hash, c.organisatie, c.soort, c.melder, c.over_wie, c.received,
                (SELECT count(*) FROM items i WHERE i.case_id = c.id),
                (SELECT count(*) FROM replies r WHERE r.case_id = c.id)
             FROM cases c {filter} ORDER BY c.year, c.seq"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(p, |r| {
                Ok(CaseRow {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    lookup_hash: r.get(2)?,
                    organisatie: r.get(3)?,
                    soort: r.get(4)?,
                    melder: r.get(5)?,
                    over_wie: r.get(6)?,
                    received: r.get(7)?,
                    messages: r.get(8)?,
                    replies: r.get(9)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    /// The thread of a case: meldingen, vervolgen and replies by day, then by arrival.
    pub fn thread(&self, case_id: i64) -> Result<Vec<Entry>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT day, pos, kind, ciphertext, exported FROM (
                    SELECT received AS day, pos, kind, ciphertext, NULL AS exported FROM items WHERE case_id = ?1
                    UNION ALL
                    SELECT day, pos, 'reactie', own_copy, exported FROM replies WHERE case_id = ?1)
                 ORDER BY day, pos",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([case_id], |r| {
                let day: String = r.get(0)?;
                let kind: String = r.get(2)?;
                let ciphertext: Vec<u8> = r.get(3)?;
                Ok(if kind == "reactie" {
                    Entry::Reply {
                        day,
                        own_copy: ciphertext,
                        exported: r.get(4)?,
                    }
                } else {
                    Entry::Item {
                        kind,
                        day,
                        ciphertext,
                    }
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    pub fn add_reply(&mut self, r: &NewReply) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO replies (id, case_id, pos, day, ciphertext, signature, own_copy)
                 VALUES (?1, ?2, (SELECT coalesce(max(p), 0) + 1 FROM
                    (SELECT max(pos) AS p FROM items UNION ALL SELECT max(pos) FROM replies)), ?3, ?4, ?5, ?6)",
                params![r.id, r.case_id, r.day, r.ciphertext, &r.signature[..], r.own_copy],
            )
            .map_err(self.err())?;
        Ok(())
    }

    /// Replies not yet exported (or all of them), oldest first.
    pub fn outgoing(&self, all: bool) -> Result<Vec<OutgoingReply>> {
        let filter = if all { "" } else { "WHERE r.exported IS NULL" };
        let sql = format!(
            "SELECT r.id, c.lookup_hash, r.ciphertext, r.signature FROM replies r JOIN cases c ON c.id = r.case_id
             {filter} ORDER BY r.pos"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(OutgoingReply {
                    id: r.get(0)?,
                    lookup_hash: r.get(1)?,
                    ciphertext: r.get(2)?,
                    signature: r.get(3)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    pub fn mark_exported(&mut self, ids: &[String], day: &str) -> Result<()> {
        let path = self.path.clone();
        let err = |e| Failure::store(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        for id in ids {
            tx.execute(
                "UPDATE replies SET exported = ?2 WHERE id = ?1",
                params![id, day],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Replies written but not yet exported.
    pub fn pending_replies(&self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT count(*) FROM replies WHERE exported IS NULL",
                [],
                |r| r.get(0),
            )
            .map_err(self.err())
    }
}

fn find_case(tx: &Transaction, lookup_hash: &str) -> rusqlite::Result<Option<i64>> {
    tx.query_row(
        "SELECT id FROM cases WHERE lookup_hash = ?1",
        [lookup_hash],
        |r| r.get(0),
    )
    .optional()
}

/// Creates a case numbered by the year in which its first item was received.
fn create_case(tx: &Transaction, it: &NewItem) -> rusqlite::Result<(i64, String)> {
    let year: i64 = it.received[..4].parse().unwrap_or(0);
    let seq: i64 = tx.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM cases WHERE year = ?1",
        [year],
        |r| r.get(0),
    )?;
    let number = format!("{year:04}-{seq:04}");
    tx.execute(
        "INSERT INTO cases (number, year, seq, lookup_hash, organisatie, soort, melder, over_wie, received)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![number, year, seq, it.lookup_hash, it.organisatie, it.soort, it.melder, it.over_wie, it.received],
    )?;
    Ok((tx.last_insert_rowid(), number))
}
