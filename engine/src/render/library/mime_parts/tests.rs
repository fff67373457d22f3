use serde_json::json;

use super::super::mime_compose::{MessageSpec, compose};
use super::super::mime_parse::parse_message;
use super::super::rfc2231::{param, parse_header_value};
use super::super::test_support::parse_message as split_message;
use super::*;

fn file(name: &str, bytes: &[u8]) -> Json {
    json!({"filename": name, "content": STANDARD.encode(bytes)})
}

fn problem(file: Json) -> String {
    file_from_json(0, &file)
        .unwrap_err()
        .detail()
        .unwrap()
        .to_string()
}

#[test]
fn a_file_object_is_read_with_its_type_guessed_from_the_name() {
    let spec = file_from_json(0, &file("Q3 report.pdf", b"%PDF-1.4")).unwrap();
    assert_eq!(spec.mime_type, "application/pdf");
    assert_eq!(spec.content, b"%PDF-1.4");
    assert_eq!(spec.content_id, None);

    let image = json!({"filename": "logo.png", "content": "iVBORw0K", "content_id": "<logo1>",
                       "mime_type": "IMAGE/PNG"});
    let spec = file_from_json(0, &image).unwrap();
    assert_eq!(spec.content_id.as_deref(), Some("logo1"));
    assert_eq!(spec.mime_type, "image/png");
}

#[test]
fn a_line_break_in_a_file_name_is_refused_naming_the_entry() {
    let message = problem(file("a.pdf\r\nBcc: attacker@example.net", b"x"));
    assert!(
        message.starts_with("`attachments[0].filename` contains a line break"),
        "{message}"
    );
}

#[test]
fn paths_urls_bad_base64_and_unknown_keys_are_refused_with_what_to_do() {
    assert!(problem(json!({"filename": "a", "path": "/etc/passwd"})).contains("base64"));
    assert!(problem(json!({"filename": "a", "url": "http://x"})).contains("does not"));
    assert!(problem(json!({"filename": "a", "content": "not base64!"})).contains("not base64"));
    assert!(
        problem(json!({"filename": "a", "content": "eA", "size": 1}))
            .contains("`attachments[0].size`")
    );
    assert!(problem(json!({"content": "eA"})).contains("`attachments[0].filename` is missing"));
    assert!(
        problem(json!({"filename": "a", "content": "eA", "mime_type": "pdf"}))
            .contains("MIME type")
    );
}

#[test]
fn a_non_ascii_file_name_is_written_per_rfc_2231_and_reads_back() {
    let spec = FileSpec {
        filename: "Relatório 東京.pdf".into(),
        mime_type: "application/pdf".into(),
        content: vec![0, 1, 2, 250],
        content_id: None,
    };
    let part = file_part(&spec);
    assert!(part.is_ascii());
    assert!(
        part.contains("filename*=UTF-8''Relat%C3%B3rio%20%E6%9D%B1%E4%BA%AC.pdf"),
        "{part}"
    );
    let head = part.split("\r\n\r\n").next().unwrap();
    assert!(head.split("\r\n").all(|line| line.len() <= 76), "{head}");
    let parsed = split_message(&part);
    let (kind, params) = parse_header_value(parsed.one("Content-Disposition"));
    assert_eq!(kind, "attachment");
    assert_eq!(param(&params, "filename"), Some("Relatório 東京.pdf"));
    assert_eq!(parsed.body, "AAEC+g==");
}

fn tree(raw: &str) -> Json {
    parse_message(raw.as_bytes()).unwrap()
}

fn types(part: &Json) -> String {
    let children: Vec<String> = part["parts"]
        .as_array()
        .map(|parts| parts.iter().map(types).collect())
        .unwrap_or_default();
    let kind = part["mimeType"].as_str().unwrap().to_string();
    if children.is_empty() {
        kind
    } else {
        format!("{kind}[{}]", children.join(", "))
    }
}

#[test]
fn html_with_an_inline_image_and_a_file_nests_related_inside_mixed() {
    let spec = MessageSpec {
        to: Some("bob@example.com".into()),
        subject: Some("Report".into()),
        body: "<p>See <img src=\"cid:logo1\"></p>".into(),
        html: true,
        attachments: vec![
            file_from_json(
                0,
                &json!({"filename": "logo.png", "content": "iVBORw0K", "content_id": "logo1"}),
            )
            .unwrap(),
            file_from_json(1, &file("résumé.pdf", b"%PDF-1.4")).unwrap(),
        ],
        ..MessageSpec::default()
    };
    let raw = compose(&spec).unwrap();
    assert!(raw.is_ascii());
    let root = tree(&raw);
    assert_eq!(
        types(&root),
        "multipart/mixed[multipart/related[multipart/alternative[text/plain, text/html], \
         image/png], application/pdf]"
    );
    let logo = &root["parts"][0]["parts"][1];
    assert_eq!(logo["filename"], "logo.png");
    let pdf = &root["parts"][1];
    assert_eq!(pdf["filename"], "résumé.pdf");
    assert_eq!(
        base64url::decode(pdf["body"]["data"].as_str().unwrap()).unwrap(),
        b"%PDF-1.4"
    );
}

#[test]
fn a_plain_body_with_a_file_is_mixed_and_inline_ids_are_ignored_without_html() {
    let spec = MessageSpec {
        to: Some("bob@example.com".into()),
        body: "Attached.".into(),
        attachments: vec![
            file_from_json(
                0,
                &json!({"filename": "logo.png", "content": "iVBORw0K", "content_id": "logo1"}),
            )
            .unwrap(),
        ],
        ..MessageSpec::default()
    };
    let root = tree(&compose(&spec).unwrap());
    assert_eq!(types(&root), "multipart/mixed[text/plain, image/png]");
    let image = &root["parts"][1];
    let disposition = image["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "Content-Disposition")
        .unwrap();
    assert!(
        disposition["value"]
            .as_str()
            .unwrap()
            .starts_with("attachment;")
    );
}

#[test]
fn a_raw_forwarded_message_gives_its_files_with_their_bytes() {
    let original = "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x\r\n--b--\r\n";
    let message = json!({"id": "m1", "raw": base64url::encode(original.as_bytes())});
    let files = forwarded_files(&message);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].filename, "a.pdf");
    assert_eq!(files[0].content, b"%PDF-1");
}
