//! Reading an RFC 822 message into Gmail's `MessagePart` tree.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use percent_encoding::percent_decode_str;

use super::codec;
use super::encoded_word;
use super::model::{Part, PartBody};

/// How deep multiparts are followed; deeper parts are kept as opaque leaves.
const MAX_DEPTH: usize = 16;

/// Parses a whole message. `None` when the bytes do not start with a header block.
///
/// `message_id` seeds the attachment ids, so they are stable for one message.
pub(crate) fn parse_message(bytes: &[u8], message_id: &str) -> Option<Part> {
    let (head, _) = split_head(bytes);
    if parse_headers(head).is_empty() {
        return None;
    }

    Some(parse_part(bytes, String::new(), 0, message_id))
}

/// Splits an entity at its first empty line into header bytes and body bytes.
pub(crate) fn split_head(bytes: &[u8]) -> (&[u8], &[u8]) {
    let crlf = find(bytes, b"\r\n\r\n").map(|at| (at, at + 4));
    let lf = find(bytes, b"\n\n").map(|at| (at, at + 2));
    let split = match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };

    match split {
        Some((head_end, body_start)) => (&bytes[..head_end], &bytes[body_start..]),
        None => (bytes, &[]),
    }
}

/// Unfolds continuation lines and decodes encoded-words; lines without a colon are
/// skipped. An empty list means the block is not a header block at all.
pub(crate) fn parse_headers(head: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(head);
    let mut headers: Vec<(String, String)> = Vec::new();

    for line in text.split('\n').map(|line| line.trim_end_matches('\r')) {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(line);
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || name.contains(' ') {
            continue;
        }
        headers.push((name.to_string(), value.trim_start().to_string()));
    }

    headers
        .into_iter()
        .map(|(name, value)| (name, encoded_word::decode(value.trim())))
        .collect()
}

/// A `Content-Type` value split into its lowercase type and its parameters.
pub(crate) fn content_type(value: &str) -> (String, Vec<(String, String)>) {
    let mut pieces = split_params(value).into_iter();
    let mime = pieces
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let params = pieces
        .filter_map(|piece| {
            let (key, value) = piece.split_once('=')?;
            let value = value.trim().trim_matches('"').to_string();
            Some((key.trim().to_ascii_lowercase(), value))
        })
        .collect();

    (mime, params)
}

/// A parameter by name from [`content_type`]'s list.
pub(crate) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Splits on `;` outside double quotes.
fn split_params(value: &str) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut quoted = false;

    for c in value.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                pieces.last_mut().unwrap().push(c);
            }
            ';' if !quoted => pieces.push(String::new()),
            _ => pieces.last_mut().unwrap().push(c),
        }
    }

    pieces
}

fn parse_part(bytes: &[u8], part_id: String, depth: usize, message_id: &str) -> Part {
    let (head, body) = split_head(bytes);
    let headers = parse_headers(head);
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };

    let (mime_type, params) = content_type(header("Content-Type").unwrap_or("text/plain"));
    let mime_type = if mime_type.contains('/') {
        mime_type
    } else {
        "text/plain".to_string()
    };
    let boundary = param(&params, "boundary").map(str::to_string);

    if let (true, Some(boundary)) = (mime_type.starts_with("multipart/"), boundary)
        && depth < MAX_DEPTH
    {
        let parts = split_multipart(body, &boundary)
            .into_iter()
            .enumerate()
            .map(|(index, child)| {
                let id = if part_id.is_empty() {
                    index.to_string()
                } else {
                    format!("{part_id}.{index}")
                };
                parse_part(child, id, depth + 1, message_id)
            })
            .collect();
        let body = PartBody::default();
        return Part {
            part_id,
            mime_type,
            filename: String::new(),
            headers,
            body,
            parts,
        };
    }

    let encoding = header("Content-Transfer-Encoding")
        .unwrap_or("7bit")
        .trim()
        .to_ascii_lowercase();
    let decoded = match encoding.as_str() {
        "base64" => codec::from_base64_mime(body),
        "quoted-printable" => codec::from_quoted_printable(body),
        _ => body.to_vec(),
    };
    let filename = filename(header("Content-Disposition"), &params);
    let body = leaf_body(decoded, !filename.is_empty(), message_id, &part_id);

    Part {
        part_id,
        mime_type,
        filename,
        headers,
        body,
        parts: Vec::new(),
    }
}

/// An inline leaf carries its bytes as `data`; an attachment gets an `attachmentId`.
fn leaf_body(bytes: Vec<u8>, attachment: bool, message_id: &str, part_id: &str) -> PartBody {
    let size = bytes.len() as u64;
    if !attachment {
        let data = Some(codec::base64url(&bytes));
        return PartBody {
            size,
            data,
            ..PartBody::default()
        };
    }

    let id = format!(
        "ANGjdJ{}",
        URL_SAFE_NO_PAD.encode(format!("{message_id}/{part_id}"))
    );
    PartBody {
        size,
        data: None,
        attachment_id: Some(id),
        attachment: Some(bytes),
    }
}

/// The file name from `Content-Disposition` (`filename`, or RFC 2231 `filename*`),
/// else from the `name` parameter of `Content-Type`.
fn filename(disposition: Option<&str>, type_params: &[(String, String)]) -> String {
    let disposition_params = disposition
        .map(|value| content_type(value).1)
        .unwrap_or_default();

    if let Some(extended) = param(&disposition_params, "filename*") {
        let encoded = extended.splitn(3, '\'').last().unwrap_or(extended);
        return percent_decode_str(encoded).decode_utf8_lossy().into_owned();
    }

    param(&disposition_params, "filename")
        .or_else(|| param(type_params, "name"))
        .unwrap_or_default()
        .to_string()
}

/// The body parts between `--boundary` lines, up to the closing `--boundary--`.
/// The line break before each delimiter belongs to the delimiter.
fn split_multipart<'a>(body: &'a [u8], boundary: &str) -> Vec<&'a [u8]> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    let mut position = 0;

    while position < body.len() {
        let line_end = find(&body[position..], b"\n").map_or(body.len(), |at| position + at);
        let line = body[position..line_end]
            .strip_suffix(b"\r")
            .unwrap_or(&body[position..line_end]);

        if let Some(rest) = line.strip_prefix(delimiter.as_bytes()) {
            let closing = rest.starts_with(b"--");
            if closing || rest.iter().all(u8::is_ascii_whitespace) {
                if let Some(start) = open {
                    parts.push(&body[start..content_end(body, start, position)]);
                }
                if closing {
                    break;
                }
                open = Some((line_end + 1).min(body.len()));
            }
        }
        position = line_end + 1;
    }

    parts
}

fn content_end(body: &[u8], start: usize, delimiter_start: usize) -> usize {
    let mut end = delimiter_start;
    if end > start && body[end - 1] == b'\n' {
        end -= 1;
    }
    if end > start && body[end - 1] == b'\r' {
        end -= 1;
    }
    end
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "From: Me <user@example.com>\r\nTo: bob@example.com\r\nSubject: =?UTF-8?B?5p2x?=\r\n =?UTF-8?B?5Lqs?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\npreamble\r\n--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHello =C3=A9t=C3=A9\r\n--inner\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>Hello</p>\r\n--inner--\r\n--outer\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\nContent-Disposition: attachment; filename=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x\r\nLjQK\r\n--outer--\r\nepilogue\r\n";

    #[test]
    fn nested_multiparts_get_gmail_part_ids() {
        let root = parse_message(MIXED.as_bytes(), "m1").unwrap();
        let ids: Vec<&str> = root.walk().iter().map(|p| p.part_id.as_str()).collect();

        assert_eq!(ids, ["", "0", "0.0", "0.1", "1"]);
        assert_eq!(root.mime_type, "multipart/mixed");
        assert_eq!(root.parts[0].parts[1].mime_type, "text/html");
    }

    #[test]
    fn leaves_are_decoded_and_attachments_get_an_id_instead_of_data() {
        let root = parse_message(MIXED.as_bytes(), "m1").unwrap();
        let plain = &root.parts[0].parts[0];
        let pdf = &root.parts[1];

        assert_eq!(String::from_utf8(plain.bytes()).unwrap(), "Hello été");
        assert_eq!(pdf.filename, "a.pdf");
        assert_eq!(pdf.bytes(), b"%PDF-1.4\n");
        assert!(pdf.body.data.is_none() && pdf.body.attachment_id.is_some());
    }

    #[test]
    fn folded_encoded_subjects_are_unfolded_and_decoded() {
        let root = parse_message(MIXED.as_bytes(), "m1").unwrap();

        assert_eq!(root.header("subject"), Some("東京"));
    }

    #[test]
    fn a_bare_body_without_headers_is_not_a_message() {
        assert!(parse_message(b"just some text", "m1").is_none());
    }

    #[test]
    fn a_single_part_message_with_lf_line_ends_keeps_its_body() {
        let root = parse_message(b"To: a@example.com\nSubject: hi\n\nbody line\n", "m1").unwrap();

        assert_eq!(root.mime_type, "text/plain");
        assert_eq!(root.bytes(), b"body line\n");
    }

    #[test]
    fn rfc2231_file_names_are_percent_decoded() {
        let name = filename(
            Some("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"),
            &[],
        );

        assert_eq!(name, "résumé.pdf");
    }
}
