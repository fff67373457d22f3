//! Tokens of Drive's `q` language.

/// One token of a Drive query.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Token {
    /// A bare word: a field (`name`, `mimeType`), a keyword (`and`, `contains`) or `true`.
    Word(String),
    /// A single-quoted string with its escapes (`\'`, `\\`) resolved.
    Text(String),
    /// A comparison: `=`, `!=`, `<`, `<=`, `>`, `>=`.
    Compare(&'static str),
    Open,
    Close,
}

/// Why a query could not be read; Drive answers every such case with `Invalid Value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct QueryError(pub(crate) String);

/// Splits a query into tokens.
pub(crate) fn lex(query: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    let mut tokens = Vec::new();
    let mut index = 0;

    while index < chars.len() {
        let c = chars[index];
        match c {
            _ if c.is_whitespace() => index += 1,
            '(' => {
                tokens.push(Token::Open);
                index += 1;
            }
            ')' => {
                tokens.push(Token::Close);
                index += 1;
            }
            '\'' => {
                let (text, next) = string(&chars, index)?;
                tokens.push(Token::Text(text));
                index = next;
            }
            '=' | '!' | '<' | '>' => {
                let (op, next) = compare(&chars, index)?;
                tokens.push(Token::Compare(op));
                index = next;
            }
            _ if c.is_alphanumeric() || c == '_' || c == '.' => {
                let start = index;
                while index < chars.len()
                    && (chars[index].is_alphanumeric() || matches!(chars[index], '_' | '.'))
                {
                    index += 1;
                }
                tokens.push(Token::Word(chars[start..index].iter().collect()));
            }
            _ => return Err(QueryError(format!("unexpected character {c:?} at {index}"))),
        }
    }

    Ok(tokens)
}

/// A quoted string starting at `start`; only `\'` and `\\` are valid escapes.
fn string(chars: &[char], start: usize) -> Result<(String, usize), QueryError> {
    let mut text = String::new();
    let mut index = start + 1;

    while index < chars.len() {
        match chars[index] {
            '\'' => return Ok((text, index + 1)),
            '\\' => match chars.get(index + 1) {
                Some(&escaped @ ('\'' | '\\')) => {
                    text.push(escaped);
                    index += 2;
                }
                other => return Err(QueryError(format!("invalid escape \\{other:?} at {index}"))),
            },
            c => {
                text.push(c);
                index += 1;
            }
        }
    }

    Err(QueryError(format!(
        "unterminated string starting at {start}"
    )))
}

fn compare(chars: &[char], start: usize) -> Result<(&'static str, usize), QueryError> {
    let next = chars.get(start + 1) == Some(&'=');
    let op = match (chars[start], next) {
        ('=', _) => return Ok(("=", start + 1)),
        ('!', true) => "!=",
        ('<', true) => "<=",
        ('>', true) => ">=",
        ('<', false) => return Ok(("<", start + 1)),
        ('>', false) => return Ok((">", start + 1)),
        _ => return Err(QueryError(format!("unexpected '!' at {start}"))),
    };
    Ok((op, start + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Token {
        Token::Text(value.into())
    }

    fn word(value: &str) -> Token {
        Token::Word(value.into())
    }

    #[test]
    fn escaped_quote_and_backslash_are_resolved_inside_strings() {
        let tokens = lex(r#"name contains 'Jon\'s "Q3" plan\\draft'"#).unwrap();

        assert_eq!(
            tokens,
            [
                word("name"),
                word("contains"),
                text(r#"Jon's "Q3" plan\draft"#)
            ]
        );
    }

    #[test]
    fn comparisons_and_parentheses_are_tokens() {
        let tokens = lex("(modifiedTime >= '2024-01-01' or starred!=true)").unwrap();

        assert_eq!(
            tokens,
            [
                Token::Open,
                word("modifiedTime"),
                Token::Compare(">="),
                text("2024-01-01"),
                word("or"),
                word("starred"),
                Token::Compare("!="),
                word("true"),
                Token::Close
            ]
        );
    }

    #[test]
    fn an_unbalanced_quote_is_an_error() {
        assert!(lex("name contains 'Jon's plan'").is_err());
        assert!(lex("name contains 'Jon").is_err());
        assert!(lex(r"name = 'a\'").is_err());
    }

    #[test]
    fn an_unknown_escape_or_character_is_an_error() {
        assert!(lex(r"name = 'a\d'").is_err());
        assert!(lex("name = \"double\"").is_err());
        assert!(lex("name ! 'x'").is_err());
    }
}
