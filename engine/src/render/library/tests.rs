//! The library as templates see it: registered names, argument passing and errors.

use minijinja::value::Serde;
use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value, context};
use serde_json::json;

use super::base64url;
use super::register;
use super::test_support::parse_message;

/// An environment set up like the engine's, with the library registered.
fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    register(&mut env);
    env
}

/// A template value from JSON.
fn js(json: serde_json::Value) -> Value {
    Value::from(Serde(json))
}

/// Renders `template` with `ctx`.
fn render(template: &str, ctx: Value) -> Result<String, minijinja::Error> {
    env().render_str(template, ctx)
}

#[test]
fn a_reply_is_composed_and_encoded_from_template_arguments() {
    let original = json!({"payload": {"headers": [
        {"name": "Subject", "value": "Budget"},
        {"name": "Message-Id", "value": "<CAB2xyz@mail.example.com>"},
        {"name": "References", "value": "<CAB0root@mail.example.com> <CAB1abc@mail.example.com>"}]}});
    let template = "{% set h = original | mail_headers %}{{ mime_message(to=args.to, \
        subject=h.subject | subject_reply, body=args.body, cc=args.cc, in_reply_to=h.message_id, \
        references=h.references) | b64url_encode }}";
    let ctx = context! { original => js(original), args => js(json!({"to": "dave@example.com", "body": "Sounds good."})) };
    let raw = render(template, ctx).unwrap();
    let message = String::from_utf8(base64url::decode(&raw).unwrap()).unwrap();
    let parsed = parse_message(&message);
    assert_eq!(parsed.one("Subject"), "Re: Budget");
    assert_eq!(parsed.one("In-Reply-To"), "<CAB2xyz@mail.example.com>");
    assert_eq!(
        parsed.one("References"),
        "<CAB0root@mail.example.com> <CAB1abc@mail.example.com> <CAB2xyz@mail.example.com>"
    );
    assert!(parsed.all("Cc").is_empty());
}

#[test]
fn a_header_injection_stops_rendering_with_an_error_naming_the_field() {
    let ctx = context! { args => js(json!({"to": "bob@example.com", "subject": "Invoice\r\nBcc: attacker@example.net"})) };
    let err = render(
        "{{ mime_message(to=args.to, subject=args.subject, body='x') }}",
        ctx,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidOperation);
    assert_eq!(
        err.detail(),
        Some("`subject` contains a line break (CR or LF); header fields must be one line")
    );
}

#[test]
fn recipient_lists_may_be_given_as_lists() {
    let ctx = context! { to => vec!["a@example.com", "Bob <b@example.com>"] };
    let raw = render("{{ mime_message(to=to, body='x') }}", ctx).unwrap();
    assert_eq!(
        parse_message(&raw).one("To"),
        "a@example.com, Bob <b@example.com>"
    );
}

#[test]
fn an_unknown_keyword_to_mime_message_is_an_error() {
    let err = render("{{ mime_message(too='a@example.com') }}", context! {}).unwrap_err();
    assert!(err.detail().unwrap().contains("too"), "{err}");
}

#[test]
fn message_content_and_single_headers_are_read_in_templates() {
    let message = json!({"id": "m1", "payload": {"mimeType": "text/plain",
        "headers": [{"name": "From", "value": "Carol <carol@example.com>"}],
        "body": {"data": "SGkgdGVhbSwKdGhlIGFnZW5kYSBpcyBiZWxvdy4K"}}});
    let out = render("{% set m = mail_content(message) %}{{ m.headers.from }}|{{ m.body_source }}|{{ message | mail_header('from') }}|{{ mail_header(message, 'cc') is none }}", context! { message => js(message) }).unwrap();
    assert_eq!(
        out,
        "Carol <carol@example.com>|text/plain|Carol <carol@example.com>|True"
    );
}

#[test]
fn calendar_filters_and_functions_work_in_templates() {
    let ctx = context! { args => js(json!({"calendar_id": "en.usa#holiday@group.v.calendar.google.com", "time_min": "2026-07-27", "time_max": "2026-07-27"})) };
    let template = "{{ time_range_check(args.time_min, args.time_max) }}/calendars/{{ args.calendar_id | segment }}/events?timeMin={{ args.time_min | rfc3339 }}&timeMax={{ args.time_max | rfc3339(bound='end') }}";
    assert_eq!(
        render(template, ctx).unwrap(),
        "/calendars/en.usa%23holiday%40group.v.calendar.google.com/events?timeMin=2026-07-27T00:00:00Z&timeMax=2026-07-28T00:00:00Z"
    );
    let times = render(
        "{{ event_times(s, e) | tojson }}",
        context! { s => "2026-08-20", e => "2026-08-22" },
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&times).unwrap(),
        json!({"start": {"date": "2026-08-20"}, "end": {"date": "2026-08-23"}})
    );
}

#[test]
fn an_absent_optional_argument_reads_as_not_given() {
    let ctx = context! { args => js(json!({"start_time": "2026-08-20"})) };
    let times = render(
        "{{ event_times(args.start_time, args.end_time, timezone=args.timezone) | tojson }}",
        ctx,
    )
    .unwrap();
    assert!(times.contains("2026-08-21"), "{times}");
    let q = render(
        "{{ drive_search_query(args.query, include_trashed=args.include_trashed) }}",
        context! { args => js(json!({"query": "budget"})) },
    )
    .unwrap();
    assert_eq!(q, "fullText contains 'budget' and trashed = false");
}

#[test]
fn a_bad_time_stops_rendering_naming_the_argument() {
    let err = render(
        "{{ args.time_min | rfc3339(name='time_min') }}",
        context! { args => js(json!({"time_min": "next tuesday"})) },
    )
    .unwrap_err();
    assert!(
        err.detail()
            .unwrap()
            .starts_with("`time_min` is not a date or time"),
        "{err}"
    );
}

#[test]
fn drive_and_sheets_helpers_work_in_templates() {
    let out = render("{{ ('name contains ' ~ (args.file_name | drive_quote)) | urlencode }}|{{ args.sheet | a1_range('A1:B2') | segment }}", context! { args => js(json!({"file_name": "Jon's \"Q3\" plan\\draft", "sheet": "Adv/Ent1"})) }).unwrap();
    assert_eq!(
        out,
        "name%20contains%20%27Jon%5C%27s%20%22Q3%22%20plan%5C%5Cdraft%27|%27Adv%2FEnt1%27%21A1%3AB2"
    );
}

#[test]
fn base64_and_html_filters_work_in_templates() {
    let out = render(
        "{{ data | b64url_decode | html_to_text }}",
        context! { data => "PGRpdj5IaSB0ZWFtLDxicj50aGUgYWdlbmRhIGlzIGJlbG93LjwvZGl2Pg" },
    )
    .unwrap();
    assert_eq!(out, "Hi team,\nthe agenda is below.");
}
