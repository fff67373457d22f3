//! The `fields` partial-response selector: `nextPageToken,files(id,name)`, `files/id`, `*`.

use serde_json::{Map, Value};

use crate::error::ApiError;

/// A parsed selector: a list of field paths, each with an optional sub-selection.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Selector(Vec<(String, Option<Selector>)>);

impl Selector {
    /// Parses a selector; a malformed one is Google's `400 Invalid field selection`.
    pub(crate) fn parse(text: &str) -> Result<Selector, ApiError> {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        let mut position = 0;
        let selector = list(&chars, &mut position);

        match selector {
            Some(selector) if position == chars.len() => Ok(selector),
            _ => {
                let message = format!("Invalid field selection {text}");
                Err(ApiError::google(400, "invalidParameter", &message).at("fields", "parameter"))
            }
        }
    }

    /// Keeps only the selected fields; arrays are filtered element by element.
    pub(crate) fn apply(&self, value: &Value) -> Value {
        match value {
            Value::Array(items) => {
                Value::Array(items.iter().map(|item| self.apply(item)).collect())
            }
            Value::Object(object) => {
                let mut kept = Map::new();
                for (name, sub) in &self.0 {
                    if name == "*" {
                        merge(&mut kept, object.clone());
                        continue;
                    }
                    let Some(field) = object.get(name) else {
                        continue;
                    };
                    let field = sub
                        .as_ref()
                        .map_or_else(|| field.clone(), |sub| sub.apply(field));
                    if let Value::Object(inner) = field {
                        let slot = kept
                            .entry(name.clone())
                            .or_insert_with(|| Value::Object(Map::new()));
                        if let Value::Object(existing) = slot {
                            merge(existing, inner);
                        }
                    } else {
                        kept.insert(name.clone(), field);
                    }
                }
                Value::Object(kept)
            }
            other => other.clone(),
        }
    }
}

fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (key, value) in from {
        into.insert(key, value);
    }
}

/// `item ("," item)*`
fn list(chars: &[char], position: &mut usize) -> Option<Selector> {
    let mut items = vec![item(chars, position)?];
    while chars.get(*position) == Some(&',') {
        *position += 1;
        items.push(item(chars, position)?);
    }
    Some(Selector(items))
}

/// `name ("/" name)* ("(" list ")")?`, with `a/b` read as `a(b)`.
fn item(chars: &[char], position: &mut usize) -> Option<(String, Option<Selector>)> {
    let mut path = vec![name(chars, position)?];
    while chars.get(*position) == Some(&'/') {
        *position += 1;
        path.push(name(chars, position)?);
    }

    let mut sub = None;
    if chars.get(*position) == Some(&'(') {
        *position += 1;
        sub = Some(list(chars, position)?);
        if chars.get(*position) != Some(&')') {
            return None;
        }
        *position += 1;
    }

    let innermost = path.pop()?;
    let mut nested = (innermost, sub);
    while let Some(outer) = path.pop() {
        nested = (outer, Some(Selector(vec![nested])));
    }
    Some(nested)
}

fn name(chars: &[char], position: &mut usize) -> Option<String> {
    if chars.get(*position) == Some(&'*') {
        *position += 1;
        return Some("*".into());
    }
    let start = *position;
    while chars
        .get(*position)
        .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
    {
        *position += 1;
    }
    (*position > start).then(|| chars[start..*position].iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reply() -> Value {
        let owner = json!({"emailAddress": "x", "me": true});
        let file = json!({"id": "1", "name": "a", "size": "3", "owners": [owner]});
        json!({"kind": "drive#fileList", "nextPageToken": "t", "incompleteSearch": false,
               "files": [file]})
    }

    fn select(fields: &str) -> Value {
        Selector::parse(fields).unwrap().apply(&reply())
    }

    #[test]
    fn a_sub_selection_keeps_only_the_named_file_fields() {
        assert_eq!(
            select("nextPageToken, files(id,name)"),
            json!({"nextPageToken": "t", "files": [{"id": "1", "name": "a"}]})
        );
    }

    #[test]
    fn a_slash_path_selects_inside_arrays() {
        assert_eq!(
            select("files/owners/emailAddress"),
            json!({"files": [{"owners": [{"emailAddress": "x"}]}]})
        );
    }

    #[test]
    fn a_star_selects_everything_at_its_level() {
        assert_eq!(select("*"), reply());
        assert_eq!(select("files(*)"), json!({"files": reply()["files"]}));
    }

    #[test]
    fn fields_that_are_absent_are_left_out() {
        assert_eq!(
            select("files(id,webViewLink)"),
            json!({"files": [{"id": "1"}]})
        );
    }

    #[test]
    fn a_malformed_selector_is_a_bad_request() {
        for bad in ["files(id", "files()", ",id", "files/", "id)"] {
            assert_eq!(Selector::parse(bad).unwrap_err().code, 400, "{bad:?}");
        }
    }
}
