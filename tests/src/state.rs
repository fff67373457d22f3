//! The state every request handler shares.

use std::sync::{Mutex, MutexGuard};

use crate::calendar::Calendars;
use crate::clock::Clock;
use crate::drive::Drive;
use crate::faults::Faults;
use crate::gmail::Mailbox;
use crate::oauth::OAuth;
use crate::record::Recorder;

/// The seeded services, the clock and the request log.
pub(crate) struct AppState {
    /// Where "now" comes from.
    pub(crate) clock: Clock,
    /// Every request that reached a Google route.
    pub(crate) recorder: Recorder,
    /// The user's mailbox.
    pub(crate) gmail: Mutex<Mailbox>,
    /// The user's calendars and their events.
    pub(crate) calendar: Mutex<Calendars>,
    /// The user's Drive, read-only.
    pub(crate) drive: Drive,
    /// The injected latency and failures.
    pub(crate) faults: Faults,
    /// OAuth clients, codes and tokens, and the strict-token switch.
    pub(crate) oauth: OAuth,
}

impl AppState {
    /// Seeds every service relative to the clock's current day.
    pub(crate) fn seeded(clock: Clock) -> AppState {
        let base = clock.base();

        AppState {
            clock,
            recorder: Recorder::default(),
            gmail: Mutex::new(Mailbox::seeded(base)),
            calendar: Mutex::new(Calendars::seeded(base)),
            drive: Drive::seeded(base),
            faults: Faults::default(),
            oauth: OAuth::seeded(),
        }
    }
}

/// Locks a service; a handler that panicked cannot leave a service half-updated, so a
/// poisoned lock is still usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
