//! The HTTP surface as clients meet it: `/mcp` and `/mcp/`, sessions (case 33), `/health`,
//! the REST debug routes, and the Host check.

mod support;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use support::start;

const ACCEPT: &str = "application/json, text/event-stream";

async fn rpc(
    client: &Client,
    url: &str,
    body: Value,
    session: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = client.post(url).header("Accept", ACCEPT).json(&body);
    if let Some(session) = session {
        request = request
            .header("Mcp-Session-Id", session)
            .header("MCP-Protocol-Version", "2025-11-25");
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn initialize() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {},
        "clientInfo": {"name": "test", "version": "0"}}})
}

fn list_calendars(id: u64) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
           "params": {"name": "list_calendars", "arguments": {}}})
}

#[tokio::test]
async fn case_33_calls_work_without_a_session_with_an_unknown_one_and_after_a_restart() {
    let (sandbox, engine) = start().await;
    let http = support::client();

    let (status, init) = rpc(&http, &engine.mcp(), initialize(), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(init["result"]["protocolVersion"], "2025-11-25");
    assert_eq!(init["result"]["serverInfo"]["name"], "gws-engine");

    let (status, reply) = rpc(&http, &engine.mcp(), list_calendars(2), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["result"]["isError"], false, "{reply}");

    let (status, reply) = rpc(
        &http,
        &engine.mcp(),
        list_calendars(3),
        Some("00000000-dead-beef"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["result"]["isError"], false, "{reply}");

    drop(engine);
    let engine = support::Engine::start(&sandbox.url(), &[]);
    let (status, reply) = rpc(
        &http,
        &engine.mcp(),
        list_calendars(4),
        Some("00000000-dead-beef"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        reply["result"]["structuredContent"]["calendars"].is_array(),
        "{reply}"
    );
}

#[tokio::test]
async fn the_trailing_slash_path_is_served_without_a_redirect() {
    let (_sandbox, engine) = start().await;
    let http = support::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let (status, reply) = rpc(&http, &format!("{}/", engine.mcp()), initialize(), None).await;

    assert_eq!(status, StatusCode::OK);
    assert!(
        reply["result"]["capabilities"]["tools"].is_object(),
        "{reply}"
    );
}

#[tokio::test]
async fn a_get_without_a_stream_is_405_and_never_hangs() {
    let (_sandbox, engine) = start().await;

    let response = support::client()
        .get(engine.mcp())
        .header("Accept", "text/event-stream")
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn a_notification_is_accepted_with_202() {
    let (_sandbox, engine) = start().await;
    let body = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});

    let (status, _) = rpc(&support::client(), &engine.mcp(), body, Some("any")).await;

    assert_eq!(status, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn malformed_json_is_a_client_error_and_the_server_keeps_serving() {
    let (_sandbox, engine) = start().await;
    let http = support::client();

    let response = http
        .post(engine.mcp())
        .header("Accept", ACCEPT)
        .header("Content-Type", "application/json")
        .body("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error() || response.status() == StatusCode::OK);

    let (status, _) = rpc(&http, &engine.mcp(), initialize(), None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn health_reports_the_catalogue() {
    let (_sandbox, engine) = start().await;

    let health: Value = support::client()
        .get(format!("{}/health", engine.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(health["status"], "healthy");
    assert!(health["tools"].as_u64().unwrap() >= 8, "{health}");
    assert!(health["version"].is_string());
}

#[tokio::test]
async fn the_rest_debug_routes_list_and_call_tools() {
    let (sandbox, engine) = start().await;
    let http = support::client();

    let listed: Value = http
        .get(format!("{}/mcp/tools/list", engine.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let called: Value = http
        .post(format!("{}/mcp/tools/call", engine.url))
        .json(&json!({"name": "search_gmail_messages", "arguments": {"query": "is:unread", "max_results": 3}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert!(listed["tools"].as_array().unwrap().len() >= 8);
    assert_eq!(called["isError"], false, "{called}");
    let list = support::requests_to(&sandbox, "/gmail/v1/users/me/messages")
        .pop()
        .unwrap();
    assert_eq!(
        support::query(&list, "maxResults").as_deref(),
        Some("3"),
        "max_results is an alias of page_size"
    );
}

#[tokio::test]
async fn a_foreign_host_is_refused_and_a_configured_one_accepted() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = gws_sandbox::Sandbox::start(0).await.unwrap();
    let engine = support::Engine::start(&sandbox.url(), &[("GWS_ALLOWED_HOSTS", "gws_mcp")]);
    let http = support::client();

    let foreign = http
        .post(engine.mcp())
        .header("Host", "evil.example")
        .header("Accept", ACCEPT)
        .json(&initialize())
        .send()
        .await
        .unwrap();
    let container = http
        .post(engine.mcp())
        .header("Host", "gws_mcp:8000")
        .header("Accept", ACCEPT)
        .json(&initialize())
        .send()
        .await
        .unwrap();
    let origin = http
        .post(engine.mcp())
        .header("Origin", "http://evil.example")
        .header("Accept", ACCEPT)
        .json(&initialize())
        .send()
        .await
        .unwrap();

    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    assert_eq!(container.status(), StatusCode::OK);
    assert_eq!(origin.status(), StatusCode::FORBIDDEN);
}
