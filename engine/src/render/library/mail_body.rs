//! Choosing and decoding the readable body of a Gmail message part tree.

use serde_json::Value as Json;

use super::base64url;
use super::charset::{charset_param, decode_text};
use super::html_text::html_to_text;

/// How deep the part tree is read; deeper parts are ignored.
pub const MAX_DEPTH: usize = 16;

/// Where the body text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A `text/plain` part, as written.
    Plain,
    /// A `text/html` part, converted with `html_to_text`.
    Html,
}

/// A piece of readable text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The text, with LF line ends.
    pub text: String,
    /// The part type it was read from.
    pub source: Source,
}

/// The readable body of a part tree, if any part holds text.
///
/// - `text/plain` is used as written (CRLF becomes LF; `format=flowed` lines are joined).
/// - `text/html` is converted to text.
/// - `multipart/alternative` gives one of its children: the first `text/plain` with real
///   content, else an HTML alternative with content, else whatever text there is. A plain part
///   that is blank or only a mailing-list footer (it starts with a separator line such as `___`
///   or `-- `) does not count as real content.
/// - Any other part with children (`mixed`, `related`, a forwarded message, …) gives its
///   children's texts in order, joined by a blank line.
/// - Attachments (a filename, or `Content-Disposition: attachment`), parts without data, and
///   parts deeper than 16 levels give nothing.
pub fn readable_body(part: &Json, depth: usize) -> Option<Body> {
    if depth > MAX_DEPTH || is_attachment(part) {
        return None;
    }
    let mime = mime_type(part);
    let children = part["parts"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    match mime.as_str() {
        "text/plain" => leaf_text(part).map(|raw| Body {
            text: plain_text(&raw, &content_type(part)),
            source: Source::Plain,
        }),
        "text/html" => leaf_text(part).map(|raw| Body {
            text: html_to_text(&raw),
            source: Source::Html,
        }),
        "multipart/alternative" => {
            let bodies: Vec<Body> = children
                .iter()
                .filter_map(|c| readable_body(c, depth + 1))
                .collect();
            choose_alternative(bodies)
        }
        _ if !children.is_empty() => {
            let bodies = children
                .iter()
                .filter_map(|c| readable_body(c, depth + 1))
                .collect();
            join(bodies)
        }
        _ => None,
    }
}

/// Picks one alternative: real plain text, else HTML with content, else any text.
fn choose_alternative(bodies: Vec<Body>) -> Option<Body> {
    let has_content = |b: &&Body| !b.text.trim().is_empty();
    let plain = bodies
        .iter()
        .find(|b| b.source == Source::Plain && has_content(b) && !is_bare_footer(&b.text));
    let html = bodies
        .iter()
        .find(|b| b.source == Source::Html && has_content(b));
    plain
        .or(html)
        .or(bodies.iter().find(has_content))
        .or(bodies.first())
        .cloned()
}

/// Joins sequential texts with a blank line; the source is HTML if any piece was.
fn join(bodies: Vec<Body>) -> Option<Body> {
    let mut bodies: Vec<Body> = bodies
        .into_iter()
        .filter(|b| !b.text.trim().is_empty())
        .collect();
    if bodies.len() <= 1 {
        return bodies.pop();
    }
    let source = if bodies.iter().any(|b| b.source == Source::Html) {
        Source::Html
    } else {
        Source::Plain
    };
    let texts: Vec<&str> = bodies.iter().map(|b| b.text.trim_matches('\n')).collect();
    Some(Body {
        text: texts.join("\n\n"),
        source,
    })
}

/// Whether text is only a mailing-list footer or signature: its first line is a separator.
fn is_bare_footer(text: &str) -> bool {
    let Some(first) = text.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return false;
    };
    first == "--" || (first.len() >= 2 && first.chars().all(|c| "_-=*~".contains(c)))
}

/// Whether a part is an attachment rather than body text.
pub fn is_attachment(part: &Json) -> bool {
    let named = part["filename"].as_str().is_some_and(|f| !f.is_empty());
    named || disposition(part).is_some_and(|d| d == "attachment")
}

/// The part's `Content-Disposition` type (`inline`, `attachment`), lowercased.
pub fn disposition(part: &Json) -> Option<String> {
    part_header(part, "Content-Disposition").map(|d| {
        d.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    })
}

/// The part's MIME type, lowercased and without parameters.
pub fn mime_type(part: &Json) -> String {
    part["mimeType"]
        .as_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The first value of a header in a part's own `headers`, by case-insensitive name.
pub fn part_header<'a>(part: &'a Json, name: &str) -> Option<&'a str> {
    part["headers"].as_array()?.iter().find_map(|h| {
        let named = h["name"].as_str()?.eq_ignore_ascii_case(name);
        named.then(|| h["value"].as_str()).flatten()
    })
}

/// The part's `Content-Type` header, or its `mimeType` when the header is missing.
fn content_type(part: &Json) -> String {
    part_header(part, "Content-Type").map_or_else(|| mime_type(part), str::to_string)
}

/// The decoded text of a leaf part's `body.data`, in its declared charset.
fn leaf_text(part: &Json) -> Option<String> {
    let data = part["body"]["data"].as_str()?;
    let bytes = base64url::decode(data).ok()?;
    let charset = charset_param(&content_type(part));
    Some(decode_text(&bytes, charset.as_deref()))
}

/// Plain text with LF line ends, `format=flowed` undone when the part says so.
fn plain_text(raw: &str, content_type: &str) -> String {
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let params: Vec<String> = content_type
        .split(';')
        .skip(1)
        .map(|p| p.trim().to_ascii_lowercase().replace('"', ""))
        .collect();
    if !params.iter().any(|p| p == "format=flowed") {
        return text;
    }
    unflow(&text, params.iter().any(|p| p == "delsp=yes"))
}

/// Joins RFC 3676 soft line breaks (a line ending in a space) and removes space-stuffing.
fn unflow(text: &str, delete_space: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        let line = line.strip_prefix(' ').unwrap_or(line);
        let soft = line.ends_with(' ') && line != "-- " && lines.peek().is_some();
        if soft {
            out.push_str(if delete_space {
                &line[..line.len() - 1]
            } else {
                line
            });
        } else {
            out.push_str(line);
            if lines.peek().is_some() {
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
