//! A first look at each JSON-RPC message posted to `/mcp`, before the MCP layer sees it.
//!
//! Malformed traffic gets the JSON-RPC error the specification names, with a 400: a parse
//! error (-32700) for text that is not JSON, an invalid request (-32600) for batches (removed
//! in MCP 2025-06-18) and for messages without `"jsonrpc": "2.0"` or with an id that is neither
//! text nor an integer, and invalid params (-32602) for a `tools/call` without a tool name or
//! with arguments that are not an object. Everything else passes through unchanged.

use axum::{
    Json,
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

/// The largest message read here, in bytes (the MCP layer's own limit).
#[derive(Clone, Copy, Debug)]
pub struct BodyLimit(pub usize);

/// Middleware: checks a posted message's shape, then hands it on.
pub async fn check_message(
    State(limit): State<BodyLimit>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, limit.0).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            "Payload Too Large: the message is larger than the server accepts",
        )
            .into_response();
    };
    if let Err((status, code, message, id)) = shape_problem(&bytes) {
        tracing::debug!(target: "gws_engine::rejected", code, "malformed JSON-RPC message");
        let error =
            json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
        return (status, Json(error)).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

type Problem = (StatusCode, i64, String, Value);

fn shape_problem(bytes: &[u8]) -> Result<(), Problem> {
    let invalid =
        |message: &str, id: Value| (StatusCode::BAD_REQUEST, -32600, message.to_owned(), id);
    let message: Value = serde_json::from_slice(bytes).map_err(|error| {
        (
            StatusCode::BAD_REQUEST,
            -32700,
            format!("parse error: {error}"),
            Value::Null,
        )
    })?;
    let Value::Object(fields) = &message else {
        let text = if message.is_array() {
            "batches are not accepted: send one JSON-RPC message per request"
        } else {
            "a JSON-RPC message is an object"
        };
        return Err(invalid(text, Value::Null));
    };

    let id = fields.get("id").cloned().unwrap_or(Value::Null);
    if fields.get("jsonrpc") != Some(&json!("2.0")) {
        return Err(invalid("`jsonrpc` must be \"2.0\"", id));
    }
    let id_ok = match fields.get("id") {
        None => true,
        Some(Value::String(_)) => true,
        Some(Value::Number(number)) => number.is_i64() || number.is_u64(),
        Some(_) => false,
    };
    if !id_ok {
        return Err(invalid("`id` must be a string or an integer", Value::Null));
    }

    if fields.get("method").and_then(Value::as_str) == Some("tools/call")
        && fields.contains_key("id")
    {
        let params = fields.get("params");
        let named = params
            .and_then(|p| p.get("name"))
            .is_some_and(Value::is_string);
        let arguments = params.and_then(|p| p.get("arguments"));
        let arguments_ok = arguments.is_none_or(|a| a.is_object() || a.is_null());
        if !named || !arguments_ok {
            let text = "invalid params: tools/call needs `params.name` (a string) and, if given, \
                        `params.arguments` (an object)";
            return Err((StatusCode::OK, -32602, text.to_owned(), id));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Option<i64> {
        shape_problem(text.as_bytes())
            .err()
            .map(|(_, code, _, _)| code)
    }

    #[test]
    fn malformed_messages_get_the_json_rpc_error_that_names_the_fault() {
        assert_eq!(code("{"), Some(-32700));
        assert_eq!(code("\u{feff}{}"), Some(-32700));
        assert_eq!(code("[]"), Some(-32600));
        assert_eq!(
            code(r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#),
            Some(-32600)
        );
        assert_eq!(code("null"), Some(-32600));
        assert_eq!(
            code(r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#),
            Some(-32600)
        );
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":{},"method":"ping"}"#),
            Some(-32600)
        );
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}"#),
            Some(-32602)
        );
        assert_eq!(
            code(
                r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":"{}"}}"#
            ),
            Some(-32602)
        );
    }

    #[test]
    fn well_formed_messages_pass() {
        assert_eq!(code(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#), None);
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#),
            None
        );
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"x"}}"#),
            None
        );
    }
}
