//! Days: the finest unit of time the server keeps (UTC, `YYYY-MM-DD`).

use std::time::{SystemTime, UNIX_EPOCH};

/// Today's date in UTC.
pub fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    day_from_unix(secs)
}

/// The UTC date of a Unix time, by Howard Hinnant's `civil_from_days`.
pub fn day_from_unix(secs: u64) -> String {
    let z = secs / 86_400 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(day_from_unix(0), "1970-01-01");
        assert_eq!(day_from_unix(86_399), "1970-01-01");
        assert_eq!(day_from_unix(951_782_400), "2000-02-29");
        assert_eq!(day_from_unix(1_700_000_000), "2023-11-14");
        assert_eq!(day_from_unix(1_709_164_800), "2024-02-29");
        assert_eq!(day_from_unix(1_735_689_599), "2024-12-31");
        assert_eq!(day_from_unix(1_735_689_600), "2025-01-01");
        assert!(meldpunt_envelope::domain::is_valid_day(&today()));
    }
}
