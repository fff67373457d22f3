//! Base64url encoding for Gmail `raw` messages and tolerant decoding of Gmail part data.
//!
//! Gmail sends part data in the URL-safe alphabet, with or without `=` padding. The decoder
//! accepts both alphabets, padding or none, and ignores whitespace, so any base64 text Google or
//! a model hands over decodes the same way.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use minijinja::value::ValueKind;
use minijinja::{Error, Value};

use super::args::invalid;

/// URL-safe alphabet, no padding written, padding optional when read, trailing bits tolerated.
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Encodes bytes as base64url (`-` and `_`) without `=` padding.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_LENIENT.encode(bytes)
}

/// Decodes base64 or base64url text, with or without padding, ignoring whitespace.
///
/// The error names no argument; callers add that context.
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '/' | '=');
    if let Some((offset, bad)) = text
        .char_indices()
        .find(|(_, c)| !allowed(*c) && !c.is_ascii_whitespace())
    {
        return Err(format!("invalid character {bad:?} at offset {offset}"));
    }
    let mut clean: String = text
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            other => other,
        })
        .collect();
    while clean.ends_with('=') {
        clean.pop();
    }
    if clean.contains('=') {
        return Err("padding `=` appears before the end".to_string());
    }
    if clean.len() % 4 == 1 {
        return Err(format!(
            "length {} (without padding) cannot be base64: one character too many or too few",
            clean.len()
        ));
    }
    URL_SAFE_LENIENT
        .decode(clean.as_bytes())
        .map_err(|err| format!("cannot be decoded ({err})"))
}

/// Template filter `b64url_encode`: a string (its UTF-8 bytes) or bytes → base64url, unpadded.
pub(crate) fn b64url_encode_filter(value: &Value) -> Result<Value, Error> {
    let encoded = match value.kind() {
        ValueKind::String => encode(value.as_str().unwrap_or_default().as_bytes()),
        ValueKind::Bytes => encode(value.as_bytes().unwrap_or_default()),
        ValueKind::Undefined | ValueKind::None => return Err(invalid("`value` is missing")),
        kind => {
            return Err(invalid(format!(
                "`value` must be a string or bytes to base64url-encode, got a {kind}"
            )));
        }
    };
    Ok(Value::from(encoded))
}

/// Template filter `b64url_decode`: tolerant decode to a string.
///
/// Valid UTF-8 comes back as a string. Anything else comes back as a bytes value, so no byte is
/// lost or replaced; `b64url_encode` turns it back into the same base64url text.
pub(crate) fn b64url_decode_filter(value: &Value) -> Result<Value, Error> {
    let text = match value.kind() {
        ValueKind::String => value.as_str().unwrap_or_default(),
        ValueKind::Undefined | ValueKind::None => return Err(invalid("`value` is missing")),
        kind => {
            return Err(invalid(format!(
                "`value` must be a base64 string to decode, got a {kind}"
            )));
        }
    };
    let bytes = decode(text).map_err(|why| invalid(format!("`value` is not base64: {why}")))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Value::from(text),
        Err(err) => Value::from_bytes(err.into_bytes()),
    })
}

#[cfg(test)]
mod tests;
