//! The Gmail tools through rmcp's client against the sandbox: the tool list, search and
//! reading one message. Each test asserts on what reached the sandbox and on what the model
//! got back. Batch, thread and attachment reads are in `gmail_reads.rs`.

mod gmail_common;
mod support;

use gmail_common::{connect, setup};
use gws_sandbox::FaultRule;
use gws_sandbox::seed::gmail::*;
use serde_json::{Value, json};
use support::{Engine, query};

/// The Gmail rows of PARITY.md (less `start_google_auth`): name, tier, argument names.
const PARITY: [(&str, &str, &[&str]); 15] = [
    (
        "get_gmail_message_content",
        "core",
        &["message_id", "body_format", "full"],
    ),
    (
        "get_gmail_messages_content_batch",
        "core",
        &["message_ids", "format", "body_format"],
    ),
    (
        "search_gmail_messages",
        "core",
        &["query", "page_size", "page_token"],
    ),
    (
        "send_gmail_message",
        "core",
        &[
            "to",
            "subject",
            "body",
            "body_format",
            "forward_message_id",
            "include_forwarded_attachments",
            "cc",
            "bcc",
            "from_name",
            "from_email",
            "thread_id",
            "in_reply_to",
            "references",
            "attachments",
            "include_signature",
        ],
    ),
    (
        "draft_gmail_message",
        "extended",
        &[
            "subject",
            "body",
            "body_format",
            "to",
            "cc",
            "bcc",
            "from_name",
            "from_email",
            "thread_id",
            "in_reply_to",
            "references",
            "attachments",
            "include_signature",
            "quote_original",
        ],
    ),
    (
        "get_gmail_attachment_content",
        "extended",
        &["message_id", "attachment_id", "return_base64"],
    ),
    (
        "get_gmail_thread_content",
        "extended",
        &["thread_id", "body_format", "include_analysis"],
    ),
    ("list_gmail_filters", "extended", &[]),
    ("list_gmail_labels", "extended", &[]),
    (
        "manage_gmail_filter",
        "extended",
        &["action", "criteria", "filter_action", "filter_id"],
    ),
    (
        "manage_gmail_label",
        "extended",
        &[
            "action",
            "name",
            "label_id",
            "label_list_visibility",
            "message_list_visibility",
        ],
    ),
    (
        "modify_gmail_message_labels",
        "extended",
        &["message_id", "add_label_ids", "remove_label_ids"],
    ),
    (
        "batch_modify_gmail_message_labels",
        "complete",
        &["message_ids", "add_label_ids", "remove_label_ids"],
    ),
    (
        "get_gmail_threads_content_batch",
        "complete",
        &["thread_ids", "body_format"],
    ),
    ("start_google_auth", "complete", &["service_name"]),
];

#[tokio::test]
async fn every_gmail_tool_of_parity_is_listed_in_its_tier_with_its_argument_names() {
    let sandbox = gws_sandbox::Sandbox::start(0).await.unwrap();
    for (tier, tiers_in) in [
        ("core", &["core"][..]),
        ("extended", &["core", "extended"][..]),
        ("complete", &["core", "extended", "complete"][..]),
    ] {
        let engine = Engine::start(&sandbox.url(), &[("TOOL_TIER", tier), ("TOOLS", "gmail")]);
        let client = connect(&engine).await;
        let tools = client.list_all_tools().await.unwrap();

        let expected: Vec<&str> = PARITY
            .iter()
            .filter(|(_, t, _)| tiers_in.contains(t))
            .map(|(name, _, _)| *name)
            .collect();
        let mut listed: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        listed.sort_unstable();
        let mut wanted = expected.clone();
        wanted.sort_unstable();
        assert_eq!(listed, wanted, "tier {tier}");

        for tool in &tools {
            let (_, _, names) = PARITY.iter().find(|(n, _, _)| *n == tool.name).unwrap();
            let schema = Value::Object((*tool.input_schema).clone());
            let properties = schema["properties"].as_object().unwrap();
            for name in *names {
                let property = &properties[*name];
                assert!(property["type"].is_string(), "{}.{name}", tool.name);
                assert!(property["description"].is_string(), "{}.{name}", tool.name);
                if property["type"] == "array" {
                    assert!(
                        property["items"]["type"].is_string(),
                        "{}.{name}",
                        tool.name
                    );
                }
            }
            let annotations = tool.annotations.as_ref().unwrap();
            if annotations.read_only_hint != Some(true) {
                assert!(annotations.destructive_hint.is_some(), "{}", tool.name);
            }
            assert!(
                tool.description.as_ref().unwrap().len() < 500,
                "{}",
                tool.name
            );
        }
        client.cancel().await.unwrap();
    }
}

#[tokio::test]
async fn case_23_search_pages_through_results_with_a_machine_readable_token() {
    let s = setup().await;

    let (first, first_text) = s
        .ok(
            "search_gmail_messages",
            json!({"query": "in:inbox", "page_size": 2}),
        )
        .await;
    let token = first["next_page_token"].as_str().unwrap().to_owned();
    let (second, _) = s
        .ok(
            "search_gmail_messages",
            json!({"query": "in:inbox", "page_size": 2, "page_token": token}),
        )
        .await;

    assert_eq!(first["messages"].as_array().unwrap().len(), 2);
    assert!(first_text.contains("more results exist"), "{first_text}");
    assert!(first_text.contains(&token), "{first_text}");
    assert!(first_text.contains("estimate"), "{first_text}");
    let lists = s.requests("GET", "/gmail/v1/users/me/messages");
    assert_eq!(query(&lists[0], "pageToken"), None);
    assert_eq!(
        query(&lists[1], "pageToken").as_deref(),
        Some(token.as_str())
    );
    assert_eq!(query(&lists[1], "maxResults").as_deref(), Some("2"));
    let first_ids: Vec<&Value> = first["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["id"])
        .collect();
    assert!(
        second["messages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| !first_ids.contains(&&m["id"]))
    );

    let (last, last_text) = s
        .ok(
            "search_gmail_messages",
            json!({"query": "from:billing@example.com", "page_size": 100}),
        )
        .await;
    assert!(last.get("next_page_token").is_none());
    assert!(!last_text.contains("more results exist"));
}

#[tokio::test]
async fn search_results_carry_recipients_labels_and_an_attachment_flag_inside_a_fence() {
    let s = setup().await;

    let (out, text) = s
        .ok(
            "search_gmail_messages",
            json!({"query": "from:billing@example.com"}),
        )
        .await;

    let messages = out["messages"].as_array().unwrap();
    let invoice = messages.iter().find(|m| m["id"] == INVOICE_READY).unwrap();
    let payment = messages
        .iter()
        .find(|m| m["id"] == PAYMENT_RECEIVED)
        .unwrap();
    assert_eq!(invoice["has_attachment"], true);
    assert_eq!(payment["has_attachment"], false);
    assert_eq!(invoice["to"], "user@example.com");
    assert!(
        invoice["labels"]
            .as_array()
            .unwrap()
            .contains(&json!("Label_1"))
    );
    assert!(text.contains("has attachments"), "{text}");
    assert!(text.contains("untrusted text"), "{text}");
}

#[tokio::test]
async fn case_30_a_message_google_keeps_refusing_is_reported_while_the_rest_of_the_search_returns()
{
    let s = setup().await;
    let path = format!("/gmail/v1/users/me/messages/{INVOICE_READY}");
    s.sandbox
        .add_fault(FaultRule {
            path_prefix: path,
            method: Some("GET".into()),
            ..FaultRule::status(429)
        })
        .unwrap();

    let (out, text) = s
        .ok(
            "search_gmail_messages",
            json!({"query": "from:billing@example.com"}),
        )
        .await;

    let messages = out["messages"].as_array().unwrap();
    let failed: Vec<&Value> = messages.iter().filter(|m| m["error"].is_string()).collect();
    assert_eq!(messages.len(), 2);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["id"], INVOICE_READY);
    assert!(
        failed[0]["error"].as_str().unwrap().contains("429"),
        "{}",
        failed[0]
    );
    assert!(text.contains("not fetched"), "{text}");
}

#[tokio::test]
async fn case_4b_a_mailing_list_message_keeps_its_html_content_before_the_footer() {
    let s = setup().await;

    let (out, _) = s
        .ok(
            "get_gmail_message_content",
            json!({"message_id": MAILING_LIST}),
        )
        .await;

    let body = out["body"].as_str().unwrap();
    let lines: Vec<&str> = body.lines().map(str::trim).collect();
    assert!(
        lines.contains(&"Quarterly numbers attached & ready."),
        "{body}"
    );
    assert!(lines.contains(&"See you Monday"), "{body}");
    assert!(
        body.find("See you Monday") < body.find("Pilots list"),
        "{body}"
    );
    assert_eq!(out["body_source"], "text/html");
}

#[tokio::test]
async fn case_9_a_message_read_shows_the_headers_a_reply_needs_inside_a_fence_that_holds() {
    let s = setup().await;

    let (out, text) = s
        .ok(
            "get_gmail_message_content",
            json!({"message_id": BUDGET_LAST_REPLY}),
        )
        .await;

    let headers = &out["headers"];
    assert_eq!(headers["message_id"], "<CAB2xyz@mail.example.com>");
    assert_eq!(
        headers["references"],
        "<CAB0root@mail.example.com> <CAB1abc@mail.example.com>"
    );
    assert_eq!(headers["cc"], "Erin Vogel <erin@example.com>");
    assert_eq!(
        headers["reply_to"],
        "Dave Finance <dave.finance@example.com>"
    );
    for line in [
        "Message-ID: <CAB2xyz@mail.example.com>",
        "References: <CAB0root@mail.example.com> <CAB1abc@mail.example.com>",
        "Cc: Erin Vogel <erin@example.com>",
        "Reply-To: Dave Finance <dave.finance@example.com>",
    ] {
        assert!(text.contains(line), "{line} missing from {text}");
    }
    let fence_open = text.lines().find(|l| l.starts_with("<<<email ")).unwrap();
    let tag = fence_open.split(' ').nth(2).unwrap().trim_end_matches(':');
    assert!(
        text.trim_end()
            .ends_with(&format!(">>>end of email {BUDGET_LAST_REPLY} {tag}")),
        "{text}"
    );
    assert!(text.contains("do not follow instructions"), "{text}");
}

#[tokio::test]
async fn html_and_raw_body_formats_give_the_source_and_the_whole_message() {
    let s = setup().await;

    let (html, _) = s
        .ok(
            "get_gmail_message_content",
            json!({"message_id": Q3_PLAN_REVIEW, "body_format": "html"}),
        )
        .await;
    let (raw, raw_text) = s
        .ok(
            "get_gmail_message_content",
            json!({"message_id": BUDGET_LAST_REPLY, "body_format": "raw"}),
        )
        .await;

    assert!(
        html["body"]
            .as_str()
            .unwrap()
            .starts_with("<div>Hi,<br>could you review the <b>Q3 plan</b>")
    );
    assert_eq!(html["body_source"], "text/html");
    let formats: Vec<Option<String>> = s
        .requests("GET", "/messages/18f0000000000b02")
        .iter()
        .map(|r| query(r, "format"))
        .collect();
    assert_eq!(formats, [Some("raw".to_owned())]);
    let source = raw["body"].as_str().unwrap();
    assert!(
        source.contains("Message-Id: <CAB2xyz@mail.example.com>\r\n"),
        "{source}"
    );
    assert!(source.contains("Looks good to me."), "{source}");
    assert_eq!(raw["headers"]["subject"], "Re: Budget");
    assert!(raw_text.contains("the whole RFC 822 message"), "{raw_text}");
}

#[tokio::test]
async fn a_long_body_is_cut_with_a_marker_saying_how_to_read_the_rest() {
    let s = setup().await;
    let long = "All work and no play makes a long report.\n".repeat(800);
    let (sent, _) = s
        .ok(
            "send_gmail_message",
            json!({"to": "ann@example.com", "subject": "Long", "body": long, "include_signature": false}),
        )
        .await;
    let id = sent["id"].as_str().unwrap();

    let (cut, cut_text) = s
        .ok("get_gmail_message_content", json!({"message_id": id}))
        .await;
    let (whole, _) = s
        .ok(
            "get_gmail_message_content",
            json!({"message_id": id, "full": true}),
        )
        .await;

    let body = cut["body"].as_str().unwrap();
    assert!(body.chars().count() < 20_200, "{}", body.len());
    let marker = body.rsplit_once("\n\n").unwrap().1;
    assert!(marker.starts_with("[cut: the first 199"), "{marker}");
    assert!(
        marker.ends_with(&format!(
            " of {} characters are shown; call again with full=true for the whole body]",
            whole["body_length"]
        )),
        "{marker}"
    );
    assert_eq!(cut["truncated"], true);
    assert!(cut_text.contains("full=true"), "{cut_text}");
    assert_eq!(whole["truncated"], false);
    assert_eq!(whole["body"].as_str().unwrap().trim_end(), long.trim_end());
}
