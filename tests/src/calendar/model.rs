//! Calendars, their list entries, and the start/end of stored events.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde_json::{Value, json};

use super::zone::Zone;
use crate::time::{parse_date, parse_instant, stamp};

/// One calendar and its events, stored as Google's JSON resources.
pub(crate) struct Calendar {
    pub(crate) id: String,
    pub(crate) summary: String,
    pub(crate) description: Option<String>,
    pub(crate) time_zone: String,
    /// `owner`, `writer` or `reader`.
    pub(crate) access_role: String,
    pub(crate) primary: bool,
    pub(crate) color: (&'static str, &'static str, &'static str),
    pub(crate) events: Vec<Value>,
}

impl Calendar {
    /// The calendar's own zone; all-day dates start at its midnight.
    pub(crate) fn zone(&self) -> Zone {
        Zone::named(&self.time_zone).unwrap_or(Zone::fixed(FixedOffset::east_opt(0).unwrap()))
    }

    /// A `calendarList` entry.
    pub(crate) fn list_entry_json(&self) -> Value {
        let (color_id, background, foreground) = self.color;
        let mut entry = json!({
            "kind": "calendar#calendarListEntry",
            "etag": format!("\"{}\"", 1_700_000_000_000u64 + self.id.len() as u64),
            "id": self.id,
            "summary": self.summary,
            "timeZone": self.time_zone,
            "colorId": color_id,
            "backgroundColor": background,
            "foregroundColor": foreground,
            "selected": true,
            "accessRole": self.access_role,
            "defaultReminders": self.default_reminders(),
            "conferenceProperties": {"allowedConferenceSolutionTypes": ["hangoutsMeet"]},
        });
        if let Some(description) = &self.description {
            entry["description"] = json!(description);
        }
        if self.primary {
            entry["primary"] = json!(true);
        }
        entry
    }

    /// A `calendars.get` resource.
    pub(crate) fn calendar_json(&self) -> Value {
        let mut calendar = json!({
            "kind": "calendar#calendar",
            "etag": format!("\"{}\"", 1_700_000_000_000u64 + self.id.len() as u64),
            "id": self.id,
            "summary": self.summary,
            "timeZone": self.time_zone,
            "conferenceProperties": {"allowedConferenceSolutionTypes": ["hangoutsMeet"]},
        });
        if let Some(description) = &self.description {
            calendar["description"] = json!(description);
        }
        calendar
    }

    /// Popup reminders on calendars the user owns, none on the others.
    pub(crate) fn default_reminders(&self) -> Value {
        if self.access_role == "owner" {
            json!([{"method": "popup", "minutes": 10}])
        } else {
            json!([])
        }
    }
}

/// All calendars of the user.
pub(crate) struct Calendars {
    pub(crate) entries: Vec<Calendar>,
    /// Counter behind generated event ids.
    pub(crate) issued_ids: u64,
}

impl Calendars {
    /// A calendar by id; `primary` names the primary calendar.
    pub(crate) fn find(&self, id: &str) -> Option<&Calendar> {
        self.entries
            .iter()
            .find(|c| c.id == id || (id == "primary" && c.primary))
    }

    /// A calendar by id, for writing.
    pub(crate) fn find_mut(&mut self, id: &str) -> Option<&mut Calendar> {
        self.entries
            .iter_mut()
            .find(|c| c.id == id || (id == "primary" && c.primary))
    }
}

/// An event boundary: a whole day or an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum When {
    Day(NaiveDate),
    At(DateTime<FixedOffset>),
}

impl When {
    /// Reads a stored `EventDateTime`: `{"date"}` or `{"dateTime"}` with an offset.
    pub(crate) fn read(value: &Value) -> Option<When> {
        if let Some(date) = value["date"].as_str() {
            return parse_date(date).map(When::Day);
        }
        value["dateTime"]
            .as_str()
            .and_then(parse_instant)
            .map(When::At)
    }

    /// The instant of this boundary; a day starts at midnight in the calendar's zone.
    pub(crate) fn instant(&self, calendar_zone: &Zone) -> DateTime<Utc> {
        match self {
            When::Day(date) => calendar_zone.midnight(*date),
            When::At(instant) => instant.to_utc(),
        }
    }
}

/// Fills in what Google adds to every stored event.
pub(crate) fn complete_event(
    event: &mut Value,
    calendar: &Calendar,
    user: &str,
    created: DateTime<Utc>,
) {
    let id = event["id"].as_str().unwrap_or_default().to_string();
    let eid = URL_SAFE_NO_PAD.encode(format!("{id} {}", calendar.id));
    let organizer = if calendar.primary {
        json!({"email": user, "self": true})
    } else {
        json!({"email": calendar.id, "displayName": calendar.summary, "self": true})
    };

    let defaults = [
        ("kind", json!("calendar#event")),
        (
            "etag",
            json!(format!("\"{}\"", created.timestamp_millis() * 1000)),
        ),
        ("status", json!("confirmed")),
        (
            "htmlLink",
            json!(format!("https://www.google.com/calendar/event?eid={eid}")),
        ),
        ("created", json!(stamp(created))),
        ("updated", json!(stamp(created))),
        ("creator", json!({"email": user, "self": true})),
        ("organizer", organizer),
        ("iCalUID", json!(format!("{id}@google.com"))),
        ("sequence", json!(0)),
        ("reminders", json!({"useDefault": true})),
        ("eventType", json!("default")),
    ];
    for (key, value) in defaults {
        if event.get(key).is_none_or(Value::is_null) {
            event[key] = value;
        }
    }
}
