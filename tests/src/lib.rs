//! A local stand-in for the Google Workspace REST APIs that gws-engine calls.
//!
//! The sandbox answers Gmail, Calendar and Drive requests on `127.0.0.1`, under the same
//! paths as Google (`/gmail/v1/...`, `/calendar/v3/...`, `/drive/v3/...`), from seeded,
//! real-shaped data. Tests and the demo point the engine at [`Sandbox::url`] instead of
//! Google and read back what the engine sent with [`Sandbox::requests`].
//!
//! How a request flows through the crate:
//!
//! - [`sandbox`](crate::Sandbox) binds the listener and owns the shared state;
//! - `router` records the request, splits and decodes the path, resolves the endpoint,
//!   checks the bearer token and hands over to a service;
//! - `gmail`, `calendar` and `drive` each hold their seed data, their query language and
//!   their handlers; they answer JSON or a Google-shaped `error`;
//! - `error`, `paging`, `time` and `clock` are the small pieces the services share;
//! - `faults` injects latency and Google's failures (429, 5xx, slow replies, resets)
//!   into the Google routes, for tests and the bench;
//! - [`oauth`] emulates Google's sign-in, token, revoke and userinfo endpoints and checks
//!   the bearer tokens of the Google routes (strict mode accepts only issued ones).
//!
//! Time: the sandbox's "now" comes from a [`Clock`]. Seed data is laid out relative to a
//! base, the UTC midnight that starts the clock's current day when the sandbox starts, so
//! the demo always looks live while the relative layout (what is "3 days ago", what is
//! "next week") stays the same from run to run. A few fixtures taken from CASES.md keep
//! the fixed dates the cases give. See [`seed`] for the ids tests can rely on.

#![warn(missing_docs)]

mod calendar;
mod clock;
mod drive;
mod error;
mod faults;
mod fixtures;
mod gmail;
pub mod oauth;
mod paging;
mod record;
mod request;
mod router;
mod sandbox;
pub mod seed;
mod state;
mod time;

pub use clock::Clock;
pub use faults::FaultRule;
pub use record::RecordedRequest;
pub use sandbox::Sandbox;
