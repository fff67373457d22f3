//! Credentials: which Google access token a call carries.
//!
//! For now a token comes from the environment (`GWS_ACCESS_TOKEN`) or a token file
//! (`GWS_TOKEN_FILE`: a JSON credential with `token` or `access_token`, or the bare token).
//! The file is read again when it changes, so an external refresher can rotate it.

use std::{path::PathBuf, sync::Mutex, time::SystemTime};

use serde_json::Value;

/// Where access tokens come from.
#[derive(Debug)]
pub enum Credentials {
    /// One fixed token.
    Token(String),
    /// A file holding the token, re-read when its modification time changes.
    File {
        /// The file.
        path: PathBuf,
        /// The last token read, with the file's modification time then.
        cached: Mutex<Option<(SystemTime, String)>>,
    },
    /// No credential is configured.
    Missing,
}

/// Why no token is available.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Nothing is configured.
    #[error(
        "no Google credential is configured: set GWS_ACCESS_TOKEN to an access token or \
         GWS_TOKEN_FILE to a credential file, then retry"
    )]
    Missing,
    /// The token file could not be used.
    #[error("the Google credential file {path} cannot be used: {reason}")]
    File {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

impl Credentials {
    /// Credentials from a token, a token file, or neither.
    pub fn new(token: Option<String>, file: Option<PathBuf>) -> Credentials {
        match (token.filter(|t| !t.trim().is_empty()), file) {
            (Some(token), _) => Credentials::Token(token.trim().to_owned()),
            (None, Some(path)) => Credentials::File {
                path,
                cached: Mutex::new(None),
            },
            (None, None) => Credentials::Missing,
        }
    }

    /// The access token to send.
    pub fn token(&self) -> Result<String, TokenError> {
        match self {
            Credentials::Token(token) => Ok(token.clone()),
            Credentials::Missing => Err(TokenError::Missing),
            Credentials::File { path, cached } => {
                let fail = |reason: String| TokenError::File {
                    path: path.display().to_string(),
                    reason,
                };
                let modified = std::fs::metadata(path)
                    .and_then(|m| m.modified())
                    .map_err(|e| fail(e.to_string()))?;
                let mut cached = cached.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((_, token)) = cached.as_ref().filter(|(at, _)| *at == modified) {
                    return Ok(token.clone());
                }
                let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
                let token = token_from_file(&text).ok_or_else(|| {
                    fail("it holds neither a JSON `token`/`access_token` nor a bare token".into())
                })?;
                *cached = Some((modified, token.clone()));
                Ok(token)
            }
        }
    }
}

fn token_from_file(text: &str) -> Option<String> {
    let text = text.trim();
    if text.starts_with('{') {
        let value: Value = serde_json::from_str(text).ok()?;
        let token = value
            .get("token")
            .or_else(|| value.get("access_token"))?
            .as_str()?;
        return Some(token.to_owned()).filter(|t| !t.is_empty());
    }
    let single_line = !text.is_empty() && !text.contains(char::is_whitespace);
    single_line.then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_file_may_be_json_or_bare() {
        assert_eq!(
            token_from_file(r#"{"token": "ya29.a", "refresh_token": "1//r"}"#).unwrap(),
            "ya29.a"
        );
        assert_eq!(
            token_from_file(r#"{"access_token": "ya29.b"}"#).unwrap(),
            "ya29.b"
        );
        assert_eq!(token_from_file("ya29.c\n").unwrap(), "ya29.c");
        assert!(token_from_file("not a token").is_none());
        assert!(token_from_file(r#"{"refresh_token": "1//r"}"#).is_none());
    }

    #[test]
    fn no_configuration_is_an_actionable_error() {
        let error = Credentials::new(None, None).token().unwrap_err();
        assert!(error.to_string().contains("GWS_ACCESS_TOKEN"));
    }
}
