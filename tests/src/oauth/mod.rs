//! Google's OAuth 2.0 endpoints, emulated: sign-in, tokens, revocation, userinfo.
//!
//! The paths are Google's, on the sandbox root: the authorization endpoint
//! (`GET /o/oauth2/v2/auth`, also `/o/oauth2/auth`), the token endpoint (`POST /token`, also
//! `/oauth2/v4/token` and `/o/oauth2/token`), `POST /revoke` (also `/o/oauth2/revoke`), and
//! userinfo (`GET /oauth2/v2/userinfo`, `/oauth2/v3/userinfo`, `/v1/userinfo`) with
//! `GET /oauth2/v3/tokeninfo`. Sign-in approves at once, as the seeded user unless the request
//! names another (`login_hint` or `_sandbox_user`); `_sandbox_deny=1` answers as a user who
//! clicked "Cancel".
//!
//! Tokens and codes live in memory; times are wall-clock time, not the sandbox [`Clock`]
//! (a JWT's `iat` comes from the client's real clock). Tests drive the rest through
//! `/_sandbox/oauth/*` or the `Sandbox` methods: make a token invalid, read what the token
//! endpoint saw, turn strict token checking on.
//!
//! [`Clock`]: crate::Clock

mod access;
mod authorize;
mod client;
mod control;
mod event;
mod form;
mod jwt;
mod pkce;
mod random;
mod reply;
mod scopes;
mod store;
mod token;
mod user;
mod userinfo;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub use client::OAuthClient;
pub use event::OAuthEvent;
pub(crate) use store::OAuth;

/// The client id the sandbox knows from the start (a "Desktop app" client: any loopback
/// redirect URI is accepted).
pub const CLIENT_ID: &str = "1000000000000-sandbox.apps.googleusercontent.com";

/// The secret of [`CLIENT_ID`].
pub const CLIENT_SECRET: &str = "GOCSPX-sandbox-client-secret";

/// The static bearer token the demo and the tests use: always valid, every scope, acting for
/// the seeded user, even in strict mode.
pub const STATIC_TOKEN: &str = "sandbox-token";

/// The service account the sandbox knows with its key, so its assertions' signatures are
/// checked; its key file is [`SERVICE_ACCOUNT_KEY`].
pub const SERVICE_ACCOUNT_EMAIL: &str = "gws-tests@gws-engine-tests.iam.gserviceaccount.com";

/// The key file of [`SERVICE_ACCOUNT_EMAIL`], in Google's layout
/// (`tests/fixtures/service-account-test-key.json`, shared with the engine's own tests). A
/// test-only key: it opens nothing at Google.
pub const SERVICE_ACCOUNT_KEY: &str = include_str!("../../fixtures/service-account-test-key.json");

/// Seconds an access token lives, as Google's `expires_in` says.
pub const ACCESS_TOKEN_LIFETIME_SECS: u64 = 3599;

/// The OAuth routes and their `/_sandbox/oauth/*` controls, for the sandbox's router.
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/o/oauth2/v2/auth", get(authorize::handle))
        .route("/o/oauth2/auth", get(authorize::handle))
        .route("/token", post(token::handle))
        .route("/oauth2/v4/token", post(token::handle))
        .route("/o/oauth2/token", post(token::handle))
        .route("/revoke", post(userinfo::revoke).get(userinfo::revoke))
        .route(
            "/o/oauth2/revoke",
            post(userinfo::revoke).get(userinfo::revoke),
        )
        .route("/oauth2/v2/userinfo", get(userinfo::v2).post(userinfo::v2))
        .route("/oauth2/v3/userinfo", get(userinfo::v3).post(userinfo::v3))
        .route("/v1/userinfo", get(userinfo::v3).post(userinfo::v3))
        .route(
            "/oauth2/v3/tokeninfo",
            get(userinfo::tokeninfo).post(userinfo::tokeninfo),
        )
        .route("/_sandbox/oauth/expire", post(control::expire))
        .route(
            "/_sandbox/oauth/log",
            get(control::log).delete(control::clear),
        )
        .route("/_sandbox/oauth/strict", post(control::strict))
}
