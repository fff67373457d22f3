//! Arguments: the JSON Schema a tool lists, and the checks a call's arguments pass.
//!
//! The catalogue writes each argument as JSON Schema plus three keys of the engine's own:
//! `required`, `default` and `aliases`. Two schemas come out of it. The listed one is what
//! models see: portable across OpenAI, Anthropic and Gemini (no defaults, no combinators;
//! defaults are stated in the description). The checking one is stricter: it rejects unknown
//! arguments and holds every constraint, and it runs after aliases, coercion and defaults.

use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::{Map, Value, json};
use serde_saphyr::Spanned;

use super::raw::RawArg;

/// The optional argument that picks the Google account in multi-account deployments.
pub const ACCOUNT_ARGUMENT: &str = "user_google_email";

/// Schema keywords an argument may not use, because some model provider rejects them.
const UNPORTABLE: &[&str] = &[
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "const",
    "$ref",
    "$defs",
    "definitions",
    "if",
    "then",
    "else",
    "patternProperties",
    "dependentRequired",
    "dependentSchemas",
];

/// The JSON Schema keywords an argument may use. Anything else is most often a YAML slip:
/// an unquoted description with a comma inside `{...}` splits into a stray key.
const KNOWN: &[&str] = &[
    "type",
    "description",
    "enum",
    "items",
    "properties",
    "required",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
    "format",
    "default",
    "title",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "uniqueItems",
    "multipleOf",
    "additionalProperties",
    "examples",
];

/// Keywords kept out of the listed schema but enforced when checking.
const CHECK_ONLY: &[&str] = &["default", "exclusiveMinimum", "exclusiveMaximum", "pattern"];

/// A tool's compiled arguments.
pub struct Args {
    listed: Arc<Map<String, Value>>,
    validator: jsonschema::Validator,
    names: Vec<String>,
    defaults: Vec<(String, Value)>,
    aliases: Vec<(String, String)>,
    types: Vec<(String, String)>,
}

impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Args")
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

/// A problem with one argument's declaration.
#[derive(Debug)]
pub struct ArgProblem {
    /// The argument.
    pub name: String,
    /// Where it is declared.
    pub location: serde_saphyr::Location,
    /// What is wrong.
    pub message: String,
}

impl Args {
    /// Compiles the declared arguments, adding the account argument when `account` is set.
    pub fn compile(
        declared: &IndexMap<String, Spanned<RawArg>>,
        account: bool,
    ) -> Result<Args, Vec<ArgProblem>> {
        let mut problems = Vec::new();
        let mut listed_props = Map::new();
        let mut checked_props = Map::new();
        let mut required = Vec::new();
        let mut defaults = Vec::new();
        let mut aliases = Vec::new();
        let mut types = Vec::new();

        for (name, arg) in declared {
            let raw = &arg.value;
            let mut problem = |message: String| {
                problems.push(ArgProblem {
                    name: name.clone(),
                    location: arg.referenced,
                    message,
                });
            };
            for message in portability_problems(name, &Value::Object(raw.schema.clone())) {
                problem(message);
            }
            if raw.required && raw.default.is_some() {
                problem(format!(
                    "argument `{name}` is required and has a default; pick one"
                ));
            }

            let kind = raw
                .schema
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("string");
            types.push((name.clone(), kind.to_owned()));
            if raw.required {
                required.push(Value::String(name.clone()));
            }
            if let Some(default) = &raw.default {
                defaults.push((name.clone(), default.clone()));
            }
            aliases.extend(
                raw.aliases
                    .iter()
                    .map(|alias| (alias.clone(), name.clone())),
            );

            checked_props.insert(name.clone(), closed(Value::Object(raw.schema.clone())));
            listed_props.insert(
                name.clone(),
                listed_property(&raw.schema, raw.default.as_ref()),
            );
        }

        if account && !declared.contains_key(ACCOUNT_ARGUMENT) {
            let schema = json!({"type": "string", "description": "Google account to use (default: the configured one)."});
            checked_props.insert(ACCOUNT_ARGUMENT.into(), schema.clone());
            listed_props.insert(ACCOUNT_ARGUMENT.into(), schema);
            types.push((ACCOUNT_ARGUMENT.into(), "string".into()));
        }

        let mut listed = Map::new();
        listed.insert("type".into(), json!("object"));
        listed.insert("properties".into(), Value::Object(listed_props));
        if !required.is_empty() {
            listed.insert("required".into(), Value::Array(required.clone()));
        }
        let checked = json!({
            "type": "object",
            "properties": checked_props,
            "required": required,
            "additionalProperties": false,
        });

        let validator = match jsonschema::validator_for(&checked) {
            Ok(validator) => validator,
            Err(error) => {
                let (name, location) = declared
                    .iter()
                    .next()
                    .map(|(n, a)| (n.clone(), a.referenced))
                    .unwrap_or((String::new(), serde_saphyr::Location::UNKNOWN));
                problems.push(ArgProblem {
                    name,
                    location,
                    message: format!("the argument schema is not valid JSON Schema: {error}"),
                });
                return Err(problems);
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }

        let names = types.iter().map(|(name, _)| name.clone()).collect();
        Ok(Args {
            listed: Arc::new(listed),
            validator,
            names,
            defaults,
            aliases,
            types,
        })
    }

    /// The input schema `tools/list` shows.
    pub fn listed(&self) -> &Arc<Map<String, Value>> {
        &self.listed
    }

    /// Every argument name, in declaration order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Turns a call's arguments into the values templates see, or says everything wrong.
    ///
    /// In order: aliases are renamed; arrays, objects, numbers and booleans sent as JSON
    /// text (some clients do) are decoded; defaults fill the gaps; the schema checks the rest.
    pub fn prepare(&self, given: Map<String, Value>) -> Result<Map<String, Value>, String> {
        let mut args = Map::new();
        let mut problems = Vec::new();

        for (key, value) in given {
            let name = self
                .aliases
                .iter()
                .find(|(alias, _)| *alias == key)
                .map(|(_, name)| name.clone())
                .unwrap_or(key);
            if args.contains_key(&name) {
                problems.push(format!("`{name}` is given twice (under an alias too)"));
                continue;
            }
            if !self.names.contains(&name) {
                problems.push(format!(
                    "unknown argument `{name}`; this tool takes: {}",
                    self.names.join(", ")
                ));
                continue;
            }
            // `null` and blank text mean "not given", as most clients send them for optional
            // arguments; a required one is then reported missing instead of sent empty.
            if value.is_null() || value.as_str().is_some_and(|text| text.trim().is_empty()) {
                continue;
            }
            args.insert(name, value);
        }

        for (name, kind) in &self.types {
            if let Some(value) = args.get_mut(name) {
                coerce(value, kind);
                if let Value::Array(items) = value
                    && items
                        .iter()
                        .any(|item| item.as_str().is_some_and(|t| t.trim().is_empty()))
                {
                    problems.push(format!("`{name}` has an empty item"));
                }
            }
        }
        for (name, default) in &self.defaults {
            args.entry(name.clone()).or_insert_with(|| default.clone());
        }
        if args.get(ACCOUNT_ARGUMENT).is_some_and(Value::is_null) {
            args.remove(ACCOUNT_ARGUMENT);
        }

        let instance = Value::Object(args);
        for error in self.validator.iter_errors(&instance) {
            let at = error.instance_path().to_string();
            let at = at.trim_start_matches('/');
            if at.is_empty() && error.to_string().contains("was unexpected") {
                // Unknown top-level arguments were already reported, with the names taken.
                continue;
            }
            match at {
                "" => problems.push(error.to_string()),
                at => problems.push(format!("`{at}`: {error}")),
            }
        }
        let Value::Object(args) = instance else {
            unreachable!("built as an object")
        };

        if problems.is_empty() {
            Ok(args)
        } else {
            Err(problems.join("; "))
        }
    }
}

/// The schema with unknown keys refused inside every object that lists its properties, as
/// they are at the top: a misspelt field is an error, not something Google rejects later.
fn closed(mut schema: Value) -> Value {
    if let Value::Object(object) = &mut schema {
        if object.contains_key("properties") && !object.contains_key("additionalProperties") {
            object.insert("additionalProperties".into(), Value::Bool(false));
        }
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            for property in properties.values_mut() {
                *property = closed(property.take());
            }
        }
        if let Some(items) = object.get_mut("items") {
            *items = closed(items.take());
        }
    }
    schema
}

/// A property as models see it: no defaults or check-only keywords; the default described.
fn listed_property(schema: &Map<String, Value>, default: Option<&Value>) -> Value {
    let mut out = Map::new();
    for (key, value) in schema {
        if CHECK_ONLY.contains(&key.as_str()) {
            continue;
        }
        if key == "format" && value != "date-time" {
            continue;
        }
        out.insert(key.clone(), value.clone());
    }
    if let Some(default) = default {
        let described = out
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !described.to_lowercase().contains("default") {
            let shown = match default {
                Value::String(s) => format!("\"{s}\""),
                other => other.to_string(),
            };
            let sep = if described.is_empty() || described.ends_with('.') {
                " "
            } else {
                ". "
            };
            let text = format!("{described}{sep}Default: {shown}.");
            out.insert(
                "description".into(),
                Value::String(text.trim_start().to_owned()),
            );
        }
    }
    Value::Object(out)
}

/// Why a schema would break some model provider, if it would.
fn portability_problems(name: &str, schema: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(object) = schema.as_object() else {
        return vec![format!(
            "argument `{name}` must be a mapping of JSON Schema keywords"
        )];
    };
    for key in object.keys() {
        let known = KNOWN.contains(&key.as_str()) || UNPORTABLE.contains(&key.as_str());
        if !known {
            problems.push(format!(
                "argument `{name}` has `{key}`, which is not a JSON Schema keyword; a description \
                 with a comma or colon inside `{{...}}` must be quoted"
            ));
        }
    }
    if let Some(Value::Object(properties)) = object.get("properties") {
        for (field, schema) in properties {
            for message in portability_problems(&format!("{name}.{field}"), schema) {
                problems.push(message);
            }
        }
    }
    for keyword in UNPORTABLE {
        if object.contains_key(*keyword) {
            problems.push(format!(
                "argument `{name}` uses `{keyword}`, which some model providers reject; \
                 describe the rule in the description and check it in a template instead"
            ));
        }
    }
    match object.get("type") {
        Some(Value::String(kind)) => {
            if kind == "array" {
                let item_type = object.get("items").and_then(|items| items.get("type"));
                if !matches!(item_type, Some(Value::String(_))) {
                    problems.push(format!(
                        "array argument `{name}` needs `items` with one `type`"
                    ));
                }
            }
        }
        Some(_) => problems.push(format!(
            "argument `{name}` has a list for `type`; give one type and say in the description \
             that it may be left out"
        )),
        None => problems.push(format!("argument `{name}` needs a `type`")),
    }
    if !object.get("description").is_some_and(Value::is_string) {
        problems.push(format!(
            "argument `{name}` needs a `description`: the model reads it"
        ));
    }
    let enum_values = object.get("enum").and_then(Value::as_array);
    if enum_values.is_some_and(|values| values.iter().any(|v| !v.is_string())) {
        problems.push(format!("argument `{name}` has a non-string `enum` value"));
    }
    if let Some(items) = object.get("items") {
        for message in portability_problems(&format!("{name}[]"), items) {
            if !message.contains("needs a `description`") {
                problems.push(message);
            }
        }
    }
    problems
}

/// Decodes a value sent as JSON text when the schema wants another type.
fn coerce(value: &mut Value, kind: &str) {
    // 3.0 and 1e2 are whole numbers some clients write as floats; Google wants integers.
    if kind == "integer"
        && let Some(number) = value
            .as_f64()
            .filter(|n| n.fract() == 0.0 && n.abs() < 9.0e15)
    {
        *value = Value::from(number as i64);
        return;
    }
    let Value::String(text) = value else { return };
    let text = text.trim();
    let decoded = match kind {
        "array" if text.starts_with('[') => serde_json::from_str(text).ok(),
        "object" if text.starts_with('{') => serde_json::from_str(text).ok(),
        "integer" => text.parse::<i64>().ok().map(Value::from),
        "number" => text
            .parse::<f64>()
            .ok()
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number)),
        "boolean" => match text {
            "true" | "True" => Some(Value::Bool(true)),
            "false" | "False" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    };
    if let Some(decoded) = decoded {
        *value = decoded;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(yaml: &str) -> Result<Args, Vec<ArgProblem>> {
        let declared: IndexMap<String, Spanned<RawArg>> = serde_saphyr::from_str(yaml).unwrap();
        Args::compile(&declared, true)
    }

    const SEARCH: &str = "
query: {type: string, required: true, description: Gmail search query.}
page_size: {type: integer, default: 10, minimum: 1, maximum: 100, aliases: [max_results], description: Results per page.}
ids: {type: array, items: {type: string}, description: Ids.}
";

    #[test]
    fn defaults_fill_in_and_aliases_are_renamed() {
        let args = compile(SEARCH).unwrap();

        let out = args.prepare(json!({"query": "is:unread"}).as_object().cloned().unwrap());
        assert_eq!(out.unwrap()["page_size"], json!(10));

        let out = args.prepare(
            json!({"query": "x", "max_results": 5})
                .as_object()
                .cloned()
                .unwrap(),
        );
        assert_eq!(out.unwrap()["page_size"], json!(5));
    }

    #[test]
    fn json_text_for_arrays_and_numbers_is_decoded() {
        let args = compile(SEARCH).unwrap();
        let given = json!({"query": "x", "page_size": "25", "ids": "[\"a\",\"b\"]"});

        let out = args.prepare(given.as_object().cloned().unwrap()).unwrap();

        assert_eq!(out["page_size"], json!(25));
        assert_eq!(out["ids"], json!(["a", "b"]));
    }

    #[test]
    fn null_and_blank_values_count_as_not_given() {
        let args = compile(SEARCH).unwrap();

        let out = args.prepare(
            json!({"query": "x", "page_size": null, "ids": null})
                .as_object()
                .cloned()
                .unwrap(),
        );
        assert_eq!(out.unwrap()["page_size"], json!(10));

        let error = args
            .prepare(json!({"query": "  "}).as_object().cloned().unwrap())
            .unwrap_err();
        assert!(error.contains("query"), "{error}");

        let error = args
            .prepare(
                json!({"query": "x", "ids": ["", "a"]})
                    .as_object()
                    .cloned()
                    .unwrap(),
            )
            .unwrap_err();
        assert!(error.contains("`ids` has an empty item"), "{error}");
    }

    #[test]
    fn unknown_keys_inside_object_arguments_are_refused() {
        let yaml = "criteria: {type: object, description: Match., properties: {from: {type: string, description: Sender.}}}";
        let args = compile(yaml).unwrap();

        let error = args.prepare(
            json!({"criteria": {"from": "a", "bogus": 1}})
                .as_object()
                .cloned()
                .unwrap(),
        );

        assert!(error.unwrap_err().contains("criteria"));
        assert!(
            args.prepare(
                json!({"criteria": {"from": "a"}})
                    .as_object()
                    .cloned()
                    .unwrap()
            )
            .is_ok()
        );
    }

    #[test]
    fn whole_numbers_written_as_floats_become_integers() {
        let args = compile(SEARCH).unwrap();

        let out = args
            .prepare(
                json!({"query": "x", "page_size": 3.0})
                    .as_object()
                    .cloned()
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(out["page_size"], json!(3));

        assert!(
            args.prepare(
                json!({"query": "x", "page_size": 2.5})
                    .as_object()
                    .cloned()
                    .unwrap()
            )
            .is_err()
        );
    }

    #[test]
    fn every_problem_is_reported_by_name() {
        let args = compile(SEARCH).unwrap();
        let given = json!({"page_size": 500, "bogus": 1});

        let error = args
            .prepare(given.as_object().cloned().unwrap())
            .unwrap_err();

        assert!(error.contains("unknown argument `bogus`"), "{error}");
        assert!(error.contains("`page_size`"), "{error}");
        assert!(error.contains("query"), "{error}");
    }

    #[test]
    fn the_listed_schema_is_portable_and_describes_defaults() {
        let args = compile(SEARCH).unwrap();
        let listed = Value::Object((**args.listed()).clone());

        assert_eq!(listed["required"], json!(["query"]));
        assert!(listed["properties"]["page_size"].get("default").is_none());
        let described = listed["properties"]["page_size"]["description"]
            .as_str()
            .unwrap();
        assert_eq!(described, "Results per page. Default: 10.");
        assert!(listed["properties"]["user_google_email"].is_object());
        assert!(listed.get("additionalProperties").is_none());
    }

    #[test]
    fn unportable_schemas_are_problems() {
        let yaml = "
when: {oneOf: [{type: string}, {type: integer}], description: A time.}
tags: {type: array, description: Tags.}
mode: {type: [string, 'null'], description: Mode.}
";
        let problems = compile(yaml).unwrap_err();
        let text: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();

        assert!(text.iter().any(|m| m.contains("`oneOf`")), "{text:?}");
        assert!(text.iter().any(|m| m.contains("needs `items`")), "{text:?}");
        assert!(
            text.iter().any(|m| m.contains("list for `type`")),
            "{text:?}"
        );
    }
}
