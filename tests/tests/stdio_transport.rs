//! `gws-engine serve --stdio`: the same catalogue over standard input and output, as desktop
//! clients run it.

mod support;

use std::{
    io::{BufRead, BufReader, Write},
    process::{Command, Stdio},
};

use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stdio_session_initializes_lists_and_calls_a_tool() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = gws_sandbox::Sandbox::start(0).await.unwrap();
    let mut child = Command::new(support::engine_binary())
        .args(["serve", "--stdio"])
        .env("GWS_API_ROOT", sandbox.url())
        .env("GWS_ACCESS_TOKEN", support::TOKEN)
        .env("GWS_CATALOGUE_DIR", support::catalogue_dir())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut exchange = |message: Value, answered: bool| -> Option<Value> {
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
        answered.then(|| {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            serde_json::from_str(&line).unwrap()
        })
    };

    let init = exchange(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}}), true).unwrap();
    exchange(
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        false,
    );
    let listed = exchange(
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        true,
    )
    .unwrap();
    let called = exchange(
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "list_calendars", "arguments": {}}}),
        true,
    )
    .unwrap();

    assert_eq!(init["result"]["serverInfo"]["name"], "gws-engine");
    let names: Vec<&str> = listed["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"search_gmail_messages"));
    assert_eq!(called["result"]["isError"], false, "{called}");
    assert!(!support::requests_to(&sandbox, "/users/me/calendarList").is_empty());
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_stdio_client_is_told_when_the_catalogue_changes() {
    let dir = std::env::temp_dir().join(format!("gws-stdio-reload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(support::catalogue_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let mut child = Command::new(support::engine_binary())
        .args(["serve", "--stdio"])
        .env("GWS_ACCESS_TOKEN", support::TOKEN)
        .env("GWS_CATALOGUE_DIR", &dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut send = |message: Value| {
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    };
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}}),
    );
    let init: Value = serde_json::from_str(
        &received
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap(),
    )
    .unwrap();
    send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));

    let calendar = dir.join("calendar.yaml");
    let text = std::fs::read_to_string(&calendar).unwrap();
    std::fs::write(
        &calendar,
        text.replace("title: List calendars", "title: Your calendars"),
    )
    .unwrap();
    let notice: Value = serde_json::from_str(
        &received
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap(),
    )
    .unwrap();

    assert_eq!(
        init["result"]["capabilities"]["tools"]["listChanged"], true,
        "{init}"
    );
    assert_eq!(
        notice["method"], "notifications/tools/list_changed",
        "{notice}"
    );
    let _ = child.kill();
    let _ = child.wait();
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_call_stops_and_is_never_answered() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = gws_sandbox::Sandbox::start(0).await.unwrap();
    sandbox.set_delay(std::time::Duration::from_secs(3));
    let mut child = Command::new(support::engine_binary())
        .args(["serve", "--stdio"])
        .env("GWS_API_ROOT", sandbox.url())
        .env("GWS_ACCESS_TOKEN", support::TOKEN)
        .env("GWS_CATALOGUE_DIR", support::catalogue_dir())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut send = |message: Value| {
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    };
    let next = |wait: u64| -> Option<Value> {
        let line = received
            .recv_timeout(std::time::Duration::from_millis(wait))
            .ok()?;
        serde_json::from_str(&line).ok()
    };
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}}),
    );
    next(10_000).unwrap();
    send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));

    send(
        json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "list_calendars", "arguments": {}}}),
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    send(
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 5, "reason": "user"}}),
    );
    send(json!({"jsonrpc": "2.0", "id": 6, "method": "ping"}));

    let ping = next(2_000).expect("ping is answered while the slow call is cancelled");
    assert_eq!(ping["id"], 6, "{ping}");
    assert!(
        next(4_000).is_none(),
        "the cancelled call is never answered"
    );
    let _ = child.kill();
    let _ = child.wait();
}
