//! Which bearer tokens the Google routes accept: lax by default, strict on request, and the
//! scopes an issued token carries.

mod oauth_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use gws_sandbox::oauth::STATIC_TOKEN;
use oauth_support::{DRIVE_READONLY, GMAIL, Google};
use serde_json::{Value, json};

/// Google's 401 body, which strict mode answers for a token it did not issue.
const UNAUTHENTICATED: &str =
    include_str!("../fixtures/samples/errors/401-modern-UNAUTHENTICATED.json");

#[tokio::test]
async fn by_default_any_bearer_token_opens_the_google_routes() {
    let google = Google::start().await;

    assert_eq!(
        google
            .get("/gmail/v1/users/me/labels", "ya29.anything")
            .await
            .0,
        200
    );
    assert_eq!(google.get("/drive/v3/files", STATIC_TOKEN).await.0, 200);
}

#[tokio::test]
async fn strict_mode_accepts_issued_tokens_and_sandbox_token_and_refuses_others_with_google_401() {
    let google = Google::start().await;
    google.sandbox.set_strict_tokens(true);
    let access = google.sign_in(GMAIL).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();

    let (status, body) = google
        .get("/gmail/v1/users/me/labels", "ya29.made-up")
        .await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        serde_json::from_str::<Value>(UNAUTHENTICATED).unwrap()
    );
    assert_eq!(
        google.get("/gmail/v1/users/me/labels", &access).await.0,
        200
    );
    assert_eq!(
        google
            .get("/calendar/v3/users/me/calendarList", STATIC_TOKEN)
            .await
            .0,
        200
    );
    assert_eq!(
        google.get("/oauth2/v2/userinfo", "ya29.made-up").await.0,
        401
    );
}

#[tokio::test]
async fn strict_mode_can_be_switched_by_the_control_route() {
    let google = Google::start().await;

    let (status, body) = google
        .control("/_sandbox/oauth/strict", &json!({"strict": true}))
        .await;
    assert_eq!((status, body), (200, json!({"strict": true})));
    assert_eq!(google.get("/drive/v3/files", "ya29.made-up").await.0, 401);

    google
        .control("/_sandbox/oauth/strict", &json!({"strict": false}))
        .await;
    assert_eq!(google.get("/drive/v3/files", "ya29.made-up").await.0, 200);
    assert_eq!(
        google.control("/_sandbox/oauth/strict", &json!({})).await.0,
        400
    );
}

#[tokio::test]
async fn an_issued_token_without_a_scope_of_the_service_gets_403_insufficient_permissions() {
    let google = Google::start().await;
    let tokens = google.sign_in(DRIVE_READONLY).await;
    let access = tokens["access_token"].as_str().unwrap();

    assert_eq!(google.get("/drive/v3/files", access).await.0, 200);
    let (status, body) = google.get("/gmail/v1/users/me/labels", access).await;
    assert_eq!(status, 403);
    assert_eq!(
        body["error"]["errors"][0]["reason"],
        "insufficientPermissions"
    );
    assert_eq!(
        body["error"]["details"][0]["reason"],
        "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    );
    assert_eq!(
        body["error"]["details"][0]["metadata"]["service"],
        "gmail.googleapis.com"
    );
    assert_eq!(
        google.sandbox.token_scopes(access).unwrap(),
        [DRIVE_READONLY]
    );
}

#[tokio::test]
async fn a_read_only_token_may_read_but_not_write() {
    let google = Google::start().await;
    let scope = "https://www.googleapis.com/auth/calendar.readonly";
    let access = google.sign_in(scope).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let event =
        json!({"summary": "x", "start": {"date": "2026-05-01"}, "end": {"date": "2026-05-02"}});

    assert_eq!(
        google
            .get("/calendar/v3/calendars/primary/events", &access)
            .await
            .0,
        200
    );
    let (status, _) = google
        .post_json("/calendar/v3/calendars/primary/events", &access, &event)
        .await;
    assert_eq!(status, 403);
}

#[test]
fn the_binary_flag_strict_tokens_turns_strict_mode_on() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gws-sandbox"))
        .args(["--port", "0", "--strict-tokens"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let statuses = runtime.block_on(async {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::new();
        let mut statuses = Vec::new();
        for token in ["ya29.made-up", STATIC_TOKEN] {
            let request = client
                .get(format!("{url}/drive/v3/files"))
                .bearer_auth(token);
            statuses.push(request.send().await.unwrap().status().as_u16());
        }
        statuses
    });
    let _ = child.kill();
    let _ = child.wait();

    assert_eq!(statuses, [401, 200]);
}
