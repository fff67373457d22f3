//! Composing an outgoing RFC 5322 message for Gmail's `raw` field, and reply subjects.
//!
//! Header rules: every field that ends up in a header is checked for CR and LF first, and any
//! line break is an error naming the field (no message is built). Non-ASCII text is written as
//! UTF-8 encoded-words, folded (see `mime_header`). `Date` and `Message-ID` are left out: Gmail
//! adds both when it sends or saves the message.
//!
//! Structure: the text (`text/plain`, or `multipart/alternative` with a text part made from the
//! HTML) goes inside `multipart/related` when there are inline images, and that inside
//! `multipart/mixed` when files are attached.

use minijinja::value::{Kwargs, ValueKind};
use minijinja::{Error, Value};
use serde_json::Value as Json;

use super::args::{Args, invalid, text_of};
use super::html_text::html_to_text;
use super::mail_address::{Mailbox, parse_list, write_mailboxes};
use super::mail_reply::{forward_block, quote_block, signature_block, subject_forward};
use super::mime_header::HeaderWriter;
use super::mime_parts::{FileSpec, file_part, files_from_value, forwarded_files, multipart};
use super::quoted_printable;

/// What goes into a message; `None` fields are left out.
#[derive(Debug, Default, Clone)]
pub struct MessageSpec {
    /// `To` recipients (an address list).
    pub to: Option<String>,
    /// `Cc` recipients (an address list).
    pub cc: Option<String>,
    /// `Bcc` recipients (an address list); Gmail removes the field on delivery.
    pub bcc: Option<String>,
    /// The subject; left out when absent or blank.
    pub subject: Option<String>,
    /// The body text, or HTML when `html` is set.
    pub body: String,
    /// Whether `body` is HTML.
    pub html: bool,
    /// The sender's display name; needs `from_email`.
    pub from_name: Option<String>,
    /// The sender's address; without it Gmail uses the account's address.
    pub from_email: Option<String>,
    /// The Message-ID(s) replied to, with or without angle brackets.
    pub in_reply_to: Option<String>,
    /// Earlier Message-IDs of the thread, separated by spaces or commas.
    pub references: Option<String>,
    /// Files to attach; those with a Content-ID are inline images of an HTML body.
    pub attachments: Vec<FileSpec>,
    /// An HTML signature added after the body.
    pub signature: Option<String>,
    /// A message quoted after the body (and signature), as replies do.
    pub quote: Option<Json>,
    /// A message forwarded after the body: its headers and text, and its subject with `Fwd: `
    /// when no subject is given.
    pub forward: Option<Json>,
    /// Whether the forwarded message's files are attached too (they need its `raw` form).
    pub forward_attachments: bool,
}

/// Builds the message as text with CRLF line ends.
///
/// - A plain body is `text/plain; charset=UTF-8`: sent `7bit` when it is ASCII with lines of at
///   most 998 characters, else quoted-printable. Line ends become CRLF.
/// - An HTML body is `multipart/alternative`: a text part made from the HTML with
///   `html_to_text`, then the HTML part, both quoted-printable.
/// - `in_reply_to` and `references` values get angle brackets when they lack them, and the
///   `References` field ends with the `In-Reply-To` id(s) when not already there, as RFC 5322
///   §3.6.4 asks, so passing the parent's `References` and `Message-ID` is enough. A value
///   without `@` is rejected: it is likely a Gmail API message id, which cannot thread a reply.
pub fn compose(spec: &MessageSpec) -> Result<String, Error> {
    reject_line_breaks(spec)?;
    let mut head = String::new();
    if let Some(from) = from_mailbox(spec)? {
        let mut writer = HeaderWriter::new("From");
        write_mailboxes(&mut writer, &[from]);
        head.push_str(&writer.finish());
    }
    for (name, field, value) in [
        ("To", "to", &spec.to),
        ("Cc", "cc", &spec.cc),
        ("Bcc", "bcc", &spec.bcc),
    ] {
        if let Some(text) = value.as_deref().filter(|t| !t.trim().is_empty()) {
            let mut writer = HeaderWriter::new(name);
            write_mailboxes(&mut writer, &parse_list(field, text)?);
            head.push_str(&writer.finish());
        }
    }
    let forwarded_subject = spec
        .forward
        .as_ref()
        .and_then(|m| super::mime_read::mail_headers(m).subject)
        .map(|s| subject_forward(&s));
    let subject = spec
        .subject
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or(forwarded_subject.map(|s| s.replace(['\r', '\n'], " ")));
    if let Some(subject) = subject.as_deref() {
        let mut writer = HeaderWriter::new("Subject");
        writer.text(subject);
        head.push_str(&writer.finish());
    }
    let in_reply_to = message_ids("in_reply_to", spec.in_reply_to.as_deref())?;
    let mut references = message_ids("references", spec.references.as_deref())?;
    for id in &in_reply_to {
        if !references.contains(id) {
            references.push(id.clone());
        }
    }
    for (name, ids) in [("In-Reply-To", &in_reply_to), ("References", &references)] {
        if !ids.is_empty() {
            let mut writer = HeaderWriter::new(name);
            ids.iter().for_each(|id| writer.token(id));
            head.push_str(&writer.finish());
        }
    }
    head.push_str("MIME-Version: 1.0\r\n");
    Ok(head + &body_entity(spec))
}

/// The message body: text with its signature, quote and forwarded message, then the files.
fn body_entity(spec: &MessageSpec) -> String {
    let mut body = spec.body.clone();
    if let Some(signature) = spec.signature.as_deref().filter(|s| !s.trim().is_empty()) {
        body.push_str(&signature_block(signature, spec.html));
    }
    if let Some(quoted) = &spec.quote {
        body.push_str(&quote_block(quoted, spec.html));
    }
    if let Some(forwarded) = &spec.forward {
        body.push_str(&forward_block(forwarded, spec.html));
    }
    let body = crlf(&body);

    let mut files = spec.attachments.clone();
    if spec.forward_attachments
        && let Some(forwarded) = &spec.forward
    {
        files.extend(forwarded_files(forwarded));
    }
    let (inline, attached): (Vec<&FileSpec>, Vec<&FileSpec>) = files
        .iter()
        .partition(|f| spec.html && f.content_id.is_some());
    let seed = files.iter().fold(fnv1a(body.as_bytes()), |hash, file| {
        hash ^ fnv1a(&file.content).rotate_left(7) ^ fnv1a(file.filename.as_bytes())
    });
    let in_multipart = !files.is_empty();

    let mut entity = if spec.html {
        alternative(&body)
    } else {
        text_part("plain", &body, in_multipart)
    };
    if !inline.is_empty() {
        let mut parts = vec![entity];
        parts.extend(inline.iter().map(|f| file_part(f)));
        entity = multipart("related", seed, &parts);
    }
    if !attached.is_empty() {
        let mut parts = vec![entity];
        parts.extend(attached.iter().map(|f| {
            let mut file = (*f).clone();
            file.content_id = None;
            file_part(&file)
        }));
        entity = multipart("mixed", seed, &parts);
    }
    entity
}

/// Errors on a CR or LF in any field that ends up in a header, checked before anything else.
fn reject_line_breaks(spec: &MessageSpec) -> Result<(), Error> {
    let fields = [
        ("to", &spec.to),
        ("cc", &spec.cc),
        ("bcc", &spec.bcc),
        ("subject", &spec.subject),
        ("from_name", &spec.from_name),
        ("from_email", &spec.from_email),
        ("in_reply_to", &spec.in_reply_to),
        ("references", &spec.references),
    ];
    for (name, value) in fields {
        if value.as_deref().is_some_and(|v| v.contains(['\r', '\n'])) {
            return Err(invalid(format!(
                "`{name}` contains a line break (CR or LF); header fields must be one line"
            )));
        }
    }
    Ok(())
}

/// The `From` mailbox, if a sender address was given.
fn from_mailbox(spec: &MessageSpec) -> Result<Option<Mailbox>, Error> {
    let name = spec
        .from_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let Some(email) = spec
        .from_email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    else {
        if name.is_some() {
            return Err(invalid(
                "`from_name` needs `from_email`; give both, or neither to send as the account",
            ));
        }
        return Ok(None);
    };
    let mut list = parse_list("from_email", email)?;
    if list.len() > 1 {
        return Err(invalid("`from_email` must be one address"));
    }
    let mut mailbox = list.remove(0);
    if let Some(name) = name {
        mailbox.name = Some(name.to_string());
    }
    Ok(Some(mailbox))
}

/// Reads space- or comma-separated Message-IDs, each returned in angle brackets.
fn message_ids(field: &str, text: Option<&str>) -> Result<Vec<String>, Error> {
    let mut ids = Vec::new();
    for raw in text
        .unwrap_or_default()
        .split([' ', '\t', ','])
        .filter(|s| !s.is_empty())
    {
        let bare = raw.strip_prefix('<').unwrap_or(raw);
        let bare = bare.strip_suffix('>').unwrap_or(bare);
        if !bare.contains('@') {
            return Err(invalid(format!(
                "`{field}` value `{raw}` is not an RFC 5322 Message-ID (`<local@domain>`); a \
                 Gmail API message id cannot thread a reply: use the Message-ID header of the \
                 message"
            )));
        }
        if bare.contains(['<', '>'])
            || !bare.is_ascii()
            || bare.chars().any(|c| c.is_ascii_control())
        {
            return Err(invalid(format!(
                "`{field}` value `{raw}` is not a valid Message-ID: it must be ASCII, without \
                 angle brackets or control characters inside"
            )));
        }
        let (left, right) = bare.split_once('@').unwrap_or_default();
        if left.is_empty() || right.is_empty() {
            return Err(invalid(format!(
                "`{field}` value `{raw}` is not a valid Message-ID: text is needed on both sides \
                 of `@`"
            )));
        }
        ids.push(format!("<{bare}>"));
    }
    Ok(ids)
}

/// Rewrites every line end (CRLF, LF or a lone CR) as CRLF.
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n")
}

/// A `text/<subtype>` part: its headers, a blank line and the encoded body.
fn text_part(subtype: &str, body: &str, force_qp: bool) -> String {
    let plain = !force_qp
        && body.split("\r\n").all(|line| {
            line.len() <= 998 && line.bytes().all(|b| b == b'\t' || (32..127).contains(&b))
        });
    let (encoding, encoded) = if plain {
        ("7bit", body.to_string())
    } else {
        ("quoted-printable", quoted_printable::encode(body))
    };
    format!(
        "Content-Type: text/{subtype}; charset=UTF-8\r\nContent-Transfer-Encoding: {encoding}\
         \r\n\r\n{encoded}"
    )
}

/// A `multipart/alternative` body: a text part made from the HTML, then the HTML.
///
/// The boundary starts with `=_`, which quoted-printable text never contains, so it cannot
/// collide with the parts; the rest is a hash of the HTML, so the output is deterministic.
fn alternative(html: &str) -> String {
    let boundary = format!("=_alt_{:016x}", fnv1a(html.as_bytes()));
    let text = crlf(&html_to_text(html));
    format!(
        "Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n\
         --{boundary}\r\n{}\r\n--{boundary}\r\n{}\r\n--{boundary}--\r\n",
        text_part("plain", &text, true),
        text_part("html", html, true),
    )
}

/// The 64-bit FNV-1a hash of `bytes`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The subject for a reply: `Re: ` added unless the subject already starts with a reply
/// prefix (`Re:`, `RE:`, `re:`, `Re[2]:`, with or without a space after the colon).
pub fn subject_reply(subject: &str) -> String {
    let subject = subject.trim();
    let lower = subject.to_ascii_lowercase();
    let replied = lower.strip_prefix("re").is_some_and(|rest| {
        let rest = match rest.strip_prefix('[') {
            Some(counted) => counted
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .strip_prefix(']'),
            None => Some(rest),
        };
        rest.is_some_and(|r| r.trim_start().starts_with(':'))
    });
    if replied {
        subject.to_string()
    } else if subject.is_empty() {
        "Re:".to_string()
    } else {
        format!("Re: {subject}")
    }
}

/// Template function `mime_message(to=, subject=, body=, body_format=, cc=, bcc=, from_name=,
/// from_email=, in_reply_to=, references=, attachments=, signature=, quote=, forward=,
/// forward_attachments=false)`: keyword arguments only.
pub(crate) fn mime_message_function(positional: &[Value], kwargs: Kwargs) -> Result<Value, Error> {
    let args = Args::new("mime_message", positional, kwargs);
    let spec = MessageSpec {
        to: list_or_text(&args, "to")?,
        cc: list_or_text(&args, "cc")?,
        bcc: list_or_text(&args, "bcc")?,
        subject: args.text(None, "subject")?,
        body: args.text(None, "body")?.unwrap_or_default(),
        html: html_format(&args)?,
        from_name: args.text(None, "from_name")?,
        from_email: args.text(None, "from_email")?,
        in_reply_to: args.text(None, "in_reply_to")?,
        references: list_or_text(&args, "references")?,
        attachments: files_from_value(&args.value(None, "attachments")?.unwrap_or_default())?,
        signature: args.text(None, "signature")?,
        quote: message_value(&args, "quote")?,
        forward: message_value(&args, "forward")?,
        forward_attachments: args.flag(None, "forward_attachments", false)?,
    };
    args.finish(0)?;
    compose(&spec).map(Value::from)
}

/// Template function `mime_check(to=, subject=, cc=, bcc=, from_name=, from_email=,
/// in_reply_to=, references=, attachments=)`: checks what the caller gave before any request
/// is made (line breaks, addresses, Message-IDs, files) and renders nothing. An `in_reply_to`
/// without `@` is a Gmail API id, which the tool resolves, so it is only checked for breaks.
pub(crate) fn mime_check_function(positional: &[Value], kwargs: Kwargs) -> Result<Value, Error> {
    let args = Args::new("mime_check", positional, kwargs);
    let spec = MessageSpec {
        to: list_or_text(&args, "to")?,
        cc: list_or_text(&args, "cc")?,
        bcc: list_or_text(&args, "bcc")?,
        subject: args.text(None, "subject")?,
        from_name: args.text(None, "from_name")?,
        from_email: args.text(None, "from_email")?,
        in_reply_to: args.text(None, "in_reply_to")?,
        references: list_or_text(&args, "references")?,
        ..MessageSpec::default()
    };
    let attachments = args.value(None, "attachments")?.unwrap_or_default();
    args.finish(0)?;

    reject_line_breaks(&spec)?;
    for (field, value) in [("to", &spec.to), ("cc", &spec.cc), ("bcc", &spec.bcc)] {
        if let Some(text) = value.as_deref().filter(|t| !t.trim().is_empty()) {
            parse_list(field, text)?;
        }
    }
    if let Some(email) = spec.from_email.as_deref().filter(|e| !e.trim().is_empty()) {
        parse_list("from_email", email)?;
    }
    if let Some(id) = spec.in_reply_to.as_deref().filter(|id| id.contains('@')) {
        message_ids("in_reply_to", Some(id))?;
    }
    message_ids("references", spec.references.as_deref())?;
    files_from_value(&attachments)?;
    Ok(Value::from(()))
}

/// `body_format`: `plain` (the default) or `html`.
fn html_format(args: &Args<'_>) -> Result<bool, Error> {
    match args.text(None, "body_format")?.as_deref() {
        None | Some("plain") | Some("text") => Ok(false),
        Some("html") => Ok(true),
        Some(other) => Err(invalid(format!(
            "`body_format` must be \"plain\" or \"html\", got {other:?}"
        ))),
    }
}

/// A message object argument; absent, none or not an object (a skipped step) reads as none.
fn message_value(args: &Args<'_>, name: &str) -> Result<Option<Json>, Error> {
    match args.value(None, name)? {
        Some(value) if value.kind() == ValueKind::Map => serde_json::to_value(&value)
            .map(Some)
            .map_err(|e| invalid(format!("`{name}` cannot be read as JSON: {e}"))),
        _ => Ok(None),
    }
}

/// A string argument that may also be given as a list of strings (joined with `, `).
fn list_or_text(args: &Args<'_>, name: &str) -> Result<Option<String>, Error> {
    let Some(value) = args.value(None, name)? else {
        return Ok(None);
    };
    match value.kind() {
        ValueKind::Seq | ValueKind::Iterable => {
            let texts = value
                .try_iter()?
                .map(|item| text_of(&item, name))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Some(texts.join(", ")))
        }
        _ => text_of(&value, name).map(Some),
    }
}

/// Template filter `subject_reply`.
pub(crate) fn subject_reply_filter(value: &Value) -> Result<Value, Error> {
    let subject = text_of(value, "subject")?;
    Ok(Value::from(subject_reply(&subject)))
}

#[cfg(test)]
mod tests;
