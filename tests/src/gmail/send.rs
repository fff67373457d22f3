//! `users.messages.send` (and the storing behind `drafts.create`): a raw RFC 822 message
//! becomes a new message of the mailbox.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::codec;
use super::mailbox::Mailbox;
use super::mime::parse_message;
use super::model::{Message, snippet_of};
use super::send_as::may_send_as;
use crate::error::ApiError;
use crate::fixtures;
use crate::seed::USER_EMAIL;
use crate::time::rfc5322;

/// Reads the JSON body `{"raw": base64url, "threadId"?}` into raw bytes and a thread id.
pub(crate) fn read_json_body(body: Option<&Value>) -> Result<(Vec<u8>, Option<String>), ApiError> {
    let body = body
        .filter(|b| b.is_object())
        .ok_or_else(ApiError::parse_error)?;
    let Some(raw) = body["raw"].as_str().filter(|raw| !raw.is_empty()) else {
        let message =
            "'raw' RFC822 payload message string or uploading message via /upload/* URL required";
        return Err(ApiError::google(400, "invalidArgument", message).with_status());
    };

    let bytes = codec::from_base64url(raw).ok_or_else(|| {
        let message = "Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed";
        ApiError::google(400, "badRequest", message).with_status()
    })?;
    let thread_id = body["threadId"]
        .as_str()
        .filter(|t| !t.is_empty())
        .map(str::to_string);

    Ok((bytes, thread_id))
}

/// Stores the message and answers `{"id","threadId","labelIds":["SENT"]}`.
pub(crate) fn send(
    mailbox: &mut Mailbox,
    raw: Vec<u8>,
    thread_id: Option<String>,
    now: DateTime<Utc>,
) -> Result<Value, ApiError> {
    store(mailbox, raw, thread_id, now, "SENT")
}

/// Stores a message labelled `label` (`SENT` or `DRAFT`; only a sent one needs a recipient)
/// and answers `{"id","threadId","labelIds"}`.
///
/// As Gmail does, a `From` address that is not one of the user's send-as addresses is
/// replaced by the user's own.
pub(crate) fn store(
    mailbox: &mut Mailbox,
    raw: Vec<u8>,
    thread_id: Option<String>,
    now: DateTime<Utc>,
    label: &str,
) -> Result<Value, ApiError> {
    let id = mailbox.next_id(now);
    let parsed = parse_message(&raw, &id).ok_or_else(|| {
        ApiError::google(400, "badRequest", "Invalid RFC822 message: no header block").with_status()
    })?;
    let has_recipient = ["To", "Cc", "Bcc"].iter().any(|name| {
        parsed
            .headers
            .iter()
            .any(|(key, value)| key.eq_ignore_ascii_case(name) && !value.trim().is_empty())
    });
    if !has_recipient && label == "SENT" {
        return Err(
            ApiError::google(400, "invalidArgument", "Recipient address required").with_status(),
        );
    }
    let from_allowed = parsed
        .header("From")
        .is_none_or(|from| may_send_as(mailbox, address_of(from)));
    let (raw, parsed) = if from_allowed {
        (raw, parsed)
    } else {
        let raw = without_header(&raw, "From");
        let parsed = parse_message(&raw, &id).unwrap_or(parsed);
        (raw, parsed)
    };

    let thread_id = match thread_id {
        Some(thread_id) if mailbox.has_thread(&thread_id) => thread_id,
        Some(_) => return Err(ApiError::fixture(fixtures::GMAIL_NOT_FOUND)),
        None => id.clone(),
    };

    // Gmail stamps what the client left out; the stamps go into the stored bytes too,
    // so `format=raw` and the parsed headers agree.
    let raw = with_missing_headers(raw, &parsed.headers, &id, now);
    let payload = parse_message(&raw, &id).unwrap_or(parsed);
    let mut message = Message {
        id: id.clone(),
        thread_id: thread_id.clone(),
        label_ids: vec![label.to_string()],
        snippet: String::new(),
        history_id: mailbox.next_history_id(),
        internal_date: now.timestamp_millis(),
        size_estimate: raw.len() as u64,
        payload,
        raw,
    };
    message.snippet = snippet_of(&message.body_text());
    mailbox.add(message);

    Ok(json!({"id": id, "threadId": thread_id, "labelIds": [label]}))
}

/// The address inside a `From` value: between angle brackets, else the whole value.
fn address_of(from: &str) -> &str {
    match (from.rfind('<'), from.rfind('>')) {
        (Some(open), Some(close)) if open < close => from[open + 1..close].trim(),
        _ => from.trim(),
    }
}

/// The raw message without any field of that name (continuation lines included).
fn without_header(raw: &[u8], name: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = match text.find("\r\n\r\n") {
        Some(at) => (&text[..at], &text[at..]),
        None => (&text[..], ""),
    };
    let mut kept = Vec::new();
    let mut dropping = false;
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if !dropping {
                kept.push(line);
            }
            continue;
        }
        dropping = line
            .split_once(':')
            .is_some_and(|(field, _)| field.trim().eq_ignore_ascii_case(name));
        if !dropping {
            kept.push(line);
        }
    }
    format!("{}{body}", kept.join("\r\n")).into_bytes()
}

fn with_missing_headers(
    raw: Vec<u8>,
    headers: &[(String, String)],
    id: &str,
    now: DateTime<Utc>,
) -> Vec<u8> {
    let has = |name: &str| {
        headers
            .iter()
            .any(|(key, _)| key.eq_ignore_ascii_case(name))
    };
    let mut added = String::new();
    if !has("From") {
        added.push_str(&format!("From: {USER_EMAIL}\r\n"));
    }
    if !has("Date") {
        added.push_str(&format!("Date: {}\r\n", rfc5322(now.fixed_offset())));
    }
    if !has("Message-ID") {
        added.push_str(&format!("Message-ID: <{id}.sandbox@mail.gmail.com>\r\n"));
    }

    let mut out = added.into_bytes();
    out.extend(raw);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailbox() -> (Mailbox, DateTime<Utc>) {
        let now = DateTime::parse_from_rfc3339("2026-05-12T10:00:00Z")
            .unwrap()
            .to_utc();
        (Mailbox::seeded(now), now)
    }

    #[test]
    fn raw_without_padding_or_with_it_is_accepted() {
        let padded = json!({"raw": codec::base64url(b"To: a@example.com\r\n\r\nhi!")});
        let unpadded = json!({"raw": "VG86IGFAZXhhbXBsZS5jb20NCg0KaGkh"});

        assert!(read_json_body(Some(&padded)).is_ok());
        assert_eq!(
            read_json_body(Some(&unpadded)).unwrap().0,
            b"To: a@example.com\r\n\r\nhi!"
        );
    }

    #[test]
    fn raw_that_is_not_base64url_is_a_bad_request() {
        let err = read_json_body(Some(&json!({"raw": "not base64 at all!"}))).unwrap_err();

        assert_eq!(err.code, 400);
        assert_eq!(err.body["error"]["errors"][0]["reason"], "badRequest");
    }

    #[test]
    fn a_message_without_recipients_is_refused() {
        let (mut mailbox, now) = mailbox();
        let err = send(&mut mailbox, b"Subject: hi\r\n\r\nbody".to_vec(), None, now).unwrap_err();

        assert_eq!(err.code, 400);
    }

    #[test]
    fn a_sent_message_is_stored_with_its_decoded_subject_and_stamped_headers() {
        let (mut mailbox, now) = mailbox();
        let raw =
            b"To: bob@example.com\r\nSubject: =?UTF-8?B?UmVsYXTDs3Jpbw==?=\r\n\r\nOl\xc3\xa1\r\n";

        let reply = send(&mut mailbox, raw.to_vec(), None, now).unwrap();
        let stored = mailbox.get(reply["id"].as_str().unwrap()).unwrap();

        assert_eq!(reply["threadId"], reply["id"]);
        assert_eq!(stored.header("Subject"), Some("Relatório"));
        assert_eq!(stored.header("From"), Some(USER_EMAIL));
        assert!(stored.header("Message-ID").is_some());
        assert_eq!(stored.snippet, "Olá");
    }

    #[test]
    fn a_from_address_that_is_not_a_send_as_address_is_replaced_by_the_users_own() {
        let (mut mailbox, now) = mailbox();
        let alias = b"From: Support <support@example.com>\r\nTo: a@example.com\r\n\r\nx".to_vec();
        let forged = b"From: CEO <ceo@example.com>\r\nTo: a@example.com\r\n\r\nx".to_vec();

        let kept = send(&mut mailbox, alias, None, now).unwrap();
        let replaced = send(&mut mailbox, forged, None, now).unwrap();

        let header = |reply: &Value| {
            let message = mailbox.get(reply["id"].as_str().unwrap()).unwrap();
            message.header("From").unwrap().to_string()
        };
        assert_eq!(header(&kept), "Support <support@example.com>");
        assert_eq!(header(&replaced), USER_EMAIL);
    }

    #[test]
    fn a_reply_joins_a_known_thread_and_an_unknown_thread_is_not_found() {
        let (mut mailbox, now) = mailbox();
        let raw = b"To: dave@example.com\r\nSubject: Re: Budget\r\n\r\nok".to_vec();

        let reply = send(
            &mut mailbox,
            raw.clone(),
            Some("18f0000000000b00".into()),
            now,
        )
        .unwrap();
        assert_eq!(reply["threadId"], "18f0000000000b00");

        let err = send(&mut mailbox, raw, Some("ffff000000000000".into()), now).unwrap_err();
        assert_eq!(err.code, 404);
    }
}
