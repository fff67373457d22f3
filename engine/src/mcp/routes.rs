//! The HTTP surface: `/mcp` (and `/mcp/`), `/health`, and the REST debug routes.

use std::sync::Arc;

use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use rmcp::transport::streamable_http_server::{
    StreamableHttpServerConfig, StreamableHttpService, session::never::NeverSessionManager,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio_util::sync::CancellationToken;

use axum::extract::DefaultBodyLimit;
use tower::ServiceBuilder;

use super::{
    AllowedHosts, Handler,
    api_key::{ApiKey, require_key},
    hosts::check_host,
    protocol::{BodyLimit, check_message},
    sign_in,
};

/// What the HTTP surface needs beyond the handler.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Host names the server answers to.
    pub hosts: AllowedHosts,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// A key `/mcp` requests must carry, if any.
    pub api_key: Option<String>,
    /// Whether `Authorization` carries the caller's Google token (not the API key).
    pub passthrough: bool,
    /// The path of the OAuth redirect URI (`/oauth2callback` unless configured otherwise).
    pub callback_path: String,
    /// Cancelled to shut the server down.
    pub shutdown: CancellationToken,
}

/// The whole router.
pub fn router(handler: Handler, settings: &Settings) -> Router {
    let mut config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_max_request_body_bytes(settings.max_body_bytes)
        .with_cancellation_token(settings.shutdown.clone());
    config = if settings.hosts.any() {
        config.disable_allowed_hosts()
    } else {
        config.with_allowed_hosts(settings.hosts.names().iter().cloned())
    };
    let origins = settings.hosts.names().iter().flat_map(|host| {
        let host = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host.clone()
        };
        [format!("http://{host}:*"), format!("https://{host}:*")]
    });
    config = config.with_allowed_origins(origins.collect::<Vec<_>>());

    let mcp_handler = handler.clone();
    let service = StreamableHttpService::new(
        move || Ok(mcp_handler.clone()),
        Arc::new(NeverSessionManager::default()),
        config,
    );

    let limit = BodyLimit(settings.max_body_bytes);
    let checked = ServiceBuilder::new()
        .layer(middleware::from_fn_with_state(limit, check_message))
        .service(service);
    let mut protected = Router::new()
        .route("/mcp/tools/list", get(rest_list))
        .route("/mcp/tools/call", post(rest_call))
        .layer(DefaultBodyLimit::max(settings.max_body_bytes))
        .route_service("/mcp", checked.clone())
        .route_service("/mcp/", checked);
    if let Some(key) = &settings.api_key {
        let key = ApiKey {
            key: key.clone(),
            passthrough: settings.passthrough,
        };
        protected = protected.layer(middleware::from_fn_with_state(key, require_key));
    }

    Router::new()
        .route("/health", get(health))
        .route("/", get(health))
        .route(&settings.callback_path, get(sign_in::callback))
        .merge(protected)
        .with_state(handler)
        .layer(middleware::from_fn_with_state(
            settings.hosts.clone(),
            check_host,
        ))
}

async fn health(State(handler): State<Handler>) -> Json<Value> {
    let catalogue = handler.engine().catalogue();
    Json(json!({
        "status": "healthy",
        "service": "gws-engine",
        "version": env!("CARGO_PKG_VERSION"),
        "transport": "streamable-http",
        "tools": catalogue.tools().len(),
    }))
}

async fn rest_list(State(handler): State<Handler>) -> Json<Value> {
    Json(json!({ "tools": handler.tools().as_ref() }))
}

/// The body of `POST /mcp/tools/call`.
#[derive(Deserialize)]
struct RestCall {
    name: String,
    #[serde(default)]
    arguments: Map<String, Value>,
}

async fn rest_call(
    headers: axum::http::HeaderMap,
    State(handler): State<Handler>,
    body: Result<Json<RestCall>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(call)) = body else {
        let message = "expected a JSON body {\"name\": \"<tool>\", \"arguments\": {...}}";
        return (StatusCode::BAD_REQUEST, Json(json!({"error": message}))).into_response();
    };
    let caller = handler.callers().caller(&headers);
    match handler.call(&call.name, call.arguments, caller).await {
        Some(result) => Json(result).into_response(),
        None => {
            let message = format!(
                "unknown tool `{}`; GET /mcp/tools/list lists them",
                call.name
            );
            (StatusCode::NOT_FOUND, Json(json!({"error": message}))).into_response()
        }
    }
}
