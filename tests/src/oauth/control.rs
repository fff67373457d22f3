//! `/_sandbox/oauth/*`: what tests use to steer and inspect the OAuth endpoints.
//!
//! - `POST /_sandbox/oauth/expire` with JSON `{"refresh_token": "..."}`,
//!   `{"access_token": "..."}` and/or `{"all_access_tokens": true}`: 200
//!   `{"expired": N}`; 404 `{"error": ...}` for a token never issued; 400 for neither.
//! - `GET /_sandbox/oauth/log`: the [`OAuthEvent`]s so far, oldest first; `DELETE` forgets
//!   them (204).
//! - `POST /_sandbox/oauth/strict` with `{"strict": true|false}`: 200 `{"strict": ...}`.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::event::OAuthEvent;
use super::store::OAuth;
use crate::state::AppState;

/// The body of `POST /_sandbox/oauth/expire`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expire {
    refresh_token: Option<String>,
    access_token: Option<String>,
    #[serde(default)]
    all_access_tokens: bool,
}

/// The body of `POST /_sandbox/oauth/strict`.
#[derive(Debug, Deserialize)]
struct Strict {
    strict: bool,
}

impl OAuth {
    /// Makes a refresh token unusable, as when it expires or its user changes password; the
    /// access tokens it issued live on until their own expiry. False if never issued.
    pub(crate) fn expire_refresh_token(&self, token: &str) -> bool {
        let mut store = self.lock();
        let Some(grant) = store.grants.get_mut(token) else {
            return false;
        };
        grant.live = false;
        true
    }

    /// Makes an access token expired, as if its hour had passed. False if never issued.
    pub(crate) fn expire_access_token(&self, token: &str) -> bool {
        let mut store = self.lock();
        let Some(issued) = store.tokens.get_mut(token) else {
            return false;
        };
        issued.live = false;
        true
    }

    /// Expires every issued access token; returns how many were still live.
    pub(crate) fn expire_access_tokens(&self) -> usize {
        let mut store = self.lock();
        let live = store.tokens.values_mut().filter(|t| t.valid());
        live.map(|token| token.live = false).count()
    }

    /// Every logged request, oldest first.
    pub(crate) fn events(&self) -> Vec<OAuthEvent> {
        self.lock().log.clone()
    }

    /// Forgets the log.
    pub(crate) fn clear_events(&self) {
        self.lock().log.clear();
    }
}

/// `POST /_sandbox/oauth/expire`.
pub(crate) async fn expire(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let request: Expire = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(err) => return bad_request(&format!("not an expire request: {err}")),
    };
    if request.refresh_token.is_none()
        && request.access_token.is_none()
        && !request.all_access_tokens
    {
        return bad_request("give refresh_token, access_token or all_access_tokens");
    }

    let oauth = &state.oauth;
    let mut expired = 0;
    if let Some(token) = &request.refresh_token {
        if !oauth.expire_refresh_token(token) {
            return not_found("refresh_token");
        }
        expired += 1;
    }
    if let Some(token) = &request.access_token {
        if !oauth.expire_access_token(token) {
            return not_found("access_token");
        }
        expired += 1;
    }
    if request.all_access_tokens {
        expired += oauth.expire_access_tokens();
    }
    Json(json!({"expired": expired})).into_response()
}

/// `GET /_sandbox/oauth/log`.
pub(crate) async fn log(State(state): State<Arc<AppState>>) -> Json<Vec<OAuthEvent>> {
    Json(state.oauth.events())
}

/// `DELETE /_sandbox/oauth/log`.
pub(crate) async fn clear(State(state): State<Arc<AppState>>) -> StatusCode {
    state.oauth.clear_events();
    StatusCode::NO_CONTENT
}

/// `POST /_sandbox/oauth/strict`.
pub(crate) async fn strict(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Strict>(&body) {
        Ok(Strict { strict }) => {
            state.oauth.set_strict(strict);
            Json(json!({"strict": strict})).into_response()
        }
        Err(err) => bad_request(&format!("expected {{\"strict\": true|false}}: {err}")),
    }
}

fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": message}))).into_response()
}

fn not_found(kind: &str) -> Response {
    let message = format!("this {kind} was never issued by the sandbox");
    (StatusCode::NOT_FOUND, Json(json!({"error": message}))).into_response()
}
