//! HTML character references: the common named entities and numeric references.

use super::charset::windows_1252_char;

/// Names of the entities for U+00A0 to U+00FF, in code point order.
const LATIN1_NAMES: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// Other named entities common in mail: markup, punctuation, symbols and a few letters.
const OTHER_NAMES: [(&str, char); 46] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("zwnj", '\u{200C}'),
    ("zwj", '\u{200D}'),
    ("lrm", '\u{200E}'),
    ("rlm", '\u{200F}'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("sbquo", '‚'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("bdquo", '„'),
    ("dagger", '†'),
    ("Dagger", '‡'),
    ("bull", '•'),
    ("hellip", '…'),
    ("permil", '‰'),
    ("prime", '′'),
    ("Prime", '″'),
    ("lsaquo", '‹'),
    ("rsaquo", '›'),
    ("oline", '‾'),
    ("euro", '€'),
    ("trade", '™'),
    ("larr", '←'),
    ("rarr", '→'),
    ("uarr", '↑'),
    ("darr", '↓'),
    ("harr", '↔'),
    ("hearts", '♥'),
    ("check", '✓'),
    ("OElig", 'Œ'),
    ("oelig", 'œ'),
    ("Scaron", 'Š'),
    ("scaron", 'š'),
    ("Yuml", 'Ÿ'),
    ("circ", 'ˆ'),
    ("tilde", '˜'),
];

/// The character a named entity (without `&` and `;`) stands for, if it is a known one.
pub fn named_entity(name: &str) -> Option<char> {
    if let Some(index) = LATIN1_NAMES.iter().position(|n| *n == name) {
        return char::from_u32(0xA0 + index as u32);
    }
    OTHER_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| *c)
}

/// The character for a numeric reference, as browsers read it.
///
/// 0x80–0x9F are read as Windows-1252, since that is what such references meant in practice;
/// zero, surrogates and values past U+10FFFF become U+FFFD.
fn numeric_char(code: u32) -> char {
    match code {
        0x80..=0x9F => windows_1252_char(code as u8),
        0 => char::REPLACEMENT_CHARACTER,
        _ => char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
    }
}

/// Decodes the character references in a run of HTML text or an attribute value.
///
/// Named references need their `;`; unknown names stay as written. Numeric references
/// (`&#233;`, `&#xE9;`) may lack the `;`.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match reference(after) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads one reference after its `&`: the character and how many bytes it used.
fn reference(after: &str) -> Option<(char, usize)> {
    if let Some(numeric) = after.strip_prefix('#') {
        let (digits, radix, prefix) = match numeric.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (numeric, 10, 1),
        };
        let len = digits
            .bytes()
            .take_while(|b| (*b as char).is_digit(radix))
            .count();
        if len == 0 {
            return None;
        }
        let code = u32::from_str_radix(&digits[..len.min(8)], radix).unwrap_or(u32::MAX);
        let semicolon = usize::from(digits[len..].starts_with(';'));
        return Some((numeric_char(code), prefix + len + semicolon));
    }
    let len = after
        .bytes()
        .take(32)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if len == 0 || !after[len..].starts_with(';') {
        return None;
    }
    named_entity(&after[..len]).map(|c| (c, len + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_named_entities_decode() {
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"),
            "a & b <c> \"d\" 'e'"
        );
        assert_eq!(
            decode_entities("&copy; 2017 &eacute;t&eacute; &mdash; &euro;5 &hellip;"),
            "© 2017 été — €5 …"
        );
        assert_eq!(decode_entities("&nbsp;&yuml;&iexcl;"), "\u{a0}ÿ¡");
    }

    #[test]
    fn numeric_references_decode_in_decimal_and_hex() {
        assert_eq!(decode_entities("&#233;&#xE9;&#XE9;&#39;"), "ééé'");
        assert_eq!(decode_entities("&#128512;"), "😀");
    }

    #[test]
    fn numeric_references_without_semicolon_still_decode() {
        assert_eq!(decode_entities("&#65B"), "AB");
    }

    #[test]
    fn invalid_code_points_become_the_replacement_character() {
        assert_eq!(
            decode_entities("&#0;&#xD800;&#x110000;&#99999999999;"),
            "\u{fffd}".repeat(4)
        );
    }

    #[test]
    fn c1_numeric_references_read_as_windows_1252() {
        assert_eq!(decode_entities("&#150;&#x93;x&#148;"), "–“x”");
    }

    #[test]
    fn unknown_or_unterminated_references_stay_as_written() {
        assert_eq!(
            decode_entities("AT&T &bogus; &amp &#; &#x; &"),
            "AT&T &bogus; &amp &#; &#x; &"
        );
    }

    #[test]
    fn decoding_is_not_applied_twice() {
        assert_eq!(decode_entities("&amp;lt;"), "&lt;");
    }
}
