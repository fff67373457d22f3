//! Fault injection: a global added latency and rules that make Google routes fail.
//!
//! The engine has to cope with what Google does under load: 429 and 403 rate limits with
//! `Retry-After`, 500 and 503 backend errors, replies slower than its timeout, and
//! connections dropped mid-request. Tests and the bench switch these on with
//! [`Sandbox::add_fault`](crate::Sandbox::add_fault) or `POST /_sandbox/faults`, and add a
//! steady upstream latency with `--delay-ms` or [`Sandbox::set_delay`](crate::Sandbox::set_delay).
//! Every Google request passes [`Faults::intercept`] after it is recorded, so a faulted
//! request still shows in [`Sandbox::requests`](crate::Sandbox::requests).

mod reply;
mod routes;
mod rule;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use axum::response::Response;

pub(crate) use routes::routes;
pub use rule::FaultRule;
use rule::{ActiveRule, decide};

/// The faults in force: shared by every request, changed by the control routes.
#[derive(Default)]
pub(crate) struct Faults {
    /// Milliseconds added before every Google reply.
    delay_ms: AtomicU64,
    /// The rules, in the order they were added.
    rules: Mutex<Vec<ActiveRule>>,
}

impl Faults {
    /// Adds `delay` before every Google reply from now on (zero turns it off).
    pub(crate) fn set_delay(&self, delay: Duration) {
        let millis = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.delay_ms.store(millis, Ordering::Relaxed);
    }

    /// Adds a rule after the others, or says why it is refused.
    pub(crate) fn add(&self, rule: FaultRule) -> Result<(), String> {
        rule.check()?;
        self.lock().push(ActiveRule::new(rule));
        Ok(())
    }

    /// Removes every rule; the global delay stays.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    /// The rules in force with their counters.
    pub(crate) fn rules(&self) -> Vec<ActiveRule> {
        self.lock().clone()
    }

    /// Waits the global delay, then applies the first rule whose turn has come: `Some`
    /// answer replaces the real one, `None` lets the request through.
    pub(crate) async fn intercept(&self, method: &str, path: &str) -> Option<Response> {
        let delay = self.delay_ms.load(Ordering::Relaxed);
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }

        let action = decide(&mut self.lock(), method, path)?;
        if !action.delay.is_zero() {
            tokio::time::sleep(action.delay).await;
        }
        tracing::debug!(method, path, ?action, "injected fault");

        if action.reset {
            return Some(reply::reset());
        }
        action
            .status
            .map(|status| reply::error(status, action.retry_after, path))
    }

    fn lock(&self) -> MutexGuard<'_, Vec<ActiveRule>> {
        // Rule counters cannot be left half-updated by a panic, so a poisoned lock is fine.
        self.rules
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
