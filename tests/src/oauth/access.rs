//! Checking the bearer token of a Google API request: who it is, whether it is still good,
//! whether its scopes cover the route.
//!
//! Lax mode (the default) accepts any non-empty bearer except a token this sandbox issued
//! that has since expired or been revoked. Strict mode accepts only live issued tokens and
//! [`STATIC_TOKEN`]. In both modes an issued token must carry a scope of the route's service.

use axum::http::Method;
use serde_json::json;

use super::STATIC_TOKEN;
use super::form::bearer;
use super::scopes;
use super::store::{AccessToken, OAuth};
use crate::error::ApiError;

/// Google's 403 for a token whose scopes do not cover the method.
const INSUFFICIENT_SCOPES: &str = include_str!(
    "../../fixtures/samples/errors/403-calendar-insufficientPermissions-ACCESS_TOKEN_SCOPE_INSUFFICIENT.json"
);

/// What a bearer token is to the sandbox.
#[derive(Debug)]
pub(crate) enum Bearer {
    /// [`STATIC_TOKEN`]: the seeded user, every scope.
    Static,
    /// A live token issued by the token endpoint.
    Issued(Box<AccessToken>),
    /// An issued token that expired or was revoked.
    Dead,
    /// A token the sandbox never issued.
    Unknown,
}

impl OAuth {
    /// Classifies `token`.
    pub(crate) fn bearer(&self, token: &str) -> Bearer {
        if token == STATIC_TOKEN {
            return Bearer::Static;
        }
        match self.lock().tokens.get(token) {
            Some(issued) if issued.valid() => Bearer::Issued(Box::new(issued.clone())),
            Some(_) => Bearer::Dead,
            None => Bearer::Unknown,
        }
    }

    /// The check every Google API route makes after resolving its endpoint: 401 for a
    /// missing, dead or (strict mode) unknown token, 403 for an issued token with no scope
    /// of `service` that allows `method` (reads are `GET`/`HEAD`).
    pub(crate) fn check_api(
        &self,
        authorization: Option<&str>,
        service: &str,
        method: &Method,
    ) -> Result<(), ApiError> {
        let token = bearer(authorization).ok_or_else(ApiError::unauthenticated)?;
        match self.bearer(token) {
            Bearer::Static => Ok(()),
            Bearer::Unknown if !self.strict() => Ok(()),
            Bearer::Unknown | Bearer::Dead => Err(ApiError::unauthenticated()),
            Bearer::Issued(issued) => {
                let write = !matches!(*method, Method::GET | Method::HEAD);
                if scopes::allows(service, write, &issued.scopes) {
                    Ok(())
                } else {
                    Err(insufficient_scopes(service))
                }
            }
        }
    }

    /// For a route that needs a particular scope: `Ok` unless the request's token is one
    /// this sandbox issued and it carries none of `any_of` (long forms), in which case the
    /// 403 `insufficientPermissions` Google sends. Tokens that are not issued ones (the static
    /// token, unknown tokens in lax mode) count as having every scope.
    // A helper for routes that need a finer check than `check_api`; none does yet.
    #[allow(dead_code)]
    pub(crate) fn require_scope(
        &self,
        authorization: Option<&str>,
        service: &str,
        any_of: &[&str],
    ) -> Result<(), ApiError> {
        let Some(token) = bearer(authorization) else {
            return Err(ApiError::unauthenticated());
        };
        match self.bearer(token) {
            Bearer::Issued(issued) if !issued.scopes.iter().any(|s| any_of.contains(&&**s)) => {
                Err(insufficient_scopes(service))
            }
            _ => Ok(()),
        }
    }

    /// The scopes recorded for an issued, live token.
    pub(crate) fn token_scopes(&self, token: &str) -> Option<Vec<String>> {
        match self.bearer(token) {
            Bearer::Issued(issued) => Some(issued.scopes),
            _ => None,
        }
    }
}

/// Google's 403, naming the service's API in the error details.
pub(crate) fn insufficient_scopes(service: &str) -> ApiError {
    let mut error = ApiError::fixture(INSUFFICIENT_SCOPES);
    let api = match service {
        "calendar" => "calendar-json.googleapis.com".to_string(),
        other => format!("{other}.googleapis.com"),
    };
    error.body["error"]["details"][0]["metadata"] = json!({"service": api});
    error
}

#[cfg(test)]
mod tests {
    use super::super::user::User;
    use super::*;

    fn with_token(scopes: &[&str]) -> (OAuth, String) {
        let oauth = OAuth::seeded();
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let user = User::for_email("user@example.com");
        let token = oauth
            .lock()
            .issue_access_token("client", &user, &scopes, None);
        (oauth, format!("Bearer {token}"))
    }

    #[test]
    fn lax_mode_accepts_unknown_tokens_and_strict_mode_does_not() {
        let oauth = OAuth::seeded();
        let unknown = Some("Bearer ya29.made-up");
        let fixed = format!("Bearer {STATIC_TOKEN}");

        assert!(oauth.check_api(unknown, "gmail", &Method::GET).is_ok());
        oauth.set_strict(true);
        assert_eq!(
            oauth
                .check_api(unknown, "gmail", &Method::GET)
                .unwrap_err()
                .code,
            401
        );
        assert!(
            oauth
                .check_api(Some(&fixed), "gmail", &Method::POST)
                .is_ok()
        );
        assert_eq!(
            oauth
                .check_api(None, "gmail", &Method::GET)
                .unwrap_err()
                .code,
            401
        );
    }

    #[test]
    fn a_revoked_issued_token_is_refused_even_in_lax_mode() {
        let (oauth, header) = with_token(&["https://mail.google.com/"]);
        assert!(
            oauth
                .check_api(Some(&header), "gmail", &Method::GET)
                .is_ok()
        );

        let token = header.trim_start_matches("Bearer ");
        assert!(oauth.lock().revoke(token));
        assert_eq!(
            oauth
                .check_api(Some(&header), "gmail", &Method::GET)
                .unwrap_err()
                .code,
            401
        );
    }

    #[test]
    fn an_issued_token_without_the_service_scope_gets_403_insufficient_permissions() {
        let (oauth, header) = with_token(&["https://www.googleapis.com/auth/gmail.readonly"]);

        let error = oauth
            .check_api(Some(&header), "drive", &Method::GET)
            .unwrap_err();
        assert_eq!(error.code, 403);
        assert_eq!(
            error.body["error"]["errors"][0]["reason"],
            "insufficientPermissions"
        );
        assert_eq!(
            error.body["error"]["details"][0]["metadata"]["service"],
            "drive.googleapis.com"
        );
        let write = oauth.check_api(Some(&header), "gmail", &Method::POST);
        assert_eq!(write.unwrap_err().code, 403);
    }

    #[test]
    fn require_scope_refuses_only_issued_tokens_that_lack_every_listed_scope() {
        let (oauth, header) = with_token(&["https://www.googleapis.com/auth/drive.readonly"]);
        let drive = ["https://www.googleapis.com/auth/drive"];

        assert_eq!(
            oauth
                .require_scope(Some(&header), "drive", &drive)
                .unwrap_err()
                .code,
            403
        );
        assert!(
            oauth
                .require_scope(Some("Bearer other"), "drive", &drive)
                .is_ok()
        );
        let token = header.trim_start_matches("Bearer ");
        assert_eq!(
            oauth.token_scopes(token).unwrap(),
            ["https://www.googleapis.com/auth/drive.readonly"]
        );
    }
}
