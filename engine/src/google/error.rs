//! Why a call failed, in words a model can act on.

use std::fmt;

use serde_json::Value;

/// An error reply from Google, read from its standard envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoogleError {
    /// The HTTP status.
    pub status: u16,
    /// The first `errors[].reason`, or the ErrorInfo reason, or the `status` name.
    pub reason: Option<String>,
    /// Google's message.
    pub message: String,
    /// The method that failed (`gmail.users.messages.get`), or the URL path.
    pub method: String,
    /// Seconds to wait, from a `Retry-After` header.
    pub retry_after: Option<u64>,
    /// Whether the request was a write (which a 5xx may or may not have applied).
    pub write: bool,
}

impl GoogleError {
    /// Reads Google's error envelope; anything else becomes a short generic message.
    pub fn from_reply(status: u16, body: &[u8], method: &str, retry_after: Option<u64>) -> Self {
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let error = parsed.as_ref().map(|v| &v["error"]);

        let reason = error
            .and_then(|e| e["errors"][0]["reason"].as_str())
            .or_else(|| error.and_then(|e| e["details"][0]["reason"].as_str()))
            .or_else(|| error.and_then(|e| e["status"].as_str()))
            .or_else(|| error.and_then(|e| e.as_str()))
            .map(str::to_owned);
        let message = error
            .and_then(|e| e["message"].as_str().or_else(|| e.as_str()))
            .map(str::to_owned)
            .unwrap_or_else(|| {
                let text = String::from_utf8_lossy(body);
                let text = text.trim();
                if text.is_empty() || text.len() > 300 || text.starts_with('<') {
                    "no error details in the reply".to_owned()
                } else {
                    text.to_owned()
                }
            });

        GoogleError {
            status,
            reason,
            message,
            method: method.to_owned(),
            retry_after,
            write: false,
        }
    }

    /// What the caller can do about it.
    pub fn advice(&self) -> &'static str {
        let reason = self.reason.as_deref().unwrap_or_default();
        match (self.status, reason) {
            (401, _) => {
                "The Google credential was rejected or has expired; sign in again (or replace the configured token), then retry."
            }
            (
                403,
                "insufficientPermissions" | "ACCESS_TOKEN_SCOPE_INSUFFICIENT" | "PERMISSION_DENIED",
            ) if self.message.contains("scope") => {
                "The credential lacks the OAuth scope this tool needs; re-authorize with the tool's scopes enabled."
            }
            (
                403 | 429,
                "rateLimitExceeded"
                | "userRateLimitExceeded"
                | "RESOURCE_EXHAUSTED"
                | "quotaExceeded",
            )
            | (429, _) => {
                "Google is rate limiting this account; wait a little and retry, or ask for fewer items."
            }
            (403, "dailyLimitExceeded") => "The daily quota is used up; retry tomorrow.",
            (403, _) => "This account may not do that to this item; check the id and its sharing.",
            (404, _) => {
                "Not found, or this account cannot see it; check the id (take ids from a list or search tool)."
            }
            (409, _) => "It already exists or changed meanwhile; read it again before retrying.",
            (410, _) => "It has been deleted.",
            (412, _) => "It changed since it was read; read it again, then retry.",
            (400, _) => {
                "Google rejected the request as invalid; check the arguments against the tool's description."
            }
            (status, _) if status >= 500 => "Google had a temporary failure; retry in a moment.",
            _ => "Check the arguments and retry.",
        }
    }
}

impl fmt::Display for GoogleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Google answered {} to {}", self.status, self.method)?;
        if let Some(reason) = &self.reason {
            write!(f, " ({reason})")?;
        }
        write!(f, ": {}.", self.message.trim_end_matches('.'))?;
        if let Some(seconds) = self.retry_after {
            write!(f, " Google asks to wait {seconds} s before retrying.")?;
        }
        if self.write && self.status >= 500 {
            return f.write_str(
                " The change may or may not have been made: check before repeating it.",
            );
        }
        write!(f, " {}", self.advice())
    }
}

/// Why a tool call failed.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The arguments do not fit the tool.
    #[error("invalid arguments: {0}")]
    Arguments(String),
    /// A value could not be turned into a request (a filter refused it); nothing was sent.
    #[error("invalid arguments: {message} (the request was not sent)")]
    Render {
        /// The step whose request could not be built.
        step: String,
        /// What was wrong.
        message: String,
    },
    /// No usable Google credential for this caller.
    #[error("{0}")]
    Credentials(String),
    /// Google answered with an error.
    #[error("{0}")]
    Google(GoogleError),
    /// Google did not answer in time.
    #[error("Google did not answer {method} within {seconds} s{}", may_have_happened(*.write))]
    Timeout {
        /// The method.
        method: String,
        /// The timeout.
        seconds: u64,
        /// Whether the request was a write that may have taken effect.
        write: bool,
    },
    /// The request could not be sent or its reply not read.
    #[error("could not reach Google for {method}: {message}{}", may_have_happened(*.write && !*.never_sent))]
    Transport {
        /// The method.
        method: String,
        /// What went wrong.
        message: String,
        /// Whether the request was a write.
        write: bool,
        /// Whether the request certainly never reached Google (the connection failed).
        never_sent: bool,
    },
    /// The reply was larger than the engine reads.
    #[error(
        "Google's reply to {method} is larger than {limit} bytes; ask for less (a smaller page or fewer fields)"
    )]
    TooLarge {
        /// The method.
        method: String,
        /// The limit.
        limit: usize,
    },
    /// Dry-run mode is on: the requests are shown and none is sent.
    #[error("dry run (GWS_DRY_RUN is on): nothing was sent. The call would send:\n{0}")]
    DryRun(String),
    /// The server refused: a library function said why (sign-in not configured, say).
    #[error("{0}")]
    Refused(String),
    /// The reply did not fit the tool's output.
    #[error("the reply could not be shaped: {0}")]
    Shape(String),
}

fn may_have_happened(write: bool) -> &'static str {
    if write {
        "; the change may or may not have been made, so check before repeating it"
    } else {
        "; retry in a moment"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOT_FOUND: &str =
        include_str!("../../../tests/fixtures/samples/errors/404-gmail-notFound.json");
    const SCOPE: &str = include_str!(
        "../../../tests/fixtures/samples/errors/403-calendar-insufficientPermissions-ACCESS_TOKEN_SCOPE_INSUFFICIENT.json"
    );

    #[test]
    fn a_gmail_404_names_the_reason_and_what_to_do() {
        let error =
            GoogleError::from_reply(404, NOT_FOUND.as_bytes(), "gmail.users.messages.get", None);

        assert_eq!(error.reason.as_deref(), Some("notFound"));
        let text = error.to_string();
        assert!(
            text.contains("404 to gmail.users.messages.get (notFound)"),
            "{text}"
        );
        assert!(text.contains("Requested entity was not found"), "{text}");
        assert!(text.contains("check the id"), "{text}");
    }

    #[test]
    fn a_missing_scope_says_to_reauthorize() {
        let error =
            GoogleError::from_reply(403, SCOPE.as_bytes(), "calendar.calendarList.list", None);

        assert!(error.advice().contains("scope"), "{}", error.advice());
    }

    #[test]
    fn a_server_error_on_a_write_says_it_may_have_happened_not_to_retry() {
        let mut error = GoogleError::from_reply(500, b"", "gmail.users.messages.send", None);
        error.write = true;

        let text = error.to_string();

        assert!(text.contains("may or may not have been made"), "{text}");
        assert!(!text.contains("retry in a moment"), "{text}");
    }

    #[test]
    fn a_body_that_is_not_json_still_gives_a_message() {
        let error = GoogleError::from_reply(502, b"<html>bad gateway</html>", "x", None);

        assert_eq!(error.message, "no error details in the reply");
        assert!(error.to_string().contains("retry"));
    }
}
