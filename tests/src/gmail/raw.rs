//! Writing a stored `MessagePart` tree back out as RFC 822 bytes for `format=raw`.
//!
//! Sent messages keep the bytes they were sent with; this is for seeded messages, whose
//! payload is the source of truth.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::codec;
use super::mime::{content_type, param};
use super::model::Part;

/// The whole message: the root headers, then the body or the multipart tree.
pub(crate) fn render(root: &Part) -> Vec<u8> {
    let mut out = String::new();
    write_part(root, &mut out);
    out.into_bytes()
}

fn write_part(part: &Part, out: &mut String) {
    if part.mime_type.starts_with("multipart/") && !part.parts.is_empty() {
        write_multipart(part, out);
    } else {
        write_leaf(part, out);
    }
}

fn write_multipart(part: &Part, out: &mut String) {
    let declared = part.header("Content-Type").map(content_type);
    let boundary = declared
        .as_ref()
        .and_then(|(_, params)| param(params, "boundary").map(str::to_string))
        .unwrap_or_else(|| format!("sandbox_boundary_{}", part.part_id.replace('.', "_")));

    let mut headers = part.headers.clone();
    if declared.is_none_or(|(_, params)| param(&params, "boundary").is_none()) {
        headers.retain(|(name, _)| !name.eq_ignore_ascii_case("Content-Type"));
        headers.push((
            "Content-Type".into(),
            format!("{}; boundary=\"{boundary}\"", part.mime_type),
        ));
    }
    write_headers(&headers, out);

    for child in &part.parts {
        out.push_str(&format!("--{boundary}\r\n"));
        write_part(child, out);
        out.push_str("\r\n");
    }
    out.push_str(&format!("--{boundary}--\r\n"));
}

/// Keeps the declared transfer encoding when it is base64 or quoted-printable; other
/// leaves go out as-is when they are 7-bit text, else as base64 with the header fixed.
fn write_leaf(part: &Part, out: &mut String) {
    let bytes = part.bytes();
    let declared = part
        .header("Content-Transfer-Encoding")
        .map(|v| v.trim().to_ascii_lowercase());
    let seven_bit = bytes.iter().all(|&b| b.is_ascii() && b != 0)
        && bytes.split(|&b| b == b'\n').all(|line| line.len() < 990);

    let (encoding, text) = match declared.as_deref() {
        Some("base64") => ("base64", codec::to_base64_mime(&bytes)),
        Some("quoted-printable") => ("quoted-printable", codec::to_quoted_printable(&bytes)),
        _ if seven_bit => (
            "",
            String::from_utf8_lossy(&bytes)
                .replace("\r\n", "\n")
                .replace('\n', "\r\n"),
        ),
        _ => ("base64", codec::to_base64_mime(&bytes)),
    };

    let mut headers = part.headers.clone();
    if !encoding.is_empty() {
        headers.retain(|(name, _)| !name.eq_ignore_ascii_case("Content-Transfer-Encoding"));
        headers.push(("Content-Transfer-Encoding".into(), encoding.into()));
    }
    if part.header("Content-Type").is_none() {
        headers.push(("Content-Type".into(), part.mime_type.clone()));
    }
    write_headers(&headers, out);
    out.push_str(&text);
}

/// Headers one per line, non-ASCII values as one RFC 2047 encoded-word, then a blank line.
fn write_headers(headers: &[(String, String)], out: &mut String) {
    for (name, value) in headers {
        let value = if value.is_ascii() {
            value.clone()
        } else {
            format!("=?UTF-8?B?{}?=", STANDARD.encode(value.as_bytes()))
        };
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gmail::mime::parse_message;
    use crate::gmail::model::PartBody;

    fn leaf(part_id: &str, mime: &str, text: &str, encoding: Option<&str>) -> Part {
        let mut headers = vec![(
            "Content-Type".to_string(),
            format!("{mime}; charset=\"UTF-8\""),
        )];
        if let Some(encoding) = encoding {
            headers.push(("Content-Transfer-Encoding".into(), encoding.into()));
        }
        let data = Some(codec::base64url(text.as_bytes()));
        let body = PartBody {
            size: text.len() as u64,
            data,
            ..PartBody::default()
        };
        Part {
            part_id: part_id.into(),
            mime_type: mime.into(),
            headers,
            body,
            ..Part::default()
        }
    }

    #[test]
    fn a_rendered_tree_parses_back_to_the_same_leaves() {
        let root = Part {
            mime_type: "multipart/alternative".into(),
            headers: vec![("Subject".into(), "Grüße".into())],
            parts: vec![
                leaf("0", "text/plain", "Hallo été\n", None),
                leaf(
                    "1",
                    "text/html",
                    "<p>Hallo été</p>",
                    Some("quoted-printable"),
                ),
            ],
            ..Part::default()
        };

        let parsed = parse_message(&render(&root), "m").unwrap();

        assert_eq!(parsed.header("Subject"), Some("Grüße"));
        assert_eq!(parsed.parts[0].bytes(), "Hallo été\n".as_bytes());
        assert_eq!(parsed.parts[1].bytes(), "<p>Hallo été</p>".as_bytes());
    }
}
