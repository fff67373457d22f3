//! A short load under injected Google faults: every tool call is answered exactly once, as a
//! result or a tool error, never a protocol error, and the engine's memory stays bounded.
//!
//! Correctness only: nothing here is timed. Every fault injected here is one a read may be
//! retried through (429 with Retry-After, 5xx, a dropped connection, a reply past the
//! timeout), and no fault fires twice in a row for one request, so every call succeeds.

mod support;

use std::sync::Arc;
use std::time::Duration;

use gws_sandbox::{FaultRule, Sandbox};
use serde_json::{Value, json};
use support::Engine;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Tool calls fired in all.
const CALLS: u64 = 300;
/// Calls in flight at once.
const CONCURRENCY: usize = 32;
/// The engine's resident memory may grow at most this much over the load (debug build).
const GROWTH_LIMIT_KB: u64 = 96 * 1024;
/// And never pass this.
const PEAK_LIMIT_KB: u64 = 256 * 1024;

const MESSAGES: &str = "/gmail/v1/users/me/messages/";
const CALENDARS: &str = "/calendar/v3/calendars/";
const CALENDAR_LIST: &str = "/calendar/v3/users/me/calendarList";

/// What came back for one call.
enum Answer {
    Result { is_error: bool },
    ProtocolError(String),
}

fn faults() -> Vec<FaultRule> {
    vec![
        FaultRule::status(429)
            .on("GET", MESSAGES)
            .retry_after(1)
            .every(5),
        FaultRule::status(503).on("GET", CALENDARS).every(7),
        FaultRule::reset().on("GET", CALENDARS).every(13),
        FaultRule::status(500).on("GET", CALENDAR_LIST).every(11),
        // Past the engine's one-second request timeout set below.
        FaultRule::delay(1500).on("GET", CALENDAR_LIST).every(17),
    ]
}

/// The `i`th call: the three tools in turn, with small upstream costs.
fn call(i: u64) -> Value {
    let today = chrono::Utc::now().date_naive();
    let (name, arguments) = match i % 3 {
        0 => (
            "search_gmail_messages",
            json!({"query": "is:unread", "page_size": 5}),
        ),
        1 => (
            "get_events",
            json!({"time_min": today.to_string(),
                   "time_max": (today + chrono::Days::new(7)).to_string()}),
        ),
        _ => ("list_calendars", json!({})),
    };
    json!({"jsonrpc": "2.0", "id": i, "method": "tools/call",
           "params": {"name": name, "arguments": arguments}})
}

async fn send(client: &reqwest::Client, url: &str, id: u64) -> (u64, Answer) {
    let response = client
        .post(url)
        .header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", "2025-11-25")
        .json(&call(id))
        .send()
        .await;
    let response = match response {
        Ok(response) => response,
        Err(error) => {
            return (
                id,
                Answer::ProtocolError(format!("no HTTP answer: {error}")),
            );
        }
    };
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let Ok(reply) = serde_json::from_str::<Value>(&text) else {
        return (
            id,
            Answer::ProtocolError(format!("HTTP {status}, not JSON: {text}")),
        );
    };

    let answered = reply["id"].as_u64().unwrap_or(u64::MAX);
    let answer = match (&reply["result"]["isError"], reply.get("error")) {
        (Value::Bool(is_error), None) if status == 200 && reply["jsonrpc"] == "2.0" => {
            Answer::Result {
                is_error: *is_error,
            }
        }
        _ => Answer::ProtocolError(format!("HTTP {status}: {reply}")),
    };
    (answered, answer)
}

fn memory_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn rules_fired(client: &reqwest::Client, sandbox: &Sandbox) -> Vec<u64> {
    let listed: Value = client
        .get(format!("{}/_sandbox/faults", sandbox.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    listed["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["fired"].as_u64().unwrap_or(0))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_concurrent_calls_under_faults_are_each_answered_once_as_a_result() {
    let sandbox = Sandbox::start(0).await.expect("the sandbox starts");
    for rule in faults() {
        sandbox.add_fault(rule).unwrap();
    }
    let engine = Engine::start(
        &sandbox.url(),
        &[
            ("GWS_REQUEST_TIMEOUT_SECS", "1"),
            ("GWS_CALL_DEADLINE_SECS", "10"),
        ],
    );
    let client = support::client_builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let url = engine.mcp();
    send(&client, &url, CALLS).await;
    let idle_kb = memory_kb(engine.pid(), "VmRSS:");

    let gate = Arc::new(Semaphore::new(CONCURRENCY));
    let mut calls = JoinSet::new();
    for id in 0..CALLS {
        let (client, url, gate) = (client.clone(), url.clone(), Arc::clone(&gate));
        calls.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            send(&client, &url, id).await
        });
    }
    let mut answered = Vec::new();
    let (mut results, mut tool_errors, mut protocol_errors) = (0, 0, Vec::new());
    while let Some(joined) = calls.join_next().await {
        let (id, answer) = joined.expect("no call task panics");
        answered.push(id);
        match answer {
            Answer::Result { is_error: false } => results += 1,
            Answer::Result { is_error: true } => tool_errors += 1,
            Answer::ProtocolError(error) => protocol_errors.push(error),
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (rss_kb, peak_kb) = (
        memory_kb(engine.pid(), "VmRSS:"),
        memory_kb(engine.pid(), "VmHWM:"),
    );
    let fired = rules_fired(&client, &sandbox).await;
    eprintln!(
        "{results} results, {tool_errors} tool errors, {} protocol errors; faults fired \
         {fired:?}; RSS {idle_kb} kB idle, {rss_kb} kB after, {peak_kb} kB peak",
        protocol_errors.len()
    );

    answered.sort_unstable();
    assert_eq!(
        answered,
        (0..CALLS).collect::<Vec<_>>(),
        "each id answered once"
    );
    assert!(protocol_errors.is_empty(), "{protocol_errors:#?}");
    assert_eq!(results + tool_errors, CALLS);
    assert_eq!(
        tool_errors, 0,
        "retried faults never surface as tool errors"
    );
    assert!(
        fired.iter().all(|&count| count > 0),
        "every fault fired: {fired:?}"
    );
    assert!(
        rss_kb > 0 && rss_kb < idle_kb + GROWTH_LIMIT_KB,
        "{idle_kb} → {rss_kb} kB"
    );
    assert!(peak_kb < PEAK_LIMIT_KB, "peak {peak_kb} kB");
}
