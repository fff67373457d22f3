//! `events.list`: validation of the window and ordering, filtering, expansion, paging.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::expand::{Shown, Window, show};
use super::model::Calendar;
use crate::error::ApiError;
use crate::fixtures;
use crate::paging::page;
use crate::request::Incoming;
use crate::time::{parse_instant, stamp};

/// How far past now a series is expanded when `timeMax` is open.
const HORIZON_DAYS: i64 = 730;

/// Lists a calendar's events the way Google does for the supported parameters.
pub(crate) fn list(
    calendar: &Calendar,
    req: &Incoming,
    now: DateTime<Utc>,
) -> Result<Value, ApiError> {
    if req.param("syncToken").is_some() {
        let message = "Sync token is no longer valid, a full sync is required.";
        return Err(ApiError::google(410, "fullSyncRequired", message));
    }

    let min = bound(req, "timeMin")?;
    let max = bound(req, "timeMax")?;
    if let (Some(min), Some(max)) = (min, max)
        && min >= max
    {
        return Err(ApiError::fixture(fixtures::CALENDAR_TIME_RANGE_EMPTY));
    }

    let single_events = req.flag("singleEvents")?;
    let order = req.param("orderBy");
    match order {
        None | Some("updated") => {}
        Some("startTime") if single_events => {}
        Some("startTime") => {
            let message = "The requested ordering is not available for the particular query.";
            return Err(ApiError::google(400, "badRequest", message));
        }
        Some(_) => return Err(ApiError::invalid_value("orderBy")),
    }
    let size = req.size("maxResults", 250, 2500)?;
    let show_deleted = req.flag("showDeleted")?;

    let horizon = min.unwrap_or(now).max(now) + Duration::days(HORIZON_DAYS);
    let window = Window { min, max, horizon };
    let zone = calendar.zone();
    let words: Vec<String> = req
        .param("q")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let types = req.params("eventTypes");

    let mut shown: Vec<Shown> = calendar
        .events
        .iter()
        .filter(|event| show_deleted || event["status"] != "cancelled")
        .filter(|event| {
            types.is_empty() || types.contains(&event["eventType"].as_str().unwrap_or("default"))
        })
        .filter(|event| words.iter().all(|word| text_of(event).contains(word)))
        .flat_map(|event| show(event, &zone, &window, single_events))
        .collect();

    if order == Some("updated") {
        shown.sort_by(|a, b| {
            a.event["updated"]
                .as_str()
                .cmp(&b.event["updated"].as_str())
        });
    } else {
        shown.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(a.event["id"].as_str().cmp(&b.event["id"].as_str()))
        });
    }

    let items: Vec<Value> = shown.into_iter().map(|s| s.event).collect();
    let page = page(
        items,
        &format!("events:{}", calendar.id),
        req.param("pageToken"),
        size,
    )?;
    Ok(reply(calendar, req, page.items, page.next_token))
}

/// `timeMin`/`timeMax` must be RFC 3339 with an offset; anything else is Google's terse 400.
fn bound(req: &Incoming, name: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    match req.param(name) {
        None => Ok(None),
        Some(text) => parse_instant(text)
            .map(|instant| Some(instant.to_utc()))
            .ok_or_else(ApiError::bad_request),
    }
}

/// The lowercased text `q` looks into: summary, description, location and people.
fn text_of(event: &Value) -> String {
    let mut text = String::new();
    for key in ["summary", "description", "location"] {
        text.push_str(event[key].as_str().unwrap_or_default());
        text.push('\n');
    }
    let people = event["attendees"].as_array().cloned().unwrap_or_default();
    for person in people.iter().chain([&event["organizer"]]) {
        for key in ["email", "displayName"] {
            text.push_str(person[key].as_str().unwrap_or_default());
            text.push('\n');
        }
    }
    text.to_lowercase()
}

fn reply(calendar: &Calendar, req: &Incoming, items: Vec<Value>, next: Option<String>) -> Value {
    let updated = calendar
        .events
        .iter()
        .filter_map(|e| e["updated"].as_str())
        .max()
        .unwrap_or("");
    let updated = if updated.is_empty() {
        stamp(Utc::now())
    } else {
        updated.to_string()
    };

    let digits: String = updated.chars().filter(char::is_ascii_digit).collect();
    let mut reply = json!({
        "kind": "calendar#events",
        "etag": format!("\"p3{digits}\""),
        "summary": calendar.summary,
        "updated": updated,
        "timeZone": req.param("timeZone").unwrap_or(&calendar.time_zone),
        "accessRole": calendar.access_role,
        "defaultReminders": calendar.default_reminders(),
        "items": items,
    });
    if let Some(description) = &calendar.description {
        reply["description"] = json!(description);
    }
    match next {
        Some(token) => reply["nextPageToken"] = json!(token),
        None => {
            reply["nextSyncToken"] = json!(format!("CPDAlvWDx_sandbox_{}", calendar.events.len()))
        }
    }
    reply
}
