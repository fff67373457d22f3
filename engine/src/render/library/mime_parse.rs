//! Reading a raw RFC 822 message (Gmail's `format=raw`) into the `MessagePart` tree Gmail's
//! JSON formats use, so every reader of Gmail JSON also reads raw messages.
//!
//! The tree has Gmail's shape (`partId`, `mimeType`, `filename`, `headers`, `body.size`,
//! `body.data` as base64url, `parts`), with one difference: attachments carry their bytes in
//! `body.data`, since a raw message has them all and there is no `attachmentId` to fetch.

use serde_json::{Value as Json, json};

use super::base64url;
use super::encoded_words::decode_header;
use super::mail_body::MAX_DEPTH;
use super::rfc2231::{param, parse_header_value};

/// The message's root part; `None` when the bytes do not start with a header block.
pub fn parse_message(bytes: &[u8]) -> Option<Json> {
    let (head, _) = split_head(bytes);
    if parse_headers(head).is_empty() {
        return None;
    }
    Some(parse_part(bytes, String::new(), 0))
}

/// Splits an entity at its first empty line into header bytes and body bytes.
fn split_head(bytes: &[u8]) -> (&[u8], &[u8]) {
    let crlf = find(bytes, b"\r\n\r\n").map(|at| (at, at + 4));
    let lf = find(bytes, b"\n\n").map(|at| (at, at + 2));
    let split = match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    match split {
        Some((end, start)) => (&bytes[..end], &bytes[start..]),
        None => (bytes, &[]),
    }
}

/// Header fields in order, unfolded, with encoded-words decoded; lines without a field name
/// are skipped.
pub fn parse_headers(head: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(head);
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.split('\n').map(|l| l.trim_end_matches('\r')) {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push_str(line);
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.is_empty() || name.contains([' ', '\t']) {
            continue;
        }
        fields.push((name.to_string(), value.trim_start().to_string()));
    }
    fields
        .into_iter()
        .map(|(name, value)| (name, decode_header(value.trim())))
        .collect()
}

fn parse_part(bytes: &[u8], part_id: String, depth: usize) -> Json {
    let (head, body) = split_head(bytes);
    let headers = parse_headers(head);
    let header = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    };
    let (mut mime, params) = parse_header_value(header("Content-Type").unwrap_or("text/plain"));
    if !mime.contains('/') {
        mime = "text/plain".to_string();
    }
    let headers_json: Vec<Json> = headers
        .iter()
        .map(|(name, value)| json!({"name": name, "value": value}))
        .collect();

    if let (true, Some(boundary)) = (mime.starts_with("multipart/"), param(&params, "boundary"))
        && depth < MAX_DEPTH
    {
        let parts: Vec<Json> = split_multipart(body, boundary)
            .into_iter()
            .enumerate()
            .map(|(i, child)| {
                let id = if part_id.is_empty() {
                    i.to_string()
                } else {
                    format!("{part_id}.{i}")
                };
                parse_part(child, id, depth + 1)
            })
            .collect();
        return json!({"partId": part_id, "mimeType": mime, "filename": "",
                      "headers": headers_json, "body": {"size": 0}, "parts": parts});
    }

    let encoding = header("Content-Transfer-Encoding")
        .unwrap_or("7bit")
        .trim()
        .to_ascii_lowercase();
    let decoded = match encoding.as_str() {
        "base64" => base64url::decode(&String::from_utf8_lossy(body)).unwrap_or_default(),
        "quoted-printable" => qp_decode(body),
        _ => body.to_vec(),
    };
    let disposition = header("Content-Disposition").map(parse_header_value);
    let filename = disposition
        .as_ref()
        .and_then(|(_, p)| param(p, "filename"))
        .or_else(|| param(&params, "name"))
        .unwrap_or_default();
    json!({"partId": part_id, "mimeType": mime, "filename": filename, "headers": headers_json,
           "body": {"size": decoded.len(), "data": base64url::encode(&decoded)}})
}

/// The body parts between `--boundary` lines, up to the closing `--boundary--`; the line
/// break before each delimiter belongs to the delimiter.
fn split_multipart<'a>(body: &'a [u8], boundary: &str) -> Vec<&'a [u8]> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    let mut position = 0;
    while position < body.len() {
        let line_end = find(&body[position..], b"\n").map_or(body.len(), |at| position + at);
        let line = &body[position..line_end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(rest) = line.strip_prefix(delimiter.as_bytes()) {
            let closing = rest.starts_with(b"--");
            if closing || rest.iter().all(u8::is_ascii_whitespace) {
                if let Some(start) = open {
                    parts.push(&body[start..content_end(body, start, position)]);
                }
                if closing {
                    return parts;
                }
                open = Some((line_end + 1).min(body.len()));
            }
        }
        position = line_end + 1;
    }
    // No closing delimiter: keep what the last part has.
    if let Some(start) = open {
        parts.push(&body[start..]);
    }
    parts
}

/// Where a part's content ends: before the line break that precedes its delimiter.
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

/// Decodes quoted-printable: `=XX` escapes and soft line breaks; a stray `=` stays.
pub fn qp_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'=' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let rest = &bytes[i + 1..];
        let soft = rest
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t'))
            .filter(|&n| rest[n..].starts_with(b"\r\n") || rest[n..].starts_with(b"\n"));
        if let Some(n) = soft {
            i += 1 + n + if rest[n] == b'\r' { 2 } else { 1 };
            continue;
        }
        match (
            rest.first().and_then(|b| hex(*b)),
            rest.get(1).and_then(|b| hex(*b)),
        ) {
            (Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            _ => {
                out.push(b'=');
                i += 1;
            }
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "From: Me <user@example.com>\r\nTo: bob@example.com\r\nSubject: =?UTF-8?B?5p2x?=\r\n =?UTF-8?B?5Lqs?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\npreamble\r\n--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHello =C3=A9t=C3=A9 and a soft=\r\n break\r\n--inner\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>Hello</p>\r\n--inner--\r\n--outer\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\nContent-Disposition: attachment;\r\n filename*0*=UTF-8''r%C3%A9sum; filename*1*=%C3%A9.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x\r\nLjQK\r\n--outer--\r\nepilogue\r\n";

    fn data(part: &Json) -> Vec<u8> {
        base64url::decode(part["body"]["data"].as_str().unwrap()).unwrap()
    }

    #[test]
    fn a_nested_message_gets_gmail_part_ids_and_decoded_headers() {
        let root = parse_message(MIXED.as_bytes()).unwrap();
        assert_eq!(root["mimeType"], "multipart/mixed");
        assert_eq!(root["parts"][0]["partId"], "0");
        assert_eq!(root["parts"][0]["parts"][1]["partId"], "0.1");
        assert_eq!(root["parts"][0]["parts"][1]["mimeType"], "text/html");
        let subject = root["headers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == "Subject")
            .unwrap();
        assert_eq!(subject["value"], "東京");
    }

    #[test]
    fn leaves_are_transfer_decoded_and_attachments_keep_their_bytes_and_name() {
        let root = parse_message(MIXED.as_bytes()).unwrap();
        let plain = &root["parts"][0]["parts"][0];
        assert_eq!(
            String::from_utf8(data(plain)).unwrap(),
            "Hello été and a soft break"
        );
        let pdf = &root["parts"][1];
        assert_eq!(pdf["filename"], "résumé.pdf");
        assert_eq!(data(pdf), b"%PDF-1.4\n");
        assert_eq!(pdf["body"]["size"], 9);
    }

    #[test]
    fn a_single_part_message_with_lf_line_ends_keeps_its_body() {
        let root = parse_message(b"To: a@example.com\nSubject: hi\n\nbody line\n").unwrap();
        assert_eq!(root["mimeType"], "text/plain");
        assert_eq!(data(&root), b"body line\n");
        assert!(parse_message(b"just some text").is_none());
    }

    #[test]
    fn quoted_printable_keeps_stray_equals_signs() {
        assert_eq!(qp_decode(b"a=3Db =\r\nc = d=ZZ"), b"a=b c = d=ZZ");
    }
}
