//! Retention: replies are kept for a configured number of days, then purged.

use rusqlite::Connection;

use super::DbError;

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
