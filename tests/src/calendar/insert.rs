//! `events.insert`: validate the event like Google, store it, echo it.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::model::{Calendar, When, complete_event};
use super::recurrence::Recurrence;
use super::zone::Zone;
use crate::error::ApiError;
use crate::fixtures;
use crate::seed::USER_EMAIL;
use crate::time::{parse_date, parse_instant, parse_naive, rfc3339};

/// Characters of Calendar event ids (base32hex).
const ID_ALPHABET: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

/// Validates `body`, stores it in `calendar` and returns the stored event.
pub(crate) fn insert(
    calendar: &mut Calendar,
    body: Option<&Value>,
    issued: u64,
    now: DateTime<Utc>,
) -> Result<Value, ApiError> {
    if calendar.access_role == "reader" {
        let message = "You need to have writer access to this calendar.";
        return Err(ApiError::google(403, "requiredAccessLevel", message));
    }
    let mut event = body
        .filter(|b| b.is_object())
        .cloned()
        .ok_or_else(ApiError::parse_error)?;

    let id = match event["id"].as_str() {
        Some(id) => check_id(id, calendar)?,
        None => new_id(now, issued),
    };
    let recurring = event.get("recurrence").is_some_and(|r| !r.is_null());
    let start = normalize(&event["start"], "start", recurring)?;
    let end = normalize(&event["end"], "end", recurring)?;
    check_order(&start, &end, &calendar.zone())?;
    if recurring {
        check_recurrence(&event["recurrence"])?;
    }

    event["id"] = json!(id);
    event["start"] = start;
    event["end"] = end;
    if let Some(attendees) = event["attendees"].as_array_mut() {
        for attendee in attendees {
            if !attendee.get("email").is_some_and(Value::is_string) {
                return Err(ApiError::invalid_value("attendees"));
            }
            if attendee.get("responseStatus").is_none() {
                attendee["responseStatus"] = json!("needsAction");
            }
        }
    }
    complete_event(&mut event, calendar, USER_EMAIL, now);
    calendar.events.push(event.clone());

    Ok(event)
}

fn invalid(reason: &str, message: &str) -> ApiError {
    ApiError::google(400, reason, message)
}

/// A client-chosen id: base32hex, 5 to 1024 characters, not taken yet.
fn check_id(id: &str, calendar: &Calendar) -> Result<String, ApiError> {
    let valid = (5..=1024).contains(&id.len()) && id.bytes().all(|b| ID_ALPHABET.contains(&b));
    if !valid {
        return Err(invalid("invalid", "Invalid resource id value."));
    }
    if calendar.events.iter().any(|event| event["id"] == id) {
        return Err(ApiError::fixture(fixtures::CALENDAR_DUPLICATE));
    }
    Ok(id.to_string())
}

/// A 26-character base32hex id, different for every call.
fn new_id(now: DateTime<Utc>, issued: u64) -> String {
    let mut value = ((now.timestamp_millis().max(0) as u128) << 32) | u128::from(issued);
    let mut id = Vec::with_capacity(26);
    for _ in 0..26 {
        id.push(ID_ALPHABET[(value % 32) as usize]);
        value /= 32;
    }
    id.reverse();
    String::from_utf8(id).unwrap_or_default()
}

/// Checks one `EventDateTime` and returns it as stored: a date stays a date; a
/// date-time gets an offset, from its own text or from its `timeZone`.
fn normalize(value: &Value, which: &str, recurring: bool) -> Result<Value, ApiError> {
    if !value.is_object() {
        return Err(invalid("required", &format!("Missing {which} time.")));
    }
    let zone_name = value["timeZone"].as_str();
    let zone = match zone_name {
        Some(name) => Some(Zone::named(name).ok_or_else(|| {
            invalid(
                "invalid",
                &format!("Invalid time zone definition for {which} time."),
            )
        })?),
        None => None,
    };

    match (value["date"].as_str(), value["dateTime"].as_str()) {
        (Some(date), None) => {
            parse_date(date)
                .ok_or_else(|| invalid("invalid", &format!("Invalid {which} time.")))?;
            Ok(value.clone())
        }
        (None, Some(text)) => {
            if recurring && zone.is_none() {
                return Err(invalid(
                    "invalid",
                    &format!("Missing time zone definition for {which} time."),
                ));
            }
            let instant = match (parse_instant(text), parse_naive(text), zone) {
                (Some(_), _, _) => text.to_string(),
                (None, Some(local), Some(zone)) => rfc3339(zone.resolve(local)),
                (None, Some(_), None) => {
                    return Err(invalid(
                        "invalid",
                        &format!("Missing time zone definition for {which} time."),
                    ));
                }
                (None, None, _) => {
                    return Err(invalid("invalid", &format!("Invalid {which} time.")));
                }
            };
            let mut stored = value.clone();
            stored["dateTime"] = json!(instant);
            Ok(stored)
        }
        (Some(_), Some(_)) | (None, None) => {
            Err(invalid("invalid", &format!("Invalid {which} time.")))
        }
    }
}

/// Both ends of one kind, and the end after the start.
fn check_order(start: &Value, end: &Value, zone: &Zone) -> Result<(), ApiError> {
    let (Some(from), Some(to)) = (When::read(start), When::read(end)) else {
        return Err(invalid("invalid", "Invalid start time."));
    };
    if matches!(
        (from, to),
        (When::Day(_), When::At(_)) | (When::At(_), When::Day(_))
    ) {
        let message = "Start and end times must either both be date or both be dateTime.";
        return Err(invalid("invalid", message));
    }
    if to.instant(zone) <= from.instant(zone) {
        return Err(
            invalid("timeRangeEmpty", "The specified time range is empty.").domain("calendar"),
        );
    }
    Ok(())
}

fn check_recurrence(recurrence: &Value) -> Result<(), ApiError> {
    let lines: Vec<&str> = recurrence
        .as_array()
        .map(|lines| lines.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let known = ["RRULE:", "EXRULE:", "RDATE", "EXDATE"];
    let well_formed = lines
        .iter()
        .all(|line| known.iter().any(|prefix| line.starts_with(prefix)));

    if !well_formed
        || (lines.iter().any(|l| l.starts_with("RRULE:")) && Recurrence::parse(&lines).is_none())
    {
        return Err(invalid("invalid", "Invalid recurrence rule."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::seed::calendars;

    fn primary() -> Calendar {
        let base = DateTime::parse_from_rfc3339("2026-05-12T00:00:00Z")
            .unwrap()
            .to_utc();
        calendars(base).entries.remove(0)
    }

    fn try_insert(body: Value) -> Result<Value, ApiError> {
        let now = DateTime::parse_from_rfc3339("2026-05-12T10:00:00Z")
            .unwrap()
            .to_utc();
        insert(&mut primary(), Some(&body), 1, now)
    }

    fn span(start: Value, end: Value) -> Value {
        json!({"summary": "Offsite", "start": start, "end": end})
    }

    fn day(date: &str) -> Value {
        json!({"date": date})
    }

    fn at(date_time: &str) -> Value {
        json!({"dateTime": date_time})
    }

    fn zoned(date_time: &str, zone: &str) -> Value {
        json!({"dateTime": date_time, "timeZone": zone})
    }

    fn message(err: ApiError) -> String {
        err.body["error"]["message"].as_str().unwrap().to_string()
    }

    #[test]
    fn an_all_day_event_is_stored_as_dates_with_server_fields() {
        let event = try_insert(span(day("2026-08-20"), day("2026-08-23"))).unwrap();

        assert_eq!(event["start"], json!({"date": "2026-08-20"}));
        assert_eq!(event["status"], "confirmed");
        assert_eq!(event["organizer"]["email"], USER_EMAIL);
        assert!(event["htmlLink"].as_str().unwrap().contains("eid="));
        let id = event["id"].as_str().unwrap();
        assert!(id.len() == 26 && id.bytes().all(|b| ID_ALPHABET.contains(&b)));
    }

    #[test]
    fn the_same_start_and_end_date_is_an_empty_range() {
        let err = try_insert(span(day("2026-08-20"), day("2026-08-20"))).unwrap_err();

        assert_eq!(err.code, 400);
        assert_eq!(err.body["error"]["errors"][0]["reason"], "timeRangeEmpty");
        assert_eq!(message(err), "The specified time range is empty.");
    }

    #[test]
    fn mixing_a_date_and_a_date_time_is_refused() {
        let err = try_insert(span(day("2026-08-20"), at("2026-08-20T17:00:00+02:00")));

        let expected = "Start and end times must either both be date or both be dateTime.";
        assert_eq!(message(err.unwrap_err()), expected);
    }

    #[test]
    fn a_naive_date_time_needs_a_time_zone() {
        let naive = span(at("2026-05-01T09:00:00"), at("2026-05-01T10:00:00"));
        let err = try_insert(naive).unwrap_err();
        assert_eq!(message(err), "Missing time zone definition for start time.");

        let zurich = "Europe/Zurich";
        let zoned = span(
            zoned("2026-05-01T09:00:00", zurich),
            zoned("2026-05-01T09:15:00", zurich),
        );
        let event = try_insert(zoned).unwrap();
        assert_eq!(event["start"]["dateTime"], "2026-05-01T09:00:00+02:00");
        assert_eq!(event["start"]["timeZone"], zurich);
    }

    #[test]
    fn a_missing_end_and_an_unknown_zone_are_refused() {
        let no_end = json!({"start": at("2026-05-01T09:00:00Z")});
        assert_eq!(
            message(try_insert(no_end).unwrap_err()),
            "Missing end time."
        );

        let mars = "Mars/Base";
        let bad_zone = span(
            zoned("2026-05-01T09:00:00", mars),
            zoned("2026-05-01T10:00:00", mars),
        );
        let expected = "Invalid time zone definition for start time.";
        assert_eq!(message(try_insert(bad_zone).unwrap_err()), expected);
    }

    #[test]
    fn client_ids_must_be_base32hex_and_unused() {
        let body = |id: &str| {
            let mut body = span(day("2026-08-20"), day("2026-08-21"));
            body["id"] = json!(id);
            body
        };

        assert_eq!(try_insert(body("Not_Valid!")).unwrap_err().code, 400);
        assert_eq!(try_insert(body("evt0100")).unwrap_err().code, 409);
        assert_eq!(try_insert(body("abc0123")).unwrap()["id"], "abc0123");
    }
}
