//! A Drive file and its full JSON resource.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::time::stamp;

/// Folders' MIME type.
pub(crate) const FOLDER: &str = "application/vnd.google-apps.folder";

/// A person owning or sharing a file.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    pub(crate) name: &'static str,
    pub(crate) email: &'static str,
}

/// One file or folder.
#[derive(Clone, Debug)]
pub(crate) struct File {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) mime_type: &'static str,
    pub(crate) parents: Vec<&'static str>,
    pub(crate) created: DateTime<Utc>,
    pub(crate) modified: DateTime<Utc>,
    pub(crate) viewed: Option<DateTime<Utc>>,
    /// Byte size of uploaded (non-Google) files.
    pub(crate) size: Option<u64>,
    /// The owner; `None` on a shared drive, where the drive owns files.
    pub(crate) owner: Option<Person>,
    /// People besides the owner with access.
    pub(crate) shared_with: Vec<&'static str>,
    pub(crate) starred: bool,
    pub(crate) trashed: bool,
    pub(crate) description: Option<&'static str>,
    /// The text `fullText` searches and `export` returns.
    pub(crate) content: &'static str,
    /// The shared drive holding the file.
    pub(crate) drive_id: Option<&'static str>,
}

impl File {
    /// Whether this is a Google Docs Editors file (no binary content of its own).
    pub(crate) fn is_native(&self) -> bool {
        self.mime_type.starts_with("application/vnd.google-apps.")
    }

    /// Whether the user reached the file by someone else's share.
    pub(crate) fn shared_with_me(&self, user: &str) -> bool {
        self.drive_id.is_none() && self.owner.as_ref().is_some_and(|owner| owner.email != user)
    }

    /// The bytes of an uploaded file: its text content, else stable filler of its size.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        if !self.content.is_empty() {
            return self.content.as_bytes().to_vec();
        }
        b"%PDF-1.4 sandbox filler\n"
            .iter()
            .copied()
            .cycle()
            .take(self.size.unwrap_or(0) as usize)
            .collect()
    }

    /// Every field the sandbox knows, as `fields=*` shows it.
    pub(crate) fn to_json(&self, user: &str) -> Value {
        let mut file = Map::new();
        let mut put = |key: &str, value: Value| {
            file.insert(key.to_string(), value);
        };

        put("kind", json!("drive#file"));
        put("id", json!(self.id));
        put("name", json!(self.name));
        put("mimeType", json!(self.mime_type));
        put("starred", json!(self.starred));
        put("trashed", json!(self.trashed));
        put("explicitlyTrashed", json!(self.trashed));
        put("parents", json!(self.parents));
        put("spaces", json!(["drive"]));
        put(
            "version",
            json!((self.modified.timestamp() % 100_000).to_string()),
        );
        put("webViewLink", json!(self.web_view_link()));
        put(
            "iconLink",
            json!(format!(
                "https://drive-thirdparty.googleusercontent.com/16/type/{}",
                self.mime_type
            )),
        );
        put("createdTime", json!(stamp(self.created)));
        put("modifiedTime", json!(stamp(self.modified)));
        put(
            "shared",
            json!(!self.shared_with.is_empty() || self.drive_id.is_some()),
        );
        put(
            "ownedByMe",
            json!(self.owner.as_ref().is_some_and(|o| o.email == user)),
        );
        put(
            "capabilities",
            json!({"canEdit": !self.trashed, "canDownload": true, "canShare": true}),
        );
        put("quotaBytesUsed", json!(self.size.unwrap_or(0).to_string()));

        if let Some(description) = self.description {
            put("description", json!(description));
        }
        if let Some(viewed) = self.viewed {
            put("viewedByMeTime", json!(stamp(viewed)));
        }
        if let Some(owner) = &self.owner {
            let me = owner.email == user;
            let person = json!({
                "kind": "drive#user",
                "displayName": owner.name,
                "emailAddress": owner.email,
                "me": me,
                "permissionId": permission_id(owner.email),
            });
            put("owners", json!([person]));
            if !me {
                put("sharedWithMeTime", json!(stamp(self.created)));
            }
        }
        if let Some(drive_id) = self.drive_id {
            put("driveId", json!(drive_id));
        }
        if let Some(size) = self.size {
            put("size", json!(size.to_string()));
            put(
                "webContentLink",
                json!(format!(
                    "https://drive.google.com/uc?id={}&export=download",
                    self.id
                )),
            );
            put("originalFilename", json!(self.name));
            if let Some((_, extension)) = self.name.rsplit_once('.') {
                put("fileExtension", json!(extension));
                put("fullFileExtension", json!(extension));
            }
        }

        Value::Object(file)
    }

    fn web_view_link(&self) -> String {
        let id = self.id;
        match self.mime_type {
            FOLDER => format!("https://drive.google.com/drive/folders/{id}"),
            "application/vnd.google-apps.document" => {
                format!("https://docs.google.com/document/d/{id}/edit?usp=drivesdk")
            }
            "application/vnd.google-apps.spreadsheet" => {
                format!("https://docs.google.com/spreadsheets/d/{id}/edit?usp=drivesdk")
            }
            "application/vnd.google-apps.presentation" => {
                format!("https://docs.google.com/presentation/d/{id}/edit?usp=drivesdk")
            }
            _ => format!("https://drive.google.com/file/d/{id}/view?usp=drivesdk"),
        }
    }
}

/// A stable 20-digit permission id derived from the address.
fn permission_id(email: &str) -> String {
    let hash = email.bytes().fold(1_469_598_103_934_665_603u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(1_099_511_628_211)
    });
    format!("{hash:020}")
}
