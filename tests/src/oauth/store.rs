//! What the OAuth endpoints remember: clients, codes, refresh tokens, access tokens, the log.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::client::OAuthClient;
use super::event::OAuthEvent;
use super::jwt;
use super::pkce::Challenge;
use super::random;
use super::user::User;
use super::{ACCESS_TOKEN_LIFETIME_SECS, CLIENT_ID, CLIENT_SECRET, SERVICE_ACCOUNT_KEY};
use crate::state::lock;

/// An authorization code waiting to be exchanged.
#[derive(Clone, Debug)]
pub(crate) struct Code {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) user: User,
    pub(crate) challenge: Option<Challenge>,
    /// `access_type=offline`: the exchange may return a refresh token.
    pub(crate) offline: bool,
    /// `prompt` included `consent`: a refresh token is returned even if one is live.
    pub(crate) consent: bool,
    pub(crate) redeemed: bool,
}

/// A refresh token's grant.
#[derive(Clone, Debug)]
pub(crate) struct Grant {
    pub(crate) client_id: String,
    pub(crate) user: User,
    pub(crate) scopes: Vec<String>,
    /// False once revoked or expired.
    pub(crate) live: bool,
}

/// An issued access token.
#[derive(Clone, Debug)]
pub(crate) struct AccessToken {
    pub(crate) client_id: String,
    pub(crate) user: User,
    pub(crate) scopes: Vec<String>,
    pub(crate) expires_at: SystemTime,
    /// False once revoked or expired early.
    pub(crate) live: bool,
    /// The refresh token it came from, if any.
    pub(crate) refresh_token: Option<String>,
}

impl AccessToken {
    /// Unrevoked and not past its expiry.
    pub(crate) fn valid(&self) -> bool {
        self.live && SystemTime::now() < self.expires_at
    }

    /// Whole seconds left.
    pub(crate) fn seconds_left(&self) -> u64 {
        self.expires_at
            .duration_since(SystemTime::now())
            .map_or(0, |left| left.as_secs())
    }
}

/// The mutable part, behind one lock.
#[derive(Default)]
pub(crate) struct Store {
    pub(crate) clients: HashMap<String, OAuthClient>,
    /// Service-account emails whose public key (DER `RSAPublicKey`) is known.
    pub(crate) account_keys: HashMap<String, Vec<u8>>,
    pub(crate) codes: HashMap<String, Code>,
    pub(crate) grants: HashMap<String, Grant>,
    pub(crate) tokens: HashMap<String, AccessToken>,
    /// Scopes granted so far per (client id, email), for `include_granted_scopes`.
    pub(crate) consents: HashMap<(String, String), Vec<String>>,
    pub(crate) log: Vec<OAuthEvent>,
}

impl Store {
    /// Issues an access token for `user`, linked to `refresh_token` if any.
    pub(crate) fn issue_access_token(
        &mut self,
        client_id: &str,
        user: &User,
        scopes: &[String],
        refresh_token: Option<&str>,
    ) -> String {
        let token = random::token("ya29.sandbox-");
        let lifetime = Duration::from_secs(ACCESS_TOKEN_LIFETIME_SECS);
        self.tokens.insert(
            token.clone(),
            AccessToken {
                client_id: client_id.to_string(),
                user: user.clone(),
                scopes: scopes.to_vec(),
                expires_at: SystemTime::now() + lifetime,
                live: true,
                refresh_token: refresh_token.map(str::to_string),
            },
        );
        token
    }

    /// Issues a refresh token for `user`.
    pub(crate) fn issue_refresh_token(
        &mut self,
        client_id: &str,
        user: &User,
        scopes: &[String],
    ) -> String {
        let token = random::token("1//sandbox-");
        let grant = Grant {
            client_id: client_id.to_string(),
            user: user.clone(),
            scopes: scopes.to_vec(),
            live: true,
        };
        self.grants.insert(token.clone(), grant);
        token
    }

    /// Whether `client_id` holds a live refresh token for `email`.
    pub(crate) fn has_live_grant(&self, client_id: &str, email: &str) -> bool {
        self.grants
            .values()
            .any(|g| g.live && g.client_id == client_id && g.user.email == email)
    }

    /// Revokes a refresh token and every access token issued from it.
    pub(crate) fn revoke_grant(&mut self, refresh_token: &str) {
        if let Some(grant) = self.grants.get_mut(refresh_token) {
            grant.live = false;
        }
        for token in self.tokens.values_mut() {
            if token.refresh_token.as_deref() == Some(refresh_token) {
                token.live = false;
            }
        }
    }

    /// Revokes `token`, a refresh or an access token, as Google's `/revoke` does: an access
    /// token takes its refresh token (and that one's other access tokens) with it. False
    /// when the token is unknown or already dead.
    pub(crate) fn revoke(&mut self, token: &str) -> bool {
        if self.grants.get(token).is_some_and(|g| g.live) {
            self.revoke_grant(token);
            return true;
        }
        let Some(access) = self.tokens.get_mut(token).filter(|t| t.valid()) else {
            return false;
        };
        access.live = false;
        if let Some(refresh) = access.refresh_token.clone() {
            self.revoke_grant(&refresh);
        }
        true
    }
}

/// The OAuth state the sandbox shares between requests.
pub(crate) struct OAuth {
    store: Mutex<Store>,
    strict: AtomicBool,
}

impl OAuth {
    /// Knows [`CLIENT_ID`] and the fixture service account from the start.
    pub(crate) fn seeded() -> OAuth {
        let mut store = Store::default();
        let client = OAuthClient::desktop(CLIENT_ID, CLIENT_SECRET);
        store.clients.insert(client.client_id.clone(), client);
        let (email, key) =
            jwt::service_account_key(SERVICE_ACCOUNT_KEY).expect("the fixture key file is valid");
        store.account_keys.insert(email, key);

        OAuth {
            store: Mutex::new(store),
            strict: AtomicBool::new(false),
        }
    }

    /// The store, locked.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// Whether only issued tokens (and the static one) are accepted.
    pub(crate) fn strict(&self) -> bool {
        self.strict.load(Ordering::Relaxed)
    }

    /// Turns strict token checking on or off.
    pub(crate) fn set_strict(&self, strict: bool) {
        self.strict.store(strict, Ordering::Relaxed);
    }

    /// Appends to the log.
    pub(crate) fn record(&self, event: OAuthEvent) {
        self.lock().log.push(event);
    }

    /// Registers or replaces a client.
    pub(crate) fn add_client(&self, client: OAuthClient) {
        self.lock().clients.insert(client.client_id.clone(), client);
    }

    /// Registers a service account's public key from its key file; returns its email.
    pub(crate) fn add_service_account_key(&self, key_file: &str) -> Result<String, String> {
        let (email, key) = jwt::service_account_key(key_file)?;
        self.lock().account_keys.insert(email.clone(), key);
        Ok(email)
    }
}

/// Seconds since the Unix epoch, wall-clock.
pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with_grant() -> (Store, String, String) {
        let mut store = Store::default();
        let user = User::for_email("user@example.com");
        let scopes = ["openid".to_string()];
        let refresh = store.issue_refresh_token(CLIENT_ID, &user, &scopes);
        let access = store.issue_access_token(CLIENT_ID, &user, &scopes, Some(&refresh));
        (store, refresh, access)
    }

    #[test]
    fn revoking_an_access_token_revokes_its_refresh_token_too() {
        let (mut store, refresh, access) = store_with_grant();

        assert!(store.revoke(&access));
        assert!(!store.grants[&refresh].live);
        assert!(!store.tokens[&access].valid());
        assert!(
            !store.revoke(&access),
            "a dead token cannot be revoked again"
        );
    }

    #[test]
    fn revoking_a_refresh_token_ends_the_access_tokens_it_issued() {
        let (mut store, refresh, access) = store_with_grant();

        assert!(store.revoke(&refresh));
        assert!(!store.tokens[&access].valid());
        assert!(!store.has_live_grant(CLIENT_ID, "user@example.com"));
        assert!(!store.revoke("1//never-issued"));
    }

    #[test]
    fn an_access_token_lives_for_3599_seconds() {
        let (store, _, access) = store_with_grant();

        let left = store.tokens[&access].seconds_left();
        assert!((3590..=3599).contains(&left), "{left}");
    }
}
