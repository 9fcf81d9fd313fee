//! Calendar days in UTC. Days are the finest time unit Meldpunt keeps, so a clock and
//! a date library are more than this needs.

use std::time::{SystemTime, UNIX_EPOCH};

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    from_unix_days((secs / 86_400) as i64)
}

/// The civil date of a day number counted from 1970-01-01 (Howard Hinnant's algorithm).
pub fn from_unix_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(from_unix_days(0), "1970-01-01");
        assert_eq!(from_unix_days(59), "1970-03-01");
        assert_eq!(from_unix_days(11_016), "2000-02-29");
        assert_eq!(from_unix_days(20_779), "2026-11-22");
        assert!(meldpunt_envelope::domain::is_valid_day(&today()));
    }
}
