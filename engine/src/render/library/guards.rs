//! Guards for templates: refusing a call with a message, and bounding bytes handed back.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use minijinja::value::Kwargs;
use minijinja::{Error, Value};

use super::args::{Args, invalid, present, text_of};
use super::base64url;

/// Template function `refuse_if(condition, message)`: an error with `message` when
/// `condition` is true; nothing otherwise. For rules JSON Schema cannot say portably, such as
/// which arguments an action needs: `refuse_if(action == 'delete' and not label_id,
/// '`label_id` is needed to delete a label')`.
pub(crate) fn refuse_if_function(condition: &Value, message: &Value) -> Result<Value, Error> {
    if condition.is_true() {
        return Err(invalid(text_of(message, "message")?));
    }
    Ok(Value::from(()))
}

/// Standard, padded base64 (what MCP blobs use) of base64 or base64url `data`, refusing more
/// than `max_bytes` decoded bytes.
pub fn b64_standard(data: &str, max_bytes: Option<usize>, what: &str) -> Result<String, Error> {
    let bytes =
        base64url::decode(data).map_err(|why| invalid(format!("`{what}` is not base64: {why}")))?;
    if let Some(max) = max_bytes.filter(|max| bytes.len() > *max) {
        return Err(invalid(format!(
            "the {what} is {} bytes ({}), more than the {} bytes ({}) this server hands back \
             (GWS_MAX_ATTACHMENT_BYTES)",
            bytes.len(),
            human(bytes.len()),
            max,
            human(max)
        )));
    }
    Ok(STANDARD.encode(bytes))
}

/// A byte count in KB or MB, one decimal.
fn human(bytes: usize) -> String {
    let bytes = bytes as f64;
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KB", bytes / 1024.0)
    }
}

/// Template filter `b64_standard(max_bytes=none, what="content")`.
pub(crate) fn b64_standard_filter(positional: &[Value], kwargs: Kwargs) -> Result<Value, Error> {
    let args = Args::new("b64_standard", positional, kwargs);
    let data = args.text(Some(0), "value")?.unwrap_or_default();
    let max = match args.value(Some(1), "max_bytes")? {
        Some(value) if present(&value) => Some(
            i64::try_from(value.clone())
                .ok()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| {
                    invalid(format!("`max_bytes` must be a whole number, got {value}"))
                })?,
        ),
        _ => None,
    };
    let what = args
        .text(Some(2), "what")?
        .unwrap_or_else(|| "content".to_string());
    args.finish(3)?;
    b64_standard(&data, max, &what).map(Value::from)
}

/// The text in base64 `data` when it is UTF-8 without NUL or control bytes other than tab,
/// CR and LF; `None` for binary data.
pub fn b64_text(data: &str) -> Option<String> {
    let bytes = base64url::decode(data).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let binary = text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{c}'));
    (!binary).then_some(text)
}

/// Template filter `b64_text(limit=none, more=none)`.
pub(crate) fn b64_text_filter(positional: &[Value], kwargs: Kwargs) -> Result<Value, Error> {
    let args = Args::new("b64_text", positional, kwargs);
    let data = args.text(Some(0), "value")?.unwrap_or_default();
    let limit = match args.value(Some(1), "limit")? {
        Some(value) => Some(
            i64::try_from(value.clone())
                .ok()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| invalid(format!("`limit` must be a whole number, got {value}")))?,
        ),
        None => None,
    };
    let more = args.text(Some(2), "more")?;
    args.finish(3)?;
    Ok(match (b64_text(&data), limit) {
        (None, _) => Value::from(()),
        (Some(text), Some(limit)) => {
            Value::from(super::text_clip::clip(&text, limit, more.as_deref()))
        }
        (Some(text), None) => Value::from(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_becomes_padded_standard_base64() {
        assert_eq!(b64_standard("-_8", None, "x").unwrap(), "+/8=");
        assert_eq!(b64_standard("aGk", Some(2), "x").unwrap(), "aGk=");
    }

    #[test]
    fn more_bytes_than_the_limit_is_a_clear_error() {
        let err = b64_standard("aGVsbG8", Some(4), "attachment").unwrap_err();
        let text = err.detail().unwrap();
        assert!(text.starts_with("the attachment is 5 bytes"), "{text}");
        assert!(text.contains("GWS_MAX_ATTACHMENT_BYTES"), "{text}");
    }

    #[test]
    fn text_data_reads_as_text_and_binary_data_as_nothing() {
        assert_eq!(
            b64_text("bmFtZSxzdGFnZQpBY21lLHdvbgo").as_deref(),
            Some("name,stage\nAcme,won\n")
        );
        assert_eq!(b64_text("R3LDvMOfZQo").as_deref(), Some("Grüße\n"));
        assert_eq!(b64_text("AAECAw"), None);
        assert_eq!(b64_text("_-8"), None);
    }

    #[test]
    fn refuse_if_errors_only_when_the_condition_holds() {
        let message = Value::from("`label_id` is needed");
        assert!(refuse_if_function(&Value::from(false), &message).is_ok());
        let err = refuse_if_function(&Value::from(true), &message).unwrap_err();
        assert_eq!(err.detail(), Some("`label_id` is needed"));
    }
}
