//! Expanding `RRULE`s into occurrence start times.
//!
//! Supported: `FREQ=DAILY|WEEKLY|MONTHLY|YEARLY`, `INTERVAL`, `COUNT`, `UNTIL`, and
//! `BYDAY` for weekly rules (plain weekday codes), plus `EXDATE` lines. Other parts
//! (`BYMONTHDAY`, `BYSETPOS`, numbered `BYDAY` such as `2MO`) are not emulated: such a
//! rule expands as if the part were absent.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, Utc, Weekday};

/// How a rule repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// A parsed recurrence: the first `RRULE` and every `EXDATE`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Recurrence {
    pub(crate) frequency: Frequency,
    pub(crate) interval: u32,
    pub(crate) count: Option<u32>,
    pub(crate) until: Option<Until>,
    pub(crate) by_day: Vec<Weekday>,
    pub(crate) exceptions: Vec<NaiveDateTime>,
}

/// The `UNTIL` bound: a UTC instant, or a local date that is included whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Until {
    Instant(DateTime<Utc>),
    Day(NaiveDate),
}

/// Safety valve: at most this many candidate steps per expansion.
const MAX_STEPS: usize = 20_000;

impl Recurrence {
    /// Parses the `recurrence` lines of an event; `None` if there is no valid `RRULE`.
    pub(crate) fn parse(lines: &[&str]) -> Option<Recurrence> {
        let rule = lines.iter().find_map(|line| line.strip_prefix("RRULE:"))?;
        let mut recurrence = Recurrence {
            frequency: Frequency::Daily,
            interval: 1,
            count: None,
            until: None,
            by_day: Vec::new(),
            exceptions: exceptions(lines),
        };
        let mut frequency = None;

        for part in rule.split(';') {
            let (key, value) = part.split_once('=')?;
            match key.to_ascii_uppercase().as_str() {
                "FREQ" => frequency = Some(parse_frequency(value)?),
                "INTERVAL" => recurrence.interval = value.parse().ok().filter(|n| *n > 0)?,
                "COUNT" => recurrence.count = Some(value.parse().ok()?),
                "UNTIL" => recurrence.until = Some(parse_until(value)?),
                "BYDAY" => recurrence.by_day = value.split(',').filter_map(weekday).collect(),
                _ => {}
            }
        }

        recurrence.frequency = frequency?;
        Some(recurrence)
    }

    /// Local start times from `first` on, in order, while `resolve(start)` (the instant
    /// of a local start) is before `stop`, within `COUNT` and `UNTIL`, minus `EXDATE`s.
    pub(crate) fn starts(
        &self,
        first: NaiveDateTime,
        stop: DateTime<Utc>,
        resolve: &dyn Fn(NaiveDateTime) -> DateTime<Utc>,
    ) -> Vec<NaiveDateTime> {
        let mut starts = Vec::new();

        // `COUNT` counts occurrences from the first on, excluded ones included.
        for (produced, candidate) in self.candidates(first).take(MAX_STEPS).enumerate() {
            let instant = resolve(candidate);
            let past_until = match self.until {
                Some(Until::Instant(until)) => instant > until,
                Some(Until::Day(day)) => candidate.date() > day,
                None => false,
            };
            let past_count = self.count.is_some_and(|count| produced >= count as usize);
            if instant >= stop || past_until || past_count {
                break;
            }

            if !self.exceptions.contains(&candidate) {
                starts.push(candidate);
            }
        }

        starts
    }

    /// Every candidate start in order, before bounds are applied.
    fn candidates(&self, first: NaiveDateTime) -> Box<dyn Iterator<Item = NaiveDateTime> + '_> {
        let step = self.interval;
        let time = first.time();

        match self.frequency {
            Frequency::Daily => {
                Box::new((0..).map(move |k: i64| first + Duration::days(k * i64::from(step))))
            }
            Frequency::Weekly => {
                let mut days = if self.by_day.is_empty() {
                    vec![first.weekday()]
                } else {
                    self.by_day.clone()
                };
                days.sort_by_key(Weekday::num_days_from_monday);
                let week_start = first.date()
                    - Duration::days(i64::from(first.weekday().num_days_from_monday()));

                Box::new((0..).flat_map(move |k: i64| {
                    let monday = week_start + Duration::weeks(k * i64::from(step));
                    days.clone()
                        .into_iter()
                        .map(move |day| {
                            monday + Duration::days(i64::from(day.num_days_from_monday()))
                        })
                        .filter(move |date| *date >= first.date())
                        .map(move |date| date.and_time(time))
                }))
            }
            Frequency::Monthly => Box::new((0..).filter_map(move |k: u32| {
                let month_start = first
                    .date()
                    .with_day(1)?
                    .checked_add_months(Months::new(k * step))?;
                month_start
                    .with_day(first.day())
                    .map(|date| date.and_time(time))
            })),
            Frequency::Yearly => Box::new((0..).filter_map(move |k: i32| {
                let year = first.year() + k * step as i32;
                NaiveDate::from_ymd_opt(year, first.month(), first.day())
                    .map(|date| date.and_time(time))
            })),
        }
    }
}

fn parse_frequency(value: &str) -> Option<Frequency> {
    match value.to_ascii_uppercase().as_str() {
        "DAILY" => Some(Frequency::Daily),
        "WEEKLY" => Some(Frequency::Weekly),
        "MONTHLY" => Some(Frequency::Monthly),
        "YEARLY" => Some(Frequency::Yearly),
        _ => None,
    }
}

fn parse_until(value: &str) -> Option<Until> {
    if let Some(utc) = value.strip_suffix('Z') {
        let naive = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok()?;
        return Some(Until::Instant(naive.and_utc()));
    }
    if let Ok(naive) = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S") {
        return Some(Until::Day(naive.date()));
    }
    NaiveDate::parse_from_str(value, "%Y%m%d")
        .ok()
        .map(Until::Day)
}

/// The local start times named by `EXDATE` lines (dates stand for their midnight).
fn exceptions(lines: &[&str]) -> Vec<NaiveDateTime> {
    lines
        .iter()
        .filter(|line| line.starts_with("EXDATE"))
        .filter_map(|line| line.split_once(':').map(|(_, values)| values))
        .flat_map(|values| values.split(','))
        .filter_map(|value| {
            let value = value.trim().trim_end_matches('Z');
            NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S")
                .ok()
                .or_else(|| {
                    NaiveDate::parse_from_str(value, "%Y%m%d")
                        .ok()?
                        .and_hms_opt(0, 0, 0)
                })
        })
        .collect()
}

fn weekday(code: &str) -> Option<Weekday> {
    match code.trim().to_ascii_uppercase().as_str() {
        "MO" => Some(Weekday::Mon),
        "TU" => Some(Weekday::Tue),
        "WE" => Some(Weekday::Wed),
        "TH" => Some(Weekday::Thu),
        "FR" => Some(Weekday::Fri),
        "SA" => Some(Weekday::Sat),
        "SU" => Some(Weekday::Sun),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn starts(lines: &[&str], first: &str, stop: &str) -> Vec<String> {
        let rule = Recurrence::parse(lines).unwrap();
        let as_utc = |naive: NaiveDateTime| naive.and_utc();
        rule.starts(local(first), utc(stop), &as_utc)
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn a_yearly_birthday_from_1937_reaches_2026() {
        let all = starts(
            &["RRULE:FREQ=YEARLY"],
            "1937-05-02T00:00",
            "2027-01-01T00:00:00Z",
        );

        assert_eq!(all.len(), 90);
        assert_eq!(all.last().unwrap(), "2026-05-02 00:00:00");
    }

    #[test]
    fn weekdays_skip_the_weekend_and_honour_exdates() {
        let lines = [
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "EXDATE;TZID=Europe/Berlin:20261209T093000",
        ];
        let all = starts(&lines, "2026-12-04T09:30", "2026-12-12T00:00:00Z");

        assert_eq!(
            all,
            [
                "2026-12-04 09:30:00",
                "2026-12-07 09:30:00",
                "2026-12-08 09:30:00",
                "2026-12-10 09:30:00",
                "2026-12-11 09:30:00"
            ]
        );
    }

    #[test]
    fn count_until_and_interval_bound_the_series() {
        let counted = starts(
            &["RRULE:FREQ=DAILY;COUNT=3"],
            "2026-01-01T08:00",
            "2027-01-01T00:00:00Z",
        );
        assert_eq!(counted.len(), 3);

        let until = starts(
            &["RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20260201T000000Z"],
            "2026-01-01T08:00",
            "2027-01-01T00:00:00Z",
        );
        assert_eq!(
            until,
            [
                "2026-01-01 08:00:00",
                "2026-01-15 08:00:00",
                "2026-01-29 08:00:00"
            ]
        );
    }

    #[test]
    fn monthly_rules_skip_months_without_that_day() {
        let all = starts(
            &["RRULE:FREQ=MONTHLY;COUNT=3"],
            "2026-01-31T10:00",
            "2027-01-01T00:00:00Z",
        );

        assert_eq!(
            all,
            [
                "2026-01-31 10:00:00",
                "2026-03-31 10:00:00",
                "2026-05-31 10:00:00"
            ]
        );
    }

    #[test]
    fn a_recurrence_without_a_frequency_is_not_a_rule() {
        assert!(Recurrence::parse(&["RRULE:INTERVAL=2"]).is_none());
        assert!(Recurrence::parse(&["EXDATE:20260101"]).is_none());
        assert!(Recurrence::parse(&["RRULE:FREQ=HOURLY"]).is_none());
    }
}
