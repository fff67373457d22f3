//! `files.list`: query, corpora and shared-drive flags, ordering, paging, `fields`.

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::Drive;
use super::fields::Selector;
use super::filter::matches;
use super::model::{FOLDER, File};
use super::query::Expr;
use crate::error::ApiError;
use crate::fixtures;
use crate::paging::page;
use crate::request::Incoming;
use crate::seed::USER_EMAIL;

/// What `files.list` returns without a `fields` parameter.
const DEFAULT_FIELDS: &str = "kind,nextPageToken,incompleteSearch,files(kind,id,name,mimeType)";

/// Keys `orderBy` accepts, each optionally followed by ` desc`.
const ORDER_KEYS: [&str; 11] = [
    "createdTime",
    "folder",
    "modifiedByMeTime",
    "modifiedTime",
    "name",
    "name_natural",
    "quotaBytesUsed",
    "recency",
    "sharedWithMeTime",
    "starred",
    "viewedByMeTime",
];

/// Lists files like Drive v3 for the supported parameters.
pub(crate) fn list(drive: &Drive, req: &Incoming) -> Result<Value, ApiError> {
    let query = match req.param("q") {
        Some(text) => Some(Expr::parse(text).map_err(|err| {
            tracing::debug!(reason = %err.0, "drive query refused");
            ApiError::invalid_value("q")
        })?),
        None => None,
    };
    let order = order_keys(req.param("orderBy"))?;
    if !order.is_empty() && query.as_ref().is_some_and(Expr::uses_full_text) {
        return Err(ApiError::fixture(fixtures::SORTING_WITH_FULL_TEXT));
    }
    let selector = Selector::parse(req.param("fields").unwrap_or(DEFAULT_FIELDS))?;
    let size = req.size("pageSize", 100, 1000)?;

    let mut found: Vec<&File> = corpus(drive, req)?
        .into_iter()
        .filter(|file| query.as_ref().is_none_or(|query| matches(query, file)))
        .collect();
    let order = if order.is_empty() {
        vec![("modifiedTime".to_string(), true)]
    } else {
        order
    };
    found.sort_by(|a, b| compare(a, b, &order));

    let files: Vec<Value> = found.iter().map(|file| file.to_json(USER_EMAIL)).collect();
    let token = req
        .param("pageToken")
        .map(|token| token.trim_start_matches("~!!~"));
    let page = page(files, "drive.files", token, size)?;
    let mut reply =
        json!({"kind": "drive#fileList", "incompleteSearch": false, "files": page.items});
    if let Some(token) = page.next_token {
        reply["nextPageToken"] = json!(format!("~!!~{token}"));
    }

    Ok(selector.apply(&reply))
}

/// The files a listing can see. Shared-drive items need both `supportsAllDrives` and
/// `includeItemsFromAllDrives` (or their deprecated team-drive names); `corpora=drive`
/// narrows to one shared drive and needs `driveId`.
fn corpus<'a>(drive: &'a Drive, req: &Incoming) -> Result<Vec<&'a File>, ApiError> {
    let supports = req.flag("supportsAllDrives")? || req.flag("supportsTeamDrives")?;
    let includes = req.flag("includeItemsFromAllDrives")? || req.flag("includeTeamDriveItems")?;
    let all_drives = supports && includes;
    let drive_id = req.param("driveId").or(req.param("teamDriveId"));

    if req
        .param("spaces")
        .is_some_and(|spaces| !spaces.split(',').any(|s| s.trim() == "drive"))
    {
        return Ok(Vec::new());
    }

    match (req.param("corpora").or(req.param("corpus")), drive_id) {
        (Some("drive"), Some(drive_id)) => Ok(drive
            .files
            .iter()
            .filter(|f| all_drives && f.drive_id == Some(drive_id))
            .collect()),
        (Some("drive"), None) | (None | Some("user" | "domain" | "allDrives"), Some(_)) => {
            let message =
                "The driveId parameter must be specified if and only if corpora is set to drive.";
            Err(ApiError::google(400, "badRequest", message).at("driveId", "parameter"))
        }
        (None | Some("user" | "domain" | "allDrives"), None) => Ok(drive
            .files
            .iter()
            .filter(|f| f.drive_id.is_none() || all_drives)
            .collect()),
        (Some(_), _) => Err(ApiError::invalid_value("corpora")),
    }
}

/// `orderBy` as `(key, descending)` pairs.
fn order_keys(text: Option<&str>) -> Result<Vec<(String, bool)>, ApiError> {
    let Some(text) = text else {
        return Ok(Vec::new());
    };

    text.split(',')
        .map(|piece| {
            let words: Vec<&str> = piece.split_whitespace().collect();
            match words.as_slice() {
                [key] if ORDER_KEYS.contains(key) => Ok((key.to_string(), false)),
                [key, "desc"] if ORDER_KEYS.contains(key) => Ok((key.to_string(), true)),
                [key, "asc"] if ORDER_KEYS.contains(key) => Ok((key.to_string(), false)),
                _ => Err(ApiError::invalid_value("orderBy")),
            }
        })
        .collect()
}

fn compare(a: &File, b: &File, order: &[(String, bool)]) -> Ordering {
    for (key, descending) in order {
        let ordering = match key.as_str() {
            // Folders first in ascending order.
            "folder" => (b.mime_type == FOLDER).cmp(&(a.mime_type == FOLDER)),
            "name" | "name_natural" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            "createdTime" => a.created.cmp(&b.created),
            "viewedByMeTime" => a.viewed.cmp(&b.viewed),
            "starred" => a.starred.cmp(&b.starred),
            "quotaBytesUsed" => a.size.cmp(&b.size),
            _ => a.modified.cmp(&b.modified),
        };
        let ordering = if *descending {
            ordering.reverse()
        } else {
            ordering
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    a.id.cmp(b.id)
}
