//! Gmail's search-box language (`q` of `users.messages.list`), parsed into a tree.
//!
//! Supported: `from: to: cc: bcc: subject: list: rfc822msgid: deliveredto:` (with quoted
//! phrases), `label: in: is: category:`, `after: before: newer: older:` (`yyyy/mm/dd`,
//! `yyyy-mm-dd` or epoch seconds), `newer_than: older_than:` (`Nd`, `Nm`, `Ny`),
//! `has:attachment`, `filename:`, `larger: smaller:`, free words and `"phrases"`,
//! `-` negation, `OR` between terms and parentheses. Terms side by side are ANDed.
//! Like Gmail, the parser never fails: what it cannot read becomes free text.

use chrono::NaiveDate;

/// A parsed query.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Query {
    /// Every sub-query matches (terms side by side).
    All(Vec<Query>),
    /// At least one sub-query matches (`OR`).
    Any(Vec<Query>),
    /// The sub-query does not match (`-term`).
    Not(Box<Query>),
    /// One search term.
    Term(Term),
}

/// One search term.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Term {
    /// A header contains the value, case-insensitively.
    Header(Field, String),
    /// The message carries a label, by id or by name (`label:`, `in:`, `is:`, `category:`).
    Label(String),
    /// `in:anywhere`: matches everything and lifts the spam/trash exclusion.
    Anywhere,
    /// Received at or after this instant, in epoch milliseconds.
    After(i64),
    /// Received before this instant, in epoch milliseconds.
    Before(i64),
    /// Received within this age of now.
    NewerThan(Age),
    /// Received longer ago than this age.
    OlderThan(Age),
    /// Has at least one attachment.
    HasAttachment,
    /// An attachment's file name contains the value.
    Filename(String),
    /// The message is larger than this many bytes.
    Larger(u64),
    /// The message is smaller than this many bytes.
    Smaller(u64),
    /// Free text found in the subject, the addresses, the snippet or the body.
    Text(String),
}

/// Headers that search operators look into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    From,
    To,
    Cc,
    Bcc,
    Subject,
    ListId,
    MessageId,
    DeliveredTo,
}

/// A relative age for `newer_than:`/`older_than:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Age {
    Days(u32),
    Months(u32),
    Years(u32),
}

impl Query {
    /// Parses a `q` value; an empty query matches everything.
    pub(crate) fn parse(text: &str) -> Query {
        let tokens = lex(text);
        let mut parser = Parser {
            tokens,
            position: 0,
        };
        let mut items = Vec::new();

        while parser.position < parser.tokens.len() {
            items.extend(parser.sequence());
            // A stray `)` at the top level is skipped, as Gmail does.
            parser.position += 1;
        }

        flatten_all(items)
    }

    /// Whether the query asks for spam or trash explicitly, which lifts their exclusion.
    pub(crate) fn reaches_spam_or_trash(&self) -> bool {
        match self {
            Query::All(items) | Query::Any(items) => items.iter().any(Query::reaches_spam_or_trash),
            Query::Not(_) => false,
            Query::Term(Term::Anywhere) => true,
            Query::Term(Term::Label(name)) => {
                name.eq_ignore_ascii_case("spam") || name.eq_ignore_ascii_case("trash")
            }
            Query::Term(_) => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    Or,
    Negate,
    Atom { key: Option<String>, value: String },
}

fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut index = 0;

    while index < chars.len() {
        let c = chars[index];
        if c.is_whitespace() {
            index += 1;
        } else if c == '(' || c == ')' {
            tokens.push(if c == '(' { Token::Open } else { Token::Close });
            index += 1;
        } else if c == '-' && chars.get(index + 1).is_some_and(|n| !n.is_whitespace()) {
            tokens.push(Token::Negate);
            index += 1;
        } else if c == '"' {
            let (phrase, next) = quoted(&chars, index);
            tokens.push(Token::Atom {
                key: None,
                value: phrase,
            });
            index = next;
        } else {
            let (token, next) = word(&chars, index);
            tokens.push(token);
            index = next;
        }
    }

    tokens
}

/// A `"phrase"` starting at `start`; an unclosed quote runs to the end.
fn quoted(chars: &[char], start: usize) -> (String, usize) {
    let end = chars[start + 1..]
        .iter()
        .position(|&c| c == '"')
        .map(|at| start + 1 + at);
    match end {
        Some(end) => (chars[start + 1..end].iter().collect(), end + 1),
        None => (chars[start + 1..].iter().collect(), chars.len()),
    }
}

/// A bare word, an `OR`, or `key:value` where the value may be a quoted phrase.
fn word(chars: &[char], start: usize) -> (Token, usize) {
    let mut end = start;
    while end < chars.len() && !chars[end].is_whitespace() && !matches!(chars[end], '(' | ')' | '"')
    {
        end += 1;
    }
    let text: String = chars[start..end].iter().collect();

    if text == "OR" || text == "|" {
        return (Token::Or, end);
    }
    let Some((key, value)) = text.split_once(':') else {
        return (
            Token::Atom {
                key: None,
                value: text,
            },
            end,
        );
    };
    let key = key.to_ascii_lowercase();

    if value.is_empty() && chars.get(end) == Some(&'"') {
        let (phrase, next) = quoted(chars, end);
        return (
            Token::Atom {
                key: Some(key),
                value: phrase,
            },
            next,
        );
    }
    (
        Token::Atom {
            key: Some(key),
            value: value.to_string(),
        },
        end,
    )
}

struct Parser {
    tokens: Vec<Token>,
    position: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    /// Terms up to a `)` or the end, ANDed.
    fn sequence(&mut self) -> Vec<Query> {
        let mut items = Vec::new();
        while let Some(token) = self.peek() {
            if *token == Token::Close {
                break;
            }
            if let Some(query) = self.alternatives() {
                items.push(query);
            }
        }
        items
    }

    /// `a OR b OR c`.
    fn alternatives(&mut self) -> Option<Query> {
        let first = self.unary()?;
        let mut options = vec![first];

        while self.peek() == Some(&Token::Or) {
            self.position += 1;
            match self.unary() {
                Some(next) => options.push(next),
                None => break,
            }
        }

        Some(if options.len() == 1 {
            options.remove(0)
        } else {
            Query::Any(options)
        })
    }

    fn unary(&mut self) -> Option<Query> {
        let token = self.peek()?.clone();
        self.position += 1;

        match token {
            Token::Negate => self.unary().map(|inner| Query::Not(Box::new(inner))),
            Token::Open => {
                let inner = self.sequence();
                if self.peek() == Some(&Token::Close) {
                    self.position += 1;
                }
                Some(flatten_all(inner))
            }
            // An `OR` with nothing before it, or a `)` reached here, is ignored.
            Token::Or | Token::Close => None,
            Token::Atom { key, value } => Some(term(key.as_deref(), &value)),
        }
    }
}

fn flatten_all(mut items: Vec<Query>) -> Query {
    if items.len() == 1 {
        items.remove(0)
    } else {
        Query::All(items)
    }
}

/// Maps one `key:value` (or a bare word) to a term; unreadable values become free text.
fn term(key: Option<&str>, value: &str) -> Query {
    let Some(key) = key else {
        return Query::Term(Term::Text(value.to_string()));
    };
    let as_text = || Query::Term(Term::Text(format!("{key}:{value}")));
    let header = |field| Query::Term(Term::Header(field, value.to_string()));
    let label = |name: &str| Query::Term(Term::Label(name.to_string()));

    match key {
        "from" => header(Field::From),
        "to" => header(Field::To),
        "cc" => header(Field::Cc),
        "bcc" => header(Field::Bcc),
        "subject" => header(Field::Subject),
        "list" => header(Field::ListId),
        "rfc822msgid" => header(Field::MessageId),
        "deliveredto" => header(Field::DeliveredTo),
        "label" => label(value),
        "category" => label(&format!("CATEGORY_{}", value.to_ascii_uppercase())),
        "in" => match value.to_ascii_lowercase().as_str() {
            "anywhere" => Query::Term(Term::Anywhere),
            "drafts" | "draft" => label("DRAFT"),
            "chats" => label("CHAT"),
            other => label(other),
        },
        "is" => match value.to_ascii_lowercase().as_str() {
            "read" => Query::Not(Box::new(label("UNREAD"))),
            other => label(other),
        },
        "after" | "newer" => {
            day_or_epoch(value).map_or_else(as_text, |ms| Query::Term(Term::After(ms)))
        }
        "before" | "older" => {
            day_or_epoch(value).map_or_else(as_text, |ms| Query::Term(Term::Before(ms)))
        }
        "newer_than" => age(value).map_or_else(as_text, |age| Query::Term(Term::NewerThan(age))),
        "older_than" => age(value).map_or_else(as_text, |age| Query::Term(Term::OlderThan(age))),
        "has" if value.eq_ignore_ascii_case("attachment") => Query::Term(Term::HasAttachment),
        "filename" => Query::Term(Term::Filename(value.to_string())),
        "larger" | "size" => bytes(value).map_or_else(as_text, |n| Query::Term(Term::Larger(n))),
        "smaller" => bytes(value).map_or_else(as_text, |n| Query::Term(Term::Smaller(n))),
        _ => as_text(),
    }
}

/// `yyyy/mm/dd` or `yyyy-mm-dd` as midnight UTC, or epoch seconds; in milliseconds.
fn day_or_epoch(value: &str) -> Option<i64> {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()) {
        return value.parse::<i64>().ok().map(|seconds| seconds * 1000);
    }

    let normalized = value.replace('-', "/");
    let date = NaiveDate::parse_from_str(&normalized, "%Y/%m/%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

fn age(value: &str) -> Option<Age> {
    let unit = value.chars().last()?;
    let count: u32 = value[..value.len() - unit.len_utf8()].parse().ok()?;

    match unit.to_ascii_lowercase() {
        'd' => Some(Age::Days(count)),
        'm' => Some(Age::Months(count)),
        'y' => Some(Age::Years(count)),
        _ => None,
    }
}

/// `1000`, `10K`, `5M`.
fn bytes(value: &str) -> Option<u64> {
    let upper = value.to_ascii_uppercase();
    let (digits, factor) = match upper.chars().last()? {
        'K' => (&upper[..upper.len() - 1], 1024),
        'M' => (&upper[..upper.len() - 1], 1024 * 1024),
        _ => (upper.as_str(), 1),
    };
    digits.parse::<u64>().ok().map(|n| n * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Query {
        Query::Term(Term::Text(value.into()))
    }

    #[test]
    fn terms_side_by_side_are_anded() {
        let query = Query::parse("from:billing@example.com newer_than:7d");

        assert_eq!(
            query,
            Query::All(vec![
                Query::Term(Term::Header(Field::From, "billing@example.com".into())),
                Query::Term(Term::NewerThan(Age::Days(7))),
            ])
        );
    }

    #[test]
    fn a_quoted_subject_is_one_phrase() {
        assert_eq!(
            Query::parse(r#"subject:"Q3 plan""#),
            Query::Term(Term::Header(Field::Subject, "Q3 plan".into()))
        );
        assert_eq!(Query::parse(r#""see you monday""#), text("see you monday"));
    }

    #[test]
    fn dates_take_slashes_dashes_or_epoch_seconds() {
        let midnight = 1_778_544_000_000; // 2026-05-12T00:00:00Z

        assert_eq!(
            Query::parse("after:2026/05/12"),
            Query::Term(Term::After(midnight))
        );
        assert_eq!(
            Query::parse("before:2026-05-12"),
            Query::Term(Term::Before(midnight))
        );
        assert_eq!(
            Query::parse("after:1778544000"),
            Query::Term(Term::After(midnight))
        );
    }

    #[test]
    fn or_binds_tighter_than_the_implicit_and() {
        let query = Query::parse("from:alice OR from:bob is:unread");

        assert_eq!(
            query,
            Query::All(vec![
                Query::Any(vec![
                    Query::Term(Term::Header(Field::From, "alice".into())),
                    Query::Term(Term::Header(Field::From, "bob".into())),
                ]),
                Query::Term(Term::Label("unread".into())),
            ])
        );
    }

    #[test]
    fn a_minus_negates_and_parentheses_group() {
        let query = Query::parse("-(label:spam OR invoice) is:read");

        assert_eq!(
            query,
            Query::All(vec![
                Query::Not(Box::new(Query::Any(vec![
                    Query::Term(Term::Label("spam".into())),
                    text("invoice"),
                ]))),
                Query::Not(Box::new(Query::Term(Term::Label("UNREAD".into())))),
            ])
        );
    }

    #[test]
    fn unreadable_operators_fall_back_to_free_text() {
        assert_eq!(Query::parse("after:someday"), text("after:someday"));
        assert_eq!(Query::parse("newer_than:7w"), text("newer_than:7w"));
        assert_eq!(Query::parse("foo:bar"), text("foo:bar"));
        assert_eq!(
            Query::parse(r#"subject:"unclosed"#),
            Query::Term(Term::Header(Field::Subject, "unclosed".into()))
        );
    }

    #[test]
    fn spam_and_trash_are_reached_only_when_asked_for() {
        assert!(Query::parse("in:trash").reaches_spam_or_trash());
        assert!(Query::parse("label:SPAM invoice").reaches_spam_or_trash());
        assert!(Query::parse("in:anywhere").reaches_spam_or_trash());
        assert!(!Query::parse("-in:spam").reaches_spam_or_trash());
        assert!(!Query::parse("invoice").reaches_spam_or_trash());
    }

    #[test]
    fn an_empty_query_matches_everything() {
        assert_eq!(Query::parse("   "), Query::All(vec![]));
    }
}
