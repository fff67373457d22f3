//! The log of what the OAuth endpoints were asked, for tests to assert on.

use serde::Serialize;
use serde_json::Value;

/// One request to an OAuth endpoint, as `GET /_sandbox/oauth/log` lists it. Every field is
/// always present in the JSON (`null`, `[]` or `false` when it does not apply).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OAuthEvent {
    /// `authorize`, `token` or `revoke`.
    pub endpoint: String,
    /// The token request's `grant_type`, as sent.
    pub grant_type: Option<String>,
    /// The client id, from the form, the query, HTTP Basic, or (`jwt-bearer`) the `iss`.
    pub client_id: Option<String>,
    /// How the client authenticated at the token endpoint: `basic`, `form` or `none`.
    pub client_auth: Option<String>,
    /// The scopes asked for (authorize, `jwt-bearer`, a narrowing refresh) or, for a code
    /// exchange or a refresh without `scope`, the scopes granted; normalized long forms.
    pub scopes: Vec<String>,
    /// The user the request acted for, when one was resolved.
    pub user: Option<String>,
    /// The assertion's `sub` claim (`jwt-bearer`).
    pub sub: Option<String>,
    /// The assertion's `iss` claim (`jwt-bearer`).
    pub iss: Option<String>,
    /// The assertion's `aud` claim (`jwt-bearer`).
    pub aud: Option<String>,
    /// The whole claims set of a `jwt-bearer` assertion.
    pub claims: Option<Value>,
    /// Whether the assertion's RS256 signature was verified (the account's key is known).
    pub signature_checked: bool,
    /// The authorization request's `code_challenge_method` (`S256`, `plain`), when a
    /// `code_challenge` was sent.
    pub code_challenge_method: Option<String>,
    /// Whether the token request carried a `code_verifier`.
    pub code_verifier: bool,
    /// The `redirect_uri`, as sent.
    pub redirect_uri: Option<String>,
    /// The authorization request's `access_type`.
    pub access_type: Option<String>,
    /// The authorization request's `prompt`.
    pub prompt: Option<String>,
    /// The authorization request's `login_hint`.
    pub login_hint: Option<String>,
    /// Whether the reply carried a refresh token.
    pub refresh_token_issued: bool,
    /// `ok`, or the OAuth error code answered (`invalid_grant`, `redirect_uri_mismatch`...).
    pub outcome: String,
}
