//! Byte and text encodings Gmail messages are made of: base64url, base64,
//! quoted-printable, and the HTML escaping of snippets.

use base64::Engine;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD, URL_SAFE};

/// URL-safe base64 that accepts input with or without `=` padding.
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Standard base64 that accepts input with or without `=` padding.
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Encodes like Gmail's `body.data` and `raw`: URL-safe alphabet, `=` padding kept.
pub(crate) fn base64url(bytes: &[u8]) -> String {
    URL_SAFE.encode(bytes)
}

/// Decodes base64url with or without padding; the standard alphabet is refused.
pub(crate) fn from_base64url(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    URL_SAFE_LENIENT.decode(compact).ok()
}

/// Decodes a `Content-Transfer-Encoding: base64` body, ignoring line breaks.
pub(crate) fn from_base64_mime(bytes: &[u8]) -> Vec<u8> {
    let compact: Vec<u8> = bytes
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    STANDARD_LENIENT.decode(compact).unwrap_or_default()
}

/// Encodes a MIME base64 body in lines of 76 characters.
pub(crate) fn to_base64_mime(bytes: &[u8]) -> String {
    let text = STANDARD.encode(bytes);
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(76)
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect();

    lines.join("\r\n")
}

/// Decodes quoted-printable: `=XX` escapes and `=` soft line breaks.
pub(crate) fn from_quoted_printable(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;

    while index < bytes.len() {
        let byte = bytes[index];
        if byte != b'=' {
            out.push(byte);
            index += 1;
            continue;
        }

        let rest = &bytes[index + 1..];
        if rest.starts_with(b"\r\n") {
            index += 3;
        } else if rest.starts_with(b"\n") {
            index += 2;
        } else if let Some(value) = rest.get(..2).and_then(hex_pair) {
            out.push(value);
            index += 3;
        } else {
            out.push(byte);
            index += 1;
        }
    }

    out
}

/// Encodes quoted-printable with soft line breaks before 76 characters.
pub(crate) fn to_quoted_printable(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut line_length = 0;

    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'\n' {
            out.push_str("\r\n");
            line_length = 0;
            continue;
        }
        if byte == b'\r' && bytes.get(index + 1) == Some(&b'\n') {
            continue;
        }

        let next_is_break = matches!(bytes.get(index + 1), None | Some(b'\r' | b'\n'));
        let literal = (byte.is_ascii_graphic() && byte != b'=') || (byte == b' ' && !next_is_break);
        let piece = if literal {
            (byte as char).to_string()
        } else {
            format!("={byte:02X}")
        };

        if line_length + piece.len() > 75 {
            out.push_str("=\r\n");
            line_length = 0;
        }
        line_length += piece.len();
        out.push_str(&piece);
    }

    out
}

fn hex_pair(pair: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(pair).ok()?;
    u8::from_str_radix(text, 16).ok()
}

/// Turns HTML into plain text: tags dropped, block ends as line breaks, entities decoded.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;

    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].to_ascii_lowercase();
        if ["br", "/p", "/div", "/li", "/tr", "/h1", "/h2", "/h3"]
            .iter()
            .any(|name| tag.trim_end_matches('/').trim() == *name)
        {
            text.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);

    decode_entities(&text)
}

fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Escapes text the way Gmail escapes snippets.
pub(crate) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_decoding_accepts_missing_padding() {
        let bytes = from_base64url("UHJpY2VzID4-PiAxMCUgb2ZmPz8_IMOpdMOpCg").unwrap();

        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "Prices >>> 10% off??? été\n"
        );
        assert_eq!(from_base64url("aGk="), Some(b"hi".to_vec()));
        assert_eq!(from_base64url("aGk"), Some(b"hi".to_vec()));
    }

    #[test]
    fn base64url_decoding_refuses_the_standard_alphabet() {
        assert!(from_base64url("a+/=").is_none());
    }

    #[test]
    fn quoted_printable_round_trips_accents_and_long_lines() {
        let text = format!("{} été = x\n", "a".repeat(120));
        let encoded = to_quoted_printable(text.as_bytes());

        assert!(encoded.lines().all(|line| line.len() <= 76));
        let decoded = from_quoted_printable(encoded.as_bytes());
        assert_eq!(
            String::from_utf8(decoded).unwrap(),
            text.replace('\n', "\r\n")
        );
    }

    #[test]
    fn html_becomes_lines_of_text_with_entities_decoded() {
        let html = "<html><body><p>Quarterly numbers attached &amp; ready.</p><p>See you Monday</p></body></html>";

        assert_eq!(
            html_to_text(html),
            "Quarterly numbers attached & ready.\nSee you Monday\n"
        );
    }
}
