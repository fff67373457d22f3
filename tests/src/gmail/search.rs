//! Evaluating a parsed Gmail query against stored messages.

use chrono::{DateTime, Duration, Months, Utc};

use super::labels::{self, Label};
use super::model::Message;
use super::query::{Age, Field, Query, Term};
use crate::seed::USER_EMAIL;

/// Whether a message matches the query, with "now" for relative ages.
pub(crate) fn matches(
    query: &Query,
    message: &Message,
    labels: &[Label],
    now: DateTime<Utc>,
) -> bool {
    match query {
        Query::All(items) => items.iter().all(|item| matches(item, message, labels, now)),
        Query::Any(items) => items.iter().any(|item| matches(item, message, labels, now)),
        Query::Not(inner) => !matches(inner, message, labels, now),
        Query::Term(term) => term_matches(term, message, labels, now),
    }
}

fn term_matches(term: &Term, message: &Message, labels: &[Label], now: DateTime<Utc>) -> bool {
    match term {
        Term::Header(field, value) => header_contains(message, *field, value),
        Term::Label(name) => message
            .label_ids
            .iter()
            .any(|id| labels::answers_to(labels, id, name)),
        Term::Anywhere => true,
        Term::After(ms) => message.internal_date >= *ms,
        Term::Before(ms) => message.internal_date < *ms,
        Term::NewerThan(age) => message.internal_date > cutoff(now, *age),
        Term::OlderThan(age) => message.internal_date < cutoff(now, *age),
        Term::HasAttachment => message.has_attachment(),
        Term::Filename(name) => {
            let name = name.to_lowercase();
            message
                .payload
                .walk()
                .iter()
                .any(|part| part.filename.to_lowercase().contains(&name))
        }
        Term::Larger(bytes) => message.size_estimate > *bytes,
        Term::Smaller(bytes) => message.size_estimate < *bytes,
        Term::Text(text) => searchable_text(message).contains(&text.to_lowercase()),
    }
}

/// Case-insensitive containment in every header of that field; `me` is the user.
fn header_contains(message: &Message, field: Field, value: &str) -> bool {
    let name = match field {
        Field::From => "From",
        Field::To => "To",
        Field::Cc => "Cc",
        Field::Bcc => "Bcc",
        Field::Subject => "Subject",
        Field::ListId => "List-Id",
        Field::MessageId => "Message-ID",
        Field::DeliveredTo => "Delivered-To",
    };
    let wanted = if value.eq_ignore_ascii_case("me") {
        USER_EMAIL.to_string()
    } else {
        value.to_lowercase()
    };

    message
        .payload
        .headers
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case(name))
        .any(|(_, header)| header.to_lowercase().contains(&wanted))
}

/// The lowercased text free words are searched in.
fn searchable_text(message: &Message) -> String {
    let headers =
        ["Subject", "From", "To", "Cc"].map(|name| message.header(name).unwrap_or_default());

    format!(
        "{}\n{}\n{}",
        headers.join("\n"),
        message.snippet,
        message.all_text()
    )
    .to_lowercase()
}

/// The instant `age` before now, in epoch milliseconds.
fn cutoff(now: DateTime<Utc>, age: Age) -> i64 {
    let instant = match age {
        Age::Days(days) => now - Duration::days(i64::from(days)),
        Age::Months(months) => now.checked_sub_months(Months::new(months)).unwrap_or(now),
        Age::Years(years) => now
            .checked_sub_months(Months::new(years * 12))
            .unwrap_or(now),
    };
    instant.timestamp_millis()
}
