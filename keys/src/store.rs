//! The case store: `<dir>/cases.db`, SQLite in WAL mode.
//!
//! Everything a reporter or the coördinator wrote stays encrypted at rest: items and
//! attachments are kept exactly as they arrived (age files to the meldpunt identity, so
//! `rage` still opens them); replies, notes and the texts of cases registered from
//! another channel are sealed to the store's recipients (the identity and, if there is
//! one, the recovery recipient). In the clear is only what oversight needs without the
//! passphrase: case number, kanaal, organisatie, soort, melder, over wie, days,
//! afdoening, and the lookup hash that ties items and replies to a case. Every change
//! to a case is written to its history in the same transaction.
//!
//! Items an import could not take (not sealed to the meldpunt, damaged, no valid
//! melding) are kept in `set_aside`, exactly as they arrived, with the reason as a
//! code: so they can be looked at (`rage` opens them if they are age files for another
//! key), confirmed to the server like imported items, and never block a later import.

use std::path::{Path, PathBuf};

use meldpunt_envelope::domain::{Afdoening, Code, Event, ItemKind, Kanaal, Melder, OverWie, Soort};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::{Action, Error, Result};

// Overview queries for the desk (a separate file, so this one stays as it is).
mod overview;

/// A case as `list` and `show` see it.
#[derive(Debug, Clone)]
pub struct CaseRow {
    pub id: i64,
    pub number: String,
    pub year: i64,
    pub lookup_hash: Option<String>,
    pub kanaal: Code<Kanaal>,
    pub organisatie: String,
    pub soort: Option<Code<Soort>>,
    pub melder: Option<Code<Melder>>,
    pub over_wie: Option<Code<OverWie>>,
    pub received: String,
    pub afdoening: Code<Afdoening>,
    pub closed: Option<String>,
    pub acknowledged: Option<String>,
    pub feedback: Option<String>,
    pub messages: i64,
    pub replies: i64,
    pub attachments: i64,
}

/// One entry of a case's thread, in order.
#[derive(Debug, Clone)]
pub enum Entry {
    Item {
        id: String,
        kind: Code<ItemKind>,
        day: String,
        ciphertext: Vec<u8>,
    },
    Reply {
        day: String,
        own_copy: Vec<u8>,
        exported: Option<String>,
    },
    Note {
        day: String,
        ciphertext: Vec<u8>,
    },
}

/// An item to import, already opened and checked by the caller.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub id: String,
    pub kind: ItemKind,
    pub lookup_hash: String,
    pub organisatie: String,
    pub soort: Option<String>,
    pub melder: Option<String>,
    pub over_wie: Option<String>,
    pub received: String,
    pub ciphertext: Vec<u8>,
}

/// An attachment to import, opened and checked against its parent by the caller.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub id: String,
    pub parent: String,
    pub idx: i64,
    pub received: String,
    pub ciphertext: Vec<u8>,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub new: usize,
    pub new_attachments: usize,
    pub skipped: usize,
    pub new_cases: Vec<String>,
    /// Ids of the items newly set aside (those set aside before are counted in
    /// `skipped`).
    pub new_set_aside: Vec<String>,
}

/// An item the import sets aside, with the reason as a code.
#[derive(Debug, Clone)]
pub struct NewSetAside {
    pub id: String,
    pub kind: ItemKind,
    pub parent: Option<String>,
    pub lookup_hash: String,
    pub organisatie: String,
    pub received: String,
    pub reason: &'static str,
    pub ciphertext: Vec<u8>,
}

/// An item an import set aside, as `set-aside` lists it (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAsideRow {
    pub id: String,
    /// `melding`, `vervolg` or `bijlage`, as the server's manifest called it.
    pub kind: String,
    pub parent: Option<String>,
    /// As the server's manifest says.
    pub organisatie: String,
    /// The day the server received it.
    pub received: String,
    /// The day of the import that set it aside.
    pub set_aside: String,
    /// A code, see `import::SetAsideReason`.
    pub reason: String,
    pub size: u64,
}

/// Where the store holds an item of a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// As a melding, vervolg or attachment of a case.
    Imported,
    /// In `set_aside`.
    SetAside,
}

/// A reply ready to store.
pub struct NewReply {
    pub id: String,
    pub case_id: i64,
    pub day: String,
    pub ciphertext: Vec<u8>,
    pub signature: [u8; 64],
    pub own_copy: Vec<u8>,
    /// This reply is the terugkoppeling (feedback on what was done).
    pub feedback: bool,
}

/// A reply as it goes into a replies bundle.
pub struct OutgoingReply {
    pub id: String,
    pub case_id: i64,
    pub lookup_hash: String,
    pub ciphertext: Vec<u8>,
    pub signature: Vec<u8>,
}

/// A stored attachment.
pub struct StoredAttachment {
    pub id: String,
    pub parent: String,
    pub idx: i64,
    pub ciphertext: Vec<u8>,
}

/// A case registered from another channel.
pub struct NewRegistration {
    pub kanaal: String,
    pub organisatie: String,
    pub soort: String,
    pub melder: Option<String>,
    pub over_wie: Option<String>,
    pub received: String,
    pub ciphertext: Vec<u8>,
}

/// One line of a case's history.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub day: String,
    pub event: String,
    pub detail: String,
}

/// A change to a case's oversight fields; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub afdoening: Option<String>,
    pub acknowledged: Option<String>,
    pub feedback: Option<String>,
    pub organisatie: Option<String>,
    pub soort: Option<String>,
    pub melder: Option<String>,
    pub over_wie: Option<String>,
}

/// Which cases `list` wants.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub organisatie: Option<String>,
    /// `Some(true)`: only open cases (afdoening in behandeling); `Some(false)`: only closed.
    pub open: Option<bool>,
    pub year: Option<i64>,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

const CASE_COLUMNS: &str =
    "c.id, c.number, c.year, c.lookup_hash, c.kanaal, c.organisatie, c.soort, c.melder,
    c.over_wie, c.received, c.afdoening, c.closed, c.acknowledged, c.feedback,
    (SELECT count(*) FROM items i WHERE i.case_id = c.id),
    (SELECT count(*) FROM replies r WHERE r.case_id = c.id),
    (SELECT count(*) FROM attachments a WHERE a.case_id = c.id)";

fn case_row(r: &rusqlite::Row) -> rusqlite::Result<CaseRow> {
    Ok(CaseRow {
        id: r.get(0)?,
        number: r.get(1)?,
        year: r.get(2)?,
        lookup_hash: r.get(3)?,
        kanaal: Code::parse(&r.get::<_, String>(4)?),
        organisatie: r.get(5)?,
        soort: r.get::<_, Option<String>>(6)?.as_deref().map(Code::parse),
        melder: r.get::<_, Option<String>>(7)?.as_deref().map(Code::parse),
        over_wie: r.get::<_, Option<String>>(8)?.as_deref().map(Code::parse),
        received: r.get(9)?,
        afdoening: Code::parse(&r.get::<_, String>(10)?),
        closed: r.get(11)?,
        acknowledged: r.get(12)?,
        feedback: r.get(13)?,
        messages: r.get(14)?,
        replies: r.get(15)?,
        attachments: r.get(16)?,
    })
}

/// The next position in the store-wide order of items, replies and notes.
const NEXT_POS: &str = "(SELECT coalesce(max(p), 0) + 1 FROM
    (SELECT max(pos) AS p FROM items UNION ALL SELECT max(pos) FROM replies
     UNION ALL SELECT max(pos) FROM notes))";

fn log(
    tx: &Transaction,
    case_id: i64,
    day: &str,
    event: Event,
    detail: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO history (case_id, day, event, detail) VALUES (?1, ?2, ?3, ?4)",
        params![case_id, day, event.code(), detail],
    )?;
    Ok(())
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
                .map_err(|e| Error::io(path, Action::Write, e))?;
        }
        let err = |e| Error::store(path, e);
        let conn = Connection::open(path).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        store
            .conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| Error::store(path, e))?;
        Ok(store)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        |e| Error::store(&self.path, e)
    }

    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        crate::schema::migrate(&mut self.conn).map_err(|e| match e {
            crate::schema::MigrateError::TooNew => Error::StoreTooNew(path.clone()),
            crate::schema::MigrateError::Sql(e) => Error::store(&path, e),
        })
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

    /// Every item an import set aside, oldest first.
    pub fn set_aside_items(&self) -> Result<Vec<SetAsideRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, kind, parent, organisatie, received, set_aside, reason,
                        length(ciphertext)
                 FROM set_aside ORDER BY set_aside, rowid",
            )
            .map_err(self.err())?;
        stmt.query_map([], |r| {
            Ok(SetAsideRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                parent: r.get(2)?,
                organisatie: r.get(3)?,
                received: r.get(4)?,
                set_aside: r.get(5)?,
                reason: r.get(6)?,
                size: r.get::<_, i64>(7)?.max(0) as u64,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(self.err())
    }

    /// The bytes of a set-aside item, exactly as they arrived, if there is one.
    pub fn set_aside_bytes(&self, id: &str) -> Result<Option<Vec<u8>>> {
        self.conn
            .query_row(
                "SELECT ciphertext FROM set_aside WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())
    }

    /// The ciphertext and case of a stored item (melding or vervolg), if any.
    pub fn item(&self, id: &str) -> Result<Option<(String, Vec<u8>)>> {
        self.conn
            .query_row(
                "SELECT coalesce(c.lookup_hash, ''), i.ciphertext FROM items i JOIN cases c ON c.id = i.case_id WHERE i.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())
    }

    /// Stores the items and attachments in one transaction: all or nothing. Anything
    /// whose id is already present is skipped, so importing a bundle twice changes
    /// nothing; the same id with other content is refused.
    pub fn import(
        &mut self,
        items: &[NewItem],
        attachments: &[NewAttachment],
        set_aside: &[NewSetAside],
        today: &str,
    ) -> Result<Imported> {
        let path = self.path.clone();
        let err = |e| Error::store(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        let mut done = Imported::default();
        for s in set_aside {
            let existing: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT ciphertext FROM set_aside WHERE id = ?1
                     UNION ALL SELECT ciphertext FROM items WHERE id = ?1
                     UNION ALL SELECT ciphertext FROM attachments WHERE id = ?1",
                    [&s.id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(err)?;
            if let Some(ciphertext) = existing {
                if ciphertext != s.ciphertext {
                    return Err(Error::ItemConflict(s.id.clone()));
                }
                done.skipped += 1;
                continue;
            }
            tx.execute(
                "INSERT INTO set_aside (id, kind, parent, lookup_hash, organisatie, received, set_aside, reason, ciphertext)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    s.id,
                    s.kind.code(),
                    s.parent,
                    s.lookup_hash,
                    s.organisatie,
                    s.received,
                    today,
                    s.reason,
                    s.ciphertext
                ],
            )
            .map_err(err)?;
            done.new_set_aside.push(s.id.clone());
        }
        // An item set aside before that now opens (say, after an old key was added
        // back) leaves `set_aside` as it is imported.
        for id in items
            .iter()
            .map(|i| &i.id)
            .chain(attachments.iter().map(|a| &a.id))
        {
            tx.execute("DELETE FROM set_aside WHERE id = ?1", [id])
                .map_err(err)?;
        }
        for it in items {
            let existing: Option<(Option<String>, Vec<u8>)> = tx
                .query_row(
                    "SELECT c.lookup_hash, i.ciphertext FROM items i JOIN cases c ON c.id = i.case_id WHERE i.id = ?1",
                    [&it.id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(err)?;
            if let Some((lookup_hash, ciphertext)) = existing {
                if lookup_hash.as_deref() != Some(it.lookup_hash.as_str())
                    || ciphertext != it.ciphertext
                {
                    return Err(Error::ItemConflict(it.id.clone()));
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
                    log(
                        &tx,
                        id,
                        today,
                        Event::imported(it.kind).unwrap_or(Event::Melding),
                        &it.received,
                    )
                    .map_err(err)?;
                    id
                }
                None => {
                    let (id, number) = create_case(
                        &tx,
                        Some(&it.lookup_hash),
                        Kanaal::Meldpunt.code(),
                        &it.organisatie,
                        it.soort.as_deref(),
                        it.melder.as_deref(),
                        it.over_wie.as_deref(),
                        &it.received,
                    )
                    .map_err(err)?;
                    log(&tx, id, today, Event::Aangemaakt, Kanaal::Meldpunt.code()).map_err(err)?;
                    done.new_cases.push(number);
                    id
                }
            };
            tx.execute(
                &format!(
                    "INSERT INTO items (id, case_id, pos, kind, received, imported, ciphertext)
                     VALUES (?1, ?2, {NEXT_POS}, ?3, ?4, ?5, ?6)"
                ),
                params![
                    it.id,
                    case_id,
                    it.kind.code(),
                    it.received,
                    today,
                    it.ciphertext
                ],
            )
            .map_err(err)?;
            done.new += 1;
        }
        for a in attachments {
            let existing: Option<(String, Vec<u8>)> = tx
                .query_row(
                    "SELECT parent, ciphertext FROM attachments WHERE id = ?1",
                    [&a.id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(err)?;
            if let Some((parent, ciphertext)) = existing {
                if parent != a.parent || ciphertext != a.ciphertext {
                    return Err(Error::ItemConflict(a.id.clone()));
                }
                done.skipped += 1;
                continue;
            }
            let case_id: i64 = tx
                .query_row(
                    "SELECT case_id FROM items WHERE id = ?1",
                    [&a.parent],
                    |r| r.get(0),
                )
                .map_err(err)?;
            let taken: bool = tx
                .query_row(
                    "SELECT count(*) > 0 FROM attachments WHERE parent = ?1 AND idx = ?2",
                    params![a.parent, a.idx],
                    |r| r.get(0),
                )
                .map_err(err)?;
            if taken {
                return Err(Error::ItemConflict(a.id.clone()));
            }
            tx.execute(
                "INSERT INTO attachments (id, case_id, parent, idx, received, imported, ciphertext)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    a.id,
                    case_id,
                    a.parent,
                    a.idx,
                    a.received,
                    today,
                    a.ciphertext
                ],
            )
            .map_err(err)?;
            log(&tx, case_id, today, Event::Bijlage, &a.received).map_err(err)?;
            done.new_attachments += 1;
        }
        tx.commit().map_err(err)?;
        Ok(done)
    }

    /// Registers a case that came in by another channel; returns its number.
    pub fn register(&mut self, r: &NewRegistration, today: &str) -> Result<String> {
        let path = self.path.clone();
        let err = |e| Error::store(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        let (id, number) = create_case(
            &tx,
            None,
            &r.kanaal,
            &r.organisatie,
            Some(&r.soort),
            r.melder.as_deref(),
            r.over_wie.as_deref(),
            &r.received,
        )
        .map_err(err)?;
        let item_id = meldpunt_envelope::random_id().map_err(|e| Error::Internal(e.to_string()))?;
        tx.execute(
            &format!(
                "INSERT INTO items (id, case_id, pos, kind, received, imported, ciphertext)
                 VALUES (?1, ?2, {NEXT_POS}, 'registratie', ?3, ?4, ?5)"
            ),
            params![item_id, id, r.received, today, r.ciphertext],
        )
        .map_err(err)?;
        log(&tx, id, today, Event::Aangemaakt, &r.kanaal).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(number)
    }

    /// Cases matching `f`, oldest first.
    pub fn cases(&self, f: &Filter) -> Result<Vec<CaseRow>> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases c
             WHERE (?1 IS NULL OR c.organisatie = ?1)
               AND (?2 IS NULL OR (c.afdoening = 'in-behandeling') = ?2)
               AND (?3 IS NULL OR c.year = ?3)
             ORDER BY c.year, c.seq"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(params![f.organisatie, f.open, f.year], case_row)
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    /// One case by its number.
    pub fn case(&self, number: &str) -> Result<Option<CaseRow>> {
        self.conn
            .query_row(
                &format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.number = ?1"),
                [number],
                case_row,
            )
            .optional()
            .map_err(self.err())
    }

    /// The thread of a case: items, replies and notes by day, then by arrival.
    pub fn thread(&self, case_id: i64) -> Result<Vec<Entry>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT day, pos, kind, ciphertext, exported, id, src FROM (
                    SELECT received AS day, pos, kind, ciphertext, NULL AS exported, id, 0 AS src FROM items WHERE case_id = ?1
                    UNION ALL
                    SELECT day, pos, '', own_copy, exported, id, 1 FROM replies WHERE case_id = ?1
                    UNION ALL
                    SELECT day, pos, '', ciphertext, NULL, '', 2 FROM notes WHERE case_id = ?1)
                 ORDER BY day, pos",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([case_id], |r| {
                let day: String = r.get(0)?;
                let kind: String = r.get(2)?;
                let ciphertext: Vec<u8> = r.get(3)?;
                let src: i64 = r.get(6)?;
                Ok(match src {
                    1 => Entry::Reply {
                        day,
                        own_copy: ciphertext,
                        exported: r.get(4)?,
                    },
                    2 => Entry::Note { day, ciphertext },
                    _ => Entry::Item {
                        id: r.get(5)?,
                        kind: Code::parse(&kind),
                        day,
                        ciphertext,
                    },
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    /// A case's attachments in the order of their parents, then of the parents' lists.
    pub fn attachments(&self, case_id: i64) -> Result<Vec<StoredAttachment>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.id, a.parent, a.idx, a.ciphertext FROM attachments a JOIN items i ON i.id = a.parent
                 WHERE a.case_id = ?1 ORDER BY i.pos, a.idx",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([case_id], |r| {
                Ok(StoredAttachment {
                    id: r.get(0)?,
                    parent: r.get(1)?,
                    idx: r.get(2)?,
                    ciphertext: r.get(3)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    pub fn history(&self, case_id: i64) -> Result<Vec<HistoryLine>> {
        let mut stmt = self
            .conn
            .prepare("SELECT day, event, detail FROM history WHERE case_id = ?1 ORDER BY id")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([case_id], |r| {
                Ok(HistoryLine {
                    day: r.get(0)?,
                    event: r.get(1)?,
                    detail: r.get(2)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    /// Stores a reply. The first reply on a case is its ontvangstbevestiging; a reply
    /// marked as feedback records the terugkoppeling.
    pub fn add_reply(&mut self, r: &NewReply) -> Result<()> {
        let path = self.path.clone();
        let err = |e| Error::store(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(
            &format!(
                "INSERT INTO replies (id, case_id, pos, day, ciphertext, signature, own_copy)
                 VALUES (?1, ?2, {NEXT_POS}, ?3, ?4, ?5, ?6)"
            ),
            params![
                r.id,
                r.case_id,
                r.day,
                r.ciphertext,
                &r.signature[..],
                r.own_copy
            ],
        )
        .map_err(err)?;
        log(&tx, r.case_id, &r.day, Event::Reactie, "").map_err(err)?;
        // The ontvangstbevestiging counts as given when the reply leaves the laptop in
        // a replies bundle (`mark_exported`), not when it is written.
        if r.feedback {
            let n = tx
                .execute(
                    "UPDATE cases SET feedback = ?2 WHERE id = ?1 AND feedback IS NULL",
                    params![r.case_id, r.day],
                )
                .map_err(err)?;
            if n > 0 {
                log(&tx, r.case_id, &r.day, Event::Terugkoppeling, &r.day).map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    pub fn add_note(&mut self, case_id: i64, day: &str, ciphertext: &[u8]) -> Result<()> {
        let path = self.path.clone();
        let err = |e| Error::store(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(
            &format!(
                "INSERT INTO notes (case_id, pos, day, ciphertext) VALUES (?1, {NEXT_POS}, ?2, ?3)"
            ),
            params![case_id, day, ciphertext],
        )
        .map_err(err)?;
        log(&tx, case_id, day, Event::Notitie, "").map_err(err)?;
        tx.commit().map_err(err)
    }

    /// Records a plain event (e.g. attachments saved to a folder) in the history.
    pub fn record(&mut self, case_id: i64, day: &str, event: Event, detail: &str) -> Result<()> {
        let path = self.path.clone();
        let err = |e| Error::store(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        log(&tx, case_id, day, event, detail).map_err(err)?;
        tx.commit().map_err(err)
    }

    /// Applies the changes that differ from the case as it is, each with a history
    /// line `field: old -> new`; returns how many fields changed.
    pub fn update(&mut self, case: &CaseRow, c: &Changes, today: &str) -> Result<usize> {
        let path = self.path.clone();
        let err = |e| Error::store(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        // (column, its history event, new value, old value)
        let fields: [(&str, Event, &Option<String>, Option<&str>); 7] = [
            (
                "afdoening",
                Event::Afdoening,
                &c.afdoening,
                Some(case.afdoening.code()),
            ),
            (
                "acknowledged",
                Event::Ontvangstbevestiging,
                &c.acknowledged,
                case.acknowledged.as_deref(),
            ),
            (
                "feedback",
                Event::Terugkoppeling,
                &c.feedback,
                case.feedback.as_deref(),
            ),
            (
                "organisatie",
                Event::Organisatie,
                &c.organisatie,
                Some(case.organisatie.as_str()),
            ),
            (
                "soort",
                Event::Soort,
                &c.soort,
                case.soort.as_ref().map(Code::code),
            ),
            (
                "melder",
                Event::Melder,
                &c.melder,
                case.melder.as_ref().map(Code::code),
            ),
            (
                "over_wie",
                Event::OverWie,
                &c.over_wie,
                case.over_wie.as_ref().map(Code::code),
            ),
        ];
        let mut changed = 0;
        for (column, event, new, old) in fields {
            let Some(new) = new else { continue };
            if Some(new.as_str()) == old {
                continue;
            }
            tx.execute(
                &format!("UPDATE cases SET {column} = ?2 WHERE id = ?1"),
                params![case.id, new],
            )
            .map_err(err)?;
            log(
                &tx,
                case.id,
                today,
                event,
                &format!("{} -> {new}", old.unwrap_or("-")),
            )
            .map_err(err)?;
            if column == "afdoening" {
                let closes = Afdoening::from_code(new).is_none_or(Afdoening::closes);
                let closed = closes.then_some(today);
                tx.execute(
                    "UPDATE cases SET closed = ?2 WHERE id = ?1",
                    params![case.id, closed],
                )
                .map_err(err)?;
            }
            changed += 1;
        }
        tx.commit().map_err(err)?;
        Ok(changed)
    }

    /// Replies not yet exported (or all of them), oldest first.
    pub fn outgoing(&self, all: bool) -> Result<Vec<OutgoingReply>> {
        let filter = if all { "" } else { "WHERE r.exported IS NULL" };
        let sql = format!(
            "SELECT r.id, r.case_id, c.lookup_hash, r.ciphertext, r.signature FROM replies r JOIN cases c ON c.id = r.case_id
             {filter} ORDER BY r.pos"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(OutgoingReply {
                    id: r.get(0)?,
                    case_id: r.get(1)?,
                    lookup_hash: r.get(2)?,
                    ciphertext: r.get(3)?,
                    signature: r.get(4)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    pub fn mark_exported(&mut self, replies: &[(String, i64)], day: &str) -> Result<()> {
        let path = self.path.clone();
        let err = |e| Error::store(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        for (id, case_id) in replies {
            tx.execute(
                "UPDATE replies SET exported = ?2 WHERE id = ?1",
                params![id, day],
            )
            .map_err(err)?;
            log(&tx, *case_id, day, Event::ReactieGeexporteerd, "").map_err(err)?;
            // The first reply to leave the laptop is the ontvangstbevestiging.
            let acked = tx
                .execute(
                    "UPDATE cases SET acknowledged = ?2 WHERE id = ?1 AND acknowledged IS NULL",
                    params![case_id, day],
                )
                .map_err(err)?;
            if acked > 0 {
                log(&tx, *case_id, day, Event::Ontvangstbevestiging, day).map_err(err)?;
            }
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

    /// Of these item ids (meldingen, vervolgen, attachments), the ones the store holds
    /// with exactly this content hash.
    pub fn holds(&self, id: &str, ciphertext: &[u8]) -> Result<Option<Held>> {
        let stored: Option<(Vec<u8>, bool)> = self
            .conn
            .query_row(
                "SELECT ciphertext, 0 FROM items WHERE id = ?1
                 UNION ALL SELECT ciphertext, 0 FROM attachments WHERE id = ?1
                 UNION ALL SELECT ciphertext, 1 FROM set_aside WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())?;
        Ok(match stored {
            Some((ct, aside)) if ct == ciphertext => Some(if aside {
                Held::SetAside
            } else {
                Held::Imported
            }),
            _ => None,
        })
    }

    /// Every own copy, note and registration text (sealed to the store's recipients),
    /// so a key rotation or a new recovery recipient can reseal them.
    pub fn private_blobs(&self) -> Result<Vec<(&'static str, String, Vec<u8>)>> {
        let mut out = Vec::new();
        for (table, key, col, filter) in [
            ("replies", "id", "own_copy", ""),
            ("notes", "CAST(id AS TEXT)", "ciphertext", ""),
            ("items", "id", "ciphertext", "WHERE kind = 'registratie'"),
        ] {
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT {key}, {col} FROM {table} {filter}"))
                .map_err(self.err())?;
            let rows = stmt
                .query_map([], |r| Ok((table, r.get(0)?, r.get(1)?)))
                .map_err(self.err())?;
            for row in rows {
                out.push(row.map_err(self.err())?);
            }
        }
        Ok(out)
    }

    /// Replaces sealed blobs found by [`Store::private_blobs`], all in one transaction.
    pub fn replace_private_blobs(
        &mut self,
        blobs: &[(&'static str, String, Vec<u8>)],
    ) -> Result<()> {
        let path = self.path.clone();
        let err = |e| Error::store(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        for (table, key, data) in blobs {
            let sql = match *table {
                "replies" => "UPDATE replies SET own_copy = ?2 WHERE id = ?1",
                "notes" => "UPDATE notes SET ciphertext = ?2 WHERE CAST(id AS TEXT) = ?1",
                _ => "UPDATE items SET ciphertext = ?2 WHERE id = ?1 AND kind = 'registratie'",
            };
            tx.execute(sql, params![key, data]).map_err(err)?;
        }
        tx.commit().map_err(err)
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
#[allow(clippy::too_many_arguments)]
fn create_case(
    tx: &Transaction,
    lookup_hash: Option<&str>,
    kanaal: &str,
    organisatie: &str,
    soort: Option<&str>,
    melder: Option<&str>,
    over_wie: Option<&str>,
    received: &str,
) -> rusqlite::Result<(i64, String)> {
    let year: i64 = received[..4].parse().unwrap_or(0);
    let seq: i64 = tx.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM cases WHERE year = ?1",
        [year],
        |r| r.get(0),
    )?;
    let number = format!("{year:04}-{seq:04}");
    tx.execute(
        "INSERT INTO cases (number, year, seq, lookup_hash, kanaal, organisatie, soort, melder, over_wie, received)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![number, year, seq, lookup_hash, kanaal, organisatie, soort, melder, over_wie, received],
    )?;
    Ok((tx.last_insert_rowid(), number))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store as the walking skeleton left it on disk (its schema is version 1).
    const SCHEMA_V1_DATA: &str = "
INSERT INTO cases VALUES (1, '2026-0001', 2026, 1, 'aa', 'leiden', 'pesten', NULL, NULL, '2026-03-01');
INSERT INTO items VALUES ('i1', 1, 1, 'melding', '2026-03-01', '2026-03-02', x'00');
INSERT INTO replies VALUES ('r1', 1, 2, '2026-03-04', x'01', x'02', x'03', NULL);
PRAGMA user_version = 1;
";

    /// Finding the next position reads an index per table, not every row (an import
    /// writes thousands of rows and asks for it before each).
    #[test]
    fn the_next_position_is_found_through_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("cases.db")).unwrap();
        let mut stmt = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN SELECT {NEXT_POS}"))
            .unwrap();
        let plan: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for table in ["items", "replies", "notes"] {
            let index = format!("SEARCH {table} USING COVERING INDEX {table}_pos");
            assert!(
                plan.iter().any(|step| step.starts_with(&index)),
                "{table}: {plan:?}"
            );
        }
        for table in ["items", "replies", "notes"] {
            let scan = format!("SCAN {table}");
            assert!(!plan.iter().any(|step| step.starts_with(&scan)), "{plan:?}");
        }
    }

    #[test]
    fn a_version_1_store_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cases.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch(&format!("{}{SCHEMA_V1_DATA}", crate::schema::MIGRATIONS[0]))
            .unwrap();
        let store = Store::open(&path).unwrap();
        let c = store.case("2026-0001").unwrap().unwrap();
        assert_eq!(c.lookup_hash.as_deref(), Some("aa"));
        assert_eq!(c.afdoening, Code::Known(Afdoening::InBehandeling));
        assert_eq!(c.acknowledged.as_deref(), Some("2026-03-04"));
        assert_eq!((c.messages, c.replies), (1, 1));
        assert_eq!(store.history(c.id).unwrap()[0].event, "aangemaakt");
        let check: String = store
            .conn
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()
            .unwrap()
            .unwrap_or_default();
        assert_eq!(check, "");
        drop(store);
        // Opening again changes nothing.
        let store = Store::open(&path).unwrap();
        assert_eq!(store.cases(&Filter::default()).unwrap().len(), 1);
    }

    #[test]
    fn a_version_2_store_gets_the_set_aside_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cases.db");
        drop(Store::open(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "DROP TABLE set_aside; DROP INDEX items_pos; DROP INDEX replies_pos;
                 DROP INDEX notes_pos; PRAGMA user_version = 2;",
            )
            .unwrap();
        let mut store = Store::open(&path).unwrap();
        let aside = NewSetAside {
            id: "0123456789abcdef0123456789abcdef".into(),
            kind: ItemKind::Melding,
            parent: None,
            lookup_hash: "ab".repeat(32),
            organisatie: "leiden".into(),
            received: "2026-11-20".into(),
            reason: "not-ours",
            ciphertext: b"age".to_vec(),
        };
        let done = store
            .import(&[], &[], std::slice::from_ref(&aside), "2026-11-21")
            .unwrap();
        assert_eq!((done.new_set_aside.len(), done.skipped), (1, 0));
        let again = store
            .import(&[], &[], std::slice::from_ref(&aside), "2026-11-22")
            .unwrap();
        assert_eq!((again.new_set_aside.len(), again.skipped), (0, 1));
        assert_eq!(
            store.holds(&aside.id, b"age").unwrap(),
            Some(Held::SetAside)
        );
        assert_eq!(store.holds(&aside.id, b"other").unwrap(), None);
        let row: (String, String) = store
            .conn
            .query_row("SELECT reason, set_aside FROM set_aside", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(row, ("not-ours".into(), "2026-11-21".into()));
        let other = NewSetAside {
            ciphertext: b"different".to_vec(),
            ..aside
        };
        assert!(matches!(
            store.import(&[], &[], &[other], "2026-11-22"),
            Err(Error::ItemConflict(_))
        ));
    }
}
