//! The `jwt-bearer` grant a service account uses, with and without domain-wide delegation.

mod oauth_support;

use gws_sandbox::oauth::SERVICE_ACCOUNT_EMAIL;
use oauth_support::{GMAIL, Google, assertion, now};
use serde_json::{Value, json};

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const AUDIENCE: &str = "https://oauth2.googleapis.com/token";

fn claims(sub: Option<&str>) -> Value {
    let now = now();
    let mut claims = json!({"iss": SERVICE_ACCOUNT_EMAIL, "scope": GMAIL, "aud": AUDIENCE,
                            "iat": now, "exp": now + 3600});
    if let Some(sub) = sub {
        claims["sub"] = json!(sub);
    }
    claims
}

async fn grant(google: &Google, jwt: &str) -> (u16, Value) {
    google
        .token(&[("grant_type", JWT_BEARER), ("assertion", jwt)])
        .await
}

#[tokio::test]
async fn a_signed_assertion_with_sub_gets_a_token_acting_for_that_user() {
    let google = Google::start().await;

    let (status, body) = grant(&google, &assertion(&claims(Some("boss@example.com")))).await;

    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap();
    assert!(access.starts_with("ya29.sandbox-"));
    assert_eq!(
        (body["expires_in"].clone(), body["token_type"].clone()),
        (json!(3599), json!("Bearer"))
    );
    assert_eq!(body["scope"], GMAIL);
    assert!(body.get("refresh_token").is_none());
    assert_eq!(google.get("/gmail/v1/users/me/labels", access).await.0, 200);

    let entry = google.sandbox.oauth_log().pop().unwrap();
    assert_eq!(entry.grant_type.as_deref(), Some(JWT_BEARER));
    assert_eq!(entry.sub.as_deref(), Some("boss@example.com"));
    assert_eq!(entry.iss.as_deref(), Some(SERVICE_ACCOUNT_EMAIL));
    assert_eq!(entry.scopes, [GMAIL]);
    assert_eq!(entry.user.as_deref(), Some("boss@example.com"));
    assert!(entry.signature_checked);
    assert_eq!(entry.claims.unwrap()["aud"], AUDIENCE);
}

#[tokio::test]
async fn without_sub_the_token_acts_for_the_service_account_itself() {
    let google = Google::start().await;
    let mut claims = claims(None);
    claims["scope"] = json!("https://www.googleapis.com/auth/userinfo.email");

    let (status, body) = grant(&google, &assertion(&claims)).await;
    assert_eq!(status, 200, "{body}");
    let (_, me) = google
        .get(
            "/oauth2/v2/userinfo",
            body["access_token"].as_str().unwrap(),
        )
        .await;

    assert_eq!(me["email"], SERVICE_ACCOUNT_EMAIL);
    assert_eq!(google.sandbox.oauth_log()[0].sub, None);
}

#[tokio::test]
async fn a_tampered_assertion_of_a_known_account_is_invalid_jwt_signature() {
    let google = Google::start().await;
    let good = assertion(&claims(Some("user@example.com")));
    let (header, rest) = good.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    let other = base64_json(&claims(Some("ceo@example.com")));

    let (status, body) = grant(&google, &format!("{header}.{other}.{signature}")).await;

    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "Invalid JWT Signature.");
    assert!(!google.sandbox.oauth_log()[0].signature_checked);
}

#[tokio::test]
async fn another_service_account_is_accepted_without_a_signature_check() {
    let google = Google::start().await;
    let mut claims = claims(None);
    claims["iss"] = json!("robot@other-project.iam.gserviceaccount.com");
    let unsigned = format!(
        "{}.{}.c2ln",
        base64_json(&json!({"alg": "RS256"})),
        base64_json(&claims)
    );

    let (status, _) = grant(&google, &unsigned).await;

    assert_eq!(status, 200);
    assert!(!google.sandbox.oauth_log()[0].signature_checked);
}

#[tokio::test]
async fn assertions_with_a_bad_issuer_audience_lifetime_or_scope_are_refused() {
    let google = Google::start().await;
    let refused = |field: &'static str, value: Value| {
        let google = &google;
        async move {
            let mut claims = claims(Some("user@example.com"));
            claims[field] = value;
            let (status, body) = grant(google, &assertion(&claims)).await;
            assert_eq!(status, 400, "{field}: {body}");
            body["error"].as_str().unwrap().to_string()
        }
    };

    assert_eq!(
        refused("iss", json!("user@example.com")).await,
        "invalid_grant"
    );
    assert_eq!(
        refused("aud", json!("https://example.com/token")).await,
        "invalid_grant"
    );
    assert_eq!(refused("exp", json!(now() + 7200)).await, "invalid_grant");
    assert_eq!(refused("exp", json!(now() - 10)).await, "invalid_grant");
    assert_eq!(refused("scope", json!("")).await, "invalid_scope");
    assert_eq!(
        refused("sub", json!("not-an-address")).await,
        "invalid_grant"
    );

    let (status, body) = grant(&google, "not.a-jwt").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn the_sandbox_own_token_url_is_an_accepted_audience() {
    let google = Google::start().await;
    let mut claims = claims(None);
    claims["aud"] = json!(google.url("/token"));

    assert_eq!(grant(&google, &assertion(&claims)).await.0, 200);
}

fn base64_json(value: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}
