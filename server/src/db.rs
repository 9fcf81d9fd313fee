//! The SQLite store: sealed items, cases (by lookup hash only) and signed replies.
//!
//! The server holds ciphertext, a hash of each case's lookup key, an organisation
//! slug and days, nothing else: no addresses, no times of day, no tokens.
//!
//! Two paths, neither of which ever runs on the async runtime:
//! - **writes** go to one writer thread that owns its own connection and does
//!   *group commit*: it takes every write waiting in its queue, runs each inside a
//!   savepoint of one transaction, commits once (one fsync of the WAL with
//!   `synchronous=FULL`), and only then tells each caller how its write went. So
//!   concurrent submissions share one fsync, and nobody hears "stored" before the
//!   commit is durable. A write that fails rolls back to its savepoint and does not
//!   disturb the others in its group.
//! - **reads** run on tokio's blocking pool on a second connection ([`Db::call`]);
//!   WAL lets them overlap with the writer.
//! - **checkpoints** (copying committed pages from the WAL into the database file)
//!   run on a third thread with its own connection, nudged after commits, so the
//!   writer does not stop taking submissions while SQLite copies pages.
//!   The writer finishes a checkpoint itself only once the WAL holds
//!   [`WRITER_CHECKPOINT_PAGES`], which lets the WAL start over and stay bounded.
//!   SQLite fsyncs the database file only when a checkpoint copies everything, so
//!   that last checkpoint (about 15 ms on the benchmark machine) pays the fsync for
//!   the background thread's pages too: see docs/PERFORMANCE.md. It runs after the
//!   group's callers have their answers, not inside the `COMMIT` as SQLite's own
//!   auto-checkpoint would: the commit is durable before it starts, so neither its
//!   time nor an error of its own may hold back or fail the group.

use std::cell::Cell;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use axum::body::Bytes;
use rusqlite::{Connection, MAIN_DB, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

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

/// Ciphertexts up to this size are bound to the insert directly; larger ones are
/// written into the row piece by piece.
const INLINE_BLOB: usize = 1 << 20;

/// Most writes committed together in one group.
const MAX_GROUP: usize = 512;

/// WAL pages at which the writer finishes a checkpoint itself, between groups
/// (SQLite's auto-checkpoint would run it inside the commit, at 1000 pages by
/// default). By then the checkpoint thread has copied most of them, so the
/// copying is short (its database fsync is not; see the module docs); afterwards
/// the next write starts the WAL over, which keeps it near 16 MiB at most.
pub const WRITER_CHECKPOINT_PAGES: u32 = 4000;

thread_local! {
    /// Frames in the WAL after the writer's latest commit, as SQLite reports them.
    static WAL_FRAMES: Cell<u32> = const { Cell::new(0) };
}

/// The writer connection's WAL hook: SQLite calls it on the writer thread after
/// each commit.
fn note_wal_frames(_: &rusqlite::hooks::Wal, frames: std::ffi::c_int) -> rusqlite::Result<()> {
    WAL_FRAMES.set(u32::try_from(frames).unwrap_or(0));
    Ok(())
}

/// Shortest pause between two background checkpoints: often enough that the
/// writer's own checkpoint finds little left to copy, seldom enough that the
/// checkpoint thread (which fsyncs the WAL on each pass) does not take the
/// writer's core.
const CHECKPOINT_PAUSE: Duration = Duration::from_millis(50);

/// What went wrong in the store. Never shown to a client (it becomes a 500).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("the database has schema version {0}, newer than this meldpunt-server knows ({known}); upgrade meldpunt-server", known = MIGRATIONS.len())]
    NewerSchema(i64),
    #[error(
        "the database refused WAL journal mode (it kept {0:?}); keep it on a local file system"
    )]
    NoWal(String),
    #[error("a database task failed to complete")]
    TaskFailed,
    #[error("the commit failed: {0}")]
    CommitFailed(String),
}

/// One queued write: runs inside the group's transaction and returns what to do
/// once the commit's outcome is known.
type Job = Box<dyn FnOnce(&Connection) -> Completion + Send>;
type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    read: Arc<Mutex<Connection>>,
    writer: mpsc::Sender<Job>,
    stats: Arc<OpStats>,
}

/// How often the store was used, so a benchmark can show that rejected requests
/// never reached it.
#[derive(Default, Debug)]
pub struct OpStats {
    pub reads: AtomicU64,
    pub writes: AtomicU64,
    pub commits: AtomicU64,
}

/// Opens a connection with the settings every connection uses.
pub fn connect(path: &Path) -> Result<Connection, DbError> {
    let conn = Connection::open(path)?;
    // WAL lets readers and the writer overlap; FULL makes a commit durable before
    // we answer 201, as the design promises.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(DbError::NoWal(mode));
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

impl Db {
    /// Opens (creating if needed) the database file, brings its schema up to date
    /// and starts the writer and checkpoint threads.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let mut wconn = connect(path)?;
        migrate(&mut wconn)?;
        // Replaces SQLite's auto-checkpoint, which would run inside each COMMIT.
        wconn.wal_hook(Some(note_wal_frames));
        let read = connect(path)?;
        let checkpoint = connect(path)?;
        let stats = Arc::new(OpStats::default());
        let (tx, rx) = mpsc::channel::<Job>();
        // Holds at most one nudge: commits while a checkpoint runs or pauses add
        // up to one more checkpoint, not one each.
        let (nudge, nudges) = mpsc::sync_channel::<()>(1);
        std::thread::Builder::new()
            .name("meldpunt-db-checkpoint".into())
            .spawn(move || checkpoint_loop(&checkpoint, &nudges))?;
        let wstats = Arc::clone(&stats);
        std::thread::Builder::new()
            .name("meldpunt-db-writer".into())
            .spawn(move || writer_loop(wconn, rx, &nudge, &wstats))?;
        Ok(Db {
            read: Arc::new(Mutex::new(read)),
            writer: tx,
            stats,
        })
    }

    /// Runs `f` with the read connection on the blocking thread pool.
    pub async fn call<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.stats.reads.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::clone(&self.read);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard)
        })
        .await
        .map_err(|_| E::from(DbError::TaskFailed))?
    }

    /// Runs `f` in the writer's next group and returns its result once the group
    /// is durably committed. If `f` fails, its own changes are rolled back and the
    /// rest of the group commits without them.
    pub async fn write<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&Connection) -> Result<T, DbError> + Send + 'static,
        T: Send + 'static,
    {
        self.stats.writes.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = tokio::sync::oneshot::channel::<Result<T, DbError>>();
        let job: Job = Box::new(move |conn: &Connection| {
            let result = in_savepoint(conn, f);
            Box::new(move |commit: Result<(), String>| {
                let out = match (result, commit) {
                    (Ok(v), Ok(())) => Ok(v),
                    (Err(e), _) => Err(e),
                    (Ok(_), Err(e)) => Err(DbError::CommitFailed(e)),
                };
                // The caller may have given up (timeout); the write stands anyway.
                let _ = tx.send(out);
            })
        });
        self.writer
            .send(job)
            .map_err(|_| DbError::CommitFailed("the writer has stopped".into()))?;
        rx.await
            .map_err(|_| DbError::CommitFailed("the writer has stopped".into()))?
    }

    /// How often the store was used.
    pub fn stats(&self) -> &OpStats {
        &self.stats
    }
}

fn in_savepoint<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<T, DbError>,
) -> Result<T, DbError> {
    conn.prepare_cached("SAVEPOINT job")?.execute([])?;
    match f(conn) {
        Ok(v) => {
            conn.prepare_cached("RELEASE job")?.execute([])?;
            Ok(v)
        }
        Err(e) => {
            conn.prepare_cached("ROLLBACK TO job")?.execute([])?;
            conn.prepare_cached("RELEASE job")?.execute([])?;
            Err(e)
        }
    }
}

fn writer_loop(
    conn: Connection,
    rx: mpsc::Receiver<Job>,
    nudge: &mpsc::SyncSender<()>,
    stats: &OpStats,
) {
    // Blocks until the first write arrives; ends when every `Db` is dropped.
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let began = conn
            .prepare_cached("BEGIN IMMEDIATE")
            .and_then(|mut s| s.execute([]).map(drop));
        let mut done = Vec::with_capacity(group.len());
        let outcome = match began {
            Ok(()) => {
                for job in group {
                    done.push(job(&conn));
                }
                conn.prepare_cached("COMMIT")
                    .and_then(|mut s| s.execute([]).map(drop))
                    .map_err(|e| {
                        let _ = conn.execute_batch("ROLLBACK");
                        e.to_string()
                    })
            }
            Err(e) => {
                // Nothing ran; dropping the jobs tells each caller its write failed.
                tracing::error!("cannot begin a write transaction: {e}");
                drop(group);
                Err(e.to_string())
            }
        };
        stats.commits.fetch_add(1, Ordering::Relaxed);
        for complete in done {
            complete(outcome.clone());
        }
        if WAL_FRAMES.get() >= WRITER_CHECKPOINT_PAGES {
            // Copies what the checkpoint thread has not, fsyncs the database file,
            // and so lets the next commit start the WAL over. A reader on an old
            // snapshot can keep it from finishing; then the next group tries again.
            if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                tracing::warn!("checkpoint failed: {e}");
            }
        }
        // Full means a checkpoint is already due; that one will copy these pages.
        let _ = nudge.try_send(());
    }
    // Dropping `nudge` here ends the checkpoint thread.
}

/// Copies committed pages from the WAL into the database file whenever the writer
/// has committed since the last time, at most once per [`CHECKPOINT_PAUSE`].
/// PASSIVE never blocks the writer or readers; it copies what it can.
fn checkpoint_loop(conn: &Connection, nudges: &mpsc::Receiver<()>) {
    while nudges.recv().is_ok() {
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            // The writer's own checkpoint still bounds the WAL.
            tracing::warn!("background checkpoint failed: {e}");
        }
        std::thread::sleep(CHECKPOINT_PAUSE);
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

/// Bytes received in pieces, kept as the pieces they arrived in so a large body is
/// never copied while it is read or stored.
#[derive(Default, Clone, Debug)]
pub struct Blob {
    chunks: Vec<Bytes>,
    len: usize,
}

impl Blob {
    pub fn push(&mut self, b: Bytes) {
        self.len += b.len();
        if !b.is_empty() {
            self.chunks.push(b);
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first `n` bytes (or all), contiguous: borrowed when the first piece
    /// holds them (the common case for a small file), else copied.
    pub fn prefix_slice(&self, n: usize) -> std::borrow::Cow<'_, [u8]> {
        let want = n.min(self.len);
        match self.chunks.first() {
            Some(c) if c.len() >= want => std::borrow::Cow::Borrowed(&c[..want]),
            _ => std::borrow::Cow::Owned(self.prefix(n)),
        }
    }

    /// The first `n` bytes (or all), contiguous.
    pub fn prefix(&self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n.min(self.len));
        for c in &self.chunks {
            let take = (n - out.len()).min(c.len());
            out.extend_from_slice(&c[..take]);
            if out.len() == n {
                break;
            }
        }
        out
    }

    pub fn sha256(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        for c in &self.chunks {
            h.update(c);
        }
        h.finalize().into()
    }

    pub fn chunks(&self) -> &[Bytes] {
        &self.chunks
    }

    /// One contiguous copy (for small items and tests).
    pub fn to_vec(&self) -> Vec<u8> {
        self.prefix(self.len)
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Blob {
        let mut b = Blob::default();
        b.push(Bytes::from(v));
        b
    }
}

/// Kind of an inbox item: melding, vervolg or bijlage (the envelope's one list).
pub use meldpunt_envelope::domain::ItemKind;

/// A signed reply as stored.
pub struct Reply {
    pub id: String,
    pub lookup_hash: [u8; 32],
    pub day: String,
    pub ciphertext: Vec<u8>,
    pub signature: [u8; 64],
}

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

/// Deletes replies received before `cutoff_day` (`YYYY-MM-DD`); returns how many.
pub fn purge_replies(conn: &Connection, cutoff_day: &str) -> Result<usize, DbError> {
    Ok(conn.execute("DELETE FROM replies WHERE day < ?1", [cutoff_day])?)
}

/// The day `days` days before today, for retention.
pub fn days_ago(days: u32) -> String {
    meldpunt_envelope::Day::today()
        .add_days(-i64::from(days))
        .to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn submission(hash: u8, id: &str, kind: ItemKind) -> Submission {
        Submission {
            kind,
            id: id.into(),
            organisation: "leiden".into(),
            lookup_hash: [hash; 32],
            received_day: "2026-11-22".into(),
            ciphertext: Blob::from(vec![1, 2, 3]),
            bijlagen: Vec::new(),
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

    /// A database at schema `version`, as an older server left it, with one case
    /// (lookup hash all 7s) and whatever `rows` adds; then opened by this one.
    fn opened_from_version(dir: &Path, version: usize, rows: &str) -> Db {
        let path = dir.join("m.db");
        let mut conn = connect(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for sql in &MIGRATIONS[..version] {
            tx.execute_batch(sql).unwrap();
        }
        tx.pragma_update(None, "user_version", version as i64)
            .unwrap();
        tx.execute(
            "INSERT INTO cases VALUES (?1, 'leiden', '2026-01-01')",
            [&[7u8; 32][..]],
        )
        .unwrap();
        tx.execute_batch(rows).unwrap();
        tx.commit().unwrap();
        drop(conn);
        Db::open(&path).unwrap()
    }

    #[test]
    fn migration_2_keeps_version_1_items() {
        let dir = tempfile::tempdir().unwrap();
        let db = opened_from_version(
            dir.path(),
            1,
            "INSERT INTO items SELECT 'a', 'melding', 'leiden', lookup_hash, '2026-01-01', x'0102' FROM cases",
        );
        let items = all_items(&db.read.lock().unwrap());
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].1, vec![1, 2]);
        assert_eq!(items[0].0.parent, None);
    }

    #[test]
    fn migration_3_drops_the_unused_index_and_keeps_the_foreign_key() {
        let dir = tempfile::tempdir().unwrap();
        let db = opened_from_version(dir.path(), 2, "");
        let conn = db.read.lock().unwrap();
        let index: Option<String> = conn
            .query_row(
                "SELECT name FROM sqlite_schema WHERE name = 'items_by_case'",
                [],
                |r| r.get(0),
            )
            .optional()
            .unwrap();
        assert_eq!(index, None);
        // An item still needs its case, and the case still takes its items.
        let orphan = conn.execute(
            "INSERT INTO items (id, kind, organisation, lookup_hash, received_day, ciphertext)
             VALUES ('b', 'melding', 'leiden', ?1, '2026-01-01', x'01')",
            [&[8u8; 32][..]],
        );
        assert!(orphan.is_err(), "{orphan:?}");
        conn.execute(
            "INSERT INTO items (id, kind, organisation, lookup_hash, received_day, ciphertext)
             VALUES ('a', 'melding', 'leiden', ?1, '2026-01-01', x'01')",
            [&[7u8; 32][..]],
        )
        .unwrap();
    }

    #[test]
    fn migration_4_keeps_older_cases_as_ordinary_cases_without_a_recorded_melding() {
        let dir = tempfile::tempdir().unwrap();
        let db = opened_from_version(
            dir.path(),
            3,
            "INSERT INTO items SELECT 'a', 'melding', 'leiden', lookup_hash, '2026-01-01', NULL, x'0102' FROM cases",
        );
        let conn = db.read.lock().unwrap();
        let case = case_info(&conn, &[7u8; 32]).unwrap().unwrap();
        assert_eq!(
            case,
            CaseInfo {
                organisation: "leiden".into(),
                bestuurder: false,
                opened_day: "2026-01-01".into(),
                melding: None,
            }
        );
        // A melding sent again for it cannot be recognised: refused as before.
        let again = submission(7, "b", ItemKind::Melding);
        let intake = Intake {
            sha256: Some([1; 32]),
            bestuurder: false,
        };
        assert_eq!(
            insert_submission_once(&conn, &again, &intake).unwrap(),
            Stored::CaseExists
        );
        assert_eq!(all_items(&conn).len(), 1);
    }

    /// Every exported item with its bytes, read the way the export reads them.
    fn all_items(conn: &Connection) -> Vec<(ItemMeta, Vec<u8>)> {
        item_metas(conn)
            .unwrap()
            .into_iter()
            .map(|m| {
                let mut bytes = Vec::new();
                let mut blob = conn
                    .blob_open(MAIN_DB, c"items", c"ciphertext", m.rowid, true)
                    .unwrap();
                std::io::Read::read_to_end(&mut blob, &mut bytes).unwrap();
                (m, bytes)
            })
            .collect()
    }

    #[tokio::test]
    async fn one_case_per_lookup_hash_and_follow_ups_need_a_case() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("m.db")).unwrap();
        let w = |s: Submission| {
            let db = db.clone();
            async move { db.write(move |c| insert_submission(c, &s)).await.unwrap() }
        };
        assert_eq!(
            w(submission(1, "a", ItemKind::Melding)).await,
            Stored::Stored {
                organisation: "leiden".into()
            }
        );
        assert_eq!(
            w(submission(1, "b", ItemKind::Melding)).await,
            Stored::CaseExists
        );
        assert_eq!(
            w(submission(2, "c", ItemKind::Vervolg)).await,
            Stored::NoCase
        );
        let mut v = submission(1, "d", ItemKind::Vervolg);
        v.organisation = "ignored".into();
        v.bijlagen = vec![("e".into(), Blob::from(vec![9; 100_000]))];
        assert_eq!(
            w(v).await,
            Stored::Stored {
                organisation: "leiden".into()
            }
        );
        let mut conn = db.read.lock().unwrap();
        assert_eq!(
            counts(&mut conn).unwrap(),
            Counts {
                cases: 1,
                items: 3,
                replies: 0
            }
        );
        let items = all_items(&conn);
        assert_eq!(items[2].0.parent.as_deref(), Some("d"));
        assert_eq!(items[2].0.organisation, "leiden");
        assert_eq!(items[2].1, vec![9; 100_000]);
        assert_eq!(replies_for(&mut conn, &[1; 32]).unwrap().unwrap().len(), 0);
        assert!(replies_for(&mut conn, &[2; 32]).unwrap().is_none());
    }

    #[tokio::test]
    async fn concurrent_writes_share_commits_and_a_failing_one_rolls_back_alone() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("m.db")).unwrap();
        let mut tasks = Vec::new();
        for i in 0..200u8 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let s = submission(i, &format!("id{i}"), ItemKind::Melding);
                db.write(move |c| {
                    insert_submission(c, &s)?;
                    if i % 10 == 0 {
                        // A write that fails after it wrote something.
                        c.execute("INSERT INTO nonexistent VALUES (1)", [])?;
                    }
                    Ok(())
                })
                .await
            }));
        }
        let mut failed = 0;
        for t in tasks {
            if t.await.unwrap().is_err() {
                failed += 1;
            }
        }
        assert_eq!(failed, 20);
        let c = counts(&mut db.read.lock().unwrap()).unwrap();
        assert_eq!((c.cases, c.items), (180, 180));
        let commits = db.stats().commits.load(Ordering::Relaxed);
        assert!(commits < 200, "{commits} commits for 200 writes");
    }

    /// A melding of 16 KiB, the size the intake benchmark sends, on case `n`.
    fn sixteen_kib(n: u32) -> Submission {
        let mut lookup_hash = [0u8; 32];
        lookup_hash[..4].copy_from_slice(&n.to_be_bytes());
        Submission {
            lookup_hash,
            ciphertext: Blob::from(vec![0x5a; 16 << 10]),
            ..submission(0, &format!("{n:032x}"), ItemKind::Melding)
        }
    }

    #[tokio::test]
    async fn the_checkpoint_thread_copies_commits_into_the_database_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let db = Db::open(&path).unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        for n in 0..50 {
            db.write(move |c| insert_submission(c, &sixteen_kib(n)))
                .await
                .unwrap();
        }
        // About 250 WAL pages, far below the writer's own threshold: only the
        // checkpoint thread can have copied them into the database file.
        let want = before + 50 * (16 << 10);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let len = std::fs::metadata(&path).unwrap().len();
            if len >= want {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "database file still {len} bytes, want {want}: nothing checkpointed"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_wal_stays_bounded_under_continuous_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let db = Db::open(&path).unwrap();
        // 16 writers, 2,400 items of 16 KiB: some 12,000 WAL pages, three times the
        // writer's threshold, without a pause for the checkpoint thread to catch up.
        let mut tasks = Vec::new();
        for w in 0..16u32 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..150 {
                    let n = w * 1000 + i;
                    db.write(move |c| insert_submission(c, &sixteen_kib(n)))
                        .await
                        .unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let n: i64 = db
            .call(|c| {
                c.query_row("SELECT count(*) FROM items", [], |r| r.get(0))
                    .map_err(DbError::from)
            })
            .await
            .unwrap();
        assert_eq!(n, 2400);
        // SQLite overwrites its WAL from the start rather than shrinking it, so its
        // size now is the largest it ever was: the threshold plus the groups that
        // commit before a restart finds no checkpoint in its way (without the
        // threshold it reaches some 12,000 pages).
        let wal = std::fs::metadata(dir.path().join("m.db-wal"))
            .unwrap()
            .len();
        let frame = 4096 + 24;
        let limit = (u64::from(WRITER_CHECKPOINT_PAGES) + 2000) * frame;
        assert!(wal <= limit, "WAL grew to {wal} bytes, limit {limit}");
    }

    #[tokio::test]
    async fn confirmed_items_are_deleted_and_old_replies_purged() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("m.db")).unwrap();
        let s = submission(1, "a", ItemKind::Melding);
        db.write(move |c| insert_submission(c, &s)).await.unwrap();
        let r = |id: &str, day: &str| Reply {
            id: id.into(),
            lookup_hash: [1; 32],
            day: day.into(),
            ciphertext: vec![1],
            signature: [0; 64],
        };
        let replies = vec![r("r1", "2020-01-01"), r("r2", "2026-11-22")];
        db.write(move |c| import_replies(c, &replies))
            .await
            .unwrap();
        let ids = vec!["a".to_string(), "zz".to_string()];
        let ids2 = ids.clone();
        assert_eq!(
            db.write(move |c| delete_items(c, &ids)).await.unwrap(),
            (1, 1)
        );
        assert_eq!(
            db.write(move |c| delete_items(c, &ids2)).await.unwrap(),
            (0, 2)
        );
        assert_eq!(
            db.write(|c| purge_replies(c, "2021-01-01")).await.unwrap(),
            1
        );
        let c = counts(&mut db.read.lock().unwrap()).unwrap();
        assert_eq!(
            c,
            Counts {
                cases: 1,
                items: 0,
                replies: 1
            }
        );
    }

    #[test]
    fn foreign_keys_are_enforced() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("m.db")).unwrap();
        let conn = db.read.lock().unwrap();
        let r = conn.execute(
            "INSERT INTO replies (id, lookup_hash, day, ciphertext, signature) VALUES ('x', ?1, 'd', x'00', ?2)",
            params![&[9u8; 32][..], &[0u8; 64][..]],
        );
        assert!(r.is_err());
    }
}
