//! What the OAuth endpoints answer: token JSON, OAuth errors, error pages, redirects.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// `invalid_grant` for a code used twice, as Google words it.
const CODE_REDEEMED: &str =
    include_str!("../../fixtures/samples/oauth/token-error-invalid_grant-code-redeemed.json");

/// `invalid_grant` for a refresh token that was revoked or expired, as Google words it.
const EXPIRED_OR_REVOKED: &str =
    include_str!("../../fixtures/samples/oauth/token-error-invalid_grant-expired-or-revoked.json");

/// An OAuth error answer: `{"error": code, "error_description": text}` with its status.
#[derive(Clone, Debug)]
pub(crate) struct OAuthError {
    /// The HTTP status.
    pub(crate) status: u16,
    /// The JSON body.
    pub(crate) body: Value,
}

impl OAuthError {
    /// An error with the given status, code and description.
    pub(crate) fn new(status: u16, error: &str, description: &str) -> OAuthError {
        let body = json!({"error": error, "error_description": description});
        OAuthError { status, body }
    }

    /// 400 `invalid_request`: a parameter is missing or malformed.
    pub(crate) fn invalid_request(description: &str) -> OAuthError {
        OAuthError::new(400, "invalid_request", description)
    }

    /// 401 `invalid_client`: the client is unknown or its secret is wrong.
    pub(crate) fn invalid_client(description: &str) -> OAuthError {
        OAuthError::new(401, "invalid_client", description)
    }

    /// 400 `invalid_grant`: the code, refresh token or assertion is not good.
    pub(crate) fn invalid_grant(description: &str) -> OAuthError {
        OAuthError::new(400, "invalid_grant", description)
    }

    /// 400 `invalid_grant` "Code was already redeemed.", Google's body.
    pub(crate) fn code_redeemed() -> OAuthError {
        OAuthError::fixture(CODE_REDEEMED)
    }

    /// 400 `invalid_grant` "Token has been expired or revoked.", Google's body.
    pub(crate) fn expired_or_revoked() -> OAuthError {
        OAuthError::fixture(EXPIRED_OR_REVOKED)
    }

    fn fixture(text: &str) -> OAuthError {
        let body = serde_json::from_str(text).expect("embedded OAuth samples are JSON");
        OAuthError { status: 400, body }
    }

    /// The `error` code.
    pub(crate) fn code(&self) -> &str {
        self.body["error"].as_str().unwrap_or("")
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        json_reply(self.status, &self.body)
    }
}

/// JSON with the status, marked not cacheable as Google's token endpoint does.
pub(crate) fn json_reply(status: u16, body: &Value) -> Response {
    let text = serde_json::to_string_pretty(body).unwrap_or_default();
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        text,
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store, max-age=0, must-revalidate"),
    );
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// The error page the authorization endpoint shows when it cannot redirect: 400, HTML,
/// naming the error like Google's "Error 400: redirect_uri_mismatch" page.
pub(crate) fn error_page(shown_code: u16, error: &str, description: &str) -> Response {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let html = format!(
        "<!doctype html><title>Error {shown_code}: {error}</title>\
         <h1>Access blocked: this app's request is invalid</h1>\
         <p>Error {shown_code}: {error}</p><p>{}</p>",
        escape(description)
    );
    let mut response = (StatusCode::BAD_REQUEST, html).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// 302 to `location`.
pub(crate) fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => {
            let mut response = StatusCode::FOUND.into_response();
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => error_page(400, "invalid_request", "The redirect URI cannot be used."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_google_bodies_carry_their_error_codes() {
        let redeemed = OAuthError::code_redeemed();
        let revoked = OAuthError::expired_or_revoked();

        assert_eq!((redeemed.status, redeemed.code()), (400, "invalid_grant"));
        assert_eq!(
            redeemed.body["error_description"],
            "Code was already redeemed."
        );
        assert_eq!(
            revoked.body["error_description"],
            "Token has been expired or revoked."
        );
    }
}
