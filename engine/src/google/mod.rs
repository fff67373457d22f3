//! Talking to Google: building URLs, sending requests with the caller's credential, and
//! reading Google's replies and errors.

mod auth;
mod client;
mod error;
mod retry;
mod url;

pub use auth::{Credentials, TokenError};
pub use client::{Google, Request};
pub use error::{CallError, GoogleError};
pub use retry::RetryPolicy;
pub use url::expand_path;
