//! Dates for the `Date*` condition operators.
//!
//! AWS compares dates "using the W3C implementation of the ISO 8601 date
//! formats" and also accepts a Unix epoch time in seconds (IAM JSON policy
//! reference, "Condition operators", "Date condition operators"). Values come
//! both from policies and from request contexts that users paste from tools
//! (boto3 prints `2023-03-09 10:41:45+00:00`), so the parser accepts the
//! common spellings of ISO 8601 and turns all of them into seconds since the
//! Unix epoch, UTC; comparing those integers is then exact and timezone-free.
//!
//! The calendar arithmetic is the proleptic Gregorian "days from civil"
//! algorithm (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"),
//! written out here so the crate needs no date library.

const SECONDS_PER_DAY: i64 = 86_400;

/// Parses a date as IAM date conditions accept it and returns seconds since
/// the Unix epoch (UTC).
///
/// Accepted forms:
/// - a plain integer (optionally negative): Unix epoch seconds, which IAM
///   date conditions accept besides ISO 8601. An all-digit string is always
///   read as an epoch, never as a basic-format ISO date such as `20230309`;
/// - `YYYY-MM-DD`: midnight UTC of that day;
/// - `YYYY-MM-DD` then `T` (or `t`, or a space as boto3 prints it) then
///   `HH:MM`, optionally `:SS` and optionally a fraction `.fff` (or `,fff`),
///   optionally followed by an offset: `Z`, `+HH:MM`, `-HH:MM`, `+HHMM` or
///   `+HH`. Without an offset the time is taken as UTC, as AWS request times
///   always are. Fractions of a second are dropped (truncated), since the
///   request context carries whole seconds.
///
/// Rejected (`None`): anything else, and out-of-range fields such as month
/// 13, day 32, February 30 (or 29 outside leap years), hour 24 or more,
/// minute or second 60 or more, or an offset of 24 hours or more.
pub fn parse_datetime(s: &str) -> Option<i64> {
    if let Some(epoch) = parse_epoch(s) {
        return Some(epoch);
    }
    let mut cursor = Cursor::new(s);
    let year = cursor.digits(4)?;
    cursor.eat(b'-')?;
    let month = cursor.digits(2)?;
    cursor.eat(b'-')?;
    let day = cursor.digits(2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if cursor.at_end() {
        return Some(days * SECONDS_PER_DAY);
    }

    match cursor.next()? {
        b'T' | b't' | b' ' => {}
        _ => return None,
    }
    let hour = cursor.digits(2)?;
    cursor.eat(b':')?;
    let minute = cursor.digits(2)?;
    let mut second = 0;
    if cursor.peek() == Some(b':') {
        cursor.next();
        second = cursor.digits(2)?;
        if matches!(cursor.peek(), Some(b'.' | b',')) {
            cursor.next();
            // At least one digit; the fraction itself is dropped.
            if cursor.digit_run() == 0 {
                return None;
            }
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }

    let offset = match cursor.next() {
        None => 0,
        Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let hours = cursor.digits(2)?;
            let minutes = match cursor.peek() {
                None => 0,
                Some(b':') => {
                    cursor.next();
                    cursor.digits(2)?
                }
                Some(_) => cursor.digits(2)?,
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let magnitude = hours * 3600 + minutes * 60;
            if sign == b'-' {
                -magnitude
            } else {
                magnitude
            }
        }
        Some(_) => return None,
    };
    if !cursor.at_end() {
        return None;
    }
    // A local time with offset +02:00 is two hours ahead of UTC, so the UTC
    // instant is the local reading minus the offset.
    Some(days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset)
}

/// Formats epoch seconds as ISO 8601 in UTC, e.g. `2023-03-09T10:41:45Z`:
/// the form AWS itself uses for `aws:CurrentTime`.
pub fn format_iso(epoch: i64) -> String {
    let days = epoch.div_euclid(SECONDS_PER_DAY);
    let secs = epoch.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// An integer epoch: optional `-`, then ASCII digits only.
fn parse_epoch(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1..=12).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Count years from March so the leap day is the last day of the year.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400; // 0..=399
    let month_from_march = (month + 9) % 12; // March = 0
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1; // 0..=365
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Inverse of [`days_from_civil`]: (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097; // 0..=146096
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A byte cursor over ASCII date text.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor {
            bytes: s.as_bytes(),
            pos: 0,
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn eat(&mut self, wanted: u8) -> Option<()> {
        (self.next()? == wanted).then_some(())
    }

    /// Exactly `count` ASCII digits as a number.
    fn digits(&mut self, count: usize) -> Option<i64> {
        let mut value = 0;
        for _ in 0..count {
            let b = self.next()?;
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + i64::from(b - b'0');
        }
        Some(value)
    }

    /// Skips a run of digits and returns its length.
    fn digit_run(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2023-03-09T10:41:45Z, checked with `date -u -d @1678358505`.
    const SAMPLE: i64 = 1_678_358_505;

    #[test]
    fn iso_with_z() {
        assert_eq!(parse_datetime("2023-03-09T10:41:45Z"), Some(SAMPLE));
        assert_eq!(parse_datetime("2023-03-09t10:41:45z"), Some(SAMPLE));
        assert_eq!(parse_datetime("1970-01-01T00:00:00Z"), Some(0));
    }

    #[test]
    fn iso_with_zero_offset() {
        assert_eq!(parse_datetime("2023-03-09T10:41:45+00:00"), Some(SAMPLE));
        assert_eq!(parse_datetime("2023-03-09T10:41:45-00:00"), Some(SAMPLE));
    }

    #[test]
    fn fractional_seconds_are_truncated() {
        assert_eq!(parse_datetime("2023-03-09T10:41:45.123Z"), Some(SAMPLE));
        assert_eq!(
            parse_datetime("2023-03-09T10:41:45.999999+00:00"),
            Some(SAMPLE)
        );
        assert_eq!(parse_datetime("2023-03-09T10:41:45,5Z"), Some(SAMPLE));
        assert_eq!(parse_datetime("2023-03-09T10:41:45.Z"), None);
    }

    #[test]
    fn positive_offsets() {
        assert_eq!(parse_datetime("2023-03-09T12:41:45+02:00"), Some(SAMPLE));
        assert_eq!(parse_datetime("2023-03-09T12:41:45+0200"), Some(SAMPLE));
        assert_eq!(parse_datetime("2023-03-09T12:41:45+02"), Some(SAMPLE));
        // Crossing midnight forwards.
        assert_eq!(parse_datetime("2023-03-10T01:41:45+15:00"), Some(SAMPLE));
    }

    #[test]
    fn negative_offsets() {
        assert_eq!(parse_datetime("2023-03-09T05:11:45-0530"), Some(SAMPLE));
        assert_eq!(parse_datetime("2023-03-09T05:11:45-05:30"), Some(SAMPLE));
        // Crossing midnight backwards.
        assert_eq!(parse_datetime("2023-03-08T22:41:45-12:00"), Some(SAMPLE));
    }

    #[test]
    fn space_separator_as_boto3_prints() {
        assert_eq!(parse_datetime("2023-03-09 10:41:45+00:00"), Some(SAMPLE));
        assert_eq!(
            parse_datetime("2023-03-09 10:41:45.123456+00:00"),
            Some(SAMPLE)
        );
    }

    #[test]
    fn no_offset_means_utc() {
        assert_eq!(parse_datetime("2023-03-09T10:41:45"), Some(SAMPLE));
    }

    #[test]
    fn date_only_is_midnight_utc() {
        assert_eq!(
            parse_datetime("2023-03-09"),
            Some(SAMPLE - (10 * 3600 + 41 * 60 + 45))
        );
        assert_eq!(parse_datetime("1970-01-01"), Some(0));
    }

    #[test]
    fn minutes_without_seconds() {
        assert_eq!(parse_datetime("2023-03-09T10:41Z"), Some(SAMPLE - 45));
        assert_eq!(parse_datetime("2023-03-09T10:41"), Some(SAMPLE - 45));
        assert_eq!(parse_datetime("2023-03-09T12:41+02:00"), Some(SAMPLE - 45));
    }

    #[test]
    fn plain_epoch() {
        assert_eq!(parse_datetime("1678358505"), Some(SAMPLE));
        assert_eq!(parse_datetime("0"), Some(0));
        assert_eq!(parse_datetime("-86400"), Some(-86_400));
        assert_eq!(parse_datetime("99999999999999999999999"), None, "overflow");
        assert_eq!(parse_datetime("-"), None);
        assert_eq!(parse_datetime("+1678358505"), None);
        // All digits is always an epoch, never a year or a basic ISO date.
        assert_eq!(parse_datetime("2023"), Some(2023));
    }

    #[test]
    fn leap_years() {
        assert_eq!(parse_datetime("2024-02-29"), Some(1_709_164_800));
        assert_eq!(parse_datetime("2000-02-29"), Some(951_782_400));
        assert_eq!(parse_datetime("2023-02-29"), None);
        assert_eq!(
            parse_datetime("1900-02-29"),
            None,
            "century, not divisible by 400"
        );
        assert_eq!(
            parse_datetime("2024-03-01")
                .zip(parse_datetime("2024-02-28"))
                .map(|(a, b)| a - b),
            Some(2 * SECONDS_PER_DAY)
        );
        assert_eq!(format_iso(1_709_164_800), "2024-02-29T00:00:00Z");
    }

    #[test]
    fn out_of_range_fields_are_rejected() {
        for bad in [
            "2023-13-01",
            "2023-00-01",
            "2023-01-32",
            "2023-01-00",
            "2023-02-30",
            "2023-04-31",
            "2023-03-09T25:00:00Z",
            "2023-03-09T24:00:00Z",
            "2023-03-09T10:60:00Z",
            "2023-03-09T10:41:60Z",
            "2023-03-09T10:41:45+24:00",
            "2023-03-09T10:41:45+02:60",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn garbage_is_rejected() {
        for bad in [
            "",
            "now",
            "2023-3-9",
            "23-03-09",
            "2023/03/09",
            "2023-03-09T",
            "2023-03-09T10",
            "2023-03-09T10:4",
            "2023-03-09T10:41:4Z",
            "2023-03-09X10:41:45Z",
            "2023-03-09T10:41:45ZZ",
            "2023-03-09T10:41:45+2",
            "2023-03-09T10:41:45+02:0",
            "2023-03-09T10:41:45 UTC",
            " 2023-03-09",
            "2023-03-09 ",
            "2023-03-09Z",
            "１２３",
            "2023-03-0９",
            "12.5",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn format_iso_examples() {
        assert_eq!(format_iso(SAMPLE), "2023-03-09T10:41:45Z");
        assert_eq!(format_iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_iso(-1), "1969-12-31T23:59:59Z");
        assert_eq!(format_iso(951_868_799), "2000-02-29T23:59:59Z");
    }

    #[test]
    fn format_iso_survives_extremes() {
        // No panic or overflow, whatever the year looks like.
        assert!(!format_iso(i64::MAX).is_empty());
        assert!(!format_iso(i64::MIN).is_empty());
    }

    #[test]
    fn round_trip() {
        // Every day boundary from 1600 to 2400 and some odd seconds.
        let start = days_from_civil(1600, 1, 1);
        let end = days_from_civil(2400, 12, 31);
        for day in (start..=end).step_by(7) {
            let epoch = day * SECONDS_PER_DAY + (day.rem_euclid(86_400));
            let text = format_iso(epoch);
            assert_eq!(parse_datetime(&text), Some(epoch), "{text}");
        }
        for epoch in [
            SAMPLE,
            0,
            -1,
            253_402_300_799, /* 9999-12-31T23:59:59Z */
        ] {
            assert_eq!(parse_datetime(&format_iso(epoch)), Some(epoch));
        }
        assert_eq!(format_iso(253_402_300_799), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn civil_and_days_agree() {
        for day in -800_000..800_000 {
            let (y, m, d) = civil_from_days(day);
            assert!((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m));
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }
}
