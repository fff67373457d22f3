//! The filter and function library: the logic templates need beyond plain REST mapping, as small
//! pure functions with thin minijinja adapters.
//!
//! Bad input is an `InvalidOperation` error whose message starts with the argument name in
//! backticks; rendering stops and nothing is sent. `none` and undefined arguments are absent.
//!
//! # Filters
//!
//! - `b64url_encode`: string or bytes → base64url without padding.
//!   `{{ mime_message(to=to, subject=subject, body=body) | b64url_encode }}`
//! - `b64url_decode`: base64 or base64url (padding optional, whitespace ignored) → string, or
//!   bytes when not UTF-8. `{{ reply.data | b64url_decode }}`
//! - `subject_reply`: adds `Re: ` unless already a reply. `{{ original.subject | subject_reply }}`
//!   → `Re: Budget`
//! - `mail_content`: a `format=full` message → `{id, thread_id, label_ids, snippet, headers,
//!   body, body_source, attachments}`. `{{ reply | mail_content }}`
//! - `mail_headers`: a message or payload → `{from, to, cc, reply_to, subject, date, message_id,
//!   references, in_reply_to}` (absent ones omitted). `{{ reply | mail_headers }}`
//! - `mail_header(name)`: the first value of one header, case-insensitive, or none.
//!   `{{ reply | mail_header("Message-ID") }}`
//! - `html_to_text`: readable text from HTML. `{{ "<p>a &amp; b</p>" | html_to_text }}` → `a & b`
//! - `drive_quote`: a Drive query string literal. `{{ "Jon's" | drive_quote }}` → `'Jon\'s'`
//! - `rfc3339(bound="start", timezone=none, name="value")`: a Calendar query bound with an
//!   offset. `{{ time_max | rfc3339(bound="end", name="time_max") }}`: `2026-07-27` →
//!   `2026-07-28T00:00:00Z`
//! - `segment`: percent-encodes one URL path segment. `{{ calendar_id | segment }}`: `a#b@c` →
//!   `a%23b%40c`
//! - `drive_type_clause`: ` and <mimeType condition>` for folder, document, spreadsheet,
//!   presentation, form, pdf, image or shortcut; nothing for none.
//!   `'root' in parents{{ file_type | drive_type_clause }}`
//! - `wrap(key)`: `{key: value}`. `{{ emails | map('wrap', 'email') | list }}`
//! - `a1_range(range=none)`: quotes a sheet title for A1 notation.
//!   `{{ sheet_name | a1_range("A1:C10") }}` → `'Q3 Budget'!A1:C10`
//!
//! # Functions
//!
//! - `mime_message(to=, subject=, body=, body_format="plain", cc=, bcc=, from_name=,
//!   from_email=, in_reply_to=, references=)`: the RFC 5322 message text (keywords only).
//!   `{{ mime_message(to="bob@example.com", subject="Hi", body="Hello") }}`
//! - `mail_content(message)`, `mail_headers(message)`, `mail_header(message, name)`: as the
//!   filters. `{{ mail_header(reply, "References") }}`
//! - `drive_search_query(query, include_trashed=false)`: passes Drive syntax through, turns free
//!   text into a full-text search, adds `trashed = false`. `{{ drive_search_query("budget") }}`
//!   → `fullText contains 'budget' and trashed = false`
//! - `time_range_check(time_min, time_max, timezone=none)`: errors on an empty range, renders
//!   nothing otherwise. `{{ time_range_check(time_min, time_max) }}`
//! - `event_times(start, end=none, timezone=none)`: an event's `start` and `end` objects.
//!   `{{ event_times("2026-08-20", "2026-08-22") | tojson }}` →
//!   `{"end":{"date":"2026-08-23"},"start":{"date":"2026-08-20"}}`
//! - `now_rfc3339()`: the current time in UTC. `{{ time_min or now_rfc3339() }}`

mod args;
pub mod base64url;
pub mod charset;
pub mod civil;
pub mod drive_query;
pub mod drive_types;
pub mod html_entities;
pub mod html_text;
pub mod mail_address;
pub mod mail_body;
pub mod mime_compose;
pub mod mime_header;
pub mod mime_read;
pub mod path_segment;
pub mod quoted_printable;
pub mod time;
pub mod values;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

use minijinja::Environment;

/// Adds every filter and function of the library to `env`.
pub fn register(env: &mut Environment<'static>) {
    env.add_filter("b64url_encode", base64url::b64url_encode_filter);
    env.add_filter("b64url_decode", base64url::b64url_decode_filter);
    env.add_filter("subject_reply", mime_compose::subject_reply_filter);
    env.add_filter("mail_content", mime_read::mail_content_function);
    env.add_filter("mail_headers", mime_read::mail_headers_function);
    env.add_filter("mail_header", mime_read::mail_header_function);
    env.add_filter("html_to_text", html_text::html_to_text_filter);
    env.add_filter("drive_quote", drive_query::drive_quote_filter);
    env.add_filter("drive_type_clause", drive_types::drive_type_clause_filter);
    env.add_filter("wrap", values::wrap_filter);
    env.add_filter("rfc3339", time::rfc3339_filter);
    env.add_filter("segment", path_segment::segment_filter);
    env.add_filter("a1_range", path_segment::a1_range_filter);

    env.add_function("mime_message", mime_compose::mime_message_function);
    env.add_function("mail_content", mime_read::mail_content_function);
    env.add_function("mail_headers", mime_read::mail_headers_function);
    env.add_function("mail_header", mime_read::mail_header_function);
    env.add_function(
        "drive_search_query",
        drive_query::drive_search_query_function,
    );
    env.add_function("time_range_check", time::time_range_check_function);
    env.add_function("event_times", time::event_times_function);
    env.add_function("now_rfc3339", values::now_rfc3339_function);
}
