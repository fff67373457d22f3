//! The sign-in a desktop client does against the sandbox's OAuth endpoints: authorize,
//! exchange the code (PKCE), call APIs, refresh, revoke.

mod oauth_support;

use gws_sandbox::oauth::{CLIENT_ID, CLIENT_SECRET};
use gws_sandbox::seed::USER_EMAIL;
use oauth_support::{GMAIL, Google, REDIRECT, VERIFIER, basic};
use serde_json::json;

const SCOPE: &str = "openid email profile https://mail.google.com/";

#[tokio::test]
async fn the_code_flow_with_pkce_yields_tokens_that_open_gmail_and_userinfo() {
    let google = Google::start().await;

    let authorized = google.authorize_with(SCOPE, &[]).await;
    assert_eq!(authorized.status, 302, "{}", authorized.body);
    assert_eq!(authorized.target, REDIRECT);
    assert_eq!(authorized.query["state"], "st-42");
    assert!(authorized.query["code"].starts_with("4/0sandbox-"));
    let granted = "openid https://www.googleapis.com/auth/userinfo.email \
                   https://www.googleapis.com/auth/userinfo.profile https://mail.google.com/";
    assert_eq!(authorized.query["scope"], granted);

    let (status, tokens) = google.exchange(&authorized.query["code"]).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    assert!(access.starts_with("ya29.sandbox-"));
    assert_eq!(tokens["expires_in"], 3599);
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["scope"], granted);
    assert!(tokens["refresh_token"].as_str().unwrap().starts_with("1//"));
    assert_eq!(tokens["id_token"].as_str().unwrap().split('.').count(), 3);

    let (status, _) = google.get("/gmail/v1/users/me/messages", access).await;
    assert_eq!(status, 200);
    let (status, me) = google.get("/oauth2/v2/userinfo", access).await;
    assert_eq!(status, 200);
    assert_eq!(me["email"], USER_EMAIL);
    assert_eq!(me["verified_email"], true);
    assert_eq!(me["name"], "Sandbox User");
    assert_eq!(me["id"].as_str().unwrap().len(), 21);
    let (_, oidc) = google.get("/oauth2/v3/userinfo", access).await;
    assert_eq!(
        (oidc["sub"].clone(), oidc["email_verified"].clone()),
        (me["id"].clone(), json!(true))
    );

    let log = google.sandbox.oauth_log();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (
            log[0].endpoint.as_str(),
            log[0].code_challenge_method.as_deref()
        ),
        ("authorize", Some("S256"))
    );
    assert_eq!(log[0].access_type.as_deref(), Some("offline"));
    let exchange = &log[1];
    assert_eq!(exchange.grant_type.as_deref(), Some("authorization_code"));
    assert_eq!(exchange.client_id.as_deref(), Some(CLIENT_ID));
    assert_eq!(exchange.client_auth.as_deref(), Some("form"));
    assert!(exchange.code_verifier && exchange.refresh_token_issued);
    assert_eq!(exchange.outcome, "ok");
}

#[tokio::test]
async fn a_code_used_twice_is_invalid_grant_code_was_already_redeemed() {
    let google = Google::start().await;
    let authorized = google.authorize_with(GMAIL, &[]).await;
    let code = &authorized.query["code"];

    assert_eq!(google.exchange(code).await.0, 200);
    let (status, body) = google.exchange(code).await;

    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error_description": "Code was already redeemed.", "error": "invalid_grant"})
    );
    assert_eq!(google.sandbox.oauth_log()[2].outcome, "invalid_grant");
}

#[tokio::test]
async fn a_missing_or_wrong_pkce_verifier_is_invalid_grant_and_leaves_the_code_usable() {
    let google = Google::start().await;
    let code = google.authorize_with(GMAIL, &[]).await.query["code"].clone();
    let form = |verifier: Option<&'static str>| {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ];
        form.extend(verifier.map(|v| ("code_verifier", v)));
        form
    };

    let (status, body) = google.token(&form(None)).await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (400, Some("Missing code verifier."))
    );
    let wrong = "x".repeat(43).leak();
    let (status, body) = google.token(&form(Some(wrong))).await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (400, Some("Invalid code verifier."))
    );

    assert_eq!(google.token(&form(Some(VERIFIER))).await.0, 200);
}

#[tokio::test]
async fn a_plain_challenge_is_checked_against_the_verifier_itself() {
    let google = Google::start().await;
    let extra = [
        ("code_challenge", VERIFIER),
        ("code_challenge_method", "plain"),
    ];
    let authorized = google.authorize_with(GMAIL, &extra).await;

    assert_eq!(google.exchange(&authorized.query["code"]).await.0, 200);
    assert_eq!(
        google.sandbox.oauth_log()[0]
            .code_challenge_method
            .as_deref(),
        Some("plain")
    );
}

#[tokio::test]
async fn refresh_gives_a_new_access_token_and_no_refresh_token() {
    let google = Google::start().await;
    let tokens = google.sign_in(GMAIL).await;
    let refresh = tokens["refresh_token"].as_str().unwrap();

    let (status, body) = google.refresh(refresh).await;

    assert_eq!(status, 200, "{body}");
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["access_token", "expires_in", "scope", "token_type"]);
    assert_ne!(body["access_token"], tokens["access_token"]);
    assert_eq!(body["scope"], GMAIL);
    let (status, _) = google
        .get(
            "/gmail/v1/users/me/labels",
            body["access_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(status, 200);
    let entry = google.sandbox.oauth_log().pop().unwrap();
    assert_eq!(entry.grant_type.as_deref(), Some("refresh_token"));
    assert_eq!(entry.scopes, [GMAIL]);
}

#[tokio::test]
async fn after_revoke_refresh_is_invalid_grant_and_the_access_token_is_401() {
    let google = Google::start().await;
    let tokens = google.sign_in(GMAIL).await;
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();

    let (status, body) = google
        .post_form("/revoke", &[("token", refresh)], None)
        .await;
    assert_eq!((status, body), (200, json!({})));

    let (status, body) = google.refresh(refresh).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
    );
    let (status, body) = google.get("/gmail/v1/users/me/messages", access).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["status"], "UNAUTHENTICATED");
    let (status, body) = google
        .post_form("/revoke", &[("token", refresh)], None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_token"))
    );
}

#[tokio::test]
async fn revoking_an_access_token_by_query_also_ends_its_refresh_token() {
    let google = Google::start().await;
    let tokens = google.sign_in(GMAIL).await;
    let access = tokens["access_token"].as_str().unwrap();

    let path = format!("/revoke?token={access}");
    assert_eq!(google.post_form(&path, &[], None).await.0, 200);

    let (status, _) = google
        .refresh(tokens["refresh_token"].as_str().unwrap())
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_expire_control_route_ends_a_refresh_token_or_an_access_token() {
    let google = Google::start().await;
    let tokens = google.sign_in(GMAIL).await;
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();

    let (status, body) = google
        .control("/_sandbox/oauth/expire", &json!({"refresh_token": refresh}))
        .await;
    assert_eq!((status, body), (200, json!({"expired": 1})));
    assert_eq!(google.refresh(refresh).await.1["error"], "invalid_grant");
    assert_eq!(google.get("/gmail/v1/users/me/labels", access).await.0, 200);

    let expire = json!({"access_token": access});
    assert_eq!(
        google.control("/_sandbox/oauth/expire", &expire).await.0,
        200
    );
    assert_eq!(google.get("/gmail/v1/users/me/labels", access).await.0, 401);

    let unknown = json!({"access_token": "ya29.never-issued"});
    assert_eq!(
        google.control("/_sandbox/oauth/expire", &unknown).await.0,
        404
    );
    assert_eq!(
        google.control("/_sandbox/oauth/expire", &json!({})).await.0,
        400
    );
}

#[tokio::test]
async fn a_refresh_token_comes_only_with_offline_access_and_again_only_on_consent() {
    let google = Google::start().await;
    let exchange = |extra: &'static [(&'static str, &'static str)]| {
        let google = &google;
        async move {
            let code = google.authorize_with(GMAIL, extra).await.query["code"].clone();
            google.exchange(&code).await.1
        }
    };

    let online = exchange(&[("access_type", "online")]).await;
    assert!(online.get("refresh_token").is_none());
    let first = exchange(&[("prompt", "select_account")]).await;
    assert!(
        first.get("refresh_token").is_some(),
        "the first offline grant has one"
    );
    let again = exchange(&[("prompt", "select_account")]).await;
    assert!(again.get("refresh_token").is_none(), "a live grant exists");
    let consent = exchange(&[]).await;
    assert!(
        consent.get("refresh_token").is_some(),
        "prompt=consent issues a new one"
    );
}

#[tokio::test]
async fn the_client_authenticates_by_form_or_basic_and_a_bad_secret_is_invalid_client() {
    let google = Google::start().await;
    let code = google.authorize_with(GMAIL, &[]).await.query["code"].clone();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];

    let wrong = basic(CLIENT_ID, "not-the-secret");
    let (status, body) = google.post_form("/token", &form, Some(&wrong)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, body) = google
        .token(&[&form[..], &[("client_id", CLIENT_ID)]].concat())
        .await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (400, Some("client_secret is missing."))
    );
    let unknown = [&form[..], &[("client_id", "other"), ("client_secret", "x")]].concat();
    let (status, body) = google.token(&unknown).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );

    let right = basic(CLIENT_ID, CLIENT_SECRET);
    let (status, body) = google
        .post_form("/oauth2/v4/token", &form, Some(&right))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        google
            .sandbox
            .oauth_log()
            .last()
            .unwrap()
            .client_auth
            .as_deref(),
        Some("basic")
    );
}

#[tokio::test]
async fn a_redirect_uri_that_differs_at_the_token_endpoint_is_redirect_uri_mismatch() {
    let google = Google::start().await;
    let code = google.authorize_with(GMAIL, &[]).await.query["code"].clone();

    let (status, body) = google
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9999/other"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("code_verifier", VERIFIER),
        ])
        .await;

    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error": "redirect_uri_mismatch", "error_description": "Bad Request"})
    );
}

#[tokio::test]
async fn an_unknown_client_or_a_foreign_redirect_gets_an_error_page_not_a_redirect() {
    let google = Google::start().await;

    let unknown = google
        .authorize_with(GMAIL, &[("client_id", "nobody.apps.googleusercontent.com")])
        .await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.body.contains("invalid_client"));
    let foreign = google
        .authorize_with(GMAIL, &[("redirect_uri", "https://evil.example/cb")])
        .await;
    assert_eq!(foreign.status, 400);
    assert!(foreign.body.contains("redirect_uri_mismatch"));
    assert!(foreign.target.is_empty());
}

#[tokio::test]
async fn later_errors_are_sent_to_the_redirect_uri_with_the_state() {
    let google = Google::start().await;

    let bad_scope = google.authorize_with("gmail", &[]).await;
    assert_eq!(bad_scope.status, 302);
    assert_eq!(bad_scope.query["error"], "invalid_scope");
    assert_eq!(bad_scope.query["state"], "st-42");
    let denied = google
        .authorize_with(GMAIL, &[("_sandbox_deny", "1")])
        .await;
    assert_eq!(denied.query["error"], "access_denied");
    let token = google
        .authorize_with(GMAIL, &[("response_type", "token")])
        .await;
    assert_eq!(token.query["error"], "unsupported_response_type");
    let method = google
        .authorize_with(GMAIL, &[("code_challenge_method", "S512")])
        .await;
    assert_eq!(method.query["error"], "invalid_request");
    let silent = google.authorize_with(GMAIL, &[("prompt", "none")]).await;
    assert_eq!(silent.query["error"], "consent_required");
}

#[tokio::test]
async fn login_hint_signs_in_another_user_whom_userinfo_then_names() {
    let google = Google::start().await;
    let extra = [("login_hint", "alice.smith@example.com")];
    let code = google.authorize_with("email profile", &extra).await.query["code"].clone();
    let tokens = google.exchange(&code).await.1;

    let (status, me) = google
        .get(
            "/oauth2/v2/userinfo",
            tokens["access_token"].as_str().unwrap(),
        )
        .await;

    assert_eq!(status, 200);
    assert_eq!(me["email"], "alice.smith@example.com");
    assert_eq!(me["name"], "Alice Smith");
    assert_eq!(
        google.sandbox.oauth_log()[1].user.as_deref(),
        Some("alice.smith@example.com")
    );
}

#[tokio::test]
async fn include_granted_scopes_adds_the_earlier_grant_to_the_new_one() {
    let google = Google::start().await;
    google.sign_in(GMAIL).await;

    let extra = [("include_granted_scopes", "true")];
    let code = google
        .authorize_with("https://www.googleapis.com/auth/drive.readonly", &extra)
        .await;
    let tokens = google.exchange(&code.query["code"]).await.1;

    assert_eq!(
        tokens["scope"],
        "https://mail.google.com/ https://www.googleapis.com/auth/drive.readonly"
    );
}
