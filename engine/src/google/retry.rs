//! When to try a Google request again, and how long to wait first.
//!
//! Reads retry on rate limits (429, or 403 with a rate-limit reason), on 5xx and on transport
//! failures, with exponential backoff and full jitter, honouring `Retry-After`. A write is
//! retried only when Google cannot have acted on it: a rate-limit refusal, or a connection
//! that was never made. A write that timed out or met a 5xx may have taken effect, so it is
//! never repeated blindly; the error says so instead.

use std::{
    hash::{BuildHasher, RandomState},
    time::Duration,
};

use super::error::CallError;

/// How many times, and how patiently, to try a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// The first backoff ceiling; it doubles each try.
    pub base: Duration,
    /// The largest wait between tries.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    /// Four tries, waits up to 0.5 s, 1 s, 2 s (each a random share of that), at most 8 s.
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(8),
        }
    }
}

/// What to do after a failed try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Try again, after at least the wait Google asked for, if it asked.
    Retry {
        /// Google's `Retry-After`, when given.
        advised: Option<Duration>,
    },
    /// Give up and report the error.
    Stop,
}

/// Whether the failure of a request (a read when `read`) may be retried.
pub fn verdict(read: bool, error: &CallError) -> Verdict {
    match error {
        CallError::Google(google) => {
            let reason = google.reason.as_deref().unwrap_or_default();
            let rate_limited = google.status == 429
                || (google.status == 403
                    && matches!(reason, "rateLimitExceeded" | "userRateLimitExceeded"));
            let transient = matches!(google.status, 500 | 502 | 503 | 504);
            if rate_limited || (read && transient) {
                Verdict::Retry {
                    advised: google.retry_after.map(Duration::from_secs),
                }
            } else {
                Verdict::Stop
            }
        }
        CallError::Timeout { .. } if read => Verdict::Retry { advised: None },
        CallError::Transport { never_sent, .. } if read || *never_sent => {
            Verdict::Retry { advised: None }
        }
        _ => Verdict::Stop,
    }
}

/// The wait before try `attempt` (1 for the first retry): a random share of the backoff
/// ceiling (full jitter), or Google's `Retry-After` when that is longer.
pub fn delay(
    policy: &RetryPolicy,
    attempt: u32,
    advised: Option<Duration>,
    random: u64,
) -> Duration {
    let ceiling = policy
        .base
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(policy.cap);
    let jittered = ceiling.mul_f64((random % 1_000_001) as f64 / 1_000_000.0);
    match advised {
        Some(advised) => advised.max(jittered).min(policy.cap.max(advised)),
        None => jittered,
    }
}

/// A random number for jitter, without a random-number crate.
pub fn random() -> u64 {
    RandomState::new().hash_one(std::time::Instant::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::google::GoogleError;

    fn google(status: u16, reason: &str) -> CallError {
        CallError::Google(GoogleError {
            status,
            reason: Some(reason.into()),
            message: "x".into(),
            method: "m".into(),
            retry_after: (status == 429).then_some(2),
            write: false,
        })
    }

    #[test]
    fn rate_limits_are_retried_for_reads_and_writes_with_the_advised_wait() {
        let advised = Some(Duration::from_secs(2));
        assert_eq!(
            verdict(true, &google(429, "rateLimitExceeded")),
            Verdict::Retry { advised }
        );
        assert_eq!(
            verdict(false, &google(429, "rateLimitExceeded")),
            Verdict::Retry { advised }
        );
        assert!(matches!(
            verdict(false, &google(403, "userRateLimitExceeded")),
            Verdict::Retry { .. }
        ));
    }

    #[test]
    fn server_errors_are_retried_for_reads_only() {
        assert!(matches!(
            verdict(true, &google(503, "backendError")),
            Verdict::Retry { .. }
        ));
        assert_eq!(verdict(false, &google(503, "backendError")), Verdict::Stop);
        assert_eq!(verdict(false, &google(500, "internalError")), Verdict::Stop);
    }

    #[test]
    fn client_errors_are_never_retried() {
        for (status, reason) in [
            (400, "badRequest"),
            (401, "authError"),
            (403, "insufficientPermissions"),
            (404, "notFound"),
        ] {
            assert_eq!(
                verdict(true, &google(status, reason)),
                Verdict::Stop,
                "{status}"
            );
        }
    }

    #[test]
    fn a_write_that_timed_out_is_not_repeated_but_one_never_sent_is() {
        let timeout = CallError::Timeout {
            method: "m".into(),
            seconds: 15,
            write: true,
        };
        let refused = |never_sent| CallError::Transport {
            method: "m".into(),
            message: "x".into(),
            write: true,
            never_sent,
        };
        assert_eq!(verdict(false, &timeout), Verdict::Stop);
        assert_eq!(verdict(false, &refused(false)), Verdict::Stop);
        assert!(matches!(
            verdict(false, &refused(true)),
            Verdict::Retry { .. }
        ));
        assert!(matches!(verdict(true, &timeout), Verdict::Retry { .. }));
    }

    #[test]
    fn backoff_grows_with_full_jitter_and_respects_the_cap_and_retry_after() {
        let policy = RetryPolicy::default();
        let top = 1_000_000;
        assert_eq!(delay(&policy, 1, None, top), Duration::from_millis(500));
        assert_eq!(delay(&policy, 3, None, top), Duration::from_secs(2));
        assert_eq!(delay(&policy, 10, None, top), Duration::from_secs(8));
        assert_eq!(delay(&policy, 1, None, 0), Duration::ZERO);
        assert_eq!(
            delay(&policy, 1, Some(Duration::from_secs(2)), 0),
            Duration::from_secs(2)
        );
    }
}
