//! The stored shape of a Gmail message and its JSON renderings.

use serde_json::{Map, Value, json};

use super::codec;

/// One message in the mailbox.
#[derive(Clone, Debug)]
pub(crate) struct Message {
    pub(crate) id: String,
    pub(crate) thread_id: String,
    pub(crate) label_ids: Vec<String>,
    pub(crate) snippet: String,
    pub(crate) history_id: u64,
    /// Milliseconds since the Unix epoch.
    pub(crate) internal_date: i64,
    pub(crate) size_estimate: u64,
    pub(crate) payload: Part,
    /// The RFC 822 bytes served by `format=raw`.
    pub(crate) raw: Vec<u8>,
}

/// A MIME part as Gmail's `MessagePart`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Part {
    pub(crate) part_id: String,
    pub(crate) mime_type: String,
    pub(crate) filename: String,
    /// Headers in wire order; on the root part, the whole message header.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: PartBody,
    pub(crate) parts: Vec<Part>,
}

/// Gmail's `MessagePartBody`, plus the attachment bytes it does not inline.
#[derive(Clone, Debug, Default)]
pub(crate) struct PartBody {
    /// The decoded byte count.
    pub(crate) size: u64,
    /// base64url text exactly as served (padded, except where a case asks otherwise).
    pub(crate) data: Option<String>,
    pub(crate) attachment_id: Option<String>,
    /// The bytes behind `attachment_id`; seeded attachments without bytes get filler.
    pub(crate) attachment: Option<Vec<u8>>,
}

/// The `format` parameter of `users.messages.get`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Full,
    Metadata,
    Minimal,
    Raw,
}

impl Format {
    /// Reads the parameter; `None` for a value Gmail does not know.
    pub(crate) fn parse(value: Option<&str>) -> Option<Format> {
        match value.map(str::to_ascii_lowercase).as_deref() {
            None | Some("full") => Some(Format::Full),
            Some("metadata") => Some(Format::Metadata),
            Some("minimal") => Some(Format::Minimal),
            Some("raw") => Some(Format::Raw),
            Some(_) => None,
        }
    }
}

impl Message {
    /// The first header of that name on the root part, compared case-insensitively.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.payload.header(name)
    }

    /// Whether any part is an attachment (has a file name).
    pub(crate) fn has_attachment(&self) -> bool {
        self.payload
            .walk()
            .iter()
            .any(|part| !part.filename.is_empty())
    }

    /// The readable body text: every text/plain leaf, or the HTML leaves as text when a
    /// message has no plain text, joined with line breaks.
    pub(crate) fn body_text(&self) -> String {
        let plain = text_leaves(&self.payload, "text/plain");
        if plain.is_empty() {
            text_leaves(&self.payload, "text/html").join("\n")
        } else {
            plain.join("\n")
        }
    }

    /// Every text leaf, plain and HTML alike, for free-text search.
    pub(crate) fn all_text(&self) -> String {
        let mut leaves = text_leaves(&self.payload, "text/plain");
        leaves.extend(text_leaves(&self.payload, "text/html"));
        leaves.join("\n")
    }

    /// The message rendered for `users.messages.get` in the given format.
    pub(crate) fn to_json(&self, format: Format, metadata_headers: &[&str]) -> Value {
        let mut object = Map::new();
        object.insert("id".into(), json!(self.id));
        object.insert("threadId".into(), json!(self.thread_id));
        object.insert("labelIds".into(), json!(self.label_ids));
        object.insert("snippet".into(), json!(self.snippet));
        object.insert("sizeEstimate".into(), json!(self.size_estimate));
        object.insert("historyId".into(), json!(self.history_id.to_string()));
        object.insert("internalDate".into(), json!(self.internal_date.to_string()));

        match format {
            Format::Full => {
                object.insert("payload".into(), self.payload.to_json());
            }
            Format::Metadata => {
                object.insert(
                    "payload".into(),
                    self.payload.metadata_json(metadata_headers),
                );
            }
            Format::Minimal => {}
            Format::Raw => {
                object.insert("raw".into(), json!(codec::base64url(&self.raw)));
            }
        }

        Value::Object(object)
    }
}

impl Part {
    /// The first header of that name, compared case-insensitively.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// This part and all parts below it, depth first.
    pub(crate) fn walk(&self) -> Vec<&Part> {
        let mut all = vec![self];
        for part in &self.parts {
            all.extend(part.walk());
        }
        all
    }

    /// The decoded bytes of a leaf: its data, else its attachment bytes.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        if let Some(data) = &self.body.data {
            return codec::from_base64url(data).unwrap_or_default();
        }
        if let Some(bytes) = &self.body.attachment {
            return bytes.clone();
        }

        filler(self.body.size as usize)
    }

    /// The part as Gmail's `MessagePart` JSON.
    pub(crate) fn to_json(&self) -> Value {
        let mut body = Map::new();
        if let Some(id) = &self.body.attachment_id {
            body.insert("attachmentId".into(), json!(id));
        }
        body.insert("size".into(), json!(self.body.size));
        if let Some(data) = &self.body.data {
            body.insert("data".into(), json!(data));
        }

        let mut object = self.identity_json();
        object.insert("headers".into(), headers_json(&self.headers));
        object.insert("body".into(), Value::Object(body));
        if !self.parts.is_empty() {
            let parts: Vec<Value> = self.parts.iter().map(Part::to_json).collect();
            object.insert("parts".into(), Value::Array(parts));
        }

        Value::Object(object)
    }

    /// The root part for `format=metadata`: the chosen headers and no body data.
    fn metadata_json(&self, names: &[&str]) -> Value {
        let chosen: Vec<(String, String)> = self
            .headers
            .iter()
            .filter(|(key, _)| {
                names.is_empty() || names.iter().any(|n| n.eq_ignore_ascii_case(key))
            })
            .cloned()
            .collect();

        let mut object = self.identity_json();
        object.insert("headers".into(), headers_json(&chosen));
        Value::Object(object)
    }

    fn identity_json(&self) -> Map<String, Value> {
        let mut object = Map::new();
        object.insert("partId".into(), json!(self.part_id));
        object.insert("mimeType".into(), json!(self.mime_type));
        object.insert("filename".into(), json!(self.filename));
        object
    }

    /// Reads a `MessagePart` from JSON, as in the captured samples.
    pub(crate) fn from_json(value: &Value) -> Part {
        let text = |key: &str| value[key].as_str().unwrap_or_default().to_string();
        let headers = value["headers"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|h| {
                        (
                            h["name"].as_str().unwrap_or_default().to_string(),
                            h["value"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let body = PartBody {
            size: value["body"]["size"].as_u64().unwrap_or(0),
            data: value["body"]["data"].as_str().map(str::to_string),
            attachment_id: value["body"]["attachmentId"].as_str().map(str::to_string),
            attachment: None,
        };
        let parts = value["parts"]
            .as_array()
            .map(|list| list.iter().map(Part::from_json).collect());

        Part {
            part_id: text("partId"),
            mime_type: text("mimeType"),
            filename: text("filename"),
            headers,
            body,
            parts: parts.unwrap_or_default(),
        }
    }
}

fn headers_json(headers: &[(String, String)]) -> Value {
    let list: Vec<Value> = headers
        .iter()
        .map(|(name, value)| json!({"name": name, "value": value}))
        .collect();
    Value::Array(list)
}

/// Deterministic stand-in bytes for attachments seeded with only a size.
pub(crate) fn filler(size: usize) -> Vec<u8> {
    b"sandbox attachment bytes\n"
        .iter()
        .copied()
        .cycle()
        .take(size)
        .collect()
}

/// The text of every non-attachment leaf of one type; HTML is turned into text.
fn text_leaves(root: &Part, mime: &str) -> Vec<String> {
    root.walk()
        .iter()
        .filter(|part| part.filename.is_empty() && part.mime_type.eq_ignore_ascii_case(mime))
        .map(|part| String::from_utf8_lossy(&part.bytes()).into_owned())
        .map(|text| {
            if mime == "text/html" {
                codec::html_to_text(&text)
            } else {
                text
            }
        })
        .collect()
}

/// A Gmail-like snippet: the start of the text, whitespace collapsed, HTML-escaped.
pub(crate) fn snippet_of(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = collapsed.chars().take(200).collect();

    codec::escape_html(cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_collapses_whitespace_and_escapes_html() {
        assert_eq!(
            snippet_of("Hi  team,\n<b> & more"),
            "Hi team, &lt;b&gt; &amp; more"
        );
    }

    #[test]
    fn an_unknown_format_is_refused() {
        assert_eq!(Format::parse(None), Some(Format::Full));
        assert_eq!(Format::parse(Some("METADATA")), Some(Format::Metadata));
        assert_eq!(Format::parse(Some("summary")), None);
    }
}
