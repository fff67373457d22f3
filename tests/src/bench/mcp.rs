//! The MCP traffic the bench sends, shaped like LiteLLM's (see MCP-CLIENTS.md §2.2): JSON-RPC
//! over `POST /mcp`, `Accept: application/json, text/event-stream`, and the protocol version
//! header after `initialize`.

use std::net::SocketAddr;

use bytes::Bytes;
use hyper::http::{HeaderValue, Method};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};

use crate::http::{Answer, BoxError, Conn};

fn accept() -> HeaderValue {
    HeaderValue::from_static("application/json, text/event-stream")
}

fn version() -> HeaderValue {
    HeaderValue::from_static("2025-11-25")
}

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"gws-bench","version":"0"}}}"#;
const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
const TOOLS_LIST: &str = r#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#;

/// A JSON-RPC reply, read only as far as the bench checks it.
#[derive(Deserialize)]
struct Reply {
    result: Option<ReplyResult>,
    error: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct ReplyResult {
    #[serde(rename = "isError", default)]
    is_error: bool,
}

/// The body of a `tools/call` of `name` with `arguments`.
pub fn call_body(name: &str, arguments: Value) -> Bytes {
    let body = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": name, "arguments": arguments}});
    Bytes::from(body.to_string())
}

/// `initialize` on `conn`; returns the answer (its session header, if any, is for later).
pub async fn initialize(conn: &mut Conn) -> Result<Answer, BoxError> {
    let headers = [("accept", accept())];
    let answer = conn
        .send(
            Method::POST,
            "/mcp",
            &headers,
            Bytes::from_static(INITIALIZE.as_bytes()),
        )
        .await?;
    expect_result(&answer, "initialize")?;
    Ok(answer)
}

/// One LiteLLM operation on a fresh connection: `initialize`, `notifications/initialized`,
/// `tools/list`, and a closing `DELETE` when `delete` is set. Returns the `tools/list` body.
pub async fn cycle(address: SocketAddr, delete: bool) -> Result<Bytes, BoxError> {
    let mut conn = Conn::open(address).await?;
    let init = initialize(&mut conn).await?;

    let mut headers = vec![("accept", accept()), ("mcp-protocol-version", version())];
    if let Some(session) = init.session {
        headers.push(("mcp-session-id", session));
    }
    let notified = conn
        .send(
            Method::POST,
            "/mcp",
            &headers,
            Bytes::from_static(INITIALIZED.as_bytes()),
        )
        .await?;
    if notified.status != 202 {
        return Err(format!("notifications/initialized answered {}", notified.status).into());
    }

    let listed = conn
        .send(
            Method::POST,
            "/mcp",
            &headers,
            Bytes::from_static(TOOLS_LIST.as_bytes()),
        )
        .await?;
    expect_result(&listed, "tools/list")?;

    if delete {
        let closed = conn
            .send(Method::DELETE, "/mcp", &headers, Bytes::new())
            .await?;
        // Stateless servers may refuse DELETE with 405; a client takes that as closed.
        if !matches!(closed.status, 200 | 202 | 204 | 405) {
            return Err(format!("DELETE answered {}", closed.status).into());
        }
    }

    Ok(listed.body)
}

/// One `tools/call` on an open connection, as a client that already initialized sends it;
/// an `isError` result counts as a failure.
pub async fn call(conn: &mut Conn, body: &Bytes) -> Result<(), BoxError> {
    let headers = [("accept", accept()), ("mcp-protocol-version", version())];
    let answer = conn
        .send(Method::POST, "/mcp", &headers, body.clone())
        .await?;

    let result = expect_result(&answer, "tools/call")?;
    if result.is_error {
        let text = String::from_utf8_lossy(&answer.body);
        return Err(format!("the tool failed: {}", truncate(&text)).into());
    }
    Ok(())
}

fn expect_result(answer: &Answer, what: &str) -> Result<ReplyResult, BoxError> {
    if answer.status != 200 {
        return Err(format!("{what} answered HTTP {}", answer.status).into());
    }
    let reply: Reply = serde_json::from_slice(&answer.body)?;
    match (reply.result, reply.error) {
        (Some(result), None) => Ok(result),
        _ => {
            let text = String::from_utf8_lossy(&answer.body);
            Err(format!("{what} answered a JSON-RPC error: {}", truncate(&text)).into())
        }
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(300).collect()
}
