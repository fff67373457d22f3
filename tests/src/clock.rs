//! The sandbox's notion of "now".

use chrono::{DateTime, TimeZone, Utc};

/// Where the sandbox takes the current time from.
///
/// The default, [`Clock::System`], follows the machine's clock so the demo looks live.
/// [`Clock::Fixed`] pins "now" to one instant, which makes every date in the seed data
/// and every relative query (`newer_than:7d`) fully reproducible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// The machine's clock.
    #[default]
    System,
    /// A frozen instant, in seconds since the Unix epoch.
    Fixed(i64),
}

impl Clock {
    /// A clock frozen at an RFC 3339 instant such as `2026-05-12T09:00:00Z`.
    pub fn fixed_at(rfc3339: &str) -> Result<Clock, String> {
        DateTime::parse_from_rfc3339(rfc3339)
            .map(|instant| Clock::Fixed(instant.timestamp()))
            .map_err(|err| format!("not an RFC 3339 instant: {rfc3339} ({err})"))
    }

    /// The current instant according to this clock.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(seconds) => Utc.timestamp_opt(*seconds, 0).single().unwrap_or_default(),
        }
    }

    /// The UTC midnight that starts the current day: the anchor of all relative seed dates.
    pub(crate) fn base(&self) -> DateTime<Utc> {
        let today = self.now().date_naive();
        today.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_reports_its_instant_and_the_midnight_before_it() {
        let clock = Clock::fixed_at("2026-05-12T09:30:00+02:00").unwrap();

        assert_eq!(clock.now().to_rfc3339(), "2026-05-12T07:30:00+00:00");
        assert_eq!(clock.base().to_rfc3339(), "2026-05-12T00:00:00+00:00");
    }

    #[test]
    fn a_fixed_clock_rejects_text_that_is_not_rfc3339() {
        assert!(Clock::fixed_at("next tuesday").is_err());
    }
}
