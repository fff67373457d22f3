//! The catalogue as a product: diagnostics, tiers and filters on the tool surface, scopes,
//! overlays and aliases, hot reload, dry runs and coverage.

mod support;

use std::{fs, path::PathBuf, process::Command, time::Duration};

use serde_json::{Value, json};
use support::{Engine, catalogue_dir, client, engine_binary};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/catalogues")
        .join(name)
}

fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut command = Command::new(engine_binary());
    command
        .args(args)
        .env("GWS_CATALOGUE_DIR", catalogue_dir())
        .env_remove("TOOL_TIER")
        .env_remove("TOOLS");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (
        output.status.code().unwrap(),
        text(output.stdout),
        text(output.stderr),
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gws-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn ten_kinds_of_mistake_are_all_reported_with_their_places_in_one_run() {
    let dir = fixture("ten-mistakes");

    let (code, _, stderr) = run(&["validate", dir.to_str().unwrap()], &[]);

    assert_eq!(code, 1, "{stderr}");
    for (needle, line) in [
        (
            "unknown Discovery method `gmail.users.messages.teleport`",
            "mistakes.yaml:11:",
        ),
        ("has no parameter `maxResult`", "mistakes.yaml:26:"),
        ("`format` is `fancy`, not one of", "mistakes.yaml:43:"),
        ("requires the path parameter `id`", "mistakes.yaml:55:"),
        (
            "none of the tool's scopes grants `gmail.users.messages.send`",
            "mistakes.yaml:61:",
        ),
        (
            "unknown template variable or function `querry`",
            "mistakes.yaml:88:",
        ),
        (
            "malformed JSONPath `$.list.messages[*.id`",
            "mistakes.yaml:104:",
        ),
        (
            "duplicate tool name `mistake_duplicate`",
            "mistakes.yaml:119:",
        ),
        ("argument `size` uses `oneOf`", "mistakes.yaml:140:"),
        (
            "the core tier lists 130 tools, more than the 128",
            "many.yaml:",
        ),
    ] {
        let at = stderr
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not reported:\n{stderr}"));
        let following = &stderr[at..];
        let place = following.lines().nth(1).unwrap_or_default();
        assert!(
            place.contains(line),
            "`{needle}` is not placed at {line}: {place}"
        );
    }
    assert!(stderr.contains("  = tool: mistake_wrong_scope"), "{stderr}");
    assert!(stderr.contains("  = help: it accepts:"), "{stderr}");
    assert!(
        stderr.contains("^\n"),
        "a caret under the culprit:\n{stderr}"
    );
}

#[test]
fn json_diagnostics_carry_file_line_column_tool_and_help() {
    let dir = fixture("ten-mistakes");

    let (code, _, stderr) = run(
        &["validate", "--format", "json", dir.to_str().unwrap()],
        &[],
    );

    assert_eq!(code, 1);
    let problems: Vec<Value> = serde_json::from_str(&stderr).unwrap();
    let scope = problems
        .iter()
        .find(|p| p["tool"] == "mistake_wrong_scope")
        .unwrap();
    assert_eq!(scope["severity"], "error");
    assert!(scope["file"].as_str().unwrap().ends_with("mistakes.yaml"));
    assert_eq!(scope["line"], 61);
    assert!(scope["column"].as_u64().unwrap() > 0);
    assert!(scope["help"].as_str().unwrap().contains("gmail.send"));
}

#[test]
fn tiers_services_and_name_lists_choose_the_tools_served() {
    let names = |env: &[(&str, &str)]| -> Vec<String> {
        let (code, stdout, stderr) = run(&["tools"], env);
        assert_eq!(code, 0, "{stderr}");
        stdout
            .lines()
            .map(|l| l.split_whitespace().next().unwrap().to_owned())
            .collect()
    };

    let all = names(&[]);
    let gmail_calendar = names(&[("TOOLS", "gmail, calendar")]);
    let spaced = names(&[("TOOLS", "gmail calendar")]);
    let enabled = names(&[("TOOLS", "gmail"), ("GWS_ENABLE_TOOLS", "list_calendars")]);
    let disabled = names(&[("GWS_DISABLE_TOOLS", "send_gmail_message,create_event")]);
    let read_only = names(&[("WORKSPACE_MCP_READ_ONLY", "1")]);

    assert!(all.len() >= 8);
    assert!(gmail_calendar.iter().all(|n| !n.contains("drive")));
    assert_eq!(gmail_calendar, spaced);
    assert!(
        enabled.contains(&"list_calendars".to_owned())
            && !enabled.contains(&"get_events".to_owned())
    );
    assert!(
        !disabled.contains(&"send_gmail_message".to_owned())
            && !disabled.contains(&"create_event".to_owned())
    );
    assert!(
        !read_only.contains(&"send_gmail_message".to_owned())
            && read_only.contains(&"search_gmail_messages".to_owned())
    );
}

#[test]
fn the_scopes_asked_for_follow_the_tools_enabled() {
    let (_, all, _) = run(&["tools", "--scopes"], &[]);
    let (_, read_only, _) = run(&["tools", "--scopes", "--read-only"], &[]);
    let (_, gmail, _) = run(&["tools", "--scopes"], &[("TOOLS", "gmail")]);

    assert!(all.contains("https://www.googleapis.com/auth/gmail.send"));
    assert!(!read_only.contains("gmail.send") && read_only.contains("gmail.readonly"));
    assert!(
        all.lines()
            .take(2)
            .eq(["openid", "https://www.googleapis.com/auth/userinfo.email"])
    );
    let tool_scopes = gmail.lines().skip(2);
    assert!(
        tool_scopes.clone().count() > 0 && tool_scopes.clone().all(|scope| scope.contains("gmail")),
        "{gmail}"
    );
}

#[tokio::test]
async fn an_overlay_replaces_a_shipped_tool_and_an_alias_calls_without_being_listed() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = gws_sandbox::Sandbox::start(0).await.unwrap();
    let overlay = temp_dir("overlay");
    let shipped = fs::read_to_string(catalogue_dir().join("calendar.yaml")).unwrap();
    let edited = shipped.replace("title: List calendars", "title: Calendars (team overlay)");
    fs::write(overlay.join("calendar.yaml"), edited).unwrap();
    let engine = Engine::start(
        &sandbox.url(),
        &[("GWS_CATALOGUE", overlay.to_str().unwrap())],
    );
    let http = client();

    let listed: Value = http
        .get(format!("{}/mcp/tools/list", engine.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let by_alias: Value = http
        .post(format!("{}/mcp/tools/call", engine.url))
        .json(&json!({"name": "list_drive_items", "arguments": {}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let tools = listed["tools"].as_array().unwrap();
    let calendars = tools
        .iter()
        .find(|t| t["name"] == "list_calendars")
        .unwrap();
    assert_eq!(calendars["title"], "Calendars (team overlay)");
    assert!(
        tools.iter().all(|t| t["name"] != "list_drive_items"),
        "aliases are not listed"
    );
    assert_eq!(by_alias["isError"], false, "{by_alias}");
    assert!(!support::requests_to(&sandbox, "/drive/v3/files").is_empty());
    fs::remove_dir_all(overlay).unwrap();
}

#[tokio::test]
async fn an_edit_is_served_without_a_restart_and_a_broken_one_keeps_the_old_catalogue() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = gws_sandbox::Sandbox::start(0).await.unwrap();
    let dir = temp_dir("reload");
    for entry in fs::read_dir(catalogue_dir()).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let engine = Engine::start(
        &sandbox.url(),
        &[("GWS_CATALOGUE_DIR", dir.to_str().unwrap())],
    );
    let http = client();
    let title = |http: reqwest::Client, url: String| async move {
        let listed: Value = http
            .get(format!("{url}/mcp/tools/list"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        listed["tools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "list_calendars")
            .map(|t| t["title"].clone())
    };
    let calendar = dir.join("calendar.yaml");
    let text = fs::read_to_string(&calendar).unwrap();

    fs::write(
        &calendar,
        text.replace("title: List calendars", "title: Your calendars"),
    )
    .unwrap();
    let mut seen = Value::Null;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        seen = title(http.clone(), engine.url.clone())
            .await
            .unwrap_or_default();
        if seen == "Your calendars" {
            break;
        }
    }
    assert_eq!(seen, "Your calendars", "the edit was not picked up");

    fs::write(&calendar, text.replace("tier: core", "tier: kernel")).unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        title(http.clone(), engine.url.clone()).await.unwrap(),
        "Your calendars",
        "a broken edit must not be served"
    );
    fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn dry_run_mode_shows_the_requests_and_sends_nothing() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = gws_sandbox::Sandbox::start(0).await.unwrap();
    let engine = Engine::start(&sandbox.url(), &[("GWS_DRY_RUN", "1")]);

    let result: Value = client()
        .post(format!("{}/mcp/tools/call", engine.url))
        .json(&json!({"name": "send_gmail_message", "arguments": {"to": "a@example.com", "subject": "x", "body": "y"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("nothing was sent"), "{text}");
    assert!(
        text.contains("POST ") && text.contains("/gmail/v1/users/me/messages/send"),
        "{text}"
    );
    assert!(
        text.contains("Bearer ***") && !text.contains("sandbox-token"),
        "{text}"
    );
    assert!(sandbox.requests().is_empty());
}

#[test]
fn the_cli_dry_run_prints_each_request_with_the_credential_masked() {
    let (code, stdout, stderr) = run(
        &[
            "call",
            "get_events",
            "--args",
            r#"{"calendar_id": "a#b", "time_min": "2026-07-27"}"#,
            "--dry-run",
        ],
        &[("GWS_ACCESS_TOKEN", "ya29.secret")],
    );

    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("GET https://www.googleapis.com/calendar/v3/calendars/a%23b/events?"),
        "{stdout}"
    );
    assert!(
        stdout.contains("timeMin=2026-07-27T00%3A00%3A00Z"),
        "{stdout}"
    );
    assert!(!stdout.contains("ya29.secret"));
}

#[test]
fn coverage_reports_each_api_with_the_methods_reached() {
    let (code, stdout, stderr) = run(&["coverage", "--format", "json"], &[]);

    assert_eq!(code, 0, "{stderr}");
    let report: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    let gmail = report.iter().find(|api| api["api"] == "gmail").unwrap();
    let reached = gmail["reached"].as_array().unwrap();
    assert!(reached.contains(&json!("gmail.users.messages.send")));
    assert!(gmail["methods"].as_u64().unwrap() > reached.len() as u64);
}
