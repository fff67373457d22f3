//! A small builder so seed messages read as data, with real-shaped headers and parts.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, FixedOffset};

use super::codec;
use super::model::{Message, Part, PartBody, snippet_of};
use super::raw;
use crate::seed::USER_EMAIL;
use crate::time::rfc5322;

/// The body of a seed message, as a tree.
pub(crate) enum Node {
    /// A text leaf (`text/plain` or `text/html`), encoded by the builder.
    Text { mime: &'static str, text: String },
    /// A leaf whose base64url data is given verbatim (cases pin exact, even unpadded, data).
    Verbatim {
        mime: &'static str,
        data: &'static str,
        size: u64,
    },
    /// An attachment known only by name and size; its bytes are filler.
    Attachment {
        mime: &'static str,
        filename: &'static str,
        size: u64,
        file: FileMeta,
    },
    /// A `multipart/<subtype>` container.
    Multipart {
        subtype: &'static str,
        parts: Vec<Node>,
    },
}

/// Optional details of an attachment part.
#[derive(Default)]
pub(crate) struct FileMeta {
    /// A fixed attachment id; the default is derived from the message and part ids.
    pub(crate) id: Option<&'static str>,
    /// `Content-ID` for an inline part, which also makes the disposition `inline`.
    pub(crate) content_id: Option<&'static str>,
}

/// A `text/plain` leaf.
pub(crate) fn plain(text: &str) -> Node {
    Node::Text {
        mime: "text/plain",
        text: text.to_string(),
    }
}

/// A `text/html` leaf.
pub(crate) fn html(text: &str) -> Node {
    Node::Text {
        mime: "text/html",
        text: text.to_string(),
    }
}

/// A container of the given subtype.
pub(crate) fn multipart(subtype: &'static str, parts: Vec<Node>) -> Node {
    Node::Multipart { subtype, parts }
}

/// A regular attachment.
pub(crate) fn attachment(mime: &'static str, filename: &'static str, size: u64) -> Node {
    Node::Attachment {
        mime,
        filename,
        size,
        file: FileMeta::default(),
    }
}

/// A seed message under construction.
pub(crate) struct Mail {
    id: &'static str,
    thread_id: &'static str,
    labels: Vec<&'static str>,
    date: DateTime<FixedOffset>,
    from: &'static str,
    to: &'static str,
    subject: &'static str,
    extra: Vec<(&'static str, String)>,
    message_id: (&'static str, String),
    snippet: Option<&'static str>,
    body: Node,
}

impl Mail {
    /// A message in its own thread, labelled INBOX, with a generated Message-ID.
    pub(crate) fn new(
        id: &'static str,
        date: DateTime<FixedOffset>,
        from: &'static str,
        subject: &'static str,
        body: Node,
    ) -> Mail {
        Mail {
            id,
            thread_id: id,
            labels: vec!["INBOX"],
            date,
            from,
            to: USER_EMAIL,
            subject,
            extra: Vec::new(),
            message_id: ("Message-ID", format!("<{id}.sandbox@mail.example.com>")),
            snippet: None,
            body,
        }
    }

    /// Replaces the label ids.
    pub(crate) fn labels(mut self, labels: &[&'static str]) -> Mail {
        self.labels = labels.to_vec();
        self
    }

    /// Puts the message into an existing thread.
    pub(crate) fn thread(mut self, thread_id: &'static str) -> Mail {
        self.thread_id = thread_id;
        self
    }

    /// Sets the `To` header (the user by default).
    pub(crate) fn to(mut self, to: &'static str) -> Mail {
        self.to = to;
        self
    }

    /// Adds a header after `To`, e.g. `Cc`, `References` or `List-Id`.
    pub(crate) fn header(mut self, name: &'static str, value: &str) -> Mail {
        self.extra.push((name, value.to_string()));
        self
    }

    /// Sets the Message-ID, with the header name spelled as given (`Message-Id` too).
    pub(crate) fn message_id(mut self, name: &'static str, value: &str) -> Mail {
        self.message_id = (name, value.to_string());
        self
    }

    /// Pins the snippet instead of deriving it from the body.
    pub(crate) fn snippet(mut self, snippet: &'static str) -> Mail {
        self.snippet = Some(snippet);
        self
    }

    /// Builds the stored message.
    pub(crate) fn build(self, history_id: u64) -> Message {
        let mut headers = self.root_headers();
        let mut payload = build_part(self.body, String::new(), self.id);
        headers.append(&mut payload.headers);
        payload.headers = headers;

        let raw = raw::render(&payload);
        let mut message = Message {
            id: self.id.to_string(),
            thread_id: self.thread_id.to_string(),
            label_ids: self.labels.iter().map(|l| l.to_string()).collect(),
            snippet: String::new(),
            history_id,
            internal_date: self.date.timestamp_millis(),
            size_estimate: raw.len() as u64,
            payload,
            raw,
        };
        message.snippet = match self.snippet {
            Some(snippet) => snippet.to_string(),
            None => snippet_of(&message.body_text()),
        };

        message
    }

    /// The message header in Gmail's usual order; inbound mail also shows delivery lines.
    fn root_headers(&self) -> Vec<(String, String)> {
        let date = rfc5322(self.date);
        let mut headers: Vec<(String, String)> = Vec::new();
        if !self.labels.contains(&"SENT") {
            headers.push(("Delivered-To".into(), USER_EMAIL.into()));
            let received = format!("by 2002:a05:7300:sandbox with SMTP id {}; {date}", self.id);
            headers.push(("Received".into(), received));
        }

        headers.push(("MIME-Version".into(), "1.0".into()));
        headers.push(("From".into(), self.from.into()));
        headers.push(("Date".into(), date));
        headers.push((self.message_id.0.into(), self.message_id.1.clone()));
        headers.push(("Subject".into(), self.subject.into()));
        headers.push(("To".into(), self.to.into()));
        for (name, value) in &self.extra {
            headers.push((name.to_string(), value.clone()));
        }

        headers
    }
}

fn build_part(node: Node, part_id: String, message_id: &str) -> Part {
    match node {
        Node::Text { mime, text } => {
            let headers = text_headers(mime, !text.is_ascii());
            let body = PartBody {
                size: text.len() as u64,
                data: Some(codec::base64url(text.as_bytes())),
                ..PartBody::default()
            };
            Part {
                part_id,
                mime_type: mime.into(),
                headers,
                body,
                ..Part::default()
            }
        }
        Node::Verbatim { mime, data, size } => {
            let body = PartBody {
                size,
                data: Some(data.into()),
                ..PartBody::default()
            };
            let headers = text_headers(mime, false);
            Part {
                part_id,
                mime_type: mime.into(),
                headers,
                body,
                ..Part::default()
            }
        }
        Node::Attachment {
            mime,
            filename,
            size,
            file,
        } => attachment_part(mime, filename, size, file, part_id, message_id),
        Node::Multipart { subtype, parts } => {
            let boundary = format!("000000000000{:012x}", fingerprint(message_id, &part_id));
            let content_type = format!("multipart/{subtype}; boundary=\"{boundary}\"");
            let parts = parts
                .into_iter()
                .enumerate()
                .map(|(index, child)| build_part(child, child_id(&part_id, index), message_id))
                .collect();
            Part {
                part_id,
                mime_type: format!("multipart/{subtype}"),
                headers: vec![("Content-Type".into(), content_type)],
                parts,
                ..Part::default()
            }
        }
    }
}

fn attachment_part(
    mime: &str,
    filename: &str,
    size: u64,
    file: FileMeta,
    part_id: String,
    message_id: &str,
) -> Part {
    let generated = format!(
        "ANGjdJ{}",
        URL_SAFE_NO_PAD.encode(format!("{message_id}/{part_id}"))
    );
    let attachment_id = file.id.map(str::to_string).unwrap_or(generated);
    let disposition = if file.content_id.is_some() {
        "inline"
    } else {
        "attachment"
    };

    let mut headers = vec![
        (
            "Content-Type".to_string(),
            format!("{mime}; name=\"{filename}\""),
        ),
        (
            "Content-Disposition".to_string(),
            format!("{disposition}; filename=\"{filename}\""),
        ),
        (
            "Content-Transfer-Encoding".to_string(),
            "base64".to_string(),
        ),
    ];
    if let Some(content_id) = file.content_id {
        headers.push(("Content-ID".into(), content_id.into()));
    }

    let body = PartBody {
        size,
        attachment_id: Some(attachment_id),
        ..PartBody::default()
    };
    Part {
        part_id,
        mime_type: mime.into(),
        filename: filename.into(),
        headers,
        body,
        parts: vec![],
    }
}

fn text_headers(mime: &str, needs_encoding: bool) -> Vec<(String, String)> {
    let mut headers = vec![(
        "Content-Type".to_string(),
        format!("{mime}; charset=\"UTF-8\""),
    )];
    if needs_encoding {
        headers.push((
            "Content-Transfer-Encoding".into(),
            "quoted-printable".into(),
        ));
    }
    headers
}

fn child_id(parent: &str, index: usize) -> String {
    if parent.is_empty() {
        index.to_string()
    } else {
        format!("{parent}.{index}")
    }
}

/// A small stable hash that keeps boundaries distinct per message and part.
fn fingerprint(message_id: &str, part_id: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in message_id
        .bytes()
        .chain(b"/".iter().copied())
        .chain(part_id.bytes())
    {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash & 0xffff_ffff_ffff
}
