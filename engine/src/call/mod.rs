//! Running a tool: arguments checked, steps rendered and sent in order, replies shaped.
//!
//! [`Engine::call`] is the whole pipeline for one `tools/call`: look the tool up, check and
//! default the arguments, run each step ([`run`]: render its requests with [`build`], get the
//! caller's token, send), then shape the replies into structured content and text.

mod build;
mod limits;
mod run;

pub use limits::Limits;

use std::{
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use serde_json::{Map, Value};
use tracing::Instrument;

use crate::{
    auth::{Auth, Caller},
    catalogue::{ACCOUNT_ARGUMENT, Catalogue, Tool},
    google::{CallError, Google, Request},
};

/// A successful call's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Success {
    /// The structured content.
    pub structured: Map<String, Value>,
    /// What the model reads.
    pub text: String,
}

/// The engine: the catalogue being served, the Google client, and where tokens come from.
pub struct Engine {
    catalogue: RwLock<Arc<Catalogue>>,
    google: Google,
    auth: Arc<Auth>,
    deadline: Duration,
    calls: AtomicU64,
    dry_run: bool,
    limits: Limits,
    gates: limits::AccountGates,
    changes: tokio::sync::watch::Sender<u64>,
}

impl Engine {
    /// An engine serving `catalogue`; each call must finish within `deadline`.
    pub fn new(catalogue: Catalogue, google: Google, auth: Auth, deadline: Duration) -> Engine {
        Engine {
            catalogue: RwLock::new(Arc::new(catalogue)),
            google,
            auth: Arc::new(auth),
            deadline,
            calls: AtomicU64::new(0),
            dry_run: false,
            limits: Limits::default(),
            gates: limits::AccountGates::default(),
            changes: tokio::sync::watch::Sender::new(0),
        }
    }

    /// This engine with other bounds on arguments, concurrency and output.
    pub fn with_limits(mut self, limits: Limits) -> Engine {
        self.limits = limits;
        self
    }

    /// This engine, answering every call with the requests it would send instead of sending.
    pub fn with_dry_run(mut self, dry_run: bool) -> Engine {
        self.dry_run = dry_run;
        self
    }

    /// Where tokens come from.
    pub fn auth(&self) -> &Arc<Auth> {
        &self.auth
    }

    /// The catalogue being served now.
    pub fn catalogue(&self) -> Arc<Catalogue> {
        self.catalogue
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Serves `catalogue` from the next call on; calls under way finish with the old one.
    pub fn replace_catalogue(&self, catalogue: Catalogue) {
        *self.catalogue.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(catalogue);
        self.changes.send_modify(|generation| *generation += 1);
    }

    /// Wakes when the catalogue is replaced, for connections that can push
    /// `notifications/tools/list_changed`.
    pub fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Calls the tool `name` (or an alias of it) for `caller`; `None` when no tool has that
    /// name. The `user_google_email` argument, when given, names the account over `caller`'s.
    pub async fn call(
        &self,
        name: &str,
        args: Map<String, Value>,
        caller: Caller,
    ) -> Option<Result<Success, CallError>> {
        if self.dry_run {
            return self.plan(name, args).map(|planned| {
                let shown: Vec<String> = planned?.iter().map(ToString::to_string).collect();
                Err(CallError::DryRun(shown.join("\n")))
            });
        }
        let catalogue = self.catalogue();
        let tool = catalogue.tool(name)?.clone();
        let args = with_preset(&tool, name, args);
        let id = self.calls.fetch_add(1, Ordering::Relaxed);
        let span = tracing::info_span!("call", tool = %tool.name, id);

        let run = self.run(&catalogue, &tool, args, caller);
        let outcome = match tokio::time::timeout(self.deadline, run)
            .instrument(span.clone())
            .await
        {
            Ok(outcome) => outcome,
            Err(_) => Err(CallError::Timeout {
                method: tool.name.clone(),
                seconds: self.deadline.as_secs(),
                write: !tool.annotations.read_only,
            }),
        };
        span.in_scope(|| match &outcome {
            Ok(_) => tracing::info!("call succeeded"),
            // Debug formatting escapes line breaks: arguments end up in errors, and must not
            // be able to forge log lines.
            Err(error) => tracing::info!(error = ?error.to_string(), "call failed"),
        });
        Some(outcome)
    }

    /// The requests a call would send before it sees any reply, without sending anything.
    ///
    /// Steps that depend on an earlier reply (a fan-out over search results, say) are rendered
    /// as if that reply were empty, so they may show no request: the plan covers what can be
    /// known from the arguments alone. `None` when no tool has that name.
    pub fn plan(
        &self,
        name: &str,
        given: Map<String, Value>,
    ) -> Option<Result<Vec<Request>, CallError>> {
        let catalogue = self.catalogue();
        let tool = catalogue.tool(name)?.clone();
        let given = with_preset(&tool, name, given);
        Some(self.plan_tool(&catalogue, &tool, given))
    }
}

/// The arguments of a call made under `name`: an alias's implied arguments win.
fn with_preset(tool: &Tool, name: &str, mut args: Map<String, Value>) -> Map<String, Value> {
    if let Some(preset) = tool.presets.get(name) {
        for (key, value) in preset {
            args.insert(key.clone(), value.clone());
        }
    }
    args
}

/// The account a call names: its `user_google_email` argument, else the caller's.
fn named_account(args: &Map<String, Value>, caller: Caller) -> Result<Caller, CallError> {
    match args.get(ACCOUNT_ARGUMENT).and_then(Value::as_str) {
        Some(account) => {
            let account = crate::auth::account_address(account).map_err(CallError::Arguments)?;
            Ok(Caller {
                account: Some(account),
                ..caller
            })
        }
        None => Ok(caller),
    }
}
