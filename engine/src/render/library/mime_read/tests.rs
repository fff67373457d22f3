use minijinja::Value;
use serde_json::{Value as Json, json};

use super::*;

const ALTERNATIVE_CAPTURE: &str = include_str!(
    "../../../../../tests/fixtures/samples/gmail.users.messages.get.full.multipart-alternative.json"
);
const MIXED_CAPTURE: &str = include_str!(
    "../../../../../tests/fixtures/samples/gmail.users.messages.get.full.multipart-mixed-attachment.json"
);

/// The HTML-only message of case 4.
fn html_only() -> Json {
    json!({"id":"18f0000000000a01","threadId":"18f0000000000a01","snippet":"Quarterly numbers attached &amp; ready. See you Monday",
     "payload":{"partId":"","mimeType":"text/html",
       "headers":[{"name":"From","value":"Carol <carol@example.com>"},{"name":"Subject","value":"Q3"},{"name":"Content-Type","value":"text/html; charset=\"UTF-8\""}],
       "body":{"size":93,"data":"PGh0bWw-PGJvZHk-PHA-UXVhcnRlcmx5IG51bWJlcnMgYXR0YWNoZWQgJmFtcDsgcmVhZHkuPC9wPjxwPlNlZSB5b3UgTW9uZGF5PC9wPjwvYm9keT48L2h0bWw-"}}})
}

/// The nested message of case 6.
fn nested() -> Json {
    json!({"id":"18f0000000000a03","payload":{"mimeType":"multipart/mixed","body":{"size":0},"parts":[
      {"partId":"0","mimeType":"multipart/related","body":{"size":0},"parts":[
        {"partId":"0.0","mimeType":"multipart/alternative","body":{"size":0},"parts":[
          {"partId":"0.0.0","mimeType":"text/plain","body":{"size":30,"data":"SGkgdGVhbSwKdGhlIGFnZW5kYSBpcyBiZWxvdy4K"}},
          {"partId":"0.0.1","mimeType":"text/html","body":{"size":43,"data":"PGRpdj5IaSB0ZWFtLDxicj50aGUgYWdlbmRhIGlzIGJlbG93LjwvZGl2Pg"}}]},
        {"partId":"0.1","mimeType":"image/png","filename":"logo.png","headers":[{"name":"Content-ID","value":"<logo@example.com>"},{"name":"Content-Disposition","value":"inline; filename=\"logo.png\""}],"body":{"attachmentId":"ANGjdJ-logo","size":2048}}]},
      {"partId":"1","mimeType":"application/pdf","filename":"agenda.pdf","headers":[{"name":"Content-Disposition","value":"attachment; filename=\"agenda.pdf\""}],"body":{"attachmentId":"ANGjdJ-agenda","size":48213}}]}})
}

#[test]
fn an_html_only_message_reads_as_converted_text() {
    let content = mail_content(&html_only());
    assert_eq!(
        content.body,
        "Quarterly numbers attached & ready.\n\nSee you Monday"
    );
    assert_eq!(content.body_source, "text/html");
    assert_eq!(
        content.snippet.as_deref(),
        Some("Quarterly numbers attached & ready. See you Monday")
    );
    assert_eq!(
        content.headers.from.as_deref(),
        Some("Carol <carol@example.com>")
    );
    assert_eq!(content.headers.subject.as_deref(), Some("Q3"));
    assert!(content.attachments.is_empty());
}

#[test]
fn a_mailing_list_message_keeps_the_html_content_before_the_plain_footer() {
    let html_part = html_only()["payload"].clone();
    let footer = json!({"partId":"1","mimeType":"text/plain","body":{"size":36,
        "data": super::super::base64url::encode(b"_____\nPilots list\nlist@example.org\n")}});
    let message = json!({"id":"18f0000000000a02","payload":{"partId":"","mimeType":"multipart/mixed","body":{"size":0},
        "headers": html_part["headers"], "parts":[html_part, footer]}});
    let content = mail_content(&message);
    let lines: Vec<&str> = content.body.lines().collect();
    assert!(
        lines.contains(&"Quarterly numbers attached & ready."),
        "{}",
        content.body
    );
    assert!(lines.contains(&"See you Monday"));
    assert_eq!(
        content.body,
        "Quarterly numbers attached & ready.\n\nSee you Monday\n\n_____\nPilots list\nlist@example.org"
    );
    assert_eq!(content.body_source, "text/html");
}

#[test]
fn a_body_nested_three_levels_down_is_found_with_its_attachments() {
    let content = mail_content(&nested());
    assert_eq!(content.body, "Hi team,\nthe agenda is below.\n");
    assert_eq!(content.body_source, "text/plain");
    assert_eq!(
        content.attachments,
        [
            Attachment {
                attachment_id: Some("ANGjdJ-logo".into()),
                filename: "logo.png".into(),
                mime_type: "image/png".into(),
                size: 2048,
                inline: true,
                part_id: "0.1".into(),
            },
            Attachment {
                attachment_id: Some("ANGjdJ-agenda".into()),
                filename: "agenda.pdf".into(),
                mime_type: "application/pdf".into(),
                size: 48213,
                inline: false,
                part_id: "1".into(),
            },
        ]
    );
}

#[test]
fn a_content_id_inside_related_marks_a_part_inline_even_without_a_disposition() {
    let mut message = nested();
    message["payload"]["parts"][0]["parts"][1]["headers"] =
        json!([{"name":"content-id","value":"<logo@example.com>"}]);
    assert!(mail_content(&message).attachments[0].inline);
    message["payload"]["parts"][0]["mimeType"] = json!("multipart/mixed");
    assert!(!mail_content(&message).attachments[0].inline);
}

#[test]
fn unpadded_urlsafe_part_data_reads_exactly() {
    let message = json!({"id":"18f0000000000a04","payload":{"partId":"","mimeType":"text/plain",
        "body":{"size":28,"data":"UHJpY2VzID4-PiAxMCUgb2ZmPz8_IMOpdMOpCg"}}});
    let content = mail_content(&message);
    assert_eq!(content.body, "Prices >>> 10% off??? été\n");
    assert_eq!(content.body_source, "text/plain");
}

#[test]
fn reply_headers_are_read_case_insensitively() {
    let message = json!({"id":"18f0000000000b02","threadId":"18f0000000000b00","payload":{"headers":[
        {"name":"Subject","value":"Re: Budget"},{"name":"From","value":"Dave <dave@example.com>"},
        {"name":"Message-Id","value":"<CAB2xyz@mail.example.com>"},
        {"name":"References","value":"<CAB0root@mail.example.com> <CAB1abc@mail.example.com>"},
        {"name":"CC","value":"erin@example.com"},{"name":"reply-to","value":"list@example.org"}]}});
    let headers = mail_headers(&message);
    assert_eq!(
        headers.message_id.as_deref(),
        Some("<CAB2xyz@mail.example.com>")
    );
    assert_eq!(
        headers.references.as_deref(),
        Some("<CAB0root@mail.example.com> <CAB1abc@mail.example.com>")
    );
    assert_eq!(headers.cc.as_deref(), Some("erin@example.com"));
    assert_eq!(headers.reply_to.as_deref(), Some("list@example.org"));
    assert_eq!(headers.in_reply_to, None);
    assert_eq!(mail_headers(&message["payload"]), headers);
    assert_eq!(
        mail_header(&message, "message-id"),
        Some("<CAB2xyz@mail.example.com>")
    );
    assert_eq!(
        mail_header(&message["payload"], "SUBJECT"),
        Some("Re: Budget")
    );
    assert_eq!(mail_header(&message, "X-Missing"), None);
}

#[test]
fn absent_headers_are_left_out_of_the_output() {
    let value = serde_json::to_value(mail_headers(
        &json!({"payload":{"headers":[{"name":"Subject","value":"Hi"}]}}),
    ))
    .unwrap();
    assert_eq!(value, json!({"subject": "Hi"}));
}

#[test]
fn the_real_multipart_alternative_capture_reads_its_plain_text() {
    let message: Json = serde_json::from_str(ALTERNATIVE_CAPTURE).unwrap();
    let content = mail_content(&message);
    assert_eq!(content.id.as_deref(), Some("15d75516a21136c3"));
    assert_eq!(
        content.label_ids,
        ["IMPORTANT", "CATEGORY_PERSONAL", "INBOX"]
    );
    assert_eq!(content.body_source, "text/plain");
    assert!(
        content
            .body
            .starts_with("Test ist mit Ihrem Google-Konto verbunden\n\n\n\nHallo Example,\n"),
        "{}",
        content.body
    );
    assert!(content.body.contains("Sie sollten nur Apps, denen Sie vertrauen, diesen Zugriff gewähren. Unter Mein\nKonto <https://myaccount.google.com/permissions> können Sie jederzeit die"), "{}", content.body);
    assert!(content.body.ends_with(
        "© 2017 Google Inc., 1600 Amphitheatre Parkway, Mountain View, CA 94043, USA\n"
    ));
    assert!(!content.body.contains('\r'));
    assert_eq!(
        content.headers.from.as_deref(),
        Some("Google <no-reply@accounts.google.com>")
    );
    assert_eq!(
        content.headers.message_id.as_deref(),
        Some("<p8Jzto-paKCA00xANbvj2Q@notifications.google.com>")
    );
    assert_eq!(
        content.headers.date.as_deref(),
        Some("Mon, 24 Jul 2017 15:57:29 +0000 (UTC)")
    );
    assert!(content.attachments.is_empty());
}

#[test]
fn the_html_part_of_the_real_capture_converts_to_readable_text() {
    let message: Json = serde_json::from_str(ALTERNATIVE_CAPTURE).unwrap();
    let html = super::super::base64url::decode(
        message["payload"]["parts"][1]["body"]["data"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let text = super::super::html_text::html_to_text(std::str::from_utf8(&html).unwrap());
    assert!(
        text.starts_with("Test ist mit Ihrem Google-Konto verbunden\nHallo Example,\n"),
        "{text}"
    );
    assert!(text.contains("Test kann jetzt auf Ihr Google-Konto user@example.com zugreifen.\n\nTest darf Folgendes:\n- Ihre E-Mails und Einstellungen abrufen\n"), "{text}");
    assert!(
        text.contains("Unter Mein Konto (https://myaccount.google.com/permissions) können Sie"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "© 2017 Google Inc., 1600 Amphitheatre Parkway, Mountain View, CA 94043, USA"
        ),
        "{text}"
    );
    assert!(!text.contains('<') && !text.contains("&copy;"));
}

#[test]
fn the_real_mixed_capture_reads_its_text_and_lists_the_pdf() {
    let message: Json = serde_json::from_str(MIXED_CAPTURE).unwrap();
    let content = mail_content(&message);
    assert_eq!(content.body, "can you create a task for this rfq?\n");
    assert_eq!(content.body_source, "text/plain");
    assert_eq!(content.headers.subject.as_deref(), Some("RFQ stuff"));
    assert_eq!(
        content.headers.from.as_deref(),
        Some("Example Sender <sender@example.com>")
    );
    assert_eq!(content.attachments.len(), 1);
    let pdf = &content.attachments[0];
    assert_eq!(
        (
            pdf.filename.as_str(),
            pdf.mime_type.as_str(),
            pdf.size,
            pdf.inline,
            pdf.part_id.as_str()
        ),
        (
            "Sol_140P8525Q0015.pdf",
            "application/pdf",
            415966,
            false,
            "1"
        )
    );
    assert!(
        pdf.attachment_id
            .as_deref()
            .unwrap()
            .starts_with("ANGjdJ-190QLXAiFf2wzYqRCoX7578V5")
    );
}

#[test]
fn a_message_without_payload_has_an_empty_body_and_no_source() {
    let content = mail_content(&json!({"id": "x"}));
    assert_eq!((content.body.as_str(), content.body_source), ("", "none"));
}

#[test]
fn the_template_adapters_take_values_and_name_bad_input() {
    let value = Value::from(minijinja::value::Serde(nested()));
    let content = mail_content_function(&[value], no_kwargs()).unwrap();
    assert_eq!(
        content.get_attr("body").unwrap().as_str(),
        Some("Hi team,\nthe agenda is below.\n")
    );
    let err = mail_content_function(&[Value::from("18f0000000000a01")], no_kwargs()).unwrap_err();
    assert_eq!(
        err.detail(),
        Some("`message` must be a Gmail message object (users.messages.get), got a string")
    );
    let header = mail_header_function(
        &Value::from(minijinja::value::Serde(html_only())),
        &Value::from("subject"),
    )
    .unwrap();
    assert_eq!(header.as_str(), Some("Q3"));
    assert!(
        mail_header_function(
            &Value::from(minijinja::value::Serde(html_only())),
            &Value::from("cc")
        )
        .unwrap()
        .is_none()
    );
}

fn no_kwargs() -> Kwargs {
    Kwargs::from_iter(Vec::<(&str, Value)>::new())
}

#[test]
fn html_asked_for_gives_the_html_source_and_raw_gives_the_whole_message() {
    let html = mail_content_as(&nested(), BodyFormat::Html);
    assert_eq!(html.body, "<div>Hi team,<br>the agenda is below.</div>");
    assert_eq!(html.body_source, "text/html");

    let raw_text = "From: Dave <dave@example.com>\r\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n\
        Message-Id: <CAB2xyz@mail.example.com>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
        --b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHallo\r\n--b\r\n\
        Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n\r\n\
        %PDF\r\n--b--\r\n";
    let raw = json!({"id": "m", "threadId": "t", "raw": super::super::base64url::encode(raw_text.as_bytes())});
    let as_raw = mail_content_as(&raw, BodyFormat::Raw);
    assert_eq!(as_raw.body, raw_text);
    assert_eq!(as_raw.body_source, "raw");
    assert_eq!(as_raw.headers.subject.as_deref(), Some("Grüße"));
    assert_eq!(
        as_raw.headers.message_id.as_deref(),
        Some("<CAB2xyz@mail.example.com>")
    );
    let as_text = mail_content_as(&raw, BodyFormat::Text);
    assert_eq!(as_text.body, "Hallo");
    assert_eq!(as_text.attachments[0].filename, "a.pdf");
    assert_eq!(as_text.attachments[0].size, 4);
}

#[test]
fn a_failed_fan_out_item_reads_as_its_id_and_the_error() {
    let failed = json!({"error": "Google answered 404", "item": "18f0000000000fff"});
    let content = mail_content(&failed);
    assert_eq!(content.id.as_deref(), Some("18f0000000000fff"));
    assert_eq!(content.error.as_deref(), Some("Google answered 404"));
    assert_eq!(content.body, "");
}

#[test]
fn a_limit_cuts_the_body_and_says_so() {
    let message = json!({"id": "m", "payload": {"mimeType": "text/plain",
        "body": {"data": super::super::base64url::encode("word ".repeat(100).as_bytes())}}});
    let args = [
        Value::from(minijinja::value::Serde(message)),
        Value::from("text"),
        Value::from(50),
        Value::from("ask for more"),
    ];
    let content = mail_content_function(&args, no_kwargs()).unwrap();
    assert_eq!(content.get_attr("truncated").unwrap(), Value::from(true));
    assert_eq!(content.get_attr("body_length").unwrap(), Value::from(500));
    let body = content.get_attr("body").unwrap().to_string();
    assert!(
        body.ends_with("[cut: the first 49 of 500 characters are shown; ask for more]"),
        "{body}"
    );
}

#[test]
fn attachments_are_found_by_id_else_by_a_unique_size_and_flag_the_message() {
    let message = nested();
    assert!(has_attachment(&message));
    assert_eq!(
        find_attachment(&message, "ANGjdJ-agenda", None)
            .unwrap()
            .filename,
        "agenda.pdf"
    );
    assert_eq!(
        find_attachment(&message, "ANGjdJ-rotated", Some(2048))
            .unwrap()
            .filename,
        "logo.png"
    );
    assert!(find_attachment(&message, "ANGjdJ-rotated", Some(7)).is_none());
    assert!(!has_attachment(&html_only()));
    let metadata = json!({"payload": {"mimeType": "multipart/mixed", "headers": []}});
    assert!(has_attachment(&metadata));
}

#[test]
fn header_lines_come_in_the_order_mail_clients_show_them() {
    let headers = json!({"subject": "Re: Budget", "from": "Dave <dave@example.com>",
                         "message_id": "<CAB2xyz@mail.example.com>", "cc": "Erin <erin@example.com>"});
    assert_eq!(
        header_lines(&headers),
        "From: Dave <dave@example.com>\nCc: Erin <erin@example.com>\nSubject: Re: Budget\n\
         Message-ID: <CAB2xyz@mail.example.com>"
    );
}
