//! `POST /token`: the `authorization_code`, `refresh_token` and `jwt-bearer` grants.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::event::OAuthEvent;
use super::form::{Params, basic_credentials};
use super::reply::{OAuthError, json_reply};
use super::store::{Store, now_secs};
use super::user::User;
use super::{ACCESS_TOKEN_LIFETIME_SECS, OAuthClient, jwt, scopes};
use crate::state::AppState;

/// The `grant_type` of a service account's signed assertion.
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Google's token endpoints, any of which a service account may name as `aud`.
const GOOGLE_AUDIENCES: [&str; 3] = [
    "https://oauth2.googleapis.com/token",
    "https://www.googleapis.com/oauth2/v4/token",
    "https://accounts.google.com/o/oauth2/token",
];

/// Handles one token request; every request is logged with its outcome.
pub(crate) async fn handle(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let params = Params::body_then_query(&body, &uri);
    let grant_type = params.get("grant_type");
    let mut event = OAuthEvent {
        endpoint: "token".into(),
        grant_type: grant_type.map(str::to_string),
        code_verifier: params.get("code_verifier").is_some(),
        redirect_uri: params.get("redirect_uri").map(str::to_string),
        ..OAuthEvent::default()
    };

    let outcome = {
        let mut store = state.oauth.lock();
        let store = &mut *store;
        match grant_type {
            Some("authorization_code") => code_grant(store, &headers, &params, &mut event),
            Some("refresh_token") => refresh_grant(store, &headers, &params, &mut event),
            Some(JWT_BEARER) => jwt_grant(store, &headers, &params, &mut event),
            None => Err(OAuthError::invalid_request(
                "Missing required parameter: grant_type",
            )),
            Some(other) => Err(OAuthError::new(
                400,
                "unsupported_grant_type",
                &format!("Invalid grant_type: {other}"),
            )),
        }
    };
    event.outcome = match &outcome {
        Ok(_) => "ok".into(),
        Err(error) => error.code().to_string(),
    };
    state.oauth.record(event);

    match outcome {
        Ok(body) => json_reply(200, &body),
        Err(error) => error.into_response(),
    }
}

/// Identifies the client by HTTP Basic or by the form's `client_id`/`client_secret`, and
/// checks the secret.
fn authenticate(
    store: &Store,
    headers: &HeaderMap,
    params: &Params,
    event: &mut OAuthEvent,
) -> Result<OAuthClient, OAuthError> {
    let (client_id, secret, how) = match basic_credentials(headers) {
        Some((id, secret)) => {
            if params.get("client_id").is_some_and(|form| form != id) {
                return Err(OAuthError::invalid_client("Unauthorized"));
            }
            (id, Some(secret), "basic")
        }
        None => {
            let id = params.get("client_id").ok_or_else(|| {
                OAuthError::invalid_request("Could not determine client ID from request.")
            })?;
            let secret = params.get("client_secret").map(str::to_string);
            let how = if secret.is_some() { "form" } else { "none" };
            (id.to_string(), secret, how)
        }
    };
    event.client_id = Some(client_id.clone());
    event.client_auth = Some(how.to_string());

    let client = store
        .clients
        .get(&client_id)
        .cloned()
        .ok_or_else(|| OAuthError::invalid_client("The OAuth client was not found."))?;
    match (&client.client_secret, secret) {
        (Some(_), None) => Err(OAuthError::invalid_request("client_secret is missing.")),
        (Some(expected), Some(given)) if *expected != given => {
            Err(OAuthError::invalid_client("Unauthorized"))
        }
        _ => Ok(client),
    }
}

/// Exchanges a code, once, checking the client, the redirect URI and the PKCE verifier.
fn code_grant(
    store: &mut Store,
    headers: &HeaderMap,
    params: &Params,
    event: &mut OAuthEvent,
) -> Result<Value, OAuthError> {
    let client = authenticate(store, headers, params, event)?;
    let code = params
        .get("code")
        .ok_or_else(|| OAuthError::invalid_request("Missing required parameter: code"))?;
    let entry = store
        .codes
        .get(code)
        .cloned()
        .ok_or_else(|| OAuthError::invalid_grant("Malformed auth code."))?;
    event.user = Some(entry.user.email.clone());
    if entry.redeemed {
        return Err(OAuthError::code_redeemed());
    }
    if entry.client_id != client.client_id {
        return Err(OAuthError::invalid_grant("Bad Request"));
    }
    match params.get("redirect_uri") {
        None => {
            return Err(OAuthError::invalid_request(
                "Missing parameter: redirect_uri",
            ));
        }
        Some(uri) if uri != entry.redirect_uri => {
            return Err(OAuthError::new(400, "redirect_uri_mismatch", "Bad Request"));
        }
        Some(_) => {}
    }
    if let Some(challenge) = &entry.challenge {
        match params.get("code_verifier") {
            None => return Err(OAuthError::invalid_grant("Missing code verifier.")),
            Some(verifier) if !challenge.accepts(verifier) => {
                return Err(OAuthError::invalid_grant("Invalid code verifier."));
            }
            Some(_) => {}
        }
    }
    if let Some(code) = store.codes.get_mut(code) {
        code.redeemed = true;
    }

    let email = &entry.user.email;
    let refresh = (entry.offline
        && (entry.consent || !store.has_live_grant(&client.client_id, email)))
    .then(|| store.issue_refresh_token(&client.client_id, &entry.user, &entry.scopes));
    let access = store.issue_access_token(
        &client.client_id,
        &entry.user,
        &entry.scopes,
        refresh.as_deref(),
    );
    event.scopes.clone_from(&entry.scopes);
    event.refresh_token_issued = refresh.is_some();

    Ok(token_body(
        &access,
        refresh.as_deref(),
        &entry.scopes,
        &client.client_id,
        &entry.user,
    ))
}

/// A new access token from a live refresh token of the same client; no new refresh token.
fn refresh_grant(
    store: &mut Store,
    headers: &HeaderMap,
    params: &Params,
    event: &mut OAuthEvent,
) -> Result<Value, OAuthError> {
    let client = authenticate(store, headers, params, event)?;
    let token = params
        .get("refresh_token")
        .ok_or_else(|| OAuthError::invalid_request("Missing required parameter: refresh_token"))?;
    let grant = store
        .grants
        .get(token)
        .filter(|grant| grant.live)
        .cloned()
        .ok_or_else(OAuthError::expired_or_revoked)?;
    event.user = Some(grant.user.email.clone());
    if grant.client_id != client.client_id {
        return Err(OAuthError::new(400, "unauthorized_client", "Unauthorized"));
    }
    let scopes = match params.get("scope") {
        None => grant.scopes.clone(),
        Some(text) => scopes::parse(text)
            .ok()
            .filter(|asked| asked.iter().all(|s| grant.scopes.contains(s)))
            .ok_or_else(|| {
                OAuthError::new(
                    400,
                    "invalid_scope",
                    "Some requested scopes were not granted.",
                )
            })?,
    };
    event.scopes.clone_from(&scopes);

    let access = store.issue_access_token(&client.client_id, &grant.user, &scopes, Some(token));
    Ok(token_body(
        &access,
        None,
        &scopes,
        &client.client_id,
        &grant.user,
    ))
}

/// A service account's signed assertion: checks `iss`, the signature when the account's
/// key is known, `aud`, `iat`/`exp`, `scope` and `sub`.
fn jwt_grant(
    store: &mut Store,
    headers: &HeaderMap,
    params: &Params,
    event: &mut OAuthEvent,
) -> Result<Value, OAuthError> {
    event.client_auth = Some("assertion".into());
    let text = params
        .get("assertion")
        .ok_or_else(|| OAuthError::invalid_request("Missing required parameter: assertion"))?;
    let assertion = jwt::parse(text)
        .map_err(|why| OAuthError::invalid_grant(&format!("Invalid JWT: {why}")))?;
    event.claims = Some(Value::Object(assertion.claims.clone()));
    let claims = assertion
        .grant_claims()
        .map_err(|why| OAuthError::invalid_grant(&format!("Invalid JWT: {why}")))?;
    event.iss = Some(claims.iss.clone());
    event.client_id = Some(claims.iss.clone());
    event.sub.clone_from(&claims.sub);
    event.aud = Some(claims.aud.clone());

    if assertion.algorithm() != Some("RS256") {
        return Err(OAuthError::invalid_grant(
            "Invalid JWT: the algorithm must be RS256.",
        ));
    }
    if !is_service_account(&claims.iss) {
        return Err(OAuthError::invalid_grant(
            "Invalid grant: account not found",
        ));
    }
    if let Some(key) = store.account_keys.get(&claims.iss) {
        if !assertion.verify_rs256(key) {
            return Err(OAuthError::invalid_grant("Invalid JWT Signature."));
        }
        event.signature_checked = true;
    }
    if !audience_ok(&claims.aud, headers) {
        return Err(OAuthError::invalid_grant(
            "Invalid JWT: the audience is not the token endpoint.",
        ));
    }
    if !claims.timely(now_secs()) {
        return Err(OAuthError::invalid_grant(
            "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable \
             timeframe. Check your iat and exp values in the JWT claim.",
        ));
    }
    let scopes = claims
        .scope
        .as_deref()
        .and_then(|text| scopes::parse(text).ok())
        .filter(|scopes| !scopes.is_empty())
        .ok_or_else(|| {
            OAuthError::new(
                400,
                "invalid_scope",
                "Invalid OAuth scope or ID token audience provided.",
            )
        })?;
    event.scopes.clone_from(&scopes);
    let user = match &claims.sub {
        Some(sub) if !sub.contains('@') => {
            return Err(OAuthError::invalid_grant("Invalid email or User ID"));
        }
        Some(sub) => User::for_email(sub),
        None => User::for_email(&claims.iss),
    };
    event.user = Some(user.email.clone());

    let access = store.issue_access_token(&claims.iss, &user, &scopes, None);
    Ok(json!({
        "access_token": access,
        "expires_in": ACCESS_TOKEN_LIFETIME_SECS,
        "scope": scopes.join(" "),
        "token_type": "Bearer",
    }))
}

/// `name@project.iam.gserviceaccount.com` (or another `*.gserviceaccount.com` domain).
fn is_service_account(email: &str) -> bool {
    email
        .split_once('@')
        .is_some_and(|(name, domain)| !name.is_empty() && domain.ends_with("gserviceaccount.com"))
}

/// One of Google's token URLs, or this sandbox's own, as the client reached it.
fn audience_ok(aud: &str, headers: &HeaderMap) -> bool {
    if GOOGLE_AUDIENCES.contains(&aud) {
        return true;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    ["/token", "/oauth2/v4/token", "/o/oauth2/token"]
        .iter()
        .any(|path| aud == format!("http://{host}{path}"))
}

/// Google's success body, in Google's field order; an `id_token` when `openid` was granted.
fn token_body(
    access: &str,
    refresh: Option<&str>,
    scopes: &[String],
    client_id: &str,
    user: &User,
) -> Value {
    let mut body = json!({"access_token": access, "expires_in": ACCESS_TOKEN_LIFETIME_SECS});
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
    }
    body["scope"] = json!(scopes.join(" "));
    body["token_type"] = json!("Bearer");
    if scopes.iter().any(|s| s == "openid") {
        body["id_token"] = json!(id_token(client_id, user, scopes));
    }
    body
}

/// An OpenID id token with Google's claims. Its signature is a placeholder: clients that
/// got it straight from the token endpoint need not verify it, and must not here.
fn id_token(client_id: &str, user: &User, scopes: &[String]) -> String {
    let now = now_secs();
    let mut claims = json!({
        "iss": "https://accounts.google.com",
        "azp": client_id,
        "aud": client_id,
        "sub": user.id,
    });
    if scopes.iter().any(|s| s.ends_with("userinfo.email")) {
        claims["email"] = json!(user.email);
        claims["email_verified"] = json!(true);
    }
    if scopes.iter().any(|s| s.ends_with("userinfo.profile")) {
        claims["name"] = json!(user.name);
        claims["picture"] = json!(user.picture());
    }
    claims["iat"] = json!(now);
    claims["exp"] = json!(now + ACCESS_TOKEN_LIFETIME_SECS as i64 + 1);
    let header = json!({"alg": "RS256", "kid": "sandbox", "typ": "JWT"});
    let part = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());

    format!(
        "{}.{}.{}",
        part(&header),
        part(&claims),
        URL_SAFE_NO_PAD.encode("sandbox-unsigned")
    )
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn the_audience_is_a_google_token_url_or_this_sandbox_own() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8100"));

        assert!(audience_ok("https://oauth2.googleapis.com/token", &headers));
        assert!(audience_ok("http://127.0.0.1:8100/token", &headers));
        assert!(!audience_ok("http://127.0.0.1:9999/token", &headers));
        assert!(!audience_ok("https://example.com/token", &headers));
    }

    #[test]
    fn only_a_gserviceaccount_address_is_a_service_account() {
        assert!(is_service_account("a@p.iam.gserviceaccount.com"));
        assert!(!is_service_account("user@example.com"));
        assert!(!is_service_account("@p.iam.gserviceaccount.com"));
    }

    #[test]
    fn the_id_token_names_the_user_only_with_the_scopes_that_allow_it() {
        let user = User::for_email("user@example.com");
        let email = "https://www.googleapis.com/auth/userinfo.email".to_string();
        let token = id_token("client", &user, &["openid".into(), email]);

        let claims = jwt::parse(&token).unwrap().claims;
        assert_eq!(claims["sub"], json!(user.id));
        assert_eq!(claims["email"], json!("user@example.com"));
        assert_eq!(claims["aud"], json!("client"));
        assert!(!claims.contains_key("name"));
    }
}
