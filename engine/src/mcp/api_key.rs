//! The optional API key that protects `/mcp` and the debug routes.
//!
//! LiteLLM's `auth_type: api_key` sends `X-API-Key: <key>`, and `bearer_token` sends
//! `Authorization: Bearer <key>`; both are accepted, except that in passthrough mode the
//! Authorization header carries the caller's Google token and only `X-API-Key` counts. The
//! comparison takes the same time wherever the keys differ, and a refusal never says which
//! part was wrong.

use axum::{
    extract::{Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The key, and whether Authorization is the caller's Google token instead.
#[derive(Clone, Debug)]
pub struct ApiKey {
    /// The expected key.
    pub key: String,
    /// Passthrough mode: Authorization belongs to Google.
    pub passthrough: bool,
}

/// Middleware: 401 unless the request carries the key.
pub async fn require_key(State(expected): State<ApiKey>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let given_key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    let given_bearer = (!expected.passthrough)
        .then(|| {
            headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
        })
        .flatten()
        .and_then(|v| v.trim().strip_prefix("Bearer "))
        .map(str::trim);

    let matches =
        |given: Option<&str>| given.is_some_and(|g| same(g.as_bytes(), expected.key.as_bytes()));
    if matches(given_key) || matches(given_bearer) {
        return next.run(request).await;
    }
    tracing::debug!(target: "gws_engine::rejected", "request without a valid API key");
    let mut response = (
        StatusCode::UNAUTHORIZED,
        "Unauthorized: a valid API key is required",
    )
        .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    response
}

/// Equality that takes the same time for any two inputs of the same length.
fn same(given: &[u8], expected: &[u8]) -> bool {
    let mut difference = given.len() ^ expected.len();
    for (i, byte) in expected.iter().enumerate() {
        difference |= usize::from(given.get(i).copied().unwrap_or(0) ^ byte);
    }
    difference == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_equal_only_when_identical() {
        assert!(same(b"s3cret-key", b"s3cret-key"));
        assert!(!same(b"s3cret-kez", b"s3cret-key"));
        assert!(!same(b"s3cret", b"s3cret-key"));
        assert!(!same(b"s3cret-key-longer", b"s3cret-key"));
        assert!(!same(b"", b"s3cret-key"));
    }
}
