//! Google sign-in and credentials through the real engine against the sandbox's OAuth
//! endpoints: the consent flow, refresh on expiry and after a 401, `invalid_grant`, accounts
//! kept apart, passthrough tokens, service accounts, and the API key on `/mcp`.

mod support;

use std::{fs, path::PathBuf, time::Duration};

use gws_sandbox::{Sandbox, oauth};
use reqwest::{StatusCode, redirect::Policy};
use serde_json::{Value, json};
use support::{Engine, client, client_builder, free_port};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gws-auth-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

async fn strict_sandbox() -> Sandbox {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = Sandbox::start(0).await.unwrap();
    sandbox.set_strict_tokens(true);
    sandbox
}

/// An engine signing users in through the sandbox's OAuth client, storing under `store`.
fn oauth_engine(sandbox: &Sandbox, store: &std::path::Path, extra: &[(&str, &str)]) -> Engine {
    let port = free_port();
    let mut env = vec![
        ("GWS_ACCESS_TOKEN", ""),
        ("GOOGLE_OAUTH_CLIENT_ID", oauth::CLIENT_ID),
        ("GOOGLE_OAUTH_CLIENT_SECRET", oauth::CLIENT_SECRET),
        ("WORKSPACE_MCP_CREDENTIALS_DIR", store.to_str().unwrap()),
    ];
    env.extend_from_slice(extra);
    let redirect = format!("http://127.0.0.1:{port}/oauth2callback");
    env.push(("GOOGLE_OAUTH_REDIRECT_URI", &redirect));
    Engine::start_on(port, &sandbox.url(), &env)
}

async fn call(engine: &Engine, name: &str, arguments: Value) -> Value {
    client()
        .post(format!("{}/mcp/tools/call", engine.url))
        .json(&json!({"name": name, "arguments": arguments}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn text(result: &Value) -> String {
    result["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Follows a sign-in link the way a browser would: the sandbox approves and redirects to the
/// engine's callback, which answers with a page.
async fn sign_in(link: &str, user: Option<&str>) -> (StatusCode, String) {
    let browser = client_builder().redirect(Policy::none()).build().unwrap();
    let link = match user {
        Some(user) => format!("{link}&_sandbox_user={user}"),
        None => link.to_owned(),
    };
    let approval = browser.get(&link).send().await.unwrap();
    assert_eq!(approval.status(), StatusCode::FOUND, "the sandbox approves");
    let back = approval.headers()["location"].to_str().unwrap().to_owned();
    let page = browser.get(&back).send().await.unwrap();
    (page.status(), page.text().await.unwrap())
}

/// An engine for user@example.com, signed in through the link its first call answers with;
/// with the credential file and what it holds.
async fn signed_in(sandbox: &Sandbox, store: &std::path::Path) -> (Engine, PathBuf, Value) {
    let engine = oauth_engine(sandbox, store, &[("USER_GOOGLE_EMAIL", "user@example.com")]);
    let first = call(&engine, "list_calendars", json!({})).await;
    sign_in(&link_in(&text(&first)), None).await;
    let file = store.join("user@example.com.json");
    let stored = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    (engine, file, stored)
}

/// How many refresh-token grants the sandbox has seen.
fn refreshes(sandbox: &Sandbox) -> usize {
    let log = sandbox.oauth_log();
    log.iter()
        .filter(|e| e.grant_type.as_deref() == Some("refresh_token"))
        .count()
}

fn link_in(message: &str) -> String {
    let start = message
        .find("http://127.0.0.1")
        .expect("a sign-in link in the message");
    message[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches('.')
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_signs_in_through_the_link_the_tool_error_gives_and_the_call_then_works() {
    let sandbox = strict_sandbox().await;
    let store = temp_dir("consent");
    let engine = oauth_engine(
        &sandbox,
        &store,
        &[("USER_GOOGLE_EMAIL", "user@example.com")],
    );

    let before = call(&engine, "list_calendars", json!({})).await;
    assert_eq!(before["isError"], true);
    let message = text(&before);
    assert!(message.contains("sign-in is needed"), "{message}");
    let link = link_in(&message);
    assert!(
        link.contains("code_challenge_method=S256") && link.contains("access_type=offline"),
        "{link}"
    );

    let (status, page) = sign_in(&link, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Signed in as user@example.com"), "{page}");

    let after = call(&engine, "list_calendars", json!({})).await;
    assert_eq!(after["isError"], false, "{after}");
    let stored: Value =
        serde_json::from_str(&fs::read_to_string(store.join("user@example.com.json")).unwrap())
            .unwrap();
    assert!(stored["refresh_token"].is_string() && stored["token"].is_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(store.join("user@example.com.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let exchange = sandbox
        .oauth_log()
        .into_iter()
        .find(|e| e.grant_type.as_deref() == Some("authorization_code"))
        .unwrap();
    assert!(
        exchange.code_verifier,
        "the code exchange carries the PKCE verifier"
    );
    let used = support::requests_to(&sandbox, "/users/me/calendarList")
        .pop()
        .unwrap();
    assert_eq!(
        used.authorization.as_deref(),
        Some(format!("Bearer {}", stored["token"].as_str().unwrap()).as_str())
    );
    fs::remove_dir_all(store).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_refreshed_once_and_the_refresh_token_is_kept() {
    let sandbox = strict_sandbox().await;
    let store = temp_dir("refresh");
    let (engine, file, mut stored) = signed_in(&sandbox, &store).await;
    let refresh_token = stored["refresh_token"].clone();
    stored["expiry"] = json!("2020-01-01T00:00:00Z");
    fs::write(&file, stored.to_string()).unwrap();
    drop(engine);
    let engine = oauth_engine(
        &sandbox,
        &store,
        &[("USER_GOOGLE_EMAIL", "user@example.com")],
    );

    let calls = (0..4).map(|_| call(&engine, "list_calendars", json!({})));
    let results = futures_join(calls).await;

    assert!(results.iter().all(|r| r["isError"] == false), "{results:?}");
    assert_eq!(refreshes(&sandbox), 1, "parallel calls share one refresh");
    let updated: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(updated["refresh_token"], refresh_token);
    assert_ne!(updated["token"], stored["token"]);
    fs::remove_dir_all(store).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_leads_to_exactly_one_refresh_and_one_retry() {
    let sandbox = strict_sandbox().await;
    let store = temp_dir("401");
    let (engine, _, stored) = signed_in(&sandbox, &store).await;
    assert_eq!(
        call(&engine, "list_calendars", json!({})).await["isError"],
        false
    );
    assert!(sandbox.expire_access_token(stored["token"].as_str().unwrap()));
    sandbox.clear_requests();

    let result = call(&engine, "list_calendars", json!({})).await;

    assert_eq!(result["isError"], false, "{result}");
    let tries = support::requests_to(&sandbox, "/users/me/calendarList");
    assert_eq!(tries.len(), 2, "the rejected try and the retry");
    assert_eq!(refreshes(&sandbox), 1);
    fs::remove_dir_all(store).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_grant_asks_for_sign_in_again_with_a_link() {
    let sandbox = strict_sandbox().await;
    let store = temp_dir("revoked");
    let (engine, file, mut stored) = signed_in(&sandbox, &store).await;
    assert!(sandbox.expire_refresh_token(stored["refresh_token"].as_str().unwrap()));
    stored["expiry"] = json!("2020-01-01T00:00:00Z");
    fs::write(&file, stored.to_string()).unwrap();
    drop(engine);
    let engine = oauth_engine(
        &sandbox,
        &store,
        &[("USER_GOOGLE_EMAIL", "user@example.com")],
    );

    let result = call(&engine, "list_calendars", json!({})).await;

    assert_eq!(result["isError"], true);
    let message = text(&result);
    assert!(
        message.contains("no longer accepts") && message.contains("7 days"),
        "{message}"
    );
    assert!(message.contains("/o/oauth2/v2/auth?"), "{message}");
    fs::remove_dir_all(store).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_accounts_calling_at_once_each_use_their_own_token() {
    let sandbox = strict_sandbox().await;
    let store = temp_dir("two");
    let engine = oauth_engine(&sandbox, &store, &[]);
    for user in ["ann@example.com", "bob@example.com"] {
        let first = call(
            &engine,
            "list_calendars",
            json!({"user_google_email": user}),
        )
        .await;
        let (status, page) = sign_in(&link_in(&text(&first)), Some(user)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains(user), "{page}");
    }
    let token_of = |user: &str| -> String {
        let stored: Value =
            serde_json::from_str(&fs::read_to_string(store.join(format!("{user}.json"))).unwrap())
                .unwrap();
        format!("Bearer {}", stored["token"].as_str().unwrap())
    };
    sandbox.clear_requests();

    let calls = (0..20).map(|i| {
        let user = if i % 2 == 0 {
            "ann@example.com"
        } else {
            "bob@example.com"
        };
        call(
            &engine,
            "search_gmail_messages",
            json!({"query": format!("subject:{user}"), "user_google_email": user}),
        )
    });
    let results = futures_join(calls).await;

    assert!(results.iter().all(|r| r["isError"] == false), "{results:?}");
    for request in support::requests_to(&sandbox, "/gmail/v1/users/me/messages") {
        let q = support::query(&request, "q").unwrap();
        let user = q.trim_start_matches("subject:");
        assert_eq!(
            request.authorization.as_deref(),
            Some(token_of(user).as_str()),
            "a call for {user} used another account's token"
        );
    }
    fs::remove_dir_all(store).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passthrough_token_is_used_for_its_call_only_and_never_stored() {
    let sandbox = strict_sandbox().await;
    let store = temp_dir("passthrough");
    let engine = Engine::start(
        &sandbox.url(),
        &[
            ("GWS_ACCESS_TOKEN", ""),
            ("GWS_AUTH_PASSTHROUGH", "1"),
            ("WORKSPACE_MCP_CREDENTIALS_DIR", store.to_str().unwrap()),
        ],
    );
    let http = client();
    let call_with = |bearer: Option<&'static str>| {
        let mut request = http
            .post(format!("{}/mcp/tools/call", engine.url))
            .json(&json!({"name": "list_calendars", "arguments": {}}));
        if let Some(bearer) = bearer {
            request = request.header("Authorization", format!("Bearer {bearer}"));
        }
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };

    let with = call_with(Some("sandbox-token")).await;
    let without = call_with(None).await;

    assert_eq!(with["isError"], false, "{with}");
    assert_eq!(without["isError"], true);
    assert!(
        text(&without).contains("Authorization: Bearer"),
        "{}",
        text(&without)
    );
    let used: Vec<_> = support::requests_to(&sandbox, "/users/me/calendarList");
    assert_eq!(used.len(), 1);
    assert_eq!(
        used[0].authorization.as_deref(),
        Some("Bearer sandbox-token")
    );
    assert!(!store.exists(), "nothing is stored in passthrough mode");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_account_asserts_the_calling_user_and_the_tools_scopes() {
    let sandbox = strict_sandbox().await;
    let key =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/service-account-test-key.json");
    let engine = Engine::start(
        &sandbox.url(),
        &[
            ("GWS_ACCESS_TOKEN", ""),
            ("GOOGLE_SERVICE_ACCOUNT_KEY_FILE", key.to_str().unwrap()),
        ],
    );

    let result = call(
        &engine,
        "get_events",
        json!({"user_google_email": "ann@example.com"}),
    )
    .await;

    assert_eq!(result["isError"], false, "{result}");
    let grant = sandbox
        .oauth_log()
        .into_iter()
        .find(|e| e.grant_type.as_deref() == Some("urn:ietf:params:oauth:grant-type:jwt-bearer"))
        .unwrap();
    assert_eq!(grant.sub.as_deref(), Some("ann@example.com"));
    assert_eq!(grant.iss.as_deref(), Some(oauth::SERVICE_ACCOUNT_EMAIL));
    assert!(
        grant.signature_checked,
        "the sandbox verified the RS256 signature"
    );
    assert_eq!(
        grant.scopes,
        vec!["https://www.googleapis.com/auth/calendar.readonly".to_owned()]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_key_guards_mcp_but_not_health() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = Sandbox::start(0).await.unwrap();
    let engine = Engine::start(&sandbox.url(), &[("GWS_API_KEY", "k-0123456789")]);
    let http = client();
    let list = |header: Option<(&'static str, &'static str)>| {
        let mut request = http.get(format!("{}/mcp/tools/list", engine.url));
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        async move { request.send().await.unwrap().status() }
    };

    assert_eq!(list(None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        list(Some(("X-API-Key", "wrong"))).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        list(Some(("X-API-Key", "k-0123456789"))).await,
        StatusCode::OK
    );
    assert_eq!(
        list(Some(("Authorization", "Bearer k-0123456789"))).await,
        StatusCode::OK
    );
    let mcp = http
        .post(format!("{}/mcp", engine.url))
        .header("Accept", "application/json, text/event-stream")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .send()
        .await
        .unwrap();
    assert_eq!(mcp.status(), StatusCode::UNAUTHORIZED);
    let health = http
        .get(format!("{}/health", engine.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_link_is_logged_at_start_when_no_account_is_signed_in() {
    let sandbox = strict_sandbox().await;
    let store = temp_dir("startup");
    let port = free_port();
    let redirect = format!("http://127.0.0.1:{port}/oauth2callback");
    let mut child = std::process::Command::new(support::engine_binary())
        .args(["serve", "--port", &port.to_string()])
        .env("GWS_API_ROOT", sandbox.url())
        .env("GWS_CATALOGUE_DIR", support::catalogue_dir())
        .env("GWS_ACCESS_TOKEN", "")
        .env("GOOGLE_OAUTH_CLIENT_ID", oauth::CLIENT_ID)
        .env("GOOGLE_OAUTH_CLIENT_SECRET", oauth::CLIENT_SECRET)
        .env("GOOGLE_OAUTH_REDIRECT_URI", &redirect)
        .env("USER_GOOGLE_EMAIL", "user@example.com")
        .env("WORKSPACE_MCP_CREDENTIALS_DIR", &store)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();

    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        log.contains("Please visit this URL to authorize: http://127.0.0.1"),
        "{log}"
    );
    assert!(
        !log.contains(oauth::CLIENT_SECRET),
        "the secret is never logged"
    );
}

/// Runs futures concurrently and collects their outputs in order.
async fn futures_join<F: std::future::Future<Output = Value>>(
    futures: impl Iterator<Item = F>,
) -> Vec<Value> {
    let handles: Vec<_> = futures.collect();
    let mut out = Vec::new();
    let joined = futures_util::future::join_all(handles).await;
    out.extend(joined);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_google_auth_returns_a_link_that_signs_the_user_in() {
    let sandbox = strict_sandbox().await;
    let store = temp_dir("start");
    let engine = oauth_engine(
        &sandbox,
        &store,
        &[("USER_GOOGLE_EMAIL", "user@example.com")],
    );

    let started = call(
        &engine,
        "start_google_auth",
        json!({"service_name": "gmail"}),
    )
    .await;

    assert_eq!(started["isError"], false, "{started}");
    let link = started["structuredContent"]["auth_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(text(&started).contains(&link));
    let (status, page) = sign_in(&link, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        call(&engine, "list_calendars", json!({})).await["isError"],
        false
    );
    fs::remove_dir_all(store).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_google_auth_says_so_when_the_server_does_not_sign_users_in() {
    let sandbox = strict_sandbox().await;
    let engine = Engine::start(&sandbox.url(), &[]);

    let started = call(
        &engine,
        "start_google_auth",
        json!({"service_name": "gmail"}),
    )
    .await;

    assert_eq!(started["isError"], true);
    assert!(
        text(&started).contains("does not sign users in"),
        "{}",
        text(&started)
    );
}
