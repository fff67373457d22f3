//! Value templates: YAML values whose strings are minijinja templates.
//!
//! A string that is exactly one `{{ expression }}` keeps the expression's type, so
//! `maxResults: "{{ page_size }}"` sends the number 10 and `attendees: "{{ emails }}"` a list.
//! Any other string with `{{` or `{%` renders as text. A value that comes out `none` or
//! undefined is absent: its key is left out of the query, path or body.

use std::collections::{BTreeMap, HashSet};

use minijinja::{Environment, Error, Value as TemplateValue, value::Serde};
use serde_json::{Map, Value};

/// The variables a template sees: the arguments, earlier replies, and `item` in a fan-out.
#[derive(Clone, Debug, Default)]
pub struct Context(BTreeMap<String, TemplateValue>);

impl Context {
    /// Binds `name` to a JSON value.
    pub fn set(&mut self, name: &str, value: &Value) {
        self.0
            .insert(name.to_owned(), TemplateValue::from(Serde(value)));
    }

    /// This context with `name` bound as well.
    pub fn with(&self, name: &str, value: &Value) -> Context {
        let mut context = self.clone();
        context.set(name, value);
        context
    }

    /// The context as one template value. Build it once and render many templates with
    /// [`ValueTemplate::render_in`]: each build copies the map.
    pub fn value(&self) -> TemplateValue {
        TemplateValue::from(self.0.clone())
    }
}

/// A compiled value template.
#[derive(Clone, Debug)]
pub enum ValueTemplate {
    /// A value with no template in it.
    Literal(Value),
    /// One `{{ expression }}`: evaluated, keeping its type. Holds the template's name.
    Typed(String),
    /// Text with templates in it: rendered to a string. Holds the template's name.
    Text(String),
    /// A list of value templates.
    List(Vec<ValueTemplate>),
    /// An object of value templates, in order.
    Object(Vec<(String, ValueTemplate)>),
}

/// The variable the typed-expression templates assign to.
const RESULT: &str = "__value";

impl ValueTemplate {
    /// Compiles `value` into `env`, naming its templates after `name`.
    pub fn compile(
        env: &mut Environment<'static>,
        name: &str,
        value: &Value,
    ) -> Result<ValueTemplate, Error> {
        match value {
            Value::String(text) => Self::compile_text(env, name, text),
            Value::Array(items) => {
                let compiled = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| Self::compile(env, &format!("{name}[{i}]"), item))
                    .collect::<Result<_, _>>()?;
                Ok(ValueTemplate::List(compiled))
            }
            Value::Object(fields) => {
                let compiled = fields
                    .iter()
                    .map(|(key, item)| {
                        Self::compile(env, &format!("{name}.{key}"), item).map(|t| (key.clone(), t))
                    })
                    .collect::<Result<_, _>>()?;
                Ok(ValueTemplate::Object(compiled))
            }
            other => Ok(ValueTemplate::Literal(other.clone())),
        }
    }

    fn compile_text(
        env: &mut Environment<'static>,
        name: &str,
        text: &str,
    ) -> Result<ValueTemplate, Error> {
        if let Some(expression) = single_expression(text) {
            env.add_template_owned(
                name.to_owned(),
                format!("{{% set {RESULT} = ({expression}) %}}"),
            )?;
            return Ok(ValueTemplate::Typed(name.to_owned()));
        }
        if text.contains("{{") || text.contains("{%") {
            env.add_template_owned(name.to_owned(), text.to_owned())?;
            return Ok(ValueTemplate::Text(name.to_owned()));
        }
        Ok(ValueTemplate::Literal(Value::String(text.to_owned())))
    }

    /// Every variable the templates read that they do not set themselves.
    pub fn variables(&self, env: &Environment<'static>) -> HashSet<String> {
        let mut names = HashSet::new();
        self.collect_variables(env, &mut names);
        names
    }

    fn collect_variables(&self, env: &Environment<'static>, names: &mut HashSet<String>) {
        match self {
            ValueTemplate::Literal(_) => {}
            ValueTemplate::Typed(name) | ValueTemplate::Text(name) => {
                if let Ok(template) = env.get_template(name) {
                    names.extend(template.undeclared_variables(false));
                }
            }
            ValueTemplate::List(items) => {
                items
                    .iter()
                    .for_each(|item| item.collect_variables(env, names));
            }
            ValueTemplate::Object(fields) => {
                fields
                    .iter()
                    .for_each(|(_, item)| item.collect_variables(env, names));
            }
        }
    }

    /// Renders against `context`; `None` when the value is absent.
    pub fn render(
        &self,
        env: &Environment<'static>,
        context: &Context,
    ) -> Result<Option<Value>, Error> {
        self.render_value(env, &context.value())
    }

    /// Renders against a context already built with [`Context::value`].
    pub fn render_in(
        &self,
        env: &Environment<'static>,
        context: &TemplateValue,
    ) -> Result<Option<Value>, Error> {
        self.render_value(env, context)
    }

    fn render_value(
        &self,
        env: &Environment<'static>,
        context: &TemplateValue,
    ) -> Result<Option<Value>, Error> {
        match self {
            ValueTemplate::Literal(value) => Ok(Some(value.clone())),
            ValueTemplate::Typed(name) => {
                let captured = env.get_template(name)?.render_captured(context.clone())?;
                let value = captured.state().lookup(RESULT);
                Ok(value
                    .filter(|v| !v.is_none() && !v.is_undefined())
                    .map(to_json))
            }
            ValueTemplate::Text(name) => Ok(Some(Value::String(
                env.get_template(name)?.render(context.clone())?,
            ))),
            ValueTemplate::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.extend(item.render_value(env, context)?);
                }
                Ok(Some(Value::Array(out)))
            }
            ValueTemplate::Object(fields) => {
                let mut out = Map::new();
                for (key, item) in fields {
                    if let Some(value) = item.render_value(env, context)? {
                        out.insert(key.clone(), value);
                    }
                }
                Ok(Some(Value::Object(out)))
            }
        }
    }
}

/// Converts a template value to JSON; values JSON cannot hold become `null`.
pub(crate) fn to_json(value: TemplateValue) -> Value {
    serde_json::to_value(&value).unwrap_or(Value::Null)
}

/// The expression inside `{{ ... }}` when `text` is exactly one such block.
fn single_expression(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let inner = inner.strip_suffix('-').unwrap_or(inner);
    let nested = inner.contains("{{") || inner.contains("}}") || inner.contains("{%");
    (!nested && !inner.trim().is_empty()).then_some(inner.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(template: Value, vars: Value) -> Option<Value> {
        let mut env = super::super::environment();
        let compiled = ValueTemplate::compile(&mut env, "t", &template).unwrap();
        let mut context = Context::default();
        for (name, value) in vars.as_object().unwrap() {
            context.set(name, value);
        }
        compiled.render(&env, &context).unwrap()
    }

    #[test]
    fn a_single_expression_keeps_its_type() {
        let out = render(json!("{{ page_size }}"), json!({"page_size": 10}));
        assert_eq!(out, Some(json!(10)));

        let out = render(json!("{{ ids }}"), json!({"ids": ["a", "b"]}));
        assert_eq!(out, Some(json!(["a", "b"])));
    }

    #[test]
    fn mixed_text_renders_as_a_string() {
        let out = render(
            json!("'{{ folder }}' in parents"),
            json!({"folder": "root"}),
        );
        assert_eq!(out, Some(json!("'root' in parents")));
    }

    #[test]
    fn a_none_value_leaves_its_key_out() {
        let template = json!({"q": "{{ query }}", "pageToken": "{{ page_token }}"});
        let out = render(template, json!({"query": "is:unread", "page_token": null}));
        assert_eq!(out, Some(json!({"q": "is:unread"})));
    }

    #[test]
    fn nested_objects_and_literals_render_in_place() {
        let template = json!({"start": {"date": "{{ day }}"}, "reminders": {"useDefault": true}});
        let out = render(template, json!({"day": "2026-08-20"}));
        assert_eq!(
            out,
            Some(json!({"start": {"date": "2026-08-20"}, "reminders": {"useDefault": true}}))
        );
    }

    #[test]
    fn variables_lists_what_the_templates_read() {
        let mut env = super::super::environment();
        let template =
            json!({"q": "{{ query }}", "n": "{{ size | default(10) }}", "x": "{{ a.b }}"});
        let compiled = ValueTemplate::compile(&mut env, "t", &template).unwrap();
        let names = compiled.variables(&env);
        assert_eq!(
            names,
            HashSet::from(["query".into(), "size".into(), "a".into()])
        );
    }

    #[test]
    fn printing_an_undefined_variable_is_an_error() {
        let mut env = super::super::environment();
        let compiled = ValueTemplate::compile(&mut env, "t", &json!("x {{ nope }}")).unwrap();
        assert!(compiled.render(&env, &Context::default()).is_err());
    }
}
