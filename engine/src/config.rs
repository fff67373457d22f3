//! Settings, in one struct: defaults, then environment variables, then command-line flags.
//!
//! The environment variables are the Python `workspace-mcp` server's where it has one
//! (`WORKSPACE_MCP_PORT`, `TOOL_TIER`, `TOOLS`, `USER_GOOGLE_EMAIL`, ...), so a deployment
//! written for it keeps working; the engine's own settings start with `GWS_`.

use std::{path::PathBuf, time::Duration};

use clap::Args;

use crate::catalogue::{Tier, Tool};

/// Everything `serve` reads. Flags override the environment variables named on each field.
#[derive(Args, Clone, Debug)]
pub struct Config {
    /// Address to listen on (WORKSPACE_MCP_HOST). Loopback by default: set 0.0.0.0 only
    /// behind a firewall or in a container, since the server acts with the user's Google data.
    #[arg(long, env = "WORKSPACE_MCP_HOST", default_value = "127.0.0.1")]
    pub host: String,

    /// Speak MCP over standard input and output instead of HTTP, for desktop clients that
    /// start the server themselves.
    #[arg(long)]
    pub stdio: bool,

    /// Port to listen on (WORKSPACE_MCP_PORT, or PORT); 0 picks a free port.
    #[arg(long, env = "WORKSPACE_MCP_PORT", default_value_t = 8000)]
    pub port: u16,

    /// The shipped catalogue directory (GWS_CATALOGUE_DIR).
    #[arg(long, env = "GWS_CATALOGUE_DIR", default_value = "catalogue")]
    pub catalogue_dir: PathBuf,

    /// Extra catalogue directories or files whose tools add to or replace shipped ones
    /// (GWS_CATALOGUE; several separated by commas).
    #[arg(long = "catalogue", env = "GWS_CATALOGUE", value_delimiter = ',')]
    pub overlays: Vec<PathBuf>,

    /// Replaces every Google API's root URL, keeping Google's path layout: point it at the
    /// sandbox (GWS_API_ROOT). Default: each API's real root.
    #[arg(long, env = "GWS_API_ROOT")]
    pub api_root: Option<String>,

    /// A Google access token to act with (GWS_ACCESS_TOKEN). Never logged.
    #[arg(long, env = "GWS_ACCESS_TOKEN", hide_env_values = true)]
    pub access_token: Option<String>,

    /// A file holding the access token, as JSON (`token` or `access_token`) or bare
    /// (GWS_TOKEN_FILE); re-read when it changes.
    #[arg(long, env = "GWS_TOKEN_FILE")]
    pub token_file: Option<PathBuf>,

    /// Host names besides loopback the server answers to, such as a container name
    /// (GWS_ALLOWED_HOSTS; commas or spaces; `*` for any, which disables the DNS-rebinding
    /// guard).
    #[arg(long, env = "GWS_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,

    /// The tier of tools to serve: core, extended or complete (TOOL_TIER). Default: complete.
    #[arg(long, alias = "tier", env = "TOOL_TIER", value_parser = parse_tier)]
    pub tool_tier: Option<Tier>,

    /// Services to serve, such as `gmail calendar drive` (TOOLS; commas or spaces).
    /// Default: every service.
    #[arg(long, env = "TOOLS", value_delimiter = ',')]
    pub tools: Vec<String>,

    /// Tools to serve beyond the tier and services chosen (GWS_ENABLE_TOOLS; commas).
    #[arg(long, env = "GWS_ENABLE_TOOLS", value_delimiter = ',')]
    pub enable_tools: Vec<String>,

    /// Tools never to serve (GWS_DISABLE_TOOLS; commas).
    #[arg(long, env = "GWS_DISABLE_TOOLS", value_delimiter = ',')]
    pub disable_tools: Vec<String>,

    /// Serve only tools that change nothing; the OAuth scopes asked for narrow to match
    /// (WORKSPACE_MCP_READ_ONLY=1).
    #[arg(long, env = "WORKSPACE_MCP_READ_ONLY", value_parser = parse_flag, default_value = "false")]
    pub read_only: bool,

    /// Send nothing to Google: every call answers with the requests it would send
    /// (GWS_DRY_RUN=1). For trying catalogue edits.
    #[arg(long, env = "GWS_DRY_RUN", value_parser = parse_flag, default_value = "false")]
    pub dry_run: bool,

    /// The OAuth client id users sign in through (GOOGLE_OAUTH_CLIENT_ID).
    #[arg(long, env = "GOOGLE_OAUTH_CLIENT_ID")]
    pub google_oauth_client_id: Option<String>,

    /// The OAuth client secret (GOOGLE_OAUTH_CLIENT_SECRET). Never logged.
    #[arg(long, env = "GOOGLE_OAUTH_CLIENT_SECRET", hide_env_values = true)]
    pub google_oauth_client_secret: Option<String>,

    /// Where Google sends the user back after consent (GOOGLE_OAUTH_REDIRECT_URI). Default:
    /// WORKSPACE_MCP_BASE_URI, the port, and `/oauth2callback`.
    #[arg(long, env = "GOOGLE_OAUTH_REDIRECT_URI")]
    pub google_oauth_redirect_uri: Option<String>,

    /// Scheme and host the server is reached at, for the redirect URI (WORKSPACE_MCP_BASE_URI).
    #[arg(
        long,
        env = "WORKSPACE_MCP_BASE_URI",
        default_value = "http://localhost"
    )]
    pub base_uri: String,

    /// A `client_secret.json` downloaded from Google Cloud, used when the client id and secret
    /// are not set (GOOGLE_CLIENT_SECRET_PATH, or GOOGLE_CLIENT_SECRETS).
    #[arg(long, env = "GOOGLE_CLIENT_SECRET_PATH")]
    pub client_secret_path: Option<PathBuf>,

    /// Where signed-in accounts' credentials are stored, one file each, mode 0600
    /// (WORKSPACE_MCP_CREDENTIALS_DIR, or GOOGLE_MCP_CREDENTIALS_DIR). Default:
    /// ~/.google_workspace_mcp/credentials.
    #[arg(long, env = "WORKSPACE_MCP_CREDENTIALS_DIR")]
    pub credentials_dir: Option<PathBuf>,

    /// Act with the caller's own Google access token, sent as `Authorization: Bearer`, for
    /// that call only (GWS_AUTH_PASSTHROUGH=1, or EXTERNAL_OAUTH21_PROVIDER=true).
    #[arg(long, env = "GWS_AUTH_PASSTHROUGH", value_parser = parse_flag, default_value = "false")]
    pub auth_passthrough: bool,

    /// A service-account key file for domain-wide delegation (GOOGLE_SERVICE_ACCOUNT_KEY_FILE).
    #[arg(long, env = "GOOGLE_SERVICE_ACCOUNT_KEY_FILE")]
    pub service_account_key_file: Option<PathBuf>,

    /// The same key as JSON text (GOOGLE_SERVICE_ACCOUNT_KEY_JSON). Never logged.
    #[arg(long, env = "GOOGLE_SERVICE_ACCOUNT_KEY_JSON", hide_env_values = true)]
    pub service_account_key_json: Option<String>,

    /// A request header naming the account a call acts for, such as `x-user-email`
    /// (GWS_USER_EMAIL_HEADER).
    #[arg(long, env = "GWS_USER_EMAIL_HEADER")]
    pub user_email_header: Option<String>,

    /// A key every /mcp request must carry, as `X-API-Key` or (unless passthrough is on)
    /// `Authorization: Bearer` (GWS_API_KEY). /health stays open. Never logged.
    #[arg(long, env = "GWS_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,

    /// The user every call acts for (USER_GOOGLE_EMAIL).
    #[arg(long, env = "USER_GOOGLE_EMAIL")]
    pub user_google_email: Option<String>,

    /// One user only: the `user_google_email` argument is hidden (MCP_SINGLE_USER_MODE=1).
    #[arg(long, env = "MCP_SINGLE_USER_MODE", value_parser = parse_flag, default_value = "false")]
    pub single_user: bool,

    /// The most seconds one tool call may take, all its requests included.
    #[arg(long, env = "GWS_CALL_DEADLINE_SECS", default_value_t = 30)]
    pub call_deadline_secs: u64,

    /// The most seconds one Google request may take.
    #[arg(long, env = "GWS_REQUEST_TIMEOUT_SECS", default_value_t = 15)]
    pub request_timeout_secs: u64,

    /// The largest MCP request body accepted, in bytes.
    #[arg(long, env = "GWS_MAX_BODY_BYTES", default_value_t = 8 * 1024 * 1024)]
    pub max_body_bytes: usize,

    /// The largest attachment or file content returned to the model, in bytes (templates
    /// read it as `settings.max_attachment_bytes`).
    #[arg(long, env = "GWS_MAX_ATTACHMENT_BYTES", default_value_t = 5 * 1024 * 1024)]
    pub max_attachment_bytes: usize,

    /// The largest arguments object a call may carry, in bytes of JSON.
    #[arg(long, env = "GWS_MAX_ARGUMENT_BYTES", default_value_t = 8 * 1024 * 1024)]
    pub max_argument_bytes: usize,

    /// The most characters of text one result gives the model; longer text is cut with a
    /// marker saying how to get the rest.
    #[arg(long, env = "GWS_MAX_RESULT_CHARS", default_value_t = 60_000)]
    pub max_result_chars: usize,

    /// Google requests in flight at once for one account.
    #[arg(long, env = "GWS_MAX_CONCURRENT_PER_ACCOUNT", default_value_t = 8)]
    pub max_concurrent_per_account: usize,

    /// The largest Google reply read, in bytes.
    #[arg(long, env = "GWS_MAX_REPLY_BYTES", default_value_t = 32 * 1024 * 1024)]
    pub max_reply_bytes: usize,
}

impl Config {
    /// The configuration with settings given as empty strings treated as not given, as a
    /// compose file's `VAR=` or `VAR: ""` means.
    pub fn normalized(mut self) -> Config {
        let blank = |value: &mut Option<String>| {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *value = None;
            }
        };
        for value in [
            &mut self.api_root,
            &mut self.access_token,
            &mut self.user_google_email,
            &mut self.google_oauth_client_id,
            &mut self.google_oauth_client_secret,
            &mut self.google_oauth_redirect_uri,
            &mut self.service_account_key_json,
            &mut self.user_email_header,
            &mut self.api_key,
        ] {
            blank(value);
        }
        for path in [
            &mut self.token_file,
            &mut self.client_secret_path,
            &mut self.credentials_dir,
            &mut self.service_account_key_file,
        ] {
            if path.as_ref().is_some_and(|p| p.as_os_str().is_empty()) {
                *path = None;
            }
        }
        self
    }

    /// Every catalogue root, the shipped directory first.
    pub fn catalogue_roots(&self) -> Vec<PathBuf> {
        let mut roots = vec![self.catalogue_dir.clone()];
        roots.extend(
            self.overlays
                .iter()
                .filter(|p| !p.as_os_str().is_empty())
                .cloned(),
        );
        roots
    }

    /// What templates read as `settings.<name>`.
    pub fn settings(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut settings = serde_json::Map::new();
        settings.insert(
            "max_attachment_bytes".into(),
            self.max_attachment_bytes.into(),
        );
        if let Some(email) = &self.user_google_email {
            settings.insert("user_google_email".into(), email.clone().into());
        }
        settings
    }

    /// The services `TOOLS` names, split on commas and spaces and lowercased.
    pub fn services(&self) -> Vec<String> {
        split_list(&self.tools)
    }

    /// The allowed host names, split on commas and spaces.
    pub fn allowed_host_names(&self) -> Vec<String> {
        split_list(&self.allowed_hosts)
    }

    /// Whether the configuration serves `tool`: in the tier and services chosen, or enabled
    /// by name; not disabled by name; and read-only when read-only mode is on.
    pub fn enables(&self, tool: &Tool) -> bool {
        let tier = self.tool_tier.unwrap_or(Tier::Complete);
        let services = self.services();
        let chosen = tool.tier <= tier && (services.is_empty() || services.contains(&tool.service));
        let named = |list: &[String]| split_list(list).contains(&tool.name);
        let enabled = chosen || named(&self.enable_tools);
        enabled && !named(&self.disable_tools) && (!self.read_only || tool.annotations.read_only)
    }

    /// The bounds on one call.
    pub fn limits(&self) -> crate::call::Limits {
        crate::call::Limits {
            max_argument_bytes: self.max_argument_bytes,
            max_text_chars: self.max_result_chars,
            per_account_concurrency: self.max_concurrent_per_account,
        }
    }

    /// The OAuth redirect URI: the configured one, or the base URI, port and callback path.
    pub fn redirect_uri(&self) -> String {
        self.google_oauth_redirect_uri.clone().unwrap_or_else(|| {
            format!(
                "{}:{}/oauth2callback",
                self.base_uri.trim_end_matches('/'),
                self.port
            )
        })
    }

    /// The credential directory, honouring the Python server's older variable name.
    pub fn credentials_dir(&self) -> PathBuf {
        self.credentials_dir
            .clone()
            .or_else(|| std::env::var_os("GOOGLE_MCP_CREDENTIALS_DIR").map(PathBuf::from))
            .unwrap_or_else(|| {
                let home = std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .unwrap_or_default();
                home.join(".google_workspace_mcp/credentials")
            })
    }

    /// Whether passthrough is on, by either of its names.
    pub fn passthrough(&self) -> bool {
        let external = std::env::var("EXTERNAL_OAUTH21_PROVIDER")
            .is_ok_and(|v| parse_flag(&v).unwrap_or(false));
        self.auth_passthrough || external
    }

    /// The `client_secret.json` path, honouring the older variable name.
    pub fn client_secret_file(&self) -> Option<PathBuf> {
        self.client_secret_path
            .clone()
            .or_else(|| std::env::var_os("GOOGLE_CLIENT_SECRETS").map(PathBuf::from))
    }

    /// The per-call deadline.
    pub fn call_deadline(&self) -> Duration {
        Duration::from_secs(self.call_deadline_secs.max(1))
    }

    /// The per-request timeout.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs.max(1))
    }
}

fn split_list(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split([',', ' ']))
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
        .collect()
}

/// A tier; an empty value (a `TOOL_TIER=` left blank in a compose file) means the default.
fn parse_tier(text: &str) -> Result<Tier, String> {
    if text.trim().is_empty() {
        Ok(Tier::Complete)
    } else {
        text.parse()
    }
}

fn parse_flag(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "" | "0" | "false" | "no" | "off" => Ok(false),
        other => Err(format!("`{other}` is not a yes/no value; use 1 or 0")),
    }
}
