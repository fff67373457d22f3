//! gws-engine: Google Workspace for AI agents, as a declarative MCP tool engine.
//!
//! Every tool is data in a YAML catalogue; this crate is the one engine that serves them all.
//! A tool call passes through the modules in this order:
//!
//! 1. [`catalogue`] compiled the YAML at start-up: arguments into validators, templates into
//!    the [`render`] environment, JSONPaths into queries, Discovery ids ([`discovery`]) into
//!    endpoints. A call looks its tool up and checks its arguments here.
//! 2. [`call`] runs the tool's steps: each renders its request from the arguments and the
//!    earlier replies, [`auth`] picks the caller's Google token, and [`google`] sends it.
//! 3. [`shape`] turns the replies into structured content and the text the model reads.
//! 4. [`mcp`] speaks MCP over streamable HTTP around all of this, and [`config`] holds the
//!    settings every stage reads.

#![warn(missing_docs)]

pub mod auth;
pub mod call;
pub mod catalogue;
pub mod config;
pub mod discovery;
pub mod google;
pub mod mcp;
pub mod render;
pub mod shape;
