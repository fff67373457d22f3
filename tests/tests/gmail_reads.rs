//! The Gmail batch, thread and attachment reads through rmcp's client against the sandbox:
//! order kept, failures reported per item, bytes bounded. Each test asserts on what reached
//! the sandbox and on what the model got back.

mod gmail_common;
mod support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gmail_common::{setup, setup_with};
use gws_sandbox::seed::gmail::*;
use serde_json::json;
use support::query;

#[tokio::test]
async fn a_batch_read_keeps_the_order_and_reports_the_one_it_could_not_read() {
    let s = setup().await;
    let ids = [
        HTML_ONLY,
        "ffffffffffffffff",
        NESTED_AGENDA,
        UNPADDED_PRICES,
    ];

    let (out, text) = s
        .ok(
            "get_gmail_messages_content_batch",
            json!({"message_ids": ids}),
        )
        .await;

    let messages = out["messages"].as_array().unwrap();
    let got: Vec<&str> = messages.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(got, ids);
    assert!(
        messages[1]["error"].as_str().unwrap().contains("404"),
        "{}",
        messages[1]
    );
    assert_eq!(
        messages[2]["body"].as_str().unwrap().trim_end(),
        "Hi team,\nthe agenda is below."
    );
    assert_eq!(messages[3]["body"], "Prices >>> 10% off??? été\n");
    assert!(
        text.contains("3 of 4 message(s) read; 1 could not be read"),
        "{text}"
    );
    let fetched = s.requests("GET", "");
    assert_eq!(fetched.len(), 4);
    assert!(
        fetched
            .iter()
            .all(|r| query(r, "format").as_deref() == Some("full"))
    );
}

#[tokio::test]
async fn a_metadata_batch_asks_for_headers_only_and_every_failure_is_a_tool_error() {
    let s = setup().await;

    let (out, _) = s
        .ok(
            "get_gmail_messages_content_batch",
            json!({"message_ids": [BUDGET_LAST_REPLY], "format": "metadata"}),
        )
        .await;
    let error = s
        .fails(
            "get_gmail_messages_content_batch",
            json!({"message_ids": ["ffffffffffffff01", "ffffffffffffff02"]}),
        )
        .await;

    let request = &s.requests("GET", BUDGET_LAST_REPLY)[0];
    assert_eq!(query(request, "format").as_deref(), Some("metadata"));
    let wanted: Vec<&str> = request
        .query
        .iter()
        .filter(|(n, _)| n == "metadataHeaders")
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(
        wanted.contains(&"Message-ID") && wanted.contains(&"References"),
        "{wanted:?}"
    );
    assert_eq!(
        out["messages"][0]["headers"]["message_id"],
        "<CAB2xyz@mail.example.com>"
    );
    assert_eq!(out["messages"][0]["body"], "");
    assert!(error.contains("every one of 2 requests failed"), "{error}");
}

#[tokio::test]
async fn a_thread_reads_oldest_first_and_its_analysis_says_a_reply_is_awaited() {
    let s = setup().await;

    let (out, text) = s
        .ok(
            "get_gmail_thread_content",
            json!({"thread_id": BUDGET_THREAD, "include_analysis": true}),
        )
        .await;

    let ids: Vec<&str> = out["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [BUDGET_THREAD, BUDGET_FIRST_REPLY, BUDGET_LAST_REPLY]);
    assert!(
        out["messages"][2]["body"]
            .as_str()
            .unwrap()
            .starts_with("Looks good to me.")
    );
    let analysis = &out["analysis"];
    assert_eq!(analysis["message_count"], 3);
    assert_eq!(analysis["from_me"], 1);
    assert_eq!(analysis["awaiting_my_reply"], true);
    assert_eq!(analysis["last_from"], "Dave <dave@example.com>");
    assert!(text.contains("a reply from you may be awaited"), "{text}");
    let request = &s.requests("GET", &format!("/threads/{BUDGET_THREAD}"))[0];
    assert_eq!(query(request, "format").as_deref(), Some("full"));
}

#[tokio::test]
async fn a_raw_thread_fetches_each_message_raw_in_order() {
    let s = setup().await;

    let (out, _) = s
        .ok(
            "get_gmail_thread_content",
            json!({"thread_id": BUDGET_THREAD, "body_format": "raw"}),
        )
        .await;

    let thread = &s.requests("GET", &format!("/threads/{BUDGET_THREAD}"))[0];
    assert_eq!(query(thread, "format").as_deref(), Some("minimal"));
    let raws: Vec<String> = s
        .requests("GET", "")
        .iter()
        .filter(|r| r.path.contains("/messages/"))
        .map(|r| {
            assert_eq!(query(r, "format").as_deref(), Some("raw"));
            r.path.rsplit('/').next().unwrap().to_owned()
        })
        .collect();
    assert_eq!(raws.len(), 3);
    let messages = out["messages"].as_array().unwrap();
    assert_eq!(messages[0]["id"], BUDGET_THREAD);
    assert!(
        messages[2]["body"]
            .as_str()
            .unwrap()
            .contains("Message-Id: <CAB2xyz@mail.example.com>")
    );
    assert_eq!(messages[2]["headers"]["from"], "Dave <dave@example.com>");
}

#[tokio::test]
async fn a_threads_batch_keeps_the_order_groups_messages_and_reports_a_missing_thread() {
    let s = setup().await;
    let ids = [HTML_ONLY, "ffffffffffffffff", BUDGET_THREAD];

    let (out, text) = s
        .ok(
            "get_gmail_threads_content_batch",
            json!({"thread_ids": ids}),
        )
        .await;

    let threads = out["threads"].as_array().unwrap();
    let got: Vec<&str> = threads.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(got, ids);
    assert_eq!(threads[0]["message_count"], 1);
    assert!(threads[1]["error"].as_str().unwrap().contains("404"));
    assert_eq!(threads[2]["message_count"], 3);
    let messages = out["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 4);
    assert_eq!(messages[3]["id"], BUDGET_LAST_REPLY);
    assert!(
        text.contains("2 of 3 thread(s) read; 1 could not be read"),
        "{text}"
    );
    assert_eq!(s.requests("GET", "").len(), 3);
}

#[tokio::test]
async fn an_attachment_comes_back_as_standard_base64_with_its_name_and_type() {
    let s = setup().await;

    let (out, text) = s
        .ok(
            "get_gmail_attachment_content",
            json!({"message_id": NESTED_AGENDA, "attachment_id": "ANGjdJ-agenda"}),
        )
        .await;

    let fetched = s.requests(
        "GET",
        "/messages/18f0000000000a03/attachments/ANGjdJ-agenda",
    );
    assert_eq!(fetched.len(), 1);
    assert_eq!(out["filename"], "agenda.pdf");
    assert_eq!(out["mime_type"], "application/pdf");
    assert_eq!(out["size"], 48213);
    let bytes = STANDARD
        .decode(out["content_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(bytes.len(), 48213);
    assert!(
        text.contains("agenda.pdf") && text.contains("content_base64"),
        "{text}"
    );
    assert!(!text.contains(out["content_base64"].as_str().unwrap()));
}

#[tokio::test]
async fn a_text_attachment_is_shown_as_text_and_base64_on_request() {
    let s = setup().await;
    let csv = "name,stage\nAcme,won\n";
    let (sent, _) = s
        .ok(
            "send_gmail_message",
            json!({"to": "ann@example.com", "subject": "Pipeline", "body": "Attached.",
                   "attachments": [{"filename": "pipeline.csv", "content": STANDARD.encode(csv)}]}),
        )
        .await;
    let (message, _) = s
        .ok(
            "get_gmail_message_content",
            json!({"message_id": sent["id"]}),
        )
        .await;
    let attachment = &message["attachments"][0];
    assert_eq!(attachment["filename"], "pipeline.csv");

    let (out, text) = s
        .ok(
            "get_gmail_attachment_content",
            json!({"message_id": sent["id"], "attachment_id": attachment["attachment_id"],
                   "return_base64": true}),
        )
        .await;

    assert_eq!(out["text"], csv);
    assert_eq!(out["mime_type"], "text/csv");
    assert!(text.contains("Acme,won"), "{text}");
    assert!(text.contains(&STANDARD.encode(csv)), "{text}");
}

#[tokio::test]
async fn an_attachment_over_the_configured_size_is_a_clear_error() {
    let s = setup_with(&[("GWS_MAX_ATTACHMENT_BYTES", "1000")]).await;

    let error = s
        .fails(
            "get_gmail_attachment_content",
            json!({"message_id": NESTED_AGENDA, "attachment_id": "ANGjdJ-agenda"}),
        )
        .await;

    assert!(error.contains("48213 bytes"), "{error}");
    assert!(error.contains("more than the 1000 bytes"), "{error}");
    assert!(error.contains("GWS_MAX_ATTACHMENT_BYTES"), "{error}");
}
