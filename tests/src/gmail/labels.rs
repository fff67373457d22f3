//! The mailbox's labels: Gmail's system labels and the user's own, with `users.labels.*`.

use serde_json::{Map, Value, json};

use super::mailbox::Mailbox;
use crate::error::ApiError;
use crate::fixtures;

/// System label ids; their names equal their ids.
const SYSTEM: [&str; 14] = [
    "INBOX",
    "SENT",
    "DRAFT",
    "SPAM",
    "TRASH",
    "UNREAD",
    "STARRED",
    "IMPORTANT",
    "CHAT",
    "CATEGORY_PERSONAL",
    "CATEGORY_SOCIAL",
    "CATEGORY_PROMOTIONS",
    "CATEGORY_UPDATES",
    "CATEGORY_FORUMS",
];

/// System labels a client may not put on or take off a message.
pub(crate) const FIXED: [&str; 3] = ["SENT", "DRAFT", "CHAT"];

/// Seeded user labels as `(id, name)`.
const USER: [(&str, &str); 2] = [("Label_1", "Receipts"), ("Label_2", "Projects/Q3")];

/// One label.
#[derive(Clone, Debug)]
pub(crate) struct Label {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) system: bool,
    pub(crate) message_list_visibility: Option<String>,
    pub(crate) label_list_visibility: Option<String>,
    pub(crate) color: Option<Value>,
}

/// The system labels and the seeded user labels.
pub(crate) fn seeded() -> Vec<Label> {
    let system = SYSTEM.iter().map(|id| Label {
        id: id.to_string(),
        name: id.to_string(),
        system: true,
        message_list_visibility: None,
        label_list_visibility: None,
        color: None,
    });
    let user = USER.iter().map(|(id, name)| Label {
        id: id.to_string(),
        name: name.to_string(),
        system: false,
        message_list_visibility: Some("show".into()),
        label_list_visibility: Some("labelShow".into()),
        color: None,
    });
    system.chain(user).collect()
}

/// Whether a label id carried by a message answers to a name used in a query.
///
/// Names compare case-insensitively, and Gmail's spellings of separators (space, `/`,
/// `-`, `_`) are treated alike, so `label:projects-q3` finds "Projects/Q3".
pub(crate) fn answers_to(labels: &[Label], label_id: &str, name: &str) -> bool {
    let wanted = normalize(name);
    if normalize(label_id) == wanted {
        return true;
    }
    labels
        .iter()
        .any(|label| label.id == label_id && normalize(&label.name) == wanted)
}

fn normalize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if matches!(c, ' ' | '/' | '_') {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

impl Label {
    /// The label as `users.labels.list` shows it.
    pub(crate) fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("id".into(), json!(self.id));
        object.insert("name".into(), json!(self.name));
        if let Some(v) = &self.message_list_visibility {
            object.insert("messageListVisibility".into(), json!(v));
        }
        if let Some(v) = &self.label_list_visibility {
            object.insert("labelListVisibility".into(), json!(v));
        }
        if let Some(color) = &self.color {
            object.insert("color".into(), color.clone());
        }
        object.insert(
            "type".into(),
            json!(if self.system { "system" } else { "user" }),
        );
        Value::Object(object)
    }
}

/// `users.labels.list`.
pub(crate) fn list(mailbox: &Mailbox) -> Value {
    let labels: Vec<Value> = mailbox.labels().iter().map(Label::to_json).collect();
    json!({"labels": labels})
}

/// `users.labels.get`: the label with its message and thread counts.
pub(crate) fn get(mailbox: &Mailbox, id: &str) -> Result<Value, ApiError> {
    let label = find(mailbox, id)?;
    let (messages, unread, threads, threads_unread) = mailbox.label_counts(&label.id);
    let mut reply = label.to_json();
    reply["messagesTotal"] = json!(messages);
    reply["messagesUnread"] = json!(unread);
    reply["threadsTotal"] = json!(threads);
    reply["threadsUnread"] = json!(threads_unread);
    Ok(reply)
}

/// `users.labels.create`: `name` is required and must not clash with any label.
pub(crate) fn create(mailbox: &mut Mailbox, body: Option<&Value>) -> Result<Value, ApiError> {
    let body = body
        .filter(|b| b.is_object())
        .ok_or_else(ApiError::parse_error)?;
    let name = checked_name(mailbox, body, None)?;
    let label = Label {
        id: mailbox.next_label_id(),
        name,
        system: false,
        message_list_visibility: Some(visibility(body, "messageListVisibility", "show")?),
        label_list_visibility: Some(visibility(body, "labelListVisibility", "labelShow")?),
        color: body.get("color").cloned(),
    };
    let reply = label.to_json();
    mailbox.labels_mut().push(label);
    Ok(reply)
}

/// `users.labels.update` (`replace`) and `users.labels.patch`: user labels only.
pub(crate) fn update(
    mailbox: &mut Mailbox,
    id: &str,
    body: Option<&Value>,
    replace: bool,
) -> Result<Value, ApiError> {
    let body = body
        .filter(|b| b.is_object())
        .ok_or_else(ApiError::parse_error)?;
    let label = find(mailbox, id)?;
    if label.system {
        return Err(
            ApiError::google(400, "invalidArgument", "Invalid update request").with_status(),
        );
    }
    let name = if body.get("name").is_some() || replace {
        checked_name(mailbox, body, Some(&label.id))?
    } else {
        label.name.clone()
    };
    let mut updated = label.clone();
    updated.name = name;
    for (key, slot, default) in [
        (
            "messageListVisibility",
            &mut updated.message_list_visibility,
            "show",
        ),
        (
            "labelListVisibility",
            &mut updated.label_list_visibility,
            "labelShow",
        ),
    ] {
        if body.get(key).is_some() {
            *slot = Some(visibility(body, key, default)?);
        } else if replace {
            *slot = None;
        }
    }
    if body.get("color").is_some() || replace {
        updated.color = body.get("color").cloned();
    }
    let reply = updated.to_json();
    if let Some(slot) = mailbox.labels_mut().iter_mut().find(|l| l.id == updated.id) {
        *slot = updated;
    }
    Ok(reply)
}

/// `users.labels.delete`: the label leaves every message too.
pub(crate) fn delete(mailbox: &mut Mailbox, id: &str) -> Result<(), ApiError> {
    let label = find(mailbox, id)?;
    if label.system {
        return Err(
            ApiError::google(400, "invalidArgument", "Invalid delete request").with_status(),
        );
    }
    mailbox.remove_label(&label.id);
    Ok(())
}

fn find(mailbox: &Mailbox, id: &str) -> Result<Label, ApiError> {
    mailbox
        .labels()
        .iter()
        .find(|label| label.id == id)
        .cloned()
        .ok_or_else(|| ApiError::fixture(fixtures::GMAIL_NOT_FOUND))
}

/// The `name` of a create or update body: present, not blank, unused by other labels.
fn checked_name(mailbox: &Mailbox, body: &Value, own_id: Option<&str>) -> Result<String, ApiError> {
    let name = body["name"].as_str().map(str::trim).unwrap_or_default();
    if name.is_empty() {
        return Err(ApiError::google(400, "invalidArgument", "Invalid label name").with_status());
    }
    let taken = mailbox
        .labels()
        .iter()
        .any(|label| Some(label.id.as_str()) != own_id && label.name.eq_ignore_ascii_case(name));
    if taken {
        let message = "Label name exists or conflicts";
        return Err(ApiError::google(409, "alreadyExists", message).with_status());
    }
    Ok(name.to_string())
}

/// A visibility value from the body, or `default` when it is absent.
fn visibility(body: &Value, key: &str, default: &str) -> Result<String, ApiError> {
    let allowed: &[&str] = if key == "messageListVisibility" {
        &["show", "hide"]
    } else {
        &["labelShow", "labelShowIfUnread", "labelHide"]
    };
    match body.get(key).and_then(Value::as_str) {
        None => Ok(default.to_string()),
        Some(value) if allowed.contains(&value) => Ok(value.to_string()),
        Some(value) => {
            let message = format!("Invalid value at 'label.{key}', \"{value}\"");
            Err(ApiError::google(400, "invalid", &message).with_status())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names_match_case_insensitively_and_by_user_label_name() {
        let labels = seeded();
        assert!(answers_to(&labels, "INBOX", "inbox"));
        assert!(answers_to(&labels, "CATEGORY_UPDATES", "category_updates"));
        assert!(answers_to(&labels, "Label_1", "receipts"));
        assert!(answers_to(&labels, "Label_2", "projects-q3"));
        assert!(!answers_to(&labels, "Label_1", "projects/q3"));
    }
}
