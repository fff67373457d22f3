//! Calendar v3: `calendarList.list/get`, `calendars.get`, `events.list/get/insert/patch/delete`.

mod expand;
mod insert;
mod list;
mod model;
mod recurrence;
mod seed;
mod zone;

use axum::http::Method;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Value, json};

pub(crate) use model::Calendars;

use crate::error::ApiError;
use crate::fixtures;
use crate::paging::page;
use crate::request::Incoming;
use crate::router::{Outcome, Reply};
use crate::state::{AppState, lock};
use expand::{Window, show};

impl Calendars {
    /// The seeded calendars, with dates relative to `base`.
    pub(crate) fn seeded(base: DateTime<Utc>) -> Calendars {
        seed::calendars(base)
    }
}

/// The emulated Calendar methods, with decoded path parameters.
pub(crate) enum Endpoint {
    ListCalendars,
    GetListEntry { calendar: String },
    GetCalendar { calendar: String },
    ListEvents { calendar: String },
    GetEvent { calendar: String, event: String },
    InsertEvent { calendar: String },
    PatchEvent { calendar: String, event: String },
    DeleteEvent { calendar: String, event: String },
}

impl Endpoint {
    /// Resolves a path below `/calendar/v3/`.
    pub(crate) fn resolve(method: &Method, segments: &[&str]) -> Option<Endpoint> {
        let own = |s: &str| s.to_string();
        let endpoint = match (method.as_str(), segments) {
            ("GET", ["users", "me", "calendarList"]) => Endpoint::ListCalendars,
            ("GET", ["users", "me", "calendarList", id]) => {
                Endpoint::GetListEntry { calendar: own(id) }
            }
            ("GET", ["calendars", id]) => Endpoint::GetCalendar { calendar: own(id) },
            ("GET", ["calendars", id, "events"]) => Endpoint::ListEvents { calendar: own(id) },
            ("POST", ["calendars", id, "events"]) => Endpoint::InsertEvent { calendar: own(id) },
            ("GET", ["calendars", id, "events", event]) => Endpoint::GetEvent {
                calendar: own(id),
                event: own(event),
            },
            ("PATCH", ["calendars", id, "events", event]) => Endpoint::PatchEvent {
                calendar: own(id),
                event: own(event),
            },
            ("DELETE", ["calendars", id, "events", event]) => Endpoint::DeleteEvent {
                calendar: own(id),
                event: own(event),
            },
            _ => return None,
        };
        Some(endpoint)
    }

    /// Runs the method.
    pub(crate) fn handle(self, state: &AppState, req: &Incoming) -> Outcome {
        let now = state.clock.now();
        let mut calendars = lock(&state.calendar);
        let not_found = || ApiError::fixture(fixtures::CALENDAR_NOT_FOUND);

        let reply = match self {
            Endpoint::ListCalendars => list_calendars(&calendars, req)?,
            Endpoint::GetListEntry { calendar } => calendars
                .find(&calendar)
                .ok_or_else(not_found)?
                .list_entry_json(),
            Endpoint::GetCalendar { calendar } => calendars
                .find(&calendar)
                .ok_or_else(not_found)?
                .calendar_json(),
            Endpoint::ListEvents { calendar } => {
                list::list(calendars.find(&calendar).ok_or_else(not_found)?, req, now)?
            }
            Endpoint::GetEvent { calendar, event } => {
                let calendar = calendars.find(&calendar).ok_or_else(not_found)?;
                find_event(calendar, &event).ok_or_else(not_found)?
            }
            Endpoint::InsertEvent { calendar } => {
                calendars.issued_ids += 1;
                let issued = calendars.issued_ids;
                let calendar = calendars.find_mut(&calendar).ok_or_else(not_found)?;
                insert::insert(calendar, req.json.as_ref(), issued, now)?
            }
            Endpoint::PatchEvent { calendar, event } => {
                let calendar = calendars.find_mut(&calendar).ok_or_else(not_found)?;
                let stored = calendar
                    .events
                    .iter_mut()
                    .find(|e| e["id"] == event.as_str())
                    .ok_or_else(not_found)?;
                patch(stored, req.json.as_ref())?
            }
            Endpoint::DeleteEvent { calendar, event } => {
                let calendar = calendars.find_mut(&calendar).ok_or_else(not_found)?;
                let before = calendar.events.len();
                calendar.events.retain(|e| e["id"] != event.as_str());
                if calendar.events.len() == before {
                    return Err(not_found());
                }
                return Ok(Reply::Empty);
            }
        };
        Ok(Reply::Json(reply))
    }
}

/// `events.patch`: the body's fields replace the stored ones (arrays whole, as Google does);
/// the result is the whole event.
fn patch(stored: &mut Value, body: Option<&Value>) -> Result<Value, ApiError> {
    let Some(Value::Object(fields)) = body else {
        return Err(ApiError::bad_request());
    };
    for (key, value) in fields {
        if matches!(
            key.as_str(),
            "id" | "etag" | "kind" | "created" | "htmlLink"
        ) {
            continue;
        }
        stored[key] = value.clone();
    }
    if let Some(attendees) = stored["attendees"].as_array_mut() {
        for attendee in attendees
            .iter_mut()
            .filter(|a| a.get("responseStatus").is_none())
        {
            attendee["responseStatus"] = json!("needsAction");
        }
    }
    let start = stored["start"]["dateTime"]
        .as_str()
        .or(stored["start"]["date"].as_str());
    let end = stored["end"]["dateTime"]
        .as_str()
        .or(stored["end"]["date"].as_str());
    if let (Some(start), Some(end)) = (start, end)
        && end <= start
    {
        return Err(ApiError::fixture(fixtures::CALENDAR_TIME_RANGE_EMPTY));
    }
    Ok(stored.clone())
}

/// `calendarList.list` with `maxResults` (default 100, max 250) and `pageToken`.
fn list_calendars(calendars: &Calendars, req: &Incoming) -> Result<Value, ApiError> {
    let size = req.size("maxResults", 100, 250)?;
    let entries: Vec<Value> = calendars
        .entries
        .iter()
        .map(|c| c.list_entry_json())
        .collect();
    let page = page(entries, "calendarList", req.param("pageToken"), size)?;

    let mut reply =
        json!({"kind": "calendar#calendarList", "etag": "\"p33sandbox\"", "items": page.items});
    match page.next_token {
        Some(token) => reply["nextPageToken"] = json!(token),
        None => reply["nextSyncToken"] = json!("CKjsandboxCalendarList"),
    }
    Ok(reply)
}

/// A stored event by id, or one instance of a series by its `<master>_<start>` id.
fn find_event(calendar: &model::Calendar, id: &str) -> Option<Value> {
    if let Some(event) = calendar.events.iter().find(|event| event["id"] == id) {
        return Some(event.clone());
    }

    let (master_id, stamp) = id.rsplit_once('_')?;
    let start = NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ")
        .map(|naive| naive.and_utc())
        .or_else(|_| {
            NaiveDate::parse_from_str(stamp, "%Y%m%d").map(|d| calendar.zone().midnight(d))
        })
        .ok()?;
    let master = calendar
        .events
        .iter()
        .find(|event| event["id"] == master_id)?;
    let window = Window {
        min: Some(start),
        max: Some(start + Duration::days(1)),
        horizon: start + Duration::days(1),
    };

    show(master, &calendar.zone(), &window, true)
        .into_iter()
        .map(|shown| shown.event)
        .find(|event| event["id"] == id)
}
