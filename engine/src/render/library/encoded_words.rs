//! Reading RFC 2047 encoded-words (`=?UTF-8?B?...?=`, `=?iso-8859-1?Q?...?=`) in header text.
//!
//! Used where the engine reads a raw RFC 822 message itself (Gmail's `format=raw`); messages
//! read as Gmail JSON come with their header values already decoded.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::charset::decode_text;

/// Decodes every well-formed encoded-word in an unfolded header value.
///
/// Whitespace between two adjacent encoded-words is dropped (RFC 2047 §6.2), so a word split
/// across a fold joins up again; bytes of adjacent words in the same charset are joined before
/// decoding, so a character split across two words survives. A malformed word stays as written.
pub fn decode_header(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut pending: Option<(String, Vec<u8>)> = None;
    // Whitespace seen right after an encoded-word: dropped if another word follows.
    let mut held_space = "";
    let mut rest = value;
    while !rest.is_empty() {
        if let Some((used, charset, bytes)) = rest.strip_prefix("=?").and_then(parse_word) {
            match &mut pending {
                Some((open, held)) if open.eq_ignore_ascii_case(&charset) => held.extend(bytes),
                _ => {
                    flush(&mut out, &mut pending);
                    pending = Some((charset, bytes));
                }
            }
            held_space = "";
            rest = &rest[2 + used..];
            continue;
        }
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
        if spaces > 0 && pending.is_some() && held_space.is_empty() {
            held_space = &rest[..spaces];
            rest = &rest[spaces..];
            continue;
        }
        flush(&mut out, &mut pending);
        out.push_str(held_space);
        held_space = "";
        let take = if spaces > 0 {
            spaces
        } else {
            rest.chars().next().map_or(1, char::len_utf8)
        };
        out.push_str(&rest[..take]);
        rest = &rest[take..];
    }
    flush(&mut out, &mut pending);
    out.push_str(held_space);
    out
}

/// One encoded-word after its `=?`: the length read, the charset and the decoded bytes.
fn parse_word(text: &str) -> Option<(usize, String, Vec<u8>)> {
    let mut pieces = text.splitn(3, '?');
    let charset = pieces.next()?;
    let encoding = pieces.next()?;
    let tail = pieces.next()?;
    let end = tail.find("?=")?;
    let payload = &tail[..end];
    if charset.is_empty() || payload.contains([' ', '\t']) {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => STANDARD
            .decode(payload.trim_end_matches('='))
            .or_else(|_| STANDARD.decode(payload))
            .ok()
            .or_else(|| super::base64url::decode(payload).ok())?,
        "Q" | "q" => q_decode(payload),
        _ => return None,
    };
    // RFC 2231 lets a language follow the charset: `UTF-8*en`.
    let charset = charset.split('*').next().unwrap_or(charset).to_string();
    let used = charset_len(text) + 1 + encoding.len() + 1 + end + 2;
    Some((used, charset, bytes))
}

/// The length of the charset (with any language suffix) before the first `?`.
fn charset_len(text: &str) -> usize {
    text.find('?').unwrap_or(text.len())
}

/// Decodes the `Q` encoding: `_` is a space, `=XX` a byte.
fn q_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'_' => out.push(b' '),
            b'=' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 2;
                }
                _ => out.push(b'='),
            },
            other => out.push(other),
        }
        i += 1;
    }
    out
}

/// Appends the decoded text of a held run of words.
fn flush(out: &mut String, pending: &mut Option<(String, Vec<u8>)>) {
    if let Some((charset, bytes)) = pending.take() {
        out.push_str(&decode_text(&bytes, Some(&charset)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base64_word_decodes_to_utf8() {
        assert_eq!(
            decode_header("=?UTF-8?B?UmVsYXTDs3JpbyDigJQg5p2x5LqsIOKckw==?="),
            "Relatório — 東京 ✓"
        );
    }

    #[test]
    fn adjacent_words_join_even_when_a_character_is_split_between_them() {
        // "東" is E6 9D B1: the first word holds E6 9D, the second B1.
        assert_eq!(decode_header("=?UTF-8?B?5p0=?=\r\n =?UTF-8?B?sQ==?="), "東");
        assert_eq!(decode_header("=?UTF-8?B?5p2x?= =?UTF-8?B?5Lqs?="), "東京");
    }

    #[test]
    fn q_words_latin1_words_and_plain_text_around_them_decode() {
        assert_eq!(
            decode_header("Re: =?iso-8859-1?Q?Gr=FC=DFe_aus?= Wien"),
            "Re: Grüße aus Wien"
        );
        assert_eq!(decode_header("=?utf-8?q?caf=C3=A9?="), "café");
    }

    #[test]
    fn malformed_words_and_ordinary_text_stay_as_written() {
        assert_eq!(decode_header("a =?bad word b"), "a =?bad word b");
        assert_eq!(decode_header("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
        assert_eq!(decode_header("  two  spaces "), "  two  spaces ");
    }
}
