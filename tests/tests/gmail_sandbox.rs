//! The sandbox's Gmail threads, drafts, labels, label changes, filters and send-as addresses
//! over plain HTTP: the shapes, status codes and error bodies Google gives.

mod common;

use common::{Api, ids, raw_message};
use gws_sandbox::seed::gmail::*;
use reqwest::Method;
use serde_json::json;

const GMAIL: &str = "/gmail/v1/users/me";

#[tokio::test]
async fn a_thread_lists_its_messages_oldest_first_and_refuses_the_raw_format() {
    let api = Api::start().await;

    let (status, thread) = api
        .get(&format!(
            "{GMAIL}/threads/{BUDGET_THREAD}?format=metadata&metadataHeaders=Message-ID"
        ))
        .await;
    let (raw_status, raw) = api
        .get(&format!("{GMAIL}/threads/{BUDGET_THREAD}?format=raw"))
        .await;
    let (missing, _) = api.get(&format!("{GMAIL}/threads/ffff000000000000")).await;

    assert_eq!(status, 200);
    assert_eq!(
        ids(&thread, "messages"),
        [BUDGET_THREAD, BUDGET_FIRST_REPLY, BUDGET_LAST_REPLY]
    );
    assert_eq!(
        thread["messages"][2]["payload"]["headers"],
        json!([{"name": "Message-Id", "value": "<CAB2xyz@mail.example.com>"}])
    );
    assert_eq!(raw_status, 400);
    assert_eq!(raw["error"]["status"], "INVALID_ARGUMENT");
    assert_eq!(missing, 404);
}

#[tokio::test]
async fn a_draft_needs_no_recipient_and_is_labelled_draft_in_its_thread() {
    let api = Api::start().await;
    let raw = raw_message("Subject: Re: Budget\r\n\r\nlater");

    let (status, draft) = api
        .post(
            &format!("{GMAIL}/drafts"),
            &json!({"message": {"raw": raw, "threadId": BUDGET_THREAD}}),
        )
        .await;
    let (missing, error) = api
        .post(&format!("{GMAIL}/drafts"), &json!({"raw": raw}))
        .await;

    assert_eq!(status, 200, "{draft}");
    assert!(draft["id"].as_str().unwrap().starts_with('r'));
    assert_eq!(draft["message"]["labelIds"], json!(["DRAFT"]));
    assert_eq!(draft["message"]["threadId"], BUDGET_THREAD);
    assert_eq!(missing, 400, "{error}");
}

#[tokio::test]
async fn labels_are_created_patched_replaced_and_deleted_with_googles_answers() {
    let api = Api::start().await;
    let labels = format!("{GMAIL}/labels");

    let (created, label) = api.post(&labels, &json!({"name": "Taxes"})).await;
    let id = label["id"].as_str().unwrap().to_owned();
    let (taken, conflict) = api.post(&labels, &json!({"name": "taxes"})).await;
    let patched = api
        .send(
            api.request(Method::PATCH, &format!("{labels}/{id}"))
                .bearer_auth(common::TOKEN)
                .json(&json!({"labelListVisibility": "labelHide"})),
        )
        .await;
    let replaced = api
        .send(
            api.request(Method::PUT, &format!("{labels}/{id}"))
                .bearer_auth(common::TOKEN)
                .json(&json!({"name": "Taxes 2026"})),
        )
        .await;
    let deleted = api
        .send(
            api.request(Method::DELETE, &format!("{labels}/{id}"))
                .bearer_auth(common::TOKEN),
        )
        .await;
    let system = api
        .send(
            api.request(Method::DELETE, &format!("{labels}/INBOX"))
                .bearer_auth(common::TOKEN),
        )
        .await;
    let (_, counted) = api.get(&format!("{labels}/Label_1")).await;

    assert_eq!(created, 200);
    assert_eq!(
        label,
        json!({"id": id, "name": "Taxes", "messageListVisibility": "show",
                             "labelListVisibility": "labelShow", "type": "user"})
    );
    assert_eq!(taken, 409);
    assert_eq!(
        conflict["error"]["message"],
        "Label name exists or conflicts"
    );
    assert_eq!(patched.1["name"], "Taxes");
    assert_eq!(patched.1["labelListVisibility"], "labelHide");
    assert_eq!(replaced.1["name"], "Taxes 2026");
    assert!(
        replaced.1.get("labelListVisibility").is_none(),
        "a PUT replaces the whole label"
    );
    assert_eq!(deleted, (204, json!("")));
    assert_eq!(system.0, 400);
    assert_eq!(counted["messagesTotal"], 2);
}

#[tokio::test]
async fn message_labels_change_one_by_one_or_in_a_batch_and_fixed_labels_are_refused() {
    let api = Api::start().await;

    let (status, modified) = api
        .post(
            &format!("{GMAIL}/messages/{LUNCH}/modify"),
            &json!({"addLabelIds": ["Label_2"], "removeLabelIds": ["STARRED"]}),
        )
        .await;
    let (sent, refused) = api
        .post(
            &format!("{GMAIL}/messages/{LUNCH}/modify"),
            &json!({"addLabelIds": ["SENT"]}),
        )
        .await;
    let batch = api
        .post(
            &format!("{GMAIL}/messages/batchModify"),
            &json!({"ids": [CI_FAILED, HOTEL_BOOKING], "removeLabelIds": ["UNREAD"]}),
        )
        .await;
    let unknown = api
        .post(
            &format!("{GMAIL}/messages/batchModify"),
            &json!({"ids": [LUNCH, "ffff000000000000"], "addLabelIds": ["TRASH"]}),
        )
        .await;
    let (_, lunch) = api
        .get(&format!("{GMAIL}/messages/{LUNCH}?format=minimal"))
        .await;
    let (_, ci) = api
        .get(&format!("{GMAIL}/messages/{CI_FAILED}?format=minimal"))
        .await;

    assert_eq!(status, 200);
    assert_eq!(
        modified["labelIds"],
        json!(["INBOX", "CATEGORY_PERSONAL", "Label_2"])
    );
    assert_eq!(sent, 400);
    assert_eq!(refused["error"]["message"], "Invalid label: SENT");
    assert_eq!(batch, (204, json!("")));
    assert_eq!(unknown.0, 404);
    assert!(
        !lunch["labelIds"]
            .as_array()
            .unwrap()
            .contains(&json!("TRASH"))
    );
    assert!(
        !ci["labelIds"]
            .as_array()
            .unwrap()
            .contains(&json!("UNREAD"))
    );
}

#[tokio::test]
async fn filters_list_under_filter_and_need_criteria_and_an_action() {
    let api = Api::start().await;
    let filters = format!("{GMAIL}/settings/filters");

    let (_, listed) = api.get(&filters).await;
    let (no_action, error) = api
        .post(&filters, &json!({"criteria": {"from": "a@example.com"}}))
        .await;
    let (created, filter) = api
        .post(
            &filters,
            &json!({"criteria": {"subject": "invoice"}, "action": {"addLabelIds": ["Label_1"]}}),
        )
        .await;
    let id = filter["id"].as_str().unwrap();
    let deleted = api
        .send(
            api.request(Method::DELETE, &format!("{filters}/{id}"))
                .bearer_auth(common::TOKEN),
        )
        .await;
    let (gone, _) = api.get(&format!("{filters}/{id}")).await;

    assert_eq!(
        listed["filter"][0]["criteria"],
        json!({"from": "billing@example.com"})
    );
    assert_eq!(no_action, 400);
    assert_eq!(error["error"]["message"], "Filter doesn't have any actions");
    assert_eq!(created, 200);
    assert_eq!(deleted.0, 204);
    assert_eq!(gone, 404);
}

#[tokio::test]
async fn send_as_lists_the_primary_address_and_a_verified_alias_with_signatures() {
    let api = Api::start().await;

    let (status, send_as) = api.get(&format!("{GMAIL}/settings/sendAs")).await;

    assert_eq!(status, 200);
    let list = send_as["sendAs"].as_array().unwrap();
    assert_eq!(list[0]["sendAsEmail"], "user@example.com");
    assert_eq!(list[0]["isPrimary"], true);
    assert_eq!(list[1]["sendAsEmail"], "support@example.com");
    assert!(
        list.iter()
            .all(|e| e["signature"].as_str().is_some_and(|s| !s.is_empty()))
    );
}
