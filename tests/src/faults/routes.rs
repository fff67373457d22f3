//! The control routes: `POST`, `GET` and `DELETE /_sandbox/faults`.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::FaultRule;
use crate::state::AppState;

/// The body of `POST /_sandbox/faults`: one rule or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum NewRules {
    One(FaultRule),
    Many(Vec<FaultRule>),
}

/// `POST` adds rules (all or none), `GET` lists them with their counters, `DELETE` clears.
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/_sandbox/faults", get(list).post(add).delete(clear))
}

async fn add(
    State(state): State<Arc<AppState>>,
    body: Result<Json<NewRules>, JsonRejection>,
) -> Response {
    let rules = match body {
        Ok(Json(NewRules::One(rule))) => vec![rule],
        Ok(Json(NewRules::Many(rules))) => rules,
        Err(rejection) => return refuse(&rejection.body_text()),
    };
    if let Some(problem) = rules.iter().find_map(|rule| rule.check().err()) {
        return refuse(&problem);
    }

    for rule in rules {
        // Checked above, so adding cannot fail.
        let _ = state.faults.add(rule);
    }
    list(State(state)).await.into_response()
}

async fn list(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({ "rules": state.faults.rules() }))
}

async fn clear(State(state): State<Arc<AppState>>) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}

fn refuse(message: &str) -> Response {
    let body = json!({ "error": format!("not a fault rule: {message}") });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}
