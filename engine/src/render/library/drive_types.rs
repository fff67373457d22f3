//! Drive item kinds as query clauses: the short names models use, mapped to MIME types.

use minijinja::{Error, Value};

use super::args::{invalid, present};

/// The MIME type condition for a kind of Drive item, if the kind is known.
pub fn type_condition(kind: &str) -> Option<&'static str> {
    Some(match kind.trim().to_ascii_lowercase().as_str() {
        "folder" => "mimeType = 'application/vnd.google-apps.folder'",
        "document" | "doc" => "mimeType = 'application/vnd.google-apps.document'",
        "spreadsheet" | "sheet" => "mimeType = 'application/vnd.google-apps.spreadsheet'",
        "presentation" | "slides" => "mimeType = 'application/vnd.google-apps.presentation'",
        "form" => "mimeType = 'application/vnd.google-apps.form'",
        "pdf" => "mimeType = 'application/pdf'",
        "image" => "mimeType contains 'image/'",
        "shortcut" => "mimeType = 'application/vnd.google-apps.shortcut'",
        _ => return None,
    })
}

/// Template filter `drive_type_clause`: ` and <condition>` for a kind, nothing for none.
/// `'root' in parents{{ file_type | drive_type_clause }}`
pub(crate) fn drive_type_clause_filter(kind: Value) -> Result<Value, Error> {
    if !present(&kind) {
        return Ok(Value::from(""));
    }
    let text = kind
        .as_str()
        .ok_or_else(|| invalid("`file_type` must be text"))?;
    let condition = type_condition(text).ok_or_else(|| {
        invalid(format!(
            "`file_type` `{text}` is not a known kind; use folder, document, spreadsheet, \
             presentation, form, pdf, image or shortcut"
        ))
    })?;
    Ok(Value::from(format!(" and {condition}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_kinds_become_conditions_and_none_adds_nothing() {
        assert_eq!(
            drive_type_clause_filter(Value::from("pdf"))
                .unwrap()
                .to_string(),
            " and mimeType = 'application/pdf'"
        );
        assert_eq!(
            drive_type_clause_filter(Value::from(()))
                .unwrap()
                .to_string(),
            ""
        );
    }

    #[test]
    fn an_unknown_kind_names_the_argument() {
        let error = drive_type_clause_filter(Value::from("video")).unwrap_err();
        assert!(error.to_string().contains("`file_type`"));
    }
}
