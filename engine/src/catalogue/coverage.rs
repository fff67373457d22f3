//! Which Discovery methods the catalogue reaches, per API.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Catalogue;
use crate::discovery;

/// One API's coverage.
#[derive(Clone, Debug, Serialize)]
pub struct ApiCoverage {
    /// The API (`gmail`, `calendar`, ...).
    pub api: String,
    /// How many methods its Discovery document describes.
    pub methods: usize,
    /// The method ids some tool calls, sorted.
    pub reached: Vec<String>,
}

/// Coverage of every API in `schemas/discovery`, by API name.
pub fn coverage(catalogue: &Catalogue) -> Vec<ApiCoverage> {
    let mut apis: BTreeMap<String, ApiCoverage> = BTreeMap::new();
    for id in discovery::method_ids() {
        let api = id.split('.').next().unwrap_or_default().to_owned();
        apis.entry(api.clone())
            .or_insert_with(|| ApiCoverage {
                api,
                methods: 0,
                reached: Vec::new(),
            })
            .methods += 1;
    }
    for tool in catalogue.tools() {
        for step in &tool.steps {
            let Some(id) = step.endpoint.method_id.as_deref() else {
                continue;
            };
            let api = id.split('.').next().unwrap_or_default();
            if let Some(entry) = apis.get_mut(api)
                && !entry.reached.iter().any(|r| r == id)
            {
                entry.reached.push(id.to_owned());
            }
        }
    }
    let mut out: Vec<ApiCoverage> = apis.into_values().collect();
    out.iter_mut().for_each(|api| api.reached.sort());
    out
}
