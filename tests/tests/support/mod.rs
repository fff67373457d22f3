//! What the integration tests share: the sandbox in-process, the engine binary as a child
//! process on an ephemeral loopback port, and a few readers for what reached the sandbox.

#![allow(dead_code)]

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
};

use base64::Engine as _;
use gws_sandbox::{RecordedRequest, Sandbox};
use serde_json::{Map, Value};

/// The token the engine sends and the sandbox accepts.
pub const TOKEN: &str = "sandbox-token";

/// The engine binary, built by `cargo build --workspace` (the Makefile does it first).
pub fn engine_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let binary = target.join("debug/gws-engine");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build --workspace` first",
        binary.display()
    );
    binary
}

/// The shipped catalogue.
pub fn catalogue_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../catalogue")
}

/// A running `gws-engine serve`, killed on drop.
pub struct Engine {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
}

impl Engine {
    /// Starts the engine against `api_root` with the shipped catalogue and `env` on top.
    pub fn start(api_root: &str, env: &[(&str, &str)]) -> Engine {
        Engine::start_on(0, api_root, env)
    }

    /// The same, on a chosen `port` (0 for any free one).
    pub fn start_on(port: u16, api_root: &str, env: &[(&str, &str)]) -> Engine {
        let mut command = Command::new(engine_binary());
        command
            .args(["serve", "--port", &port.to_string()])
            .env("GWS_API_ROOT", api_root)
            .env("GWS_ACCESS_TOKEN", TOKEN)
            .env("GWS_CATALOGUE_DIR", catalogue_dir())
            .env("RUST_LOG", "warn")
            .env_remove("TOOL_TIER")
            .env_remove("TOOLS")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the engine starts");

        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout is piped");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the engine prints its address");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from the engine: {line:?}"))
            .to_owned();
        Engine { child, url }
    }

    /// The MCP endpoint.
    pub fn mcp(&self) -> String {
        format!("{}/mcp", self.url)
    }

    /// The engine's process id, to read its memory from `/proc`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port free at the time of asking.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("a bound address").port()
}

/// A sandbox and an engine serving against it.
pub async fn start() -> (Sandbox, Engine) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = Sandbox::start(0).await.expect("the sandbox starts");
    let engine = Engine::start(&sandbox.url(), &[]);
    (sandbox, engine)
}

/// The recorded requests whose path ends with `suffix`.
pub fn requests_to(sandbox: &Sandbox, suffix: &str) -> Vec<RecordedRequest> {
    sandbox
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with(suffix))
        .collect()
}

/// The value of query parameter `name` of `request`.
pub fn query(request: &RecordedRequest, name: &str) -> Option<String> {
    request
        .query
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// The RFC 5322 message a Gmail send carried, decoded from its base64url `raw`.
pub fn sent_message(request: &RecordedRequest) -> String {
    let raw = request
        .body
        .as_ref()
        .and_then(|b| b["raw"].as_str())
        .expect("a raw message");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw.trim_end_matches('='))
        .expect("raw is base64url");
    String::from_utf8(bytes).expect("the message is ASCII")
}

/// The header block of a message, unfolded: (name, value) pairs in order.
pub fn headers(message: &str) -> Vec<(String, String)> {
    let block = message.split("\r\n\r\n").next().unwrap_or_default();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in block.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
    }
    headers
}

/// Decodes RFC 2047 `=?UTF-8?B?...?=` words in a header value (whitespace between words dropped).
pub fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut bytes = Vec::new();
    for word in value.split_whitespace() {
        match word
            .strip_prefix("=?UTF-8?B?")
            .and_then(|w| w.strip_suffix("?="))
        {
            Some(encoded) => bytes.extend(
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .expect("valid base64"),
            ),
            None => {
                out.push_str(&String::from_utf8(std::mem::take(&mut bytes)).expect("utf-8"));
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
            }
        }
    }
    out.push_str(&String::from_utf8(bytes).expect("utf-8"));
    out
}

/// `json!` object literal as a map.
pub fn args(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("arguments are an object")
}

/// A plain HTTP client (the workspace's rustls has no built-in provider; ring is installed).
pub fn client() -> reqwest::Client {
    client_builder()
        .build()
        .expect("a plain HTTP client builds")
}

/// A builder for a plain HTTP client, with the crypto provider installed.
pub fn client_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// Panics unless `value` is valid against `schema`, naming the tool and every violation.
pub fn assert_matches_schema(tool: &str, schema: &Value, value: &Value) {
    let validator = jsonschema::validator_for(schema).expect("the output schema compiles");
    let problems: Vec<String> = validator
        .iter_errors(value)
        .map(|e| e.to_string())
        .collect();
    assert!(
        problems.is_empty(),
        "{tool}: structured content breaks its outputSchema: {problems:?}"
    );
}
