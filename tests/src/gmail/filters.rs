//! `users.settings.filters`: list, get, create and delete, with Gmail's checks.

use serde_json::{Value, json};

use super::mailbox::Mailbox;
use crate::error::ApiError;
use crate::fixtures;

/// Criteria keys Gmail knows.
const CRITERIA: [&str; 9] = [
    "from",
    "to",
    "subject",
    "query",
    "negatedQuery",
    "hasAttachment",
    "excludeChats",
    "size",
    "sizeComparison",
];

/// Action keys Gmail knows.
const ACTIONS: [&str; 3] = ["addLabelIds", "removeLabelIds", "forward"];

/// One seeded filter: billing mail gets the "Receipts" label.
pub(crate) fn seeded() -> Vec<Value> {
    vec![json!({"id": "ANe1Bmj0000000001",
                "criteria": {"from": "billing@example.com"},
                "action": {"addLabelIds": ["Label_1"]}})]
}

/// `users.settings.filters.list`: `{"filter": [...]}`, or `{}` when there are none.
pub(crate) fn list(mailbox: &Mailbox) -> Value {
    if mailbox.filters().is_empty() {
        return json!({});
    }
    json!({"filter": mailbox.filters()})
}

/// `users.settings.filters.get`.
pub(crate) fn get(mailbox: &Mailbox, id: &str) -> Result<Value, ApiError> {
    mailbox
        .filters()
        .iter()
        .find(|f| f["id"] == id)
        .cloned()
        .ok_or_else(|| ApiError::fixture(fixtures::GMAIL_NOT_FOUND))
}

/// `users.settings.filters.create`: criteria and an action are both needed, label ids must
/// exist, and an identical filter may not exist already.
pub(crate) fn create(mailbox: &mut Mailbox, body: Option<&Value>) -> Result<Value, ApiError> {
    let body = body
        .filter(|b| b.is_object())
        .ok_or_else(ApiError::parse_error)?;
    let criteria = known_fields(&body["criteria"], &CRITERIA, "criteria")?;
    let action = known_fields(&body["action"], &ACTIONS, "action")?;
    if criteria.as_object().is_none_or(|c| c.is_empty()) {
        return Err(bad_request("Filter doesn't have any criteria"));
    }
    if action.as_object().is_none_or(|a| a.is_empty()) {
        return Err(bad_request("Filter doesn't have any actions"));
    }
    for key in ["addLabelIds", "removeLabelIds"] {
        for id in action[key]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let known = mailbox
                .labels()
                .iter()
                .any(|l| Some(l.id.as_str()) == id.as_str());
            if !known {
                return Err(bad_request(&format!(
                    "Invalid label {} in AddLabelIds",
                    id.as_str().unwrap_or_default()
                )));
            }
        }
    }
    let duplicate = mailbox
        .filters()
        .iter()
        .any(|f| f["criteria"] == criteria && f["action"] == action);
    if duplicate {
        return Err(bad_request("Filter already exists"));
    }
    let filter = json!({"id": mailbox.next_filter_id(), "criteria": criteria, "action": action});
    mailbox.filters_mut().push(filter.clone());
    Ok(filter)
}

/// `users.settings.filters.delete`.
pub(crate) fn delete(mailbox: &mut Mailbox, id: &str) -> Result<(), ApiError> {
    let before = mailbox.filters().len();
    mailbox.filters_mut().retain(|f| f["id"] != id);
    if mailbox.filters().len() == before {
        return Err(ApiError::fixture(fixtures::GMAIL_NOT_FOUND));
    }
    Ok(())
}

/// The object at `value` with only known keys and no empty values; an unknown key is the
/// 400 Gmail gives for an unknown JSON field.
fn known_fields(value: &Value, known: &[&str], what: &str) -> Result<Value, ApiError> {
    let Some(object) = value.as_object() else {
        return Ok(json!({}));
    };
    let mut kept = serde_json::Map::new();
    for (key, field) in object {
        if !known.contains(&key.as_str()) {
            let message = format!(
                "Invalid JSON payload received. Unknown name \"{key}\" at 'filter.{what}': Cannot find field."
            );
            return Err(ApiError::google(400, "invalid", &message).with_status());
        }
        let empty = field.is_null()
            || field.as_str() == Some("")
            || field.as_array().is_some_and(Vec::is_empty);
        if !empty {
            kept.insert(key.clone(), field.clone());
        }
    }
    Ok(Value::Object(kept))
}

fn bad_request(message: &str) -> ApiError {
    ApiError::google(400, "failedPrecondition", message).with_status()
}
