//! RFC 3339 and RFC 5322 date helpers.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

/// Parses an RFC 3339 instant that carries an explicit offset or `Z`, as Calendar's
/// `timeMin`/`timeMax` require; a date alone or a naive date-time gives `None`.
pub(crate) fn parse_instant(text: &str) -> Option<DateTime<FixedOffset>> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't')
        && bytes[13] == b':'
        && bytes[16] == b':';
    if !shaped {
        return None;
    }

    DateTime::parse_from_rfc3339(text).ok()
}

/// Parses a naive RFC 3339 local date-time such as `2026-05-01T09:00:00`.
pub(crate) fn parse_naive(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").ok()
}

/// Parses a `yyyy-mm-dd` date.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let shaped = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

/// Parses a time the lenient way Drive queries do: an offset is optional (UTC is
/// assumed) and a bare date means its midnight in UTC.
pub(crate) fn parse_lenient(text: &str) -> Option<DateTime<Utc>> {
    if let Some(instant) = parse_instant(text) {
        return Some(instant.to_utc());
    }
    if let Some(naive) = parse_naive(text) {
        return Some(naive.and_utc());
    }

    parse_date(text)
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|naive| naive.and_utc())
}

/// Formats an instant the way Google stamps `created`/`updated`: UTC with milliseconds.
pub(crate) fn stamp(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Formats an instant with its own offset and no fraction, e.g. `2026-05-05T09:00:00+02:00`.
pub(crate) fn rfc3339(instant: DateTime<FixedOffset>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Formats an instant as an RFC 5322 `Date:` header value.
pub(crate) fn rfc5322(instant: DateTime<FixedOffset>) -> String {
    instant.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_needs_an_offset_or_z() {
        assert!(parse_instant("2026-07-27T09:00:00+02:00").is_some());
        assert!(parse_instant("2026-04-13T00:00:00Z").is_some());
        assert!(parse_instant("2026-04-13T00:00:00.250Z").is_some());
        assert!(parse_instant("2026-07-28T00:00:00").is_none());
        assert!(parse_instant("2026-07-27").is_none());
        assert!(parse_instant("2026-07-27 09:00:00Z").is_none());
        assert!(parse_instant("next tuesday").is_none());
    }

    #[test]
    fn lenient_times_default_to_utc() {
        let expected = "2024-01-01T00:00:00.000Z";

        assert_eq!(
            stamp(parse_lenient("2024-01-01T00:00:00").unwrap()),
            expected
        );
        assert_eq!(stamp(parse_lenient("2024-01-01").unwrap()), expected);
        assert_eq!(
            stamp(parse_lenient("2024-01-01T01:00:00+01:00").unwrap()),
            expected
        );
        assert!(parse_lenient("yesterday").is_none());
    }

    #[test]
    fn a_date_header_uses_rfc5322_layout() {
        let instant = DateTime::parse_from_rfc3339("2026-05-12T09:05:00+02:00").unwrap();

        assert_eq!(rfc5322(instant), "Tue, 12 May 2026 09:05:00 +0200");
    }
}
