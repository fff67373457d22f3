//! The MCP server handler: `tools/list` from the catalogue, `tools/call` through the engine.

use std::{
    borrow::Cow,
    sync::{Arc, Mutex},
};

use rmcp::{
    ErrorData, RoleServer, ServerHandler,
    model::{
        CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
        ListToolsResult, PaginatedRequestParams, ProtocolVersion, ServerCapabilities, ServerConfig,
        Tool, ToolAnnotations,
    },
    service::RequestContext,
};
use serde_json::Value;

use crate::{
    auth::Caller,
    call::{Engine, Success},
    catalogue::Catalogue,
};

/// The protocol revisions served: the handshake-era ones. 2026-07-28 comes later.
const VERSIONS: &[ProtocolVersion] = &[
    ProtocolVersion::V_2025_11_25,
    ProtocolVersion::V_2025_06_18,
    ProtocolVersion::V_2025_03_26,
    ProtocolVersion::V_2024_11_05,
];

/// Serves the engine's catalogue over MCP. Cheap to clone: one per connection.
#[derive(Clone)]
pub struct Handler {
    engine: Arc<Engine>,
    listing: Arc<Mutex<Listing>>,
    instructions: Option<String>,
    callers: CallerHeaders,
    list_changed: bool,
}

/// Which request headers say who is calling.
#[derive(Clone, Debug, Default)]
pub struct CallerHeaders {
    /// `Authorization: Bearer` carries the caller's Google token (passthrough mode).
    pub passthrough: bool,
    /// A header naming the account to act for, such as `x-user-email` (LiteLLM forwards it
    /// with `extra_headers`).
    pub account: Option<String>,
}

impl CallerHeaders {
    /// The caller described by `headers`.
    pub fn caller(&self, headers: &axum::http::HeaderMap) -> Caller {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let bearer = self
            .passthrough
            .then(|| text("authorization"))
            .flatten()
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        let account = self
            .account
            .as_deref()
            .and_then(text)
            .and_then(|v| crate::auth::account_address(v).ok());
        Caller { account, bearer }
    }
}

/// The `tools/list` answer, built once per catalogue.
#[derive(Default)]
struct Listing {
    catalogue: Option<Arc<Catalogue>>,
    tools: Arc<Vec<Tool>>,
}

impl Handler {
    /// A handler for `engine`, with server `instructions` for clients that show them.
    pub fn new(
        engine: Arc<Engine>,
        instructions: Option<String>,
        callers: CallerHeaders,
    ) -> Handler {
        Handler {
            engine,
            listing: Arc::default(),
            instructions,
            callers,
            list_changed: false,
        }
    }

    /// This handler, announcing that it sends `notifications/tools/list_changed` (on
    /// connections that stay open, such as stdio).
    pub fn with_list_changed(mut self) -> Handler {
        self.list_changed = true;
        self
    }

    /// Which headers say who is calling.
    pub fn callers(&self) -> &CallerHeaders {
        &self.callers
    }

    /// The engine behind this handler.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// The listed tools of the catalogue being served, rebuilt only when it changes.
    pub fn tools(&self) -> Arc<Vec<Tool>> {
        let catalogue = self.engine.catalogue();
        let mut listing = self.listing.lock().unwrap_or_else(|e| e.into_inner());
        let current = listing
            .catalogue
            .as_ref()
            .is_some_and(|c| Arc::ptr_eq(c, &catalogue));
        if !current {
            listing.tools = Arc::new(listed_tools(&catalogue));
            listing.catalogue = Some(catalogue);
        }
        listing.tools.clone()
    }

    /// Calls a tool and turns the outcome into MCP's result; `None` for an unknown tool.
    pub async fn call(
        &self,
        name: &str,
        arguments: serde_json::Map<String, Value>,
        caller: Caller,
    ) -> Option<CallToolResult> {
        let outcome = self.engine.call(name, arguments, caller).await?;
        Some(match outcome {
            Ok(success) => success_result(success),
            Err(error) => CallToolResult::error(vec![ContentBlock::text(error.to_string())]),
        })
    }
}

/// The MCP tool descriptions of every tool in `catalogue`.
pub fn listed_tools(catalogue: &Catalogue) -> Vec<Tool> {
    catalogue
        .tools()
        .iter()
        .map(|tool| {
            let mut listed = Tool::new(
                tool.name.clone(),
                tool.description.clone(),
                tool.args.listed().clone(),
            );
            listed.title = Some(tool.title.clone());
            listed.output_schema = tool.output.schema.clone();
            let hints = tool.annotations;
            // The title is the tool's own `title`; annotations do not repeat it.
            listed.annotations = Some(ToolAnnotations::from_raw(
                None,
                Some(hints.read_only),
                hints.destructive,
                hints.idempotent,
                Some(hints.open_world),
            ));
            listed
        })
        .collect()
}

fn success_result(success: Success) -> CallToolResult {
    let mut result = CallToolResult::success(vec![ContentBlock::text(success.text)]);
    result.structured_content = Some(Value::Object(success.structured));
    result
}

impl ServerHandler for Handler {
    fn get_info(&self) -> ServerConfig {
        let capabilities = if self.list_changed {
            ServerCapabilities::builder()
                .enable_tools()
                .enable_tool_list_changed()
                .build()
        } else {
            ServerCapabilities::builder().enable_tools().build()
        };
        let info = Implementation::new("gws-engine", env!("CARGO_PKG_VERSION"));
        let config = ServerConfig::new(capabilities).with_server_info(info);
        match &self.instructions {
            Some(text) => config.with_instructions(text.clone()),
            None => config,
        }
    }

    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        Cow::Borrowed(VERSIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(
            self.tools().as_ref().clone(),
        ))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.clone();
        let arguments = request.arguments.unwrap_or_default();
        let caller = context
            .extensions
            .get::<axum::http::request::Parts>()
            .map(|parts| self.callers.caller(&parts.headers))
            .unwrap_or_default();
        let outcome = tokio::select! {
            outcome = self.call(&name, arguments, caller) => outcome,
            () = context.ct.cancelled() => {
                tracing::info!(tool = %name, "call cancelled by the client");
                return Err(ErrorData::internal_error("the call was cancelled", None));
            }
        };
        match outcome {
            Some(result) => Ok(result.into()),
            None => Err(ErrorData::invalid_params(
                format!("unknown tool `{name}`; call tools/list for the tools this server offers"),
                None,
            )),
        }
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools().iter().find(|tool| tool.name == name).cloned()
    }
}
