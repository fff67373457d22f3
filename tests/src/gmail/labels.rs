//! The mailbox's labels: Gmail's system labels and a few user labels.

use serde_json::{Value, json};

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

/// User labels as `(id, name)`.
pub(crate) const USER: [(&str, &str); 2] = [("Label_1", "Receipts"), ("Label_2", "Projects/Q3")];

/// Whether a label id carried by a message answers to a name used in a query.
///
/// Names compare case-insensitively, and Gmail's spellings of separators (space, `/`,
/// `-`, `_`) are treated alike, so `label:projects-q3` finds "Projects/Q3".
pub(crate) fn answers_to(label_id: &str, name: &str) -> bool {
    let wanted = normalize(name);
    if normalize(label_id) == wanted {
        return true;
    }

    USER.iter()
        .any(|(id, label_name)| *id == label_id && normalize(label_name) == wanted)
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

/// The reply of `users.labels.list`.
pub(crate) fn list_json() -> Value {
    let system = SYSTEM
        .iter()
        .map(|id| json!({"id": id, "name": id, "type": "system"}));
    let user = USER.iter().map(|(id, name)| {
        json!({"id": id, "name": name, "type": "user",
               "messageListVisibility": "show", "labelListVisibility": "labelShow"})
    });

    json!({"labels": system.chain(user).collect::<Vec<_>>()})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names_match_case_insensitively_and_by_user_label_name() {
        assert!(answers_to("INBOX", "inbox"));
        assert!(answers_to("CATEGORY_UPDATES", "category_updates"));
        assert!(answers_to("Label_1", "receipts"));
        assert!(answers_to("Label_2", "projects-q3"));
        assert!(!answers_to("Label_1", "projects/q3"));
    }
}
