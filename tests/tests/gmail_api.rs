//! Gmail over HTTP: list, get in every format, send, and finding what was sent.

mod common;

use base64::Engine;
use common::{Api, ids, raw_message};
use gws_sandbox::seed::gmail::*;
use serde_json::json;

fn decode(data: &str) -> String {
    let bytes = base64::engine::general_purpose::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    )
    .decode(data)
    .unwrap();
    String::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn list_get_send_list_finds_the_sent_message_by_subject_recipient_and_label() {
    let api = Api::start().await;

    let (status, listed) = api
        .get("/gmail/v1/users/me/messages?q=from%3Abilling%40example.com%20newer_than%3A7d")
        .await;
    assert_eq!(status, 200);
    assert_eq!(ids(&listed, "messages"), [INVOICE_READY]);
    let (status, message) = api
        .get(&format!("/gmail/v1/users/me/messages/{INVOICE_READY}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(message["payload"]["mimeType"], "multipart/mixed");

    let raw = "From: user@example.com\r\nTo: Alice Martin <alice@example.com>\r\nSubject: =?UTF-8?B?UmVsYXTDs3JpbyDigJQg5p2x5LqsIOKckw==?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nOlá, segue o relatório.\r\n";
    let (status, sent) = api
        .post(
            "/gmail/v1/users/me/messages/send",
            &json!({"raw": raw_message(raw)}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(sent["labelIds"], json!(["SENT"]));
    let id = sent["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 16);
    assert_eq!(sent["threadId"], sent["id"]);

    for q in [
        "in%3Asent",
        "label%3ASENT",
        "to%3Aalice%40example.com",
        "subject%3A%22Relat%C3%B3rio%20%E2%80%94%20%E6%9D%B1%E4%BA%AC%22",
        "relat%C3%B3rio",
    ] {
        let (_, found) = api.get(&format!("/gmail/v1/users/me/messages?q={q}")).await;
        assert_eq!(ids(&found, "messages").first(), Some(&id), "query {q}");
    }

    let (_, full) = api.get(&format!("/gmail/v1/users/me/messages/{id}")).await;
    let subject = full["payload"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "Subject")
        .unwrap();
    assert_eq!(subject["value"], "Relatório — 東京 ✓");
    assert_eq!(
        decode(full["payload"]["body"]["data"].as_str().unwrap()),
        "Olá, segue o relatório.\r\n"
    );
    assert_eq!(full["snippet"], "Olá, segue o relatório.");

    let (_, raw_reply) = api
        .get(&format!("/gmail/v1/users/me/messages/{id}?format=raw"))
        .await;
    assert!(
        decode(raw_reply["raw"].as_str().unwrap())
            .contains("Subject: =?UTF-8?B?UmVsYXTDs3JpbyDigJQg5p2x5LqsIOKckw==?=\r\n")
    );
}

#[tokio::test]
async fn a_reply_sent_into_a_thread_keeps_the_thread_id() {
    let api = Api::start().await;
    let raw = "To: dave@example.com\r\nSubject: Re: Budget\r\nIn-Reply-To: <CAB2xyz@mail.example.com>\r\n\r\nSounds good.\r\n";

    let body = json!({"raw": raw_message(raw).trim_end_matches('='), "threadId": BUDGET_THREAD});
    let (status, sent) = api.post("/gmail/v1/users/me/messages/send", &body).await;

    assert_eq!(status, 200);
    assert_eq!(sent["threadId"], BUDGET_THREAD);
}

#[tokio::test]
async fn metadata_format_returns_only_the_asked_headers_and_no_body() {
    let api = Api::start().await;

    let path = format!(
        "/gmail/v1/users/me/messages/{BUDGET_LAST_REPLY}?format=metadata&metadataHeaders=Message-ID&metadataHeaders=References"
    );
    let (_, message) = api.get(&path).await;

    assert_eq!(message["threadId"], BUDGET_THREAD);
    assert_eq!(
        message["payload"]["headers"],
        json!([{"name": "Message-Id", "value": "<CAB2xyz@mail.example.com>"},
               {"name": "References", "value": "<CAB0root@mail.example.com> <CAB1abc@mail.example.com>"}])
    );
    assert!(message["payload"].get("body").is_none() && message["payload"].get("parts").is_none());
}

#[tokio::test]
async fn minimal_format_has_no_payload_and_raw_has_the_whole_message() {
    let api = Api::start().await;

    let (_, minimal) = api
        .get(&format!(
            "/gmail/v1/users/me/messages/{HTML_ONLY}?format=minimal"
        ))
        .await;
    assert!(minimal.get("payload").is_none());
    assert_eq!(
        minimal["snippet"],
        "Quarterly numbers attached &amp; ready. See you Monday"
    );

    let (_, raw) = api
        .get(&format!(
            "/gmail/v1/users/me/messages/{HTML_ONLY}?format=raw"
        ))
        .await;
    let text = decode(raw["raw"].as_str().unwrap());
    assert!(text.contains("Subject: Q3\r\n") && text.contains("<p>See you Monday</p>"));
}

#[tokio::test]
async fn case_fixtures_are_served_with_their_exact_part_data() {
    let api = Api::start().await;

    let (_, prices) = api
        .get(&format!("/gmail/v1/users/me/messages/{UNPADDED_PRICES}"))
        .await;
    assert_eq!(
        prices["payload"]["body"],
        json!({"size": 28, "data": "UHJpY2VzID4-PiAxMCUgb2ZmPz8_IMOpdMOpCg"})
    );

    let (_, nested) = api
        .get(&format!("/gmail/v1/users/me/messages/{NESTED_AGENDA}"))
        .await;
    let alternative = &nested["payload"]["parts"][0]["parts"][0];
    assert_eq!(alternative["partId"], "0.0");
    assert_eq!(
        alternative["parts"][0]["body"]["data"],
        "SGkgdGVhbSwKdGhlIGFnZW5kYSBpcyBiZWxvdy4K"
    );
    assert_eq!(
        nested["payload"]["parts"][1]["body"],
        json!({"attachmentId": "ANGjdJ-agenda", "size": 48213})
    );

    let (_, attachment) = api
        .get(&format!(
            "/gmail/v1/users/me/messages/{NESTED_AGENDA}/attachments/ANGjdJ-agenda"
        ))
        .await;
    assert_eq!(attachment["size"], 48213);
}

#[tokio::test]
async fn captures_are_served_as_captured_with_escaped_angle_brackets() {
    let api = Api::start().await;

    let response = api
        .request(
            reqwest::Method::GET,
            &format!("/gmail/v1/users/me/messages/{CAPTURE_ALTERNATIVE}"),
        )
        .bearer_auth(common::TOKEN)
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    let message: serde_json::Value = serde_json::from_str(&text).unwrap();

    assert!(text.contains(r"\u003cno-reply@accounts.google.com\u003e"));
    assert_eq!(message["internalDate"], "1500911849000");
    assert_eq!(message["historyId"], "507238");
    assert_eq!(message["payload"]["parts"][1]["partId"], "1");
}

#[tokio::test]
async fn an_unknown_message_is_gmails_404_and_a_bad_raw_is_400() {
    let api = Api::start().await;

    let (status, body) = api
        .get("/gmail/v1/users/me/messages/0000000000000000")
        .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["status"], "NOT_FOUND");

    let (status, body) = api
        .post(
            "/gmail/v1/users/me/messages/send",
            &json!({"raw": "not+base64/url"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["errors"][0]["reason"], "badRequest");

    let (status, _) = api
        .post("/gmail/v1/users/me/messages/send", &json!({}))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn paging_walks_every_message_once_and_empty_results_omit_messages() {
    let api = Api::start().await;

    let mut seen = Vec::new();
    let mut path = "/gmail/v1/users/me/messages?maxResults=5".to_string();
    loop {
        let (_, page) = api.get(&path).await;
        assert!(page["resultSizeEstimate"].as_u64().unwrap() >= 5);
        seen.extend(ids(&page, "messages"));
        match page["nextPageToken"].as_str() {
            Some(token) => {
                path = format!("/gmail/v1/users/me/messages?maxResults=5&pageToken={token}")
            }
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());
    assert!(seen.len() >= 12);

    let (_, none) = api.get("/gmail/v1/users/me/messages?q=zzzznothing").await;
    assert_eq!(none, json!({"resultSizeEstimate": 0}));
}

#[tokio::test]
async fn relative_ages_follow_a_frozen_clock() {
    let api = Api::start_at("2026-05-12T10:00:00Z").await;

    let (_, recent) = api
        .get("/gmail/v1/users/me/messages?q=newer_than%3A2d")
        .await;
    assert_eq!(ids(&recent, "messages"), [Q3_PLAN_REVIEW, CI_FAILED]);

    let (_, by_date) = api
        .get("/gmail/v1/users/me/messages?q=after%3A2026%2F05%2F11&labelIds=UNREAD")
        .await;
    assert_eq!(ids(&by_date, "messages"), [Q3_PLAN_REVIEW, CI_FAILED]);
}
