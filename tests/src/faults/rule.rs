//! One fault rule: which requests it matches, when its turn comes, and what it does.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A fault to inject on matching Google requests, as `POST /_sandbox/faults` takes it.
///
/// A rule matches a request whose method equals `method` (any method when absent, case
/// ignored) and whose raw, still percent-encoded path starts with `path_prefix` (every path
/// when empty). It fires on every `every`th matching request (every one by default), at
/// most `times` times (no limit by default). When it fires it first waits `delay_ms`, then
/// drops the connection without a reply (`reset`), or answers `status` with Google's error
/// body for it (and `Retry-After` when `retry_after` is set), or, with neither, lets the
/// request through late.
///
/// ```json
/// {"path_prefix": "/gmail/v1/users/me/messages/", "method": "GET",
///  "status": 429, "retry_after": 1, "every": 5, "times": 3}
/// ```
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// The raw path prefix to match, e.g. `/gmail/v1/users/me/messages/`; empty matches all.
    #[serde(default)]
    pub path_prefix: String,
    /// The HTTP method to match, e.g. `GET`; `None` matches any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The error status to answer, 400 to 599.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Seconds to put in a `Retry-After` header of the error answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Milliseconds to wait before answering (or before dropping the connection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Drop the connection without any reply.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reset: bool,
    /// Fire on every Nth matching request only (1, the default, is every one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<u64>,
    /// Fire at most this many times; `None` for no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
}

/// What a fired rule does to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Action {
    /// How long to wait first.
    pub(crate) delay: Duration,
    /// Drop the connection instead of answering.
    pub(crate) reset: bool,
    /// Answer this error status instead of the real reply.
    pub(crate) status: Option<u16>,
    /// The `Retry-After` seconds to send with the error.
    pub(crate) retry_after: Option<u64>,
}

impl FaultRule {
    /// A rule answering `status` (e.g. 429, 500, 503) with Google's error body.
    pub fn status(status: u16) -> FaultRule {
        FaultRule {
            status: Some(status),
            ..FaultRule::default()
        }
    }

    /// A rule that replies normally but `delay_ms` late.
    pub fn delay(delay_ms: u64) -> FaultRule {
        FaultRule {
            delay_ms: Some(delay_ms),
            ..FaultRule::default()
        }
    }

    /// A rule that drops the connection without a reply.
    pub fn reset() -> FaultRule {
        FaultRule {
            reset: true,
            ..FaultRule::default()
        }
    }

    /// Limits the rule to `method` requests under `path_prefix`.
    pub fn on(mut self, method: &str, path_prefix: &str) -> FaultRule {
        self.method = Some(method.to_string());
        self.path_prefix = path_prefix.to_string();
        self
    }

    /// Sends `Retry-After: seconds` with the error.
    pub fn retry_after(mut self, seconds: u64) -> FaultRule {
        self.retry_after = Some(seconds);
        self
    }

    /// Fires on every `n`th matching request only.
    pub fn every(mut self, n: u64) -> FaultRule {
        self.every = Some(n);
        self
    }

    /// Fires at most `n` times.
    pub fn times(mut self, n: u64) -> FaultRule {
        self.times = Some(n);
        self
    }

    /// Checks that the rule does something and that its fields agree.
    pub fn check(&self) -> Result<(), String> {
        if self.status.is_none() && self.delay_ms.is_none() && !self.reset {
            return Err("a rule needs `status`, `delay_ms` or `reset`".into());
        }
        if let Some(status) = self.status
            && !(400..=599).contains(&status)
        {
            return Err(format!("`status` must be 400 to 599, not {status}"));
        }
        if self.reset && self.status.is_some() {
            return Err("`reset` drops the connection, so it cannot have a `status`".into());
        }
        if self.retry_after.is_some() && self.status.is_none() {
            return Err("`retry_after` needs a `status` to go with".into());
        }
        if self.every == Some(0) {
            return Err("`every` must be at least 1".into());
        }

        Ok(())
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let method_matches = self
            .method
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method));

        method_matches && path.starts_with(&self.path_prefix)
    }

    fn action(&self) -> Action {
        Action {
            delay: Duration::from_millis(self.delay_ms.unwrap_or(0)),
            reset: self.reset,
            status: self.status,
            retry_after: self.retry_after,
        }
    }
}

/// A rule in force, with its counters.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ActiveRule {
    /// The rule as given.
    #[serde(flatten)]
    pub(crate) rule: FaultRule,
    /// Matching requests seen so far.
    pub(crate) seen: u64,
    /// Times the rule fired so far.
    pub(crate) fired: u64,
}

impl ActiveRule {
    /// A rule with its counters at zero.
    pub(crate) fn new(rule: FaultRule) -> ActiveRule {
        ActiveRule {
            rule,
            seen: 0,
            fired: 0,
        }
    }

    fn due(&self) -> bool {
        let every = self.rule.every.unwrap_or(1).max(1);
        let left = self.rule.times.is_none_or(|times| self.fired < times);

        left && self.seen.is_multiple_of(every)
    }
}

/// Counts the request against every rule it matches and returns what the first rule whose
/// turn has come does; a rule whose turn came while an earlier rule fired does not fire.
pub(crate) fn decide(rules: &mut [ActiveRule], method: &str, path: &str) -> Option<Action> {
    let mut chosen = None;
    for active in rules.iter_mut() {
        if !active.rule.matches(method, path) {
            continue;
        }
        active.seen += 1;
        if chosen.is_none() && active.due() {
            active.fired += 1;
            chosen = Some(active.rule.action());
        }
    }

    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGES: &str = "/gmail/v1/users/me/messages/";

    fn active(rules: &[FaultRule]) -> Vec<ActiveRule> {
        rules.iter().cloned().map(ActiveRule::new).collect()
    }

    fn fired(rules: &mut [ActiveRule], method: &str, path: &str, count: usize) -> Vec<bool> {
        (0..count)
            .map(|_| decide(rules, method, path).is_some())
            .collect()
    }

    #[test]
    fn a_rule_matches_its_method_and_path_prefix_only() {
        let mut rules = active(&[FaultRule::status(429).on("GET", MESSAGES)]);

        assert!(decide(&mut rules, "get", "/gmail/v1/users/me/messages/m1").is_some());
        assert!(decide(&mut rules, "POST", "/gmail/v1/users/me/messages/m1").is_none());
        assert!(decide(&mut rules, "GET", "/gmail/v1/users/me/messages").is_none());
        assert!(decide(&mut rules, "GET", "/calendar/v3/users/me/calendarList").is_none());
    }

    #[test]
    fn a_rule_without_method_or_prefix_matches_everything() {
        let mut rules = active(&[FaultRule::status(503)]);

        assert!(decide(&mut rules, "DELETE", "/drive/v3/files/x").is_some());
        assert!(decide(&mut rules, "GET", "/").is_some());
    }

    #[test]
    fn every_fires_on_each_nth_match_and_times_caps_the_count() {
        let mut rules = active(&[FaultRule::status(429).every(3).times(2)]);

        let pattern = fired(&mut rules, "GET", "/x", 12);

        let expected = [false, false, true, false, false, true];
        assert_eq!(pattern[..6], expected);
        assert!(pattern[6..].iter().all(|fired| !fired));
        assert_eq!((rules[0].seen, rules[0].fired), (12, 2));
    }

    #[test]
    fn the_first_due_rule_decides_and_later_rules_still_count() {
        let mut rules = active(&[
            FaultRule::status(500).every(2),
            FaultRule::status(503).every(3),
        ]);

        let statuses: Vec<Option<u16>> = (0..6)
            .map(|_| decide(&mut rules, "GET", "/x").and_then(|a| a.status))
            .collect();

        assert_eq!(
            statuses,
            [None, Some(500), Some(503), Some(500), None, Some(500)]
        );
        assert_eq!((rules[1].seen, rules[1].fired), (6, 1));
    }

    #[test]
    fn a_fired_rule_carries_its_delay_reset_and_retry_after() {
        let mut slow = active(&[FaultRule::delay(2000)]);
        let mut limited = active(&[FaultRule::status(429).retry_after(1)]);
        let mut dropped = active(&[FaultRule::reset()]);

        let slow = decide(&mut slow, "GET", "/x").unwrap();
        let limited = decide(&mut limited, "GET", "/x").unwrap();
        let dropped = decide(&mut dropped, "GET", "/x").unwrap();

        assert_eq!((slow.delay, slow.status), (Duration::from_secs(2), None));
        assert_eq!((limited.status, limited.retry_after), (Some(429), Some(1)));
        assert!(dropped.reset && dropped.status.is_none());
    }

    #[test]
    fn a_rule_that_does_nothing_or_contradicts_itself_is_refused() {
        assert!(FaultRule::default().check().is_err());
        assert!(FaultRule::status(200).check().is_err());
        assert!(FaultRule::status(700).check().is_err());
        assert!(FaultRule::status(429).every(0).check().is_err());
        assert!(FaultRule::delay(5).retry_after(1).check().is_err());
        let reset_with_status = FaultRule {
            status: Some(500),
            ..FaultRule::reset()
        };
        assert!(reset_with_status.check().is_err());
        assert!(
            FaultRule::status(429)
                .retry_after(1)
                .every(5)
                .check()
                .is_ok()
        );
    }

    #[test]
    fn the_json_form_reads_as_documented_and_refuses_unknown_keys() {
        let rule: FaultRule = serde_json::from_str(
            r#"{"path_prefix": "/gmail/v1/users/me/messages/", "method": "GET",
                "status": 429, "retry_after": 1, "times": 3}"#,
        )
        .unwrap();

        assert_eq!(
            rule,
            FaultRule::status(429)
                .on("GET", MESSAGES)
                .retry_after(1)
                .times(3)
        );
        assert!(serde_json::from_str::<FaultRule>(r#"{"status": 429, "colour": 1}"#).is_err());
    }
}
