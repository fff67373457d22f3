//! Rendering one request of a step: path, query, headers and body from the templates.

use minijinja::{Environment, ErrorKind};
use serde_json::{Map, Value};

use super::Engine;
use crate::{
    catalogue::Step,
    google::{CallError, Request, expand_path},
    render::{Context, ValueTemplate},
};

impl Engine {
    /// Renders one request of `step` against `context`; nothing is sent.
    pub fn build(
        &self,
        env: &Environment<'static>,
        step: &Step,
        context: &Context,
    ) -> Result<Request, CallError> {
        // One template value for every part of the request: building it copies the context.
        let context = context.value();
        let render = |template: &ValueTemplate| {
            template
                .render_in(env, &context)
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
        if url.as_str().len() > MAX_URL_CHARS {
            return Err(refuse(format!(
                "the request would be {} characters long, more than Google accepts; shorten the \
                 query or ids",
                url.as_str().len()
            )));
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

/// The longest URL sent: Google's front ends refuse much longer ones.
const MAX_URL_CHARS: usize = 16_000;

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

/// Whether a rendered `when` value counts as true.
pub(super) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64() != Some(0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(fields) => !fields.is_empty(),
    }
}

/// A template failure as a call error: a filter refusing its input is the caller's to fix;
/// anything else is a fault in the tool's definition.
pub(super) fn render_error(step: &Step, error: &minijinja::Error) -> CallError {
    match error.kind() {
        ErrorKind::InvalidOperation | ErrorKind::BadSerialization => CallError::Render {
            step: step.id.clone(),
            message: template_message(error),
        },
        _ => CallError::Shape(format!("step `{}`: {}", step.id, template_message(error))),
    }
}

/// A template error's own words.
pub(super) fn template_message(error: &minijinja::Error) -> String {
    error
        .detail()
        .map(str::to_owned)
        .unwrap_or_else(|| error.to_string())
}

/// Trailing spaces and runs of blank lines removed, as templates tend to leave them.
pub(super) fn tidy(text: &str) -> String {
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
