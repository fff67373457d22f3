//! MIME header parameters (`filename=`, `name=`): writing them per RFC 2045 and RFC 2231, and
//! reading them back, continuations and charsets included.
//!
//! A short ASCII value is written as a quoted string (`filename="report.pdf"`). A value with
//! a non-ASCII character is percent-encoded UTF-8 (`filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`),
//! and any value too long for one line is cut into numbered sections (`filename*0*=...;
//! filename*1*=...`), only between whole characters, so every header line stays short.

use percent_encoding::percent_decode_str;

use super::charset::decode_text;
use super::encoded_words::decode_header;

/// The longest value written without sections, so a folded line stays under 76 characters.
const MAX_SECTION: usize = 60;

/// The widest section of a quoted ASCII value.
const ASCII_SECTION: usize = 56;

/// The widest section of a percent-encoded value (`UTF-8''` comes first in section 0).
const ENCODED_SECTION: usize = 48;

/// The parameter as one or more `attribute=value` tokens, in order.
///
/// Tokens carry no separators: join them with `;` and a folding space.
pub fn encode_param(name: &str, value: &str) -> Vec<String> {
    let quoted = |text: &str| format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""));
    let plain = value.chars().all(|c| c.is_ascii() && !c.is_ascii_control());
    if plain && name.len() + value.len() + 3 <= MAX_SECTION + 8 {
        return vec![format!("{name}={}", quoted(value))];
    }
    if plain {
        return sections(value, ASCII_SECTION, |c| {
            let mut one = [0; 4];
            quoted(c.encode_utf8(&mut one)).trim_matches('"').len()
        })
        .iter()
        .enumerate()
        .map(|(i, section)| format!("{name}*{i}={}", quoted(section)))
        .collect();
    }
    let encoded = |text: &str| text.chars().map(percent_char).collect::<String>();
    let whole = encoded(value);
    if name.len() + whole.len() + 9 <= MAX_SECTION + 8 {
        return vec![format!("{name}*=UTF-8''{whole}")];
    }
    sections(value, ENCODED_SECTION, |c| percent_char(c).len())
        .iter()
        .enumerate()
        .map(|(i, section)| {
            let charset = if i == 0 { "UTF-8''" } else { "" };
            format!("{name}*{i}*={charset}{}", encoded(section))
        })
        .collect()
}

/// Cuts `value` into runs of whole characters whose written width stays within `max`.
fn sections(value: &str, max: usize, width: impl Fn(char) -> usize) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (at, c) in value.char_indices() {
        let w = width(c);
        if used + w > max && at > start {
            out.push(&value[start..at]);
            start = at;
            used = 0;
        }
        used += w;
    }
    out.push(&value[start..]);
    out
}

/// One character as RFC 2231 writes it: itself when it is an `attribute-char`, else its UTF-8
/// bytes as `%XX`.
fn percent_char(c: char) -> String {
    let safe = c.is_ascii_alphanumeric() || "!#$&+-.^_`{|}~".contains(c);
    if safe {
        return c.to_string();
    }
    let mut bytes = [0; 4];
    c.encode_utf8(&mut bytes)
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect()
}

/// Reads a `Content-Type` or `Content-Disposition` value: the lowercased type and the
/// parameters, with RFC 2231 sections joined and decoded and names lowercased.
pub fn parse_header_value(value: &str) -> (String, Vec<(String, String)>) {
    let mut pieces = split_outside_quotes(value).into_iter();
    let kind = pieces
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let mut raw: Vec<(String, String)> = Vec::new();
    for piece in pieces {
        let Some((key, value)) = piece.split_once('=') else {
            continue;
        };
        raw.push((key.trim().to_ascii_lowercase(), unquote(value.trim())));
    }
    (kind, join_sections(raw))
}

/// Splits at `;` outside double quotes.
fn split_outside_quotes(value: &str) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let (mut quoted, mut escaped) = (false, false);
    for c in value.chars() {
        let current = pieces.last_mut().expect("never empty");
        match c {
            _ if escaped => {
                escaped = false;
                current.push(c);
            }
            '\\' if quoted => {
                escaped = true;
                current.push(c);
            }
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ';' if !quoted => pieces.push(String::new()),
            _ => current.push(c),
        }
    }
    pieces
}

/// A parameter value without its quotes and backslash escapes.
fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return value.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' {
            chars.next().unwrap_or(c)
        } else {
            c
        });
    }
    out
}

/// Joins `name*0`, `name*1*`, ... into `name`, decodes `name*` values, and decodes RFC 2047
/// words that some mailers put in plain values (`name="=?UTF-8?B?...?="`).
fn join_sections(raw: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut sectioned: Vec<(String, usize, bool, String)> = Vec::new();
    for (key, value) in raw {
        let Some((base, rest)) = key.split_once('*') else {
            out.push((key, decode_header(&value)));
            continue;
        };
        let extended = rest.ends_with('*') || rest.is_empty();
        let number = rest.trim_end_matches('*');
        if number.is_empty() {
            out.push((base.to_string(), decode_extended(&value)));
            continue;
        }
        if let Ok(n) = number.parse::<usize>() {
            sectioned.push((base.to_string(), n, extended, value));
        }
    }
    sectioned.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut names: Vec<String> = sectioned.iter().map(|s| s.0.clone()).collect();
    names.dedup();
    for name in names {
        let parts: Vec<&(String, usize, bool, String)> =
            sectioned.iter().filter(|s| s.0 == name).collect();
        let charset = parts
            .first()
            .filter(|p| p.2)
            .and_then(|p| p.3.split_once('\'').map(|(c, _)| c.to_string()));
        let mut bytes = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let text = if i == 0 && part.2 {
                part.3.splitn(3, '\'').nth(2).unwrap_or(&part.3)
            } else {
                &part.3
            };
            if part.2 {
                bytes.extend(percent_decode_str(text).collect::<Vec<u8>>());
            } else {
                bytes.extend(text.as_bytes());
            }
        }
        out.retain(|(key, _)| *key != name);
        out.push((name, decode_text(&bytes, charset.as_deref())));
    }
    out
}

/// Decodes one `charset'language'percent-encoded` value.
fn decode_extended(value: &str) -> String {
    let mut pieces = value.splitn(3, '\'');
    let (Some(charset), Some(_), Some(text)) = (pieces.next(), pieces.next(), pieces.next()) else {
        return percent_decode_str(value).decode_utf8_lossy().into_owned();
    };
    let bytes: Vec<u8> = percent_decode_str(text).collect();
    decode_text(&bytes, Some(charset))
}

/// The value of parameter `name` (lowercase) from [`parse_header_value`]'s list.
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(value: &str) -> String {
        let header = format!("attachment; {}", encode_param("filename", value).join("; "));
        let (_, params) = parse_header_value(&header);
        param(&params, "filename").unwrap().to_string()
    }

    #[test]
    fn a_short_ascii_name_is_a_quoted_string_with_escapes() {
        assert_eq!(
            encode_param("filename", "report.pdf"),
            ["filename=\"report.pdf\""]
        );
        assert_eq!(
            encode_param("filename", "a \"b\" c\\d.txt"),
            [r#"filename="a \"b\" c\\d.txt""#]
        );
        assert_eq!(round_trip("a \"b\" c\\d.txt"), "a \"b\" c\\d.txt");
    }

    #[test]
    fn a_non_ascii_name_is_percent_encoded_utf8() {
        assert_eq!(
            encode_param("filename", "résumé.pdf"),
            ["filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"]
        );
        assert_eq!(round_trip("résumé 東京.pdf"), "résumé 東京.pdf");
    }

    #[test]
    fn a_long_name_is_cut_into_sections_between_whole_characters() {
        let name = format!("{}.pdf", "東京".repeat(20));
        let tokens = encode_param("filename", &name);
        assert!(tokens.len() > 1, "{tokens:?}");
        assert!(tokens[0].starts_with("filename*0*=UTF-8''%E6"));
        assert!(tokens[1].starts_with("filename*1*=%"));
        for token in &tokens {
            assert!(token.is_ascii() && token.len() <= 75, "{token}");
            let value = token
                .split_once('=')
                .unwrap()
                .1
                .trim_start_matches("UTF-8''");
            let bytes: Vec<u8> = percent_decode_str(value).collect();
            assert!(
                String::from_utf8(bytes).is_ok(),
                "a character was split: {token}"
            );
        }
        assert_eq!(round_trip(&name), name);

        let ascii = "x".repeat(150);
        assert!(encode_param("filename", &ascii).len() > 1);
        assert_eq!(round_trip(&ascii), ascii);
    }

    #[test]
    fn plain_encoded_words_and_charsets_are_read() {
        let (kind, params) =
            parse_header_value("Attachment; FILENAME=\"=?UTF-8?B?5p2x5Lqs?=.pdf\"; size=12");
        assert_eq!(kind, "attachment");
        assert_eq!(param(&params, "filename"), Some("東京.pdf"));
        assert_eq!(param(&params, "size"), Some("12"));

        let (_, params) = parse_header_value("inline; filename*=iso-8859-1'de'Gr%FC%DFe.txt");
        assert_eq!(param(&params, "filename"), Some("Grüße.txt"));
    }
}
