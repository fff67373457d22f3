//! Reading a Gmail `users.messages.get` message: headers, readable body and attachments.

use minijinja::value::{Serde, ValueKind};
use minijinja::{Error, Value};
use serde::Serialize;
use serde_json::Value as Json;

use super::args::{invalid, text_of};
use super::html_entities::decode_entities;
use super::mail_body::{MAX_DEPTH, Source, disposition, mime_type, part_header, readable_body};

/// The headers a reader needs, each the first value of its field; absent fields are omitted.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct MailHeaders {
    /// `From`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// `To`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `Cc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cc: Option<String>,
    /// `Reply-To`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// `Subject`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// `Date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `Message-ID` (the RFC id a reply's `In-Reply-To` needs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// `References`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub references: Option<String>,
    /// `In-Reply-To`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
}

/// One attachment or inline part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    /// The id for `users.messages.attachments.get`; it changes on every fetch of the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment_id: Option<String>,
    /// The file name, possibly empty.
    pub filename: String,
    /// The part's MIME type.
    pub mime_type: String,
    /// The decoded size in bytes.
    pub size: u64,
    /// Whether the part is shown inside the message (an inline image) rather than attached.
    pub inline: bool,
    /// The part's position in the tree (`0.1`, …).
    pub part_id: String,
}

/// A message made readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailContent {
    /// The Gmail API message id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The Gmail API thread id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
    /// The message's labels.
    pub label_ids: Vec<String>,
    /// Gmail's short preview, with character references decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// The main header fields.
    pub headers: MailHeaders,
    /// The readable body text (empty when the message has none).
    pub body: String,
    /// `text/plain`, `text/html` (converted to text), or `none`.
    pub body_source: &'static str,
    /// Attachments and inline parts, in tree order.
    pub attachments: Vec<Attachment>,
}

/// Reads a `format=full` message: headers, body (see `mail_body::readable_body`), attachments.
pub fn mail_content(message: &Json) -> MailContent {
    let payload = &message["payload"];
    let body = readable_body(payload, 0);
    let mut attachments = Vec::new();
    collect_attachments(payload, "", 0, &mut attachments);
    let string = |key: &str| message[key].as_str().map(str::to_string);
    MailContent {
        id: string("id"),
        thread_id: string("threadId"),
        label_ids: message["labelIds"]
            .as_array()
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| id.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        snippet: message["snippet"].as_str().map(decode_entities),
        headers: mail_headers(message),
        body_source: match &body {
            None => "none",
            Some(b) if b.source == Source::Plain => "text/plain",
            Some(_) => "text/html",
        },
        body: body.map(|b| b.text).unwrap_or_default(),
        attachments,
    }
}

/// The main header fields of a message (any format but `raw`) or of a bare payload.
pub fn mail_headers(message_or_payload: &Json) -> MailHeaders {
    let get = |name: &str| mail_header(message_or_payload, name).map(str::to_string);
    MailHeaders {
        from: get("From"),
        to: get("To"),
        cc: get("Cc"),
        reply_to: get("Reply-To"),
        subject: get("Subject"),
        date: get("Date"),
        message_id: get("Message-ID"),
        references: get("References"),
        in_reply_to: get("In-Reply-To"),
    }
}

/// The first value of header `name` (case-insensitive) of a message or a payload.
pub fn mail_header<'a>(message_or_payload: &'a Json, name: &str) -> Option<&'a str> {
    let payload = match &message_or_payload["payload"] {
        Json::Object(_) => &message_or_payload["payload"],
        _ => message_or_payload,
    };
    part_header(payload, name)
}

/// Adds the attachments of `part` and its descendants, in tree order.
fn collect_attachments(part: &Json, parent_mime: &str, depth: usize, out: &mut Vec<Attachment>) {
    if depth > MAX_DEPTH {
        return;
    }
    let filename = part["filename"].as_str().unwrap_or_default();
    let attachment_id = part["body"]["attachmentId"].as_str();
    if !filename.is_empty() || attachment_id.is_some() {
        let inline = match disposition(part).as_deref() {
            Some("inline") => true,
            Some("attachment") => false,
            _ => part_header(part, "Content-ID").is_some() && parent_mime == "multipart/related",
        };
        out.push(Attachment {
            attachment_id: attachment_id.map(str::to_string),
            filename: filename.to_string(),
            mime_type: part["mimeType"].as_str().unwrap_or_default().to_string(),
            size: part["body"]["size"].as_u64().unwrap_or_default(),
            inline,
            part_id: part["partId"].as_str().unwrap_or_default().to_string(),
        });
    }
    let mime = mime_type(part);
    for child in part["parts"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        collect_attachments(child, &mime, depth + 1, out);
    }
}

/// The JSON form of a template value that must be a message object, or an error naming it.
fn message_json(value: &Value, name: &str) -> Result<Json, Error> {
    match value.kind() {
        ValueKind::Map => serde_json::to_value(value)
            .map_err(|err| invalid(format!("`{name}` cannot be read as JSON: {err}"))),
        ValueKind::Undefined | ValueKind::None => Err(invalid(format!("`{name}` is missing"))),
        kind => Err(invalid(format!(
            "`{name}` must be a Gmail message object (users.messages.get), got a {kind}"
        ))),
    }
}

/// Template function and filter `mail_content(message)`.
pub(crate) fn mail_content_function(message: &Value) -> Result<Value, Error> {
    let json = message_json(message, "message")?;
    Ok(Value::from(Serde(mail_content(&json))))
}

/// Template function and filter `mail_headers(message)`.
pub(crate) fn mail_headers_function(message: &Value) -> Result<Value, Error> {
    let json = message_json(message, "message")?;
    Ok(Value::from(Serde(mail_headers(&json))))
}

/// Template filter and function `mail_header(message_or_payload, name)`: the value or none.
pub(crate) fn mail_header_function(message: &Value, name: &Value) -> Result<Value, Error> {
    let json = message_json(message, "message")?;
    let name = text_of(name, "name")?;
    Ok(mail_header(&json, &name).map_or(Value::from(()), Value::from))
}

#[cfg(test)]
mod tests;
