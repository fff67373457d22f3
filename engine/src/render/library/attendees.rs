//! Calendar attendee lists: what a full list given by a caller becomes when an event already
//! has attendees. Google's PATCH replaces the array whole, so the attendees kept must be sent
//! back as they were (response status, organizer, optional), or their answers are wiped.

use minijinja::{Error, Value, value::ValueKind};

use super::args::invalid;

/// The attendee objects for `emails`: the existing object for an address already invited
/// (matched without regard to case), a new `{"email": ...}` for the others. Order follows
/// `emails`; addresses left out are removed.
pub fn merge_attendees(
    existing: &[serde_json::Value],
    emails: &[String],
) -> Vec<serde_json::Value> {
    emails
        .iter()
        .map(|email| {
            existing
                .iter()
                .find(|a| {
                    a["email"]
                        .as_str()
                        .is_some_and(|e| e.eq_ignore_ascii_case(email))
                })
                .cloned()
                .unwrap_or_else(|| serde_json::json!({"email": email}))
        })
        .collect()
}

/// Template function `merge_attendees(existing, emails)`; `existing` may be none.
pub(crate) fn merge_attendees_function(existing: Value, emails: Value) -> Result<Value, Error> {
    let existing: Vec<serde_json::Value> = match existing.kind() {
        ValueKind::Undefined | ValueKind::None => Vec::new(),
        _ => serde_json::to_value(&existing)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .ok_or_else(|| invalid("`existing` attendees must be a list"))?,
    };
    let emails: Vec<String> = serde_json::to_value(&emails)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(|| invalid("`attendees` must be a list of email addresses"))?;
    Ok(Value::from(minijinja::value::Serde(merge_attendees(
        &existing, &emails,
    ))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kept_attendees_keep_their_answers_and_new_ones_are_added() {
        let existing = vec![
            json!({"email": "owner@example.com", "organizer": true, "responseStatus": "accepted"}),
            json!({"email": "frank@example.com", "optional": true, "responseStatus": "declined"}),
        ];
        let emails = vec![
            "owner@example.com".to_owned(),
            "Frank@example.com".to_owned(),
            "room-4b@resource.calendar.google.com".to_owned(),
        ];

        let merged = merge_attendees(&existing, &emails);

        assert_eq!(merged[0], existing[0]);
        assert_eq!(merged[1], existing[1]);
        assert_eq!(
            merged[2],
            json!({"email": "room-4b@resource.calendar.google.com"})
        );
    }

    #[test]
    fn an_address_left_out_is_removed() {
        let existing = vec![
            json!({"email": "a@example.com"}),
            json!({"email": "b@example.com"}),
        ];
        assert_eq!(
            merge_attendees(&existing, &["b@example.com".to_owned()]),
            vec![json!({"email": "b@example.com"})]
        );
    }
}
