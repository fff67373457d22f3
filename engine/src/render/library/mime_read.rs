//! Reading a Gmail `users.messages.get` message: headers, readable body and attachments.
//!
//! Every reader takes a message in any format: `full` and `metadata` as Gmail sends them, and
//! `raw`, whose RFC 822 text is first read into the same part tree (see `mime_parse`).

use std::borrow::Cow;

use minijinja::value::{Kwargs, Serde, ValueKind};
use minijinja::{Error, Value};
use serde::Serialize;
use serde_json::Value as Json;

use super::args::{Args, invalid, text_of};
use super::base64url;
use super::charset::{charset_param, decode_text};
use super::html_entities::decode_entities;
use super::mail_body::{
    MAX_DEPTH, Source, disposition, is_attachment, mime_type, part_header, readable_body,
};
use super::mime_parse::parse_message;
use super::text_clip::clip;

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

/// Which body a reader wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// The readable text: plain text, or HTML converted to text.
    Text,
    /// The HTML source of the first HTML part, else the readable text.
    Html,
    /// The whole RFC 822 message as text (needs a `format=raw` message).
    Raw,
}

impl BodyFormat {
    /// Reads `text`, `html` or `raw`; `None` for anything else.
    pub fn parse(name: &str) -> Option<BodyFormat> {
        match name {
            "text" | "plain" => Some(BodyFormat::Text),
            "html" => Some(BodyFormat::Html),
            "raw" => Some(BodyFormat::Raw),
            _ => None,
        }
    }
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
    /// `text/plain`, `text/html` (converted to text, or the source when HTML was asked
    /// for), `raw` (the whole message), or `none`.
    pub body_source: &'static str,
    /// The body's length in characters before any cut.
    pub body_length: usize,
    /// Whether the body was cut short.
    pub truncated: bool,
    /// Attachments and inline parts, in tree order.
    pub attachments: Vec<Attachment>,
    /// Why the message could not be fetched, for a failed item of a fan-out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Reads a message's readable text body, headers and attachments (see `mail_content_as`).
pub fn mail_content(message: &Json) -> MailContent {
    mail_content_as(message, BodyFormat::Text)
}

/// Reads a message of any format: headers, the body `format` asks for (see
/// `mail_body::readable_body` for how the readable text is chosen), and attachments.
///
/// A failed fan-out item (`{"error": ..., "item": <id or {id, threadId}>}`) reads as a
/// message with the item's id and an `error` that says why it is missing.
pub fn mail_content_as(message: &Json, format: BodyFormat) -> MailContent {
    let string = |key: &str| message[key].as_str().map(str::to_string);
    if let (Some(error), None) = (message["error"].as_str(), message.get("id")) {
        let item = &message["item"];
        return MailContent {
            id: item.as_str().or(item["id"].as_str()).map(str::to_string),
            thread_id: item["threadId"].as_str().map(str::to_string),
            label_ids: Vec::new(),
            snippet: None,
            headers: MailHeaders::default(),
            body: String::new(),
            body_source: "none",
            body_length: 0,
            truncated: false,
            attachments: Vec::new(),
            error: Some(error.to_string()),
        };
    }
    let view = with_payload(message);
    let payload = &view["payload"];
    let (body, body_source) = match format {
        BodyFormat::Raw if message["raw"].is_string() => {
            let raw = message["raw"].as_str().unwrap_or_default();
            let bytes = base64url::decode(raw).unwrap_or_default();
            (Some(String::from_utf8_lossy(&bytes).into_owned()), "raw")
        }
        BodyFormat::Html if html_source(payload, 0).is_some() => {
            (html_source(payload, 0), "text/html")
        }
        _ => {
            let body = readable_body(payload, 0);
            let source = match &body {
                None => "none",
                Some(b) if b.source == Source::Plain => "text/plain",
                Some(_) => "text/html",
            };
            (body.map(|b| b.text), source)
        }
    };
    let body = body.unwrap_or_default();
    let mut attachments = Vec::new();
    collect_attachments(payload, "", 0, &mut attachments);
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
        headers: mail_headers(&view),
        body_source,
        body_length: body.chars().count(),
        truncated: false,
        body,
        attachments,
        error: None,
    }
}

/// The message with a `payload` read from its `raw` text when it has no payload of its own.
pub fn with_payload(message: &Json) -> Cow<'_, Json> {
    if message["payload"].is_object() {
        return Cow::Borrowed(message);
    }
    let parsed = message["raw"]
        .as_str()
        .and_then(|raw| base64url::decode(raw).ok())
        .and_then(|bytes| parse_message(&bytes));
    match parsed {
        Some(payload) => {
            let mut owned = message.clone();
            owned["payload"] = payload;
            Cow::Owned(owned)
        }
        None => Cow::Borrowed(message),
    }
}

/// The decoded source of the first `text/html` part that is not an attachment.
fn html_source(part: &Json, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH || is_attachment(part) {
        return None;
    }
    if mime_type(part) == "text/html" {
        let bytes = base64url::decode(part["body"]["data"].as_str()?).ok()?;
        let content_type = part_header(part, "Content-Type").unwrap_or("text/html");
        return Some(decode_text(&bytes, charset_param(content_type).as_deref()));
    }
    part["parts"]
        .as_array()?
        .iter()
        .find_map(|child| html_source(child, depth + 1))
}

/// Whether a message has a file attached (inline images do not count).
///
/// A `format=metadata` message has no parts to look at, only the root type: there a
/// `multipart/mixed` root, which is how mail carries attachments, counts as having one.
pub fn has_attachment(message: &Json) -> bool {
    let view = with_payload(message);
    let payload = &view["payload"];
    let body = &payload["body"];
    if payload["parts"].is_null() && body["data"].is_null() && body["attachmentId"].is_null() {
        return mime_type(payload) == "multipart/mixed";
    }
    let mut attachments = Vec::new();
    collect_attachments(payload, "", 0, &mut attachments);
    attachments.iter().any(|a| !a.inline)
}

/// The attachment with id `attachment_id`, else the only one of `size` bytes.
///
/// Gmail hands out a new attachment id on every fetch of a message, so an id taken from an
/// earlier fetch may match nothing; the size (from `attachments.get`) then identifies it.
pub fn find_attachment(
    message: &Json,
    attachment_id: &str,
    size: Option<u64>,
) -> Option<Attachment> {
    let view = with_payload(message);
    let mut attachments = Vec::new();
    collect_attachments(&view["payload"], "", 0, &mut attachments);
    if let Some(found) = attachments
        .iter()
        .find(|a| a.attachment_id.as_deref() == Some(attachment_id))
    {
        return Some(found.clone());
    }
    let mut sized = attachments.into_iter().filter(|a| Some(a.size) == size);
    match (sized.next(), sized.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// The main header fields of a message (any format) or of a bare payload.
pub fn mail_headers(message_or_payload: &Json) -> MailHeaders {
    let view = with_payload(message_or_payload);
    let get = |name: &str| mail_header(&view, name).map(str::to_string);
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

/// Template function and filter `mail_content(message, body_format="text", limit=none,
/// more=none)`: the body is cut at `limit` characters, with `more` in the marker.
pub(crate) fn mail_content_function(positional: &[Value], kwargs: Kwargs) -> Result<Value, Error> {
    let args = Args::new("mail_content", positional, kwargs);
    let message = args
        .value(Some(0), "message")?
        .ok_or_else(|| invalid("`message` is missing"))?;
    let format = match args.text(Some(1), "body_format")?.as_deref() {
        None => BodyFormat::Text,
        Some(name) => BodyFormat::parse(name).ok_or_else(|| {
            invalid(format!(
                "`body_format` must be text, html or raw, got {name:?}"
            ))
        })?,
    };
    let limit = args
        .value(Some(2), "limit")?
        .map(|v| limit_of(&v))
        .transpose()?;
    let more = args.text(Some(3), "more")?;
    args.finish(4)?;

    let json = message_json(&message, "message")?;
    let mut content = mail_content_as(&json, format);
    if let Some(limit) = limit {
        let cut = clip(&content.body, limit, more.as_deref());
        content.truncated = cut != content.body;
        content.body = cut;
    }
    Ok(Value::from(Serde(content)))
}

/// A character limit: a non-negative whole number.
fn limit_of(value: &Value) -> Result<usize, Error> {
    i64::try_from(value.clone())
        .ok()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| invalid(format!("`limit` must be a whole number, got {value}")))
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
    let view = with_payload(&json);
    Ok(mail_header(&view, &name).map_or(Value::from(()), Value::from))
}

/// The header fields in the order mail clients show them, one `Name: value` line each.
const HEADER_LINES: [(&str, &str); 9] = [
    ("from", "From"),
    ("to", "To"),
    ("cc", "Cc"),
    ("reply_to", "Reply-To"),
    ("date", "Date"),
    ("subject", "Subject"),
    ("message_id", "Message-ID"),
    ("in_reply_to", "In-Reply-To"),
    ("references", "References"),
];

/// `From: ...`, `To: ...` lines for the fields of a `mail_headers` object that are present.
pub fn header_lines(headers: &Json) -> String {
    HEADER_LINES
        .iter()
        .filter_map(|(key, name)| headers[*key].as_str().map(|v| format!("{name}: {v}")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Template filter `mail_header_lines`: a `mail_headers` object as header lines.
pub(crate) fn mail_header_lines_filter(headers: &Value) -> Result<Value, Error> {
    if headers.is_none() || headers.is_undefined() {
        return Ok(Value::from(""));
    }
    let json = message_json(headers, "headers")?;
    Ok(Value::from(header_lines(&json)))
}

/// Template filter `mail_has_attachment`: whether a message has a file attached.
pub(crate) fn mail_has_attachment_function(message: &Value) -> Result<Value, Error> {
    let json = message_json(message, "message")?;
    Ok(Value::from(has_attachment(&json)))
}

/// Template function `mail_attachment(message, attachment_id, size=none)`: the attachment's
/// `{attachment_id, filename, mime_type, size, inline, part_id}`, or none.
pub(crate) fn mail_attachment_function(
    positional: &[Value],
    kwargs: Kwargs,
) -> Result<Value, Error> {
    let args = Args::new("mail_attachment", positional, kwargs);
    let message = args
        .value(Some(0), "message")?
        .ok_or_else(|| invalid("`message` is missing"))?;
    let id = args.text(Some(1), "attachment_id")?.unwrap_or_default();
    let size = args
        .value(Some(2), "size")?
        .and_then(|v| i64::try_from(v).ok())
        .and_then(|n| u64::try_from(n).ok());
    args.finish(3)?;
    let json = message_json(&message, "message")?;
    Ok(find_attachment(&json, &id, size).map_or(Value::from(()), |a| Value::from(Serde(a))))
}

#[cfg(test)]
mod tests;
