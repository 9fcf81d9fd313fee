//! Days as the store keeps them (`YYYY-MM-DD` text) and the legal deadlines, on top of
//! the envelope's calendar (`meldpunt_envelope::calendar`), which does all the
//! arithmetic. What stays here is the CLI's business: `MELDPUNT_TODAY`.

use meldpunt_envelope::Day;
use meldpunt_envelope::calendar;

/// For tests only: the day the tool takes as today, so deadlines are reproducible.
pub const ENV_TODAY: &str = "MELDPUNT_TODAY";

/// Today in Europe/Amsterdam, or `MELDPUNT_TODAY` when a test sets it to a valid day.
pub fn today() -> String {
    match std::env::var(ENV_TODAY) {
        Ok(d) if calendar::is_valid_day(&d) => d,
        _ => Day::today().to_string(),
    }
}

/// A stored day; the store only holds valid ones (1970-01-01 if one is not).
fn day(s: &str) -> Day {
    Day::parse(s).unwrap_or(Day::MIN)
}

/// When the ontvangstbevestiging is due.
pub fn ack_due(received: &str) -> String {
    calendar::ack_due(day(received)).to_string()
}

/// When the terugkoppeling is due: 3 months after the acknowledgement, or, while there
/// is none, 3 months after the day it was due.
pub fn feedback_due(received: &str, acknowledged: Option<&str>) -> String {
    calendar::feedback_due(day(received), acknowledged.map(day)).to_string()
}

/// Where a case stands with one deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deadline {
    /// Done on `day`, on time or not.
    Met { day: String, on_time: bool },
    /// Not done, due on `due`, `left` days from today (negative: overdue).
    Open { due: String, left: i64 },
}

impl Deadline {
    pub fn of(done: Option<&str>, due: &str, today: &str) -> Deadline {
        match calendar::Deadline::of(done.map(day), day(due), day(today)) {
            calendar::Deadline::Met { day, on_time } => Deadline::Met {
                day: day.to_string(),
                on_time,
            },
            calendar::Deadline::Open { due, left } => Deadline::Open {
                due: due.to_string(),
                left,
            },
        }
    }

    pub fn overdue_days(&self) -> Option<i64> {
        match self {
            Deadline::Open { left, .. } if *left < 0 => Some(-left),
            _ => None,
        }
    }
}
