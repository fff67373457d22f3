//! What a fired fault sends: Google's error body for the status, or nothing at all.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use hyper::body::Frame;
use serde_json::Value;

use crate::error::ApiError;

/// Gmail's 429, with `status: RESOURCE_EXHAUSTED`.
const RATE_LIMITED: &str = include_str!(
    "../../fixtures/samples/errors/429-gmail-rateLimitExceeded-RESOURCE_EXHAUSTED.json"
);

/// The per-user 403 rate limit Drive and Calendar send.
const USER_RATE_LIMITED: &str =
    include_str!("../../fixtures/samples/errors/403-userRateLimitExceeded.json");

/// The generic 500.
const INTERNAL: &str = include_str!("../../fixtures/samples/errors/500-internalError.json");

/// Calendar's 500.
const CALENDAR_BACKEND: &str =
    include_str!("../../fixtures/samples/errors/500-calendar-backendError.json");

/// The 503 every API sends when a backend is down.
const UNAVAILABLE: &str = include_str!("../../fixtures/samples/errors/503-backendError.json");

/// The Google error body for `status` on `path`: a real capture where there is one.
pub(crate) fn error_body(status: u16, path: &str) -> Value {
    let fixture = match status {
        429 => Some(RATE_LIMITED),
        403 => Some(USER_RATE_LIMITED),
        500 if path.starts_with("/calendar/") => Some(CALENDAR_BACKEND),
        500 => Some(INTERNAL),
        503 => Some(UNAVAILABLE),
        _ => None,
    };

    match fixture {
        Some(text) => ApiError::fixture(text).body,
        None => {
            let reason = StatusCode::from_u16(status)
                .ok()
                .and_then(|code| code.canonical_reason())
                .unwrap_or("Error");
            ApiError::google(status, "injectedFault", reason)
                .with_status()
                .body
        }
    }
}

/// The error answer for `status`, pretty-printed like Google's, with `Retry-After` if asked.
pub(crate) fn error(status: u16, retry_after: Option<u64>, path: &str) -> Response {
    let body = error_body(status, path);
    let text = serde_json::to_vec_pretty(&body).unwrap_or_default();

    let mut response = Response::new(Body::from(text));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    if let Some(seconds) = retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }

    response
}

/// An answer that never reaches the client: its body fails before the first byte, and
/// hyper then closes the connection without writing even the status line.
pub(crate) fn reset() -> Response {
    Response::new(Body::new(FailingBody))
}

/// A body whose first poll is an error.
struct FailingBody;

impl hyper::body::Body for FailingBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        let error = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected reset");
        Poll::Ready(Some(Err(error)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_bodies_are_googles_captures_with_a_matching_code() {
        for (status, path, reason) in [
            (429, "/gmail/v1/users/me/messages/x", "rateLimitExceeded"),
            (403, "/drive/v3/files", "userRateLimitExceeded"),
            (500, "/gmail/v1/users/me/messages", "internalError"),
            (500, "/calendar/v3/calendars/primary/events", "backendError"),
            (503, "/drive/v3/files", "backendError"),
            (502, "/drive/v3/files", "injectedFault"),
        ] {
            let body = error_body(status, path);

            assert_eq!(body["error"]["code"], status, "{body}");
            assert_eq!(body["error"]["errors"][0]["reason"], reason, "{body}");
        }
    }

    #[test]
    fn an_error_answer_carries_retry_after_when_asked() {
        let limited = error(429, Some(1), "/gmail/v1/users/me/messages/x");
        let failed = error(503, None, "/drive/v3/files");

        assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(limited.headers()[header::RETRY_AFTER], "1");
        assert!(failed.headers().get(header::RETRY_AFTER).is_none());
    }
}
