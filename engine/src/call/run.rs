//! Executing a tool's steps against Google, and planning them without sending.

use std::sync::Arc;

use futures_util::{StreamExt, stream};
use minijinja::Environment;
use serde_json::{Map, Value, json};
use tokio::sync::{Mutex, Semaphore};

use super::{
    Engine, Success,
    build::{render_error, template_message, tidy, truthy},
    named_account,
};
use crate::{
    auth::{Auth, Caller},
    catalogue::{Catalogue, Step, Tool},
    google::{CallError, Google, Request},
    render::{Context, ValueTemplate},
    shape,
};

/// The credential side of one call: who it acts for, and the token once it is fetched.
struct Access {
    auth: Arc<Auth>,
    caller: Caller,
    scopes: Vec<String>,
    token: Mutex<Option<String>>,
    gate: Arc<Semaphore>,
}

impl Access {
    async fn token(&self) -> Result<String, CallError> {
        let mut token = self.token.lock().await;
        if let Some(token) = token.as_ref() {
            return Ok(token.clone());
        }
        let fresh = self
            .auth
            .token(&self.caller, &self.scopes)
            .await
            .map_err(|e| CallError::Credentials(e.to_string()))?;
        *token = Some(fresh.clone());
        Ok(fresh)
    }

    /// Sends `request`; after a 401, renews the token once (when the mode can) and retries.
    async fn send(&self, google: &Google, request: &Request) -> Result<Value, CallError> {
        let _permit = self
            .gate
            .acquire()
            .await
            .map_err(|_| CallError::Shape("the engine is shutting down".into()))?;
        let token = self.token().await?;
        match google.send(request, &token).await {
            Err(CallError::Google(error)) if error.status == 401 => {
                match self.auth.renew(&self.caller, &token).await {
                    Some(Ok(renewed)) => {
                        *self.token.lock().await = Some(renewed.clone());
                        google.send(request, &renewed).await
                    }
                    Some(Err(auth)) => Err(CallError::Credentials(auth.to_string())),
                    None => Err(CallError::Google(error)),
                }
            }
            other => other,
        }
    }
}

impl Engine {
    pub(super) async fn run(
        &self,
        catalogue: &Catalogue,
        tool: &Tool,
        given: Map<String, Value>,
        caller: Caller,
    ) -> Result<Success, CallError> {
        let env = catalogue.env();
        self.limits
            .check_arguments(&given)
            .map_err(CallError::Arguments)?;
        let args = tool.args.prepare(given).map_err(CallError::Arguments)?;
        let caller = named_account(&args, caller)?;
        let account = caller
            .account
            .clone()
            .unwrap_or_else(|| "default".to_owned());
        let access = Arc::new(Access {
            auth: self.auth.clone(),
            caller,
            scopes: tool.scopes.clone(),
            token: Mutex::new(None),
            gate: self
                .gates
                .gate(&account, self.limits.per_account_concurrency),
        });

        let (mut context, mut doc) = bind_arguments(tool, &args);
        run_checks(env, tool, &context)?;
        for step in &tool.steps {
            let reply = self.run_step(env, step, &context, &doc, &access).await?;
            if step.reply_read_later {
                context.set(&step.id, &reply);
            }
            insert(&mut doc, &step.id, reply);
        }

        let text_env = catalogue.text_env();
        let structured =
            shape::select_all(text_env, &tool.output.fields, &doc).map_err(|e| match e.kind() {
                minijinja::ErrorKind::InvalidOperation => CallError::Refused(template_message(&e)),
                _ => CallError::Shape(template_message(&e)),
            })?;
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
            text: self.limits.clip_text(tidy(&text)),
        })
    }

    async fn run_step(
        &self,
        env: &Environment<'static>,
        step: &Step,
        context: &Context,
        doc: &Value,
        access: &Arc<Access>,
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
        let Some(path) = &step.for_each else {
            let request = self.build(env, step, context)?;
            return access.send(&self.google, &request).await;
        };
        let items: Vec<Value> = path.all(doc).into_iter().cloned().collect();
        let mut requests = Vec::with_capacity(items.len());
        for item in &items {
            requests.push(self.build(env, step, &context.with("item", item))?);
        }

        // Owned futures: a stream of futures borrowing `requests` trips a compiler limit on
        // higher-ranked lifetimes when the call is awaited inside a Send future.
        let sends = requests.into_iter().map(|request| {
            let google = self.google.clone();
            let access = access.clone();
            async move { access.send(&google, &request).await }
        });
        let replies: Vec<Result<Value, CallError>> = stream::iter(sends)
            .buffered(step.concurrency)
            .collect()
            .await;
        collect_items(step, items, replies)
    }

    pub(super) fn plan_tool(
        &self,
        catalogue: &Catalogue,
        tool: &Tool,
        given: Map<String, Value>,
    ) -> Result<Vec<Request>, CallError> {
        let env = catalogue.env();
        let args = tool.args.prepare(given).map_err(CallError::Arguments)?;
        let (mut context, mut doc) = bind_arguments(tool, &args);
        run_checks(env, tool, &context)?;

        let mut planned = Vec::new();
        for step in &tool.steps {
            let skipped = match &step.when {
                Some(when) => {
                    let value = when
                        .render(env, &context)
                        .map_err(|e| render_error(step, &e))?;
                    !value.as_ref().is_some_and(truthy)
                }
                None => false,
            };
            if !skipped {
                match &step.for_each {
                    None => planned.push(self.build(env, step, &context)?),
                    Some(path) => {
                        for item in path.all(&doc) {
                            planned.push(self.build(env, step, &context.with("item", item))?);
                        }
                    }
                }
            }
            context.set(&step.id, &Value::Null);
            insert(&mut doc, &step.id, Value::Null);
        }
        Ok(planned)
    }
}

/// The template context and the shaping document (a JSON object), both holding every
/// declared argument (absent ones as `none`). Step replies are added to both as they come;
/// fan-out paths read the document in place.
fn bind_arguments(tool: &Tool, args: &Map<String, Value>) -> (Context, Value) {
    let mut context = Context::default();
    let mut doc = Value::Object(Map::new());
    for name in tool.args.names() {
        let value = args.get(name).cloned().unwrap_or(Value::Null);
        context.set(name, &value);
        insert(&mut doc, name, value);
    }
    (context, doc)
}

fn insert(doc: &mut Value, key: &str, value: Value) {
    if let Value::Object(fields) = doc {
        fields.insert(key.to_owned(), value);
    }
}

fn run_checks(env: &Environment<'static>, tool: &Tool, context: &Context) -> Result<(), CallError> {
    for check in &tool.checks {
        check
            .render(env, context)
            .map_err(|e| CallError::Arguments(template_message(&e)))?;
    }
    Ok(())
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
