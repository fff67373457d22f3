//! Readable plain text from HTML mail bodies, without an HTML parser dependency.
//!
//! The scanner reads tags, comments and text in one pass and never fails: malformed markup is
//! read the way a browser would roughly read it, and anything it cannot make sense of is dropped
//! or kept as text.

use minijinja::value::ValueKind;
use minijinja::{Error, Value};

use super::args::invalid;
use super::html_entities::decode_entities;

/// Elements whose content is never text a reader sees.
const HIDDEN: [&str; 5] = ["script", "style", "template", "title", "noscript"];

/// Elements that start and end a paragraph (a blank line around them).
const PARAGRAPHS: [&str; 7] = ["p", "h1", "h2", "h3", "h4", "h5", "h6"];

/// Elements that start and end a line.
const BLOCKS: [&str; 26] = [
    "div",
    "li",
    "tr",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "figure",
    "figcaption",
    "form",
    "fieldset",
    "address",
    "hr",
    "pre",
    "center",
    "caption",
];

/// Converts HTML to readable plain text.
///
/// Tags are removed; `p` and `h1`–`h6` become paragraphs, `br` a line break, and block elements
/// (`div`, `li`, `tr`, tables, lists, …) start new lines, with `li` items marked `- `. Character
/// references are decoded. A link reads `text (url)`, or just `text` when the URL is the text
/// (also with `mailto:`) or is a page anchor or script. The content of `script`, `style`,
/// `title`, `template` and `noscript` is dropped, as are comments. Whitespace runs become one
/// space (except inside `pre`), zero-width characters are removed, there is at most one blank
/// line in a row, and the result is trimmed.
pub fn html_to_text(html: &str) -> String {
    let mut sink = Sink::default();
    let mut anchor: Option<(Option<String>, usize)> = None;
    let mut pre_depth = 0usize;
    let mut i = 0;
    while i < html.len() {
        let Some(offset) = html[i..].find('<') else {
            sink.text(&decode_entities(&html[i..]), pre_depth > 0);
            break;
        };
        if offset > 0 {
            sink.text(&decode_entities(&html[i..i + offset]), pre_depth > 0);
            i += offset;
        }
        match markup(html, i) {
            Markup::Skip(end) => i = end,
            Markup::Text => {
                sink.text("<", pre_depth > 0);
                i += 1;
            }
            Markup::Tag(tag) => {
                i = tag.end;
                if !tag.closing && HIDDEN.contains(&tag.name.as_str()) {
                    i = skip_hidden(html, i, &tag.name);
                    continue;
                }
                if tag.name == "a" {
                    if let Some((href, start)) = anchor.take() {
                        sink.link(href.as_deref(), start);
                    }
                    if !tag.closing {
                        anchor = Some((tag.href.clone(), sink.len()));
                    }
                } else if tag.name == "pre" {
                    pre_depth = if tag.closing {
                        pre_depth.saturating_sub(1)
                    } else {
                        pre_depth + 1
                    };
                }
                sink.tag(&tag);
            }
        }
    }
    if let Some((href, start)) = anchor {
        sink.link(href.as_deref(), start);
    }
    tidy(&sink.out)
}

/// Template filter `html_to_text`.
pub(crate) fn html_to_text_filter(value: &Value) -> Result<Value, Error> {
    match value.kind() {
        ValueKind::String => Ok(Value::from(html_to_text(
            value.as_str().unwrap_or_default(),
        ))),
        ValueKind::Undefined | ValueKind::None => Err(invalid("`value` is missing")),
        kind => Err(invalid(format!(
            "`value` must be an HTML string, got a {kind}"
        ))),
    }
}

/// What starts at a `<`.
enum Markup {
    /// A comment, declaration or unterminated tag: skip to this byte offset.
    Skip(usize),
    /// A tag.
    Tag(Tag),
    /// Not markup: a literal `<`.
    Text,
}

/// One start or end tag.
struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
    end: usize,
}

/// Reads the markup starting at `start` (a `<`).
fn markup(html: &str, start: usize) -> Markup {
    let rest = &html[start..];
    if let Some(comment) = rest.strip_prefix("<!--") {
        let end = comment
            .find("-->")
            .map_or(html.len(), |p| start + 4 + p + 3);
        return Markup::Skip(end);
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        return Markup::Skip(rest.find('>').map_or(html.len(), |p| start + p + 1));
    }
    let (closing, name_at) = if rest.starts_with("</") {
        (true, 2)
    } else {
        (false, 1)
    };
    if !rest[name_at..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Markup::Text;
    }
    let name_len = rest[name_at..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(rest.len() - name_at);
    let name = rest[name_at..name_at + name_len].to_ascii_lowercase();
    let attrs_at = name_at + name_len;
    let Some(close) = tag_end(&rest[attrs_at..]) else {
        return Markup::Skip(html.len());
    };
    let attrs = &rest[attrs_at..attrs_at + close];
    let href = (name == "a" && !closing)
        .then(|| attribute(attrs, "href"))
        .flatten();
    Markup::Tag(Tag {
        name,
        closing,
        href,
        end: start + attrs_at + close + 1,
    })
}

/// The offset of the `>` ending a tag's attributes, honouring quotes when they are balanced.
fn tag_end(attrs: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in attrs.char_indices() {
        match (quote, c) {
            (None, '>') => return Some(i),
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    attrs.find('>')
}

/// The decoded value of attribute `wanted` in a tag's attribute text.
fn attribute(attrs: &str, wanted: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len())
            .max(1);
        let name = &rest[..name_len];
        rest = rest[name_len..].trim_start();
        let mut value = None;
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, used) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                    Some(p) => (&after[1..1 + p], p + 2),
                    None => (&after[1..], after.len()),
                },
                _ => {
                    let p = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..p], p)
                }
            };
            value = Some(raw);
            rest = &after[used..];
        }
        if name.eq_ignore_ascii_case(wanted) {
            return Some(decode_entities(value.unwrap_or("").trim()));
        }
    }
}

/// The offset after the end tag of hidden element `name`, or the end of the input.
fn skip_hidden(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(p) = html[i..].find("</") {
        let at = i + p + 2;
        let candidate = bytes.get(at..at + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes())) {
            return html[at..].find('>').map_or(html.len(), |q| at + q + 1);
        }
        i = at;
    }
    html.len()
}

/// Collects text with whitespace collapsed and line breaks deferred until text follows.
#[derive(Default)]
struct Sink {
    out: String,
    space: bool,
    breaks: usize,
}

impl Sink {
    /// The length of the text written so far.
    fn len(&self) -> usize {
        self.out.len()
    }

    /// Adds decoded text; whitespace collapses unless `verbatim`.
    fn text(&mut self, text: &str, verbatim: bool) {
        for c in text.chars() {
            if is_invisible(c) || c == '\r' {
                continue;
            }
            if verbatim && c == '\n' {
                self.flush();
                self.out.push('\n');
            } else if !verbatim && c.is_whitespace() {
                self.space = true;
            } else {
                self.flush();
                self.out.push(c);
            }
        }
    }

    /// Applies a tag's effect on line structure.
    fn tag(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        if name == "br" {
            self.breaks = (self.breaks + 1).min(2);
        } else if PARAGRAPHS.contains(&name) {
            self.breaks = 2;
        } else if BLOCKS.contains(&name) {
            self.breaks = self.breaks.max(1);
            if name == "li" && !tag.closing {
                self.flush();
                self.out.push_str("- ");
            }
        } else if matches!(name, "td" | "th") {
            self.space = true;
        }
    }

    /// Ends a link that started at byte `start` of the output, adding its URL if it says more.
    fn link(&mut self, href: Option<&str>, start: usize) {
        let Some(href) = href.filter(|h| !h.is_empty()) else {
            return;
        };
        if href.starts_with('#') || href.to_ascii_lowercase().starts_with("javascript:") {
            return;
        }
        let text: Vec<&str> = self
            .out
            .get(start..)
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let text = text.join(" ");
        if text.is_empty() || same_target(&text, href) {
            return;
        }
        self.space = true;
        self.text(&format!("({href})"), false);
    }

    /// Writes pending line breaks or a pending space before the next character.
    fn flush(&mut self) {
        if !self.out.is_empty() {
            if self.breaks > 0 {
                let trimmed = self.out.trim_end_matches(' ').len();
                self.out.truncate(trimmed);
                self.out.push_str(&"\n".repeat(self.breaks));
            } else if self.space && !self.out.ends_with(['\n', ' ']) {
                self.out.push(' ');
            }
        }
        self.space = false;
        self.breaks = 0;
    }
}

/// Whether link text and URL name the same place (ignoring `mailto:` and a trailing slash).
fn same_target(text: &str, href: &str) -> bool {
    let plain = |s: &str| {
        let s = s.trim();
        let s = s.strip_prefix("mailto:").unwrap_or(s);
        s.trim_end_matches('/').to_ascii_lowercase()
    };
    plain(text) == plain(href)
}

/// Zero-width and formatting characters that only pad mail previews.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}' | '\u{2060}'
    )
}

/// Trims each line's end, keeps at most one blank line in a row, and trims the whole text.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests;
