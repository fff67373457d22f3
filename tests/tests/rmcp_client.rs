//! The engine driven by rmcp's own client over streamable HTTP, against the sandbox.
//! Each test asserts on what the client got and on what reached the sandbox.

mod support;

use rmcp::{
    ServiceExt,
    model::{CallToolRequestParams, CallToolResult},
    service::{RoleClient, RunningService},
    transport::StreamableHttpClientTransport,
};
use serde_json::{Value, json};
use support::{args, decode_words, headers, query, requests_to, sent_message, start};

type Client = RunningService<RoleClient, ()>;

async fn connect(engine: &support::Engine) -> Client {
    let transport = StreamableHttpClientTransport::from_uri(engine.mcp());
    ().serve(transport).await.expect("the client connects")
}

/// Calls a tool; a successful result's structured content must match the tool's outputSchema.
async fn call(client: &Client, name: &str, arguments: Value) -> CallToolResult {
    let params = CallToolRequestParams::new(name.to_owned()).with_arguments(args(arguments));
    let result = client
        .call_tool(params)
        .await
        .expect("the call is answered");
    if result.is_error != Some(true) {
        let tools = client.list_all_tools().await.unwrap();
        let tool = tools
            .iter()
            .find(|t| t.name == name)
            .expect("the tool is listed");
        let schema = tool.output_schema.as_ref().expect("an output schema");
        let structured = result
            .structured_content
            .as_ref()
            .expect("structured content on success");
        support::assert_matches_schema(name, &Value::Object((**schema).clone()), structured);
    }
    result
}

fn text(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|c| c.as_text())
        .map(|t| t.text.clone())
        .collect()
}

fn structured(result: &CallToolResult) -> &Value {
    result
        .structured_content
        .as_ref()
        .expect("structured content")
}

#[tokio::test]
async fn tools_list_shows_the_eight_skeleton_tools_with_portable_schemas() {
    let (_sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let tools = client.list_all_tools().await.unwrap();

    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for expected in [
        "search_gmail_messages",
        "get_gmail_message_content",
        "send_gmail_message",
        "list_calendars",
        "get_events",
        "create_event",
        "list_drive_files",
        "search_drive_files",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    for tool in &tools {
        let schema = Value::Object((*tool.input_schema).clone());
        assert_eq!(schema["type"], "object", "{}", tool.name);
        for (name, property) in schema["properties"].as_object().unwrap() {
            assert!(
                property["type"].is_string(),
                "{}.{name} has no single type",
                tool.name
            );
            assert!(
                property["description"].is_string(),
                "{}.{name} is undescribed",
                tool.name
            );
            for banned in ["default", "aliases", "required", "oneOf", "anyOf", "$ref"] {
                assert!(
                    property.get(banned).is_none(),
                    "{}.{name} lists `{banned}`",
                    tool.name
                );
            }
        }
        assert!(
            tool.output_schema.is_some(),
            "{} has no output schema",
            tool.name
        );
        assert!(
            tool.annotations.is_some(),
            "{} has no annotations",
            tool.name
        );
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn a_search_sends_the_query_and_hydrates_each_message() {
    let (sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let result = call(
        &client,
        "search_gmail_messages",
        json!({"query": "from:carol@example.com"}),
    )
    .await;

    assert_eq!(result.is_error, Some(false), "{}", text(&result));
    let messages = structured(&result)["messages"].as_array().unwrap().clone();
    assert!(!messages.is_empty());
    for message in &messages {
        assert!(
            message["from"]
                .as_str()
                .unwrap()
                .contains("carol@example.com")
        );
        assert!(message["id"].is_string() && message["thread_id"].is_string());
        assert!(message["subject"].is_string() && message["date"].is_string());
    }
    let listed = requests_to(&sandbox, "/gmail/v1/users/me/messages");
    assert_eq!(
        query(&listed[0], "q").as_deref(),
        Some("from:carol@example.com")
    );
    assert_eq!(query(&listed[0], "maxResults").as_deref(), Some("10"));
    let fetched: Vec<_> = sandbox
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/gmail/v1/users/me/messages/"))
        .collect();
    assert_eq!(fetched.len(), messages.len());
    for request in &fetched {
        assert_eq!(query(request, "format").as_deref(), Some("metadata"));
        let wanted: Vec<_> = request
            .query
            .iter()
            .filter(|(n, _)| n == "metadataHeaders")
            .collect();
        assert_eq!(wanted.len(), 4);
        assert_eq!(
            request.authorization.as_deref(),
            Some("Bearer sandbox-token")
        );
    }
    assert!(text(&result).contains("From: "));
}

#[tokio::test]
async fn case_1_a_non_ascii_subject_goes_out_as_encoded_words_that_decode_exactly() {
    let (sandbox, engine) = start().await;
    let client = connect(&engine).await;
    let long = "東京".repeat(40);

    for subject in ["Relatório — 東京 ✓", long.as_str()] {
        let arguments = json!({"to": "alice@example.com", "subject": subject, "body": "Olá, segue o relatório."});
        let result = call(&client, "send_gmail_message", arguments).await;
        assert_eq!(result.is_error, Some(false), "{}", text(&result));

        let send = requests_to(&sandbox, "/messages/send").pop().unwrap();
        let message = sent_message(&send);
        let block = message.split("\r\n\r\n").next().unwrap();
        assert!(block.is_ascii(), "header block is not ASCII: {block}");
        for word in block.split_whitespace().filter(|w| w.starts_with("=?")) {
            assert!(word.len() <= 75, "encoded-word longer than 75: {word}");
        }
        let all = headers(&message);
        let subject_header = &all.iter().find(|(n, _)| n == "Subject").unwrap().1;
        assert_eq!(decode_words(subject_header), subject);
        assert!(all.iter().any(|(n, v)| n == "MIME-Version" && v == "1.0"));
        assert!(
            all.iter()
                .any(|(n, v)| n == "Content-Type" && v.contains("charset=UTF-8"))
        );
    }
}

#[tokio::test]
async fn case_2_a_line_break_in_any_header_field_is_refused_and_nothing_is_sent() {
    let (sandbox, engine) = start().await;
    let client = connect(&engine).await;

    for (field, value) in [
        ("subject", "Invoice\r\nBcc: attacker@example.net"),
        ("subject", "Invoice\nBcc: attacker@example.net"),
        ("subject", "Invoice\rBcc: attacker@example.net"),
        ("cc", "carol@example.com\r\nBcc: attacker@example.net"),
        ("from_name", "Bob\nBcc: attacker@example.net"),
    ] {
        let mut arguments =
            json!({"to": "bob@example.com", "subject": "Invoice", "body": "see attached"});
        arguments[field] = json!(value);

        let result = call(&client, "send_gmail_message", arguments).await;

        assert_eq!(result.is_error, Some(true), "{field}");
        assert!(
            text(&result).contains(&format!("`{field}`")),
            "{field}: {}",
            text(&result)
        );
    }
    assert!(requests_to(&sandbox, "/messages/send").is_empty());
}

#[tokio::test]
async fn case_4_an_html_only_message_reads_as_text() {
    let (_sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let result = call(
        &client,
        "get_gmail_message_content",
        json!({"message_id": "18f0000000000a01"}),
    )
    .await;

    assert_eq!(result.is_error, Some(false), "{}", text(&result));
    let body = structured(&result)["body"].as_str().unwrap();
    let lines: Vec<&str> = body.lines().map(str::trim).collect();
    assert!(
        lines.contains(&"Quarterly numbers attached & ready."),
        "{body:?}"
    );
    assert!(lines.contains(&"See you Monday"), "{body:?}");
    assert_eq!(structured(&result)["body_source"], "text/html");
    assert!(
        text(&result).contains("untrusted"),
        "the body is marked off as untrusted"
    );
}

#[tokio::test]
async fn case_6_a_body_nested_three_levels_deep_is_found_with_its_attachments() {
    let (_sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let result = call(
        &client,
        "get_gmail_message_content",
        json!({"message_id": "18f0000000000a03"}),
    )
    .await;

    assert_eq!(result.is_error, Some(false), "{}", text(&result));
    let out = structured(&result);
    assert_eq!(
        out["body"].as_str().unwrap().trim_end(),
        "Hi team,\nthe agenda is below."
    );
    let attachments = out["attachments"].as_array().unwrap();
    let pdf = attachments
        .iter()
        .find(|a| a["filename"] == "agenda.pdf")
        .unwrap();
    assert_eq!(pdf["mime_type"], "application/pdf");
    assert_eq!(pdf["size"], 48213);
    assert_eq!(pdf["attachment_id"], "ANGjdJ-agenda");
    let logo = attachments
        .iter()
        .find(|a| a["filename"] == "logo.png")
        .unwrap();
    assert_eq!(logo["inline"], true);
}

#[tokio::test]
async fn case_7_unpadded_base64url_decodes_with_accents_intact() {
    let (_sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let result = call(
        &client,
        "get_gmail_message_content",
        json!({"message_id": "18f0000000000a04"}),
    )
    .await;

    assert_eq!(structured(&result)["body"], "Prices >>> 10% off??? été\n");
}

#[tokio::test]
async fn a_sent_message_can_then_be_found_by_search() {
    let (_sandbox, engine) = start().await;
    let client = connect(&engine).await;
    let subject = "Quarterly plan — résumé";

    let sent = call(
        &client,
        "send_gmail_message",
        json!({"to": "dana@example.com", "subject": subject, "body": "Draft attached."}),
    )
    .await;
    let id = structured(&sent)["id"].as_str().unwrap().to_owned();
    let found = call(
        &client,
        "search_gmail_messages",
        json!({"query": "to:dana@example.com"}),
    )
    .await;

    let messages = structured(&found)["messages"].as_array().unwrap();
    let hit = messages
        .iter()
        .find(|m| m["id"] == id.as_str())
        .expect("the sent message is found");
    assert_eq!(hit["subject"], subject);
}

#[tokio::test]
async fn events_are_listed_in_a_window_with_offsets_always_sent() {
    let (sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let result = call(
        &client,
        "get_events",
        json!({"time_min": "2026-07-27", "time_max": "2026-07-28T00:00:00"}),
    )
    .await;

    assert_eq!(result.is_error, Some(false), "{}", text(&result));
    let listed = requests_to(&sandbox, "/calendar/v3/calendars/primary/events")
        .pop()
        .unwrap();
    assert_eq!(
        query(&listed, "timeMin").as_deref(),
        Some("2026-07-27T00:00:00Z")
    );
    assert_eq!(
        query(&listed, "timeMax").as_deref(),
        Some("2026-07-28T00:00:00Z")
    );
    assert_eq!(query(&listed, "singleEvents").as_deref(), Some("true"));
    assert_eq!(query(&listed, "orderBy").as_deref(), Some("startTime"));
}

#[tokio::test]
async fn an_unparseable_time_or_an_empty_window_is_refused_without_a_call() {
    let (sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let vague = call(&client, "get_events", json!({"time_min": "next tuesday"})).await;
    let empty = call(
        &client,
        "get_events",
        json!({"time_min": "2026-07-28T10:00:00Z", "time_max": "2026-07-28T09:00:00Z"}),
    )
    .await;

    assert_eq!(vague.is_error, Some(true));
    assert!(text(&vague).contains("time_min"), "{}", text(&vague));
    assert_eq!(empty.is_error, Some(true));
    assert!(requests_to(&sandbox, "/events").is_empty());
}

#[tokio::test]
async fn a_calendar_id_with_a_hash_is_sent_as_one_encoded_segment() {
    let (sandbox, engine) = start().await;
    let client = connect(&engine).await;
    let holidays = "en.usa#holiday@group.v.calendar.google.com";

    let result = call(&client, "get_events", json!({"calendar_id": holidays, "time_min": "2026-12-01T00:00:00Z", "time_max": "2027-01-01T00:00:00Z"})).await;

    assert_eq!(result.is_error, Some(false), "{}", text(&result));
    let listed = requests_to(&sandbox, "/events").pop().unwrap();
    assert_eq!(
        listed.path,
        "/calendar/v3/calendars/en.usa%23holiday%40group.v.calendar.google.com/events"
    );
}

#[tokio::test]
async fn create_event_sends_timed_and_all_day_events_and_the_new_event_is_listed() {
    let (sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let timed = call(
        &client,
        "create_event",
        json!({
            "summary": "Team Sync", "start_time": "2026-12-10T14:00:00+01:00",
            "end_time": "2026-12-10T15:00:00+01:00", "timezone": "Europe/Berlin",
            "attendees": ["ann@example.com"]
        }),
    )
    .await;
    let all_day = call(
        &client,
        "create_event",
        json!({"summary": "Offsite", "start_time": "2026-08-20", "end_time": "2026-08-22"}),
    )
    .await;
    let bad_mix = call(&client, "create_event", json!({"summary": "Bad mix", "start_time": "2026-08-20", "end_time": "2026-08-20T17:00:00+02:00"})).await;

    assert_eq!(timed.is_error, Some(false), "{}", text(&timed));
    assert_eq!(all_day.is_error, Some(false), "{}", text(&all_day));
    assert_eq!(bad_mix.is_error, Some(true));
    let inserts = requests_to(&sandbox, "/calendar/v3/calendars/primary/events");
    let inserts: Vec<_> = inserts.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(inserts.len(), 2, "the bad mix was never sent");
    let body = inserts[0].body.as_ref().unwrap();
    assert_eq!(
        body["start"],
        json!({"dateTime": "2026-12-10T14:00:00+01:00", "timeZone": "Europe/Berlin"})
    );
    assert_eq!(body["attendees"], json!([{"email": "ann@example.com"}]));
    assert_eq!(query(inserts[0], "sendUpdates").as_deref(), Some("all"));
    let body = inserts[1].body.as_ref().unwrap();
    assert_eq!(body["start"], json!({"date": "2026-08-20"}));
    assert_eq!(body["end"], json!({"date": "2026-08-23"}));

    let id = structured(&timed)["id"].as_str().unwrap();
    let listed = call(
        &client,
        "get_events",
        json!({"time_min": "2026-12-10", "time_max": "2026-12-10"}),
    )
    .await;
    let events = structured(&listed)["events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["id"] == id), "{events:?}");
}

#[tokio::test]
async fn case_20_a_file_name_with_quotes_and_backslashes_is_escaped_in_the_drive_query() {
    let (sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let result = call(
        &client,
        "search_drive_files",
        json!({"query": "name contains 'Roadmap'"}),
    )
    .await;
    let _ = call(
        &client,
        "list_drive_files",
        json!({"folder_id": "Jon's \"Q3\" plan\\draft"}),
    )
    .await;

    assert_eq!(result.is_error, Some(false), "{}", text(&result));
    let lists = requests_to(&sandbox, "/drive/v3/files");
    assert_eq!(
        query(&lists[0], "q").as_deref(),
        Some("name contains 'Roadmap' and trashed = false")
    );
    assert_eq!(
        query(&lists[0], "supportsAllDrives").as_deref(),
        Some("true")
    );
    assert_eq!(
        query(&lists[0], "includeItemsFromAllDrives").as_deref(),
        Some("true")
    );
    let files = structured(&result)["files"].as_array().unwrap();
    assert!(
        files.iter().any(|f| f["id"] == "1SharedRoadmapDoc"),
        "{files:?}"
    );
    assert_eq!(
        query(&lists[1], "q").as_deref(),
        Some(r#"'Jon\'s "Q3" plan\\draft' in parents and trashed = false"#)
    );
}

#[tokio::test]
async fn a_drive_folder_lists_its_children() {
    let (sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let result = call(&client, "list_drive_files", json!({})).await;

    assert_eq!(result.is_error, Some(false), "{}", text(&result));
    assert!(!structured(&result)["files"].as_array().unwrap().is_empty());
    let listed = requests_to(&sandbox, "/drive/v3/files").pop().unwrap();
    assert_eq!(
        query(&listed, "q").as_deref(),
        Some("'root' in parents and trashed = false")
    );
}

#[tokio::test]
async fn a_google_404_is_a_tool_error_with_the_reason_and_advice() {
    let (_sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let result = call(
        &client,
        "get_gmail_message_content",
        json!({"message_id": "ffffffffffffffff"}),
    )
    .await;

    assert_eq!(result.is_error, Some(true));
    let message = text(&result);
    assert!(
        message.contains("404") && message.contains("notFound"),
        "{message}"
    );
    assert!(message.contains("check the id"), "{message}");
    assert!(result.structured_content.is_none());
}

#[tokio::test]
async fn an_unknown_tool_is_a_protocol_error() {
    let (_sandbox, engine) = start().await;
    let client = connect(&engine).await;

    let params = CallToolRequestParams::new("no_such_tool").with_arguments(args(json!({})));
    let error = client.call_tool(params).await.unwrap_err();

    assert!(error.to_string().contains("no_such_tool"), "{error}");
}
