//! `users.messages.modify` and `users.messages.batchModify`: labels on and off messages.

use serde_json::{Value, json};

use super::labels::FIXED;
use super::mailbox::Mailbox;
use crate::error::ApiError;
use crate::fixtures;

/// The most ids one batchModify takes.
const MAX_BATCH: usize = 1000;

/// `users.messages.modify`: answers the message with its new labels.
pub(crate) fn modify(
    mailbox: &mut Mailbox,
    id: &str,
    body: Option<&Value>,
) -> Result<Value, ApiError> {
    let body = body
        .filter(|b| b.is_object())
        .ok_or_else(ApiError::parse_error)?;
    let (add, remove) = label_changes(mailbox, body)?;
    if mailbox.get(id).is_none() {
        return Err(ApiError::fixture(fixtures::GMAIL_NOT_FOUND));
    }
    apply(mailbox, id, &add, &remove);
    let message = mailbox.get(id).expect("checked above");
    Ok(json!({"id": message.id, "threadId": message.thread_id, "labelIds": message.label_ids}))
}

/// `users.messages.batchModify`: every id must exist, or nothing changes.
pub(crate) fn batch_modify(mailbox: &mut Mailbox, body: Option<&Value>) -> Result<(), ApiError> {
    let body = body
        .filter(|b| b.is_object())
        .ok_or_else(ApiError::parse_error)?;
    let ids: Vec<&str> = body["ids"]
        .as_array()
        .map(|ids| ids.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if ids.is_empty() {
        return Err(
            ApiError::google(400, "invalidArgument", "ids must be specified").with_status(),
        );
    }
    if ids.len() > MAX_BATCH {
        let message = format!("Too many ids: at most {MAX_BATCH} per request");
        return Err(ApiError::google(400, "invalidArgument", &message).with_status());
    }
    let (add, remove) = label_changes(mailbox, body)?;
    if ids.iter().any(|id| mailbox.get(id).is_none()) {
        return Err(ApiError::fixture(fixtures::GMAIL_NOT_FOUND));
    }
    for id in ids {
        apply(mailbox, id, &add, &remove);
    }
    Ok(())
}

/// The `addLabelIds` and `removeLabelIds` of a body, each checked to be a label a client may
/// set; at least one change is needed.
fn label_changes(mailbox: &Mailbox, body: &Value) -> Result<(Vec<String>, Vec<String>), ApiError> {
    let read = |key: &str| -> Vec<String> {
        body[key]
            .as_array()
            .map(|ids| {
                ids.iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (add, remove) = (read("addLabelIds"), read("removeLabelIds"));
    if add.is_empty() && remove.is_empty() {
        let message = "No label add or removes specified";
        return Err(ApiError::google(400, "invalidArgument", message).with_status());
    }
    for id in add.iter().chain(&remove) {
        let known = mailbox.labels().iter().any(|l| &l.id == id);
        if !known || FIXED.contains(&id.as_str()) {
            let message = format!("Invalid label: {id}");
            return Err(ApiError::google(400, "invalidArgument", &message).with_status());
        }
    }
    Ok((add, remove))
}

fn apply(mailbox: &mut Mailbox, id: &str, add: &[String], remove: &[String]) {
    if let Some(message) = mailbox.get_mut(id) {
        message.label_ids.retain(|l| !remove.contains(l));
        for label in add {
            if !message.label_ids.contains(label) {
                message.label_ids.push(label.clone());
            }
        }
    }
}
