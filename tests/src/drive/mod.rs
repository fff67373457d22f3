//! Drive v3: `files.list`, `files.get` (metadata and `alt=media`) and `files.export`.

mod fields;
mod filter;
mod list;
mod model;
mod query;
mod seed;

use axum::http::Method;
use chrono::{DateTime, Utc};

use crate::error::ApiError;
use crate::request::Incoming;
use crate::router::{Outcome, Reply};
use crate::seed::USER_EMAIL;
use crate::state::AppState;
use fields::Selector;
use model::File;

/// The user's Drive, read-only.
pub(crate) struct Drive {
    files: Vec<File>,
}

impl Drive {
    /// The seeded Drive, with times relative to `base`.
    pub(crate) fn seeded(base: DateTime<Utc>) -> Drive {
        Drive {
            files: seed::files(base),
        }
    }

    /// A file by id; shared-drive files only when the caller says it supports all drives.
    fn find(&self, id: &str, supports_all_drives: bool) -> Result<&File, ApiError> {
        self.files
            .iter()
            .find(|file| file.id == id && (file.drive_id.is_none() || supports_all_drives))
            .ok_or_else(|| not_found(id))
    }
}

/// Drive's refusal to download a Docs Editors file.
const NOT_DOWNLOADABLE: &str =
    "Only files with binary content can be downloaded. Use Export with Docs Editors files.";

/// Drive's 404, naming the file id as its capture does.
fn not_found(id: &str) -> ApiError {
    let message = format!("File not found: {id}.");
    ApiError::google(404, "notFound", &message).at("fileId", "parameter")
}

/// The emulated Drive methods.
pub(crate) enum Endpoint {
    ListFiles,
    GetFile { id: String },
    ExportFile { id: String },
}

impl Endpoint {
    /// Resolves a path below `/drive/v3/`.
    pub(crate) fn resolve(method: &Method, segments: &[&str]) -> Option<Endpoint> {
        match (method.as_str(), segments) {
            ("GET", ["files"]) => Some(Endpoint::ListFiles),
            ("GET", ["files", id]) => Some(Endpoint::GetFile { id: id.to_string() }),
            ("GET", ["files", id, "export"]) => Some(Endpoint::ExportFile { id: id.to_string() }),
            _ => None,
        }
    }

    /// Runs the method.
    pub(crate) fn handle(self, state: &AppState, req: &Incoming) -> Outcome {
        match self {
            Endpoint::ListFiles => Ok(Reply::Json(list::list(&state.drive, req)?)),
            Endpoint::GetFile { id } => get(&state.drive, req, &id),
            Endpoint::ExportFile { id } => export(&state.drive, req, &id),
        }
    }
}

/// `files.get`: metadata through `fields` (default `kind,id,name,mimeType`), or the
/// bytes with `alt=media`, which Docs Editors files refuse.
fn get(drive: &Drive, req: &Incoming, id: &str) -> Outcome {
    let file = drive.find(
        id,
        req.flag("supportsAllDrives")? || req.flag("supportsTeamDrives")?,
    )?;

    if req.param("alt") == Some("media") {
        if file.is_native() {
            let error = ApiError::google(403, "fileNotDownloadable", NOT_DOWNLOADABLE);
            return Err(error.at("alt", "parameter"));
        }
        return Ok(Reply::Bytes(file.mime_type.to_string(), file.bytes()));
    }

    let selector = Selector::parse(req.param("fields").unwrap_or("kind,id,name,mimeType"))?;
    Ok(Reply::Json(selector.apply(&file.to_json(USER_EMAIL))))
}

/// `files.export`: Docs as text, Markdown or HTML, Sheets as CSV/TSV, Slides as text.
fn export(drive: &Drive, req: &Incoming, id: &str) -> Outcome {
    let Some(target) = req.param("mimeType") else {
        let message = "Required parameter: mimeType";
        return Err(ApiError::google(400, "required", message).at("mimeType", "parameter"));
    };
    // Like Drive, export does not need supportsAllDrives.
    let file = drive.find(id, true)?;
    if !file.is_native() {
        let message = "Export only supports Docs Editors files.";
        return Err(ApiError::google(403, "fileNotExportable", message));
    }

    let kind = file
        .mime_type
        .trim_start_matches("application/vnd.google-apps.");
    let body = match (kind, target) {
        ("document", "text/plain" | "text/markdown") | ("presentation", "text/plain") => {
            file.content.to_string()
        }
        ("document", "text/html") => html(file.content),
        ("spreadsheet", "text/csv") => file.content.to_string(),
        ("spreadsheet", "text/tab-separated-values") => file.content.replace(',', "\t"),
        _ => {
            let message = "The requested conversion is not supported.";
            return Err(ApiError::google(400, "badRequest", message).at("convertTo", "parameter"));
        }
    };
    Ok(Reply::Bytes(target.to_string(), body.into_bytes()))
}

fn html(text: &str) -> String {
    let paragraphs: String = text.lines().map(|line| format!("<p>{line}</p>")).collect();
    format!("<html><body>{paragraphs}</body></html>")
}
