//! What the Gmail tool tests share: an rmcp client against the engine, and a small reader of
//! the MIME messages the engine sends, written apart from the engine's own so that reading
//! back what was sent checks something.

#![allow(dead_code)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gws_sandbox::{RecordedRequest, Sandbox};
use rmcp::{
    ServiceExt,
    model::{CallToolRequestParams, CallToolResult},
    service::{RoleClient, RunningService},
    transport::StreamableHttpClientTransport,
};
use serde_json::Value;

use super::support::{self, Engine, args};

/// An MCP client session.
pub type Client = RunningService<RoleClient, ()>;

/// A sandbox, an engine serving against it, and a client connected to the engine.
pub struct Setup {
    /// The sandbox, to read what reached Gmail.
    pub sandbox: Sandbox,
    /// The engine process.
    pub engine: Engine,
    /// The client.
    pub client: Client,
}

/// Starts everything with the default configuration.
pub async fn setup() -> Setup {
    setup_with(&[]).await
}

/// Starts everything with extra engine environment variables.
pub async fn setup_with(env: &[(&str, &str)]) -> Setup {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = Sandbox::start(0).await.expect("the sandbox starts");
    let engine = Engine::start(&sandbox.url(), env);
    let client = connect(&engine).await;
    Setup {
        sandbox,
        engine,
        client,
    }
}

/// Connects an rmcp client over streamable HTTP.
pub async fn connect(engine: &Engine) -> Client {
    let transport = StreamableHttpClientTransport::from_uri(engine.mcp());
    ().serve(transport).await.expect("the client connects")
}

impl Setup {
    /// Calls a tool; the result, error or not.
    pub async fn call(&self, name: &str, arguments: Value) -> CallToolResult {
        let params = CallToolRequestParams::new(name.to_owned()).with_arguments(args(arguments));
        self.client
            .call_tool(params)
            .await
            .expect("the call is answered")
    }

    /// Calls a tool that must succeed; its structured content (checked against the tool's
    /// outputSchema) and text.
    pub async fn ok(&self, name: &str, arguments: Value) -> (Value, String) {
        let result = self.call(name, arguments).await;
        assert_eq!(result.is_error, Some(false), "{name}: {}", text(&result));
        let tools = self
            .client
            .list_all_tools()
            .await
            .expect("tools/list answers");
        let tool = tools
            .iter()
            .find(|t| t.name == name)
            .expect("the tool is listed");
        let schema = tool.output_schema.as_ref().expect("an output schema");
        support::assert_matches_schema(
            name,
            &Value::Object((**schema).clone()),
            structured(&result),
        );
        (structured(&result).clone(), text(&result))
    }

    /// Calls a tool that must fail; the error text.
    pub async fn fails(&self, name: &str, arguments: Value) -> String {
        let result = self.call(name, arguments).await;
        assert_eq!(
            result.is_error,
            Some(true),
            "{name} succeeded: {}",
            text(&result)
        );
        text(&result)
    }

    /// The requests that reached Gmail with this method and a path ending in `suffix`.
    pub fn requests(&self, method: &str, suffix: &str) -> Vec<RecordedRequest> {
        support::requests_to(&self.sandbox, suffix)
            .into_iter()
            .filter(|r| r.method == method)
            .collect()
    }

    /// The one message sent (`messages.send`), decoded and parsed.
    pub fn sent(&self) -> (RecordedRequest, Entity) {
        let sends = self.requests("POST", "/messages/send");
        assert_eq!(sends.len(), 1, "expected one send");
        let raw = support::sent_message(&sends[0]);
        (sends[0].clone(), Entity::parse(raw.as_bytes()))
    }
}

/// The text content of a result.
pub fn text(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|c| c.as_text())
        .map(|t| t.text.clone())
        .collect()
}

/// The structured content of a result.
pub fn structured(result: &CallToolResult) -> &Value {
    result
        .structured_content
        .as_ref()
        .expect("structured content")
}

/// A MIME entity: its header fields (unfolded, raw), and its decoded body or its parts.
#[derive(Debug, Clone)]
pub struct Entity {
    /// `(name, value)` in order, continuation lines joined.
    pub headers: Vec<(String, String)>,
    /// The transfer-decoded body of a leaf.
    pub body: Vec<u8>,
    /// The parts of a multipart.
    pub parts: Vec<Entity>,
}

impl Entity {
    /// Parses a message or part (CRLF line ends).
    pub fn parse(raw: &[u8]) -> Entity {
        let text = String::from_utf8(raw.to_vec()).expect("MIME text is ASCII here");
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.split("\r\n").filter(|l| !l.is_empty()) {
            if line.starts_with([' ', '\t']) {
                headers.last_mut().expect("a field before").1.push_str(line);
            } else {
                let (name, value) = line.split_once(':').expect("name: value");
                headers.push((name.to_owned(), value.trim_start().to_owned()));
            }
        }
        let mut entity = Entity {
            headers,
            body: Vec::new(),
            parts: Vec::new(),
        };
        let kind = entity.mime_type();
        if kind.starts_with("multipart/") {
            let boundary = entity
                .param("Content-Type", "boundary")
                .expect("a boundary");
            entity.parts = split(body, &boundary)
                .into_iter()
                .map(|part| Entity::parse(part.as_bytes()))
                .collect();
        } else {
            entity.body = match entity.header("Content-Transfer-Encoding").as_deref() {
                Some("base64") => STANDARD
                    .decode(body.replace("\r\n", ""))
                    .expect("valid base64 body"),
                Some("quoted-printable") => qp(body),
                _ => body.as_bytes().to_vec(),
            };
        }
        entity
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    /// Every value of a header.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The lowercased MIME type (`text/plain` when there is no Content-Type).
    pub fn mime_type(&self) -> String {
        self.header("Content-Type")
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_else(|| "text/plain".into())
    }

    /// A parameter of a header, RFC 2231 sections and encodings joined and decoded.
    pub fn param(&self, header: &str, name: &str) -> Option<String> {
        let value = self.header(header)?;
        let mut plain = None;
        let mut sections: Vec<(usize, bool, String)> = Vec::new();
        for piece in value.split(';').skip(1) {
            let (key, raw) = piece.trim().split_once('=')?;
            let key = key.trim().to_ascii_lowercase();
            let raw = raw
                .trim()
                .trim_matches('"')
                .replace("\\\"", "\"")
                .replace("\\\\", "\\");
            if key == name {
                plain = Some(raw);
            } else if key == format!("{name}*") {
                sections.push((0, true, raw));
            } else if let Some(rest) = key.strip_prefix(&format!("{name}*")) {
                let encoded = rest.ends_with('*');
                let number = rest.trim_end_matches('*').parse().ok()?;
                sections.push((number, encoded, raw));
            }
        }
        if sections.is_empty() {
            return plain;
        }
        sections.sort_by_key(|s| s.0);
        let mut bytes = Vec::new();
        for (i, (_, encoded, raw)) in sections.iter().enumerate() {
            let raw = if i == 0 && *encoded {
                let (charset, rest) = raw.split_once("''").expect("charset''value");
                assert_eq!(charset, "UTF-8");
                rest.to_owned()
            } else {
                raw.clone()
            };
            if *encoded {
                bytes.extend(percent_decode(&raw));
            } else {
                bytes.extend(raw.as_bytes());
            }
        }
        Some(String::from_utf8(bytes).expect("UTF-8 parameter"))
    }

    /// The body as UTF-8 text.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    /// The structure as `type[children, ...]`, for comparing shapes.
    pub fn shape(&self) -> String {
        if self.parts.is_empty() {
            return self.mime_type();
        }
        let children: Vec<String> = self.parts.iter().map(Entity::shape).collect();
        format!("{}[{}]", self.mime_type(), children.join(", "))
    }

    /// Every leaf, depth first.
    pub fn leaves(&self) -> Vec<&Entity> {
        if self.parts.is_empty() {
            return vec![self];
        }
        self.parts.iter().flat_map(Entity::leaves).collect()
    }

    /// The first leaf of a type.
    pub fn leaf(&self, mime: &str) -> &Entity {
        self.leaves()
            .into_iter()
            .find(|e| e.mime_type() == mime)
            .unwrap_or_else(|| panic!("no {mime} part in {}", self.shape()))
    }
}

/// The parts of a multipart body between its delimiter lines.
fn split(body: &str, boundary: &str) -> Vec<String> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in body.split("\r\n") {
        if line == delimiter || line == format!("{delimiter}--") {
            if let Some(lines) = current.take() {
                parts.push(lines.join("\r\n"));
            }
            if line.ends_with("--") && line != delimiter {
                break;
            }
            current = Some(Vec::new());
        } else if let Some(lines) = current.as_mut() {
            lines.push(line);
        }
    }
    parts
}

/// Quoted-printable decoding.
fn qp(text: &str) -> Vec<u8> {
    let bytes = text.replace("=\r\n", "").into_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII");
            out.push(u8::from_str_radix(hex, 16).expect("an =XX escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII");
            out.push(u8::from_str_radix(hex, 16).expect("a %XX escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}
