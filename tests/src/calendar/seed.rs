//! The seeded calendars: primary, a team calendar and US holidays.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde_json::{Value, json};

use super::model::{Calendar, Calendars, complete_event};
use super::zone::Zone;
use crate::seed::USER_EMAIL;
use crate::seed::calendar::*;
use crate::time::rfc3339;

const BERLIN: &str = "Europe/Berlin";

/// All calendars, dated relative to `base` except the fixed-date case fixtures.
pub(crate) fn calendars(base: DateTime<Utc>) -> Calendars {
    let today = base.date_naive();
    let created = base - Duration::days(40);

    let mut entries = vec![
        Calendar {
            id: PRIMARY.into(),
            summary: PRIMARY.into(),
            description: None,
            time_zone: BERLIN.into(),
            access_role: "owner".into(),
            primary: true,
            color: ("14", "#9fe1e7", "#000000"),
            events: primary_events(today),
        },
        Calendar {
            id: TEAM.into(),
            summary: "Team".into(),
            description: Some("Sprints, reviews and releases of the team".into()),
            time_zone: BERLIN.into(),
            access_role: "writer".into(),
            primary: false,
            color: ("7", "#42d692", "#000000"),
            events: team_events(today),
        },
        Calendar {
            id: HOLIDAYS.into(),
            summary: "Holidays in United States".into(),
            description: Some("Holidays and Observances in United States".into()),
            time_zone: BERLIN.into(),
            access_role: "reader".into(),
            primary: false,
            color: ("8", "#16a765", "#000000"),
            events: holidays(today.year()),
        },
    ];

    for calendar in &mut entries {
        let mut events = std::mem::take(&mut calendar.events);
        for event in &mut events {
            complete_event(event, calendar, USER_EMAIL, created);
        }
        if calendar.access_role == "reader" {
            for event in &mut events {
                event["organizer"]["self"] = json!(false);
                event["creator"] = event["organizer"].clone();
            }
        }
        calendar.events = events;
    }

    Calendars {
        entries,
        issued_ids: 0,
    }
}

fn event(id: &str, summary: &str, start: Value, end: Value, extra: Value) -> Value {
    let mut event = json!({"id": id, "summary": summary, "start": start, "end": end});
    if let Value::Object(fields) = extra {
        for (key, value) in fields {
            event[key] = value;
        }
    }
    event
}

/// A wall-clock time in Berlin, stored with its offset and zone name.
fn berlin(date: NaiveDate, hour: u32, minute: u32) -> Value {
    let zone = Zone::named(BERLIN).expect("Berlin is in the zone table");
    let instant = zone.resolve(date.and_hms_opt(hour, minute, 0).unwrap());
    json!({"dateTime": rfc3339(instant), "timeZone": BERLIN})
}

fn day(date: NaiveDate) -> Value {
    json!({"date": date.to_string()})
}

/// The date itself on a weekday, else the Monday after it, so meetings avoid weekends.
fn workday(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date + Duration::days(2),
        Weekday::Sun => date + Duration::days(1),
        _ => date,
    }
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("seed dates are valid")
}

fn primary_events(today: NaiveDate) -> Vec<Value> {
    let d = |days: i64| today + Duration::days(days);
    let w = |days: i64| workday(d(days));
    let standup_start = d(-21) - Duration::days(i64::from(d(-21).weekday().num_days_from_monday()));
    let alice = json!([
        {"email": USER_EMAIL, "organizer": true, "self": true, "responseStatus": "accepted"},
        {"email": "alice@example.com", "displayName": "Alice Martin", "responseStatus": "accepted"},
    ]);

    vec![
        // Case 16: a single event inside the April window.
        event(
            DESIGN_REVIEW,
            "Design review",
            json!({"dateTime": "2026-04-14T15:00:00Z"}),
            json!({"dateTime": "2026-04-14T16:00:00Z"}),
            json!({"description": "Walk through the sandbox design"}),
        ),
        // Case 17: attendees with RSVP state, colour and description to keep.
        event(
            PLANNING,
            "Planning",
            berlin(date("2026-05-05"), 9, 0),
            berlin(date("2026-05-05"), 10, 0),
            json!({"description": "Agenda in doc", "colorId": "5", "attendees": [
                {"email": "owner@example.com", "organizer": true, "responseStatus": "accepted"},
                {"email": "frank@example.com", "optional": true, "responseStatus": "declined"}]}),
        ),
        // Case 16: a birthday series whose master starts in 1937.
        event(
            BIRTHDAY,
            "Grandpa's birthday",
            day(date("1937-05-02")),
            day(date("1937-05-03")),
            json!({"eventType": "birthday", "recurrence": ["RRULE:FREQ=YEARLY"],
                   "transparency": "transparent", "visibility": "private",
                   "birthdayProperties": {"type": "birthday"}}),
        ),
        event(
            STANDUP,
            "Team standup",
            berlin(standup_start, 9, 30),
            berlin(standup_start, 9, 45),
            json!({"recurrence": ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
                   "location": "Meet", "hangoutLink": "https://meet.google.com/abc-defg-hij"}),
        ),
        event(
            ONE_ON_ONE,
            "1:1 with Alice",
            berlin(w(1), 14, 0),
            berlin(w(1), 14, 30),
            json!({"attendees": alice}),
        ),
        event(
            OFFSITE,
            "Company offsite",
            day(d(5)),
            day(d(8)),
            json!({"location": "Lake Constance", "description": "Goals, roadmap, team dinner",
                   "transparency": "transparent"}),
        ),
        event(
            LUNCH,
            "Lunch with Bob",
            berlin(d(-1), 12, 0),
            berlin(d(-1), 13, 0),
            json!({"location": "Café Central"}),
        ),
        event(
            "evt0305",
            "Dentist",
            berlin(w(-2), 16, 0),
            berlin(w(-2), 16, 45),
            json!({}),
        ),
        event(
            "evt0306",
            "Focus time",
            berlin(w(2), 9, 0),
            berlin(w(2), 11, 0),
            json!({"eventType": "focusTime", "transparency": "opaque"}),
        ),
        event(
            "evt0307",
            "Out of office",
            berlin(d(12), 0, 0),
            berlin(d(14), 0, 0),
            json!({"eventType": "outOfOffice"}),
        ),
        event(
            "evt0308",
            "Quarterly planning",
            berlin(w(8), 10, 0),
            berlin(w(8), 12, 0),
            json!({"description": "Review the Q3 plan and the 2026 budget", "location": "Room 4B"}),
        ),
        event(
            "evt0309",
            "Dinner with Dana",
            berlin(d(3), 19, 0),
            berlin(d(3), 21, 30),
            json!({"location": "Trattoria Roma"}),
        ),
    ]
}

fn team_events(today: NaiveDate) -> Vec<Value> {
    let d = |days: i64| today + Duration::days(days);
    let w = |days: i64| workday(d(days));
    let retro_start = d(-10) - Duration::days(i64::from(d(-10).weekday().num_days_from_monday()))
        + Duration::days(3);

    vec![
        event(
            "evt0401",
            "Sprint review",
            berlin(w(3), 15, 0),
            berlin(w(3), 16, 0),
            json!({"description": "Demo of the sprint's work"}),
        ),
        event(
            "evt0402",
            "Team retro",
            berlin(retro_start, 16, 0),
            berlin(retro_start, 17, 0),
            json!({"recurrence": ["RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"]}),
        ),
        event(
            "evt0403",
            "Release day",
            day(w(9)),
            day(w(9) + Duration::days(1)),
            json!({}),
        ),
    ]
}

/// US federal holidays of the base year and the years around it, plus 2026 and 2027
/// (case 18 looks at December 2026).
fn holidays(year: i32) -> Vec<Value> {
    let mut years = vec![year - 1, year, year + 1, 2026, 2027];
    years.sort_unstable();
    years.dedup();

    let nth = |y: i32, month: u32, weekday: Weekday, n: u8| {
        NaiveDate::from_weekday_of_month_opt(y, month, weekday, n).unwrap()
    };
    let last_monday_of_may = |y: i32| {
        let mut date = NaiveDate::from_ymd_opt(y, 5, 31).unwrap();
        while date.weekday() != Weekday::Mon {
            date = date.pred_opt().unwrap();
        }
        date
    };

    let mut events = Vec::new();
    for y in years {
        let days = [
            (
                NaiveDate::from_ymd_opt(y, 1, 1).unwrap(),
                "new_years_day",
                "New Year's Day",
            ),
            (
                nth(y, 1, Weekday::Mon, 3),
                "mlk_day",
                "Martin Luther King Jr. Day",
            ),
            (last_monday_of_may(y), "memorial_day", "Memorial Day"),
            (
                NaiveDate::from_ymd_opt(y, 7, 4).unwrap(),
                "independence_day",
                "Independence Day",
            ),
            (nth(y, 9, Weekday::Mon, 1), "labor_day", "Labor Day"),
            (
                nth(y, 11, Weekday::Thu, 4),
                "thanksgiving",
                "Thanksgiving Day",
            ),
            (
                NaiveDate::from_ymd_opt(y, 12, 25).unwrap(),
                "christmas",
                "Christmas Day",
            ),
        ];
        for (date, slug, name) in days {
            let id = format!("{}_{slug}", date.format("%Y%m%d"));
            events.push(event(
                &id,
                name,
                day(date),
                day(date + Duration::days(1)),
                json!({"description": "Public holiday", "transparency": "transparent",
                       "visibility": "public"}),
            ));
        }
    }
    events
}
