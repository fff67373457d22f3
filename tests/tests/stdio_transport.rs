//! `gws-engine serve --stdio`: the same catalogue over standard input and output, as desktop
//! clients run it.

mod support;

use std::{
    ffi::OsStr,
    io::{BufRead, BufReader, Write},
    process::{Child, ChildStdin, Command, Stdio},
    sync::mpsc::{Receiver, channel},
    time::Duration,
};

use serde_json::{Value, json};

/// An engine serving over stdio, with its output lines read on a thread.
struct Session {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Session {
    /// Starts `serve --stdio` with `env`, and completes the MCP handshake; returns the
    /// session and the `initialize` reply.
    fn start<K: AsRef<OsStr>, V: AsRef<OsStr>>(env: &[(K, V)]) -> (Session, Value) {
        let mut command = Command::new(support::engine_binary());
        command
            .args(["serve", "--stdio"])
            .env("GWS_ACCESS_TOKEN", support::TOKEN)
            .env("GWS_CATALOGUE_DIR", support::catalogue_dir())
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut session = Session {
            child,
            stdin,
            lines,
        };

        session.send(
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "t", "version": "0"}}}),
        );
        let init = session.next(10_000).expect("initialize is answered");
        session.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        (session, init)
    }

    fn send(&mut self, message: Value) {
        writeln!(self.stdin, "{message}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// The next message the engine writes, if one comes within `wait_ms`.
    fn next(&self, wait_ms: u64) -> Option<Value> {
        let line = self
            .lines
            .recv_timeout(Duration::from_millis(wait_ms))
            .ok()?;
        serde_json::from_str(&line).ok()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn sandbox() -> gws_sandbox::Sandbox {
    let _ = rustls::crypto::ring::default_provider().install_default();
    gws_sandbox::Sandbox::start(0).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stdio_session_initializes_lists_and_calls_a_tool() {
    let sandbox = sandbox().await;
    let (mut session, init) = Session::start(&[("GWS_API_ROOT", sandbox.url())]);

    session.send(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}));
    let listed = session.next(10_000).unwrap();
    session.send(json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "list_calendars", "arguments": {}}}));
    let called = session.next(10_000).unwrap();

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
    let (session, init) = Session::start(&[("GWS_CATALOGUE_DIR", dir.as_path())]);

    let calendar = dir.join("calendar.yaml");
    let text = std::fs::read_to_string(&calendar).unwrap();
    std::fs::write(
        &calendar,
        text.replace("title: List calendars", "title: Your calendars"),
    )
    .unwrap();
    let notice = session.next(10_000).expect("a notice within 10 s");

    assert_eq!(
        init["result"]["capabilities"]["tools"]["listChanged"], true,
        "{init}"
    );
    assert_eq!(
        notice["method"], "notifications/tools/list_changed",
        "{notice}"
    );
    drop(session);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_call_stops_and_is_never_answered() {
    let sandbox = sandbox().await;
    sandbox.set_delay(Duration::from_secs(3));
    let (mut session, _) = Session::start(&[("GWS_API_ROOT", sandbox.url())]);

    session.send(json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call",
        "params": {"name": "list_calendars", "arguments": {}}}));
    tokio::time::sleep(Duration::from_millis(500)).await;
    session.send(
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": {"requestId": 5, "reason": "user"}}),
    );
    session.send(json!({"jsonrpc": "2.0", "id": 6, "method": "ping"}));

    let ping = session
        .next(2_000)
        .expect("ping is answered while the slow call is cancelled");
    assert_eq!(ping["id"], 6, "{ping}");
    assert!(
        session.next(4_000).is_none(),
        "the cancelled call is never answered"
    );
}
