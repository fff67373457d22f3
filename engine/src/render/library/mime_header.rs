//! Writing one header field: RFC 2047 encoded-words for non-ASCII text, and folding.
//!
//! Every line written is at most 76 characters when it can be (RFC 2047 §2 asks that of lines
//! holding encoded-words), folding only before whitespace that the text already has or between
//! encoded-words, so unfolding gives back exactly what was written.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The longest line this writer aims for.
const MAX_LINE: usize = 76;

/// The longest encoded-word RFC 2047 allows.
pub const MAX_WORD: usize = 75;

/// `=?UTF-8?B?` plus `?=`: what an encoded-word adds around its base64 text.
const WORD_OVERHEAD: usize = 12;

/// ASCII words longer than this are encoded so that no line nears the 998-octet limit.
const LONGEST_LITERAL_WORD: usize = 900;

/// Whether header text must be sent as encoded-words rather than literally.
///
/// That is text with a non-ASCII or control character (other than tab), text that contains
/// `=?` (which a reader would take for the start of an encoded-word), and text with a word too
/// long for a line.
pub fn needs_encoding(text: &str) -> bool {
    text.chars()
        .any(|c| !c.is_ascii() || (c.is_ascii_control() && c != '\t'))
        || text.contains("=?")
        || text
            .split([' ', '\t'])
            .any(|w| w.len() > LONGEST_LITERAL_WORD)
}

/// Builds one header field line by line.
pub struct HeaderWriter {
    out: String,
    line_len: usize,
    empty: bool,
}

impl HeaderWriter {
    /// Starts the field `name:`.
    pub fn new(name: &str) -> Self {
        HeaderWriter {
            out: format!("{name}:"),
            line_len: name.len() + 1,
            empty: true,
        }
    }

    /// Adds a token that must stay whole, after a space; folds before it if the line would be
    /// too long (never before the first token, and never before an empty one).
    pub fn token(&mut self, token: &str) {
        if !self.empty && !token.is_empty() && self.line_len + 1 + token.len() > MAX_LINE {
            self.fold();
        }
        self.out.push(' ');
        self.out.push_str(token);
        self.line_len += 1 + token.len();
        self.empty = false;
    }

    /// Adds text literally, folding only at its own spaces.
    pub fn literal(&mut self, text: &str) {
        for word in text.split(' ') {
            self.token(word);
        }
    }

    /// Adds text as UTF-8 `B` encoded-words, each at most 75 characters, filling lines and
    /// splitting only between whole characters.
    pub fn encoded(&mut self, text: &str) {
        let mut rest = text;
        while let Some(first) = rest.chars().next() {
            let needed = WORD_OVERHEAD + base64_len(first.len_utf8());
            let room = MAX_LINE.saturating_sub(self.line_len + 1);
            if !self.empty && room < needed {
                self.fold();
            }
            let room = MAX_LINE
                .saturating_sub(self.line_len + 1)
                .clamp(needed, MAX_WORD);
            let max_bytes = (room - WORD_OVERHEAD) / 4 * 3;
            let mut take = first.len_utf8();
            for c in rest[take..].chars() {
                if take + c.len_utf8() > max_bytes {
                    break;
                }
                take += c.len_utf8();
            }
            let word = format!("=?UTF-8?B?{}?=", STANDARD.encode(&rest.as_bytes()[..take]));
            self.token(&word);
            rest = &rest[take..];
        }
    }

    /// Adds text literally when it can be, as encoded-words when it must.
    pub fn text(&mut self, text: &str) {
        if needs_encoding(text) {
            self.encoded(text);
        } else {
            self.literal(text);
        }
    }

    /// The finished field, ending in CRLF.
    pub fn finish(mut self) -> String {
        self.out.push_str("\r\n");
        self.out
    }

    /// Starts a continuation line.
    fn fold(&mut self) {
        self.out.push_str("\r\n");
        self.line_len = 0;
    }
}

/// The length of the padded base64 text for `bytes` bytes.
fn base64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

#[cfg(test)]
mod tests;
