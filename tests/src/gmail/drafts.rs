//! `users.drafts.create`: a raw message saved as a draft, in a thread when asked.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::mailbox::Mailbox;
use super::send;
use crate::error::ApiError;

/// Reads `{"message": {"raw", "threadId"?}}`, stores a DRAFT message and answers
/// `{"id", "message": {"id", "threadId", "labelIds"}}`.
pub(crate) fn create(
    mailbox: &mut Mailbox,
    body: Option<&Value>,
    now: DateTime<Utc>,
) -> Result<Value, ApiError> {
    let message = body
        .filter(|b| b.is_object())
        .map(|b| &b["message"])
        .filter(|m| m.is_object())
        .ok_or_else(|| {
            let message = "Missing draft message";
            ApiError::google(400, "invalidArgument", message).with_status()
        })?;
    let (raw, thread_id) = send::read_json_body(Some(message))?;
    let stored = send::store(mailbox, raw, thread_id, now, "DRAFT")?;
    let id = mailbox.add_draft(stored["id"].as_str().unwrap_or_default());
    Ok(json!({"id": id, "message": stored}))
}
