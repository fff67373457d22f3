//! Compacts Google's Discovery documents in `schemas/discovery/` into a method table that the
//! engine embeds, so `serve` resolves method ids without reading 2.7 MB of JSON at start-up.
//!
//! The table is one JSON object: method id -> {http, root, service_path, path, params, scopes}.

use std::{env, fs, path::Path};

use serde_json::{Map, Value, json};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/discovery");
    println!("cargo::rerun-if-changed={}", dir.display());

    let mut table = Map::new();
    let mut schemas = Map::new();
    let mut names: Vec<_> = fs::read_dir(&dir)
        .expect("schemas/discovery must exist")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    names.sort();

    for path in names {
        println!("cargo::rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).expect("discovery document is readable");
        let doc: Value = serde_json::from_str(&text).expect("discovery document is JSON");
        let api = Api {
            root: doc["rootUrl"].as_str().unwrap_or_default(),
            service_path: doc["servicePath"].as_str().unwrap_or_default(),
            common: doc["parameters"].as_object(),
        };
        if let Some(resources) = doc["resources"].as_object() {
            collect_resources(&api, resources, &mut table);
        }
        if let Some(methods) = doc["methods"].as_object() {
            collect_methods(&api, methods, &mut table);
        }
        let name = doc["name"].as_str().unwrap_or_default().to_owned();
        let compact = doc["schemas"]
            .as_object()
            .map(|all| {
                all.iter()
                    .map(|(k, v)| (k.clone(), compact_schema(v)))
                    .collect()
            })
            .unwrap_or_default();
        schemas.insert(name, Value::Object(compact));
    }

    let out_dir = env::var("OUT_DIR").unwrap();
    let out = Path::new(&out_dir);
    fs::write(out.join("methods.json"), Value::Object(table).to_string())
        .expect("OUT_DIR is writable");
    fs::write(out.join("schemas.json"), Value::Object(schemas).to_string())
        .expect("OUT_DIR is writable");
}

struct Api<'a> {
    root: &'a str,
    service_path: &'a str,
    common: Option<&'a Map<String, Value>>,
}

fn collect_resources(api: &Api, resources: &Map<String, Value>, table: &mut Map<String, Value>) {
    for resource in resources.values() {
        if let Some(methods) = resource["methods"].as_object() {
            collect_methods(api, methods, table);
        }
        if let Some(nested) = resource["resources"].as_object() {
            collect_resources(api, nested, table);
        }
    }
}

fn collect_methods(api: &Api, methods: &Map<String, Value>, table: &mut Map<String, Value>) {
    for method in methods.values() {
        let Some(id) = method["id"].as_str() else {
            continue;
        };

        let mut params = Map::new();
        let own = method["parameters"].as_object().into_iter().flatten();
        let common = api.common.into_iter().flatten();
        for (name, spec) in own.chain(common) {
            params
                .entry(name.clone())
                .or_insert_with(|| compact_param(spec));
        }

        let entry = json!({
            "http": method["httpMethod"],
            "root": api.root,
            "service_path": api.service_path,
            "path": method["path"],
            "params": params,
            "scopes": method.get("scopes").cloned().unwrap_or(json!([])),
            "request": method["request"]["$ref"],
            "media_upload": method.get("supportsMediaUpload").is_some(),
        });
        table.insert(id.to_owned(), entry);
    }
}

/// A request schema reduced to what body checks need: each property's type, `$ref`, item
/// type or `$ref`, and whether the object is an open map (`additionalProperties`).
fn compact_schema(schema: &Value) -> Value {
    let mut properties = Map::new();
    for (name, spec) in schema["properties"].as_object().into_iter().flatten() {
        properties.insert(name.clone(), compact_property(spec));
    }
    json!({"properties": properties, "open": schema.get("additionalProperties").is_some()})
}

fn compact_property(spec: &Value) -> Value {
    let mut out = Map::new();
    for key in ["type", "$ref", "enum"] {
        if let Some(value) = spec.get(key) {
            out.insert(key.trim_start_matches('$').to_owned(), value.clone());
        }
    }
    if let Some(items) = spec.get("items") {
        out.insert("items".to_owned(), compact_property(items));
    }
    if spec.get("additionalProperties").is_some() {
        out.insert("open".to_owned(), json!(true));
    }
    Value::Object(out)
}

fn compact_param(spec: &Value) -> Value {
    let mut out = Map::new();
    for key in [
        "location", "type", "required", "repeated", "enum", "default", "format",
    ] {
        if let Some(value) = spec.get(key) {
            out.insert(key.to_owned(), value.clone());
        }
    }
    Value::Object(out)
}
