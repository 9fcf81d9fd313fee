//! The case store's schema as migrations, one entry per version, applied in order
//! inside one transaction; `PRAGMA user_version` records how many ran (the same style
//! as the server's `db.rs`). A new store runs them all. Never change an entry that has
//! shipped: add one.

use rusqlite::{Connection, params};

/// Version 1, the walking skeleton: cases, items (melding, vervolg) and replies.
const V1: &str = "
CREATE TABLE cases (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, year INTEGER NOT NULL,
    seq INTEGER NOT NULL, lookup_hash TEXT NOT NULL UNIQUE, organisatie TEXT NOT NULL, soort TEXT,
    melder TEXT, over_wie TEXT, received TEXT NOT NULL, UNIQUE (year, seq));
CREATE TABLE items (id TEXT PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),
    pos INTEGER NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('melding', 'vervolg')),
    received TEXT NOT NULL, imported TEXT NOT NULL, ciphertext BLOB NOT NULL);
CREATE INDEX items_case ON items(case_id, pos);
CREATE TABLE replies (id TEXT PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),
    pos INTEGER NOT NULL, day TEXT NOT NULL, ciphertext BLOB NOT NULL, signature BLOB NOT NULL,
    own_copy BLOB NOT NULL, exported TEXT);
CREATE INDEX replies_case ON replies(case_id, pos);
";

/// Version 2: cases get the channel, afdoening and deadline days and a nullable lookup
/// hash; items may be registrations; attachments, notes and history are new. Tables
/// are rebuilt because SQLite cannot change a constraint in place.
const V2: &str = "
ALTER TABLE cases RENAME TO cases_v1;
ALTER TABLE items RENAME TO items_v1;
ALTER TABLE replies RENAME TO replies_v1;
DROP INDEX items_case;
DROP INDEX replies_case;

CREATE TABLE cases (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,   -- 2026-0001: year of receipt and a sequence number
    year         INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    lookup_hash  TEXT UNIQUE,            -- hex; NULL for a case registered from another channel
    kanaal       TEXT NOT NULL DEFAULT 'meldpunt',
    organisatie  TEXT NOT NULL,
    soort        TEXT,                   -- codes from envelope::domain, kept even if unknown
    melder       TEXT,
    over_wie     TEXT,
    received     TEXT NOT NULL,          -- day the first item reached the server (or the meldpunt)
    afdoening    TEXT NOT NULL DEFAULT 'in-behandeling',
    closed       TEXT,                   -- day the afdoening became final
    acknowledged TEXT,                   -- day of the ontvangstbevestiging
    feedback     TEXT,                   -- day of the terugkoppeling
    UNIQUE (year, seq)
);
CREATE TABLE items (
    id          TEXT PRIMARY KEY,       -- the bundle item id, so a second import skips it
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    pos         INTEGER NOT NULL,       -- order of arrival in this store
    kind        TEXT NOT NULL CHECK (kind IN ('melding', 'vervolg', 'registratie')),
    received    TEXT NOT NULL,
    imported    TEXT NOT NULL,
    ciphertext  BLOB NOT NULL           -- the age file as it arrived (registratie: sealed here)
);
CREATE INDEX items_case ON items(case_id, pos);
CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,       -- the bundle item id
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    parent      TEXT NOT NULL REFERENCES items(id),
    idx         INTEGER NOT NULL,       -- its place in the parent's attachments list
    received    TEXT NOT NULL,
    imported    TEXT NOT NULL,
    ciphertext  BLOB NOT NULL,          -- the age file as it arrived
    UNIQUE (parent, idx)
);
CREATE INDEX attachments_case ON attachments(case_id);
CREATE TABLE replies (
    id          TEXT PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    pos         INTEGER NOT NULL,
    day         TEXT NOT NULL,
    ciphertext  BLOB NOT NULL,          -- sealed to the reporter's reply recipient
    signature   BLOB NOT NULL,          -- Ed25519, see docs/PROTOCOL.md
    own_copy    BLOB NOT NULL,          -- the same text sealed to the store's recipients
    exported    TEXT                    -- day of the last export-replies, NULL if never
);
CREATE INDEX replies_case ON replies(case_id, pos);
CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    pos         INTEGER NOT NULL,
    day         TEXT NOT NULL,
    ciphertext  BLOB NOT NULL           -- sealed to the store's recipients
);
CREATE INDEX notes_case ON notes(case_id, pos);
CREATE TABLE history (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    day         TEXT NOT NULL,
    event       TEXT NOT NULL,          -- a code, see Event
    detail      TEXT NOT NULL DEFAULT '' -- codes and days only, never a reporter's text
);
CREATE INDEX history_case ON history(case_id, id);
INSERT INTO cases (id, number, year, seq, lookup_hash, organisatie, soort, melder, over_wie, received)
    SELECT id, number, year, seq, lookup_hash, organisatie, soort, melder, over_wie, received FROM cases_v1;
INSERT INTO items SELECT id, case_id, pos, kind, received, imported, ciphertext FROM items_v1;
INSERT INTO replies SELECT id, case_id, pos, day, ciphertext, signature, own_copy, exported FROM replies_v1;
UPDATE cases SET acknowledged = (SELECT min(day) FROM replies r WHERE r.case_id = cases.id);
INSERT INTO history (case_id, day, event, detail)
    SELECT id, received, 'aangemaakt', 'meldpunt' FROM cases;
DROP TABLE replies_v1;
DROP TABLE items_v1;
DROP TABLE cases_v1;
";

/// Version 3: the items an import set aside.
const V3: &str = "
CREATE TABLE set_aside (
    id          TEXT PRIMARY KEY,       -- the bundle item id
    kind        TEXT NOT NULL,          -- what the server's manifest called it
    parent      TEXT,                   -- attachments: the item the manifest names
    lookup_hash TEXT NOT NULL,
    organisatie TEXT NOT NULL,          -- as the server's manifest says
    received    TEXT NOT NULL,
    set_aside   TEXT NOT NULL,          -- the day of the import that set it aside
    reason      TEXT NOT NULL,          -- a code, see import::SetAsideReason
    ciphertext  BLOB NOT NULL           -- the bytes as they arrived
);
";

/// Version 4: the store-wide order of items, replies and notes indexed, so finding the
/// next position (`store::NEXT_POS`, once per row an import writes) reads one index entry
/// per table instead of every row: an import's cost no longer grows with the store.
const V4: &str = "
CREATE INDEX items_pos ON items(pos);
CREATE INDEX replies_pos ON replies(pos);
CREATE INDEX notes_pos ON notes(pos);
";

/// The schema, one entry per version; `PRAGMA user_version` records how many ran.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4];

/// Why a store could not be brought to the current version.
#[derive(Debug)]
pub enum MigrateError {
    /// Made by a newer meldpunt-keys.
    TooNew,
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sql(e)
    }
}

/// Brings the store to the newest version, in one transaction.
pub fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    let tx = conn.transaction()?;
    let version: i64 = tx.query_row("PRAGMA user_version", params![], |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(MigrateError::TooNew);
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn a_new_store_runs_every_migration_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
        let want = [
            "attachments",
            "cases",
            "history",
            "items",
            "notes",
            "replies",
            "set_aside",
        ];
        assert_eq!(tables(&conn), want);
        // Again: nothing to do, nothing changes.
        migrate(&mut conn).unwrap();
        assert_eq!(tables(&conn), want);
        conn.pragma_update(None, "user_version", 99).unwrap();
        assert!(matches!(migrate(&mut conn), Err(MigrateError::TooNew)));
    }
}
