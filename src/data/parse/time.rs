//! Timestamps in a rating file's fourth column: seconds since 1970 (MovieLens, MovieTweetings,
//! Amazon reviews) or a date with an optional time of day (`2015-03-01`, `2015-03-01 14:30`,
//! `2015-03-01T14:30:05Z`), read as seconds since 1970 in UTC.

/// The timestamp `s` names, in seconds since 1970-01-01 00:00 UTC, or `None` when it is not one.
///
/// ```
/// use mf_playground::data::parse::parse_time;
/// assert_eq!(parse_time("881250949"), Some(881_250_949));
/// assert_eq!(parse_time("1970-01-02"), Some(86_400));
/// assert_eq!(parse_time("2000-03-01T01:02:03Z"), Some(951_872_523));
/// assert_eq!(parse_time("01-Jan-1995"), None);
/// ```
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    if s.bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        // Fractional seconds ("964982703.5"): the whole seconds order the ratings.
        if let Ok(x) = s.parse::<f64>() {
            return (x.abs() < 9e15).then(|| x.floor() as i64);
        }
    }
    date_time(s)
}

/// `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM`, `:SS`, a fraction and `Z`.
fn date_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i64 = digits(&s[0..4])?;
    let month: i64 = digits(&s[5..7])?;
    let day: i64 = digits(&s[8..10])?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) * 86_400;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(secs);
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    let rest = rest.strip_suffix('Z').unwrap_or(rest);
    let mut parts = rest.splitn(3, ':');
    let hour: i64 = digits(parts.next()?)?;
    let minute: i64 = digits(parts.next()?)?;
    let second: i64 = match parts.next() {
        None => 0,
        Some(sec) => digits(sec.split('.').next()?)?,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    secs += hour * 3600 + minute * 60 + second;
    Some(secs)
}

/// A field of one or two ASCII digits (four for a year), as a number.
fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given date of the proleptic Gregorian calendar (Howard
/// Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_and_leap_years_from_1970() {
        assert_eq!(parse_time("1970-01-01"), Some(0));
        assert_eq!(parse_time("1969-12-31"), Some(-86_400));
        assert_eq!(parse_time("2000-02-29"), Some(951_782_400));
        assert_eq!(parse_time("1900-02-29"), None);
        assert_eq!(parse_time("2001-02-29"), None);
        // 1998-04-01 in MovieLens's epoch seconds.
        assert_eq!(parse_time("1998-04-01 00:00"), Some(891_388_800));
        assert_eq!(
            parse_time("2015-03-01 14:30"),
            parse_time("2015-03-01T14:30:00Z")
        );
        assert_eq!(parse_time("2015-03-01T14:30:05.250Z"), Some(1_425_220_205));
    }

    #[test]
    fn numbers_are_seconds_and_words_are_not_times() {
        assert_eq!(parse_time(" 42 "), Some(42));
        assert_eq!(parse_time("-5"), Some(-5));
        assert_eq!(parse_time("964982703.9"), Some(964_982_703));
        for bad in [
            "",
            "x",
            "2015-13-01",
            "2015-03-01 25:00",
            "2015-3-1",
            "1e5",
            "NaN",
            "--",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}
