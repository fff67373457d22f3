//! Quoted-printable body encoding (RFC 2045 §6.7) for text with CRLF line ends.

/// The longest encoded line, not counting the CRLF.
const MAX_LINE: usize = 76;

/// Encodes CRLF-separated text as quoted-printable.
///
/// Line breaks stay hard CRLF breaks; longer lines get `=` soft breaks so no encoded line exceeds
/// 76 characters; an escape `=XX` is never split. Printable ASCII other than `=` is kept, so
/// ASCII text stays readable; every other byte is escaped, and so is a space or tab at the end of
/// a line. The output never contains `=_`, which makes `=_`-prefixed MIME boundaries safe.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for (i, line) in text.split("\r\n").enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        encode_line(line.as_bytes(), &mut out);
    }
    out
}

/// Encodes one line (no CRLF inside) with soft breaks.
fn encode_line(line: &[u8], out: &mut String) {
    let mut len = 0;
    for (i, &byte) in line.iter().enumerate() {
        let last = i + 1 == line.len();
        let literal = match byte {
            b' ' | b'\t' => !last,
            b'=' => false,
            33..=126 => true,
            _ => false,
        };
        let width = if literal { 1 } else { 3 };
        // Room is left for the soft-break `=` unless this is the line's final piece.
        let limit = if last { MAX_LINE } else { MAX_LINE - 1 };
        if len + width > limit {
            out.push_str("=\r\n");
            len = 0;
        }
        if literal {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("={byte:02X}"));
        }
        len += width;
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::qp_decode;
    use super::*;

    #[test]
    fn ascii_text_stays_readable_and_equals_signs_are_escaped() {
        assert_eq!(
            encode("Sounds good.\r\n1 + 1 = 2"),
            "Sounds good.\r\n1 + 1 =3D 2"
        );
    }

    #[test]
    fn utf8_bytes_are_escaped_in_upper_case_hex() {
        assert_eq!(encode("Olá"), "Ol=C3=A1");
    }

    #[test]
    fn trailing_spaces_and_tabs_are_escaped() {
        assert_eq!(encode("a \r\nb\t"), "a=20\r\nb=09");
    }

    #[test]
    fn long_lines_get_soft_breaks_within_76_characters_and_decode_back() {
        let text = format!("{}\r\n{}", "é".repeat(100), "word ".repeat(40));
        let encoded = encode(&text);
        assert!(encoded.split("\r\n").all(|l| l.len() <= 76), "{encoded}");
        assert_eq!(String::from_utf8(qp_decode(&encoded)).unwrap(), text);
    }

    #[test]
    fn a_line_of_exactly_76_characters_needs_no_soft_break() {
        let line = "x".repeat(76);
        assert_eq!(encode(&line), line);
        let longer = "x".repeat(77);
        assert_eq!(encode(&longer), format!("{}=\r\nxx", "x".repeat(75)));
    }

    #[test]
    fn control_characters_and_equals_underscore_never_appear_raw() {
        let encoded = encode("=_boundary\u{7f}\u{0}");
        assert_eq!(encoded, "=3D_boundary=7F=00");
        assert!(!encoded.contains("=_"));
    }
}
