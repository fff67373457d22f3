//! `GET /o/oauth2/v2/auth`: check the request, approve at once, redirect with a code.
//!
//! Errors follow Google: an unknown client or a redirect URI the client does not accept get
//! an error page (400), since redirecting there could leak the code; every later problem is
//! reported to the redirect URI as `error=...&state=...`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use super::event::OAuthEvent;
use super::form::Params;
use super::pkce::{self, Challenge, Method};
use super::reply::{error_page, redirect};
use super::scopes;
use super::store::{Code, OAuth};
use super::user::User;
use super::{random, reply};
use crate::seed::USER_EMAIL;
use crate::state::AppState;

/// Why the request was not approved.
enum Failure {
    /// Shown as a page: the redirect URI cannot be trusted.
    Page(u16, &'static str, String),
    /// Sent back to the redirect URI.
    Redirect(&'static str, String),
}

/// Handles one authorization request.
pub(crate) async fn handle(State(state): State<Arc<AppState>>, uri: Uri) -> Response {
    let params = Params::query(&uri);
    let mut event = OAuthEvent {
        endpoint: "authorize".into(),
        client_id: params.get("client_id").map(str::to_string),
        redirect_uri: params.get("redirect_uri").map(str::to_string),
        access_type: params.get("access_type").map(str::to_string),
        prompt: params.get("prompt").map(str::to_string),
        login_hint: params.get("login_hint").map(str::to_string),
        code_challenge_method: params.get("code_challenge").map(|_| {
            params
                .get("code_challenge_method")
                .unwrap_or("plain")
                .to_string()
        }),
        scopes: params
            .get("scope")
            .map(|text| text.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
        ..OAuthEvent::default()
    };

    let outcome = approve(&state.oauth, &params, &mut event);
    event.outcome = match &outcome {
        Ok(_) => "ok".into(),
        Err(Failure::Page(_, error, _) | Failure::Redirect(error, _)) => error.to_string(),
    };
    state.oauth.record(event);

    match outcome {
        Ok(location) => redirect(&location),
        Err(Failure::Page(shown, error, description)) => error_page(shown, error, &description),
        Err(Failure::Redirect(error, description)) => {
            let redirect_uri = params.get("redirect_uri").unwrap_or_default();
            let mut query = form_urlencoded::Serializer::new(String::new());
            query.append_pair("error", error);
            if !description.is_empty() {
                query.append_pair("error_description", &description);
            }
            if let Some(state) = params.get("state") {
                query.append_pair("state", state);
            }
            reply::redirect(&join(redirect_uri, &query.finish()))
        }
    }
}

/// Checks the request in Google's order and issues a code; the `Ok` is the redirect target.
fn approve(oauth: &OAuth, params: &Params, event: &mut OAuthEvent) -> Result<String, Failure> {
    let client_id = params
        .get("client_id")
        .ok_or_else(|| missing_page("client_id"))?;
    let client = oauth
        .lock()
        .clients
        .get(client_id)
        .cloned()
        .ok_or(Failure::Page(
            401,
            "invalid_client",
            "The OAuth client was not found.".into(),
        ))?;
    let redirect_uri = params
        .get("redirect_uri")
        .ok_or_else(|| missing_page("redirect_uri"))?;
    if !client.accepts_redirect(redirect_uri) {
        let text = format!("redirect_uri={redirect_uri} is not registered for this client.");
        return Err(Failure::Page(400, "redirect_uri_mismatch", text));
    }

    let request = read(params)?;
    let user = User::for_email(
        params
            .get("_sandbox_user")
            .or(params.get("login_hint"))
            .filter(|hint| hint.contains('@'))
            .unwrap_or(USER_EMAIL),
    );
    event.user = Some(user.email.clone());
    if matches!(params.get("_sandbox_deny"), Some("1" | "true")) {
        return Err(Failure::Redirect("access_denied", String::new()));
    }

    let mut store = oauth.lock();
    let key = (client_id.to_string(), user.email.clone());
    let before = store.consents.get(&key).cloned().unwrap_or_default();
    if request.prompt_none && !request.scopes.iter().all(|s| before.contains(s)) {
        return Err(Failure::Redirect("consent_required", String::new()));
    }
    let granted = if request.include_granted {
        scopes::union(&before, &request.scopes)
    } else {
        request.scopes.clone()
    };
    store
        .consents
        .insert(key, scopes::union(&before, &request.scopes));
    event.scopes.clone_from(&granted);

    let code = random::token("4/0sandbox-");
    store.codes.insert(
        code.clone(),
        Code {
            client_id: client_id.to_string(),
            redirect_uri: redirect_uri.to_string(),
            scopes: granted.clone(),
            user,
            challenge: request.challenge,
            offline: request.offline,
            consent: request.consent,
            redeemed: false,
        },
    );

    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(state) = params.get("state") {
        query.append_pair("state", state);
    }
    query
        .append_pair("code", &code)
        .append_pair("scope", &granted.join(" "))
        .append_pair("authuser", "0")
        .append_pair(
            "prompt",
            if request.prompt_none {
                "none"
            } else {
                "consent"
            },
        );
    Ok(join(redirect_uri, &query.finish()))
}

/// The checked parameters of a request whose client and redirect URI are good.
struct Request {
    scopes: Vec<String>,
    challenge: Option<Challenge>,
    offline: bool,
    consent: bool,
    prompt_none: bool,
    include_granted: bool,
}

fn read(params: &Params) -> Result<Request, Failure> {
    let bad = |text: &str| Failure::Redirect("invalid_request", text.to_string());
    match params.get("response_type") {
        None => return Err(bad("Required parameter is missing: response_type")),
        Some("code") => {}
        Some(_) => {
            return Err(Failure::Redirect(
                "unsupported_response_type",
                String::new(),
            ));
        }
    }

    let scope = params
        .get("scope")
        .ok_or_else(|| bad("Missing required parameter: scope"))?;
    let scopes = scopes::parse(scope).map_err(|unknown| {
        let text = format!("Some requested scopes were invalid. {{invalid={unknown:?}}}");
        Failure::Redirect("invalid_scope", text)
    })?;
    if scopes.is_empty() {
        return Err(bad("Missing required parameter: scope"));
    }

    let method = params.get("code_challenge_method");
    let challenge = match params.get("code_challenge") {
        None if method.is_some() => return Err(bad("Missing required parameter: code_challenge")),
        None => None,
        Some(value) => {
            let method =
                Method::parse(method).ok_or_else(|| bad("Invalid code_challenge_method"))?;
            if !pkce::well_formed(value) || (method == Method::S256 && value.len() != 43) {
                return Err(bad("Invalid code_challenge"));
            }
            Some(Challenge {
                method,
                value: value.to_string(),
            })
        }
    };

    let offline = match params.get("access_type") {
        None | Some("online") => false,
        Some("offline") => true,
        Some(other) => return Err(bad(&format!("Invalid access_type: {other}"))),
    };
    let prompts: Vec<&str> = params.get("prompt").unwrap_or("").split(' ').collect();
    let known = ["", "none", "consent", "select_account"];
    if prompts.iter().any(|p| !known.contains(p))
        || (prompts.contains(&"none") && prompts.iter().any(|p| !["", "none"].contains(p)))
    {
        return Err(bad("Invalid prompt"));
    }

    Ok(Request {
        scopes,
        challenge,
        offline,
        consent: prompts.contains(&"consent"),
        prompt_none: prompts.contains(&"none"),
        include_granted: params.get("include_granted_scopes") == Some("true"),
    })
}

fn missing_page(name: &str) -> Failure {
    Failure::Page(
        400,
        "invalid_request",
        format!("Missing required parameter: {name}"),
    )
}

/// `uri` with `query` appended after `?` or `&`.
fn join(uri: &str, query: &str) -> String {
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{query}")
}
