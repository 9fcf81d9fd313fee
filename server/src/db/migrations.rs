//! The schema: one array of migrations, applied in order when the store opens.

use rusqlite::{Connection, TransactionBehavior};

use super::DbError;

/// The schema, one entry per version; `PRAGMA user_version` records how many ran.
/// Never edit a released entry: add a new one.
pub(super) const MIGRATIONS: &[&str] = &[
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
    // 2: attachments (kind bijlage, with the id of their melding or follow-up).
    "CREATE TABLE items_v2 (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('melding', 'vervolg', 'bijlage')),
        organisation TEXT NOT NULL,
        lookup_hash BLOB NOT NULL REFERENCES cases (lookup_hash),
        received_day TEXT NOT NULL,
        parent TEXT CHECK ((kind = 'bijlage') = (parent IS NOT NULL)),
        ciphertext BLOB NOT NULL
    ) STRICT;
    INSERT INTO items_v2 (rowid, id, kind, organisation, lookup_hash, received_day, parent, ciphertext)
        SELECT rowid, id, kind, organisation, lookup_hash, received_day, NULL, ciphertext FROM items;
    DROP TABLE items;
    ALTER TABLE items_v2 RENAME TO items;
    CREATE INDEX items_by_case ON items (lookup_hash);
    CREATE INDEX replies_by_day ON replies (day);",
    // 3: no query looks items up by case, and cases are never deleted or re-keyed
    // (the only use the foreign key would make of it), so the index only cost every
    // submission a write at a random place in one more B-tree.
    "DROP INDEX items_by_case;",
    // 4: routing by the case and resends. Per case: whether its melding was sealed
    // to the organisation's bestuurder recipients (follow-ups must be too), and the
    // id and SHA-256 of that melding, so the same bytes sent again get the same
    // answer instead of a second case. Per follow-up: the SHA-256 of its bytes,
    // unique, so a resent follow-up is recognised; the index holds follow-ups only,
    // so a melding's insert does not write it.
    "ALTER TABLE cases ADD COLUMN bestuurder INTEGER NOT NULL DEFAULT 0 CHECK (bestuurder IN (0, 1));
    ALTER TABLE cases ADD COLUMN melding_id TEXT;
    ALTER TABLE cases ADD COLUMN melding_sha256 BLOB CHECK (melding_sha256 IS NULL OR length(melding_sha256) = 32);
    ALTER TABLE items ADD COLUMN sha256 BLOB CHECK (sha256 IS NULL OR length(sha256) = 32);
    CREATE UNIQUE INDEX vervolg_by_sha256 ON items (sha256) WHERE kind = 'vervolg';",
];

pub(super) fn migrate(conn: &mut Connection) -> Result<(), DbError> {
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
