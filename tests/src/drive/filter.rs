//! Evaluating a parsed Drive query against a file.

use super::model::File;
use super::query::{Collection, Expr, FlagField, Op, TextField, TimeField};
use crate::seed::USER_EMAIL;
use crate::seed::drive::ROOT_FOLDER;

/// Whether a file matches the query.
pub(crate) fn matches(expr: &Expr, file: &File) -> bool {
    match expr {
        Expr::And(a, b) => matches(a, file) && matches(b, file),
        Expr::Or(a, b) => matches(a, file) || matches(b, file),
        Expr::Not(inner) => !matches(inner, file),
        Expr::Text { field, op, value } => text(*field, *op, value, file),
        Expr::Time { field, op, value } => {
            let time = match field {
                TimeField::Modified => Some(file.modified),
                TimeField::Created => Some(file.created),
                TimeField::ViewedByMe => file.viewed,
            };
            time.is_some_and(|time| compare(*op, time.cmp(value)))
        }
        Expr::Flag { field, op, value } => {
            let actual = match field {
                FlagField::Trashed => file.trashed,
                FlagField::Starred => file.starred,
                FlagField::SharedWithMe => file.shared_with_me(USER_EMAIL),
            };
            if *op == Op::Ne {
                actual != *value
            } else {
                actual == *value
            }
        }
        Expr::In { value, collection } => within(value, *collection, file),
    }
}

fn text(field: TextField, op: Op, value: &str, file: &File) -> bool {
    match (field, op) {
        (TextField::Name, Op::Contains) => word_prefix(file.name, value),
        (TextField::Name, Op::Eq) => file.name == value,
        (TextField::Name, _) => file.name != value,
        (TextField::MimeType, Op::Contains) => file.mime_type.contains(value),
        (TextField::MimeType, Op::Eq) => file.mime_type == value,
        (TextField::MimeType, _) => file.mime_type != value,
        (TextField::FullText, _) => {
            let haystack = format!(
                "{}\n{}\n{}",
                file.name,
                file.description.unwrap_or_default(),
                file.content
            );
            haystack.to_lowercase().contains(&value.to_lowercase())
        }
    }
}

/// Drive's `name contains`: case-insensitive, and the value must start the name or a
/// word in it ("HelloWorld" matches 'Hello' but not 'World'; "invoice-01.pdf" matches
/// 'invoice' and '01').
fn word_prefix(name: &str, value: &str) -> bool {
    let name = name.to_lowercase();
    let value = value.to_lowercase();

    name.char_indices()
        .filter(|(at, _)| {
            *at == 0
                || !name[..*at]
                    .chars()
                    .last()
                    .is_some_and(char::is_alphanumeric)
        })
        .any(|(at, _)| name[at..].starts_with(&value))
}

fn compare(op: Op, ordering: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => ordering == Equal,
        Op::Ne => ordering != Equal,
        Op::Lt => ordering == Less,
        Op::Le => ordering != Greater,
        Op::Gt => ordering == Greater,
        Op::Ge => ordering != Less,
        Op::Contains => false,
    }
}

/// `'x' in parents` (with `root` for My Drive), `'x' in owners` (with `me`), and
/// `writers`/`readers`, which include the owner and everyone the file is shared with.
fn within(value: &str, collection: Collection, file: &File) -> bool {
    let person = if value == "me" { USER_EMAIL } else { value };
    let owner = file.owner.as_ref().map(|owner| owner.email);

    match collection {
        Collection::Parents => {
            let folder = if value == "root" { ROOT_FOLDER } else { value };
            file.parents.contains(&folder)
        }
        Collection::Owners => owner == Some(person),
        Collection::Writers | Collection::Readers => {
            owner == Some(person) || file.shared_with.contains(&person)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_contains_matches_the_start_of_words_only() {
        assert!(word_prefix("HelloWorld", "hello"));
        assert!(!word_prefix("HelloWorld", "World"));
        assert!(word_prefix("invoice-01.pdf", "invoice"));
        assert!(word_prefix("invoice-01.pdf", "01"));
        assert!(word_prefix("Roadmap 2026", "Roadmap"));
        assert!(word_prefix(
            r#"Jon's "Q3" plan\draft"#,
            r#"Jon's "Q3" plan\draft"#
        ));
        assert!(word_prefix(r#"Jon's "Q3" plan\draft"#, "q3"));
        assert!(!word_prefix("Q3 plan", "lan"));
    }
}
