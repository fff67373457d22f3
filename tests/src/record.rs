//! The log of requests that reached the Google routes.

use std::sync::{Arc, Mutex};

use serde::Serialize;

/// One request as it arrived on a Google route, before any routing or auth decision.
#[derive(Clone, Debug, Serialize)]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `GET`.
    pub method: String,
    /// The raw path as on the wire, still percent-encoded.
    pub path: String,
    /// The decoded query pairs, in order, with repeated keys kept.
    pub query: Vec<(String, String)>,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The body parsed as JSON, if there was a body and it was JSON.
    pub body: Option<serde_json::Value>,
}

/// A shared, append-only list of recorded requests.
#[derive(Clone, Default)]
pub(crate) struct Recorder {
    entries: Arc<Mutex<Vec<RecordedRequest>>>,
}

impl Recorder {
    /// Appends one request.
    pub(crate) fn push(&self, request: RecordedRequest) {
        self.lock().push(request);
    }

    /// Everything recorded so far, oldest first.
    pub(crate) fn all(&self) -> Vec<RecordedRequest> {
        self.lock().clone()
    }

    /// Forgets everything recorded so far.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<RecordedRequest>> {
        // A panic while holding this lock cannot leave the list half-written, so a
        // poisoned lock is still safe to use.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
