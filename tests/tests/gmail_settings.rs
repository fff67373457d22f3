//! Labels, label changes on messages, and filters through rmcp's client against the sandbox:
//! each test checks the request Gmail received and the state it left behind.

mod gmail_common;
mod support;

use gmail_common::setup;
use gws_sandbox::seed::gmail::*;
use serde_json::{Value, json};

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn labels_are_listed_with_system_and_user_labels_apart() {
    let s = setup().await;

    let (out, text) = s.ok("list_gmail_labels", json!({})).await;

    let labels = out["labels"].as_array().unwrap();
    let receipts = labels.iter().find(|l| l["id"] == "Label_1").unwrap();
    assert_eq!(receipts["name"], "Receipts");
    assert_eq!(receipts["type"], "user");
    assert!(
        labels
            .iter()
            .any(|l| l["id"] == "INBOX" && l["type"] == "system")
    );
    assert!(text.contains("System labels: INBOX, SENT"), "{text}");
    assert!(text.contains("- Receipts (id Label_1)"), "{text}");
    assert_eq!(s.requests("GET", "/users/me/labels").len(), 1);
}

#[tokio::test]
async fn a_label_is_created_renamed_hidden_and_deleted() {
    let s = setup().await;

    let (created, _) = s
        .ok(
            "manage_gmail_label",
            json!({"action": "create", "name": "Taxes/2026"}),
        )
        .await;
    let id = created["label"]["id"].as_str().unwrap().to_owned();
    let (renamed, _) = s
        .ok(
            "manage_gmail_label",
            json!({"action": "update", "label_id": id, "name": "Taxes/2026 filed"}),
        )
        .await;
    let (hidden, _) = s
        .ok(
            "manage_gmail_label",
            json!({"action": "update", "label_id": id, "label_list_visibility": "labelHide"}),
        )
        .await;
    let (deleted, deleted_text) = s
        .ok(
            "manage_gmail_label",
            json!({"action": "delete", "label_id": id}),
        )
        .await;
    let (listed, _) = s.ok("list_gmail_labels", json!({})).await;

    let create = &s.requests("POST", "/users/me/labels")[0];
    assert_eq!(
        create.body.as_ref().unwrap(),
        &json!({"name": "Taxes/2026", "labelListVisibility": "labelShow", "messageListVisibility": "show"})
    );
    let updates = s.requests("PUT", &format!("/labels/{id}"));
    assert_eq!(updates.len(), 2);
    assert_eq!(
        updates[0].body.as_ref().unwrap()["name"],
        "Taxes/2026 filed"
    );
    assert_eq!(
        updates[0].body.as_ref().unwrap()["labelListVisibility"],
        "labelShow"
    );
    let second = updates[1].body.as_ref().unwrap();
    assert_eq!(
        second["name"], "Taxes/2026 filed",
        "a visibility change keeps the name"
    );
    assert_eq!(second["labelListVisibility"], "labelHide");
    assert_eq!(second["messageListVisibility"], "show");
    assert_eq!(renamed["label"]["name"], "Taxes/2026 filed");
    assert_eq!(hidden["label"]["labelListVisibility"], "labelHide");
    assert_eq!(s.requests("DELETE", &format!("/labels/{id}")).len(), 1);
    assert_eq!(deleted["label"]["id"], id.as_str());
    assert!(
        deleted_text.starts_with("Deleted label \"Taxes/2026 filed\""),
        "{deleted_text}"
    );
    assert!(
        listed["labels"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["id"] != id.as_str())
    );
}

#[tokio::test]
async fn label_mistakes_are_refused_by_the_tool_or_explained_from_googles_error() {
    let s = setup().await;

    let missing = s
        .fails("manage_gmail_label", json!({"action": "delete"}))
        .await;
    let empty = s
        .fails(
            "manage_gmail_label",
            json!({"action": "update", "label_id": "Label_1"}),
        )
        .await;
    assert!(
        missing.contains("`label_id` is needed to delete a label"),
        "{missing}"
    );
    assert!(empty.contains("nothing to update"), "{empty}");
    assert!(s.sandbox.requests().is_empty());

    let taken = s
        .fails(
            "manage_gmail_label",
            json!({"action": "create", "name": "receipts"}),
        )
        .await;
    let system = s
        .fails(
            "manage_gmail_label",
            json!({"action": "delete", "label_id": "INBOX"}),
        )
        .await;
    assert!(
        taken.contains("409") && taken.contains("Label name exists or conflicts"),
        "{taken}"
    );
    assert!(
        system.contains("400") && system.contains("Invalid delete request"),
        "{system}"
    );
}

#[tokio::test]
async fn a_messages_labels_change_by_name_or_id_and_the_new_labels_come_back() {
    let s = setup().await;

    let (out, text) = s
        .ok(
            "modify_gmail_message_labels",
            json!({"message_id": LUNCH, "add_label_ids": ["receipts", "IMPORTANT"],
                   "remove_label_ids": ["INBOX"]}),
        )
        .await;

    let modify = &s.requests("POST", &format!("/messages/{LUNCH}/modify"))[0];
    assert_eq!(
        modify.body.as_ref().unwrap(),
        &json!({"addLabelIds": ["Label_1", "IMPORTANT"], "removeLabelIds": ["INBOX"]})
    );
    let labels = ids(&out["labels"]);
    assert!(
        labels.contains(&"Label_1") && labels.contains(&"IMPORTANT"),
        "{labels:?}"
    );
    assert!(!labels.contains(&"INBOX"));
    assert!(text.contains("Label_1"), "{text}");
    let (found, _) = s
        .ok(
            "search_gmail_messages",
            json!({"query": "label:receipts is:starred"}),
        )
        .await;
    assert_eq!(found["messages"][0]["id"], LUNCH);
}

#[tokio::test]
async fn an_unknown_label_name_is_refused_before_the_message_is_touched() {
    let s = setup().await;

    let error = s
        .fails(
            "modify_gmail_message_labels",
            json!({"message_id": LUNCH, "add_label_ids": ["Taxes"]}),
        )
        .await;
    let nothing = s
        .fails("modify_gmail_message_labels", json!({"message_id": LUNCH}))
        .await;

    assert!(
        error.contains("`add_label_ids` names no label `Taxes`"),
        "{error}"
    );
    assert!(error.contains("Receipts (Label_1)"), "{error}");
    assert!(
        nothing.contains("`add_label_ids` or `remove_label_ids`"),
        "{nothing}"
    );
    assert!(s.requests("POST", "/modify").is_empty());
}

#[tokio::test]
async fn many_messages_are_archived_and_marked_read_in_one_batch() {
    let s = setup().await;
    let messages = [Q3_PLAN_REVIEW, CI_FAILED, HOTEL_BOOKING];

    let (out, text) = s
        .ok(
            "batch_modify_gmail_message_labels",
            json!({"message_ids": messages, "remove_label_ids": ["INBOX", "UNREAD"]}),
        )
        .await;

    let batch = &s.requests("POST", "/messages/batchModify")[0];
    assert_eq!(
        batch.body.as_ref().unwrap(),
        &json!({"ids": messages, "removeLabelIds": ["INBOX", "UNREAD"]})
    );
    assert_eq!(out["modified"], 3);
    assert!(
        text.contains("Changed labels on 3 message(s): removed INBOX, UNREAD"),
        "{text}"
    );
    let (unread, _) = s
        .ok(
            "search_gmail_messages",
            json!({"query": "is:unread in:inbox"}),
        )
        .await;
    let still: Vec<&Value> = unread["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["id"])
        .collect();
    assert!(
        messages.iter().all(|id| !still.contains(&&json!(id))),
        "{still:?}"
    );
}

#[tokio::test]
async fn filters_are_listed_created_with_label_names_and_deleted() {
    let s = setup().await;

    let (before, before_text) = s.ok("list_gmail_filters", json!({})).await;
    let (created, created_text) = s
        .ok(
            "manage_gmail_filter",
            json!({"action": "create",
                   "criteria": {"from": "ci@builds.example.net", "hasAttachment": false},
                   "filter_action": {"addLabelIds": ["Projects/Q3"], "removeLabelIds": ["INBOX"]}}),
        )
        .await;
    let id = created["filter"]["id"].as_str().unwrap().to_owned();
    let (deleted, _) = s
        .ok(
            "manage_gmail_filter",
            json!({"action": "delete", "filter_id": id}),
        )
        .await;
    let (after, _) = s.ok("list_gmail_filters", json!({})).await;

    assert_eq!(before["filters"].as_array().unwrap().len(), 1);
    assert!(
        before_text.contains("from=billing@example.com"),
        "{before_text}"
    );
    assert!(before_text.contains("addLabelIds=Label_1"), "{before_text}");
    let create = &s.requests("POST", "/settings/filters")[0];
    assert_eq!(
        create.body.as_ref().unwrap(),
        &json!({"criteria": {"from": "ci@builds.example.net", "hasAttachment": false},
                "action": {"addLabelIds": ["Label_2"], "removeLabelIds": ["INBOX"]}})
    );
    assert!(
        created_text.starts_with(&format!("Created filter {id}")),
        "{created_text}"
    );
    assert_eq!(
        s.requests("DELETE", &format!("/settings/filters/{id}"))
            .len(),
        1
    );
    assert_eq!(deleted["filter"]["id"], id.as_str());
    assert_eq!(after["filters"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_filter_without_what_it_needs_is_refused_and_googles_duplicate_error_is_passed_on() {
    let s = setup().await;

    let no_action = s
        .fails(
            "manage_gmail_filter",
            json!({"action": "create", "criteria": {"from": "x@example.com"}}),
        )
        .await;
    let bad_key = s
        .fails(
            "manage_gmail_filter",
            json!({"action": "create", "criteria": {"from": "x@example.com"},
                   "filter_action": {"markRead": true}}),
        )
        .await;
    let no_id = s
        .fails("manage_gmail_filter", json!({"action": "delete"}))
        .await;
    assert!(
        no_action.contains("`filter_action` is needed"),
        "{no_action}"
    );
    assert!(
        bad_key.contains("`filter_action`") && bad_key.contains("'markRead' was unexpected"),
        "{bad_key}"
    );
    assert!(no_id.contains("`filter_id` is needed"), "{no_id}");
    assert!(s.sandbox.requests().is_empty());

    let duplicate = s
        .fails(
            "manage_gmail_filter",
            json!({"action": "create", "criteria": {"from": "billing@example.com"},
                   "filter_action": {"addLabelIds": ["Label_1"]}}),
        )
        .await;
    let unknown = s
        .fails(
            "manage_gmail_filter",
            json!({"action": "delete", "filter_id": "ANe1Bmj9999999999"}),
        )
        .await;
    assert!(duplicate.contains("Filter already exists"), "{duplicate}");
    assert!(unknown.contains("404"), "{unknown}");
    assert!(
        s.requests("DELETE", "/settings/filters/ANe1Bmj9999999999")
            .is_empty()
    );
}
