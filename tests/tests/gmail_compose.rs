//! Sending and drafting through rmcp's client against the sandbox: each test decodes the raw
//! message Gmail received, parses it, and checks its headers and structure.

mod gmail_common;
mod support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gmail_common::{Entity, setup};
use gws_sandbox::seed::gmail::*;
use serde_json::json;
use support::decode_words;

/// Every header block line is ASCII and at most 76 characters; encoded-words at most 75.
fn assert_clean_header_block(message: &Entity) {
    for (name, value) in &message.headers {
        assert!(value.is_ascii(), "{name} is not ASCII: {value}");
        for word in value.split_whitespace().filter(|w| w.starts_with("=?")) {
            assert!(
                word.len() <= 75,
                "{name}: encoded-word longer than 75: {word}"
            );
        }
    }
}

#[tokio::test]
async fn case_1_every_non_ascii_header_is_encoded_and_decodes_back_exactly() {
    let s = setup().await;
    let name = "Zoë Ångström — 東京オフィス".repeat(2);

    s.ok(
        "send_gmail_message",
        json!({"to": "Jürgen Groß <alice@example.com>", "subject": "=?not a word?= ascii",
               "body": "Olá", "from_name": name, "from_email": "support@example.com",
               "include_signature": false}),
    )
    .await;

    let (_, message) = s.sent();
    assert_clean_header_block(&message);
    let from = message.header("From").unwrap();
    assert_eq!(decode_words(&from), format!("{name} <support@example.com>"));
    assert_eq!(
        decode_words(&message.header("To").unwrap()),
        "Jürgen Groß <alice@example.com>"
    );
    let subject = message.header("Subject").unwrap();
    assert!(
        subject.starts_with("=?UTF-8?B?"),
        "an ASCII subject with =? is encoded: {subject}"
    );
    assert_eq!(decode_words(&subject), "=?not a word?= ascii");
    assert_eq!(message.header("MIME-Version").as_deref(), Some("1.0"));
    assert!(
        message
            .header("Content-Type")
            .unwrap()
            .contains("charset=UTF-8")
    );
    assert_eq!(message.text(), "Olá");
}

#[tokio::test]
async fn case_1_a_non_ascii_file_name_follows_rfc_2231_and_the_bytes_arrive_intact() {
    let s = setup().await;
    let filename = format!("Relatório trimestral {}.pdf", "東京".repeat(12));
    let bytes: Vec<u8> = (0..=255).collect();

    s.ok(
        "send_gmail_message",
        json!({"to": "alice@example.com", "subject": "Relatório", "body": "Segue.",
               "include_signature": false,
               "attachments": [{"filename": filename, "content": STANDARD.encode(&bytes)}]}),
    )
    .await;

    let (_, message) = s.sent();
    assert_eq!(
        message.shape(),
        "multipart/mixed[text/plain, application/pdf]"
    );
    let file = &message.parts[1];
    assert_clean_header_block(file);
    let disposition = file.header("Content-Disposition").unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*0*=UTF-8''Relat%C3%B3rio"),
        "{disposition}"
    );
    assert_eq!(
        file.param("Content-Disposition", "filename").unwrap(),
        filename
    );
    assert_eq!(file.param("Content-Type", "name").unwrap(), filename);
    assert_eq!(file.body, bytes);
    assert_eq!(message.parts[0].text(), "Segue.");
}

#[tokio::test]
async fn case_2_a_line_break_in_any_header_field_is_refused_before_any_request() {
    let s = setup().await;
    let injected = "x\r\nBcc: attacker@example.net";
    let file = |name: &str| json!([{"filename": name, "content": "eA"}]);

    for (field, value, named) in [
        ("to", json!(format!("bob@example.com{injected}")), "to"),
        (
            "cc",
            json!(format!("carol@example.com\nBcc: attacker@example.net")),
            "cc",
        ),
        (
            "bcc",
            json!("dave@example.com\rBcc: attacker@example.net"),
            "bcc",
        ),
        ("subject", json!(format!("Invoice{injected}")), "subject"),
        (
            "from_name",
            json!("Bob\nBcc: attacker@example.net"),
            "from_name",
        ),
        (
            "from_email",
            json!("bob@example.com\r\nBcc: attacker@example.net"),
            "from_email",
        ),
        (
            "in_reply_to",
            json!("<a@example.com>\nBcc: attacker@example.net"),
            "in_reply_to",
        ),
        (
            "references",
            json!("<a@example.com>\r\nBcc: attacker@example.net"),
            "references",
        ),
        (
            "attachments",
            file("a.pdf\r\nBcc: attacker@example.net"),
            "attachments[0].filename",
        ),
    ] {
        for tool in ["send_gmail_message", "draft_gmail_message"] {
            let mut arguments =
                json!({"to": "bob@example.com", "subject": "Invoice", "body": "see attached"});
            arguments[field] = value.clone();

            let error = s.fails(tool, arguments).await;

            assert!(
                error.contains(&format!("`{named}`")),
                "{tool} {field}: {error}"
            );
        }
    }
    assert!(
        s.sandbox.requests().is_empty(),
        "{:?}",
        s.sandbox.requests()
    );
}

#[tokio::test]
async fn case_9_a_reply_to_a_gmail_id_is_threaded_with_the_originals_rfc_ids() {
    let s = setup().await;

    let (out, _) = s
        .ok(
            "send_gmail_message",
            json!({"to": "dave@example.com", "subject": "Budget", "body": "Sounds good.",
                   "thread_id": BUDGET_THREAD, "in_reply_to": BUDGET_LAST_REPLY}),
        )
        .await;

    let parent = &s.requests("GET", &format!("/messages/{BUDGET_LAST_REPLY}"))[0];
    assert_eq!(
        support::query(parent, "format").as_deref(),
        Some("metadata")
    );
    let (request, message) = s.sent();
    assert_eq!(request.body.as_ref().unwrap()["threadId"], BUDGET_THREAD);
    assert_eq!(out["thread_id"], BUDGET_THREAD);
    assert_eq!(
        message.header("In-Reply-To").as_deref(),
        Some("<CAB2xyz@mail.example.com>")
    );
    assert_eq!(
        message.header("References").as_deref(),
        Some("<CAB0root@mail.example.com> <CAB1abc@mail.example.com> <CAB2xyz@mail.example.com>")
    );
    assert_eq!(message.header("Subject").as_deref(), Some("Re: Budget"));
    assert_eq!(message.all("Subject").len(), 1);
}

#[tokio::test]
async fn case_9_an_rfc_id_without_brackets_gets_them_and_re_is_never_doubled() {
    let s = setup().await;

    s.ok(
        "send_gmail_message",
        json!({"to": "dave@example.com", "subject": "RE: Budget", "body": "Sounds good.",
               "thread_id": BUDGET_THREAD, "in_reply_to": "CAB2xyz@mail.example.com",
               "include_signature": false}),
    )
    .await;

    assert!(
        s.requests("GET", "").is_empty(),
        "an RFC id needs no lookup"
    );
    let (request, message) = s.sent();
    assert_eq!(request.body.as_ref().unwrap()["threadId"], BUDGET_THREAD);
    assert_eq!(
        message.header("In-Reply-To").as_deref(),
        Some("<CAB2xyz@mail.example.com>")
    );
    assert_eq!(
        message.header("References").as_deref(),
        Some("<CAB2xyz@mail.example.com>")
    );
    assert_eq!(message.header("Subject").as_deref(), Some("RE: Budget"));
}

#[tokio::test]
async fn case_9_an_rfc_id_alone_finds_its_thread_by_searching_for_the_message_id() {
    let s = setup().await;

    s.ok(
        "send_gmail_message",
        json!({"to": "dave@example.com", "subject": "Budget", "body": "Sounds good.",
               "in_reply_to": "<CAB2xyz@mail.example.com>", "include_signature": false}),
    )
    .await;

    let search = &s.requests("GET", "/users/me/messages")[0];
    assert_eq!(
        support::query(search, "q").as_deref(),
        Some("rfc822msgid:CAB2xyz@mail.example.com")
    );
    let (request, message) = s.sent();
    assert_eq!(request.body.as_ref().unwrap()["threadId"], BUDGET_THREAD);
    assert_eq!(
        message.header("In-Reply-To").as_deref(),
        Some("<CAB2xyz@mail.example.com>")
    );
    assert_eq!(message.header("Subject").as_deref(), Some("Re: Budget"));
}

#[tokio::test]
async fn case_9_a_thread_id_alone_answers_the_threads_last_message() {
    let s = setup().await;

    s.ok(
        "send_gmail_message",
        json!({"to": "dave@example.com", "body": "Agreed, let's cut it.", "thread_id": BUDGET_THREAD}),
    )
    .await;

    let thread = &s.requests("GET", &format!("/threads/{BUDGET_THREAD}"))[0];
    assert_eq!(
        support::query(thread, "format").as_deref(),
        Some("metadata")
    );
    let (request, message) = s.sent();
    assert_eq!(request.body.as_ref().unwrap()["threadId"], BUDGET_THREAD);
    assert_eq!(
        message.header("In-Reply-To").as_deref(),
        Some("<CAB2xyz@mail.example.com>")
    );
    assert_eq!(
        message.header("References").as_deref(),
        Some("<CAB0root@mail.example.com> <CAB1abc@mail.example.com> <CAB2xyz@mail.example.com>")
    );
    assert_eq!(message.header("Subject").as_deref(), Some("Re: Budget"));
}

#[tokio::test]
async fn html_with_an_inline_image_and_a_file_is_mixed_around_related_around_alternative() {
    let s = setup().await;
    let png = [0x89, b'P', b'N', b'G', 0, 1, 2];

    s.ok(
        "send_gmail_message",
        json!({"to": "bob@example.com", "subject": "Q3", "body_format": "html",
               "body": "<p>Numbers are <b>up</b> &amp; rising.</p><img src=\"cid:chart1\">",
               "include_signature": false,
               "attachments": [
                   {"filename": "chart.png", "content": STANDARD.encode(png), "content_id": "chart1"},
                   {"filename": "q3.csv", "content": STANDARD.encode("a,b\n1,2\n")}]}),
    )
    .await;

    let (_, message) = s.sent();
    assert_eq!(
        message.shape(),
        "multipart/mixed[multipart/related[multipart/alternative[text/plain, text/html], \
         image/png], text/csv]"
    );
    let text = message.leaf("text/plain").text();
    assert!(text.contains("Numbers are up & rising."), "{text}");
    assert!(message.leaf("text/html").text().contains("<b>up</b>"));
    let image = message.leaf("image/png");
    assert_eq!(image.header("Content-ID").as_deref(), Some("<chart1>"));
    assert!(
        image
            .header("Content-Disposition")
            .unwrap()
            .starts_with("inline;")
    );
    assert_eq!(image.body, png);
    assert_eq!(
        message
            .leaf("text/csv")
            .param("Content-Disposition", "filename")
            .as_deref(),
        Some("q3.csv")
    );
}

#[tokio::test]
async fn the_send_as_signature_is_added_and_a_send_as_address_keeps_its_name() {
    let s = setup().await;

    s.ok(
        "send_gmail_message",
        json!({"to": "bob@example.com", "subject": "Hello", "body": "Hi Bob,\nsee you.",
               "from_email": "support@example.com"}),
    )
    .await;

    assert_eq!(s.requests("GET", "/settings/sendAs").len(), 1);
    let (_, message) = s.sent();
    assert_eq!(
        message.header("From").as_deref(),
        Some("Example Support <support@example.com>")
    );
    assert_eq!(
        message.text(),
        "Hi Bob,\r\nsee you.\r\n\r\n-- \r\nThe Example Support team"
    );
}

#[tokio::test]
async fn an_address_that_is_not_a_send_as_address_is_refused_and_nothing_is_sent() {
    let s = setup().await;

    let error = s
        .fails(
            "send_gmail_message",
            json!({"to": "bob@example.com", "subject": "Hello", "body": "Hi", "from_email": "ceo@example.com"}),
        )
        .await;

    assert!(
        error.contains("`from_email` ceo@example.com is not a send-as address"),
        "{error}"
    );
    assert!(error.contains("support@example.com"), "{error}");
    assert!(s.requests("POST", "/messages/send").is_empty());
}

#[tokio::test]
async fn a_name_alone_goes_out_with_the_default_address_and_no_signature_when_asked() {
    let s = setup().await;

    s.ok(
        "send_gmail_message",
        json!({"to": "bob@example.com", "subject": "Hello", "body": "Hi",
               "from_name": "Smith, Ann", "include_signature": false}),
    )
    .await;

    let (_, message) = s.sent();
    assert_eq!(
        message.header("From").as_deref(),
        Some("\"Smith, Ann\" <user@example.com>")
    );
    assert_eq!(message.text(), "Hi");
}

#[tokio::test]
async fn a_forward_quotes_the_original_and_attaches_its_files() {
    let s = setup().await;

    s.ok(
        "send_gmail_message",
        json!({"to": "accounts@example.com", "body": "FYI, see below.",
               "forward_message_id": INVOICE_READY, "include_signature": false}),
    )
    .await;

    let fetched = &s.requests("GET", &format!("/messages/{INVOICE_READY}"))[0];
    assert_eq!(support::query(fetched, "format").as_deref(), Some("raw"));
    let (request, message) = s.sent();
    assert!(request.body.as_ref().unwrap().get("threadId").is_none());
    assert_eq!(
        message.header("Subject").as_deref(),
        Some("Fwd: Your invoice INV-2026-0142 is ready")
    );
    assert_eq!(
        message.shape(),
        "multipart/mixed[text/plain, application/pdf]"
    );
    let text = message.parts[0].text();
    assert!(
        text.starts_with("FYI, see below.\r\n\r\n---------- Forwarded message ---------\r\n"),
        "{text}"
    );
    assert!(
        text.contains("From: Example Billing <billing@example.com>"),
        "{text}"
    );
    assert!(
        text.contains("your invoice INV-2026-0142 for 249.00 EUR is attached."),
        "{text}"
    );
    let pdf = &message.parts[1];
    assert_eq!(
        pdf.param("Content-Disposition", "filename").as_deref(),
        Some("invoice-0142.pdf")
    );
    assert_eq!(pdf.body.len(), 48731);
}

#[tokio::test]
async fn a_forward_without_its_files_is_text_only() {
    let s = setup().await;

    s.ok(
        "send_gmail_message",
        json!({"to": "accounts@example.com", "subject": "See this", "body": "FYI.",
               "forward_message_id": INVOICE_READY, "include_forwarded_attachments": false,
               "include_signature": false}),
    )
    .await;

    let (_, message) = s.sent();
    assert_eq!(message.shape(), "text/plain");
    assert_eq!(message.header("Subject").as_deref(), Some("See this"));
}

#[tokio::test]
async fn a_reply_draft_quotes_the_last_message_and_joins_the_thread() {
    let s = setup().await;

    let (out, text) = s
        .ok(
            "draft_gmail_message",
            json!({"subject": "Budget", "body": "Draft answer.", "thread_id": BUDGET_THREAD,
                   "quote_original": true, "include_signature": false}),
        )
        .await;

    let thread = &s.requests("GET", &format!("/threads/{BUDGET_THREAD}"))[0];
    assert_eq!(support::query(thread, "format").as_deref(), Some("full"));
    let drafts = s.requests("POST", "/users/me/drafts");
    assert_eq!(drafts.len(), 1);
    let body = drafts[0].body.as_ref().unwrap();
    assert_eq!(body["message"]["threadId"], BUDGET_THREAD);
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(
            body["message"]["raw"]
                .as_str()
                .unwrap()
                .trim_end_matches('='),
        )
        .unwrap();
    let message = Entity::parse(&raw);
    assert_eq!(message.header("To"), None);
    assert_eq!(
        message.header("In-Reply-To").as_deref(),
        Some("<CAB2xyz@mail.example.com>")
    );
    assert_eq!(message.header("Subject").as_deref(), Some("Re: Budget"));
    let quoted = message.text();
    assert!(quoted.starts_with("Draft answer.\r\n\r\nOn "), "{quoted}");
    assert!(
        quoted.contains("Dave <dave@example.com> wrote:\r\n> Looks good to me."),
        "{quoted}"
    );
    assert!(out["draft_id"].as_str().unwrap().starts_with('r'));
    assert!(text.contains("not sent"), "{text}");
    assert!(s.requests("POST", "/messages/send").is_empty());
}

#[tokio::test]
async fn a_draft_reply_to_a_gmail_id_and_an_html_draft_with_a_signature() {
    let s = setup().await;

    s.ok(
        "draft_gmail_message",
        json!({"subject": "Lunch", "body": "<p>Yes, <i>12:30</i> works.</p>", "body_format": "html",
               "to": "bob@example.com", "in_reply_to": LUNCH}),
    )
    .await;

    let drafts = s.requests("POST", "/users/me/drafts");
    let body = drafts[0].body.as_ref().unwrap();
    assert_eq!(body["message"]["threadId"], LUNCH);
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(
            body["message"]["raw"]
                .as_str()
                .unwrap()
                .trim_end_matches('='),
        )
        .unwrap();
    let message = Entity::parse(&raw);
    assert_eq!(message.header("Subject").as_deref(), Some("Re: Lunch"));
    assert_eq!(
        message.header("In-Reply-To").as_deref(),
        Some(format!("<{LUNCH}.sandbox@mail.example.com>").as_str())
    );
    assert_eq!(
        message.shape(),
        "multipart/alternative[text/plain, text/html]"
    );
    let html = message.leaf("text/html").text();
    assert!(
        html.contains("<div class=\"gmail_signature\"><div dir=\"ltr\">Example User"),
        "{html}"
    );
    assert!(
        message
            .leaf("text/plain")
            .text()
            .contains("Yes, 12:30 works.")
    );
    assert!(message.leaf("text/plain").text().contains("Example User"));
}
