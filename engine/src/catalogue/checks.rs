//! Checks of a step against Google's Discovery description of the method it calls: the
//! parameters it sets, their types and allowed values, the required ones, the request body's
//! fields (nested ones included), and whether the tool's scopes grant the method at all.
//!
//! Values that are templates are only known at call time, so only literal values are checked
//! for type and enumeration; every key is checked.

use serde_json::Value;
use serde_saphyr::Location;

use super::raw::RawStep;
use crate::discovery::{self, Method, Property, Schema};

/// One finding: where, what, and what to do.
pub struct Finding {
    /// Where in the file.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Only worth a warning.
    pub warning: bool,
}

impl Finding {
    fn error(location: Location, message: String) -> Finding {
        Finding {
            location,
            message,
            help: None,
            warning: false,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
}

/// Checks `raw`'s parameters and body against `method` (`id`), reporting at `at` when a
/// problem has no better place.
pub fn check_step(id: &str, method: &Method, raw: &RawStep, at: Location) -> Vec<Finding> {
    let mut findings = Vec::new();

    for (location, given) in [("path", &raw.path), ("query", &raw.query)] {
        for (name, value) in given {
            let Some(param) = method.params.get(name) else {
                let mut known: Vec<&str> = method
                    .params
                    .iter()
                    .filter(|(_, p)| p.location == location)
                    .map(|(n, _)| n.as_str())
                    .collect();
                known.sort_unstable();
                let finding = Finding::error(
                    value.referenced,
                    format!("`{id}` has no parameter `{name}`"),
                )
                .help(format!("its {location} parameters: {}", known.join(", ")));
                findings.push(finding);
                continue;
            };
            if param.location != location {
                let message = format!(
                    "`{name}` is a {} parameter of `{id}`, not a {location} parameter",
                    param.location
                );
                findings.push(
                    Finding::error(value.referenced, message)
                        .help(format!("move it under `{}:`", param.location)),
                );
                continue;
            }
            for literal in literals(&value.value) {
                if let Some(message) = literal_problem(name, literal, &param.kind, &param.allowed) {
                    findings.push(Finding::error(value.referenced, message));
                }
            }
        }
    }

    let mut required: Vec<_> = method.params.iter().filter(|(_, p)| p.required).collect();
    required.sort_by_key(|(name, _)| name.as_str());
    for (name, param) in required {
        let set = raw.path.contains_key(name) || raw.query.contains_key(name);
        if !set && param.default.is_none() {
            let message = format!(
                "`{id}` requires the {} parameter `{name}`, which is not set",
                param.location
            );
            findings.push(
                Finding::error(at, message)
                    .help(format!("add `{name}:` under `{}:`", param.location)),
            );
        }
    }

    if let Some(body) = &raw.body {
        let api = id.split('.').next().unwrap_or_default();
        match method
            .request
            .as_deref()
            .and_then(|name| discovery::schema(api, name).map(|s| (name, s)))
        {
            Some((name, schema)) => check_object(
                api,
                name,
                &schema,
                &body.value,
                "body",
                body.referenced,
                &mut findings,
            ),
            None if method.request.is_none() => {
                let message = format!("`{id}` takes no request body");
                findings.push(Finding::error(body.referenced, message));
            }
            None => {}
        }
    }
    findings
}

/// Whether `scopes` (full URLs) include one that grants `method`; a warning when the tool is
/// read-only and a read-only scope the method accepts would do.
pub fn check_scopes(
    id: &str,
    method: &Method,
    scopes: &[String],
    read_only: bool,
    at: Location,
) -> Vec<Finding> {
    if method.scopes.is_empty() {
        return Vec::new();
    }
    let granting: Vec<&String> = scopes
        .iter()
        .filter(|s| method.scopes.contains(s))
        .collect();
    if granting.is_empty() {
        let accepted: Vec<&str> = method.scopes.iter().map(|s| short(s)).collect();
        let message = format!("none of the tool's scopes grants `{id}`");
        return vec![
            Finding::error(at, message).help(format!("it accepts: {}", accepted.join(", "))),
        ];
    }
    let narrow = method.scopes.iter().find(|s| s.ends_with(".readonly"));
    let has_narrow = granting.iter().any(|s| s.ends_with(".readonly"));
    match narrow {
        Some(narrow) if read_only && !has_narrow => {
            let message = format!(
                "a read-only tool asks for `{}` to call `{id}`",
                short(granting[0])
            );
            vec![Finding {
                warning: true,
                ..Finding::error(at, message).help(format!("`{}` would do", short(narrow)))
            }]
        }
        _ => Vec::new(),
    }
}

fn short(scope: &str) -> &str {
    scope
        .strip_prefix("https://www.googleapis.com/auth/")
        .unwrap_or(scope)
}

/// The literal values in a parameter value: itself, or each item of a list.
fn literals(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().filter(|v| !is_template(v)).collect(),
        other if is_template(other) => Vec::new(),
        other => vec![other],
    }
}

fn is_template(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.contains("{{") || text.contains("{%"))
}

fn literal_problem(name: &str, value: &Value, kind: &str, allowed: &[String]) -> Option<String> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        _ => return Some(format!("`{name}` must be a {kind}, not a list or mapping")),
    };
    let fits = match kind {
        "boolean" => text == "true" || text == "false",
        "integer" => text.parse::<i64>().is_ok(),
        "number" => text.parse::<f64>().is_ok(),
        _ => true,
    };
    if !fits {
        return Some(format!("`{name}` must be a {kind}, not `{text}`"));
    }
    if !allowed.is_empty() && !allowed.contains(&text) {
        return Some(format!(
            "`{name}` is `{text}`, not one of: {}",
            allowed.join(", ")
        ));
    }
    None
}

fn check_object(
    api: &str,
    schema_name: &str,
    schema: &Schema,
    value: &Value,
    path: &str,
    at: Location,
    findings: &mut Vec<Finding>,
) {
    let Value::Object(fields) = value else { return };
    if schema.open {
        return;
    }
    for (key, item) in fields {
        let field_path = format!("{path}.{key}");
        match schema.properties.get(key) {
            Some(property) => check_property(api, property, item, &field_path, at, findings),
            None => {
                let mut known: Vec<&str> = schema.properties.keys().map(String::as_str).collect();
                known.sort_unstable();
                let message = format!("`{field_path}` is not a field of {schema_name}");
                findings.push(
                    Finding::error(at, message).help(format!("its fields: {}", known.join(", "))),
                );
            }
        }
    }
}

fn check_property(
    api: &str,
    property: &Property,
    value: &Value,
    path: &str,
    at: Location,
    findings: &mut Vec<Finding>,
) {
    if is_template(value) || property.open {
        return;
    }
    if let Some(reference) = &property.reference {
        if let Some(schema) = discovery::schema(api, reference) {
            check_object(api, reference, &schema, value, path, at, findings);
        }
        return;
    }
    if let (Some(items), Value::Array(values)) = (&property.items, value) {
        for item in values {
            check_property(api, items, item, &format!("{path}[]"), at, findings);
        }
        return;
    }
    if let Some(text) = value.as_str()
        && !property.allowed.is_empty()
        && !property.allowed.iter().any(|a| a == text)
    {
        let message = format!(
            "`{path}` is `{text}`, not one of: {}",
            property.allowed.join(", ")
        );
        findings.push(Finding::error(at, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(yaml: &str) -> RawStep {
        serde_saphyr::from_str(yaml).unwrap()
    }

    fn messages(id: &str, yaml: &str) -> Vec<String> {
        let method = discovery::method(id).unwrap();
        check_step(id, &method, &step(yaml), Location::UNKNOWN)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn unknown_and_misplaced_parameters_are_found() {
        let found = messages(
            "gmail.users.messages.list",
            "id: l\ncall: x\nquery: {q: x, maxResult: 5}\npath: {q: y}",
        );
        assert!(
            found.iter().any(|m| m.contains("no parameter `maxResult`")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|m| m.contains("`q` is a query parameter")),
            "{found:?}"
        );
    }

    #[test]
    fn literal_values_are_checked_for_type_and_enumeration() {
        let found = messages(
            "gmail.users.messages.get",
            "id: g\ncall: x\npath: {id: '{{ id }}'}\nquery: {format: fancy}",
        );
        assert!(
            found
                .iter()
                .any(|m| m.contains("`format` is `fancy`, not one of")),
            "{found:?}"
        );

        let found = messages(
            "calendar.events.list",
            "id: e\ncall: x\npath: {calendarId: primary}\nquery: {singleEvents: maybe}",
        );
        assert!(
            found
                .iter()
                .any(|m| m.contains("`singleEvents` must be a boolean")),
            "{found:?}"
        );
    }

    #[test]
    fn a_required_path_parameter_left_unset_is_found() {
        let found = messages(
            "calendar.events.get",
            "id: e\ncall: x\npath: {calendarId: primary}",
        );
        assert!(
            found
                .iter()
                .any(|m| m.contains("requires the path parameter `eventId`")),
            "{found:?}"
        );
    }

    #[test]
    fn body_keys_are_checked_against_the_request_schema_nested_ones_too() {
        let yaml = "id: e\ncall: x\npath: {calendarId: primary}\nbody: {summary: x, start: {dateTim: '{{ t }}'}, colour: red, attendees: [{emial: a}]}";
        let found = messages("calendar.events.insert", yaml);
        assert!(
            found
                .iter()
                .any(|m| m.contains("`body.start.dateTim` is not a field of EventDateTime")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|m| m.contains("`body.colour` is not a field of Event")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|m| m.contains("`body.attendees[].emial`")),
            "{found:?}"
        );
        assert!(!found.iter().any(|m| m.contains("summary")), "{found:?}");
    }

    #[test]
    fn a_scope_that_does_not_grant_the_method_is_an_error() {
        let method = discovery::method("gmail.users.messages.send").unwrap();
        let scopes = vec!["https://www.googleapis.com/auth/calendar".to_owned()];
        let found = check_scopes(
            "gmail.users.messages.send",
            &method,
            &scopes,
            false,
            Location::UNKNOWN,
        );
        assert!(
            found[0]
                .message
                .contains("none of the tool's scopes grants")
        );
        assert!(found[0].help.as_deref().unwrap().contains("gmail.send"));
    }

    #[test]
    fn a_read_only_tool_with_a_broad_scope_gets_a_warning() {
        let method = discovery::method("gmail.users.messages.list").unwrap();
        let scopes = vec!["https://www.googleapis.com/auth/gmail.modify".to_owned()];
        let found = check_scopes(
            "gmail.users.messages.list",
            &method,
            &scopes,
            true,
            Location::UNKNOWN,
        );
        assert!(found[0].warning);
        assert!(found[0].help.as_deref().unwrap().contains("gmail.readonly"));
    }
}
