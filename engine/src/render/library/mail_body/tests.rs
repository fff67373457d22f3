use serde_json::json;

use super::*;

/// A leaf part of `mime` whose data is `text`, base64url-encoded.
fn leaf(mime: &str, text: &str) -> Json {
    json!({"mimeType": mime, "body": {"size": text.len(), "data": base64url::encode(text.as_bytes())}})
}

/// A container part of `mime` holding `parts`.
fn container(mime: &str, parts: Vec<Json>) -> Json {
    json!({"mimeType": mime, "body": {"size": 0}, "parts": parts})
}

#[test]
fn plain_text_line_ends_become_lf() {
    let body = readable_body(&leaf("text/plain", "a\r\nb\rc\n"), 0).unwrap();
    assert_eq!(
        body,
        Body {
            text: "a\nb\nc\n".into(),
            source: Source::Plain
        }
    );
}

#[test]
fn flowed_text_is_joined_at_soft_breaks() {
    let mut part = leaf(
        "text/plain",
        "Sie sollten nur Apps  \r\nvertrauen.\r\n \r\n-- \r\nsig",
    );
    part["headers"] = json!([{"name": "Content-Type", "value": "text/plain; charset=\"UTF-8\"; format=flowed; delsp=yes"}]);
    assert_eq!(
        readable_body(&part, 0).unwrap().text,
        "Sie sollten nur Apps vertrauen.\n\n-- \nsig"
    );
    part["headers"][0]["value"] = json!("text/plain; format=flowed");
    assert_eq!(
        readable_body(&part, 0).unwrap().text,
        "Sie sollten nur Apps  vertrauen.\n\n-- \nsig"
    );
}

#[test]
fn an_alternative_prefers_real_plain_text() {
    let part = container(
        "multipart/alternative",
        vec![
            leaf("text/plain", "plain"),
            leaf("text/html", "<p>html</p>"),
        ],
    );
    assert_eq!(
        readable_body(&part, 0).unwrap(),
        Body {
            text: "plain".into(),
            source: Source::Plain
        }
    );
}

#[test]
fn an_alternative_uses_the_html_when_the_plain_text_is_blank_or_a_footer() {
    for plain in [
        " \r\n ",
        "_____\nPilots list\nlist@example.org\n",
        "-- \nsent from my phone",
    ] {
        let part = container(
            "multipart/alternative",
            vec![
                leaf("text/plain", plain),
                leaf("text/html", "<p>Real news</p>"),
            ],
        );
        assert_eq!(
            readable_body(&part, 0).unwrap(),
            Body {
                text: "Real news".into(),
                source: Source::Html
            }
        );
    }
}

#[test]
fn an_alternative_keeps_a_footer_when_nothing_else_has_text() {
    let part = container(
        "multipart/alternative",
        vec![
            leaf("text/plain", "___\nfooter"),
            leaf("text/html", "<p> </p>"),
        ],
    );
    assert_eq!(readable_body(&part, 0).unwrap().text, "___\nfooter");
}

#[test]
fn a_part_with_neither_data_nor_attachment_id_gives_nothing_without_panicking() {
    let empty = json!({"mimeType": "text/plain", "body": {"size": 0}});
    assert_eq!(readable_body(&empty, 0), None);
    assert_eq!(readable_body(&json!({}), 0), None);
    assert_eq!(
        readable_body(&json!({"mimeType": "multipart/mixed", "parts": "oops"}), 0),
        None
    );
    assert_eq!(
        readable_body(&json!({"mimeType": "text/plain", "body": {"data": 5}}), 0),
        None
    );
    assert_eq!(readable_body(&json!(null), 0), None);
}

#[test]
fn attachments_are_not_read_as_body_text() {
    let mut named = leaf("text/plain", "notes");
    named["filename"] = json!("notes.txt");
    let mut disposed = leaf("text/plain", "log");
    disposed["headers"] = json!([{"name": "content-disposition", "value": "ATTACHMENT"}]);
    let part = container(
        "multipart/mixed",
        vec![leaf("text/plain", "body"), named, disposed],
    );
    assert_eq!(readable_body(&part, 0).unwrap().text, "body");
}

#[test]
fn parts_deeper_than_sixteen_levels_are_ignored() {
    let mut deep = leaf("text/plain", "deep");
    for _ in 0..16 {
        deep = container("multipart/mixed", vec![deep]);
    }
    assert_eq!(readable_body(&deep, 0).unwrap().text, "deep");
    let deeper = container("multipart/mixed", vec![deep]);
    assert_eq!(readable_body(&deeper, 0), None);
}

#[test]
fn latin1_parts_are_decoded_in_their_charset() {
    let mut part =
        json!({"mimeType": "text/plain", "body": {"data": base64url::encode(&[b'c', 0xe9])}});
    part["headers"] = json!([{"name": "Content-Type", "value": "text/plain; charset=iso-8859-1"}]);
    assert_eq!(readable_body(&part, 0).unwrap().text, "cé");
}
