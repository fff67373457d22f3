//! Google's error envelope: `{"error":{"code","message","errors":[...],"status"?}}`.

use serde_json::{Value, json};

use crate::fixtures;

/// An error answer: an HTTP status and a Google-shaped JSON body.
#[derive(Clone, Debug)]
pub(crate) struct ApiError {
    /// The HTTP status, equal to `error.code` in the body.
    pub(crate) code: u16,
    /// The whole body, `{"error": {...}}`.
    pub(crate) body: Value,
}

impl ApiError {
    /// An error whose body is one of the embedded sample files.
    pub(crate) fn fixture(text: &str) -> ApiError {
        let body: Value = serde_json::from_str(text).expect("embedded error fixtures are JSON");
        let code = body["error"]["code"].as_u64().unwrap_or(500) as u16;

        ApiError { code, body }
    }

    /// A legacy-style error with one `errors[]` entry in domain `global` and no `status`.
    pub(crate) fn google(code: u16, reason: &str, message: &str) -> ApiError {
        let body = json!({"error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
        }});

        ApiError { code, body }
    }

    /// Sets the `domain` of the first `errors[]` entry.
    pub(crate) fn domain(mut self, domain: &str) -> ApiError {
        self.body["error"]["errors"][0]["domain"] = json!(domain);
        self
    }

    /// Names the request part at fault, e.g. `("q", "parameter")`.
    pub(crate) fn at(mut self, location: &str, location_type: &str) -> ApiError {
        let entry = &mut self.body["error"]["errors"][0];
        entry["location"] = json!(location);
        entry["locationType"] = json!(location_type);
        self
    }

    /// Adds the `google.rpc.Code` name that current front ends put in `status`.
    pub(crate) fn with_status(mut self) -> ApiError {
        self.body["error"]["status"] = json!(status_name(self.code));
        self
    }

    /// 404 for a path that matches no emulated method.
    pub(crate) fn unknown_route(method: &str, path: &str) -> ApiError {
        let message = format!("Method not found: {method} {path}");
        ApiError::google(404, "notFound", &message).with_status()
    }

    /// 401 for a missing or empty bearer token.
    pub(crate) fn unauthenticated() -> ApiError {
        ApiError::fixture(fixtures::UNAUTHENTICATED)
    }

    /// The terse 400 Calendar gives for a malformed parameter such as a naive `timeMin`.
    pub(crate) fn bad_request() -> ApiError {
        ApiError::google(400, "badRequest", "Bad Request")
    }

    /// The 400 `Invalid Value` Drive gives for a parameter it cannot read.
    pub(crate) fn invalid_value(parameter: &str) -> ApiError {
        ApiError::google(400, "invalid", "Invalid Value").at(parameter, "parameter")
    }

    /// 400 for a body that is not the JSON object the method expects.
    pub(crate) fn parse_error() -> ApiError {
        ApiError::google(400, "parseError", "Parse Error")
    }
}

/// The `google.rpc.Code` name for an HTTP status.
fn status_name(code: u16) -> &'static str {
    match code {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ALREADY_EXISTS",
        410 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        _ => "INTERNAL",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_error_has_google_envelope_with_code_equal_to_status() {
        let err = ApiError::invalid_value("q");

        assert_eq!(err.code, 400);
        assert_eq!(
            err.body,
            json!({"error":{"code":400,"message":"Invalid Value","errors":[{"domain":"global",
                "reason":"invalid","message":"Invalid Value","locationType":"parameter",
                "location":"q"}]}})
        );
    }

    #[test]
    fn a_fixture_error_takes_its_status_from_the_body() {
        assert_eq!(ApiError::unauthenticated().code, 401);
        assert_eq!(
            ApiError::fixture(fixtures::CALENDAR_TIME_RANGE_EMPTY).code,
            400
        );
    }
}
