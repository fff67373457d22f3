//! manage_event and its older single-purpose names (case 17: partial updates that keep
//! attendees' answers), against the sandbox's Calendar.

mod support;

use serde_json::{Value, json};
use support::{client, start};

async fn call(url: &str, name: &str, arguments: Value) -> Value {
    client()
        .post(format!("{url}/mcp/tools/call"))
        .json(&json!({"name": name, "arguments": arguments}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn case_17_a_time_change_patches_only_the_times() {
    let (sandbox, engine) = start().await;

    let result = call(
        &engine.url,
        "manage_event",
        json!({"action": "update", "event_id": "evt0200",
        "start_time": "2026-05-05T10:00:00+02:00", "end_time": "2026-05-05T11:00:00+02:00"}),
    )
    .await;

    assert_eq!(result["isError"], false, "{result}");
    let patch = support::requests_to(&sandbox, "/events/evt0200")
        .into_iter()
        .find(|r| r.method == "PATCH")
        .unwrap();
    let body = patch.body.clone().unwrap();
    assert_eq!(
        body,
        json!({"start": {"dateTime": "2026-05-05T10:00:00+02:00"}, "end": {"dateTime": "2026-05-05T11:00:00+02:00"}})
    );
    assert_eq!(
        support::query(&patch, "sendUpdates").as_deref(),
        Some("none")
    );
    let attendees = result["structuredContent"]["attendees"].as_array().unwrap();
    assert_eq!(
        attendees.len(),
        2,
        "the existing guests are untouched: {result}"
    );
}

#[tokio::test]
async fn case_17_a_full_guest_list_keeps_the_answers_of_guests_already_invited() {
    let (sandbox, engine) = start().await;

    let result = call(&engine.url, "manage_event", json!({"action": "update", "event_id": "evt0200",
        "attendees": ["owner@example.com", "frank@example.com", "room-4b@resource.calendar.google.com"]})).await;

    assert_eq!(result["isError"], false, "{result}");
    let requests = support::requests_to(&sandbox, "/events/evt0200");
    assert_eq!(
        requests
            .iter()
            .map(|r| r.method.as_str())
            .collect::<Vec<_>>(),
        ["GET", "PATCH"]
    );
    let body = requests[1].body.clone().unwrap();
    assert_eq!(body["attendees"][0]["organizer"], true);
    assert_eq!(body["attendees"][0]["responseStatus"], "accepted");
    assert_eq!(body["attendees"][1]["optional"], true);
    assert_eq!(body["attendees"][1]["responseStatus"], "declined");
    assert_eq!(
        body["attendees"][2],
        json!({"email": "room-4b@resource.calendar.google.com"})
    );
    assert!(body.get("description").is_none() && body.get("colorId").is_none());
    assert_eq!(
        support::query(&requests[1], "sendUpdates").as_deref(),
        Some("all")
    );
    let shown = result["structuredContent"]["attendees"].as_array().unwrap();
    assert_eq!(
        shown.len(),
        3,
        "the result is built from the event Google returned"
    );
    assert_eq!(shown[2]["response_status"], "needsAction");
}

#[tokio::test]
async fn the_older_names_still_work_without_being_listed() {
    let (sandbox, engine) = start().await;

    let modified = call(
        &engine.url,
        "modify_event",
        json!({"event_id": "evt0200", "summary": "Planning (moved)"}),
    )
    .await;
    let deleted = call(&engine.url, "delete_event", json!({"event_id": "evt0200"})).await;
    let listed: Value = client()
        .get(format!("{}/mcp/tools/list", engine.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(modified["isError"], false, "{modified}");
    assert_eq!(modified["structuredContent"]["summary"], "Planning (moved)");
    assert_eq!(deleted["isError"], false, "{deleted}");
    assert_eq!(deleted["structuredContent"]["action"], "delete");
    assert_eq!(deleted["structuredContent"]["id"], "evt0200");
    let methods: Vec<String> = support::requests_to(&sandbox, "/events/evt0200")
        .into_iter()
        .map(|r| r.method)
        .collect();
    assert_eq!(methods, ["PATCH", "DELETE"]);
    let names: Vec<&str> = listed["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"manage_event")
            && !names.contains(&"modify_event")
            && !names.contains(&"delete_event")
    );
}

#[tokio::test]
async fn an_update_without_an_event_id_is_refused_before_anything_is_sent() {
    let (sandbox, engine) = start().await;

    let result = call(
        &engine.url,
        "manage_event",
        json!({"action": "update", "summary": "x"}),
    )
    .await;

    assert_eq!(result["isError"], true);
    assert!(
        result["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("`event_id` is needed to update"),
        "{result}"
    );
    assert!(sandbox.requests().is_empty());
}
