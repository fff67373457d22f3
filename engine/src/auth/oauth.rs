//! The OAuth 2.0 client: Google's authorization-code flow with PKCE, token refresh, and the
//! user's address from userinfo. Requests go through the engine's one reqwest client.

use std::{error::Error as StdError, fmt, time::Duration};

use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    TokenResponse, TokenUrl, basic::BasicClient, http,
};
use serde_json::Value;

/// Google's OAuth endpoints, or the sandbox's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// Where the user approves.
    pub authorize: String,
    /// Where codes and refresh tokens become access tokens.
    pub token: String,
    /// Where grants are revoked.
    pub revoke: String,
    /// Who the token belongs to.
    pub userinfo: String,
}

impl Endpoints {
    /// Google's own endpoints.
    pub fn google() -> Endpoints {
        Endpoints {
            authorize: "https://accounts.google.com/o/oauth2/v2/auth".into(),
            token: "https://oauth2.googleapis.com/token".into(),
            revoke: "https://oauth2.googleapis.com/revoke".into(),
            userinfo: "https://www.googleapis.com/oauth2/v2/userinfo".into(),
        }
    }

    /// The same endpoints under one root (the sandbox), with Google's paths.
    pub fn under(root: &str) -> Endpoints {
        let root = root.trim_end_matches('/');
        Endpoints {
            authorize: format!("{root}/o/oauth2/v2/auth"),
            token: format!("{root}/token"),
            revoke: format!("{root}/revoke"),
            userinfo: format!("{root}/oauth2/v2/userinfo"),
        }
    }
}

/// What a token endpoint granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The access token.
    pub access_token: String,
    /// A refresh token, when one was issued (not on refreshes).
    pub refresh_token: Option<String>,
    /// How long the access token lives.
    pub expires_in: Option<Duration>,
    /// The scopes granted, when the reply lists them.
    pub scopes: Vec<String>,
}

/// Why a token request failed.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// The code or refresh token is no longer good (revoked, expired, used): sign in again.
    #[error("Google refused the grant ({0}): sign in again")]
    InvalidGrant(String),
    /// Anything else.
    #[error("the Google sign-in request failed: {0}")]
    Other(String),
}

type Client = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// An OAuth client registered with Google (id, secret, redirect URI).
#[derive(Clone)]
pub struct OAuthClient {
    client: Client,
    http: reqwest::Client,
    endpoints: Endpoints,
    client_id: String,
    client_secret: Option<String>,
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// A started authorization: the URL to open, and what the callback needs to finish it.
#[derive(Debug)]
pub struct Authorization {
    /// The URL the user opens.
    pub url: String,
    /// The `state` the callback must bring back.
    pub state: String,
    /// The PKCE verifier for the code exchange.
    pub verifier: String,
}

impl OAuthClient {
    /// A client; the error names the setting that is malformed.
    pub fn new(
        client_id: &str,
        client_secret: Option<&str>,
        redirect_uri: &str,
        endpoints: Endpoints,
        http: reqwest::Client,
    ) -> Result<OAuthClient, String> {
        let url = |name: &str, value: &str| format!("the {name} `{value}` is not a URL");
        let mut client = BasicClient::new(ClientId::new(client_id.to_owned()))
            .set_auth_uri(
                AuthUrl::new(endpoints.authorize.clone())
                    .map_err(|_| url("authorization endpoint", &endpoints.authorize))?,
            )
            .set_token_uri(
                TokenUrl::new(endpoints.token.clone())
                    .map_err(|_| url("token endpoint", &endpoints.token))?,
            )
            .set_redirect_uri(
                RedirectUrl::new(redirect_uri.to_owned())
                    .map_err(|_| url("redirect URI", redirect_uri))?,
            )
            .set_auth_type(oauth2::AuthType::RequestBody);
        if let Some(secret) = client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.to_owned()));
        }
        Ok(OAuthClient {
            client,
            http,
            endpoints,
            client_id: client_id.to_owned(),
            client_secret: client_secret.map(str::to_owned),
        })
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client secret, if the client has one.
    pub fn client_secret(&self) -> Option<&str> {
        self.client_secret.as_deref()
    }

    /// The token endpoint.
    pub fn token_uri(&self) -> &str {
        &self.endpoints.token
    }

    /// Starts an authorization for `scopes` (offline access, so a refresh token is issued;
    /// earlier grants kept, so consent is incremental).
    pub fn authorize(&self, scopes: &[String], login_hint: Option<&str>) -> Authorization {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = self
            .client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())))
            .set_pkce_challenge(challenge)
            .add_extra_param("access_type", "offline")
            .add_extra_param("include_granted_scopes", "true")
            .add_extra_param("prompt", "consent");
        if let Some(hint) = login_hint {
            request = request.add_extra_param("login_hint", hint.to_owned());
        }
        let (url, state) = request.url();
        Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            verifier: verifier.secret().clone(),
        }
    }

    /// Exchanges an authorization code (with its PKCE verifier) for tokens.
    pub async fn exchange(&self, code: &str, verifier: &str) -> Result<Grant, OAuthError> {
        let hook = self.hook();
        let reply = self
            .client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
            .request_async(&hook)
            .await
            .map_err(token_error)?;
        Ok(grant(&reply))
    }

    /// Uses a refresh token for a new access token.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Grant, OAuthError> {
        let hook = self.hook();
        let token = RefreshToken::new(refresh_token.to_owned());
        let reply = self
            .client
            .exchange_refresh_token(&token)
            .request_async(&hook)
            .await
            .map_err(token_error)?;
        Ok(grant(&reply))
    }

    /// The address of the account `access_token` belongs to.
    pub async fn email(&self, access_token: &str) -> Result<String, OAuthError> {
        let reply = self
            .http
            .get(&self.endpoints.userinfo)
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(|e| OAuthError::Other(e.without_url().to_string()))?;
        let body: Value = reply
            .json()
            .await
            .map_err(|e| OAuthError::Other(e.without_url().to_string()))?;
        body["email"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| OAuthError::Other("userinfo did not say which account signed in".into()))
    }

    /// The HTTP hook the oauth2 crate sends its requests through: our reqwest client.
    fn hook(&self) -> impl Fn(http::Request<Vec<u8>>) -> HookFuture {
        let client = self.http.clone();
        move |request| {
            let client = client.clone();
            Box::pin(async move {
                let (parts, body) = request.into_parts();
                let method = reqwest::Method::from_bytes(parts.method.as_str().as_bytes())
                    .map_err(|e| HookError(e.to_string()))?;
                let mut outgoing = client.request(method, parts.uri.to_string()).body(body);
                for (name, value) in &parts.headers {
                    outgoing = outgoing.header(name.as_str(), value.as_bytes());
                }
                let reply = outgoing
                    .send()
                    .await
                    .map_err(|e| HookError(e.without_url().to_string()))?;
                let mut response = http::Response::builder().status(reply.status().as_u16());
                for (name, value) in reply.headers() {
                    response = response.header(name.as_str(), value.as_bytes());
                }
                let body = reply
                    .bytes()
                    .await
                    .map_err(|e| HookError(e.without_url().to_string()))?;
                response
                    .body(body.to_vec())
                    .map_err(|e| HookError(e.to_string()))
            })
        }
    }
}

type HookFuture =
    std::pin::Pin<Box<dyn Future<Output = Result<http::Response<Vec<u8>>, HookError>> + Send>>;

/// A transport failure inside the oauth2 crate's HTTP hook.
#[derive(Debug)]
struct HookError(String);

impl fmt::Display for HookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for HookError {}

fn grant(reply: &oauth2::basic::BasicTokenResponse) -> Grant {
    Grant {
        access_token: reply.access_token().secret().clone(),
        refresh_token: reply.refresh_token().map(|t| t.secret().clone()),
        expires_in: reply.expires_in(),
        scopes: reply
            .scopes()
            .map(|s| s.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
    }
}

fn token_error<E: StdError>(
    error: RequestTokenError<E, oauth2::basic::BasicErrorResponse>,
) -> OAuthError {
    match error {
        RequestTokenError::ServerResponse(response) => {
            let kind = response.error().to_string();
            let detail = response.error_description().cloned().unwrap_or_default();
            if kind == "invalid_grant" {
                OAuthError::InvalidGrant(detail)
            } else {
                OAuthError::Other(format!("{kind}: {detail}"))
            }
        }
        RequestTokenError::Request(error) => OAuthError::Other(error.to_string()),
        RequestTokenError::Parse(error, _) => {
            OAuthError::Other(format!("unreadable reply: {error}"))
        }
        RequestTokenError::Other(text) => OAuthError::Other(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> OAuthClient {
        let endpoints = Endpoints::under("http://127.0.0.1:1");
        OAuthClient::new(
            "cid.apps.googleusercontent.com",
            Some("s"),
            "http://localhost:8000/oauth2callback",
            endpoints,
            reqwest::Client::new(),
        )
        .unwrap()
    }

    #[test]
    fn the_authorization_url_asks_for_offline_access_with_pkce_and_state() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let scopes = vec![
            "https://www.googleapis.com/auth/gmail.readonly".to_owned(),
            "openid".to_owned(),
        ];

        let started = client().authorize(&scopes, Some("ann@example.com"));

        let url = reqwest::Url::parse(&started.url).unwrap();
        let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(url.path(), "/o/oauth2/v2/auth");
        assert_eq!(query["client_id"], "cid.apps.googleusercontent.com");
        assert_eq!(
            query["redirect_uri"],
            "http://localhost:8000/oauth2callback"
        );
        assert_eq!(query["response_type"], "code");
        assert_eq!(
            query["scope"],
            "https://www.googleapis.com/auth/gmail.readonly openid"
        );
        assert_eq!(query["code_challenge_method"], "S256");
        assert_eq!(query["access_type"], "offline");
        assert_eq!(query["login_hint"], "ann@example.com");
        assert_eq!(query["state"], started.state);
        assert!(started.verifier.len() >= 43);
    }
}
