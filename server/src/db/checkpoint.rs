//! The checkpoint thread: copies committed pages from the WAL into the database
//! file in the background, so the writer does not stop for it.

use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;

/// Shortest pause between two background checkpoints: often enough that the
/// writer's own checkpoint finds little left to copy, seldom enough that the
/// checkpoint thread (which fsyncs the WAL on each pass) does not take the
/// writer's core.
const CHECKPOINT_PAUSE: Duration = Duration::from_millis(50);

/// Copies committed pages from the WAL into the database file whenever the writer
/// has committed since the last time, at most once per [`CHECKPOINT_PAUSE`].
/// PASSIVE never blocks the writer or readers; it copies what it can.
pub(super) fn checkpoint_loop(conn: &Connection, nudges: &mpsc::Receiver<()>) {
    while nudges.recv().is_ok() {
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            // The writer's own checkpoint still bounds the WAL.
            tracing::warn!("background checkpoint failed: {e}");
        }
        std::thread::sleep(CHECKPOINT_PAUSE);
    }
}
