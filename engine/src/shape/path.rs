//! JSONPath, compiled once.
//!
//! One small type wraps the JSONPath crate so it can be swapped without touching the rest.

use std::fmt;

use jsonpath_rust::parser::{model::JpQuery, parse_json_path};
use serde_json::Value;

/// A compiled JSONPath query (RFC 9535).
#[derive(Clone)]
pub struct JsonPath {
    source: String,
    query: JpQuery,
}

impl JsonPath {
    /// Compiles `source`; the error says what is wrong with it.
    pub fn parse(source: &str) -> Result<JsonPath, String> {
        if !source.starts_with('$') {
            return Err(format!("JSONPath `{source}` must start with `$`"));
        }
        let query = parse_json_path(source).map_err(|e| {
            format!(
                "malformed JSONPath `{source}`: {}",
                one_line(&e.to_string())
            )
        })?;
        Ok(JsonPath {
            source: source.to_owned(),
            query,
        })
    }

    /// Every value the path selects, in document order.
    pub fn all<'a>(&self, value: &'a Value) -> Vec<&'a Value> {
        jsonpath_rust::query::js_path_process(&self.query, value)
            .map(|refs| refs.into_iter().map(|r| r.val()).collect())
            .unwrap_or_default()
    }

    /// The first value the path selects.
    pub fn first<'a>(&self, value: &'a Value) -> Option<&'a Value> {
        self.all(value).into_iter().next()
    }

    /// The path as written.
    pub fn source(&self) -> &str {
        &self.source
    }
}

impl fmt::Debug for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JsonPath({})", self.source)
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selects_every_match_in_order() {
        let path = JsonPath::parse("$.list.messages[*].id").unwrap();
        let doc = json!({"list": {"messages": [{"id": "a"}, {"id": "b"}]}});
        assert_eq!(path.all(&doc), vec![&json!("a"), &json!("b")]);
    }

    #[test]
    fn filters_pick_a_header_by_name() {
        let path = JsonPath::parse("$.payload.headers[?@.name == 'Subject'].value").unwrap();
        let doc = json!({"payload": {"headers": [
            {"name": "From", "value": "Carol <carol@example.com>"},
            {"name": "Subject", "value": "Q3"}
        ]}});
        assert_eq!(path.first(&doc), Some(&json!("Q3")));
    }

    #[test]
    fn a_missing_field_selects_nothing() {
        let path = JsonPath::parse("$.list.nextPageToken").unwrap();
        assert!(path.first(&json!({"list": {}})).is_none());
    }

    #[test]
    fn malformed_paths_are_rejected_with_the_path_named() {
        let error = JsonPath::parse("$.messages[*.id").unwrap_err();
        assert!(error.contains("`$.messages[*.id`"), "{error}");
        assert!(JsonPath::parse("messages[*].id").is_err());
    }
}
