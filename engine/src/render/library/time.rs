//! Calendar times: query bounds with an offset, range checks, and event `start`/`end` objects.
//!
//! There is no time zone database here. A `timezone` that is a fixed offset (`+02:00`, `-0530`)
//! or a UTC name (`Z`, `UTC`, `GMT`, `Etc/UTC`) is applied exactly. An IANA zone name
//! (`Europe/Berlin`) cannot be resolved to an offset: query bounds fall back to UTC, while
//! event times pass the name to Calendar as `timeZone` and let Google resolve it.

use minijinja::value::Kwargs;
use minijinja::{Error, Value};
use serde_json::{Value as Json, json};

use super::args::{Args, invalid};
use super::civil::{DateTime, Stamp, format_offset, parse_offset, parse_stamp};

/// What the model may write, for error messages.
const ACCEPTED: &str = "accepted formats: 2026-07-27 (a whole day), 2026-07-27T09:00:00 \
    (a local time), 2026-07-27T09:00:00+02:00 or 2026-07-27T07:00:00Z";

/// A `timezone` argument, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Zone {
    /// A fixed offset.
    Fixed {
        /// Minutes east of UTC.
        minutes: i32,
        /// Whether it was given as a UTC name, so zero is written `Z`.
        zulu: bool,
    },
    /// An IANA zone name, kept as given.
    Named(String),
}

/// Reads a `timezone` argument: a fixed offset, a UTC name, or an IANA zone name.
pub fn parse_zone(text: &str) -> Result<Zone, Error> {
    let text = text.trim();
    let utc = ["z", "utc", "gmt", "etc/utc", "etc/gmt", "utc+0", "gmt+0"];
    if utc.contains(&text.to_ascii_lowercase().as_str()) {
        return Ok(Zone::Fixed {
            minutes: 0,
            zulu: true,
        });
    }
    if let Some((minutes, _)) = parse_offset(text) {
        return Ok(Zone::Fixed {
            minutes,
            zulu: false,
        });
    }
    let name_chars = |c: char| c.is_ascii_alphanumeric() || "/_+-".contains(c);
    if text.is_empty()
        || !text.chars().all(name_chars)
        || !text.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return Err(invalid(format!(
            "`timezone` must be an IANA time zone name (Europe/Berlin) or a UTC offset (+02:00), \
             got {text:?}"
        )));
    }
    Ok(Zone::Named(text.to_string()))
}

/// Turns a date or time into an RFC 3339 value for a Calendar query bound.
///
/// - A strict RFC 3339 value with an offset or `Z` passes through byte for byte; one written
///   loosely (space for `T`, no seconds, `+0200`) is rewritten in the strict form.
/// - `YYYY-MM-DD` is midnight starting that day for `bound="start"`, and midnight starting the
///   next day for `bound="end"`, so the date is an inclusive last day.
/// - A local time `YYYY-MM-DDTHH:MM[:SS]` gets the `timezone` offset when that is a fixed
///   offset, else `Z` (UTC); an IANA name falls back to UTC, as said in the module doc.
/// - Anything else is an error naming `name` and listing the accepted formats.
pub fn rfc3339(
    value: &str,
    end_bound: bool,
    zone: Option<&Zone>,
    name: &str,
) -> Result<String, Error> {
    let value = value.trim();
    let suffix = match zone {
        Some(Zone::Fixed { minutes, zulu }) => format_offset(*minutes, *zulu),
        _ => "Z".to_string(),
    };
    match parse_stamp(value).ok_or_else(|| unreadable(name, value))? {
        Stamp::Date(date) => {
            let day = if end_bound { date.add_days(1) } else { date };
            Ok(format!("{}T00:00:00{suffix}", day.iso()))
        }
        Stamp::DateTime(dt) => match dt.offset {
            Some(_) if dt.strict => Ok(value.to_string()),
            Some(minutes) => Ok(format!("{}{}", dt.local(), format_offset(minutes, true))),
            None => Ok(format!("{}{suffix}", dt.local())),
        },
    }
}

/// The error for a value that is no date or time.
fn unreadable(name: &str, value: &str) -> Error {
    invalid(format!(
        "`{name}` is not a date or time: {value:?}; {ACCEPTED}"
    ))
}

/// Errors when both bounds are given and `time_min` is not before `time_max`.
///
/// Each bound is first read as `rfc3339` would send it (`time_min` as a start, `time_max` as
/// an end), so instants are compared with their offsets.
pub fn time_range_check(
    time_min: Option<&str>,
    time_max: Option<&str>,
    zone: Option<&Zone>,
) -> Result<(), Error> {
    let (Some(min), Some(max)) = (time_min, time_max) else {
        return Ok(());
    };
    let min_sent = rfc3339(min, false, zone, "time_min")?;
    let max_sent = rfc3339(max, true, zone, "time_max")?;
    let instant = |text: &str| match parse_stamp(text) {
        Some(Stamp::DateTime(dt)) => dt.instant().map(|s| (s, dt.nanos())),
        _ => None,
    };
    if instant(&min_sent) >= instant(&max_sent) {
        return Err(invalid(format!(
            "`time_min` ({min_sent}) must be before `time_max` ({max_sent}); the range is empty"
        )));
    }
    Ok(())
}

/// Builds an event's `{"start": …, "end": …}` from `start_time`, `end_time` and `timezone`.
///
/// - Two dates make an all-day event: `{"date": …}` objects, with `end_time` taken as the last
///   day, inclusive, so the sent (exclusive) end date is the day after it. A date with no end
///   is a one-day event. An end before the start is an error.
/// - Two date-times make a timed event: `{"dateTime": …}` objects. A fixed-offset `timezone`
///   is appended to local times; an IANA `timezone` is sent as `timeZone` in both objects and
///   local times are left for Google to resolve in it. A local time with no `timezone` is an
///   error, as is a missing `end_time`, and an end not after the start (checked when both
///   instants, or both local times, are known).
/// - A date mixed with a date-time is an error. `date` and `dateTime` never appear together.
pub fn event_times(start: &str, end: Option<&str>, zone: Option<&Zone>) -> Result<Json, Error> {
    let start_stamp =
        parse_stamp(start.trim()).ok_or_else(|| unreadable("start_time", start.trim()))?;
    let end_stamp = end
        .map(|e| parse_stamp(e.trim()).ok_or_else(|| unreadable("end_time", e.trim())))
        .transpose()?;
    match (start_stamp, end_stamp) {
        (Stamp::Date(first), None) => Ok(json!({
            "start": {"date": first.iso()},
            "end": {"date": first.add_days(1).iso()},
        })),
        (Stamp::Date(first), Some(Stamp::Date(last))) => {
            if last < first {
                return Err(invalid(format!(
                    "`end_time` ({}) is before `start_time` ({}); for an all-day event give the \
                     last day, inclusive",
                    last.iso(),
                    first.iso()
                )));
            }
            Ok(json!({"start": {"date": first.iso()}, "end": {"date": last.add_days(1).iso()}}))
        }
        (Stamp::DateTime(_), None) => Err(invalid("`end_time` is required for a timed event")),
        (Stamp::DateTime(s), Some(Stamp::DateTime(e))) => {
            timed(start.trim(), s, end.unwrap_or_default().trim(), e, zone)
        }
        _ => Err(invalid(
            "`start_time` and `end_time` must both be dates (YYYY-MM-DD, an all-day event) or both \
             date-times; got one of each",
        )),
    }
}

/// The start and end objects of a timed event.
fn timed(
    start_text: &str,
    start: DateTime,
    end_text: &str,
    end: DateTime,
    zone: Option<&Zone>,
) -> Result<Json, Error> {
    let (start_value, start) = with_zone(start_text, start, zone, "start_time")?;
    let (end_value, end) = with_zone(end_text, end, zone, "end_time")?;
    let ordered = match (start.instant(), end.instant()) {
        (Some(s), Some(e)) => Some((s, start.nanos()) < (e, end.nanos())),
        (None, None) => {
            Some((start.local_seconds(), start.nanos()) < (end.local_seconds(), end.nanos()))
        }
        _ => None,
    };
    if ordered == Some(false) {
        return Err(invalid(format!(
            "`end_time` ({end_value}) must be after `start_time` ({start_value})"
        )));
    }
    let object = |value: String| match zone {
        Some(Zone::Named(name)) => json!({"dateTime": value, "timeZone": name}),
        _ => json!({"dateTime": value}),
    };
    Ok(json!({"start": object(start_value), "end": object(end_value)}))
}

/// The `dateTime` text for one value and the value with any fixed offset applied.
fn with_zone(
    text: &str,
    mut dt: DateTime,
    zone: Option<&Zone>,
    name: &str,
) -> Result<(String, DateTime), Error> {
    match (dt.offset, zone) {
        (Some(_), _) if dt.strict => Ok((text.to_string(), dt)),
        (Some(minutes), _) => Ok((
            format!("{}{}", dt.local(), format_offset(minutes, true)),
            dt,
        )),
        (None, Some(Zone::Fixed { minutes, zulu })) => {
            dt.offset = Some(*minutes);
            Ok((
                format!("{}{}", dt.local(), format_offset(*minutes, *zulu)),
                dt,
            ))
        }
        (None, Some(Zone::Named(_))) => Ok((dt.local(), dt)),
        (None, None) => Err(invalid(format!(
            "`{name}` ({text}) has no UTC offset; give one (e.g. {}+02:00) or a `timezone`",
            dt.local()
        ))),
    }
}

/// Reads the optional `timezone` argument.
fn zone_arg(args: &Args<'_>, index: Option<usize>) -> Result<Option<Zone>, Error> {
    args.text(index, "timezone")?
        .map(|t| parse_zone(&t))
        .transpose()
}

/// Template filter `rfc3339(value, bound="start", timezone=none, name="value")`.
pub(crate) fn rfc3339_filter(
    value: &Value,
    positional: &[Value],
    kwargs: Kwargs,
) -> Result<Value, Error> {
    let args = Args::new("rfc3339", positional, kwargs);
    let name = args
        .text(Some(2), "name")?
        .unwrap_or_else(|| "value".to_string());
    let end_bound = match args.text(Some(0), "bound")?.as_deref() {
        None | Some("start") => false,
        Some("end") => true,
        Some(other) => {
            return Err(invalid(format!(
                "`bound` must be \"start\" or \"end\", got {other:?}"
            )));
        }
    };
    let zone = zone_arg(&args, Some(1))?;
    args.finish(3)?;
    let text = super::args::text_of(value, &name)?;
    rfc3339(&text, end_bound, zone.as_ref(), &name).map(Value::from)
}

/// Template function `time_range_check(time_min, time_max, timezone=none)`: renders nothing.
pub(crate) fn time_range_check_function(
    positional: &[Value],
    kwargs: Kwargs,
) -> Result<Value, Error> {
    let args = Args::new("time_range_check", positional, kwargs);
    let min = args.text(Some(0), "time_min")?;
    let max = args.text(Some(1), "time_max")?;
    let zone = zone_arg(&args, Some(2))?;
    args.finish(3)?;
    time_range_check(min.as_deref(), max.as_deref(), zone.as_ref()).map(|()| Value::from(""))
}

/// Template function `event_times(start, end=none, timezone=none)`.
pub(crate) fn event_times_function(positional: &[Value], kwargs: Kwargs) -> Result<Value, Error> {
    let args = Args::new("event_times", positional, kwargs);
    let start = args
        .text(Some(0), "start")?
        .ok_or_else(|| invalid("`start_time` is required"))?;
    let end = args.text(Some(1), "end")?;
    let zone = zone_arg(&args, Some(2))?;
    args.finish(3)?;
    event_times(&start, end.as_deref(), zone.as_ref())
        .map(|j| Value::from(minijinja::value::Serde(j)))
}

#[cfg(test)]
mod tests;
