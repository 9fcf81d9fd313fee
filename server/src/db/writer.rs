//! The writer thread: every write of the store runs here, in groups that share one
//! transaction and one commit (group commit; see the module docs of `db`).

use std::cell::Cell;
use std::sync::atomic::Ordering;
use std::sync::mpsc;

use rusqlite::Connection;

use super::{DbError, OpStats};

/// Most writes committed together in one group.
const MAX_GROUP: usize = 512;

/// WAL pages at which the writer finishes a checkpoint itself, between groups
/// (SQLite's auto-checkpoint would run it inside the commit, at 1000 pages by
/// default). By then the checkpoint thread has copied most of them, so the
/// copying is short (its database fsync is not; see the module docs of `db`); afterwards
/// the next write starts the WAL over, which keeps it near 16 MiB at most.
pub const WRITER_CHECKPOINT_PAGES: u32 = 4000;

thread_local! {
    /// Frames in the WAL after the writer's latest commit, as SQLite reports them.
    static WAL_FRAMES: Cell<u32> = const { Cell::new(0) };
}

/// The writer connection's WAL hook: SQLite calls it on the writer thread after
/// each commit.
pub(super) fn note_wal_frames(
    _: &rusqlite::hooks::Wal,
    frames: std::ffi::c_int,
) -> rusqlite::Result<()> {
    WAL_FRAMES.set(u32::try_from(frames).unwrap_or(0));
    Ok(())
}

/// One queued write: runs inside the group's transaction and returns what to do
/// once the commit's outcome is known.
pub(super) type Job = Box<dyn FnOnce(&Connection) -> Completion + Send>;
pub(super) type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;

pub(super) fn in_savepoint<T>(
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

pub(super) fn writer_loop(
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
