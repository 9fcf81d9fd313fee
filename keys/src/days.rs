//! Calendar days (`YYYY-MM-DD`, the finest unit Meldpunt keeps) and the legal
//! deadlines: an ontvangstbevestiging within 7 days of receipt, a terugkoppeling within
//! 3 months of that acknowledgement (Wet bescherming klokkenluiders, EU 2019/1937).

use meldpunt_envelope::domain::{day_from_unix_days, is_valid_day};

/// For tests only: the day the tool takes as today, so deadlines are reproducible.
pub const ENV_TODAY: &str = "MELDPUNT_TODAY";

/// Days allowed for the ontvangstbevestiging.
pub const ACK_DAYS: i64 = 7;
/// Months allowed for the terugkoppeling, counted from the acknowledgement.
pub const FEEDBACK_MONTHS: u32 = 3;

/// Today (UTC), or `MELDPUNT_TODAY` when a test sets it to a valid day.
pub fn today() -> String {
    match std::env::var(ENV_TODAY) {
        Ok(d) if is_valid_day(&d) => d,
        _ => meldpunt_envelope::domain::today(),
    }
}

fn parts(day: &str) -> (i64, u32, u32) {
    (
        day[0..4].parse().unwrap_or(1970),
        day[5..7].parse().unwrap_or(1),
        day[8..10].parse().unwrap_or(1),
    )
}

/// Days since 1970-01-01 of a valid day (Howard Hinnant's `days_from_civil`).
pub fn to_unix_days(day: &str) -> i64 {
    let (y, m, d) = parts(day);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn add_days(day: &str, n: i64) -> String {
    day_from_unix_days(to_unix_days(day) + n)
}

/// The same day `n` months later; the last day of the month where that day does not
/// exist (30 November + 3 months = 28 or 29 February).
pub fn add_months(day: &str, n: u32) -> String {
    let (y, m, d) = parts(day);
    let total = (m - 1) + n;
    let (y, m) = (y + i64::from(total / 12), total % 12 + 1);
    let mut d = d;
    while !is_valid_day(&format!("{y:04}-{m:02}-{d:02}")) {
        d -= 1;
    }
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days from `a` to `b` (positive when `b` is later).
pub fn between(a: &str, b: &str) -> i64 {
    to_unix_days(b) - to_unix_days(a)
}

/// When the ontvangstbevestiging is due.
pub fn ack_due(received: &str) -> String {
    add_days(received, ACK_DAYS)
}

/// When the terugkoppeling is due: 3 months after the acknowledgement, or, while there
/// is none, 3 months after the day it was due.
pub fn feedback_due(received: &str, acknowledged: Option<&str>) -> String {
    let from = acknowledged
        .map(str::to_string)
        .unwrap_or_else(|| ack_due(received));
    add_months(&from, FEEDBACK_MONTHS)
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
        match done {
            Some(d) => Deadline::Met {
                day: d.to_string(),
                on_time: d <= due,
            },
            None => Deadline::Open {
                due: due.to_string(),
                left: between(today, due),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_every_day_of_some_years() {
        for n in to_unix_days("1999-12-25")..to_unix_days("2031-01-05") {
            assert_eq!(to_unix_days(&day_from_unix_days(n)), n);
        }
        assert_eq!(to_unix_days("1970-01-01"), 0);
        assert_eq!(to_unix_days("2026-11-22"), 20_779);
    }

    #[test]
    fn deadlines() {
        assert_eq!(ack_due("2026-12-28"), "2027-01-04");
        assert_eq!(add_months("2026-11-30", 3), "2027-02-28");
        assert_eq!(add_months("2027-11-30", 3), "2028-02-29");
        assert_eq!(add_months("2026-01-31", 1), "2026-02-28");
        assert_eq!(add_months("2026-10-15", 3), "2027-01-15");
        assert_eq!(feedback_due("2026-03-01", Some("2026-03-03")), "2026-06-03");
        assert_eq!(feedback_due("2026-03-01", None), "2026-06-08");
        assert_eq!(
            Deadline::of(None, "2026-03-08", "2026-03-10").overdue_days(),
            Some(2)
        );
        assert_eq!(
            Deadline::of(Some("2026-03-09"), "2026-03-08", "2026-03-10"),
            Deadline::Met {
                day: "2026-03-09".into(),
                on_time: false
            }
        );
        assert_eq!(
            Deadline::of(None, "2026-03-08", "2026-03-01"),
            Deadline::Open {
                due: "2026-03-08".into(),
                left: 7
            }
        );
    }
}
