//! Drive over HTTP: the default shape, `q`, shared drives, paging, `fields`, downloads.

mod common;

use common::{Api, ids};
use gws_sandbox::seed::drive::*;
use serde_json::json;

/// Percent-encodes a query-string value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn search(api: &Api, q: &str, extra: &str) -> (u16, serde_json::Value) {
    api.get(&format!("/drive/v3/files?q={}{extra}", encode(q)))
        .await
}

#[tokio::test]
async fn without_fields_a_listing_has_the_default_shape() {
    let api = Api::start().await;

    let (status, list) = api.get("/drive/v3/files?pageSize=3").await;

    assert_eq!(status, 200);
    assert_eq!(list["kind"], "drive#fileList");
    assert_eq!(list["incompleteSearch"], false);
    assert!(list["nextPageToken"].is_string());
    let file = list["files"][0].as_object().unwrap();
    let mut keys: Vec<&str> = file.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["id", "kind", "mimeType", "name"]);
}

#[tokio::test]
async fn case_20_an_escaped_name_finds_the_file_and_an_unbalanced_quote_is_invalid_value() {
    let api = Api::start().await;

    let (status, found) = search(
        &api,
        r#"name contains 'Jon\'s "Q3" plan\\draft' and trashed = false"#,
        "",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ids(&found, "files"), [JONS_DRAFT]);

    let (status, body) = search(
        &api,
        r#"name contains 'Jon's "Q3" plan\draft' and trashed = false"#,
        "",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error":{"code":400,"message":"Invalid Value","errors":[{"domain":"global","reason":"invalid","message":"Invalid Value","locationType":"parameter","location":"q"}]}})
    );
}

#[tokio::test]
async fn case_19_a_shared_drive_file_needs_both_flags_to_be_listed() {
    let api = Api::start().await;
    let q = "name contains 'Roadmap'";

    assert_eq!(
        ids(&search(&api, q, "").await.1, "files"),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&search(&api, q, "&supportsAllDrives=true").await.1, "files"),
        Vec::<String>::new()
    );
    let flags = concat!(
        "&supportsAllDrives=true&includeItemsFromAllDrives=true&corpora=allDrives",
        "&fields=files(id,name,mimeType,driveId)"
    );
    let (_, both) = search(&api, q, flags).await;
    let roadmap = json!({"id": SHARED_ROADMAP, "name": "Roadmap 2026",
        "mimeType": "application/vnd.google-apps.document", "driveId": SHARED_DRIVE});
    assert_eq!(both["files"], json!([roadmap]));

    let (status, body) = api.get(&format!("/drive/v3/files/{SHARED_ROADMAP}")).await;
    assert_eq!(status, 404);
    assert_eq!(
        body["error"]["message"],
        "File not found: 1SharedRoadmapDoc."
    );
    assert_eq!(
        api.get(&format!(
            "/drive/v3/files/{SHARED_ROADMAP}?supportsAllDrives=true"
        ))
        .await
        .0,
        200
    );
}

#[tokio::test]
async fn case_23_invoices_page_by_two_and_the_last_page_has_no_token() {
    let api = Api::start().await;
    // The "Invoices" folder matches 'invoice' too; the case is about the PDFs.
    let q = "name contains 'invoice' and mimeType = 'application/pdf'";

    let (_, first) = search(&api, q, "&pageSize=2&orderBy=name").await;
    assert_eq!(ids(&first, "files"), [INVOICE_01, INVOICE_02]);
    let token = first["nextPageToken"].as_str().unwrap();

    let (_, second) = search(
        &api,
        q,
        &format!("&pageSize=2&orderBy=name&pageToken={}", encode(token)),
    )
    .await;
    assert_eq!(ids(&second, "files"), [INVOICE_03]);
    assert!(second.get("nextPageToken").is_none());
}

#[tokio::test]
async fn trashed_files_are_listed_unless_the_query_excludes_them() {
    let api = Api::start().await;

    let (_, all) = search(&api, "name = 'Old notes'", "").await;
    assert_eq!(ids(&all, "files"), [OLD_NOTES_TRASHED]);

    let (_, live) = search(&api, "name = 'Old notes' and trashed = false", "").await;
    assert_eq!(ids(&live, "files"), Vec::<String>::new());
}

#[tokio::test]
async fn folder_children_mime_types_and_owners_filter_the_listing() {
    let api = Api::start().await;

    let (_, children) = search(
        &api,
        &format!("'{INVOICES_FOLDER}' in parents"),
        "&orderBy=name",
    )
    .await;
    assert_eq!(
        ids(&children, "files"),
        [INVOICE_01, INVOICE_02, INVOICE_03]
    );

    let (_, folders) = search(
        &api,
        "mimeType = 'application/vnd.google-apps.folder' and 'root' in parents",
        "&orderBy=name",
    )
    .await;
    assert_eq!(ids(&folders, "files"), [INVOICES_FOLDER, PROJECTS_FOLDER]);

    let (_, shared) = search(&api, "sharedWithMe and not 'me' in owners", "").await;
    assert_eq!(ids(&shared, "files"), [VENDOR_PRICES]);

    let (_, starred) = search(&api, "starred = true", "&orderBy=folder,name").await;
    assert_eq!(ids(&starred, "files"), [MEETING_NOTES, TEAM_PHOTO]);
}

#[tokio::test]
async fn fields_select_file_properties_and_star_selects_all() {
    let api = Api::start().await;
    let fields =
        encode("nextPageToken, files(id,name,mimeType,modifiedTime,size,webViewLink,parents)");

    let (_, list) = search(
        &api,
        "name = 'invoice-01.pdf'",
        &format!("&fields={fields}"),
    )
    .await;
    let file = &list["files"][0];
    assert_eq!(file["size"], "48213");
    assert_eq!(file["parents"], json!([INVOICES_FOLDER]));
    assert!(file["webViewLink"].as_str().unwrap().contains(INVOICE_01));
    assert!(list.get("kind").is_none() && file.get("owners").is_none());

    let (_, all) = search(&api, "name = 'invoice-01.pdf'", "&fields=*").await;
    assert_eq!(all["kind"], "drive#fileList");
    assert_eq!(
        all["files"][0]["owners"][0]["emailAddress"],
        "user@example.com"
    );

    let (status, _) = api.get("/drive/v3/files?fields=files(id").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn sorting_a_full_text_search_is_refused() {
    let api = Api::start().await;

    let (status, found) = search(&api, "fullText contains 'sandbox'", "").await;
    assert_eq!(status, 200);
    assert!(ids(&found, "files").contains(&Q3_PLAN_DOC.to_string()));

    let (status, body) = search(&api, "fullText contains 'sandbox'", "&orderBy=name").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["errors"][0]["location"], "orderBy");
}

#[tokio::test]
async fn binaries_download_and_docs_export_but_not_the_other_way_round() {
    let api = Api::start().await;

    let (status, text) = api
        .get_text(&format!("/drive/v3/files/{TODO_TXT}?alt=media"))
        .await;
    assert_eq!(status, 200);
    assert!(text.starts_with("- review Q3 plan"));

    let (status, _) = api
        .get_text(&format!("/drive/v3/files/{KICKOFF_DECK}?alt=media"))
        .await;
    assert_eq!(status, 403);

    let (status, text) = api
        .get_text(&format!(
            "/drive/v3/files/{KICKOFF_DECK}/export?mimeType=text%2Fplain"
        ))
        .await;
    assert_eq!((status, text.as_str()), (200, "Kickoff\nGoals for Q3\n"));

    let (status, _) = api
        .get_text(&format!(
            "/drive/v3/files/{CONTRACT_PDF}/export?mimeType=text%2Fplain"
        ))
        .await;
    assert_eq!(status, 403);
}
