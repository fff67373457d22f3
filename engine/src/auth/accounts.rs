//! Signed-in accounts: stored OAuth credentials, refreshed before they expire and once after
//! a 401, with one refresh at a time per account however many calls need it.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use super::{
    AuthError, clock,
    oauth::{Grant, OAuthClient, OAuthError},
    pending::Pending,
    store::{Credential, CredentialStore},
};

/// Refresh this long before the expiry Google gave.
const EARLY: i64 = 60;

/// An access token and when it stops working.
#[derive(Clone, Debug)]
struct Live {
    token: String,
    expires_at: i64,
}

/// Every account signed in through this server's OAuth client.
#[derive(Debug)]
pub struct Accounts {
    client: OAuthClient,
    store: CredentialStore,
    default_user: Option<String>,
    single_user: bool,
    /// The scopes a sign-in asks for: those of every enabled tool, plus the address.
    scopes: Vec<String>,
    slots: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Live>>>>>,
    pending: Pending,
}

impl Accounts {
    /// Accounts stored in `store`, signed in through `client`.
    pub fn new(
        client: OAuthClient,
        store: CredentialStore,
        default_user: Option<String>,
        single_user: bool,
        scopes: Vec<String>,
    ) -> Accounts {
        Accounts {
            client,
            store,
            default_user,
            single_user,
            scopes,
            slots: Mutex::default(),
            pending: Pending::default(),
        }
    }

    /// Which account a call acts for: the one it names, the configured user, or in
    /// single-user mode the one stored account.
    pub fn account(&self, named: Option<&str>) -> Option<String> {
        named
            .map(str::to_owned)
            .or_else(|| self.default_user.clone())
            .or_else(|| {
                self.single_user
                    .then(|| self.store.accounts().into_iter().next())
                    .flatten()
            })
    }

    /// At start-up: a sign-in URL when the account the server acts for has no stored
    /// credential yet. Reads the store only; no network.
    pub fn startup_sign_in(&self) -> Option<String> {
        let account = self.account(None);
        match account.as_deref() {
            Some(account) if self.store.load(account).is_some() => None,
            _ if self.default_user.is_none() && !self.single_user => None,
            account => Some(self.sign_in_url(account, &[])),
        }
    }

    /// A URL that signs `account` in with the scopes of every enabled tool plus `extra`.
    pub fn sign_in_url(&self, account: Option<&str>, extra: &[String]) -> String {
        let mut scopes = self.scopes.clone();
        scopes.extend(extra.iter().filter(|s| !self.scopes.contains(s)).cloned());
        let started = self.client.authorize(&scopes, account);
        self.pending.insert(started.state, started.verifier);
        started.url
    }

    /// The access token for `named` (or the default account), refreshing it when due.
    pub async fn token(&self, named: Option<&str>, needed: &[String]) -> Result<String, AuthError> {
        let Some(account) = self.account(named) else {
            let url = self.sign_in_url(None, needed);
            return Err(AuthError::NeedsConsent {
                reason: "no Google account is signed in yet".into(),
                url,
            });
        };
        let slot = self.slot(&account);
        let mut live = slot.lock().await;

        let Some(credential) = self.store.load(&account) else {
            *live = None;
            let url = self.sign_in_url(Some(&account), needed);
            return Err(AuthError::NeedsConsent {
                reason: format!("{account} has not signed in"),
                url,
            });
        };
        let missing: Vec<String> = needed
            .iter()
            .filter(|s| !credential.scopes.is_empty() && !credential.scopes.contains(s))
            .cloned()
            .collect();
        if !missing.is_empty() {
            let url = self.sign_in_url(Some(&account), &missing);
            let reason = format!(
                "this tool needs access {account} has not granted ({})",
                missing.join(", ")
            );
            return Err(AuthError::NeedsConsent { reason, url });
        }

        if let Some(current) = live
            .as_ref()
            .filter(|l| l.expires_at - EARLY > clock::now())
        {
            return Ok(current.token.clone());
        }
        let stored_expiry = credential.expiry.as_deref().and_then(clock::parse);
        if let (Some(token), Some(expires_at)) = (&credential.token, stored_expiry)
            && expires_at - EARLY > clock::now()
        {
            *live = Some(Live {
                token: token.clone(),
                expires_at,
            });
            return Ok(token.clone());
        }
        let fresh = self.refresh(&account, credential).await?;
        let token = fresh.token.clone();
        *live = Some(fresh);
        Ok(token)
    }

    /// After Google rejected `rejected` with a 401: a refreshed token, unless another call
    /// refreshed meanwhile, in which case that one. Exactly one refresh per rejected token.
    pub async fn renew(&self, named: Option<&str>, rejected: &str) -> Result<String, AuthError> {
        let account = self
            .account(named)
            .ok_or_else(|| AuthError::Other("no account to renew".into()))?;
        let slot = self.slot(&account);
        let mut live = slot.lock().await;
        if let Some(current) = live.as_ref().filter(|l| l.token != rejected) {
            return Ok(current.token.clone());
        }
        let credential = self.store.load(&account).unwrap_or_default();
        let fresh = self.refresh(&account, credential).await?;
        let token = fresh.token.clone();
        *live = Some(fresh);
        Ok(token)
    }

    /// Finishes a sign-in from the redirect: checks `state`, exchanges `code`, stores the
    /// credential under the address Google reports. Returns that address.
    pub async fn complete(&self, state: &str, code: &str) -> Result<String, AuthError> {
        let verifier = self.pending.take(state).ok_or_else(|| {
            AuthError::Other(
                "this sign-in link has expired or was already used; start again".into(),
            )
        })?;
        let grant = self
            .client
            .exchange(code, &verifier)
            .await
            .map_err(oauth_error)?;
        let account = self
            .client
            .email(&grant.access_token)
            .await
            .map_err(oauth_error)?;

        let previous = self.store.load(&account).unwrap_or_default();
        let credential = self.merge(previous, &grant);
        self.store
            .save(&account, &credential)
            .map_err(|e| AuthError::Other(format!("cannot store the credential: {e}")))?;
        *self.slot(&account).lock().await = None;
        tracing::info!(%account, "signed in");
        Ok(account)
    }

    fn slot(&self, account: &str) -> Arc<tokio::sync::Mutex<Option<Live>>> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.entry(account.to_owned()).or_default().clone()
    }

    async fn refresh(&self, account: &str, credential: Credential) -> Result<Live, AuthError> {
        let Some(refresh_token) = credential.refresh_token.clone() else {
            let url = self.sign_in_url(Some(account), &[]);
            return Err(AuthError::NeedsConsent {
                reason: format!("{account}'s sign-in cannot be renewed"),
                url,
            });
        };
        match self.client.refresh(&refresh_token).await {
            Ok(grant) => {
                let updated = self.merge(credential, &grant);
                let expires_at = updated
                    .expiry
                    .as_deref()
                    .and_then(clock::parse)
                    .unwrap_or(clock::now() + 3600);
                if let Err(error) = self.store.save(account, &updated) {
                    tracing::warn!(%account, %error, "could not store the refreshed credential");
                }
                tracing::info!(%account, "access token refreshed");
                Ok(Live {
                    token: grant.access_token,
                    expires_at,
                })
            }
            Err(OAuthError::InvalidGrant(detail)) => {
                let url = self.sign_in_url(Some(account), &[]);
                let reason = format!(
                    "Google no longer accepts {account}'s sign-in ({detail}); it was revoked, or \
                     the OAuth app is in testing mode, whose grants expire after 7 days"
                );
                Err(AuthError::NeedsConsent { reason, url })
            }
            Err(other) => Err(AuthError::Other(other.to_string())),
        }
    }

    /// `credential` updated with `grant`; a grant without a refresh token keeps the old one.
    fn merge(&self, mut credential: Credential, grant: &Grant) -> Credential {
        credential.token = Some(grant.access_token.clone());
        if grant.refresh_token.is_some() {
            credential.refresh_token = grant.refresh_token.clone();
        }
        if !grant.scopes.is_empty() {
            credential.scopes = grant.scopes.clone();
        }
        let lifetime = grant
            .expires_in
            .unwrap_or(Duration::from_secs(3600))
            .as_secs() as i64;
        credential.expiry = Some(clock::format(clock::now() + lifetime));
        credential.token_uri = Some(self.client.token_uri().to_owned());
        credential.client_id = Some(self.client.client_id().to_owned());
        credential.client_secret = self.client.client_secret().map(str::to_owned);
        credential
    }
}

fn oauth_error(error: OAuthError) -> AuthError {
    AuthError::Other(error.to_string())
}
