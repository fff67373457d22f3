//! The Gmail read tools through rmcp's client against the sandbox: the tool list, search,
//! reading messages, threads and attachments, and the batch reads. Each test asserts on what
//! reached the sandbox and on what the model got back.

mod gmail_common;
mod support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gmail_common::{connect, setup, setup_with};
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
