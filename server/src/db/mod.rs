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
//!
//! By concern:
//! - `writer`: the writer thread and its group commit;
//! - `checkpoint`: the checkpoint thread;
//! - `migrations`: the schema, one array of migrations;
//! - queries per table: `cases`, `items` (also the laptop's confirmations, which
//!   delete items), `replies`;
//! - `retention`: purging old replies;
//! - `stats`: figures for the operator and the online backup.
//!
//! Every public name is re-exported here, so callers keep writing `db::insert_submission`.

mod cases;
mod checkpoint;
mod items;
mod migrations;
mod replies;
mod retention;
mod stats;
#[cfg(test)]
mod tests;
mod writer;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use rusqlite::Connection;

/// The streamed body lives with the intake; re-exported for the modules that store it.
pub use crate::intake::Blob;
pub use cases::{CaseInfo, case_info, case_organisation};
pub use items::{
    EXPORT_PIECE, Intake, ItemKind, ItemMeta, Stored, Submission, delete_items, insert_submission,
    insert_submission_once, item_metas,
};
pub use replies::{ImportOutcome, Reply, import_replies, replies_for};
pub use retention::{days_ago, purge_replies};
pub use stats::{Counts, Stats, backup, counts, stats};
pub use writer::WRITER_CHECKPOINT_PAGES;

use checkpoint::checkpoint_loop;
use migrations::{MIGRATIONS, migrate};
use writer::{Job, in_savepoint, note_wal_frames, writer_loop};

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
