//! `/oauth2callback`: where Google sends the user back after consent.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;

use super::Handler;

/// The callback's query.
#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Finishes the sign-in and shows a short page saying how it went.
pub async fn callback(State(handler): State<Handler>, Query(query): Query<Callback>) -> Response {
    let Some(accounts) = handler.engine().auth().accounts() else {
        return page(
            StatusCode::NOT_FOUND,
            "Sign-in is not enabled",
            "This server does not use OAuth sign-in.",
        );
    };
    if let Some(error) = query.error {
        let text = format!(
            "Google did not grant access ({}). You can close this window and try again.",
            escape(&error)
        );
        return page(StatusCode::BAD_REQUEST, "Sign-in not completed", &text);
    }
    let (Some(code), Some(state)) = (query.code, query.state) else {
        return page(
            StatusCode::BAD_REQUEST,
            "Sign-in not completed",
            "The link is missing its code or state.",
        );
    };
    match accounts.complete(&state, &code).await {
        Ok(account) => {
            let text = format!(
                "Signed in as {}. You can close this window and return to your assistant.",
                escape(&account)
            );
            page(StatusCode::OK, "Signed in", &text)
        }
        Err(error) => page(
            StatusCode::BAD_REQUEST,
            "Sign-in not completed",
            &escape(&error.to_string()),
        ),
    }
}

fn page(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:sans-serif;max-width:36em;margin:4em auto\"><h1>{title}</h1><p>{text}</p></body></html>"
    );
    (status, Html(body)).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
