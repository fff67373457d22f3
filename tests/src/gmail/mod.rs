//! Gmail v1: messages (list, get, send, modify, batchModify), attachments, threads, drafts,
//! labels, filters, send-as addresses and the profile.

mod build;
mod codec;
mod drafts;
mod encoded_word;
mod filters;
mod labels;
mod mailbox;
mod mime;
mod model;
mod modify;
mod query;
mod raw;
mod search;
mod seed;
mod send;
mod send_as;
mod threads;

use axum::http::Method;
use serde_json::{Value, json};

pub(crate) use mailbox::Mailbox;

use crate::error::ApiError;
use crate::fixtures;
use crate::paging::page;
use crate::request::Incoming;
use crate::router::{Outcome, Reply};
use crate::seed::USER_EMAIL;
use crate::state::{AppState, lock};
use model::Format;
use query::Query;

/// The enum type Gmail names when `format` has an unknown value.
const FORMAT_TYPE: &str = "type.googleapis.com/google.apps.gmail.v1.MessageFormat";

/// The emulated Gmail methods; `user` is the `{userId}` path segment.
pub(crate) enum Endpoint {
    Profile {
        user: String,
    },
    ListLabels {
        user: String,
    },
    ListMessages {
        user: String,
    },
    GetMessage {
        user: String,
        id: String,
    },
    GetAttachment {
        user: String,
        message_id: String,
        attachment_id: String,
    },
    Send {
        user: String,
    },
    UploadSend {
        user: String,
    },
    Modify {
        user: String,
        id: String,
    },
    BatchModify {
        user: String,
    },
    GetThread {
        user: String,
        id: String,
    },
    CreateDraft {
        user: String,
    },
    GetLabel {
        user: String,
        id: String,
    },
    CreateLabel {
        user: String,
    },
    UpdateLabel {
        user: String,
        id: String,
        replace: bool,
    },
    DeleteLabel {
        user: String,
        id: String,
    },
    ListFilters {
        user: String,
    },
    GetFilter {
        user: String,
        id: String,
    },
    CreateFilter {
        user: String,
    },
    DeleteFilter {
        user: String,
        id: String,
    },
    ListSendAs {
        user: String,
    },
}

impl Endpoint {
    /// Resolves a path below `/gmail/v1/`.
    pub(crate) fn resolve(method: &Method, segments: &[&str]) -> Option<Endpoint> {
        let user = |u: &str| u.to_string();
        let endpoint = match (method.as_str(), segments) {
            ("GET", ["users", u, "profile"]) => Endpoint::Profile { user: user(u) },
            ("GET", ["users", u, "labels"]) => Endpoint::ListLabels { user: user(u) },
            ("GET", ["users", u, "messages"]) => Endpoint::ListMessages { user: user(u) },
            ("GET", ["users", u, "messages", id]) => Endpoint::GetMessage {
                user: user(u),
                id: id.to_string(),
            },
            ("GET", ["users", u, "messages", message, "attachments", attachment]) => {
                Endpoint::GetAttachment {
                    user: user(u),
                    message_id: message.to_string(),
                    attachment_id: attachment.to_string(),
                }
            }
            ("POST", ["users", u, "messages", "send"]) => Endpoint::Send { user: user(u) },
            ("POST", ["users", u, "messages", "batchModify"]) => {
                Endpoint::BatchModify { user: user(u) }
            }
            ("POST", ["users", u, "messages", id, "modify"]) => Endpoint::Modify {
                user: user(u),
                id: id.to_string(),
            },
            ("GET", ["users", u, "threads", id]) => Endpoint::GetThread {
                user: user(u),
                id: id.to_string(),
            },
            ("POST", ["users", u, "drafts"]) => Endpoint::CreateDraft { user: user(u) },
            _ => return Self::resolve_settings(method, segments),
        };
        Some(endpoint)
    }

    /// Resolves the label, filter and send-as paths.
    fn resolve_settings(method: &Method, segments: &[&str]) -> Option<Endpoint> {
        let user = |u: &str| u.to_string();
        let endpoint = match (method.as_str(), segments) {
            ("POST", ["users", u, "labels"]) => Endpoint::CreateLabel { user: user(u) },
            ("GET", ["users", u, "labels", id]) => Endpoint::GetLabel {
                user: user(u),
                id: id.to_string(),
            },
            ("PUT" | "PATCH", ["users", u, "labels", id]) => Endpoint::UpdateLabel {
                user: user(u),
                id: id.to_string(),
                replace: method == Method::PUT,
            },
            ("DELETE", ["users", u, "labels", id]) => Endpoint::DeleteLabel {
                user: user(u),
                id: id.to_string(),
            },
            ("GET", ["users", u, "settings", "filters"]) => Endpoint::ListFilters { user: user(u) },
            ("POST", ["users", u, "settings", "filters"]) => {
                Endpoint::CreateFilter { user: user(u) }
            }
            ("GET", ["users", u, "settings", "filters", id]) => Endpoint::GetFilter {
                user: user(u),
                id: id.to_string(),
            },
            ("DELETE", ["users", u, "settings", "filters", id]) => Endpoint::DeleteFilter {
                user: user(u),
                id: id.to_string(),
            },
            ("GET", ["users", u, "settings", "sendAs"]) => Endpoint::ListSendAs { user: user(u) },
            _ => return None,
        };
        Some(endpoint)
    }

    /// Resolves a path below `/upload/gmail/v1/` (media upload of a raw message).
    pub(crate) fn resolve_upload(method: &Method, segments: &[&str]) -> Option<Endpoint> {
        match (method.as_str(), segments) {
            ("POST", ["users", u, "messages", "send"]) => Some(Endpoint::UploadSend {
                user: u.to_string(),
            }),
            _ => None,
        }
    }

    /// Runs the method.
    pub(crate) fn handle(self, state: &AppState, req: &Incoming) -> Outcome {
        let user = match &self {
            Endpoint::Profile { user }
            | Endpoint::ListLabels { user }
            | Endpoint::ListMessages { user }
            | Endpoint::GetMessage { user, .. }
            | Endpoint::GetAttachment { user, .. }
            | Endpoint::Send { user }
            | Endpoint::UploadSend { user }
            | Endpoint::Modify { user, .. }
            | Endpoint::BatchModify { user }
            | Endpoint::GetThread { user, .. }
            | Endpoint::CreateDraft { user }
            | Endpoint::GetLabel { user, .. }
            | Endpoint::CreateLabel { user }
            | Endpoint::UpdateLabel { user, .. }
            | Endpoint::DeleteLabel { user, .. }
            | Endpoint::ListFilters { user }
            | Endpoint::GetFilter { user, .. }
            | Endpoint::CreateFilter { user }
            | Endpoint::DeleteFilter { user, .. }
            | Endpoint::ListSendAs { user } => user,
        };
        check_user(user)?;

        let body = req.json.as_ref();
        let reply = match self {
            Endpoint::Profile { .. } => profile(state),
            Endpoint::ListLabels { .. } => labels::list(&lock(&state.gmail)),
            Endpoint::GetLabel { id, .. } => labels::get(&lock(&state.gmail), &id)?,
            Endpoint::CreateLabel { .. } => labels::create(&mut lock(&state.gmail), body)?,
            Endpoint::UpdateLabel { id, replace, .. } => {
                labels::update(&mut lock(&state.gmail), &id, body, replace)?
            }
            Endpoint::DeleteLabel { id, .. } => {
                labels::delete(&mut lock(&state.gmail), &id)?;
                return Ok(Reply::Empty);
            }
            Endpoint::Modify { id, .. } => modify::modify(&mut lock(&state.gmail), &id, body)?,
            Endpoint::BatchModify { .. } => {
                modify::batch_modify(&mut lock(&state.gmail), body)?;
                return Ok(Reply::Empty);
            }
            Endpoint::GetThread { id, .. } => threads::get(&lock(&state.gmail), req, &id)?,
            Endpoint::CreateDraft { .. } => {
                drafts::create(&mut lock(&state.gmail), body, state.clock.now())?
            }
            Endpoint::ListFilters { .. } => filters::list(&lock(&state.gmail)),
            Endpoint::GetFilter { id, .. } => filters::get(&lock(&state.gmail), &id)?,
            Endpoint::CreateFilter { .. } => filters::create(&mut lock(&state.gmail), body)?,
            Endpoint::DeleteFilter { id, .. } => {
                filters::delete(&mut lock(&state.gmail), &id)?;
                return Ok(Reply::Empty);
            }
            Endpoint::ListSendAs { .. } => send_as::list(&lock(&state.gmail)),
            Endpoint::ListMessages { .. } => list(state, req)?,
            Endpoint::GetMessage { id, .. } => get(state, req, &id)?,
            Endpoint::GetAttachment {
                message_id,
                attachment_id,
                ..
            } => attachment(state, &message_id, &attachment_id)?,
            Endpoint::Send { .. } => {
                let (raw, thread_id) = send::read_json_body(req.json.as_ref())?;
                send::send(&mut lock(&state.gmail), raw, thread_id, state.clock.now())?
            }
            Endpoint::UploadSend { .. } => upload_send(state, req)?,
        };
        Ok(Reply::Json(reply))
    }
}

/// Only the signed-in user's mailbox exists: `me` or the user's own address.
fn check_user(user: &str) -> Result<(), ApiError> {
    if user == "me" || user.eq_ignore_ascii_case(USER_EMAIL) {
        return Ok(());
    }
    let message = format!("Delegation denied for {USER_EMAIL}");
    Err(ApiError::google(403, "forbidden", &message).with_status())
}

fn profile(state: &AppState) -> Value {
    let mailbox = lock(&state.gmail);
    let (messages, threads) = mailbox.totals();

    json!({"emailAddress": USER_EMAIL, "messagesTotal": messages, "threadsTotal": threads,
           "historyId": mailbox.history_id().to_string()})
}

/// `users.messages.list`: `q`, `labelIds`, `includeSpamTrash`, `maxResults`, `pageToken`.
fn list(state: &AppState, req: &Incoming) -> Result<Value, ApiError> {
    let query = Query::parse(req.param("q").unwrap_or_default());
    let size = req.size("maxResults", 100, 500)?;
    let include_spam_trash = req.flag("includeSpamTrash")?;
    let label_ids = req.params("labelIds");

    let mailbox = lock(&state.gmail);
    let found: Vec<Value> = mailbox
        .search(&query, &label_ids, include_spam_trash, state.clock.now())
        .iter()
        .map(|m| json!({"id": m.id, "threadId": m.thread_id}))
        .collect();
    let estimate = found.len();
    let page = page(found, "gmail.messages", req.param("pageToken"), size)?;

    let mut reply = json!({"resultSizeEstimate": estimate});
    if !page.items.is_empty() {
        reply["messages"] = Value::Array(page.items);
    }
    if let Some(token) = page.next_token {
        reply["nextPageToken"] = json!(token);
    }
    Ok(reply)
}

/// `users.messages.get` with `format` and repeated `metadataHeaders`.
fn get(state: &AppState, req: &Incoming, id: &str) -> Result<Value, ApiError> {
    let format = Format::parse(req.param("format")).ok_or_else(|| {
        let value = req.param("format").unwrap_or_default();
        let message = format!("Invalid value at 'format' ({FORMAT_TYPE}), \"{value}\"");
        ApiError::google(400, "invalid", &message).with_status()
    })?;
    let headers = req.params("metadataHeaders");

    let mailbox = lock(&state.gmail);
    let message = mailbox
        .get(id)
        .ok_or_else(|| ApiError::fixture(fixtures::GMAIL_NOT_FOUND))?;
    Ok(message.to_json(format, &headers))
}

/// `users.messages.attachments.get`: `{"attachmentId","size","data"}`.
fn attachment(state: &AppState, message_id: &str, attachment_id: &str) -> Result<Value, ApiError> {
    let mailbox = lock(&state.gmail);
    let not_found = || ApiError::fixture(fixtures::GMAIL_NOT_FOUND);
    let message = mailbox.get(message_id).ok_or_else(not_found)?;
    let part = message
        .payload
        .walk()
        .into_iter()
        .find(|part| part.body.attachment_id.as_deref() == Some(attachment_id))
        .ok_or_else(not_found)?;

    let bytes = part.bytes();
    let data = codec::base64url(&bytes);
    Ok(json!({"attachmentId": attachment_id, "size": bytes.len(), "data": data}))
}

/// `POST /upload/gmail/v1/users/me/messages/send?uploadType=media` with the raw message.
fn upload_send(state: &AppState, req: &Incoming) -> Result<Value, ApiError> {
    let upload_type = req.param("uploadType").unwrap_or("media");
    if upload_type != "media" {
        let message = "The sandbox emulates uploadType=media only";
        return Err(ApiError::google(400, "badRequest", message).at("uploadType", "parameter"));
    }

    send::send(
        &mut lock(&state.gmail),
        req.body.clone(),
        None,
        state.clock.now(),
    )
}
