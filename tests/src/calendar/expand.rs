//! Turning stored events into what a window shows: single events, recurring masters,
//! or the instances of a series.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde_json::{Value, json};

use super::model::When;
use super::recurrence::Recurrence;
use super::zone::Zone;
use crate::time::rfc3339;

/// The time window of a query; open ends are `None`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Window {
    /// Exclusive lower bound on an event's end.
    pub(crate) min: Option<DateTime<Utc>>,
    /// Exclusive upper bound on an event's start.
    pub(crate) max: Option<DateTime<Utc>>,
    /// Where instance expansion stops when `max` is open.
    pub(crate) horizon: DateTime<Utc>,
}

impl Window {
    fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        self.min.is_none_or(|min| end > min) && self.max.is_none_or(|max| start < max)
    }
}

/// An event paired with the instant it starts, for ordering.
pub(crate) struct Shown {
    pub(crate) start: DateTime<Utc>,
    pub(crate) event: Value,
}

/// What one stored event contributes to a listing.
///
/// Without `single_events` a series shows as its master when any instance falls in the
/// window; with it, the series shows as those instances.
pub(crate) fn show(event: &Value, zone: &Zone, window: &Window, single_events: bool) -> Vec<Shown> {
    let (Some(start), Some(end)) = (When::read(&event["start"]), When::read(&event["end"])) else {
        return Vec::new();
    };
    let lines: Vec<&str> = event["recurrence"]
        .as_array()
        .map(|lines| lines.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();

    let Some(rule) = Recurrence::parse(&lines) else {
        let (from, to) = (start.instant(zone), end.instant(zone));
        return if window.overlaps(from, to) {
            vec![Shown {
                start: from,
                event: event.clone(),
            }]
        } else {
            vec![]
        };
    };

    let instances = instances(event, &rule, start, end, zone, window);
    if single_events {
        return instances;
    }
    if instances.is_empty() {
        return Vec::new();
    }
    vec![Shown {
        start: start.instant(zone),
        event: event.clone(),
    }]
}

/// The instances of a series that overlap the window, as Google shapes them: id
/// `<master>_<start>`, `recurringEventId`, `originalStartTime`, no `recurrence`.
fn instances(
    master: &Value,
    rule: &Recurrence,
    start: When,
    end: When,
    calendar_zone: &Zone,
    window: &Window,
) -> Vec<Shown> {
    let stop = window.max.unwrap_or(window.horizon);
    let series_zone = master["start"]["timeZone"].as_str().and_then(Zone::named);

    match (start, end) {
        (When::Day(first), When::Day(last)) => {
            let length = last - first;
            let resolve = |local: NaiveDateTime| calendar_zone.midnight(local.date());
            let starts = rule.starts(first.and_hms_opt(0, 0, 0).unwrap(), stop, &resolve);

            starts
                .into_iter()
                .map(|local| local.date())
                .filter(|day| {
                    window.overlaps(
                        calendar_zone.midnight(*day),
                        calendar_zone.midnight(*day + length),
                    )
                })
                .map(|day| {
                    let id = format!(
                        "{}_{}",
                        master["id"].as_str().unwrap_or_default(),
                        day.format("%Y%m%d")
                    );
                    let start = json!({"date": day.to_string()});
                    let end = json!({"date": (day + length).to_string()});
                    Shown {
                        start: calendar_zone.midnight(day),
                        event: instance(master, id, start, end),
                    }
                })
                .collect()
        }
        (When::At(first), When::At(last)) => {
            let zone = series_zone.unwrap_or(Zone::fixed(*first.offset()));
            let length: Duration = last - first;
            let first_local = first
                .with_timezone(&zone.offset_at(first.to_utc()))
                .naive_local();
            let resolve = |local: NaiveDateTime| zone.resolve(local).to_utc();
            let starts = rule.starts(first_local, stop, &resolve);

            starts
                .into_iter()
                .map(|local| zone.resolve(local))
                .filter(|from| window.overlaps(from.to_utc(), from.to_utc() + length))
                .map(|from| {
                    let to = (from.to_utc() + length)
                        .with_timezone(&zone.offset_at(from.to_utc() + length));
                    let id = format!(
                        "{}_{}",
                        master["id"].as_str().unwrap_or_default(),
                        from.to_utc().format("%Y%m%dT%H%M%SZ")
                    );
                    let start = with_zone(json!({"dateTime": rfc3339(from)}), &master["start"]);
                    let end = with_zone(json!({"dateTime": rfc3339(to)}), &master["end"]);
                    Shown {
                        start: from.to_utc(),
                        event: instance(master, id, start, end),
                    }
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

fn with_zone(mut value: Value, original: &Value) -> Value {
    if let Some(zone) = original.get("timeZone") {
        value["timeZone"] = zone.clone();
    }
    value
}

fn instance(master: &Value, id: String, start: Value, end: Value) -> Value {
    let mut event = master.clone();
    if let Some(fields) = event.as_object_mut() {
        fields.remove("recurrence");
    }
    event["recurringEventId"] = master["id"].clone();
    event["originalStartTime"] = start.clone();
    event["id"] = json!(id);
    event["start"] = start;
    event["end"] = end;
    event
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn april_window() -> Window {
        let horizon = utc("2027-01-01T00:00:00Z");
        Window {
            min: Some(utc("2026-04-13T00:00:00Z")),
            max: Some(utc("2026-05-13T00:00:00Z")),
            horizon,
        }
    }

    fn birthday() -> Value {
        json!({"id": "bday1", "summary": "Grandpa's birthday", "eventType": "birthday",
               "start": {"date": "1937-05-02"}, "end": {"date": "1937-05-03"},
               "recurrence": ["RRULE:FREQ=YEARLY"]})
    }

    #[test]
    fn a_birthday_series_shows_as_its_1937_master_without_single_events() {
        let zone = Zone::named("Europe/Berlin").unwrap();
        let shown = show(&birthday(), &zone, &april_window(), false);

        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].event["start"]["date"], "1937-05-02");
    }

    #[test]
    fn a_birthday_series_expands_to_the_instance_in_the_window() {
        let zone = Zone::named("Europe/Berlin").unwrap();
        let shown = show(&birthday(), &zone, &april_window(), true);

        assert_eq!(shown.len(), 1);
        let event = &shown[0].event;
        assert_eq!(event["id"], "bday1_20260502");
        assert_eq!(event["recurringEventId"], "bday1");
        assert_eq!(event["start"], json!({"date": "2026-05-02"}));
        assert_eq!(event["end"], json!({"date": "2026-05-03"}));
        assert!(event.get("recurrence").is_none());
    }

    #[test]
    fn timed_instances_keep_the_wall_clock_across_daylight_saving() {
        let standup = json!({"id": "s1",
            "start": {"dateTime": "2026-10-22T09:30:00+02:00", "timeZone": "Europe/Berlin"},
            "end": {"dateTime": "2026-10-22T09:45:00+02:00", "timeZone": "Europe/Berlin"},
            "recurrence": ["RRULE:FREQ=WEEKLY"]});
        let window = Window {
            min: None,
            max: Some(utc("2026-11-01T00:00:00Z")),
            horizon: utc("2027-01-01T00:00:00Z"),
        };

        let shown = show(&standup, &Zone::named("UTC").unwrap(), &window, true);
        let starts: Vec<&str> = shown
            .iter()
            .map(|s| s.event["start"]["dateTime"].as_str().unwrap())
            .collect();

        assert_eq!(
            starts,
            ["2026-10-22T09:30:00+02:00", "2026-10-29T09:30:00+01:00"]
        );
        assert_eq!(shown[1].event["id"], "s1_20261029T083000Z");
    }
}
