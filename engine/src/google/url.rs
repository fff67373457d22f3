//! URL paths from Discovery path templates, with every value encoded as what it is.
//!
//! An id is never formatted into a URL as text: `{param}` values are encoded as one path
//! segment, so `../x`, `a/b` or `en.usa#holiday@group.v.calendar.google.com` can never change
//! the path. `{+param}` (Discovery's reserved expansion, used for resource names such as
//! `spaces/AAA/messages/BBB`) keeps `/` and encodes everything else.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

/// Everything but RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A segment set that lets `/` through, for `{+param}`.
const RESERVED: &AsciiSet = &SEGMENT.remove(b'/');

/// Expands `template` with `values`, falling back to `defaults`; says which value is missing.
pub fn expand_path(
    template: &str,
    values: &Map<String, Value>,
    defaults: &[(String, String)],
) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;

    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|i| open + i)
            .ok_or_else(|| format!("unclosed `{{` in path `{template}`"))?;
        let spec = &rest[open + 1..close];
        let (name, reserved) = match spec.strip_prefix('+') {
            Some(name) => (name, true),
            None => (spec, false),
        };

        let value = match values.get(name) {
            Some(Value::String(text)) => text.clone(),
            Some(Value::Number(number)) => number.to_string(),
            Some(Value::Null) | None => defaults
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, d)| d.clone())
                .ok_or_else(|| format!("the path parameter `{name}` has no value"))?,
            Some(other) => return Err(format!("the path parameter `{name}` is not text: {other}")),
        };
        if value.is_empty() || value == "." || value == ".." {
            return Err(format!(
                "the path parameter `{name}` is empty or a dot segment"
            ));
        }
        let set = if reserved { RESERVED } else { SEGMENT };
        out.extend(utf8_percent_encode(&value, set));

        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expand(template: &str, values: Value) -> Result<String, String> {
        expand_path(
            template,
            values.as_object().unwrap(),
            &[("userId".into(), "me".into())],
        )
    }

    #[test]
    fn ids_are_encoded_as_one_segment() {
        let path = expand(
            "calendar/v3/calendars/{calendarId}/events",
            json!({"calendarId": "en.usa#holiday@group.v.calendar.google.com"}),
        );
        assert_eq!(
            path.unwrap(),
            "calendar/v3/calendars/en.usa%23holiday%40group.v.calendar.google.com/events"
        );

        let path = expand("drive/v3/files/{fileId}", json!({"fileId": "../a/b?c d%"}));
        assert_eq!(path.unwrap(), "drive/v3/files/..%2Fa%2Fb%3Fc%20d%25");
    }

    #[test]
    fn reserved_expansion_keeps_slashes_only() {
        let path = expand("v1/{+name}", json!({"name": "spaces/AAA/messages/B#1"}));
        assert_eq!(path.unwrap(), "v1/spaces/AAA/messages/B%231");
    }

    #[test]
    fn discovery_defaults_fill_unset_parameters() {
        let path = expand(
            "gmail/v1/users/{userId}/messages/{id}",
            json!({"id": "18f0"}),
        );
        assert_eq!(path.unwrap(), "gmail/v1/users/me/messages/18f0");
    }

    #[test]
    fn a_missing_or_empty_id_never_builds_a_shorter_path() {
        assert!(expand("drive/v3/files/{fileId}", json!({})).is_err());
        assert!(expand("drive/v3/files/{fileId}", json!({"fileId": ""})).is_err());
        assert!(expand("drive/v3/files/{fileId}", json!({"fileId": ".."})).is_err());
    }
}
