use serde_json::json;

use super::*;

/// Dave's reply in the case 9 thread, as `format=metadata` gives it.
fn daves_reply() -> Json {
    json!({"id": "18f0000000000b02", "threadId": "18f0000000000b00", "labelIds": ["INBOX"],
           "payload": {"headers": [
        {"name": "Subject", "value": "Re: Budget"},
        {"name": "From", "value": "Dave <dave@example.com>"},
        {"name": "Message-Id", "value": "<CAB2xyz@mail.example.com>"},
        {"name": "References", "value": "<CAB0root@mail.example.com> <CAB1abc@mail.example.com>"}]}})
}

#[test]
fn a_reply_to_a_gmail_id_takes_the_parents_message_id_references_thread_and_subject() {
    let parent = daves_reply();
    let fields = reply_fields(
        Some("Budget"),
        Some("18f0000000000b02"),
        None,
        None,
        answered(Some(&parent), None),
        None,
    );
    assert_eq!(
        fields,
        ReplyFields {
            subject: Some("Re: Budget".into()),
            in_reply_to: Some("<CAB2xyz@mail.example.com>".into()),
            references: Some("<CAB0root@mail.example.com> <CAB1abc@mail.example.com>".into()),
            thread_id: Some("18f0000000000b00".into()),
        }
    );
}

#[test]
fn a_thread_id_alone_answers_the_last_message_that_is_not_a_draft() {
    let draft = json!({"id": "d", "labelIds": ["DRAFT"], "payload": {"headers": [
        {"name": "Message-ID", "value": "<draft@example.com>"}]}});
    let thread = json!({"id": "18f0000000000b00", "messages": [daves_reply(), draft]});
    let fields = reply_fields(
        None,
        None,
        None,
        Some("18f0000000000b00"),
        answered(None, Some(&thread)),
        None,
    );
    assert_eq!(
        fields.in_reply_to.as_deref(),
        Some("<CAB2xyz@mail.example.com>")
    );
    assert_eq!(fields.subject.as_deref(), Some("Re: Budget"));
    assert_eq!(fields.thread_id.as_deref(), Some("18f0000000000b00"));
}

#[test]
fn an_rfc_id_is_kept_its_thread_found_by_search_and_a_new_message_is_left_alone() {
    let found = json!({"messages": [{"id": "18f0000000000b02", "threadId": "18f0000000000b00"}]});
    let fields = reply_fields(
        Some("Re: Budget"),
        Some("CAB2xyz@mail.example.com"),
        None,
        None,
        None,
        Some(&found),
    );
    assert_eq!(
        fields.in_reply_to.as_deref(),
        Some("CAB2xyz@mail.example.com")
    );
    assert_eq!(fields.subject.as_deref(), Some("Re: Budget"));
    assert_eq!(fields.references, None);
    assert_eq!(fields.thread_id.as_deref(), Some("18f0000000000b00"));

    let fields = reply_fields(Some("Hello"), None, None, None, None, None);
    assert_eq!(
        fields,
        ReplyFields {
            subject: Some("Hello".into()),
            ..ReplyFields::default()
        }
    );
}

fn send_as() -> Json {
    json!({"sendAs": [
        {"sendAsEmail": "user@example.com", "displayName": "Example User", "isPrimary": true,
         "isDefault": true, "signature": "<div>Example User<br>Example Co.</div>"},
        {"sendAsEmail": "support@example.com", "displayName": "Example Support",
         "signature": ""}]})
}

#[test]
fn the_sender_fills_in_the_name_or_address_from_the_send_as_list() {
    let list = send_as();
    let alias = sender(Some(&list), Some("Support@example.com"), None).unwrap();
    assert_eq!(alias.from_name.as_deref(), Some("Example Support"));
    assert_eq!(alias.signature, None);

    let named = sender(Some(&list), None, Some("Team Lead")).unwrap();
    assert_eq!(named.from_email.as_deref(), Some("user@example.com"));
    assert_eq!(
        named.signature.as_deref(),
        Some("<div>Example User<br>Example Co.</div>")
    );

    let plain = sender(Some(&list), None, None).unwrap();
    assert_eq!((plain.from_email, plain.from_name), (None, None));
}

#[test]
fn an_address_that_is_not_a_send_as_address_is_refused() {
    let err = sender(Some(&send_as()), Some("ceo@example.com"), None).unwrap_err();
    let text = err.detail().unwrap();
    assert!(
        text.starts_with("`from_email` ceo@example.com is not a send-as address"),
        "{text}"
    );
    assert!(text.contains("support@example.com"), "{text}");
}

#[test]
fn quotes_forwards_and_signatures_read_as_mail_clients_write_them() {
    let message = json!({"payload": {"mimeType": "text/plain", "headers": [
        {"name": "From", "value": "Dave <dave@example.com>"},
        {"name": "Date", "value": "Mon, 4 May 2026 14:05:00 +0100"},
        {"name": "Subject", "value": "Budget"}],
        "body": {"data": super::super::base64url::encode(b"Looks good.\n\nDave\n")}}});

    assert_eq!(
        quote_block(&message, false),
        "\n\nOn Mon, 4 May 2026 14:05:00 +0100, Dave <dave@example.com> wrote:\n> Looks good.\n>\n> Dave"
    );
    assert!(quote_block(&message, true).contains("Dave &lt;dave@example.com&gt; wrote:"));
    let forwarded = forward_block(&message, false);
    assert!(forwarded.starts_with("\n\n---------- Forwarded message ---------\nFrom: Dave"));
    assert!(
        forwarded.ends_with("Subject: Budget\n\nLooks good.\n\nDave"),
        "{forwarded}"
    );
    assert_eq!(
        signature_block("<div>Example User<br>Example Co.</div>", false),
        "\n\n-- \nExample User\nExample Co."
    );
    assert_eq!(subject_forward("Budget"), "Fwd: Budget");
    assert_eq!(subject_forward("FW: Budget"), "FW: Budget");
}

#[test]
fn a_line_break_hidden_in_the_originals_subject_never_reaches_the_reply_headers() {
    let parent = json!({"id": "m", "threadId": "t", "payload": {"headers": [
        {"name": "Subject", "value": "Budget\r\nBcc: attacker@example.net"},
        {"name": "Message-ID", "value": "<a@example.com>\n"}]}});
    let fields = reply_fields(
        None,
        Some("m"),
        None,
        None,
        answered(Some(&parent), None),
        None,
    );
    assert_eq!(
        fields.subject.as_deref(),
        Some("Re: Budget  Bcc: attacker@example.net")
    );
    assert_eq!(fields.in_reply_to.as_deref(), Some("<a@example.com>"));
}
