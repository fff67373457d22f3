//! Calendar over HTTP: the calendar list, event listing rules, insert then list.

mod common;

use common::{Api, ids};
use gws_sandbox::seed::calendar::*;
use serde_json::{Value, json};

const PRIMARY_EVENTS: &str = "/calendar/v3/calendars/primary/events";
const HOLIDAY_EVENTS: &str =
    "/calendar/v3/calendars/en.usa%23holiday%40group.v.calendar.google.com/events";

fn bad_request() -> Value {
    json!({"error":{"code":400,"message":"Bad Request","errors":[{"domain":"global","reason":"badRequest","message":"Bad Request"}]}})
}

#[tokio::test]
async fn the_calendar_list_has_primary_team_and_holidays_and_pages() {
    let api = Api::start().await;

    let (status, list) = api.get("/calendar/v3/users/me/calendarList").await;
    assert_eq!(status, 200);
    assert_eq!(list["kind"], "calendar#calendarList");
    assert_eq!(ids(&list, "items"), [PRIMARY, TEAM, HOLIDAYS]);
    assert_eq!(list["items"][0]["primary"], true);
    assert_eq!(list["items"][0]["timeZone"], "Europe/Berlin");

    let (_, first) = api
        .get("/calendar/v3/users/me/calendarList?maxResults=2")
        .await;
    let token = first["nextPageToken"].as_str().unwrap();
    let (_, second) = api
        .get(&format!(
            "/calendar/v3/users/me/calendarList?maxResults=2&pageToken={token}"
        ))
        .await;
    assert_eq!(ids(&second, "items"), [HOLIDAYS]);
    assert!(second.get("nextPageToken").is_none());
}

#[tokio::test]
async fn case_14_naive_time_bounds_are_a_terse_400_and_offsets_are_accepted() {
    let api = Api::start().await;

    for query in [
        "timeMin=2026-07-27&timeMax=2026-07-28T00:00:00Z",
        "timeMin=2026-07-27T00:00:00Z&timeMax=2026-07-28T00:00:00",
        "timeMin=next%20tuesday",
    ] {
        let (status, body) = api.get(&format!("{PRIMARY_EVENTS}?{query}")).await;
        assert_eq!((status, body), (400, bad_request()), "{query}");
    }

    let window = "timeMin=2026-07-27T09:00:00%2B02:00&timeMax=2026-07-27T18:00:00%2B02:00";
    let (status, body) = api.get(&format!("{PRIMARY_EVENTS}?{window}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["items"], json!([]));
    assert_eq!(body["kind"], "calendar#events");
}

#[tokio::test]
async fn an_empty_time_range_is_time_range_empty() {
    let api = Api::start().await;

    let (status, body) = api
        .get(&format!(
            "{PRIMARY_EVENTS}?timeMin=2026-05-02T00:00:00Z&timeMax=2026-05-01T00:00:00Z"
        ))
        .await;

    assert_eq!(status, 400);
    assert_eq!(body["error"]["errors"][0]["reason"], "timeRangeEmpty");
}

#[tokio::test]
async fn case_16_masters_without_single_events_and_instances_with_them() {
    let api = Api::start().await;
    let window = "timeMin=2026-04-13T00:00:00Z&timeMax=2026-05-13T00:00:00Z&maxResults=25";

    let (_, masters) = api
        .get(&format!("{PRIMARY_EVENTS}?{window}&eventTypes=birthday"))
        .await;
    assert_eq!(ids(&masters, "items"), [BIRTHDAY]);
    assert_eq!(masters["items"][0]["start"], json!({"date": "1937-05-02"}));
    assert_eq!(
        masters["items"][0]["recurrence"],
        json!(["RRULE:FREQ=YEARLY"])
    );

    let (status, expanded) = api
        .get(&format!(
            "{PRIMARY_EVENTS}?{window}&singleEvents=true&orderBy=startTime"
        ))
        .await;
    assert_eq!(status, 200);
    let found = ids(&expanded, "items");
    assert_eq!(found.first().map(String::as_str), Some(DESIGN_REVIEW));
    assert!(found.contains(&"bday1_20260502".to_string()), "{found:?}");
    let instance = expanded["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "bday1_20260502")
        .unwrap();
    assert_eq!(instance["recurringEventId"], BIRTHDAY);
    assert_eq!(instance["eventType"], "birthday");
    assert_eq!(instance["start"], json!({"date": "2026-05-02"}));
    for event in expanded["items"].as_array().unwrap() {
        let start = event["start"]["dateTime"]
            .as_str()
            .or(event["start"]["date"].as_str())
            .unwrap();
        assert!(("2026-04-13".."2026-05-13").contains(&start), "{start}");
    }

    let (status, body) = api
        .get(&format!("{PRIMARY_EVENTS}?{window}&orderBy=startTime"))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "The requested ordering is not available for the particular query."
    );
}

#[tokio::test]
async fn case_18_the_holiday_calendar_needs_its_encoded_id() {
    let api = Api::start().await;
    // All-day events start at midnight in the calendar's zone (Europe/Berlin), so the
    // window ends at Berlin's midnight to leave New Year's Day out.
    let window = "timeMin=2026-12-01T00:00:00%2B01:00&timeMax=2027-01-01T00:00:00%2B01:00";

    let (status, encoded) = api.get(&format!("{HOLIDAY_EVENTS}?{window}")).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&encoded, "items"), [CHRISTMAS_2026]);

    let literal_at = "/calendar/v3/calendars/en.usa%23holiday@group.v.calendar.google.com/events";
    assert_eq!(api.get(&format!("{literal_at}?{window}")).await.0, 200);

    let (status, body) = api.get("/calendar/v3/calendars/en.usa").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["errors"][0]["reason"], "notFound");

    let (status, _) = api.get(&format!("{HOLIDAY_EVENTS}/{CHRISTMAS_2026}")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn an_inserted_event_is_echoed_then_listed_and_gettable() {
    let api = Api::start().await;
    let body = json!({"summary": "Offsite planning", "location": "Room 4B",
        "start": {"dateTime": "2026-08-20T10:00:00", "timeZone": "Europe/Berlin"},
        "end": {"dateTime": "2026-08-20T11:00:00", "timeZone": "Europe/Berlin"},
        "attendees": [{"email": "bob@example.com"}]});

    let (status, created) = api.post(PRIMARY_EVENTS, &body).await;
    assert_eq!(status, 200);
    assert_eq!(created["status"], "confirmed");
    assert_eq!(created["start"]["dateTime"], "2026-08-20T10:00:00+02:00");
    assert_eq!(created["attendees"][0]["responseStatus"], "needsAction");
    let id = created["id"].as_str().unwrap().to_string();

    let (_, listed) = api
        .get(&format!(
            "{PRIMARY_EVENTS}?timeMin=2026-08-20T00:00:00Z&timeMax=2026-08-21T00:00:00Z&q=offsite"
        ))
        .await;
    assert_eq!(ids(&listed, "items"), std::slice::from_ref(&id));

    let (status, fetched) = api.get(&format!("{PRIMARY_EVENTS}/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(fetched, created);
}

#[tokio::test]
async fn invalid_inserts_are_refused_like_google() {
    let api = Api::start().await;
    let cases = [
        (
            json!({"start": {"date": "2026-08-20"}, "end": {"date": "2026-08-20"}}),
            "The specified time range is empty.",
        ),
        (
            json!({"start": {"date": "2026-08-20"},
                   "end": {"dateTime": "2026-08-20T17:00:00+02:00"}}),
            "Start and end times must either both be date or both be dateTime.",
        ),
        (
            json!({"start": {"dateTime": "2026-08-20T09:00:00"},
                   "end": {"dateTime": "2026-08-20T10:00:00"}}),
            "Missing time zone definition for start time.",
        ),
    ];

    for (body, message) in cases {
        let (status, reply) = api.post(PRIMARY_EVENTS, &body).await;
        assert_eq!(
            (status, reply["error"]["message"].as_str()),
            (400, Some(message))
        );
    }

    let (status, _) = api
        .post(
            HOLIDAY_EVENTS,
            &json!({"start": {"date": "2026-08-20"}, "end": {"date": "2026-08-21"}}),
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn events_page_with_tokens_and_end_with_a_sync_token() {
    let api = Api::start().await;
    let query = "timeMin=2026-01-01T00:00:00Z&timeMax=2028-01-01T00:00:00Z&maxResults=4";

    let (_, first) = api.get(&format!("{HOLIDAY_EVENTS}?{query}")).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 4);
    assert!(first.get("nextSyncToken").is_none());

    let mut token = first["nextPageToken"].as_str().unwrap().to_string();
    let mut total = 4;
    loop {
        let (_, page) = api
            .get(&format!("{HOLIDAY_EVENTS}?{query}&pageToken={token}"))
            .await;
        total += page["items"].as_array().unwrap().len();
        match page["nextPageToken"].as_str() {
            Some(next) => token = next.to_string(),
            None => {
                assert!(page["nextSyncToken"].is_string());
                break;
            }
        }
    }
    assert_eq!(total, 14);
}
