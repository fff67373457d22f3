//! Drive's `q` language: a tokenizer and a recursive-descent parser into [`Expr`].
//!
//! Grammar (keywords case-insensitive):
//!
//! ```text
//! query   := or
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | primary
//! primary := "(" or ")" | STRING "in" COLLECTION | FIELD OPERATOR VALUE | "sharedWithMe"
//! ```
//!
//! Each field accepts only its own operators and value kind, as Drive documents them;
//! anything else is a [`QueryError`], which the API reports as `400 Invalid Value`.

mod lexer;

use chrono::{DateTime, Utc};

pub(crate) use lexer::QueryError;
use lexer::{Token, lex};

use crate::time::parse_lenient;

/// A parsed query.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// `name contains 'x'`, `mimeType != 'y'`, `fullText contains 'z'`.
    Text {
        field: TextField,
        op: Op,
        value: String,
    },
    /// `modifiedTime > '2024-01-01T00:00:00'`.
    Time {
        field: TimeField,
        op: Op,
        value: DateTime<Utc>,
    },
    /// `trashed = false`, `starred != true`, `sharedWithMe`.
    Flag {
        field: FlagField,
        op: Op,
        value: bool,
    },
    /// `'<id>' in parents`, `'me' in owners`.
    In {
        value: String,
        collection: Collection,
    },
}

/// Text fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextField {
    Name,
    FullText,
    MimeType,
}

/// Time fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimeField {
    Modified,
    Created,
    ViewedByMe,
}

/// Boolean fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FlagField {
    Trashed,
    Starred,
    SharedWithMe,
}

/// Collections tested with `in`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Collection {
    Parents,
    Owners,
    Writers,
    Readers,
}

/// Operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Contains,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Expr {
    /// Parses a whole query.
    pub(crate) fn parse(query: &str) -> Result<Expr, QueryError> {
        let mut parser = Parser {
            tokens: lex(query)?,
            position: 0,
        };
        let expr = parser.or()?;

        match parser.tokens.get(parser.position) {
            None => Ok(expr),
            Some(token) => Err(QueryError(format!(
                "unexpected {token:?} after a complete query"
            ))),
        }
    }

    /// Whether the query searches full text, which rules out `orderBy`.
    pub(crate) fn uses_full_text(&self) -> bool {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => a.uses_full_text() || b.uses_full_text(),
            Expr::Not(inner) => inner.uses_full_text(),
            Expr::Text { field, .. } => *field == TextField::FullText,
            _ => false,
        }
    }
}

struct Parser {
    tokens: Vec<Token>,
    position: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    /// Consumes the keyword if it comes next.
    fn keyword(&mut self, keyword: &str) -> bool {
        let next = self.tokens.get(self.position);
        let found = matches!(next, Some(Token::Word(word)) if word.eq_ignore_ascii_case(keyword));
        if found {
            self.position += 1;
        }
        found
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        if self.keyword("not") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        match self.next() {
            Some(Token::Open) => {
                let inner = self.or()?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    other => Err(QueryError(format!("expected ')' but found {other:?}"))),
                }
            }
            Some(Token::Text(value)) => {
                if !self.keyword("in") {
                    return Err(QueryError("a string must be followed by 'in'".into()));
                }
                let collection = match self.next() {
                    Some(Token::Word(word)) => collection(&word)?,
                    other => {
                        return Err(QueryError(format!(
                            "expected a collection, found {other:?}"
                        )));
                    }
                };
                Ok(Expr::In { value, collection })
            }
            Some(Token::Word(field)) => self.comparison(&field),
            other => Err(QueryError(format!(
                "expected a query term, found {other:?}"
            ))),
        }
    }

    /// `field op value`, or the bare `sharedWithMe`.
    fn comparison(&mut self, field: &str) -> Result<Expr, QueryError> {
        let op = match self.tokens.get(self.position) {
            Some(Token::Compare(op)) => Some(compare_op(op)),
            Some(Token::Word(word)) if word.eq_ignore_ascii_case("contains") => Some(Op::Contains),
            _ => None,
        };
        let Some(op) = op else {
            if field == "sharedWithMe" {
                return Ok(Expr::Flag {
                    field: FlagField::SharedWithMe,
                    op: Op::Eq,
                    value: true,
                });
            }
            return Err(QueryError(format!("expected an operator after {field}")));
        };
        self.position += 1;
        let value = self
            .next()
            .ok_or_else(|| QueryError(format!("missing value after {field}")))?;

        term(field, op, value)
    }
}

fn term(field: &str, op: Op, value: Token) -> Result<Expr, QueryError> {
    let wrong = || {
        QueryError(format!(
            "operator {op:?} or value {value:?} does not fit {field}"
        ))
    };
    let text_ops = |ops: &[Op]| ops.contains(&op);

    match (field, &value) {
        ("name", Token::Text(v)) if text_ops(&[Op::Contains, Op::Eq, Op::Ne]) => Ok(Expr::Text {
            field: TextField::Name,
            op,
            value: v.clone(),
        }),
        ("fullText", Token::Text(v)) if op == Op::Contains => Ok(Expr::Text {
            field: TextField::FullText,
            op,
            value: v.clone(),
        }),
        ("mimeType", Token::Text(v)) if text_ops(&[Op::Contains, Op::Eq, Op::Ne]) => {
            Ok(Expr::Text {
                field: TextField::MimeType,
                op,
                value: v.clone(),
            })
        }
        ("modifiedTime" | "createdTime" | "viewedByMeTime", Token::Text(v))
            if op != Op::Contains =>
        {
            let field = match field {
                "modifiedTime" => TimeField::Modified,
                "createdTime" => TimeField::Created,
                _ => TimeField::ViewedByMe,
            };
            let value = parse_lenient(v).ok_or_else(wrong)?;
            Ok(Expr::Time { field, op, value })
        }
        ("trashed" | "starred" | "sharedWithMe", Token::Word(v)) if text_ops(&[Op::Eq, Op::Ne]) => {
            let field = match field {
                "trashed" => FlagField::Trashed,
                "starred" => FlagField::Starred,
                _ => FlagField::SharedWithMe,
            };
            let value = match v.as_str() {
                "true" => true,
                "false" => false,
                _ => return Err(wrong()),
            };
            Ok(Expr::Flag { field, op, value })
        }
        _ => Err(wrong()),
    }
}

fn compare_op(op: &str) -> Op {
    match op {
        "!=" => Op::Ne,
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        _ => Op::Eq,
    }
}

fn collection(word: &str) -> Result<Collection, QueryError> {
    match word {
        "parents" => Ok(Collection::Parents),
        "owners" => Ok(Collection::Owners),
        "writers" => Ok(Collection::Writers),
        "readers" => Ok(Collection::Readers),
        other => Err(QueryError(format!("{other} is not a collection"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(op: Op, value: &str) -> Expr {
        Expr::Text {
            field: TextField::Name,
            op,
            value: value.into(),
        }
    }

    fn not_trashed() -> Expr {
        Expr::Flag {
            field: FlagField::Trashed,
            op: Op::Eq,
            value: false,
        }
    }

    #[test]
    fn the_escaped_case_twenty_query_parses_to_the_real_name() {
        let expr =
            Expr::parse(r#"name contains 'Jon\'s "Q3" plan\\draft' and trashed = false"#).unwrap();

        let expected = Expr::And(
            Box::new(name(Op::Contains, r#"Jon's "Q3" plan\draft"#)),
            Box::new(not_trashed()),
        );
        assert_eq!(expr, expected);
    }

    #[test]
    fn the_unescaped_case_twenty_query_is_an_error() {
        assert!(
            Expr::parse(r#"name contains 'Jon's "Q3" plan\draft' and trashed = false"#).is_err()
        );
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_binds_tightest() {
        let expr = Expr::parse("name = 'a' or not starred = true and 'root' in parents").unwrap();

        let starred = Expr::Flag {
            field: FlagField::Starred,
            op: Op::Eq,
            value: true,
        };
        let in_root = Expr::In {
            value: "root".into(),
            collection: Collection::Parents,
        };
        let expected = Expr::Or(
            Box::new(name(Op::Eq, "a")),
            Box::new(Expr::And(
                Box::new(Expr::Not(Box::new(starred))),
                Box::new(in_root),
            )),
        );
        assert_eq!(expr, expected);
    }

    #[test]
    fn parentheses_group_and_keywords_ignore_case() {
        let expr = Expr::parse("(name = 'a' OR name = 'b') AND trashed = false").unwrap();

        let either = Expr::Or(Box::new(name(Op::Eq, "a")), Box::new(name(Op::Eq, "b")));
        assert_eq!(expr, Expr::And(Box::new(either), Box::new(not_trashed())));
    }

    #[test]
    fn times_accept_rfc3339_with_or_without_an_offset() {
        let expr = Expr::parse("modifiedTime > '2024-01-01T00:00:00'").unwrap();

        let Expr::Time { field, op, value } = expr else {
            panic!("not a time term")
        };
        assert_eq!((field, op), (TimeField::Modified, Op::Gt));
        assert_eq!(value.to_rfc3339(), "2024-01-01T00:00:00+00:00");
        assert!(Expr::parse("modifiedTime > 'last week'").is_err());
    }

    #[test]
    fn shared_with_me_stands_alone_or_compared() {
        let expected = Expr::Flag {
            field: FlagField::SharedWithMe,
            op: Op::Eq,
            value: true,
        };

        assert_eq!(Expr::parse("sharedWithMe").unwrap(), expected);
        assert_eq!(Expr::parse("sharedWithMe = true").unwrap(), expected);
    }

    #[test]
    fn operators_that_do_not_fit_the_field_are_errors() {
        for bad in [
            "name > 'a'",
            "fullText = 'a'",
            "trashed = 'false'",
            "starred contains true",
            "'x' in folders",
            "title contains 'a'",
            "name contains 'a' and",
            "(name = 'a'",
            "name = 'a')",
            "",
        ] {
            assert!(Expr::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn full_text_is_detected_anywhere_in_the_tree() {
        assert!(
            Expr::parse("not (fullText contains 'budget' or starred = true)")
                .unwrap()
                .uses_full_text()
        );
        assert!(
            !Expr::parse("name contains 'budget'")
                .unwrap()
                .uses_full_text()
        );
    }
}
