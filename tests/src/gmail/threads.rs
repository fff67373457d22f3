//! `users.threads.get`: a thread's messages, oldest first, in the format asked for.

use serde_json::{Value, json};

use super::mailbox::Mailbox;
use super::model::Format;
use crate::error::ApiError;
use crate::fixtures;
use crate::request::Incoming;

/// The enum type Gmail names when `format` has a value threads do not take.
const FORMAT_TYPE: &str = "type.googleapis.com/google.apps.gmail.v1.ThreadFormat";

/// `users.threads.get` with `format` (`full`, `metadata` or `minimal`) and `metadataHeaders`.
pub(crate) fn get(mailbox: &Mailbox, req: &Incoming, id: &str) -> Result<Value, ApiError> {
    let format = match Format::parse(req.param("format")) {
        Some(Format::Raw) | None => {
            let value = req.param("format").unwrap_or_default();
            let message = format!("Invalid value at 'format' ({FORMAT_TYPE}), \"{value}\"");
            return Err(ApiError::google(400, "invalid", &message).with_status());
        }
        Some(format) => format,
    };
    let headers = req.params("metadataHeaders");
    let messages = mailbox.thread(id);
    if messages.is_empty() {
        return Err(ApiError::fixture(fixtures::GMAIL_NOT_FOUND));
    }
    let history_id = messages.iter().map(|m| m.history_id).max().unwrap_or(1);
    let messages: Vec<Value> = messages
        .iter()
        .map(|m| m.to_json(format, &headers))
        .collect();
    Ok(json!({"id": id, "historyId": history_id.to_string(), "messages": messages}))
}
