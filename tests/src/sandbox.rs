//! The public handle: start the sandbox, find its URL, read what it received.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::faults::{self, FaultRule};
use crate::oauth::{self, OAuthClient, OAuthEvent};
use crate::record::RecordedRequest;
use crate::router;
use crate::state::AppState;

/// A running Google sandbox bound to `127.0.0.1`.
///
/// Dropping the handle stops the server at once; [`Sandbox::shutdown`] stops it gracefully.
pub struct Sandbox {
    address: SocketAddr,
    state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Sandbox {
    /// Binds `127.0.0.1:port` (0 picks a free port), seeds the data against the system
    /// clock and serves in a tokio task.
    pub async fn start(port: u16) -> std::io::Result<Sandbox> {
        Sandbox::start_with_clock(port, Clock::System).await
    }

    /// Like [`Sandbox::start`], with the given clock deciding "now" and the seed dates.
    pub async fn start_with_clock(port: u16, clock: Clock) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let address = listener.local_addr()?;
        let state = Arc::new(AppState::seeded(clock));

        let (stop, stopped) = oneshot::channel::<()>();
        let app = app(Arc::clone(&state));
        let task = tokio::spawn(async move {
            let serving = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(err) = serving.await {
                tracing::error!(error = %err, "sandbox server stopped");
            }
        });
        tracing::info!(%address, "sandbox listening");

        Ok(Sandbox {
            address,
            state,
            stop: Some(stop),
            task,
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:8100`, with no trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The bound socket address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Every request that reached a Google route so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.recorder.all()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.state.recorder.clear();
    }

    /// Adds `delay` before every Google reply from now on, like Google's own latency
    /// (`Duration::ZERO` turns it off).
    pub fn set_delay(&self, delay: Duration) {
        self.state.faults.set_delay(delay);
    }

    /// Adds a fault rule after the ones in force; an inconsistent rule is refused with the
    /// reason. See [`FaultRule`] for how rules match and fire.
    pub fn add_fault(&self, rule: FaultRule) -> Result<(), String> {
        self.state.faults.add(rule)
    }

    /// Removes every fault rule; the delay set by [`Sandbox::set_delay`] stays.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// Strict tokens: the Google routes then accept only live access tokens from the token
    /// endpoint and [`oauth::STATIC_TOKEN`]; any other bearer gets Google's 401. Off by
    /// default, when any non-empty bearer passes except an issued one that expired or was
    /// revoked.
    pub fn set_strict_tokens(&self, strict: bool) {
        self.state.oauth.set_strict(strict);
    }

    /// Every request the OAuth endpoints received, oldest first.
    pub fn oauth_log(&self) -> Vec<OAuthEvent> {
        self.state.oauth.events()
    }

    /// Registers another OAuth client besides [`oauth::CLIENT_ID`], or replaces one.
    pub fn add_oauth_client(&self, client: OAuthClient) {
        self.state.oauth.add_client(client);
    }

    /// Registers a service account from its key file (Google's JSON layout), so the
    /// signatures of its `jwt-bearer` assertions are verified; returns its `client_email`.
    pub fn add_service_account_key(&self, key_file: &str) -> Result<String, String> {
        self.state.oauth.add_service_account_key(key_file)
    }

    /// Makes a refresh token unusable, as when it expires; false if it was never issued.
    pub fn expire_refresh_token(&self, token: &str) -> bool {
        self.state.oauth.expire_refresh_token(token)
    }

    /// Makes an access token expired, as if its hour had passed; false if never issued.
    pub fn expire_access_token(&self, token: &str) -> bool {
        self.state.oauth.expire_access_token(token)
    }

    /// The scopes of a live access token issued by the token endpoint.
    pub fn token_scopes(&self, token: &str) -> Option<Vec<String>> {
        self.state.oauth.token_scopes(token)
    }

    /// Stops accepting connections, lets open requests finish, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The sandbox's own routes, then every other path as a Google route.
fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route(
            "/_sandbox/requests",
            get(list_requests).delete(clear_requests),
        )
        .route("/_sandbox/health", get(|| async { "ok" }))
        .merge(faults::routes())
        .merge(oauth::routes())
        .fallback(router::google)
        .with_state(state)
}

async fn list_requests(State(state): State<Arc<AppState>>) -> axum::Json<Vec<RecordedRequest>> {
    axum::Json(state.recorder.all())
}

async fn clear_requests(State(state): State<Arc<AppState>>) -> axum::http::StatusCode {
    state.recorder.clear();
    axum::http::StatusCode::NO_CONTENT
}
