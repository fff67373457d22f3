//! The one HTTP client every call shares, and how a request is sent and its reply read.

use std::time::Duration;

use reqwest::{Method, header};
use serde_json::Value;

use super::{
    error::{CallError, GoogleError},
    retry::{self, RetryPolicy, Verdict},
};

/// A request ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The HTTP verb.
    pub method: String,
    /// The full URL, query included.
    pub url: String,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Option<Value>,
    /// The Discovery method id or path, for messages.
    pub label: String,
}

impl std::fmt::Display for Request {
    /// The request as it would go on the wire, the credential masked.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        writeln!(f, "Authorization: Bearer ***")?;
        for (name, value) in &self.headers {
            let secret = name.eq_ignore_ascii_case("authorization")
                || name.to_ascii_lowercase().contains("key");
            writeln!(f, "{name}: {}", if secret { "***" } else { value })?;
        }
        if let Some(body) = &self.body {
            writeln!(f, "Content-Type: application/json")?;
            writeln!(f)?;
            let pretty = serde_json::to_string_pretty(body).unwrap_or_default();
            writeln!(f, "{pretty}")?;
        }
        Ok(())
    }
}

impl Request {
    /// Whether sending it twice could do something twice.
    pub fn is_write(&self) -> bool {
        !matches!(self.method.as_str(), "GET" | "HEAD")
    }
}

/// Google's REST APIs, or the sandbox standing in for them.
#[derive(Clone, Debug)]
pub struct Google {
    http: reqwest::Client,
    api_root: Option<String>,
    timeout: Duration,
    max_reply_bytes: usize,
    retry: RetryPolicy,
}

impl Google {
    /// A client; `api_root` replaces every API's own root URL (for the sandbox).
    pub fn new(api_root: Option<String>, timeout: Duration, max_reply_bytes: usize) -> Google {
        // A process installs one TLS provider; a second install attempt is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(concat!("gws-engine/", env!("CARGO_PKG_VERSION")))
            .pool_idle_timeout(Duration::from_secs(90))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .expect("the HTTP client's TLS configuration is static and valid");
        let api_root = api_root.map(|root| format!("{}/", root.trim_end_matches('/')));
        let retry = RetryPolicy::default();
        Google {
            http,
            api_root,
            timeout,
            max_reply_bytes,
            retry,
        }
    }

    /// This client with another retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Google {
        self.retry = retry;
        self
    }

    /// The pooled HTTP client, for other Google endpoints (OAuth) to share.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The root URL requests go to for an API whose own root is `root`.
    pub fn root<'a>(&'a self, root: &'a str) -> &'a str {
        self.api_root.as_deref().unwrap_or(root)
    }

    /// Sends `request` with `token`, retrying what may be retried (see [`super::retry`]),
    /// and returns the parsed reply.
    pub async fn send(&self, request: &Request, token: &str) -> Result<Value, CallError> {
        let read = !request.is_write();
        let mut attempt = 0;
        loop {
            let error = match self.send_once(request, token).await {
                Ok(reply) => return Ok(reply),
                Err(error) => error,
            };
            attempt += 1;
            let Verdict::Retry { advised } = retry::verdict(read, &error) else {
                return Err(error);
            };
            if attempt >= self.retry.attempts {
                return Err(error);
            }
            // Google asking for a longer wait than the call can spend is an answer, not a pause.
            if advised.is_some_and(|wait| wait > self.retry.cap) {
                return Err(error);
            }
            let wait = retry::delay(&self.retry, attempt, advised, retry::random());
            tracing::debug!(label = %request.label, attempt, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends `request` once.
    async fn send_once(&self, request: &Request, token: &str) -> Result<Value, CallError> {
        let method = Method::from_bytes(request.method.as_bytes())
            .map_err(|_| CallError::Shape(format!("`{}` is not an HTTP verb", request.method)))?;
        let mut builder = self
            .http
            .request(method, &request.url)
            .bearer_auth(token)
            .timeout(self.timeout)
            .header(header::ACCEPT, "application/json");
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.json(body);
        }

        tracing::debug!(method = %request.method, label = %request.label, "google request");
        let response = builder
            .send()
            .await
            .map_err(|e| self.transport_error(request, e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        let body = self.read_body(request, response).await?;
        tracing::debug!(status, label = %request.label, bytes = body.len(), "google reply");

        if !(200..300).contains(&status) {
            let mut error = GoogleError::from_reply(status, &body, &request.label, retry_after);
            error.write = request.is_write();
            return Err(CallError::Google(error));
        }
        if body.is_empty() {
            return Ok(Value::Object(Default::default()));
        }
        Ok(serde_json::from_slice(&body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned())))
    }

    async fn read_body(
        &self,
        request: &Request,
        mut response: reqwest::Response,
    ) -> Result<Vec<u8>, CallError> {
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(request, e))?
        {
            if body.len() + chunk.len() > self.max_reply_bytes {
                return Err(CallError::TooLarge {
                    method: request.label.clone(),
                    limit: self.max_reply_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn transport_error(&self, request: &Request, error: reqwest::Error) -> CallError {
        let write = request.is_write();
        if error.is_timeout() {
            return CallError::Timeout {
                method: request.label.clone(),
                seconds: self.timeout.as_secs(),
                write,
            };
        }
        // Only the error's own words: its display may carry the URL, which carries ids.
        let message = std::error::Error::source(&error)
            .map(|source| source.to_string())
            .unwrap_or_else(|| "connection failed".to_owned());
        let never_sent = error.is_connect();
        CallError::Transport {
            method: request.label.clone(),
            message,
            write,
            never_sent,
        }
    }
}
