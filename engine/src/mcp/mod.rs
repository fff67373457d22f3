//! MCP over streamable HTTP, and the plain HTTP routes beside it.

mod handler;
mod hosts;
mod routes;

pub use handler::{Handler, listed_tools};
pub use hosts::AllowedHosts;
pub use routes::{Settings, router};
