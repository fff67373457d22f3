//! OAuth clients the sandbox knows, and which redirect URIs each accepts.

/// An OAuth client registered with the sandbox, as in Google Cloud's "Credentials" page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthClient {
    /// The client id, e.g. `1234-abc.apps.googleusercontent.com`.
    pub client_id: String,
    /// The secret; `None` for a client that authenticates with PKCE alone.
    pub client_secret: Option<String>,
    /// The registered redirect URIs, matched exactly ("Web application"). Empty means a
    /// "Desktop app" client, which accepts any `http` loopback URI, any port and path.
    pub redirect_uris: Vec<String>,
}

impl OAuthClient {
    /// A "Desktop app" client: any loopback redirect URI.
    pub fn desktop(client_id: &str, client_secret: &str) -> OAuthClient {
        OAuthClient {
            client_id: client_id.to_string(),
            client_secret: Some(client_secret.to_string()),
            redirect_uris: Vec::new(),
        }
    }

    /// A "Web application" client: only the listed redirect URIs, exactly.
    pub fn web(client_id: &str, client_secret: &str, redirect_uris: &[&str]) -> OAuthClient {
        OAuthClient {
            redirect_uris: redirect_uris.iter().map(|uri| uri.to_string()).collect(),
            ..OAuthClient::desktop(client_id, client_secret)
        }
    }

    /// Whether the authorization endpoint may redirect to `uri` for this client.
    pub(crate) fn accepts_redirect(&self, uri: &str) -> bool {
        if uri.contains('#') {
            return false;
        }
        if self.redirect_uris.is_empty() {
            is_loopback_http(uri)
        } else {
            self.redirect_uris
                .iter()
                .any(|registered| registered == uri)
        }
    }
}

/// `http://127.0.0.1`, `http://localhost` or `http://[::1]`, with any port and path.
fn is_loopback_http(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host = match authority.strip_prefix("[::1]") {
        Some(port) => return port.is_empty() || is_port(port),
        None => authority,
    };
    let (name, port) = match host.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "127.0.0.1" | "localhost"
    ) && port.is_none_or(|port| is_port(&format!(":{port}")))
}

/// `:` followed by 1 to 5 digits.
fn is_port(text: &str) -> bool {
    text.strip_prefix(':').is_some_and(|digits| {
        (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_desktop_client_accepts_any_loopback_port_and_path_and_nothing_else() {
        let client = OAuthClient::desktop("id", "secret");

        for uri in [
            "http://127.0.0.1:8000/oauth2callback",
            "http://localhost:51234/",
            "http://localhost",
            "http://[::1]:9/cb?x=1",
        ] {
            assert!(client.accepts_redirect(uri), "{uri}");
        }
        for uri in [
            "https://localhost:8000/",
            "http://example.com/cb",
            "http://127.0.0.1.example.com/",
            "http://localhost:80x/",
            "http://localhost:8000/cb#frag",
            "urn:ietf:wg:oauth:2.0:oob",
        ] {
            assert!(!client.accepts_redirect(uri), "{uri}");
        }
    }

    #[test]
    fn a_web_client_accepts_only_its_registered_uris_exactly() {
        let client = OAuthClient::web("id", "secret", &["https://app.example.com/cb"]);

        assert!(client.accepts_redirect("https://app.example.com/cb"));
        assert!(!client.accepts_redirect("https://app.example.com/cb/"));
        assert!(!client.accepts_redirect("http://127.0.0.1:8000/cb"));
    }
}
