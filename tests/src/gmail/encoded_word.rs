//! RFC 2047 encoded-words in header values (`=?UTF-8?B?...?=`), decoded for storage.

use base64::Engine;

use super::codec;

/// Decodes every encoded-word in a header value. Whitespace between two adjacent
/// encoded-words is dropped, and the bytes of adjacent words in one charset are joined
/// before decoding, so a character split across words survives.
pub(crate) fn decode(value: &str) -> String {
    let mut out = String::new();
    let mut pending: Option<(String, Vec<u8>)> = None;
    let mut gap = String::new();
    let mut rest = value;

    while let Some(start) = rest.find("=?") {
        let Some((word_len, charset, bytes)) = parse_word(&rest[start..]) else {
            flush(&mut out, &mut pending);
            out.push_str(&gap);
            gap.clear();
            out.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            continue;
        };

        let between = &rest[..start];
        let adjacent = pending.is_some() && between.trim().is_empty();
        if !adjacent {
            flush(&mut out, &mut pending);
            out.push_str(&gap);
            out.push_str(between);
        }
        gap.clear();

        match &mut pending {
            Some((open, buffer)) if adjacent && open.eq_ignore_ascii_case(&charset) => {
                buffer.extend(bytes)
            }
            _ => {
                flush(&mut out, &mut pending);
                pending = Some((charset, bytes));
            }
        }
        rest = &rest[start + word_len..];
        let trailing = rest.len() - rest.trim_start().len();
        gap.push_str(&rest[..trailing]);
        rest = &rest[trailing..];
    }

    flush(&mut out, &mut pending);
    out.push_str(&gap);
    out.push_str(rest);
    out
}

/// Reads one `=?charset?enc?text?=` at the start of `text`: its length, charset, bytes.
fn parse_word(text: &str) -> Option<(usize, String, Vec<u8>)> {
    let inner = text.strip_prefix("=?")?;
    let (charset, inner) = inner.split_once('?')?;
    let (encoding, inner) = inner.split_once('?')?;
    let end = inner.find("?=")?;
    let encoded = &inner[..end];
    if encoded.contains(' ') || charset.is_empty() {
        return None;
    }

    let bytes = match encoding {
        "B" | "b" => base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok()?,
        "Q" | "q" => codec::from_quoted_printable(encoded.replace('_', " ").as_bytes()),
        _ => return None,
    };
    let length = 2 + charset.len() + 1 + encoding.len() + 1 + end + 2;
    let charset = charset.split('*').next().unwrap_or(charset).to_string();

    Some((length, charset, bytes))
}

fn flush(out: &mut String, pending: &mut Option<(String, Vec<u8>)>) {
    if let Some((charset, bytes)) = pending.take() {
        out.push_str(&to_text(&charset, &bytes));
    }
}

/// UTF-8 and ASCII decode as UTF-8; the Latin-1 family maps byte to character.
fn to_text(charset: &str, bytes: &[u8]) -> String {
    let latin = ["iso-8859-1", "latin1", "windows-1252", "iso-8859-15"];
    if latin.iter().any(|name| charset.eq_ignore_ascii_case(name)) {
        bytes.iter().map(|&b| b as char).collect()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base64_word_decodes_to_utf8() {
        let value = "=?UTF-8?B?UmVsYXTDs3JpbyDigJQg5p2x5LqsIOKckw==?=";

        assert_eq!(decode(value), "Relatório — 東京 ✓");
    }

    #[test]
    fn whitespace_between_adjacent_words_is_dropped() {
        assert_eq!(decode("=?UTF-8?B?5p2x?= =?UTF-8?B?5Lqs?="), "東京");
        assert_eq!(
            decode("=?utf-8?q?caf=C3=A9_au?=\t =?utf-8?q?_lait?="),
            "café au lait"
        );
    }

    #[test]
    fn a_character_split_across_words_survives() {
        // "東" is E6 9D B1; the first word ends mid-character.
        assert_eq!(decode("=?UTF-8?B?5p0=?= =?UTF-8?B?sQ==?="), "東");
    }

    #[test]
    fn text_around_words_and_broken_words_stay_literal() {
        assert_eq!(
            decode("Re: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= again"),
            "Re: Grüße again"
        );
        assert_eq!(decode("price =? 10"), "price =? 10");
        assert_eq!(decode("plain subject"), "plain subject");
    }

    #[test]
    fn latin1_words_map_bytes_to_characters() {
        assert_eq!(decode("=?ISO-8859-1?Q?Andr=E9?="), "André");
    }
}
