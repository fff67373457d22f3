//! Token lifetimes: RFC 3339 expiry times as stored in credential files, and "now".

use std::time::{SystemTime, UNIX_EPOCH};

use crate::render::library::{civil, values::rfc3339_utc};

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `seconds` as RFC 3339 UTC, the form credential files keep expiry in.
pub fn format(seconds: i64) -> String {
    rfc3339_utc(seconds)
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]` (no offset means UTC, as google-auth
/// writes it) into Unix seconds.
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_once(['T', ' '])?;
    let mut parts = date.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }

    let (clock, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    let clock = clock.split('.').next()?;
    let mut fields = clock.split(':');
    let hour: i64 = fields.next()?.parse().ok()?;
    let minute: i64 = fields.next()?.parse().ok()?;
    let second: i64 = fields.next().unwrap_or("0").parse().ok()?;
    let offset_seconds = match offset {
        "" | "Z" | "z" => 0,
        signed => {
            let sign = if signed.starts_with('-') { -1 } else { 1 };
            let (h, m) = signed[1..].split_once(':')?;
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
        }
    };

    let days = civil::to_days(civil::Date { year, month, day });
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_times_parse_in_the_forms_credential_files_use() {
        assert_eq!(parse("2026-05-12T18:00:00Z"), Some(1_778_608_800));
        assert_eq!(parse("2026-05-12T18:00:00.123456"), Some(1_778_608_800));
        assert_eq!(parse("2026-05-12T20:00:00+02:00"), Some(1_778_608_800));
        assert_eq!(parse(&format(1_778_608_800)), Some(1_778_608_800));
        assert_eq!(parse("soon"), None);
    }
}
