//! Turning message-part bytes into text, whatever charset they claim.

/// Windows-1252 characters for bytes 0x80–0x9F; the five unassigned bytes keep their C1 code.
const WINDOWS_1252_C1: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// The character a byte stands for in Windows-1252 (ISO-8859-1 outside 0x80–0x9F).
pub fn windows_1252_char(byte: u8) -> char {
    match byte {
        0x80..=0x9F => WINDOWS_1252_C1[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// Decodes part bytes to text given the part's declared charset (if any).
///
/// Parts declared as ISO-8859-1, Latin-1, US-ASCII or Windows-1252 are read as Windows-1252.
/// Everything else is read as UTF-8; bytes that are not valid UTF-8 are read as Windows-1252
/// instead, one character per byte, so no byte is dropped or replaced. Other legacy charsets
/// (ISO-2022-JP, GB2312, …) are not converted and may come out garbled. A leading byte-order mark
/// is removed.
pub fn decode_text(bytes: &[u8], charset: Option<&str>) -> String {
    let latin = charset.is_some_and(|c| {
        matches!(
            c.trim().to_ascii_lowercase().as_str(),
            "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" | "windows-1252" | "cp1252"
        )
    });
    let text = match std::str::from_utf8(bytes) {
        Ok(text) if !latin => text.to_string(),
        _ => bytes.iter().map(|b| windows_1252_char(*b)).collect(),
    };
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// The `charset` parameter of a `Content-Type` header value, unquoted.
pub fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bytes_decode_as_utf8() {
        assert_eq!(decode_text("été ✓".as_bytes(), Some("UTF-8")), "été ✓");
        assert_eq!(decode_text("été".as_bytes(), None), "été");
    }

    #[test]
    fn latin1_declared_parts_decode_byte_per_character() {
        assert_eq!(decode_text(&[b'c', 0xe9, 0x80], Some("ISO-8859-1")), "cé€");
        assert_eq!(
            decode_text(&[0x93, b'q', 0x94], Some(" windows-1252 ")),
            "“q”"
        );
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252_without_losing_bytes() {
        let text = decode_text(&[b'a', 0xff, 0x81, b'b'], Some("utf-8"));
        assert_eq!(text, "aÿ\u{81}b");
        assert_eq!(text.chars().count(), 4);
    }

    #[test]
    fn a_leading_byte_order_mark_is_removed() {
        assert_eq!(decode_text("\u{FEFF}Hi".as_bytes(), None), "Hi");
    }

    #[test]
    fn the_charset_parameter_is_read_quoted_or_not() {
        assert_eq!(
            charset_param("text/html; charset=\"UTF-8\"").as_deref(),
            Some("UTF-8")
        );
        assert_eq!(
            charset_param("text/plain; format=flowed; CHARSET=iso-8859-1").as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(charset_param("text/plain"), None);
    }
}
