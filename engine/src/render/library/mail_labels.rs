//! Gmail labels named the way people name them: a label may be given by id (`Label_12`,
//! `INBOX`) or by its name (`Receipts`), and is sent as its id.

use minijinja::value::{Kwargs, ValueKind};
use minijinja::{Error, Value};
use serde_json::Value as Json;

use super::args::{Args, invalid, text_of};

/// The ids for `wanted` labels, each an id or a name (case-insensitive) from `labels` (a
/// `users.labels.list` reply). Without a list the values pass through as ids.
pub fn label_ids(
    wanted: &[String],
    labels: Option<&Json>,
    field: &str,
) -> Result<Vec<String>, Error> {
    let Some(known) = labels.and_then(|l| l["labels"].as_array()) else {
        return Ok(wanted.to_vec());
    };
    let text = |label: &Json, key: &str| label[key].as_str().unwrap_or_default().to_string();
    wanted
        .iter()
        .map(|value| {
            let value = value.trim();
            known
                .iter()
                .find(|l| text(l, "id") == value)
                .or_else(|| {
                    known
                        .iter()
                        .find(|l| text(l, "name").eq_ignore_ascii_case(value))
                })
                .map(|l| text(l, "id"))
                .ok_or_else(|| {
                    let names: Vec<String> = known
                        .iter()
                        .map(|l| match (text(l, "id"), text(l, "name")) {
                            (id, name) if id == name => id,
                            (id, name) => format!("{name} ({id})"),
                        })
                        .collect();
                    invalid(format!(
                        "`{field}` names no label `{value}`; the labels are: {}",
                        names.join(", ")
                    ))
                })
        })
        .collect()
}

/// Template function `label_ids(values, labels, field="label_ids")`: the ids, or none when
/// `values` is absent or empty.
pub(crate) fn label_ids_function(positional: &[Value], kwargs: Kwargs) -> Result<Value, Error> {
    let args = Args::new("label_ids", positional, kwargs);
    let field = args
        .text(Some(2), "field")?
        .unwrap_or_else(|| "label_ids".into());
    let values = args.value(Some(0), "values")?;
    let labels = match args.value(Some(1), "labels")? {
        Some(value) if value.kind() == ValueKind::Map => Some(
            serde_json::to_value(&value)
                .map_err(|e| invalid(format!("`labels` cannot be read as JSON: {e}")))?,
        ),
        _ => None,
    };
    args.finish(3)?;

    let Some(values) = values else {
        return Ok(Value::from(()));
    };
    let wanted: Vec<String> = match values.kind() {
        ValueKind::Seq | ValueKind::Iterable => values
            .try_iter()?
            .map(|v| text_of(&v, &field))
            .collect::<Result<_, _>>()?,
        _ => vec![text_of(&values, &field)?],
    };
    if wanted.is_empty() {
        return Ok(Value::from(()));
    }
    Ok(Value::from(label_ids(&wanted, labels.as_ref(), &field)?))
}

/// Template filter `flatten`: a list of lists (or of single values) as one list; `none` and
/// undefined entries are dropped.
pub(crate) fn flatten_filter(value: &Value) -> Result<Value, Error> {
    let mut out = Vec::new();
    for item in value.try_iter()? {
        match item.kind() {
            ValueKind::Seq | ValueKind::Iterable => out.extend(item.try_iter()?),
            ValueKind::None | ValueKind::Undefined => {}
            _ => out.push(item),
        }
    }
    Ok(Value::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels() -> Json {
        json!({"labels": [{"id": "INBOX", "name": "INBOX"}, {"id": "Label_1", "name": "Receipts"},
                          {"id": "Label_2", "name": "Projects/Q3"}]})
    }

    #[test]
    fn ids_pass_and_names_become_ids() {
        let wanted = vec!["receipts".to_string(), "INBOX".into(), "Label_2".into()];
        let ids = label_ids(&wanted, Some(&labels()), "add_label_ids").unwrap();
        assert_eq!(ids, ["Label_1", "INBOX", "Label_2"]);
    }

    #[test]
    fn an_unknown_label_is_refused_listing_the_labels() {
        let err = label_ids(&["Taxes".into()], Some(&labels()), "add_label_ids").unwrap_err();
        assert_eq!(
            err.detail(),
            Some(
                "`add_label_ids` names no label `Taxes`; the labels are: INBOX, Receipts (Label_1), Projects/Q3 (Label_2)"
            )
        );
    }

    #[test]
    fn flatten_joins_nested_lists() {
        let value = Value::from(minijinja::value::Serde(json!([[1, 2], null, [3], 4])));
        let flat = flatten_filter(&value).unwrap();
        assert_eq!(flat.to_string(), "[1, 2, 3, 4]");
    }
}
