//! `users.settings.sendAs.list`: the addresses the user may send from, with signatures.

use serde_json::{Value, json};

use super::mailbox::Mailbox;
use crate::seed::USER_EMAIL;

/// The primary address and one verified alias, each with its own signature.
pub(crate) fn seeded() -> Vec<Value> {
    vec![
        json!({"sendAsEmail": USER_EMAIL, "displayName": "Example User", "replyToAddress": "",
               "signature": "<div dir=\"ltr\">Example User<br>Example Co. | +49 30 1234567</div>",
               "isPrimary": true, "isDefault": true}),
        json!({"sendAsEmail": "support@example.com", "displayName": "Example Support",
               "replyToAddress": "", "signature": "<div>The Example Support team</div>",
               "isDefault": false, "treatAsAlias": true, "verificationStatus": "accepted"}),
    ]
}

/// `users.settings.sendAs.list`.
pub(crate) fn list(mailbox: &Mailbox) -> Value {
    json!({"sendAs": mailbox.send_as()})
}

/// Whether `address` is a verified send-as address of the user.
pub(crate) fn may_send_as(mailbox: &Mailbox, address: &str) -> bool {
    mailbox.send_as().iter().any(|entry| {
        entry["sendAsEmail"]
            .as_str()
            .is_some_and(|a| a.eq_ignore_ascii_case(address))
            && entry["verificationStatus"]
                .as_str()
                .is_none_or(|s| s == "accepted")
    })
}
