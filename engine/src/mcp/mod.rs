//! MCP over streamable HTTP, and the plain HTTP routes beside it.

mod api_key;
mod handler;
mod hosts;
mod protocol;
mod routes;
mod sign_in;

pub use handler::{CallerHeaders, Handler, listed_tools};
pub use hosts::AllowedHosts;
pub use routes::{Settings, router};
