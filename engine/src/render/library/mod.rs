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
//! - `mail_content(body_format="text", limit=none, more=none)`: a message (`full`, `metadata`
//!   or `raw`) → `{id, thread_id, label_ids, snippet, headers, body, body_source, body_length,
//!   truncated, attachments, error?}`; `body_format` is `text`, `html` (the HTML source) or
//!   `raw` (the RFC 822 text); the body is cut at `limit` characters with a marker ending in
//!   `more`; a failed fan-out item gives `{id: <item>, error}`.
//!   `{{ reply | mail_content("text", 20000, "ask again with full=true") }}`
//! - `mail_headers`: a message (any format) or payload → `{from, to, cc, reply_to, subject, date,
//!   message_id, references, in_reply_to}` (absent ones omitted). `{{ reply | mail_headers }}`
//! - `mail_header(name)`: the first value of one header, case-insensitive, or none.
//!   `{{ reply | mail_header("Message-ID") }}`
//! - `mail_header_lines`: a `mail_headers` object as `From: ...` lines in the order mail
//!   clients show them. `{{ content.headers | mail_header_lines }}`
//! - `mail_has_attachment`: whether a message has a file attached (inline images do not
//!   count). `{{ reply | mail_has_attachment }}`
//! - `thread_summary`: a `threads.get` reply → `{message_count, from_me, unread, participants,
//!   started_by, last_from, last_from_me, awaiting_my_reply}`. `{{ thread | thread_summary }}`
//! - `clip(limit, more=none)`: text cut at about `limit` characters, at a line break or space,
//!   with a marker saying how much is shown and then `more`. `{{ body | clip(20000) }}`
//! - `untrusted(label="content")`: text fenced as untrusted data between two lines that carry
//!   `label` and a tag made from the text. `{{ body | untrusted("email body") }}`
//! - `b64_standard(max_bytes=none, what="content")`: base64 or base64url → padded standard
//!   base64; more than `max_bytes` decoded bytes is an error naming `what`.
//!   `{{ reply.data | b64_standard(settings.max_attachment_bytes, "attachment") }}`
//! - `b64_text(limit=none, more=none)`: base64 data decoded as text when it is UTF-8 text
//!   (no NUL or other control bytes but tab and line ends), cut like `clip`; none otherwise.
//!   `{{ reply.data | b64_text(20000) }}`
//! - `flatten`: a list of lists as one list; none entries dropped.
//!   `{{ threads | map(attribute="messages") | flatten }}`
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
//!   from_email=, in_reply_to=, references=, attachments=, signature=, quote=, forward=,
//!   forward_attachments=false)`: the RFC 5322 message text (keywords only). `attachments`
//!   is a list of `{filename, content (base64), mime_type?, content_id?}`; `signature` is
//!   HTML; `quote` and `forward` are messages (forwarding files needs the `raw` format).
//!   `{{ mime_message(to="bob@example.com", subject="Hi", body="Hello") }}`
//! - `mime_check(to=, subject=, cc=, bcc=, from_name=, from_email=, in_reply_to=,
//!   references=, attachments=)`: the same checks on the caller's fields, for `checks:`, before
//!   any request. `mime_check(to=to, subject=subject, attachments=attachments)`
//! - `reply_fields(subject=, in_reply_to=, references=, thread_id=, parent=, thread=,
//!   found=)`: a reply's `{subject, in_reply_to, references, thread_id}` from the message
//!   answered (`parent`, else the last message of `thread`); `found`, a `messages.list` reply
//!   for `rfc822msgid:<id>`, gives the thread of a bare Message-ID. Header values taken from
//!   the original are made one line. `{{ reply_fields(thread=thread,
//!   thread_id=thread_id).references }}`
//! - `reply_original(parent=, thread=)`: the message answered, or none.
//! - `sender(send_as, from_email=, from_name=)`: `{from_email, from_name, signature}` from a
//!   `settings.sendAs.list` reply; an address not in it is an error.
//!   `{{ sender(send_as, from_email="support@example.com").signature }}`
//! - `mail_attachment(message, attachment_id, size=none)`: the attachment with that id, else
//!   the only one of that size, or none. `{{ mail_attachment(message, attachment_id).filename }}`
//! - `label_ids(values, labels, field="label_ids")`: label ids for values that are ids or
//!   names (case-insensitive) in a `labels.list` reply; an unknown one is an error naming
//!   `field`. `{{ label_ids(add_label_ids, labels, "add_label_ids") }}`
//! - `merge_attendees(existing, emails)`: the attendee objects for a full list of addresses,
//!   keeping those already invited as they were. `{{ merge_attendees(current.attendees, attendees) }}`
//! - `refuse_if(condition, message)`: an error with `message` when `condition` holds.
//!   `refuse_if(action == 'delete' and not label_id, '`label_id` is needed to delete')`
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
pub mod attendees;
pub mod base64url;
pub mod charset;
pub mod civil;
pub mod drive_query;
pub mod drive_types;
pub mod encoded_words;
pub mod guards;
pub mod html_entities;
pub mod html_text;
pub mod mail_address;
pub mod mail_body;
pub mod mail_labels;
pub mod mail_reply;
pub mod mail_thread;
pub mod mime_compose;
pub mod mime_header;
pub mod mime_parse;
pub mod mime_parts;
pub mod mime_read;
pub mod path_segment;
pub mod quoted_printable;
pub mod rfc2231;
pub mod text_clip;
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
    env.add_filter(
        "mail_has_attachment",
        mime_read::mail_has_attachment_function,
    );
    env.add_filter("mail_header_lines", mime_read::mail_header_lines_filter);
    env.add_filter("thread_summary", mail_thread::thread_summary_function);
    env.add_filter("clip", text_clip::clip_filter);
    env.add_filter("untrusted", text_clip::untrusted_filter);
    env.add_filter("b64_standard", guards::b64_standard_filter);
    env.add_filter("b64_text", guards::b64_text_filter);
    env.add_filter("flatten", mail_labels::flatten_filter);

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
    env.add_function("mime_check", mime_compose::mime_check_function);
    env.add_function("reply_fields", mail_reply::reply_fields_function);
    env.add_function("reply_original", mail_reply::reply_original_function);
    env.add_function("sender", mail_reply::sender_function);
    env.add_function("mail_attachment", mime_read::mail_attachment_function);
    env.add_function("thread_summary", mail_thread::thread_summary_function);
    env.add_function("refuse_if", guards::refuse_if_function);
    env.add_function("merge_attendees", attendees::merge_attendees_function);
    env.add_function("label_ids", mail_labels::label_ids_function);
}
