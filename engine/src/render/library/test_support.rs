//! Readers used only by tests: they take apart what the writers produce, written independently
//! of the writers so that a round trip checks something.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// A message split into its header fields (unfolded, in order) and its body.
pub struct Parsed {
    /// `(name, value)` pairs with folding removed and the value's leading space trimmed.
    pub headers: Vec<(String, String)>,
    /// Everything after the blank line.
    pub body: String,
}

impl Parsed {
    /// All values of a header field, by case-insensitive name.
    pub fn all(&self, name: &str) -> Vec<&str> {
        let named = |(n, _): &&(String, String)| n.eq_ignore_ascii_case(name);
        self.headers
            .iter()
            .filter(named)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The one value of a header field; panics unless there is exactly one.
    pub fn one(&self, name: &str) -> &str {
        let all = self.all(name);
        assert_eq!(all.len(), 1, "expected one {name} header, got {all:?}");
        all[0]
    }
}

/// Splits a CRLF message at its first blank line and unfolds the header fields.
pub fn parse_message(raw: &str) -> Parsed {
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .expect("a blank line after the headers");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            headers
                .last_mut()
                .expect("a continuation after a field")
                .1
                .push_str(line);
        } else {
            let (name, value) = line.split_once(':').expect("a field name and colon");
            headers.push((name.to_string(), value.to_string()));
        }
    }
    for (_, value) in &mut headers {
        *value = value.trim_start().to_string();
    }
    Parsed {
        headers,
        body: body.to_string(),
    }
}

/// Decodes RFC 2047 encoded-words (UTF-8, `B` or `Q`) in an unfolded header value.
///
/// Whitespace between two adjacent encoded-words is dropped, as the RFC says.
pub fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut after_word = false;
    loop {
        let space_len = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if let Some((decoded, used)) = encoded_word(&rest[space_len..]) {
            if !after_word {
                out.push_str(&rest[..space_len]);
            }
            out.push_str(&decoded);
            rest = &rest[space_len + used..];
            after_word = true;
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(c);
        rest = &rest[c.len_utf8()..];
        after_word = false;
    }
    out
}

/// One encoded-word at the start of `text`: its decoded text and its length.
fn encoded_word(text: &str) -> Option<(String, usize)> {
    let inner = text.strip_prefix("=?")?;
    let mut pieces = inner.splitn(3, '?');
    let charset = pieces.next()?;
    let encoding = pieces.next()?;
    let tail = pieces.next()?;
    let end = tail.find("?=")?;
    let payload = &tail[..end];
    assert!(
        charset.eq_ignore_ascii_case("utf-8"),
        "unexpected charset {charset}"
    );
    let bytes = match encoding {
        "B" | "b" => STANDARD.decode(payload).ok()?,
        "Q" | "q" => qp_decode(&payload.replace('_', " ")),
        _ => return None,
    };
    let used = 2 + charset.len() + 1 + encoding.len() + 1 + end + 2;
    Some((
        String::from_utf8(bytes).expect("encoded-word holds whole characters"),
        used,
    ))
}

/// Decodes quoted-printable text: `=XX` escapes and `=` soft line breaks.
pub fn qp_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            if bytes[i + 1..].starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).expect("=XX escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}
