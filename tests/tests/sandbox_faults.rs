//! Fault injection through `/_sandbox/faults` and the `Sandbox` API: one rule of each kind.

mod common;

use std::time::{Duration, Instant};

use common::{Api, TOKEN};
use gws_sandbox::FaultRule;
use reqwest::Method;
use serde_json::{Value, json};

const MESSAGE: &str = "/gmail/v1/users/me/messages/18f0000000000c01";
const EVENTS: &str = "/calendar/v3/calendars/primary/events";

async fn add_rule(api: &Api, rule: Value) -> (u16, Value) {
    api.send(api.request(Method::POST, "/_sandbox/faults").json(&rule))
        .await
}

async fn get_with_headers(api: &Api, path: &str) -> reqwest::Result<reqwest::Response> {
    api.request(Method::GET, path)
        .bearer_auth(TOKEN)
        .timeout(Duration::from_secs(5))
        .send()
        .await
}

#[tokio::test]
async fn a_429_rule_answers_googles_rate_limit_with_retry_after_then_runs_out() {
    let api = Api::start().await;
    let rule = json!({"path_prefix": "/gmail/v1/users/me/messages/", "method": "GET",
                      "status": 429, "retry_after": 1, "times": 2});

    assert_eq!(add_rule(&api, rule).await.0, 200);
    let first = get_with_headers(&api, MESSAGE).await.unwrap();
    let retry_after = first.headers().get("retry-after").cloned();
    let body: Value = first.json().await.unwrap();
    let second = api.get(MESSAGE).await;
    let third = api.get(MESSAGE).await;

    assert_eq!(retry_after.unwrap(), "1");
    assert_eq!(body["error"]["code"], 429);
    assert_eq!(body["error"]["status"], "RESOURCE_EXHAUSTED");
    assert_eq!(body["error"]["errors"][0]["reason"], "rateLimitExceeded");
    assert_eq!(second.0, 429);
    assert_eq!(third.0, 200, "times: 2 lets the third request through");
    assert_eq!(
        api.sandbox.requests().len(),
        3,
        "faulted requests are recorded too"
    );
}

#[tokio::test]
async fn a_500_rule_answers_the_backend_error_of_the_api_it_hits() {
    let api = Api::start().await;

    add_rule(&api, json!({"path_prefix": "/calendar/", "status": 500})).await;
    let (status, body) = api.get(EVENTS).await;
    let (other, _) = api.get("/drive/v3/files").await;

    assert_eq!(status, 500);
    assert_eq!(body["error"]["errors"][0]["reason"], "backendError");
    assert_eq!(other, 200, "the prefix keeps other APIs working");
}

#[tokio::test]
async fn a_503_rule_on_one_method_leaves_other_methods_alone() {
    let api = Api::start().await;

    add_rule(&api, json!({"method": "POST", "status": 503})).await;
    let (failed, body) = api
        .post(
            "/gmail/v1/users/me/messages/send",
            &json!({"raw": common::raw_message("Subject: hi\r\n\r\nhello")}),
        )
        .await;
    let (read, _) = api.get(MESSAGE).await;

    assert_eq!(failed, 503);
    assert_eq!(body["error"]["code"], 503);
    assert_eq!(body["error"]["errors"][0]["reason"], "backendError");
    assert_eq!(read, 200);
}

#[tokio::test]
async fn a_delay_rule_answers_normally_but_late() {
    let api = Api::start().await;

    add_rule(&api, json!({"path_prefix": EVENTS, "delay_ms": 300})).await;
    let begin = Instant::now();
    let (status, body) = api.get(EVENTS).await;

    assert!(begin.elapsed() >= Duration::from_millis(300));
    assert_eq!(status, 200);
    assert_eq!(body["kind"], "calendar#events");
}

#[tokio::test]
async fn a_reset_rule_drops_the_connection_without_any_reply() {
    let api = Api::start().await;

    add_rule(&api, json!({"reset": true, "times": 1})).await;
    let dropped = get_with_headers(&api, MESSAGE).await;
    let (after, _) = api.get(MESSAGE).await;

    let error = dropped.expect_err("no status line comes back");
    assert!(!error.is_timeout(), "{error:?}");
    assert_eq!(after, 200, "the sandbox keeps serving");
}

#[tokio::test]
async fn an_every_rule_faults_each_nth_matching_request_only() {
    let api = Api::start().await;

    add_rule(
        &api,
        json!({"path_prefix": "/drive/", "status": 503, "every": 3}),
    )
    .await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(api.get("/drive/v3/files").await.0);
    }

    assert_eq!(statuses, [200, 200, 503, 200, 200, 503]);
}

#[tokio::test]
async fn delete_clears_the_rules_and_get_lists_them_with_counters() {
    let api = Api::start().await;
    add_rule(
        &api,
        json!([{"status": 503, "every": 2}, {"reset": true, "times": 0}]),
    )
    .await;
    api.get(MESSAGE).await;

    let (_, listed) = api.get("/_sandbox/faults").await;
    let (cleared, _) = api
        .send(api.request(Method::DELETE, "/_sandbox/faults"))
        .await;
    let (after, _) = api.get(MESSAGE).await;
    let (_, empty) = api.get("/_sandbox/faults").await;

    assert_eq!(listed["rules"][0]["every"], 2);
    assert_eq!(listed["rules"][0]["seen"], 1);
    assert_eq!(listed["rules"][0]["fired"], 0);
    assert_eq!(listed["rules"][1]["reset"], true);
    assert_eq!(cleared, 204);
    assert_eq!(after, 200);
    assert_eq!(empty["rules"], json!([]));
}

#[tokio::test]
async fn a_rule_that_cannot_work_is_refused_with_the_reason_and_nothing_is_added() {
    let api = Api::start().await;

    let (status, body) =
        add_rule(&api, json!([{"status": 429}, {"status": 200, "every": 2}])).await;
    let (unknown, _) = add_rule(&api, json!({"status": 429, "sometimes": true})).await;
    let (_, listed) = api.get("/_sandbox/faults").await;

    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("400 to 599"),
        "{body}"
    );
    assert_eq!(unknown, 400);
    assert_eq!(listed["rules"], json!([]));
}

#[tokio::test]
async fn the_rust_api_adds_rules_and_a_global_delay_for_every_google_route() {
    let api = Api::start().await;

    api.sandbox.set_delay(Duration::from_millis(150));
    api.sandbox
        .add_fault(FaultRule::status(503).on("GET", "/drive/").times(1))
        .unwrap();
    let begin = Instant::now();
    let (first, _) = api.get("/drive/v3/files").await;
    let (second, _) = api.get("/drive/v3/files").await;
    let elapsed = begin.elapsed();
    api.sandbox.set_delay(Duration::ZERO);
    api.sandbox.clear_faults();

    assert_eq!((first, second), (503, 200));
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(api.sandbox.add_fault(FaultRule::default()).is_err());
}
