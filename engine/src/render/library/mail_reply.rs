//! Replies, forwards and signatures: the header fields a reply needs, taken from the message
//! it answers, and the quoted, forwarded and signature blocks added to a body.

use minijinja::value::{Kwargs, Serde, ValueKind};
use minijinja::{Error, Value};
use serde::Serialize;
use serde_json::Value as Json;

use super::args::{Args, invalid};
use super::mime_compose::subject_reply;
use super::mime_read::{mail_content, mail_headers};

/// What a reply's headers and request need.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct ReplyFields {
    /// The subject: `Re: ` added once when this is a reply.
    pub subject: Option<String>,
    /// The Message-ID answered.
    pub in_reply_to: Option<String>,
    /// The earlier Message-IDs of the conversation (the composer appends `in_reply_to`).
    pub references: Option<String>,
    /// The Gmail thread the message joins.
    pub thread_id: Option<String>,
}

/// The fields of an outgoing message, given what the caller said and what was fetched.
///
/// `parent` is the message named by `in_reply_to` when that was a Gmail API id (fetched as
/// `format=metadata` or `full`); `thread` is the thread named by `thread_id` (`threads.get`),
/// fetched when no `in_reply_to` was given. The message answered is `parent`, else the last
/// message of `thread` that is not a draft. From it come the `In-Reply-To` (its Message-ID),
/// the `References` (its References, unless given), the thread id (unless given) and the
/// subject (unless given). `found` is a `messages.list` reply for `rfc822msgid:<id>`, which
/// gives the thread when only an RFC Message-ID was given. A message with an `in_reply_to` or a `thread_id` is a reply, so its
/// subject gets `Re: ` unless it already starts with a reply prefix.
pub fn reply_fields(
    subject: Option<&str>,
    in_reply_to: Option<&str>,
    references: Option<&str>,
    thread_id: Option<&str>,
    answered: Option<&Json>,
    found: Option<&Json>,
) -> ReplyFields {
    let mut headers = answered.map(mail_headers).unwrap_or_default();
    // Fields taken from someone else's message go into our headers: an encoded line break
    // in them must not become a header of ours, nor a refusal of the caller's own input.
    for field in [
        &mut headers.subject,
        &mut headers.message_id,
        &mut headers.references,
    ] {
        *field = field.take().map(|v| one_line(&v));
    }
    let is_reply = in_reply_to.is_some() || thread_id.is_some();
    let given_rfc_id = in_reply_to.filter(|id| id.contains('@'));
    let in_reply_to = given_rfc_id
        .map(str::to_string)
        .or(headers.message_id.clone())
        .or(in_reply_to.map(str::to_string));
    let references = match references {
        Some(given) => Some(given.to_string()),
        None if given_rfc_id.is_none() => headers.references.clone(),
        None => None,
    };
    let thread_id = thread_id
        .map(str::to_string)
        .or_else(|| answered.and_then(|m| m["threadId"].as_str().map(str::to_string)))
        .or_else(|| found.and_then(|f| f["messages"][0]["threadId"].as_str().map(str::to_string)));
    let subject = match subject.map(str::trim).filter(|s| !s.is_empty()) {
        Some(given) if is_reply => Some(subject_reply(given)),
        Some(given) => Some(given.to_string()),
        None if is_reply => headers.subject.as_deref().map(subject_reply),
        None => None,
    };
    ReplyFields {
        subject,
        in_reply_to,
        references,
        thread_id,
    }
}

/// The message a reply answers: `parent` if given, else the thread's last non-draft message.
pub fn answered<'a>(parent: Option<&'a Json>, thread: Option<&'a Json>) -> Option<&'a Json> {
    parent.filter(|p| p.is_object()).or_else(|| {
        thread?["messages"].as_array()?.iter().rev().find(|m| {
            !m["labelIds"]
                .as_array()
                .is_some_and(|labels| labels.iter().any(|l| l == "DRAFT"))
        })
    })
}

/// The subject for a forward: `Fwd: ` added unless it already starts with `Fwd:` or `Fw:`.
pub fn subject_forward(subject: &str) -> String {
    let subject = subject.trim();
    let lower = subject.to_ascii_lowercase();
    if lower.starts_with("fwd:") || lower.starts_with("fw:") {
        subject.to_string()
    } else {
        format!("Fwd: {subject}").trim_end().to_string()
    }
}

/// The sender chosen from the account's send-as addresses (`settings.sendAs.list`).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Sender {
    /// The `From` address, when one must be written.
    pub from_email: Option<String>,
    /// The `From` display name, when one must be written.
    pub from_name: Option<String>,
    /// The HTML signature of that address, if it has one.
    pub signature: Option<String>,
}

/// Picks the send-as entry for `from_email` (else the default one) and fills in what the
/// caller left out: a name alone gets the default address, an address alone its own name.
///
/// An address that is not one of the account's send-as addresses is an error: Gmail would
/// otherwise quietly send from the account's own address instead.
pub fn sender(
    send_as: Option<&Json>,
    from_email: Option<&str>,
    from_name: Option<&str>,
) -> Result<Sender, Error> {
    let Some(list) = send_as.and_then(|s| s["sendAs"].as_array()) else {
        return Ok(Sender {
            from_email: from_email.map(str::to_string),
            from_name: from_name.map(str::to_string),
            signature: None,
        });
    };
    let address = |entry: &Json| {
        entry["sendAsEmail"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let entry = match from_email {
        Some(wanted) => {
            let bare = wanted.trim();
            let bare = bare
                .rsplit_once('<')
                .map_or(bare, |(_, a)| a.trim_end_matches('>'));
            Some(
                list.iter()
                    .find(|e| address(e).eq_ignore_ascii_case(bare))
                    .ok_or_else(|| {
                        let known: Vec<String> = list.iter().map(address).collect();
                        invalid(format!(
                            "`from_email` {bare} is not a send-as address of this account; use \
                             one of: {}",
                            known.join(", ")
                        ))
                    })?,
            )
        }
        None => list
            .iter()
            .find(|e| e["isDefault"] == true)
            .or_else(|| list.iter().find(|e| e["isPrimary"] == true)),
    };
    let text = |key: &str| {
        entry
            .and_then(|e| e[key].as_str())
            .map(one_line)
            .filter(|t| !t.is_empty())
    };
    Ok(Sender {
        from_email: from_email
            .map(str::to_string)
            .or_else(|| from_name.and(text("sendAsEmail"))),
        from_name: from_name
            .map(str::to_string)
            .or_else(|| from_email.and(text("displayName"))),
        signature: entry
            .and_then(|e| e["signature"].as_str())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string),
    })
}

/// The signature after a body: `-- ` and the signature as text, or the HTML in a div.
pub fn signature_block(signature_html: &str, html: bool) -> String {
    if html {
        format!("<br><br><div class=\"gmail_signature\">{signature_html}</div>")
    } else {
        let text = super::html_text::html_to_text(signature_html);
        format!("\n\n-- \n{}", text.trim())
    }
}

/// The message quoted under a reply: `On <date>, <sender> wrote:` and its text, each line
/// marked with `> `, or an HTML blockquote.
pub fn quote_block(message: &Json, html: bool) -> String {
    let content = mail_content(message);
    let headers = &content.headers;
    let intro = format!(
        "On {}, {} wrote:",
        headers.date.as_deref().unwrap_or("an earlier date"),
        headers.from.as_deref().unwrap_or("the sender")
    );
    let text = content.body.trim_end();
    if html {
        return format!(
            "<br><br><div class=\"gmail_quote\">{}<br><blockquote style=\"margin:0 0 0 .8ex;\
             border-left:1px solid #ccc;padding-left:1ex\">{}</blockquote></div>",
            escape_html(&intro),
            escape_html(text).replace('\n', "<br>")
        );
    }
    let quoted: Vec<String> = text
        .lines()
        .map(|line| {
            if line.is_empty() {
                ">".to_string()
            } else {
                format!("> {line}")
            }
        })
        .collect();
    format!("\n\n{intro}\n{}", quoted.join("\n"))
}

/// The forwarded message after a body: a separator, its main headers and its text.
pub fn forward_block(message: &Json, html: bool) -> String {
    let content = mail_content(message);
    let headers = &content.headers;
    let mut lines = vec!["---------- Forwarded message ---------".to_string()];
    for (name, value) in [
        ("From", &headers.from),
        ("Date", &headers.date),
        ("Subject", &headers.subject),
        ("To", &headers.to),
        ("Cc", &headers.cc),
    ] {
        if let Some(value) = value {
            lines.push(format!("{name}: {value}"));
        }
    }
    let head = lines.join("\n");
    let text = content.body.trim_end();
    if html {
        return format!(
            "<br><br><div class=\"gmail_quote\">{}<br><br>{}</div>",
            escape_html(&head).replace('\n', "<br>"),
            escape_html(text).replace('\n', "<br>")
        );
    }
    format!("\n\n{head}\n\n{text}")
}

/// Text with every line break and other control character made a space, trimmed.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Text made safe to place inside HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// A message object argument, or none when absent or not an object (a skipped step).
fn message_arg(args: &Args<'_>, name: &str) -> Result<Option<Json>, Error> {
    let Some(value) = args.value(None, name)? else {
        return Ok(None);
    };
    if value.kind() != ValueKind::Map {
        return Ok(None);
    }
    serde_json::to_value(&value)
        .map(Some)
        .map_err(|e| invalid(format!("`{name}` cannot be read as JSON: {e}")))
}

/// Template function `reply_fields(subject=, in_reply_to=, references=, thread_id=, parent=,
/// thread=, found=)`: `{subject, in_reply_to, references, thread_id}` (absent ones none).
pub(crate) fn reply_fields_function(positional: &[Value], kwargs: Kwargs) -> Result<Value, Error> {
    let args = Args::new("reply_fields", positional, kwargs);
    let subject = args.text(None, "subject")?;
    let in_reply_to = args.text(None, "in_reply_to")?;
    let references = args.text(None, "references")?;
    let thread_id = args.text(None, "thread_id")?;
    let parent = message_arg(&args, "parent")?;
    let thread = message_arg(&args, "thread")?;
    let found = message_arg(&args, "found")?;
    args.finish(0)?;

    let fields = reply_fields(
        subject.as_deref(),
        in_reply_to.as_deref(),
        references.as_deref(),
        thread_id.as_deref(),
        answered(parent.as_ref(), thread.as_ref()),
        found.as_ref(),
    );
    Ok(Value::from(Serde(fields)))
}

/// Template function `reply_original(parent=, thread=)`: the message a reply answers, or none.
pub(crate) fn reply_original_function(
    positional: &[Value],
    kwargs: Kwargs,
) -> Result<Value, Error> {
    let args = Args::new("reply_original", positional, kwargs);
    let parent = message_arg(&args, "parent")?;
    let thread = message_arg(&args, "thread")?;
    args.finish(0)?;
    Ok(answered(parent.as_ref(), thread.as_ref())
        .map_or(Value::from(()), |m| Value::from(Serde(m.clone()))))
}

/// Template function `sender(send_as, from_email=, from_name=)`: `{from_email, from_name,
/// signature}` (absent ones left out).
pub(crate) fn sender_function(positional: &[Value], kwargs: Kwargs) -> Result<Value, Error> {
    let args = Args::new("sender", positional, kwargs);
    let send_as = match args.value(Some(0), "send_as")? {
        Some(value) if value.kind() == ValueKind::Map => Some(
            serde_json::to_value(&value)
                .map_err(|e| invalid(format!("`send_as` cannot be read as JSON: {e}")))?,
        ),
        _ => None,
    };
    let from_email = args.text(None, "from_email")?;
    let from_name = args.text(None, "from_name")?;
    args.finish(1)?;
    let chosen = sender(
        send_as.as_ref(),
        from_email.as_deref(),
        from_name.as_deref(),
    )?;
    Ok(Value::from(Serde(chosen)))
}

#[cfg(test)]
mod tests;
