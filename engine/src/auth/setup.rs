//! Choosing the credential mode from the configuration.

use std::fs;

use serde_json::Value;

use super::{Accounts, Auth, CredentialStore, Delegation, Endpoints, OAuthClient, Signer};
use crate::{config::Config, google::Credentials};

/// Scopes every sign-in asks for besides the tools': who the user is.
pub const IDENTITY_SCOPES: &[&str] = &["openid", "https://www.googleapis.com/auth/userinfo.email"];

/// The credential mode the configuration asks for, in this order: passthrough, a service
/// account, a fixed token (`GWS_ACCESS_TOKEN`/`GWS_TOKEN_FILE`), OAuth sign-in, or none
/// (every call then says how to configure one).
pub fn from_config(
    config: &Config,
    tool_scopes: &[String],
    http: reqwest::Client,
) -> Result<Auth, String> {
    if config.passthrough() {
        return Ok(Auth::Passthrough);
    }

    let key = match (
        &config.service_account_key_json,
        &config.service_account_key_file,
    ) {
        (Some(json), _) => Some(json.clone()),
        (None, Some(path)) => Some(fs::read_to_string(path).map_err(|e| {
            format!(
                "cannot read the service-account key {}: {e}",
                path.display()
            )
        })?),
        (None, None) => None,
    };
    if let Some(key) = key {
        let signer = Signer::from_json(&key)?;
        let token_uri = match &config.api_root {
            Some(root) => Endpoints::under(root).token,
            None => signer.token_uri().to_owned(),
        };
        let user = config.user_google_email.clone();
        let delegation = Delegation::new(signer, token_uri, user, http);
        return Ok(Auth::ServiceAccount(Box::new(delegation)));
    }

    let token = config
        .access_token
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty());
    if token || config.token_file.is_some() {
        return Ok(Auth::Static(Credentials::new(
            config.access_token.clone(),
            config.token_file.clone(),
        )));
    }

    if let Some((client_id, client_secret)) = client_credentials(config)? {
        let endpoints = match &config.api_root {
            Some(root) => Endpoints::under(root),
            None => Endpoints::google(),
        };
        let client = OAuthClient::new(
            &client_id,
            client_secret.as_deref(),
            &config.redirect_uri(),
            endpoints,
            http,
        )?;
        let mut scopes: Vec<String> = IDENTITY_SCOPES.iter().map(|s| s.to_string()).collect();
        scopes.extend(tool_scopes.iter().cloned());
        let store = CredentialStore::new(config.credentials_dir());
        let accounts = Accounts::new(
            client,
            store,
            config.user_google_email.clone(),
            config.single_user,
            scopes,
        );
        return Ok(Auth::OAuth(Box::new(accounts)));
    }

    Ok(Auth::Static(Credentials::Missing))
}

/// The OAuth client id and secret: from the environment, else from `client_secret.json`.
fn client_credentials(config: &Config) -> Result<Option<(String, Option<String>)>, String> {
    if let Some(id) = config
        .google_oauth_client_id
        .clone()
        .filter(|id| !id.trim().is_empty())
    {
        return Ok(Some((id, config.google_oauth_client_secret.clone())));
    }
    let Some(path) = config.client_secret_file() else {
        return Ok(None);
    };
    if !path.exists() {
        return Ok(None);
    }
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    let client = file
        .get("web")
        .or_else(|| file.get("installed"))
        .unwrap_or(&file);
    let id = client["client_id"]
        .as_str()
        .ok_or_else(|| format!("{} has no client_id", path.display()))?;
    Ok(Some((
        id.to_owned(),
        client["client_secret"].as_str().map(str::to_owned),
    )))
}
