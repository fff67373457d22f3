//! Which `Host` names the server answers to, against DNS rebinding.

use axum::{
    extract::{Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Host names (optionally with a port) the server accepts; loopback names always.
#[derive(Clone, Debug)]
pub struct AllowedHosts {
    names: Vec<String>,
    any: bool,
}

impl AllowedHosts {
    /// Loopback plus `extra` (`gws_mcp`, `mcp.example.com:8443`); `*` accepts any host.
    pub fn new(extra: &[String]) -> AllowedHosts {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "::1", "[::1]"]
            .map(String::from)
            .into();
        names.extend(
            extra
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty()),
        );
        let any = names.iter().any(|h| h == "*");
        AllowedHosts { names, any }
    }

    /// The names, for the MCP transport's own check.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether every host is accepted.
    pub fn any(&self) -> bool {
        self.any
    }

    /// Whether a `Host` header value is accepted.
    pub fn allows(&self, host: &str) -> bool {
        if self.any {
            return true;
        }
        let host = host.trim().to_ascii_lowercase();
        let name = match host.rsplit_once(':') {
            Some((name, port))
                if port.chars().all(|c| c.is_ascii_digit()) && !name.ends_with(':') =>
            {
                name
            }
            _ => host.as_str(),
        };
        self.names
            .iter()
            .any(|allowed| *allowed == host || allowed == name)
    }
}

/// Middleware: 403 for a `Host` the server does not answer to.
pub async fn check_host(
    State(hosts): State<AllowedHosts>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !hosts.allows(host) {
        tracing::debug!(target: "gws_engine::rejected", host, "host not allowed");
        let message =
            "Forbidden: this server does not answer to that Host name; add it to GWS_ALLOWED_HOSTS";
        return (StatusCode::FORBIDDEN, message).into_response();
    }
    // A browser page from another site carries its own Origin: refuse it on every route, as
    // the MCP layer does on /mcp.
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|h| h.to_str().ok());
    if let Some(origin) = origin {
        let authority = origin
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or(origin);
        if origin == "null" || !hosts.allows(authority) {
            tracing::debug!(target: "gws_engine::rejected", origin, "origin not allowed");
            return (
                StatusCode::FORBIDDEN,
                "Forbidden: requests from that Origin are not accepted",
            )
                .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_configured_names_are_allowed_with_or_without_port() {
        let hosts = AllowedHosts::new(&["gws_mcp".into()]);

        assert!(hosts.allows("127.0.0.1:8000"));
        assert!(hosts.allows("localhost"));
        assert!(hosts.allows("[::1]:8000"));
        assert!(hosts.allows("gws_mcp:8000"));
        assert!(!hosts.allows("evil.example:8000"));
        assert!(!hosts.allows(""));
    }

    #[test]
    fn a_star_allows_every_host() {
        assert!(AllowedHosts::new(&["*".into()]).allows("anything:1"));
    }
}
