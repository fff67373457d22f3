use minijinja::Value;
use minijinja::value::Kwargs;
use serde_json::json;

use super::*;

/// `rfc3339` with no timezone, naming the value `time_min`.
fn bound(value: &str, end: bool) -> Result<String, String> {
    rfc3339(value, end, None, "time_min").map_err(|e| e.detail().unwrap().to_string())
}

/// The zone for `text`, which must be valid.
fn zone(text: &str) -> Zone {
    parse_zone(text).unwrap()
}

/// The error message of `event_times`.
fn event_problem(start: &str, end: Option<&str>, tz: Option<&str>) -> String {
    let zone = tz.map(zone);
    event_times(start, end, zone.as_ref())
        .unwrap_err()
        .detail()
        .unwrap()
        .to_string()
}

#[test]
fn values_with_an_offset_pass_through_byte_for_byte() {
    for value in [
        "2026-07-27T09:00:00+02:00",
        "2026-07-27T18:00:00+02:00",
        "2026-12-01T00:00:00Z",
        "2026-07-27T09:00:00.125-05:30",
        "2026-07-27t09:00:00z",
    ] {
        assert_eq!(bound(value, false).unwrap(), value);
        assert_eq!(bound(value, true).unwrap(), value);
    }
}

#[test]
fn a_date_as_start_bound_is_its_utc_midnight() {
    assert_eq!(bound("2026-07-27", false).unwrap(), "2026-07-27T00:00:00Z");
}

#[test]
fn a_date_as_end_bound_is_the_next_midnight_so_the_day_is_included() {
    assert_eq!(bound("2026-07-27", true).unwrap(), "2026-07-28T00:00:00Z");
    assert_eq!(bound("2028-02-28", true).unwrap(), "2028-02-29T00:00:00Z");
    assert_eq!(bound("2026-12-31", true).unwrap(), "2027-01-01T00:00:00Z");
}

#[test]
fn a_naive_time_is_read_as_utc() {
    assert_eq!(
        bound("2026-07-28T00:00:00", true).unwrap(),
        "2026-07-28T00:00:00Z"
    );
    assert_eq!(
        bound("2026-07-28 09:30", false).unwrap(),
        "2026-07-28T09:30:00Z"
    );
}

#[test]
fn a_fixed_offset_timezone_is_applied_to_naive_values() {
    let plus_two = zone("+02:00");
    assert_eq!(
        rfc3339("2026-07-27T09:00", false, Some(&plus_two), "v").unwrap(),
        "2026-07-27T09:00:00+02:00"
    );
    assert_eq!(
        rfc3339("2026-07-27", true, Some(&plus_two), "v").unwrap(),
        "2026-07-28T00:00:00+02:00"
    );
    assert_eq!(
        rfc3339("2026-07-27T09:00:00-04:00", false, Some(&plus_two), "v").unwrap(),
        "2026-07-27T09:00:00-04:00"
    );
}

#[test]
fn an_iana_timezone_falls_back_to_utc_for_query_bounds() {
    assert_eq!(
        rfc3339(
            "2026-07-27T09:00:00",
            false,
            Some(&zone("Europe/Berlin")),
            "v"
        )
        .unwrap(),
        "2026-07-27T09:00:00Z"
    );
}

#[test]
fn loosely_written_offsets_are_rewritten_strictly() {
    assert_eq!(
        bound("2026-07-27 09:00+0200", false).unwrap(),
        "2026-07-27T09:00:00+02:00"
    );
    assert_eq!(
        bound("2026-07-27T09:00+00:00", false).unwrap(),
        "2026-07-27T09:00:00Z"
    );
}

#[test]
fn unreadable_values_are_errors_listing_the_accepted_formats() {
    let message = bound("next tuesday", false).unwrap_err();
    assert!(
        message.starts_with(
            "`time_min` is not a date or time: \"next tuesday\"; accepted formats: 2026-07-27"
        ),
        "{message}"
    );
    for value in [
        "",
        "2026-02-30",
        "27/07/2026",
        "2026-07-27T25:00:00",
        "tomorrow 9am",
    ] {
        assert!(bound(value, false).is_err(), "{value}");
    }
}

#[test]
fn timezones_are_offsets_utc_names_or_iana_names() {
    assert_eq!(
        zone("UTC"),
        Zone::Fixed {
            minutes: 0,
            zulu: true
        }
    );
    assert_eq!(
        zone("-0530"),
        Zone::Fixed {
            minutes: -330,
            zulu: false
        }
    );
    assert_eq!(
        zone("America/Argentina/Buenos_Aires"),
        Zone::Named("America/Argentina/Buenos_Aires".into())
    );
    assert_eq!(zone("Etc/GMT+5"), Zone::Named("Etc/GMT+5".into()));
    let err = parse_zone("Central European Time").unwrap_err();
    assert!(
        err.detail()
            .unwrap()
            .starts_with("`timezone` must be an IANA time zone name")
    );
}

#[test]
fn an_empty_range_is_an_error_comparing_instants() {
    assert!(
        time_range_check(
            Some("2026-07-27T09:00:00+02:00"),
            Some("2026-07-27T18:00:00+02:00"),
            None
        )
        .is_ok()
    );
    assert!(time_range_check(Some("2026-07-27"), Some("2026-07-28T00:00:00"), None).is_ok());
    assert!(
        time_range_check(Some("2026-07-27"), Some("2026-07-27"), None).is_ok(),
        "a day as both bounds is that whole day"
    );
    let err = time_range_check(
        Some("2026-07-27T09:00:00+02:00"),
        Some("2026-07-27T07:00:00Z"),
        None,
    )
    .unwrap_err();
    assert_eq!(
        err.detail(),
        Some(
            "`time_min` (2026-07-27T09:00:00+02:00) must be before `time_max` (2026-07-27T07:00:00Z); the range is empty"
        )
    );
    assert!(time_range_check(Some("2026-07-28"), Some("2026-07-27T12:00:00Z"), None).is_err());
}

#[test]
fn offsets_decide_the_order_not_the_written_clock_time() {
    assert!(
        time_range_check(
            Some("2026-07-27T09:00:00+02:00"),
            Some("2026-07-27T08:00:00Z"),
            None
        )
        .is_ok()
    );
    assert!(
        time_range_check(
            Some("2026-07-27T08:00:00.5Z"),
            Some("2026-07-27T08:00:00.25Z"),
            None
        )
        .is_err()
    );
}

#[test]
fn a_range_check_with_one_bound_or_none_passes() {
    assert!(time_range_check(Some("2026-07-27"), None, None).is_ok());
    assert!(time_range_check(None, None, None).is_ok());
    assert!(time_range_check(Some("next tuesday"), None, None).is_ok());
    let err = time_range_check(Some("next tuesday"), Some("2026-07-27"), None).unwrap_err();
    assert!(
        err.detail()
            .unwrap()
            .starts_with("`time_min` is not a date or time")
    );
}

#[test]
fn two_dates_make_an_all_day_event_ending_the_day_after_the_last_day() {
    assert_eq!(
        event_times("2026-08-20", Some("2026-08-22"), None).unwrap(),
        json!({"start":{"date":"2026-08-20"},"end":{"date":"2026-08-23"}})
    );
}

#[test]
fn a_date_without_end_is_a_one_day_event() {
    assert_eq!(
        event_times("2026-08-20", None, None).unwrap(),
        json!({"start":{"date":"2026-08-20"},"end":{"date":"2026-08-21"}})
    );
    assert_eq!(
        event_times("2028-02-28", None, None).unwrap()["end"],
        json!({"date":"2028-02-29"})
    );
    assert_eq!(
        event_times("2026-12-31", Some("2026-12-31"), None).unwrap()["end"],
        json!({"date":"2027-01-01"})
    );
}

#[test]
fn all_day_events_carry_no_time_fields_even_with_a_timezone() {
    let times = event_times(
        "2026-08-20",
        Some("2026-08-20"),
        Some(&zone("Europe/Berlin")),
    )
    .unwrap();
    assert_eq!(
        times,
        json!({"start":{"date":"2026-08-20"},"end":{"date":"2026-08-21"}})
    );
}

#[test]
fn an_all_day_end_before_the_start_is_an_error() {
    assert_eq!(
        event_problem("2026-08-20", Some("2026-08-19"), None),
        "`end_time` (2026-08-19) is before `start_time` (2026-08-20); for an all-day event give the last day, inclusive"
    );
}

#[test]
fn mixing_a_date_and_a_date_time_is_an_error() {
    let message = event_problem("2026-08-20", Some("2026-08-20T17:00:00+02:00"), None);
    assert!(
        message.starts_with("`start_time` and `end_time` must both be dates"),
        "{message}"
    );
    assert!(
        event_problem("2026-08-20T09:00:00Z", Some("2026-08-21"), None)
            .starts_with("`start_time` and `end_time`")
    );
}

#[test]
fn timed_events_with_offsets_pass_their_values_through() {
    let times = event_times(
        "2026-05-05T10:00:00+02:00",
        Some("2026-05-05T11:00:00+02:00"),
        None,
    )
    .unwrap();
    assert_eq!(
        times,
        json!({"start":{"dateTime":"2026-05-05T10:00:00+02:00"},"end":{"dateTime":"2026-05-05T11:00:00+02:00"}})
    );
}

#[test]
fn an_iana_timezone_is_sent_with_local_times() {
    let times = event_times(
        "2026-05-01T09:00",
        Some("2026-05-01T09:15:00"),
        Some(&zone("Europe/Zurich")),
    )
    .unwrap();
    assert_eq!(
        times,
        json!({
        "start":{"dateTime":"2026-05-01T09:00:00","timeZone":"Europe/Zurich"},
        "end":{"dateTime":"2026-05-01T09:15:00","timeZone":"Europe/Zurich"}})
    );
}

#[test]
fn a_fixed_offset_timezone_is_appended_to_local_times() {
    let times = event_times(
        "2026-05-01T09:00:00",
        Some("2026-05-01T10:00:00Z"),
        Some(&zone("+02:00")),
    )
    .unwrap();
    assert_eq!(
        times,
        json!({"start":{"dateTime":"2026-05-01T09:00:00+02:00"},"end":{"dateTime":"2026-05-01T10:00:00Z"}})
    );
}

#[test]
fn a_local_time_without_a_timezone_is_an_error_asking_for_one() {
    assert_eq!(
        event_problem("2026-05-01T09:00:00", Some("2026-05-01T10:00:00Z"), None),
        "`start_time` (2026-05-01T09:00:00) has no UTC offset; give one (e.g. 2026-05-01T09:00:00+02:00) or a `timezone`"
    );
}

#[test]
fn a_timed_event_needs_an_end() {
    assert_eq!(
        event_problem("2026-05-01T09:00:00Z", None, None),
        "`end_time` is required for a timed event"
    );
}

#[test]
fn a_timed_end_not_after_the_start_is_an_error() {
    assert_eq!(
        event_problem(
            "2026-05-01T10:00:00+02:00",
            Some("2026-05-01T08:00:00Z"),
            None
        ),
        "`end_time` (2026-05-01T08:00:00Z) must be after `start_time` (2026-05-01T10:00:00+02:00)"
    );
    assert!(
        event_problem(
            "2026-05-01T10:00",
            Some("2026-05-01T09:00"),
            Some("Europe/Berlin")
        )
        .starts_with("`end_time`")
    );
}

#[test]
fn unreadable_event_times_name_their_argument() {
    assert!(
        event_problem("soon", None, None)
            .starts_with("`start_time` is not a date or time: \"soon\"")
    );
    assert!(
        event_problem("2026-05-01", Some("later"), None)
            .starts_with("`end_time` is not a date or time")
    );
}

#[test]
fn the_rfc3339_filter_reads_bound_timezone_and_name() {
    let kwargs = Kwargs::from_iter([
        ("bound", Value::from("end")),
        ("timezone", Value::from("+01:00")),
    ]);
    let value = rfc3339_filter(&Value::from("2026-07-27"), &[], kwargs).unwrap();
    assert_eq!(value.as_str(), Some("2026-07-28T00:00:00+01:00"));
    let kwargs = Kwargs::from_iter([("name", Value::from("time_max"))]);
    let err = rfc3339_filter(&Value::from("next tuesday"), &[], kwargs).unwrap_err();
    assert!(
        err.detail()
            .unwrap()
            .starts_with("`time_max` is not a date or time")
    );
    let err = rfc3339_filter(
        &Value::from("2026-07-27"),
        &[Value::from("middle")],
        Kwargs::from_iter([("x", Value::from(1))]),
    )
    .unwrap_err();
    assert_eq!(
        err.detail(),
        Some("`bound` must be \"start\" or \"end\", got \"middle\"")
    );
}

#[test]
fn the_event_times_function_returns_an_object_and_range_check_renders_nothing() {
    let value = event_times_function(
        &[Value::from("2026-08-20"), Value::from(())],
        Kwargs::from_iter([("timezone", Value::UNDEFINED)]),
    )
    .unwrap();
    assert_eq!(
        value
            .get_attr("end")
            .unwrap()
            .get_attr("date")
            .unwrap()
            .as_str(),
        Some("2026-08-21")
    );
    let ok = time_range_check_function(
        &[Value::from("2026-07-27"), Value::from("2026-07-28")],
        Kwargs::from_iter([("timezone", Value::from("UTC"))]),
    )
    .unwrap();
    assert_eq!(ok.as_str(), Some(""));
}
