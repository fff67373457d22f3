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
    #[arg(long, env = "TOOL_TIER")]
    pub tool_tier: Option<Tier>,

    /// Services to serve, such as `gmail calendar drive` (TOOLS; commas or spaces).
    /// Default: every service.
    #[arg(long, env = "TOOLS", value_delimiter = ',')]
    pub tools: Vec<String>,

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

    /// The largest Google reply read, in bytes.
    #[arg(long, env = "GWS_MAX_REPLY_BYTES", default_value_t = 32 * 1024 * 1024)]
    pub max_reply_bytes: usize,
}

impl Config {
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

    /// Whether the configured tier and services include `tool`.
    pub fn enables(&self, tool: &Tool) -> bool {
        let tier = self.tool_tier.unwrap_or(Tier::Complete);
        let services = self.services();
        tool.tier <= tier && (services.is_empty() || services.contains(&tool.service))
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

fn parse_flag(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "" | "0" | "false" | "no" | "off" => Ok(false),
        other => Err(format!("`{other}` is not a yes/no value; use 1 or 0")),
    }
}
