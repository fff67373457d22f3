//! Who a token belongs to (`userinfo`, `tokeninfo`) and ending a grant (`revoke`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::access::Bearer;
use super::event::OAuthEvent;
use super::form::{Params, bearer_of};
use super::reply::{OAuthError, json_reply};
use super::store::OAuth;
use super::user::User;
use crate::error::ApiError;
use crate::seed::USER_EMAIL;
use crate::state::AppState;

/// `GET /oauth2/v2/userinfo`: `id`, `email`, `verified_email`, `name`, `given_name`,
/// `family_name`, `picture`; the email fields need the email scope, the names the profile
/// scope.
pub(crate) async fn v2(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match identity(&state.oauth, &headers) {
        Ok((user, scopes)) => {
            let mut body = json!({"id": user.id});
            if has(&scopes, "userinfo.email") {
                body["email"] = json!(user.email);
                body["verified_email"] = json!(true);
            }
            if has(&scopes, "userinfo.profile") {
                profile(&mut body, &user);
            }
            json_reply(200, &body)
        }
        Err(error) => json_reply(error.code, &error.body),
    }
}

/// `GET /oauth2/v3/userinfo` and `/v1/userinfo` (OpenID Connect): `sub`, the profile
/// fields, `email`, `email_verified`.
pub(crate) async fn v3(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match identity(&state.oauth, &headers) {
        Ok((user, scopes)) => {
            let mut body = json!({"sub": user.id});
            if has(&scopes, "userinfo.profile") {
                profile(&mut body, &user);
            }
            if has(&scopes, "userinfo.email") {
                body["email"] = json!(user.email);
                body["email_verified"] = json!(true);
            }
            json_reply(200, &body)
        }
        Err(error) => json_reply(error.code, &error.body),
    }
}

/// `GET /oauth2/v3/tokeninfo?access_token=...`: what an access token grants.
pub(crate) async fn tokeninfo(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    body: Bytes,
) -> Response {
    let params = Params::body_then_query(&body, &uri);
    let token = params.get("access_token").unwrap_or("");
    let (client_id, user, scopes, left, offline) = match state.oauth.bearer(token) {
        Bearer::Issued(issued) => {
            let left = issued.seconds_left();
            let offline = issued.refresh_token.is_some();
            (issued.client_id, issued.user, issued.scopes, left, offline)
        }
        Bearer::Static => {
            let user = User::for_email(USER_EMAIL);
            (String::new(), user, every_scope(), 3599, false)
        }
        Bearer::Dead | Bearer::Unknown => {
            return OAuthError::new(400, "invalid_token", "Invalid Value").into_response();
        }
    };
    let mut body = json!({
        "azp": client_id,
        "aud": client_id,
        "sub": user.id,
        "scope": scopes.join(" "),
        "exp": (super::store::now_secs() + left as i64).to_string(),
        "expires_in": left.to_string(),
    });
    if has(&scopes, "userinfo.email") {
        body["email"] = json!(user.email);
        body["email_verified"] = json!("true");
    }
    body["access_type"] = json!(if offline { "offline" } else { "online" });
    json_reply(200, &body)
}

/// `POST /revoke` with `token` in the form or the query: 200 `{}`, or 400 `invalid_token`
/// for a token that is unknown or already dead.
pub(crate) async fn revoke(State(state): State<Arc<AppState>>, uri: Uri, body: Bytes) -> Response {
    let params = Params::body_then_query(&body, &uri);
    let outcome = match params.get("token") {
        None => Err(OAuthError::invalid_request(
            "Missing required parameter: token",
        )),
        Some(token) if state.oauth.lock().revoke(token) => Ok(()),
        Some(_) => Err(OAuthError::new(
            400,
            "invalid_token",
            "Token expired or revoked",
        )),
    };
    state.oauth.record(OAuthEvent {
        endpoint: "revoke".into(),
        outcome: outcome
            .as_ref()
            .map_or_else(|e| e.code().to_string(), |()| "ok".into()),
        ..OAuthEvent::default()
    });

    match outcome {
        Ok(()) => json_reply(200, &json!({})),
        Err(error) => error.into_response(),
    }
}

/// The user and scopes behind the request's bearer token.
fn identity(oauth: &OAuth, headers: &HeaderMap) -> Result<(User, Vec<String>), ApiError> {
    let token = bearer_of(headers).ok_or_else(ApiError::unauthenticated)?;
    match oauth.bearer(token) {
        Bearer::Issued(issued) => Ok((issued.user, issued.scopes)),
        Bearer::Static => Ok((User::for_email(USER_EMAIL), every_scope())),
        Bearer::Unknown if !oauth.strict() => Ok((User::for_email(USER_EMAIL), every_scope())),
        Bearer::Unknown | Bearer::Dead => Err(ApiError::unauthenticated()),
    }
}

/// The userinfo scopes a token that is not an issued one stands for.
fn every_scope() -> Vec<String> {
    ["openid", "email", "profile"]
        .iter()
        .filter_map(|scope| super::scopes::normalize(scope))
        .collect()
}

fn has(scopes: &[String], suffix: &str) -> bool {
    scopes.iter().any(|scope| scope.ends_with(suffix))
}

fn profile(body: &mut Value, user: &User) {
    body["name"] = json!(user.name);
    body["given_name"] = json!(user.given_name);
    body["family_name"] = json!(user.family_name);
    body["picture"] = json!(user.picture());
}
