//! Calendar dates, clock times and UTC offsets: parsing the forms models write, and the date
//! arithmetic Calendar requests need, without a time zone database.

/// A proleptic Gregorian date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// The year, 0 to 9999.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, 1 to 31.
    pub day: u32,
}

impl Date {
    /// The date `days` days later (or earlier, when negative).
    pub fn add_days(self, days: i64) -> Date {
        from_days(to_days(self) + days)
    }

    /// The date as `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Whether `year` has a 29 February.
pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in a month.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (negative before it).
pub fn to_days(date: Date) -> i64 {
    // Count years from March, so the leap day is the last day of the counted year.
    let year = i64::from(date.year) - i64::from(date.month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = (i64::from(date.month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(date.day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` days after 1970-01-01.
pub fn from_days(days: i64) -> Date {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
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
    Date {
        year: year as i32,
        month: month as u32,
        day: day as u32,
    }
}

/// A date, or a date with a time of day and perhaps a UTC offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stamp {
    /// `YYYY-MM-DD`.
    Date(Date),
    /// A date and time.
    DateTime(DateTime),
}

/// A date and time of day, with the offset if one was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTime {
    /// The date.
    pub date: Date,
    /// Seconds since midnight.
    pub seconds: u32,
    /// The fraction of a second as written, with its dot (`.250`), or empty.
    pub fraction: String,
    /// Minutes east of UTC, when the value had an offset or `Z`.
    pub offset: Option<i32>,
    /// Whether the input was already strict RFC 3339 (so it can be sent byte for byte).
    pub strict: bool,
}

impl DateTime {
    /// The local date and time as `YYYY-MM-DDTHH:MM:SS[.fff]`, without offset.
    pub fn local(&self) -> String {
        let (h, m, s) = (
            self.seconds / 3600,
            self.seconds / 60 % 60,
            self.seconds % 60,
        );
        format!("{}T{h:02}:{m:02}:{s:02}{}", self.date.iso(), self.fraction)
    }

    /// Seconds since 1970-01-01T00:00:00 local time, ignoring the offset.
    pub fn local_seconds(&self) -> i64 {
        to_days(self.date) * 86_400 + i64::from(self.seconds)
    }

    /// Seconds since the epoch in UTC, when the offset is known.
    pub fn instant(&self) -> Option<i64> {
        self.offset
            .map(|minutes| self.local_seconds() - i64::from(minutes) * 60)
    }

    /// The fraction as nanoseconds, for ordering values within one second.
    pub fn nanos(&self) -> u32 {
        let digits = self.fraction.trim_start_matches('.');
        format!("{digits:0<9}")[..9].parse().unwrap_or(0)
    }
}

/// Writes an offset in minutes as `Z` (for zero, when `zulu`) or `±HH:MM`.
pub fn format_offset(minutes: i32, zulu: bool) -> String {
    if minutes == 0 && zulu {
        return "Z".to_string();
    }
    let sign = if minutes < 0 { '-' } else { '+' };
    let abs = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", abs / 60, abs % 60)
}

/// Reads `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` (`T`, `t` or a space), with an optional
/// `Z` or `±HH:MM` (`±HHMM` and `±HH` are read too).
pub fn parse_stamp(text: &str) -> Option<Stamp> {
    let bytes = text.as_bytes();
    let date = parse_date(text.get(..10)?)?;
    if bytes.len() == 10 {
        return Some(Stamp::Date(date));
    }
    let separator = bytes[10];
    if !matches!(separator, b'T' | b't' | b' ') {
        return None;
    }
    let rest = &text[11..];
    let hour = two_digits(rest.get(..2)?)?;
    if rest.as_bytes().get(2) != Some(&b':') {
        return None;
    }
    let minute = two_digits(rest.get(3..5)?)?;
    let mut rest = &rest[5..];
    let mut second = None;
    if let Some(after) = rest.strip_prefix(':') {
        second = Some(two_digits(after.get(..2)?)?);
        rest = &after[2..];
    }
    let mut fraction = String::new();
    if second.is_some() && rest.starts_with('.') {
        let digits = rest[1..].bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        fraction = rest[..=digits].to_string();
        rest = &rest[1 + digits..];
    }
    let (offset, strict_offset) = match rest {
        "" => (None, true),
        "Z" | "z" => (Some(0), true),
        _ => {
            let (minutes, strict) = parse_offset(rest)?;
            (Some(minutes), strict)
        }
    };
    if hour > 23 || minute > 59 || second.is_some_and(|s| s > 60) {
        return None;
    }
    Some(Stamp::DateTime(DateTime {
        date,
        seconds: hour * 3600 + minute * 60 + second.unwrap_or(0),
        fraction,
        offset,
        strict: separator != b' ' && second.is_some() && strict_offset,
    }))
}

/// Reads a UTC offset `±HH:MM` (strict), `±HHMM` or `±HH`: minutes east and whether it was strict.
pub fn parse_offset(text: &str) -> Option<(i32, bool)> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &text[1..];
    if !body.is_ascii() {
        return None;
    }
    let (hours, minutes, strict) = match body.len() {
        5 if body.as_bytes()[2] == b':' => (two_digits(&body[..2])?, two_digits(&body[3..])?, true),
        4 => (two_digits(&body[..2])?, two_digits(&body[2..])?, false),
        2 => (two_digits(body)?, 0, false),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some((sign * (hours * 60 + minutes) as i32, strict))
}

/// Reads a valid `YYYY-MM-DD`.
fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i32 = digits(&text[..4])?.try_into().ok()?;
    let month = two_digits(&text[5..7])?;
    let day = two_digits(&text[8..10])?;
    let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
    valid.then_some(Date { year, month, day })
}

/// Reads exactly two ASCII digits.
fn two_digits(text: &str) -> Option<u32> {
    (text.len() == 2).then(|| digits(text)).flatten()
}

/// Reads a run of ASCII digits (no sign).
fn digits(text: &str) -> Option<u32> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests;
