//! The catalogue as written: types that mirror the YAML exactly.
//!
//! Unknown keys are errors, so a misspelt `for_eachh` is reported instead of ignored. Nothing
//! here is interpreted; [`super::compile`] turns these into runnable tools.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

/// One catalogue file: the tools of one Google service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    /// The service these tools belong to (`gmail`, `calendar`, ...), as `TOOLS` names it.
    pub service: String,
    /// The Discovery document that describes the service (`gmail.v1`).
    #[serde(default)]
    pub discovery: Option<String>,
    /// The tools, in the order `tools/list` shows them.
    #[serde(default)]
    pub tools: Vec<Spanned<RawTool>>,
}

/// One tool.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTool {
    /// The name the model calls it by.
    pub name: Spanned<String>,
    /// `core`, `extended` or `complete`.
    pub tier: Spanned<String>,
    /// A short human-readable title.
    pub title: String,
    /// What the model needs to know to choose and call the tool.
    pub description: String,
    /// Behaviour hints for clients.
    #[serde(default)]
    pub annotations: RawAnnotations,
    /// OAuth scopes the tool needs, short (`gmail.readonly`) or full URLs.
    #[serde(default)]
    pub scopes: Vec<Spanned<String>>,
    /// Older names that still call this tool without being listed.
    #[serde(default)]
    pub aliases: Vec<Spanned<RawAlias>>,
    /// Expressions over the arguments run before any request; one that raises an error
    /// (`time_range_check(time_min, time_max)`) fails the call with that error.
    #[serde(default)]
    pub checks: Vec<Spanned<String>>,
    /// The arguments, in the order the schema lists them.
    #[serde(default)]
    pub args: IndexMap<String, Spanned<RawArg>>,
    /// The Google requests, in order.
    pub steps: Vec<Spanned<RawStep>>,
    /// How the replies become the tool's result.
    pub output: RawOutput,
}

/// An older name for a tool: just the name, or the name with arguments it implies
/// (`{name: delete_event, args: {action: delete}}`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawAlias {
    /// The name alone.
    Name(String),
    /// The name, and arguments every call under it gets.
    WithArgs {
        /// The older name.
        name: String,
        /// Arguments set for calls under this name, over the caller's.
        args: Map<String, Value>,
    },
}

/// Behaviour hints; each maps onto the MCP annotation of the same meaning.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnnotations {
    /// The tool changes nothing (`readOnlyHint`).
    #[serde(default)]
    pub read_only: bool,
    /// The tool may delete or overwrite (`destructiveHint`); only meaningful for writes.
    #[serde(default)]
    pub destructive: Option<bool>,
    /// Repeating a call has no further effect (`idempotentHint`).
    #[serde(default)]
    pub idempotent: Option<bool>,
    /// The tool reaches outside the user's own data (`openWorldHint`); true by default.
    #[serde(default)]
    pub open_world: Option<bool>,
}

/// One argument: JSON Schema keywords plus the engine's own `required`, `default`, `aliases`.
#[derive(Debug, Deserialize)]
pub struct RawArg {
    /// The call fails validation without it.
    #[serde(default)]
    pub required: bool,
    /// The value used when the call leaves it out.
    #[serde(default)]
    pub default: Option<Value>,
    /// Other names the argument is accepted under, never listed.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Every other key: the argument's JSON Schema.
    #[serde(flatten)]
    pub schema: Map<String, Value>,
}

/// One Google request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    /// The name its reply goes by in later templates and in output paths.
    pub id: String,
    /// A Discovery method id; the verb and URL come from the Discovery document.
    #[serde(default)]
    pub call: Option<String>,
    /// For requests Discovery does not describe: the HTTP verb.
    #[serde(default)]
    pub method: Option<String>,
    /// For requests Discovery does not describe: the path under the API root, with `{param}`s.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// An expression; the step is skipped (its reply is `none`) unless it is true.
    #[serde(default)]
    pub when: Option<Spanned<String>>,
    /// A JSONPath; the step runs once per match, with the match bound to `item`.
    #[serde(default)]
    pub for_each: Option<Spanned<String>>,
    /// How many `for_each` requests may be in flight at once.
    #[serde(default)]
    pub concurrency: Option<usize>,
    /// A failed `for_each` item is reported in the reply instead of failing the call.
    #[serde(default)]
    pub tolerate_item_errors: bool,
    /// Path parameters.
    #[serde(default)]
    pub path: IndexMap<String, Spanned<Value>>,
    /// Query parameters; a list value repeats the parameter, a `none` value leaves it out.
    #[serde(default)]
    pub query: IndexMap<String, Spanned<Value>>,
    /// Extra request headers.
    #[serde(default)]
    pub headers: IndexMap<String, Spanned<Value>>,
    /// The JSON request body.
    #[serde(default)]
    pub body: Option<Spanned<Value>>,
}

/// How the replies become the tool's result.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutput {
    /// The JSON Schema of the structured content.
    #[serde(default)]
    pub schema: Option<Map<String, Value>>,
    /// Field name -> JSONPath (or a projection object) over the arguments and replies.
    pub shape: IndexMap<String, Spanned<Value>>,
    /// A minijinja template over the shaped fields: the text the model reads.
    #[serde(default)]
    pub text: Option<Spanned<String>>,
}
