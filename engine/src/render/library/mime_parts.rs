//! The parts of an outgoing message besides its text: attached files and inline images, and
//! the multipart containers that hold them.
//!
//! A file is given as `{filename, content (base64), mime_type?, content_id?}`. One with a
//! `content_id` is an inline image (an HTML body shows it as `<img src="cid:ID">`). File names
//! follow RFC 2231 (see `rfc2231`), bytes go out as base64 in lines of 76 characters.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use minijinja::value::ValueKind;
use minijinja::{Error, Value};
use serde_json::Value as Json;

use super::args::invalid;
use super::base64url;
use super::mail_body::{MAX_DEPTH, disposition, is_attachment, mime_type, part_header};
use super::mime_header::HeaderWriter;
use super::mime_read::with_payload;
use super::rfc2231::encode_param;

/// The keys a file object may have.
const FILE_KEYS: [&str; 4] = ["filename", "content", "mime_type", "content_id"];

/// One file to attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSpec {
    /// The file name shown to the recipient.
    pub filename: String,
    /// The MIME type (`application/pdf`).
    pub mime_type: String,
    /// The bytes.
    pub content: Vec<u8>,
    /// For an inline image: its Content-ID, without angle brackets.
    pub content_id: Option<String>,
}

/// Reads the `attachments` argument: a list of file objects; errors name the entry and key.
pub fn files_from_value(value: &Value) -> Result<Vec<FileSpec>, Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(Vec::new());
    }
    if !matches!(value.kind(), ValueKind::Seq | ValueKind::Iterable) {
        return Err(invalid(format!(
            "`attachments` must be a list of {{filename, content}} objects, got a {}",
            value.kind()
        )));
    }
    let json: Json = serde_json::to_value(value)
        .map_err(|e| invalid(format!("`attachments` cannot be read: {e}")))?;
    json.as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, file)| file_from_json(i, file))
        .collect()
}

/// Reads and checks one file object, entry `index` of `attachments`.
pub fn file_from_json(index: usize, file: &Json) -> Result<FileSpec, Error> {
    let field = |key: &str| format!("attachments[{index}].{key}");
    let Some(object) = file.as_object() else {
        return Err(invalid(format!(
            "`attachments[{index}]` must be an object {{filename, content, mime_type?, \
             content_id?}}"
        )));
    };
    for key in object.keys() {
        if key == "path" || key == "url" {
            return Err(invalid(format!(
                "`{}`: this server does not read files or fetch URLs; put the file's bytes, \
                 base64-encoded, in `content`",
                field(key)
            )));
        }
        if !FILE_KEYS.contains(&key.as_str()) {
            return Err(invalid(format!(
                "`{}` is not known; a file has {}",
                field(key),
                FILE_KEYS.join(", ")
            )));
        }
    }
    let text = |key: &str| -> Result<Option<String>, Error> {
        match object.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(invalid(format!("`{}` must be a string", field(key)))),
        }
    };

    let filename = text("filename")?
        .filter(|f| !f.trim().is_empty())
        .ok_or_else(|| invalid(format!("`{}` is missing", field("filename"))))?;
    one_line(&field("filename"), &filename)?;
    let content = text("content")?.ok_or_else(|| {
        invalid(format!(
            "`{}` is missing: give the bytes base64",
            field("content")
        ))
    })?;
    let content = base64url::decode(&content)
        .map_err(|why| invalid(format!("`{}` is not base64: {why}", field("content"))))?;
    let mime_type = match text("mime_type")? {
        Some(given) => {
            one_line(&field("mime_type"), &given)?;
            check_mime_type(&field("mime_type"), given.trim())?
        }
        None => guess_type(&filename).to_string(),
    };
    let content_id = match text("content_id")? {
        Some(given) => {
            one_line(&field("content_id"), &given)?;
            Some(check_content_id(&field("content_id"), &given)?)
        }
        None => None,
    };
    Ok(FileSpec {
        filename: filename.trim().to_string(),
        mime_type,
        content,
        content_id,
    })
}

/// Errors when a header value holds a line break or another control character.
pub fn one_line(field: &str, value: &str) -> Result<(), Error> {
    if value.contains(['\r', '\n']) {
        return Err(invalid(format!(
            "`{field}` contains a line break (CR or LF); header fields must be one line"
        )));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(invalid(format!("`{field}` contains a control character")));
    }
    Ok(())
}

/// A `type/subtype` MIME type, lowercased.
fn check_mime_type(field: &str, value: &str) -> Result<String, Error> {
    let token = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
    };
    match value.split_once('/') {
        Some((kind, sub)) if token(kind) && token(sub) => Ok(value.to_ascii_lowercase()),
        _ => Err(invalid(format!(
            "`{field}` must be a MIME type such as application/pdf, got {value:?}"
        ))),
    }
}

/// A Content-ID without angle brackets: ASCII with no spaces.
fn check_content_id(field: &str, value: &str) -> Result<String, Error> {
    let bare = value.trim();
    let bare = bare.strip_prefix('<').unwrap_or(bare);
    let bare = bare.strip_suffix('>').unwrap_or(bare);
    let ok = !bare.is_empty()
        && bare
            .chars()
            .all(|c| c.is_ascii_graphic() && !"<>\"()[]\\,;:".contains(c));
    if ok {
        Ok(bare.to_string())
    } else {
        Err(invalid(format!(
            "`{field}` must be a short ASCII id without spaces (such as logo1), got {value:?}"
        )))
    }
}

/// The MIME type a file name suggests; `application/octet-stream` when unknown.
pub fn guess_type(filename: &str) -> &'static str {
    let extension = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "zip" => "application/zip",
        "ics" => "text/calendar",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

/// One file as a MIME part: its headers, a blank line and its base64 lines.
pub fn file_part(file: &FileSpec) -> String {
    let inline = file.content_id.is_some();
    let mut out = param_header("Content-Type", &file.mime_type, "name", &file.filename);
    let kind = if inline { "inline" } else { "attachment" };
    out.push_str(&param_header(
        "Content-Disposition",
        kind,
        "filename",
        &file.filename,
    ));
    out.push_str("Content-Transfer-Encoding: base64\r\n");
    if let Some(id) = &file.content_id {
        out.push_str(&format!("Content-ID: <{id}>\r\n"));
    }
    out.push_str("\r\n");
    let encoded = STANDARD.encode(&file.content);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect();
    out.push_str(&lines.join("\r\n"));
    out
}

/// A header `Name: value; param=...`, folded between parameters.
fn param_header(name: &str, value: &str, param: &str, param_value: &str) -> String {
    let mut writer = HeaderWriter::new(name);
    let tokens = encode_param(param, param_value);
    writer.token(&format!("{value};"));
    for (i, token) in tokens.iter().enumerate() {
        let separator = if i + 1 < tokens.len() { ";" } else { "" };
        writer.token(&format!("{token}{separator}"));
    }
    writer.finish()
}

/// A `multipart/<subtype>` entity around `parts` (each an entity: headers, blank line, body).
///
/// The boundary starts with `=_`, which neither quoted-printable nor base64 text can contain.
pub fn multipart(subtype: &str, seed: u64, parts: &[String]) -> String {
    let boundary = format!("=_{subtype}_{seed:016x}");
    let mut out = format!("Content-Type: multipart/{subtype}; boundary=\"{boundary}\"\r\n\r\n");
    for part in parts {
        out.push_str(&format!("--{boundary}\r\n{part}\r\n"));
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

/// The files of a forwarded message whose bytes it carries (a `format=raw` message carries
/// them all; a `format=full` one carries none, only ids).
pub fn forwarded_files(message: &Json) -> Vec<FileSpec> {
    let view = with_payload(message);
    let mut files = Vec::new();
    collect_files(&view["payload"], 0, &mut files);
    files
}

fn collect_files(part: &Json, depth: usize, out: &mut Vec<FileSpec>) {
    if depth > MAX_DEPTH {
        return;
    }
    if is_attachment(part) {
        let data = part["body"]["data"]
            .as_str()
            .and_then(|d| base64url::decode(d).ok());
        if let Some(content) = data {
            let inline = disposition(part).as_deref() == Some("inline");
            let content_id = part_header(part, "Content-ID")
                .filter(|_| inline)
                .map(|id| {
                    id.trim()
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_string()
                })
                .filter(|id| check_content_id("content_id", id).is_ok());
            let filename = part["filename"].as_str().unwrap_or_default();
            out.push(FileSpec {
                filename: if filename.is_empty() {
                    "attachment".to_string()
                } else {
                    filename.replace(['\r', '\n'], " ")
                },
                mime_type: check_mime_type("mime_type", &mime_type(part))
                    .unwrap_or_else(|_| "application/octet-stream".to_string()),
                content,
                content_id,
            });
        }
        return;
    }
    for child in part["parts"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        collect_files(child, depth + 1, out);
    }
}

#[cfg(test)]
mod tests;
