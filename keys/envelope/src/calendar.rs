//! The one calendar: civil days (`YYYY-MM-DD`, the finest time unit Meldpunt keeps)
//! in Europe/Amsterdam, and the legal deadlines: an ontvangstbevestiging within 7 days
//! of receipt, a terugkoppeling within 3 months of that acknowledgement (Wet
//! bescherming klokkenluiders, EU 2019/1937).
//!
//! Built on `jiff` with its bundled tz database, so a day never depends on the
//! machine's zoneinfo or clock zone: a melding that arrives at 00:30 Dutch time belongs
//! to that Dutch day, summer and winter.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The zone every Meldpunt day is counted in.
pub const ZONE: &str = "Europe/Amsterdam";

/// Days allowed for the ontvangstbevestiging.
pub const ACK_DAYS: i64 = 7;
/// Months allowed for the terugkoppeling, counted from the acknowledgement.
pub const FEEDBACK_MONTHS: u32 = 3;

/// A day that is not `YYYY-MM-DD`, not in the calendar, or outside 1970–9999.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a day written YYYY-MM-DD between 1970-01-01 and 9999-12-31")]
pub struct BadDay(pub String);

/// A civil day in Europe/Amsterdam, written `YYYY-MM-DD`, from 1970-01-01 to
/// 9999-12-31. Ordered by time; serialised as its text.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(Date);

impl Day {
    /// The first day Meldpunt accepts.
    pub const MIN: Day = Day(jiff::civil::date(1970, 1, 1));
    /// The last day Meldpunt accepts; arithmetic stops here rather than fail.
    pub const MAX: Day = Day(jiff::civil::date(9999, 12, 31));

    /// The day with this year, month and day, if it is in the calendar and the range.
    pub fn new(year: i16, month: i8, day: i8) -> Option<Day> {
        // Checked here rather than by `Date::new`, whose error type would be the
        // biggest part of the calendar in the WASM module.
        if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) || day < 1 {
            return None;
        }
        let first = jiff::civil::date(year, month, 1);
        (day <= first.days_in_month()).then(|| Day(jiff::civil::date(year, month, day)))
    }

    /// Parses exactly `YYYY-MM-DD` (no sign, no time, no other separators).
    pub fn parse(s: &str) -> Result<Day, BadDay> {
        let bad = || BadDay(s.chars().take(40).collect());
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        if !(digits(0..4) && digits(5..7) && digits(8..10)) {
            return Err(bad());
        }
        let n = |r: std::ops::Range<usize>| s[r].parse::<i16>().map_err(|_| bad());
        let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
        Day::new(y, m as i8, d as i8).ok_or_else(bad)
    }

    /// The Dutch day of an instant, given as seconds since 1970-01-01T00:00:00Z.
    pub fn from_timestamp(unix_seconds: i64) -> Day {
        match Timestamp::from_second(unix_seconds) {
            Ok(ts) => Day(ts.to_zoned_datetime(amsterdam().clone()).date()).clamped(),
            Err(_) if unix_seconds < 0 => Day::MIN,
            Err(_) => Day::MAX,
        }
    }

    /// Today in Europe/Amsterdam. Not in the WASM build: the browser never dates
    /// anything (the server records the day it received a melding).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn today() -> Day {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Day::from_timestamp(secs)
    }

    /// The day with this number, counted from 1970-01-01 (day 0).
    pub fn from_unix_day(n: i64) -> Day {
        Day::MIN.add_days(n)
    }

    /// This day's number counted from 1970-01-01 (day 0).
    pub fn unix_day(self) -> i64 {
        Day::MIN.days_until(self)
    }

    /// `n` days later (earlier when negative); stops at the ends of the range.
    pub fn add_days(self, n: i64) -> Day {
        // The whole range is under 3 million days.
        let n = n.clamp(-4_000_000, 4_000_000);
        match self.0.checked_add(Span::new().days(n)) {
            Ok(d) => Day(d).clamped(),
            Err(_) if n < 0 => Day::MIN,
            Err(_) => Day::MAX,
        }
    }

    /// The same day `n` months later, or the last day of that month when the day does
    /// not exist there (30 November + 3 months = 28 or 29 February); stops at the end
    /// of the range.
    pub fn add_months(self, n: u32) -> Day {
        match self
            .0
            .checked_add(Span::new().months(i64::from(n.min(200_000))))
        {
            Ok(d) => Day(d).clamped(),
            Err(_) => Day::MAX,
        }
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Day) -> i64 {
        i64::from((later.0 - self.0).get_days())
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }

    pub fn month(self) -> i8 {
        self.0.month()
    }

    pub fn day(self) -> i8 {
        self.0.day()
    }

    fn clamped(self) -> Day {
        self.clamp(Day::MIN, Day::MAX)
    }
}

fn amsterdam() -> &'static TimeZone {
    static TZ: OnceLock<TimeZone> = OnceLock::new();
    // The database is compiled in (`tzdb-bundle-always`), so the look-up cannot
    // miss; a test checks it does not. UTC would be the last resort.
    TZ.get_or_init(|| TimeZone::get(ZONE).unwrap_or(TimeZone::UTC))
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl fmt::Debug for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Day({self})")
    }
}

impl FromStr for Day {
    type Err = BadDay;

    fn from_str(s: &str) -> Result<Day, BadDay> {
        Day::parse(s)
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Day::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// When the ontvangstbevestiging is due: [`ACK_DAYS`] after receipt.
pub fn ack_due(received: Day) -> Day {
    received.add_days(ACK_DAYS)
}

/// When the terugkoppeling is due: [`FEEDBACK_MONTHS`] after the acknowledgement, or,
/// while there is none, after the day it was due.
pub fn feedback_due(received: Day, acknowledged: Option<Day>) -> Day {
    acknowledged
        .unwrap_or_else(|| ack_due(received))
        .add_months(FEEDBACK_MONTHS)
}

/// Where a case stands with one deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Done on `day`, on time or not.
    Met { day: Day, on_time: bool },
    /// Not done, due on `due`, `left` days from today (negative: overdue).
    Open { due: Day, left: i64 },
}

impl Deadline {
    pub fn of(done: Option<Day>, due: Day, today: Day) -> Deadline {
        match done {
            Some(day) => Deadline::Met {
                day,
                on_time: day <= due,
            },
            None => Deadline::Open {
                due,
                left: today.days_until(due),
            },
        }
    }

    /// Days past due, for an open deadline that is overdue.
    pub fn overdue_days(&self) -> Option<i64> {
        match self {
            Deadline::Open { left, .. } if *left < 0 => Some(-left),
            _ => None,
        }
    }
}

/// True for a calendar day written `YYYY-MM-DD` (see [`Day::parse`]).
pub fn is_valid_day(s: &str) -> bool {
    Day::parse(s).is_ok()
}

/// Today in Europe/Amsterdam, `YYYY-MM-DD` (the text of [`Day::today`]).
#[cfg(not(target_arch = "wasm32"))]
pub fn today() -> String {
    Day::today().to_string()
}

/// The text of [`Day::from_unix_day`].
pub fn day_from_unix_days(days: i64) -> String {
    Day::from_unix_day(days).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    /// Seconds since the epoch of a UTC instant written `YYYY-MM-DDTHH:MM:SSZ`.
    fn at(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_second()
    }

    #[test]
    fn the_zone_is_bundled() {
        assert!(TimeZone::get(ZONE).is_ok());
        assert_ne!(amsterdam(), &TimeZone::UTC);
    }

    #[test]
    fn parse_strictly() {
        assert_eq!(day("2026-11-22").to_string(), "2026-11-22");
        assert_eq!(day("2024-02-29").month(), 2);
        for bad in [
            "2023-02-29",
            "2026-04-31",
            "10000-01-01",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-1-01",
            "+026-01-01",
            "2026-11-22T10:00",
            "2026/11/22",
            "1969-12-31",
            "",
            "२०२६-11-22",
            "2026-11-2 ",
        ] {
            assert!(Day::parse(bad).is_err(), "{bad}");
            assert!(!is_valid_day(bad), "{bad}");
        }
        let e = Day::parse("2026-02-30").unwrap_err();
        assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
        assert_eq!(
            serde_json::to_string(&day("2026-03-01")).unwrap(),
            "\"2026-03-01\""
        );
        assert_eq!(
            serde_json::from_str::<Day>("\"2026-03-01\"").unwrap(),
            day("2026-03-01")
        );
        assert!(serde_json::from_str::<Day>("\"2026-3-1\"").is_err());
    }

    #[test]
    fn dutch_days_around_midnight() {
        // Winter (UTC+1): 23:30 UTC is 00:30 the next Dutch day.
        assert_eq!(
            Day::from_timestamp(at("2026-01-14T23:30:00Z")),
            day("2026-01-15")
        );
        assert_eq!(
            Day::from_timestamp(at("2026-01-14T22:59:59Z")),
            day("2026-01-14")
        );
        assert_eq!(
            Day::from_timestamp(at("2026-01-14T23:00:00Z")),
            day("2026-01-15")
        );
        // Summer (UTC+2): 22:30 UTC is 00:30 the next Dutch day.
        assert_eq!(
            Day::from_timestamp(at("2026-07-01T22:30:00Z")),
            day("2026-07-02")
        );
        assert_eq!(
            Day::from_timestamp(at("2026-07-01T21:59:59Z")),
            day("2026-07-01")
        );
        // New Year's Eve in Amsterdam is already the next year.
        assert_eq!(
            Day::from_timestamp(at("2026-12-31T23:00:00Z")),
            day("2027-01-01")
        );
    }

    #[test]
    fn dutch_days_across_dst_changes() {
        // Summer time starts 2026-03-29 at 01:00 UTC (02:00 -> 03:00 local).
        assert_eq!(
            Day::from_timestamp(at("2026-03-28T22:59:59Z")),
            day("2026-03-28")
        );
        assert_eq!(
            Day::from_timestamp(at("2026-03-28T23:00:00Z")),
            day("2026-03-29")
        );
        assert_eq!(
            Day::from_timestamp(at("2026-03-29T21:59:59Z")),
            day("2026-03-29")
        );
        assert_eq!(
            Day::from_timestamp(at("2026-03-29T22:00:00Z")),
            day("2026-03-30")
        );
        // Winter time starts 2026-10-25 at 01:00 UTC (03:00 -> 02:00 local).
        assert_eq!(
            Day::from_timestamp(at("2026-10-24T21:59:59Z")),
            day("2026-10-24")
        );
        assert_eq!(
            Day::from_timestamp(at("2026-10-24T22:00:00Z")),
            day("2026-10-25")
        );
        assert_eq!(
            Day::from_timestamp(at("2026-10-25T22:59:59Z")),
            day("2026-10-25")
        );
        assert_eq!(
            Day::from_timestamp(at("2026-10-25T23:00:00Z")),
            day("2026-10-26")
        );
        // Both change days still count as one day each.
        assert_eq!(day("2026-03-28").days_until(day("2026-03-30")), 2);
        assert_eq!(day("2026-10-24").days_until(day("2026-10-26")), 2);
    }

    #[test]
    fn unix_days_and_range() {
        assert_eq!(Day::from_unix_day(0), Day::MIN);
        assert_eq!(day_from_unix_days(59), "1970-03-01");
        assert_eq!(day_from_unix_days(11_016), "2000-02-29");
        assert_eq!(day_from_unix_days(20_779), "2026-11-22");
        assert_eq!(day("2026-11-22").unix_day(), 20_779);
        for n in day("1999-12-25").unix_day()..day("2031-01-05").unix_day() {
            assert_eq!(Day::from_unix_day(n).unix_day(), n);
        }
        assert_eq!(Day::MIN.add_days(-1), Day::MIN);
        assert_eq!(Day::MAX.add_days(1), Day::MAX);
        assert_eq!(Day::MAX.add_days(i64::MAX), Day::MAX);
        assert_eq!(Day::MIN.add_days(i64::MIN), Day::MIN);
        assert_eq!(Day::MAX.add_months(u32::MAX), Day::MAX);
        assert_eq!(Day::from_timestamp(i64::MIN), Day::MIN);
        assert_eq!(Day::from_timestamp(i64::MAX), Day::MAX);
        assert!(is_valid_day(&today()));
    }

    #[test]
    fn deadlines() {
        assert_eq!(ack_due(day("2026-12-28")), day("2027-01-04"));
        assert_eq!(day("2026-11-30").add_months(3), day("2027-02-28"));
        assert_eq!(day("2027-11-30").add_months(3), day("2028-02-29"));
        assert_eq!(day("2026-01-31").add_months(1), day("2026-02-28"));
        assert_eq!(day("2026-10-15").add_months(3), day("2027-01-15"));
        assert_eq!(day("2026-03-31").add_days(-31), day("2026-02-28"));
        assert_eq!(
            feedback_due(day("2026-03-01"), Some(day("2026-03-03"))),
            day("2026-06-03")
        );
        assert_eq!(feedback_due(day("2026-03-01"), None), day("2026-06-08"));
        let (d8, d9, d10) = (day("2026-03-08"), day("2026-03-09"), day("2026-03-10"));
        assert_eq!(Deadline::of(None, d8, d10).overdue_days(), Some(2));
        assert_eq!(
            Deadline::of(Some(d9), d8, d10),
            Deadline::Met {
                day: d9,
                on_time: false
            }
        );
        assert_eq!(
            Deadline::of(None, d8, day("2026-03-01")),
            Deadline::Open { due: d8, left: 7 }
        );
        assert_eq!(Deadline::of(Some(d8), d8, d10).overdue_days(), None);
    }
}
