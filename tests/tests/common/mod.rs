//! A started sandbox and a plain HTTP client, shared by the integration tests.

#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use gws_sandbox::{Clock, Sandbox};
use serde_json::Value;

/// The bearer token the tests send; any non-empty token is accepted.
pub const TOKEN: &str = "ya29.sandbox-test-token";

/// A running sandbox with a client pointed at it.
pub struct Api {
    pub sandbox: Sandbox,
    client: reqwest::Client,
}

impl Api {
    /// Starts a sandbox on a free port with the system clock.
    pub async fn start() -> Api {
        let sandbox = Sandbox::start(0)
            .await
            .expect("the sandbox binds a free port");
        Api {
            sandbox,
            client: client(),
        }
    }

    /// Starts a sandbox whose clock is frozen at an RFC 3339 instant.
    pub async fn start_at(now: &str) -> Api {
        let clock = Clock::fixed_at(now).expect("a valid instant");
        let sandbox = Sandbox::start_with_clock(0, clock)
            .await
            .expect("the sandbox binds a free port");
        Api {
            sandbox,
            client: client(),
        }
    }

    /// `GET` with the bearer token; `path` carries its own, already encoded, query.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.client.get(self.url(path)).bearer_auth(TOKEN))
            .await
    }

    /// `GET` returning the raw body text, for downloads and exports.
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// `POST` of a JSON body with the bearer token.
    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send(
            self.client
                .post(self.url(path))
                .bearer_auth(TOKEN)
                .json(body),
        )
        .await
    }

    /// Any request the test builds itself (other headers, no token, other methods).
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.send().await.expect("the sandbox answers");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, body)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.url())
    }
}

/// base64url of an RFC 822 message, as `messages.send` takes it.
pub fn raw_message(text: &str) -> String {
    URL_SAFE.encode(text.as_bytes())
}

/// The ids of a list reply's entries under `key`.
pub fn ids(reply: &Value, key: &str) -> Vec<String> {
    reply[key]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| item["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A plain HTTP client. The workspace builds reqwest with rustls but no built-in crypto
/// provider (the engine installs ring), so tests install it too before building one.
fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}
