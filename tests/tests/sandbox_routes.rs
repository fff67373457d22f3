//! Auth, unknown routes, recording, and the binary's start-up line.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{Api, TOKEN};
use serde_json::json;

#[tokio::test]
async fn a_google_route_without_a_bearer_token_is_401_unauthenticated() {
    let api = Api::start().await;

    let (status, body) = api
        .send(api.request(reqwest::Method::GET, "/gmail/v1/users/me/messages"))
        .await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["status"], "UNAUTHENTICATED");
    assert_eq!(body["error"]["errors"][0]["reason"], "authError");

    let empty = api
        .request(reqwest::Method::GET, "/drive/v3/files")
        .header("Authorization", "Bearer ");
    assert_eq!(api.send(empty).await.0, 401);
    let basic = api
        .request(reqwest::Method::GET, "/drive/v3/files")
        .header("Authorization", "Basic eDp5");
    assert_eq!(api.send(basic).await.0, 401);
}

#[tokio::test]
async fn an_unknown_route_is_404_in_google_error_shape() {
    let api = Api::start().await;

    let (status, body) = api.get("/gmail/v1/users/me/nothing-here").await;

    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], 404);
    assert_eq!(body["error"]["errors"][0]["reason"], "notFound");
    assert_eq!(body["error"]["errors"][0]["domain"], "global");
}

#[tokio::test]
async fn recording_keeps_the_raw_path_and_the_decoded_query_in_order() {
    let api = Api::start().await;
    let path = "/calendar/v3/calendars/en.usa%23holiday%40group.v.calendar.google.com/events";

    let query = concat!(
        "q=Christmas%20Day&eventTypes=default&eventTypes=birthday",
        "&timeMin=2026-12-01T00%3A00%3A00%2B01%3A00"
    );
    api.get(&format!("{path}?{query}")).await;
    api.post("/gmail/v1/users/me/messages/send", &json!({"raw": "eA"}))
        .await;

    let requests = api.sandbox.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, path);
    let query: Vec<(&str, &str)> = requests[0]
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        query,
        [
            ("q", "Christmas Day"),
            ("eventTypes", "default"),
            ("eventTypes", "birthday"),
            ("timeMin", "2026-12-01T00:00:00+01:00")
        ]
    );
    assert_eq!(
        requests[0].authorization.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(requests[1].body, Some(json!({"raw": "eA"})));
}

#[tokio::test]
async fn the_recording_is_readable_and_clearable_over_http_and_not_recorded_itself() {
    let api = Api::start().await;
    api.get("/drive/v3/files?pageSize=1").await;

    let (status, recorded) = api
        .send(api.request(reqwest::Method::GET, "/_sandbox/requests"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(recorded.as_array().unwrap().len(), 1);
    assert_eq!(recorded[0]["path"], "/drive/v3/files");
    assert_eq!(recorded[0]["query"], json!([["pageSize", "1"]]));

    let (status, _) = api
        .send(api.request(reqwest::Method::DELETE, "/_sandbox/requests"))
        .await;
    assert_eq!(status, 204);
    assert!(api.sandbox.requests().is_empty());

    api.get("/drive/v3/files").await;
    api.sandbox.clear_requests();
    assert!(api.sandbox.requests().is_empty());
}

#[test]
fn the_binary_prints_one_listening_line_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gws-sandbox"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");

    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("the listening line")
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let health = runtime.block_on(async {
        reqwest::get(format!("{url}/_sandbox/health"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    });
    assert_eq!(health, "ok");

    // SIGTERM to our own child, by its id: the server stops cleanly with exit code 0.
    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    if terminated.is_ok_and(|status| status.success()) {
        assert!(child.wait().unwrap().success());
    } else {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
