//! Shaping: Google's replies become the tool's structured content and the text the model reads.
//!
//! The document a tool's output is shaped from holds the call's arguments and each step's
//! reply under the step's id. Each output field is a JSONPath into that document, or a
//! projection built from one:
//!
//! ```yaml
//! shape:
//!   next_page_token: "$.list.nextPageToken"          # the first match; left out when none
//!   labels: {path: "$.msg.labelIds[*]", all: true}    # every match, as a list
//!   body: {path: "$.msg", then: "value | mail_content"}  # a match passed through an expression
//!   messages:                                         # one object per match
//!     each: "$.meta[*]"                               # (or a list of paths, matches joined)
//!     fields: {id: "$.id", snippet: "$.snippet"}
//! ```

mod path;

pub use path::JsonPath;

use minijinja::{Environment, Error};
use serde_json::{Map, Value};

use minijinja::value::Serde;

use crate::render::ValueTemplate;

/// One field of the structured content.
#[derive(Clone, Debug)]
pub enum Field {
    /// The value(s) a path selects, optionally passed through an expression over `value`.
    Path {
        /// What to select.
        path: JsonPath,
        /// Keep every match as a list instead of the first.
        all: bool,
        /// An expression over `value` (the selection) whose result is the field.
        then: Option<ValueTemplate>,
    },
    /// One object per match of `each`, its fields selected relative to the match.
    Each {
        /// What to iterate: the matches of each path in turn.
        each: Vec<JsonPath>,
        /// The fields of each object.
        fields: Vec<(String, Field)>,
    },
}

impl Field {
    /// Selects this field from `doc`; `None` when it selects nothing.
    pub fn select(&self, env: &Environment<'static>, doc: &Value) -> Result<Option<Value>, Error> {
        match self {
            Field::Path { path, all, then } => {
                let selected = if *all {
                    Some(Value::Array(path.all(doc).into_iter().cloned().collect()))
                } else {
                    path.first(doc).cloned()
                };
                let Some(value) = selected.filter(|v| !v.is_null()) else {
                    return Ok(None);
                };
                match then {
                    Some(expression) => {
                        let context = minijinja::context! { value => Serde(&value) };
                        expression.render_in(env, &context)
                    }
                    None => Ok(Some(value)),
                }
            }
            Field::Each { each, fields } => {
                let mut items = Vec::new();
                // A step that was skipped replied `null`: it contributes no item.
                for item in each
                    .iter()
                    .flat_map(|path| path.all(doc))
                    .filter(|v| !v.is_null())
                {
                    items.push(Value::Object(select_all(env, fields, item)?));
                }
                Ok(Some(Value::Array(items)))
            }
        }
    }
}

/// Selects every field from `doc`, leaving out those that select nothing.
pub fn select_all(
    env: &Environment<'static>,
    fields: &[(String, Field)],
    doc: &Value,
) -> Result<Map<String, Value>, Error> {
    let mut out = Map::new();
    for (name, field) in fields {
        if let Some(value) = field.select(env, doc)? {
            out.insert(name.clone(), value);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(source: &str) -> JsonPath {
        JsonPath::parse(source).unwrap()
    }

    #[test]
    fn each_projects_one_object_per_match() {
        let env = crate::render::environment();
        let fields = vec![(
            "messages".to_owned(),
            Field::Each {
                each: vec![path("$.meta[*]")],
                fields: vec![
                    (
                        "id".into(),
                        Field::Path {
                            path: path("$.id"),
                            all: false,
                            then: None,
                        },
                    ),
                    (
                        "subject".into(),
                        Field::Path {
                            path: path("$.payload.headers[?@.name == 'Subject'].value"),
                            all: false,
                            then: None,
                        },
                    ),
                ],
            },
        )];
        let doc = json!({"meta": [
            {"id": "m1", "payload": {"headers": [{"name": "Subject", "value": "Q3"}]}},
            {"id": "m2", "payload": {"headers": []}}
        ]});

        let out = select_all(&env, &fields, &doc).unwrap();

        assert_eq!(
            Value::Object(out),
            json!({"messages": [{"id": "m1", "subject": "Q3"}, {"id": "m2"}]})
        );
    }

    #[test]
    fn a_skipped_steps_null_reply_adds_no_item() {
        let env = crate::render::environment();
        let fields = vec![(
            "events".to_owned(),
            Field::Each {
                each: vec![path("$.list.items[*]"), path("$.one")],
                fields: vec![(
                    "id".into(),
                    Field::Path {
                        path: path("$.id"),
                        all: false,
                        then: None,
                    },
                )],
            },
        )];

        let out = select_all(
            &env,
            &fields,
            &json!({"list": {"items": [{"id": "e1"}]}, "one": null}),
        )
        .unwrap();

        assert_eq!(Value::Object(out), json!({"events": [{"id": "e1"}]}));
    }

    #[test]
    fn then_applies_an_expression_to_the_selection() {
        let mut env = crate::render::environment();
        let then = ValueTemplate::compile(&mut env, "t", &json!("{{ value | length }}")).unwrap();
        let fields = vec![(
            "count".to_owned(),
            Field::Path {
                path: path("$.ids"),
                all: false,
                then: Some(then),
            },
        )];

        let out = select_all(&env, &fields, &json!({"ids": ["a", "b", "c"]})).unwrap();

        assert_eq!(out["count"], json!(3));
    }

    #[test]
    fn fields_that_select_nothing_are_left_out() {
        let env = crate::render::environment();
        let fields = vec![(
            "next_page_token".to_owned(),
            Field::Path {
                path: path("$.list.nextPageToken"),
                all: false,
                then: None,
            },
        )];

        let out = select_all(&env, &fields, &json!({"list": {"messages": []}})).unwrap();

        assert!(out.is_empty());
    }
}
