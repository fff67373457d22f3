//! The catalogue: every tool, compiled from the YAML files under `catalogue/`.
//!
//! Loading has two stages. [`raw`] mirrors the YAML exactly; [`compile`] resolves each tool
//! into runnable form (templates in the environment, JSONPaths parsed, argument validators
//! built, Discovery method ids resolved) and collects every problem with its place. `serve`
//! only ever sees a catalogue that compiled without problems.

mod args;
mod checks;
mod compile;
mod coverage;
mod load;
mod problem;
mod raw;
mod watch;

pub use args::{ACCOUNT_ARGUMENT, Args};
pub use coverage::{ApiCoverage, coverage};
pub use load::{MAX_TOOLS_PER_TIER, Options, SignInFn, SignInHook, load};
pub use problem::{Place, Problem, Problems, Severity};
pub use watch::Fingerprint;

use std::{collections::HashMap, fmt, str::FromStr, sync::Arc};

use minijinja::Environment;
use serde_json::{Map, Value};

use crate::{render::ValueTemplate, shape::Field, shape::JsonPath};

/// How far a tool is from the everyday set; tiers are cumulative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// What most agents need.
    Core,
    /// Core plus the less common tools.
    Extended,
    /// Everything.
    Complete,
}

impl FromStr for Tier {
    type Err = String;

    fn from_str(text: &str) -> Result<Tier, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "core" => Ok(Tier::Core),
            "extended" => Ok(Tier::Extended),
            "complete" => Ok(Tier::Complete),
            other => Err(format!(
                "unknown tier `{other}`; use core, extended or complete"
            )),
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Tier::Core => "core",
            Tier::Extended => "extended",
            Tier::Complete => "complete",
        })
    }
}

/// MCP behaviour hints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Annotations {
    /// `readOnlyHint`.
    pub read_only: bool,
    /// `destructiveHint`; stated for every write.
    pub destructive: Option<bool>,
    /// `idempotentHint`.
    pub idempotent: Option<bool>,
    /// `openWorldHint`.
    pub open_world: bool,
}

/// A runnable tool.
#[derive(Debug)]
pub struct Tool {
    /// The name the model calls it by.
    pub name: String,
    /// The service it belongs to (`gmail`).
    pub service: String,
    /// Its tier.
    pub tier: Tier,
    /// A short human-readable title.
    pub title: String,
    /// What the model reads to choose and call it.
    pub description: String,
    /// Behaviour hints.
    pub annotations: Annotations,
    /// The OAuth scopes it needs, as full URLs.
    pub scopes: Vec<String>,
    /// Older names that call it.
    pub aliases: Vec<String>,
    /// Arguments implied by some of those names (`delete_event` → `action: delete`).
    pub presets: HashMap<String, Map<String, Value>>,
    /// Its arguments.
    pub args: Args,
    /// Expressions over the arguments that must not fail before anything is sent.
    pub checks: Vec<ValueTemplate>,
    /// Its Google requests, in order.
    pub steps: Vec<Step>,
    /// How the replies become its result.
    pub output: Output,
    /// Where it is written.
    pub place: Place,
}

/// One Google request of a tool.
#[derive(Debug)]
pub struct Step {
    /// The name its reply goes by.
    pub id: String,
    /// Where the request goes.
    pub endpoint: Endpoint,
    /// Skip the step unless this is true.
    pub when: Option<ValueTemplate>,
    /// Run once per match, with the match bound to `item`.
    pub for_each: Option<JsonPath>,
    /// How many fan-out requests may be in flight at once.
    pub concurrency: usize,
    /// A failed fan-out item becomes an `{"error": ...}` entry instead of failing the call.
    pub tolerate_item_errors: bool,
    /// Path parameters.
    pub path: Vec<(String, ValueTemplate)>,
    /// Query parameters.
    pub query: Vec<(String, ValueTemplate)>,
    /// Extra headers.
    pub headers: Vec<(String, ValueTemplate)>,
    /// The JSON body.
    pub body: Option<ValueTemplate>,
    /// Whether a later step's templates read this step's reply.
    pub reply_read_later: bool,
}

impl Step {
    /// Every variable this step's templates read.
    pub fn variables(&self, env: &Environment<'static>) -> std::collections::HashSet<String> {
        let mut names = std::collections::HashSet::new();
        let parts = self
            .path
            .iter()
            .chain(&self.query)
            .chain(&self.headers)
            .map(|(_, t)| t);
        for template in parts.chain(self.when.as_ref()).chain(self.body.as_ref()) {
            names.extend(template.variables(env));
        }
        names
    }
}

/// Where a step's request goes.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The Discovery method id, when the step names one.
    pub method_id: Option<String>,
    /// The HTTP verb.
    pub http: String,
    /// Google's root URL for the API (replaced by `GWS_API_ROOT` when set).
    pub root: String,
    /// The path under the root, with `{param}` (one segment) and `{+param}` (may hold `/`).
    pub path: String,
    /// Values for path parameters the step leaves unset (Discovery defaults: `userId: me`).
    pub path_defaults: Vec<(String, String)>,
}

/// How a tool's replies become its result.
#[derive(Debug)]
pub struct Output {
    /// The structured content's fields.
    pub fields: Vec<(String, Field)>,
    /// The name of the text template, if any; otherwise the text is the structured JSON.
    pub text: Option<String>,
    /// The JSON Schema of the structured content.
    pub schema: Option<Arc<Map<String, Value>>>,
}

/// Every tool, ready to serve.
pub struct Catalogue {
    env: Environment<'static>,
    text_env: Environment<'static>,
    tools: Vec<Arc<Tool>>,
    index: HashMap<String, usize>,
    warnings: Vec<Problem>,
}

impl fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue")
            .field("tools", &self.tools.len())
            .finish()
    }
}

impl Catalogue {
    /// The environment the request templates live in.
    pub fn env(&self) -> &Environment<'static> {
        &self.env
    }

    /// The environment the output templates live in.
    pub fn text_env(&self) -> &Environment<'static> {
        &self.text_env
    }

    /// What is worth fixing but did not stop the load.
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// Every tool, in catalogue order.
    pub fn tools(&self) -> &[Arc<Tool>] {
        &self.tools
    }

    /// The tool called `name`, by its name or one of its aliases.
    pub fn tool(&self, name: &str) -> Option<&Arc<Tool>> {
        self.index.get(name).map(|&i| &self.tools[i])
    }

    /// The OAuth scopes the tools need, sorted and without repeats.
    pub fn scopes(&self) -> Vec<String> {
        let mut scopes: Vec<String> = self
            .tools
            .iter()
            .flat_map(|tool| tool.scopes.iter().cloned())
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }

    /// Keeps only the tools `keep` accepts.
    pub fn retain(&mut self, keep: impl Fn(&Tool) -> bool) {
        self.tools.retain(|tool| keep(tool));
        self.index = index(&self.tools);
    }
}

fn index(tools: &[Arc<Tool>]) -> HashMap<String, usize> {
    let mut index = HashMap::new();
    for (i, tool) in tools.iter().enumerate() {
        for alias in &tool.aliases {
            index.insert(alias.clone(), i);
        }
    }
    for (i, tool) in tools.iter().enumerate() {
        index.insert(tool.name.clone(), i);
    }
    index
}
