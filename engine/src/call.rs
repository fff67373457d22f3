//! Running a tool: arguments checked, steps rendered and sent in order, replies shaped.

use std::{
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use futures_util::{StreamExt, stream};
use minijinja::{Environment, ErrorKind};
use serde_json::{Map, Value, json};
use tracing::Instrument;

use crate::{
    catalogue::{Catalogue, Step, Tool},
    google::{CallError, Credentials, Google, Request, expand_path},
    render::{Context, ValueTemplate},
    shape,
};

/// A successful call's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Success {
    /// The structured content.
    pub structured: Map<String, Value>,
    /// What the model reads.
    pub text: String,
}

/// The engine: the catalogue being served, the Google client, and the credentials.
pub struct Engine {
    catalogue: RwLock<Arc<Catalogue>>,
    google: Google,
    credentials: Credentials,
    deadline: Duration,
    calls: AtomicU64,
}

impl Engine {
    /// An engine serving `catalogue`; each call must finish within `deadline`.
    pub fn new(
        catalogue: Catalogue,
        google: Google,
        credentials: Credentials,
        deadline: Duration,
    ) -> Engine {
        Engine {
            catalogue: RwLock::new(Arc::new(catalogue)),
            google,
            credentials,
            deadline,
            calls: AtomicU64::new(0),
        }
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
    }

    /// Calls the tool `name` (or an alias of it); `None` when no tool has that name.
    pub async fn call(
        &self,
        name: &str,
        args: Map<String, Value>,
    ) -> Option<Result<Success, CallError>> {
        let catalogue = self.catalogue();
        let tool = catalogue.tool(name)?.clone();
        let id = self.calls.fetch_add(1, Ordering::Relaxed);
        let span = tracing::info_span!("call", tool = %tool.name, id);

        let run = self.run(&catalogue, &tool, args);
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
            Err(error) => tracing::info!(error = %error, "call failed"),
        });
        Some(outcome)
    }

    async fn run(
        &self,
        catalogue: &Catalogue,
        tool: &Tool,
        given: Map<String, Value>,
    ) -> Result<Success, CallError> {
        let env = catalogue.env();
        let args = tool.args.prepare(given).map_err(CallError::Arguments)?;

        let mut context = Context::default();
        let mut doc = Map::new();
        for name in tool.args.names() {
            let value = args.get(name).cloned().unwrap_or(Value::Null);
            context.set(name, &value);
            doc.insert(name.clone(), value);
        }

        for check in &tool.checks {
            check
                .render(env, &context)
                .map_err(|e| CallError::Arguments(template_message(&e)))?;
        }

        let mut token = None;
        for step in &tool.steps {
            let reply = self.run_step(env, step, &context, &doc, &mut token).await?;
            context.set(&step.id, &reply);
            doc.insert(step.id.clone(), reply);
        }

        let text_env = catalogue.text_env();
        let structured = shape::select_all(text_env, &tool.output.fields, &Value::Object(doc))
            .map_err(|e| CallError::Shape(template_message(&e)))?;
        let text = match &tool.output.text {
            Some(name) => {
                let mut text_context = Context::default();
                for (name, value) in args.iter().chain(structured.iter()) {
                    text_context.set(name, value);
                }
                let text = ValueTemplate::Text(name.clone())
                    .render(text_env, &text_context)
                    .map_err(|e| CallError::Shape(template_message(&e)))?;
                text.and_then(|t| t.as_str().map(str::to_owned))
                    .unwrap_or_default()
            }
            None => Value::Object(structured.clone()).to_string(),
        };
        Ok(Success {
            structured,
            text: tidy(&text),
        })
    }

    async fn run_step(
        &self,
        env: &Environment<'static>,
        step: &Step,
        context: &Context,
        doc: &Map<String, Value>,
        token: &mut Option<String>,
    ) -> Result<Value, CallError> {
        if let Some(when) = &step.when {
            let value = when
                .render(env, context)
                .map_err(|e| render_error(step, &e))?;
            if !value.as_ref().is_some_and(truthy) {
                return Ok(Value::Null);
            }
        }

        // Every request of the step is built before any is sent, so a value a filter refuses
        // stops the step with nothing sent.
        let (requests, items) = match &step.for_each {
            None => (vec![self.build(env, step, context)?], Vec::new()),
            Some(path) => {
                let doc = Value::Object(doc.clone());
                let items: Vec<Value> = path.all(&doc).into_iter().cloned().collect();
                let mut requests = Vec::with_capacity(items.len());
                for item in &items {
                    requests.push(self.build(env, step, &context.with("item", item))?);
                }
                (requests, items)
            }
        };

        if token.is_none() && !requests.is_empty() {
            *token = Some(
                self.credentials
                    .token()
                    .map_err(|e| CallError::Credentials(e.to_string()))?,
            );
        }
        let token = token.as_deref().unwrap_or_default();

        if step.for_each.is_none() {
            return self.google.send(&requests[0], token).await;
        }
        // Owned futures: a stream of futures borrowing `requests` trips a compiler limit on
        // higher-ranked lifetimes when the call is awaited inside a Send future.
        let sends = requests.into_iter().map(|request| {
            let google = self.google.clone();
            let token = token.to_owned();
            async move { google.send(&request, &token).await }
        });
        let replies: Vec<Result<Value, CallError>> = stream::iter(sends)
            .buffered(step.concurrency)
            .collect()
            .await;
        collect_items(step, items, replies)
    }

    /// Renders one request of `step`.
    pub fn build(
        &self,
        env: &Environment<'static>,
        step: &Step,
        context: &Context,
    ) -> Result<Request, CallError> {
        let render = |template: &ValueTemplate| {
            template
                .render(env, context)
                .map_err(|e| render_error(step, &e))
        };
        let refuse = |message: String| CallError::Render {
            step: step.id.clone(),
            message,
        };

        let mut path_values = Map::new();
        for (name, template) in &step.path {
            if let Some(value) = render(template)? {
                path_values.insert(name.clone(), value);
            }
        }
        let path = expand_path(
            &step.endpoint.path,
            &path_values,
            &step.endpoint.path_defaults,
        )
        .map_err(refuse)?;
        let root = self.google.root(&step.endpoint.root);
        let mut url = reqwest::Url::parse(&format!("{root}{path}"))
            .map_err(|e| refuse(format!("the request URL is invalid: {e}")))?;

        let mut query = Vec::new();
        for (name, template) in &step.query {
            match render(template)? {
                None => {}
                Some(Value::Array(items)) => {
                    for item in items {
                        query.push((name.as_str(), query_text(name, &item).map_err(refuse)?));
                    }
                }
                Some(value) => {
                    query.push((name.as_str(), query_text(name, &value).map_err(refuse)?))
                }
            }
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }

        let mut headers = Vec::new();
        for (name, template) in &step.headers {
            if let Some(value) = render(template)? {
                let text = query_text(name, &value).map_err(refuse)?;
                if text.contains(['\r', '\n']) {
                    return Err(refuse(format!("header `{name}` contains a line break")));
                }
                headers.push((name.clone(), text));
            }
        }

        let body = match &step.body {
            Some(template) => render(template)?,
            None => None,
        };
        let label = step
            .endpoint
            .method_id
            .clone()
            .unwrap_or_else(|| step.endpoint.path.clone());
        Ok(Request {
            method: step.endpoint.http.clone(),
            url: url.into(),
            headers,
            body,
            label,
        })
    }
}

/// Fan-out replies in input order; a failed item becomes `{"error": ..., "item": ...}` when
/// the step tolerates it, so the caller can say which one failed.
fn collect_items(
    step: &Step,
    inputs: Vec<Value>,
    replies: Vec<Result<Value, CallError>>,
) -> Result<Value, CallError> {
    let total = replies.len();
    let mut items = Vec::with_capacity(total);
    let mut failures = 0;
    for (reply, input) in replies.into_iter().zip(inputs) {
        match reply {
            Ok(value) => items.push(value),
            Err(error) if step.tolerate_item_errors => {
                failures += 1;
                items.push(json!({"error": error.to_string(), "item": input}));
            }
            Err(error) => return Err(error),
        }
    }
    if total > 0 && failures == total {
        let first = items[0]["error"].as_str().unwrap_or_default().to_owned();
        return Err(CallError::Shape(format!(
            "every one of {total} requests failed; the first: {first}"
        )));
    }
    Ok(Value::Array(items))
}

fn query_text(name: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        other => Err(format!(
            "`{name}` must be text, a number or true/false, not {other}"
        )),
    }
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64() != Some(0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(fields) => !fields.is_empty(),
    }
}

fn render_error(step: &Step, error: &minijinja::Error) -> CallError {
    match error.kind() {
        ErrorKind::InvalidOperation | ErrorKind::BadSerialization => CallError::Render {
            step: step.id.clone(),
            message: template_message(error),
        },
        _ => CallError::Shape(format!("step `{}`: {}", step.id, template_message(error))),
    }
}

fn template_message(error: &minijinja::Error) -> String {
    error
        .detail()
        .map(str::to_owned)
        .unwrap_or_else(|| error.to_string())
}

/// Trailing spaces and runs of blank lines removed, as templates tend to leave them.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_owned()
}
