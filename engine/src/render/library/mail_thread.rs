//! A summary of a Gmail thread: who takes part, who wrote last, and whether the user owes an
//! answer.

use minijinja::value::{Serde, ValueKind};
use minijinja::{Error, Value};
use serde::Serialize;
use serde_json::Value as Json;

use super::args::invalid;
use super::mail_address::parse_list;
use super::mime_read::mail_headers;

/// One participant: an address and how many messages of the thread it sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    /// The sender as the `From` field shows it.
    pub from: String,
    /// Messages sent.
    pub messages: usize,
}

/// What the thread looks like as a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThreadSummary {
    /// Messages in the thread, drafts left out.
    pub message_count: usize,
    /// Messages the user sent (labelled `SENT`).
    pub from_me: usize,
    /// Unread messages.
    pub unread: usize,
    /// Senders in order of first appearance.
    pub participants: Vec<Participant>,
    /// Who wrote the first message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    /// Who wrote the last message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_from: Option<String>,
    /// Whether the last message is the user's own.
    pub last_from_me: bool,
    /// Whether the last message came from someone else, so an answer may be owed.
    pub awaiting_my_reply: bool,
}

/// Summarises a `threads.get` reply (any format with headers).
pub fn thread_summary(thread: &Json) -> ThreadSummary {
    let has = |m: &Json, label: &str| {
        m["labelIds"]
            .as_array()
            .is_some_and(|labels| labels.iter().any(|l| l == label))
    };
    let messages: Vec<&Json> = thread["messages"]
        .as_array()
        .map(|all| all.iter().filter(|m| !has(m, "DRAFT")).collect())
        .unwrap_or_default();
    let mut participants: Vec<Participant> = Vec::new();
    let senders: Vec<String> = messages
        .iter()
        .map(|m| mail_headers(m).from.unwrap_or_default())
        .collect();
    for from in senders.iter().filter(|f| !f.is_empty()) {
        let key = address_of(from);
        match participants.iter_mut().find(|p| address_of(&p.from) == key) {
            Some(known) => known.messages += 1,
            None => participants.push(Participant {
                from: from.clone(),
                messages: 1,
            }),
        }
    }
    let last_from_me = messages.last().is_some_and(|m| has(m, "SENT"));
    ThreadSummary {
        message_count: messages.len(),
        from_me: messages.iter().filter(|m| has(m, "SENT")).count(),
        unread: messages.iter().filter(|m| has(m, "UNREAD")).count(),
        participants,
        started_by: senders.first().filter(|f| !f.is_empty()).cloned(),
        last_from: senders.last().filter(|f| !f.is_empty()).cloned(),
        last_from_me,
        awaiting_my_reply: !messages.is_empty() && !last_from_me,
    }
}

/// The lowercased address of a `From` value, or the value itself when it does not parse.
fn address_of(from: &str) -> String {
    parse_list("from", from)
        .ok()
        .and_then(|list| list.into_iter().next())
        .map_or_else(
            || from.to_ascii_lowercase(),
            |m| m.address.to_ascii_lowercase(),
        )
}

/// Template filter and function `thread_summary(thread)`.
pub(crate) fn thread_summary_function(thread: &Value) -> Result<Value, Error> {
    if thread.kind() != ValueKind::Map {
        return Err(invalid(format!(
            "`thread` must be a Gmail thread object (users.threads.get), got a {}",
            thread.kind()
        )));
    }
    let json: Json = serde_json::to_value(thread)
        .map_err(|e| invalid(format!("`thread` cannot be read as JSON: {e}")))?;
    Ok(Value::from(Serde(thread_summary(&json))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(from: &str, labels: &[&str]) -> Json {
        json!({"labelIds": labels, "payload": {"headers": [{"name": "From", "value": from}]}})
    }

    #[test]
    fn a_thread_ending_with_someone_else_awaits_my_reply() {
        let thread = json!({"id": "t", "messages": [
            message("Erin Vogel <erin@example.com>", &["INBOX"]),
            message("Me <user@example.com>", &["SENT"]),
            message("Dave <dave@example.com>", &["INBOX", "UNREAD"]),
            message("Me <user@example.com>", &["DRAFT"]),
        ]});

        let summary = thread_summary(&thread);

        assert_eq!(summary.message_count, 3);
        assert_eq!(summary.from_me, 1);
        assert_eq!(summary.unread, 1);
        assert_eq!(summary.participants.len(), 3);
        assert_eq!(
            summary.started_by.as_deref(),
            Some("Erin Vogel <erin@example.com>")
        );
        assert_eq!(
            summary.last_from.as_deref(),
            Some("Dave <dave@example.com>")
        );
        assert!(!summary.last_from_me && summary.awaiting_my_reply);
    }

    #[test]
    fn repeated_senders_are_counted_once_by_address() {
        let thread = json!({"messages": [
            message("Dave <dave@example.com>", &["INBOX"]),
            message("\"Dave D.\" <DAVE@example.com>", &["INBOX"]),
            message("Me <user@example.com>", &["SENT"]),
        ]});

        let summary = thread_summary(&thread);

        assert_eq!(summary.participants[0].messages, 2);
        assert!(summary.last_from_me && !summary.awaiting_my_reply);
    }
}
