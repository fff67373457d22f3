//! Google's API methods, as the Discovery documents in `schemas/discovery/` describe them.
//!
//! The build script compacts those documents into one table keyed by method id
//! (`gmail.users.messages.list`). A catalogue step that names a method id takes its HTTP verb,
//! URL layout and parameter locations from here, and `validate` checks the step against it.

use std::{collections::HashMap, sync::OnceLock};

use serde::Deserialize;
use serde_json::value::RawValue;

static TABLE: &str = include_str!(concat!(env!("OUT_DIR"), "/methods.json"));
static SCHEMAS: &str = include_str!(concat!(env!("OUT_DIR"), "/schemas.json"));

/// One REST method of a Google API.
#[derive(Clone, Debug, Deserialize)]
pub struct Method {
    /// The HTTP verb: `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub http: String,
    /// The API's root URL, such as `https://gmail.googleapis.com/`.
    pub root: String,
    /// The path under the root shared by the API's methods (`calendar/v3/`), often empty.
    pub service_path: String,
    /// The path template under the service path, with `{param}` and `{+param}` expansions.
    pub path: String,
    /// Every parameter the method accepts, its own and the API-wide ones.
    pub params: HashMap<String, Param>,
    /// The OAuth scopes any one of which grants the method.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The schema name of the request body, when the method takes one.
    #[serde(default)]
    pub request: Option<String>,
    /// Whether the method also accepts a media upload.
    #[serde(default)]
    pub media_upload: bool,
}

/// One parameter of a method.
#[derive(Clone, Debug, Deserialize)]
pub struct Param {
    /// `path` or `query`.
    pub location: String,
    /// The JSON type: `string`, `integer`, `boolean` or `number`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Whether the method cannot be called without it.
    #[serde(default)]
    pub required: bool,
    /// Whether the parameter may be given several times.
    #[serde(default)]
    pub repeated: bool,
    /// The allowed values, when the parameter is an enumeration.
    #[serde(rename = "enum", default)]
    pub allowed: Vec<String>,
    /// The value Google assumes when the parameter is absent.
    #[serde(default)]
    pub default: Option<String>,
}

/// A request or resource schema, reduced to what body checks need.
#[derive(Clone, Debug, Deserialize)]
pub struct Schema {
    /// The fields, by name.
    #[serde(default)]
    pub properties: HashMap<String, Property>,
    /// Whether any key is allowed (a map).
    #[serde(default)]
    pub open: bool,
}

/// One field of a [`Schema`].
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Property {
    /// The JSON type, when the field is not a reference.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The schema the field refers to.
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
    /// The allowed values of an enumeration.
    #[serde(rename = "enum", default)]
    pub allowed: Vec<String>,
    /// For arrays: what each item is.
    #[serde(default)]
    pub items: Option<Box<Property>>,
    /// Whether any key is allowed (a map).
    #[serde(default)]
    pub open: bool,
}

/// The schema `name` of the API `api` (`gmail`, `calendar`, ...).
///
/// Only `validate` needs these; the table is parsed on first use.
pub fn schema(api: &str, name: &str) -> Option<Schema> {
    type Index = HashMap<&'static str, HashMap<&'static str, &'static RawValue>>;
    static INDEX: OnceLock<Index> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        serde_json::from_str(SCHEMAS).expect("the build script writes a valid schema table")
    });
    let raw = index.get(api)?.get(name)?;
    Some(serde_json::from_str(raw.get()).expect("the build script writes valid schemas"))
}

/// Looks a method up by its Discovery id.
///
/// The table's index is built on first use; each method's description is parsed only when
/// it is looked up, so start-up pays for the methods the catalogue uses and no others.
pub fn method(id: &str) -> Option<Method> {
    static INDEX: OnceLock<HashMap<&'static str, &'static RawValue>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        serde_json::from_str(TABLE).expect("the build script writes a valid method table")
    });
    let raw = index.get(id)?;
    Some(serde_json::from_str(raw.get()).expect("the build script writes valid methods"))
}

/// The root URL of an API named like a Discovery document (`gmail.v1`), if the table has it.
pub fn api_root(api: &str) -> Option<String> {
    let name = api.split('.').next()?;
    let prefix = format!("{name}.");
    let id = method_ids()
        .into_iter()
        .find(|id| id.starts_with(&prefix))?;
    method(id).map(|m| m.root)
}

/// The ids of every method in the table, sorted.
pub fn method_ids() -> Vec<&'static str> {
    let index: HashMap<&'static str, &'static RawValue> =
        serde_json::from_str(TABLE).expect("the build script writes a valid method table");
    let mut ids: Vec<_> = index.into_keys().collect();
    ids.sort_unstable();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_message_list_resolves_with_its_path_and_query_parameters() {
        let method = method("gmail.users.messages.list").unwrap();

        assert_eq!(method.http, "GET");
        assert_eq!(method.root, "https://gmail.googleapis.com/");
        assert_eq!(method.path, "gmail/v1/users/{userId}/messages");
        assert_eq!(method.params["userId"].location, "path");
        assert_eq!(method.params["q"].location, "query");
        assert!(method.params["labelIds"].repeated);
        assert!(method.scopes.iter().any(|s| s.ends_with("/gmail.readonly")));
    }

    #[test]
    fn api_wide_parameters_are_accepted_by_every_method() {
        let method = method("calendar.events.list").unwrap();

        assert_eq!(method.service_path, "calendar/v3/");
        assert!(method.params.contains_key("fields"));
        assert!(method.params.contains_key("quotaUser"));
    }

    #[test]
    fn request_schemas_resolve_with_nested_references() {
        let method = method("calendar.events.insert").unwrap();
        let event = schema("calendar", method.request.as_deref().unwrap()).unwrap();

        assert_eq!(
            event.properties["start"].reference.as_deref(),
            Some("EventDateTime")
        );
        let attendees = event.properties["attendees"].items.as_ref().unwrap();
        assert_eq!(attendees.reference.as_deref(), Some("EventAttendee"));
        assert!(
            schema("calendar", "EventDateTime")
                .unwrap()
                .properties
                .contains_key("dateTime")
        );
    }

    #[test]
    fn an_unknown_method_id_is_absent() {
        assert!(method("gmail.users.messages.teleport").is_none());
    }
}
