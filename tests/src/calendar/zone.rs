//! A small built-in table of IANA time zones, enough for the seed data and common input.
//!
//! Known shortcoming: there is no tz database. Each zone has a standard offset and one of
//! three daylight-saving rules (EU, US, none) as in force since 2007; a zone missing
//! from the table is refused as Google refuses an unknown zone. Adding a zone is a line
//! in `TABLE`; replacing the table with a tz crate would lift the limit.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Utc, Weekday};

/// A time zone's offset rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Zone {
    standard_minutes: i32,
    rule: Rule,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    None,
    /// Last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC.
    Eu,
    /// Second Sunday of March 02:00 local to first Sunday of November 02:00 local.
    Us,
}

const TABLE: &[(&str, i32, Rule)] = &[
    ("UTC", 0, Rule::None),
    ("Etc/UTC", 0, Rule::None),
    ("GMT", 0, Rule::None),
    ("Etc/GMT", 0, Rule::None),
    ("Europe/London", 0, Rule::Eu),
    ("Europe/Dublin", 0, Rule::Eu),
    ("Europe/Lisbon", 0, Rule::Eu),
    ("Europe/Berlin", 60, Rule::Eu),
    ("Europe/Paris", 60, Rule::Eu),
    ("Europe/Zurich", 60, Rule::Eu),
    ("Europe/Amsterdam", 60, Rule::Eu),
    ("Europe/Brussels", 60, Rule::Eu),
    ("Europe/Madrid", 60, Rule::Eu),
    ("Europe/Rome", 60, Rule::Eu),
    ("Europe/Vienna", 60, Rule::Eu),
    ("Europe/Stockholm", 60, Rule::Eu),
    ("Europe/Oslo", 60, Rule::Eu),
    ("Europe/Copenhagen", 60, Rule::Eu),
    ("Europe/Prague", 60, Rule::Eu),
    ("Europe/Warsaw", 60, Rule::Eu),
    ("Europe/Athens", 120, Rule::Eu),
    ("Europe/Helsinki", 120, Rule::Eu),
    ("Europe/Kyiv", 120, Rule::Eu),
    ("America/New_York", -300, Rule::Us),
    ("America/Toronto", -300, Rule::Us),
    ("America/Chicago", -360, Rule::Us),
    ("America/Denver", -420, Rule::Us),
    ("America/Phoenix", -420, Rule::None),
    ("America/Los_Angeles", -480, Rule::Us),
    ("America/Anchorage", -540, Rule::Us),
    ("America/Sao_Paulo", -180, Rule::None),
    ("Pacific/Honolulu", -600, Rule::None),
    ("Asia/Tokyo", 540, Rule::None),
    ("Asia/Seoul", 540, Rule::None),
    ("Asia/Shanghai", 480, Rule::None),
    ("Asia/Singapore", 480, Rule::None),
    ("Asia/Kolkata", 330, Rule::None),
    ("Asia/Dubai", 240, Rule::None),
];

impl Zone {
    /// The zone of an IANA name from the table.
    pub(crate) fn named(name: &str) -> Option<Zone> {
        TABLE
            .iter()
            .find(|(zone, _, _)| *zone == name)
            .map(|&(_, standard_minutes, rule)| Zone {
                standard_minutes,
                rule,
            })
    }

    /// A zone that is always at one offset.
    pub(crate) fn fixed(offset: FixedOffset) -> Zone {
        Zone {
            standard_minutes: offset.local_minus_utc() / 60,
            rule: Rule::None,
        }
    }

    /// The offset in force at an instant.
    pub(crate) fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        let dst = match self.rule {
            Rule::None => false,
            Rule::Eu => {
                let year = instant.year();
                let start = last_sunday(year, 3).and_hms_opt(1, 0, 0).unwrap().and_utc();
                let end = last_sunday(year, 10)
                    .and_hms_opt(1, 0, 0)
                    .unwrap()
                    .and_utc();
                instant >= start && instant < end
            }
            Rule::Us => {
                let year = instant.year();
                let standard = Duration::minutes(i64::from(self.standard_minutes));
                let start = nth_sunday(year, 3, 2)
                    .and_hms_opt(2, 0, 0)
                    .unwrap()
                    .and_utc()
                    - standard;
                let daylight = standard + Duration::hours(1);
                let end = nth_sunday(year, 11, 1)
                    .and_hms_opt(2, 0, 0)
                    .unwrap()
                    .and_utc()
                    - daylight;
                instant >= start && instant < end
            }
        };

        let minutes = self.standard_minutes + if dst { 60 } else { 0 };
        FixedOffset::east_opt(minutes * 60).unwrap_or(FixedOffset::east_opt(0).unwrap())
    }

    /// The instant of a local wall-clock time. In the autumn overlap the earlier instant
    /// wins; a time skipped in spring is read with the standard offset.
    pub(crate) fn resolve(&self, local: NaiveDateTime) -> DateTime<FixedOffset> {
        let standard = FixedOffset::east_opt(self.standard_minutes * 60).unwrap();
        let daylight = FixedOffset::east_opt((self.standard_minutes + 60) * 60).unwrap();

        for offset in [daylight, standard] {
            let instant =
                (local - Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc();
            if self.offset_at(instant) == offset {
                return instant.with_timezone(&offset);
            }
        }
        (local - Duration::seconds(i64::from(standard.local_minus_utc())))
            .and_utc()
            .with_timezone(&standard)
    }

    /// The instant a calendar day starts in this zone.
    pub(crate) fn midnight(&self, date: NaiveDate) -> DateTime<Utc> {
        self.resolve(date.and_hms_opt(0, 0, 0).unwrap()).to_utc()
    }
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next_month = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    let mut day = next_month.unwrap().pred_opt().unwrap();
    while day.weekday() != Weekday::Sun {
        day = day.pred_opt().unwrap();
    }
    day
}

fn nth_sunday(year: i32, month: u32, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, n).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn berlin_is_one_hour_ahead_in_winter_and_two_in_summer() {
        let berlin = Zone::named("Europe/Berlin").unwrap();

        assert_eq!(
            berlin.offset_at(at("2026-12-04T12:00:00Z")).to_string(),
            "+01:00"
        );
        assert_eq!(
            berlin.offset_at(at("2026-05-05T07:00:00Z")).to_string(),
            "+02:00"
        );
        assert_eq!(
            berlin.offset_at(at("2026-03-29T00:59:59Z")).to_string(),
            "+01:00"
        );
        assert_eq!(
            berlin.offset_at(at("2026-03-29T01:00:00Z")).to_string(),
            "+02:00"
        );
    }

    #[test]
    fn new_york_switches_on_the_us_sundays() {
        let new_york = Zone::named("America/New_York").unwrap();

        assert_eq!(
            new_york.offset_at(at("2026-03-08T06:59:00Z")).to_string(),
            "-05:00"
        );
        assert_eq!(
            new_york.offset_at(at("2026-03-08T07:00:00Z")).to_string(),
            "-04:00"
        );
        assert_eq!(
            new_york.offset_at(at("2026-11-01T05:59:00Z")).to_string(),
            "-04:00"
        );
        assert_eq!(
            new_york.offset_at(at("2026-11-01T06:00:00Z")).to_string(),
            "-05:00"
        );
    }

    #[test]
    fn a_local_time_resolves_with_the_offset_in_force() {
        let berlin = Zone::named("Europe/Berlin").unwrap();
        let local = |text| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").unwrap();

        assert_eq!(
            berlin.resolve(local("2026-05-05T09:00:00")).to_rfc3339(),
            "2026-05-05T09:00:00+02:00"
        );
        assert_eq!(
            berlin.resolve(local("2026-12-07T09:30:00")).to_rfc3339(),
            "2026-12-07T09:30:00+01:00"
        );
    }

    #[test]
    fn unknown_zone_names_are_not_guessed() {
        assert!(Zone::named("Mars/Olympus_Mons").is_none());
        assert!(Zone::named("europe/berlin").is_none());
    }
}
