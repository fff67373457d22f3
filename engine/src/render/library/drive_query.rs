//! Drive `q` strings: quoting literals, and telling a query from free text.

use minijinja::value::Kwargs;
use minijinja::{Error, Value};

use super::args::{Args, text_of};

/// Query terms that take a comparison or `contains`/`has` operator after them.
const FIELDS: [&str; 13] = [
    "name",
    "fullText",
    "mimeType",
    "modifiedTime",
    "viewedByMeTime",
    "createdTime",
    "trashed",
    "starred",
    "sharedWithMe",
    "properties",
    "appProperties",
    "visibility",
    "shortcutDetails.targetId",
];

/// Collections that follow `'value' in`.
const COLLECTIONS: [&str; 4] = ["parents", "owners", "writers", "readers"];

/// Quotes a value as a Drive query string literal: backslashes doubled first, then `'`
/// escaped as `\'`, all wrapped in single quotes.
pub fn drive_quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Builds the `q` for a search: a Drive query passes through, free text becomes a full-text
/// search.
///
/// The input counts as Drive query syntax when it contains a query term followed by its
/// operator and a value — `name contains 'x'`, `mimeType = '…'`, `modifiedTime > '…'`,
/// `trashed = false`, `properties has {…}` — or a quoted value followed by `in parents` (or
/// `owners`, `writers`, `readers`). Names and operators are matched case-insensitively and
/// values must be quoted literals (booleans for `trashed`, `starred`, …), so plain words such as
/// `name contains budget` are free text. A query passes through unchanged, and
/// ` and trashed = false` is appended unless it mentions `trashed` or `include_trashed` is set
/// (a query with a top-level `or` is wrapped in parentheses first). Free text becomes
/// `fullText contains '<text>'`, quoted with `drive_quote`, plus the same trashed clause. Blank
/// input lists everything: `trashed = false`, or an empty `q` with `include_trashed`.
pub fn drive_search_query(query: &str, include_trashed: bool) -> String {
    let query = query.trim();
    let tokens = tokenize(query);
    let (base, mentions_trashed) = if query.is_empty() {
        (String::new(), false)
    } else if looks_like_query(&tokens) {
        let has_or = tokens.iter().any(|t| t.word_is("or"));
        let base = if has_or && !include_trashed && !mentions(&tokens, "trashed") {
            format!("({query})")
        } else {
            query.to_string()
        };
        (base, mentions(&tokens, "trashed"))
    } else {
        (format!("fullText contains {}", drive_quote(query)), false)
    };
    match (include_trashed || mentions_trashed, base.is_empty()) {
        (true, _) => base,
        (false, true) => "trashed = false".to_string(),
        (false, false) => format!("{base} and trashed = false"),
    }
}

/// A lexical piece of a query.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    /// A bare word: a term, operator keyword, boolean or anything else unquoted.
    Word(&'a str),
    /// A comparison operator: `=`, `!=`, `<`, `<=`, `>`, `>=`.
    Op,
    /// A single-quoted literal.
    Literal,
    /// Any other punctuation (`(`, `)`, `{`, `}`, `,`).
    Punct(char),
}

impl Token<'_> {
    /// Whether this is the word `word`, ignoring ASCII case.
    fn word_is(&self, word: &str) -> bool {
        matches!(self, Token::Word(w) if w.eq_ignore_ascii_case(word))
    }
}

/// Splits a query into words, operators, literals and punctuation.
fn tokenize(query: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut chars = query.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                let mut escaped = false;
                for (_, c) in chars.by_ref() {
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '\'' => break,
                        _ => {}
                    }
                }
                tokens.push(Token::Literal);
            }
            '=' | '!' | '<' | '>' => {
                chars.next_if(|(_, c)| *c == '=');
                tokens.push(Token::Op);
            }
            c if c.is_whitespace() => {}
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                let mut end = i + c.len_utf8();
                while let Some((j, d)) =
                    chars.next_if(|(_, d)| d.is_alphanumeric() || *d == '_' || *d == '.')
                {
                    end = j + d.len_utf8();
                }
                tokens.push(Token::Word(&query[i..end]));
            }
            other => tokens.push(Token::Punct(other)),
        }
    }
    tokens
}

/// Whether the tokens hold a term-operator-value triple or a `'value' in collection`.
fn looks_like_query(tokens: &[Token<'_>]) -> bool {
    let is_field = |t: &Token<'_>| FIELDS.iter().any(|f| t.word_is(f));
    let is_value = |t: &Token<'_>| {
        matches!(t, Token::Literal | Token::Punct('{')) || t.word_is("true") || t.word_is("false")
    };
    tokens.windows(3).any(|w| match w {
        [field, op, value] if is_field(field) => {
            let operator = matches!(op, Token::Op) || op.word_is("contains") || op.word_is("has");
            operator && is_value(value)
        }
        [Token::Literal, keyword, collection] => {
            keyword.word_is("in") && COLLECTIONS.iter().any(|c| collection.word_is(c))
        }
        _ => false,
    })
}

/// Whether the word appears outside literals.
fn mentions(tokens: &[Token<'_>], word: &str) -> bool {
    tokens.iter().any(|t| t.word_is(word))
}

/// Template filter `drive_quote`.
pub(crate) fn drive_quote_filter(value: &Value) -> Result<Value, Error> {
    Ok(Value::from(drive_quote(&text_of(value, "value")?)))
}

/// Template function `drive_search_query(query, include_trashed=false)`.
pub(crate) fn drive_search_query_function(
    positional: &[Value],
    kwargs: Kwargs,
) -> Result<Value, Error> {
    let args = Args::new("drive_search_query", positional, kwargs);
    let query = args.text(Some(0), "query")?.unwrap_or_default();
    let include_trashed = args.flag(Some(1), "include_trashed", false)?;
    args.finish(2)?;
    Ok(Value::from(drive_search_query(&query, include_trashed)))
}

#[cfg(test)]
mod tests;
