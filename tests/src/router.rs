//! From an HTTP request to a service endpoint: record, decode, resolve, authenticate.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::error::ApiError;
use crate::record::RecordedRequest;
use crate::request::Incoming;
use crate::state::AppState;
use crate::{calendar, drive, gmail};

/// The largest body accepted: Gmail's 35 MiB send limit plus base64 overhead.
const BODY_LIMIT: usize = 48 * 1024 * 1024;

/// What a handler answers when it succeeds.
pub(crate) enum Reply {
    /// A JSON document.
    Json(Value),
    /// Bytes with their content type, e.g. a file download.
    Bytes(String, Vec<u8>),
    /// `204 No Content`, as Google answers a delete or a batch modify.
    Empty,
}

/// A handler's outcome.
pub(crate) type Outcome = Result<Reply, ApiError>;

/// One emulated method, resolved from the method and the decoded path.
enum Endpoint {
    Gmail(gmail::Endpoint),
    Calendar(calendar::Endpoint),
    Drive(drive::Endpoint),
}

/// Serves every path outside `/_sandbox/` as a Google route.
pub(crate) async fn google(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    if path.starts_with("/_sandbox/") {
        return StatusCode::NOT_FOUND.into_response();
    }

    let Ok(body) = to_bytes(body, BODY_LIMIT).await.map(|bytes| bytes.to_vec()) else {
        let error = ApiError::google(413, "uploadTooLarge", "Request entity too large");
        return respond(Err(error), true);
    };
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|query| {
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let authorization = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let json = serde_json::from_slice::<Value>(&body).ok();

    state.recorder.push(RecordedRequest {
        method: parts.method.to_string(),
        path: path.clone(),
        query: query.clone(),
        authorization: authorization.map(str::to_string),
        body: json.clone(),
    });
    tracing::debug!(method = %parts.method, path = %path, "google request");
    if let Some(fault) = state.faults.intercept(parts.method.as_str(), &path).await {
        return fault;
    }

    let pretty = !query
        .iter()
        .any(|(key, value)| key == "prettyPrint" && value == "false");
    let incoming = Incoming { query, body, json };
    let outcome = dispatch(&state, &parts.method, &path, authorization, &incoming);

    respond(outcome, pretty)
}

/// Resolves the endpoint first (unknown paths are 404 whatever the token), then checks
/// the bearer token (see `oauth::access`: lax or strict, and the token's scopes), then runs
/// the handler.
fn dispatch(
    state: &AppState,
    method: &Method,
    path: &str,
    authorization: Option<&str>,
    incoming: &Incoming,
) -> Outcome {
    let segments = decode_segments(path);
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let endpoint =
        resolve(method, &segments).ok_or_else(|| ApiError::unknown_route(method.as_str(), path))?;

    if !has_bearer_token(authorization) {
        return Err(ApiError::unauthenticated());
    }
    let service = match endpoint {
        Endpoint::Gmail(_) => "gmail",
        Endpoint::Calendar(_) => "calendar",
        Endpoint::Drive(_) => "drive",
    };
    state.oauth.check_api(authorization, service, method)?;

    match endpoint {
        Endpoint::Gmail(endpoint) => endpoint.handle(state, incoming),
        Endpoint::Calendar(endpoint) => endpoint.handle(state, incoming),
        Endpoint::Drive(endpoint) => endpoint.handle(state, incoming),
    }
}

fn resolve(method: &Method, segments: &[&str]) -> Option<Endpoint> {
    match segments {
        ["gmail", "v1", rest @ ..] => gmail::Endpoint::resolve(method, rest).map(Endpoint::Gmail),
        ["upload", "gmail", "v1", rest @ ..] => {
            gmail::Endpoint::resolve_upload(method, rest).map(Endpoint::Gmail)
        }
        ["calendar", "v3", rest @ ..] => {
            calendar::Endpoint::resolve(method, rest).map(Endpoint::Calendar)
        }
        ["drive", "v3", rest @ ..] => drive::Endpoint::resolve(method, rest).map(Endpoint::Drive),
        _ => None,
    }
}

/// Splits the raw path into segments and percent-decodes each one on its own, so an
/// encoded `/` (`%2F`) stays inside its segment.
fn decode_segments(path: &str) -> Vec<String> {
    path.trim_start_matches('/')
        .split('/')
        .map(|segment| percent_decode_str(segment).decode_utf8_lossy().into_owned())
        .collect()
}

/// `Authorization: Bearer <token>` with a non-empty token; the scheme is case-insensitive.
fn has_bearer_token(authorization: Option<&str>) -> bool {
    let Some(value) = authorization else {
        return false;
    };
    let Some((scheme, token)) = value.split_once(' ') else {
        return false;
    };

    scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()
}

fn respond(outcome: Outcome, pretty: bool) -> Response {
    let (status, reply) = match outcome {
        Ok(Reply::Empty) => return StatusCode::NO_CONTENT.into_response(),
        Ok(reply) => (StatusCode::OK, reply),
        Err(err) => {
            let status = StatusCode::from_u16(err.code).unwrap_or(StatusCode::BAD_REQUEST);
            (status, Reply::Json(err.body))
        }
    };

    let (content_type, bytes) = match reply {
        Reply::Json(value) => (
            "application/json; charset=UTF-8".to_string(),
            json_text(&value, pretty),
        ),
        Reply::Bytes(content_type, bytes) => (content_type, bytes),
        Reply::Empty => (String::new(), Vec::new()),
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }

    response
}

/// Serializes like Google's front end: pretty by default, `<` and `>` as `\u003c`/`\u003e`.
/// JSON syntax itself never uses angle brackets, so replacing them only touches strings.
fn json_text(value: &Value, pretty: bool) -> Vec<u8> {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    let text = text.unwrap_or_default();

    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_encoded_hash_and_slash_stay_inside_their_segment() {
        let segments = decode_segments(
            "/calendar/v3/calendars/en.usa%23holiday%40group.v.calendar.google.com/events",
        );

        assert_eq!(segments[3], "en.usa#holiday@group.v.calendar.google.com");
        assert_eq!(
            decode_segments("/drive/v3/files/a%2Fb"),
            ["drive", "v3", "files", "a/b"]
        );
    }

    #[test]
    fn only_a_non_empty_bearer_token_is_accepted() {
        assert!(has_bearer_token(Some("Bearer ya29.token")));
        assert!(has_bearer_token(Some("bearer ya29.token")));
        assert!(!has_bearer_token(Some("Bearer ")));
        assert!(!has_bearer_token(Some("Basic dXNlcjpwYXNz")));
        assert!(!has_bearer_token(None));
    }

    #[test]
    fn angle_brackets_are_escaped_like_google_does() {
        let text = json_text(&serde_json::json!({"v": "<a@b>"}), false);

        assert_eq!(
            String::from_utf8(text).unwrap(),
            r#"{"v":"\u003ca@b\u003e"}"#
        );
    }
}
