//! Credentials: which Google access token a call carries, in each of the server's modes.
//!
//! - **Static**: one token from `GWS_ACCESS_TOKEN` or `GWS_TOKEN_FILE` (development, the
//!   sandbox).
//! - **OAuth**: users sign in through this server's OAuth client; credentials are stored per
//!   account and refreshed ([`accounts`]).
//! - **Passthrough**: the caller sends a Google access token (`Authorization: Bearer`, e.g.
//!   LiteLLM's `x-mcp-<server>-authorization`); it is used for that call only, never stored.
//! - **Service account**: domain-wide delegation, acting as the user the call names.

mod accounts;
mod clock;
mod oauth;
mod pending;
mod service_account;
mod setup;
mod store;

pub use accounts::Accounts;
pub use oauth::{Endpoints, OAuthClient};
pub use service_account::Signer;
pub use setup::{IDENTITY_SCOPES, from_config};
pub use store::{Credential, CredentialStore};

use std::{collections::HashMap, sync::Mutex};

use serde::Deserialize;

use crate::google::Credentials;

/// Why a call has no token.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The user must (re)approve access; the URL starts that.
    #[error(
        "Google sign-in is needed: {reason}. Ask the user to open this link, approve access, and \
         then retry: {url}"
    )]
    NeedsConsent {
        /// Why.
        reason: String,
        /// The authorization URL.
        url: String,
    },
    /// The caller must bring a token (passthrough mode).
    #[error(
        "this server acts with the caller's own Google access token: send it as \
         `Authorization: Bearer <token>` (through LiteLLM: the x-mcp-<server>-authorization header)"
    )]
    NoCallerToken,
    /// Anything else, said plainly.
    #[error("{0}")]
    Other(String),
}

/// An account address as given by a caller, checked and lowercased; the error says why not.
///
/// Addresses name credential files and appear in logs, so anything but a plain address is
/// refused: no whitespace or control characters, no path separators, one `@`.
pub fn account_address(given: &str) -> Result<String, String> {
    let address = given.trim();
    let plain = address.len() <= 254
        && address.matches('@').count() == 1
        && !address.starts_with('@')
        && !address.ends_with('@')
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "/\\<>\"'".contains(c));
    if !plain {
        return Err(format!(
            "`user_google_email` must be an email address, not {address:?}"
        ));
    }
    Ok(address.to_lowercase())
}

/// Who is calling: the account named (argument or forwarded header) and the bearer token sent.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    /// The account the call acts for, when it names one.
    pub account: Option<String>,
    /// The `Authorization: Bearer` token the caller sent, used in passthrough mode only.
    pub bearer: Option<String>,
}

/// Where tokens come from.
#[derive(Debug)]
pub enum Auth {
    /// One configured token.
    Static(Credentials),
    /// Signed-in accounts.
    OAuth(Box<Accounts>),
    /// The caller's own token.
    Passthrough,
    /// A service account acting for users of its domain.
    ServiceAccount(Box<Delegation>),
}

impl Auth {
    /// The token for `caller`, for a tool that needs `scopes`.
    pub async fn token(&self, caller: &Caller, scopes: &[String]) -> Result<String, AuthError> {
        match self {
            Auth::Static(credentials) => credentials
                .token()
                .map_err(|e| AuthError::Other(e.to_string())),
            Auth::OAuth(accounts) => accounts.token(caller.account.as_deref(), scopes).await,
            Auth::Passthrough => caller.bearer.clone().ok_or(AuthError::NoCallerToken),
            Auth::ServiceAccount(delegation) => {
                delegation.token(caller.account.as_deref(), scopes).await
            }
        }
    }

    /// After Google answered 401 to `rejected`: a renewed token to retry with, when this mode
    /// can renew one.
    pub async fn renew(
        &self,
        caller: &Caller,
        rejected: &str,
    ) -> Option<Result<String, AuthError>> {
        match self {
            Auth::OAuth(accounts) => {
                Some(accounts.renew(caller.account.as_deref(), rejected).await)
            }
            _ => None,
        }
    }

    /// The signed-in accounts, when this mode has them.
    pub fn accounts(&self) -> Option<&Accounts> {
        match self {
            Auth::OAuth(accounts) => Some(accounts),
            _ => None,
        }
    }
}

/// A service account with its signer and a cache of tokens per user and scopes.
#[derive(Debug)]
pub struct Delegation {
    signer: Signer,
    token_uri: String,
    default_user: Option<String>,
    http: reqwest::Client,
    cache: Mutex<HashMap<TokenKey, (String, i64)>>,
}

/// A delegated token's identity: the user acted as, and the scopes.
type TokenKey = (String, Vec<String>);

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    #[serde(default)]
    expires_in: Option<i64>,
}

impl Delegation {
    /// Delegation through `signer`, exchanging assertions at `token_uri`.
    pub fn new(
        signer: Signer,
        token_uri: String,
        default_user: Option<String>,
        http: reqwest::Client,
    ) -> Delegation {
        Delegation {
            signer,
            token_uri,
            default_user,
            http,
            cache: Mutex::default(),
        }
    }

    async fn token(&self, named: Option<&str>, scopes: &[String]) -> Result<String, AuthError> {
        let subject = named.map(str::to_owned).or_else(|| self.default_user.clone()).ok_or_else(|| {
            AuthError::Other(
                "a service account needs a user to act as: pass user_google_email or set USER_GOOGLE_EMAIL".into(),
            )
        })?;
        let key = (subject.clone(), scopes.to_vec());
        let cached = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        if let Some((token, _)) = cached.filter(|(_, at)| *at - 60 > clock::now()) {
            return Ok(token);
        }

        let now = clock::now().max(0) as u64;
        let assertion = self
            .signer
            .assertion(Some(&subject), scopes, &self.token_uri, now)
            .map_err(AuthError::Other)?;
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion.as_str()),
        ];
        let body = form
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        let reply = self
            .http
            .post(&self.token_uri)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| {
                AuthError::Other(format!(
                    "the service-account token request failed: {}",
                    e.without_url()
                ))
            })?;
        let status = reply.status();
        let text = reply.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(AuthError::Other(format!(
                "Google refused the service account's assertion for {subject} ({status}): {}; \
                 check domain-wide delegation for these scopes",
                text.trim()
            )));
        }
        let grant: TokenReply = serde_json::from_str(&text)
            .map_err(|e| AuthError::Other(format!("unreadable token reply: {e}")))?;
        let expires_at = clock::now() + grant.expires_in.unwrap_or(3600);
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, (grant.access_token.clone(), expires_at));
        Ok(grant.access_token)
    }
}
