use super::*;

/// The date for `YYYY-MM-DD`, which must be valid.
fn date(text: &str) -> Date {
    match parse_stamp(text) {
        Some(Stamp::Date(date)) => date,
        other => panic!("{text} read as {other:?}"),
    }
}

/// The date-time for `text`, which must be one.
fn date_time(text: &str) -> DateTime {
    match parse_stamp(text) {
        Some(Stamp::DateTime(dt)) => dt,
        other => panic!("{text} read as {other:?}"),
    }
}

#[test]
fn the_day_after_a_leap_february_28_is_february_29() {
    assert_eq!(date("2028-02-28").add_days(1).iso(), "2028-02-29");
    assert_eq!(date("2028-02-29").add_days(1).iso(), "2028-03-01");
    assert_eq!(date("2026-02-28").add_days(1).iso(), "2026-03-01");
}

#[test]
fn the_day_after_new_years_eve_is_in_the_next_year() {
    assert_eq!(date("2026-12-31").add_days(1).iso(), "2027-01-01");
    assert_eq!(date("2027-01-01").add_days(-1).iso(), "2026-12-31");
}

#[test]
fn century_leap_rules_are_followed() {
    assert!(is_leap(2000) && is_leap(2028) && !is_leap(1900) && !is_leap(2100));
    assert_eq!(date("2100-02-28").add_days(1).iso(), "2100-03-01");
    assert_eq!(date("2000-02-28").add_days(1).iso(), "2000-02-29");
}

#[test]
fn day_numbers_match_known_epoch_offsets_and_round_trip() {
    assert_eq!(to_days(date("1970-01-01")), 0);
    assert_eq!(to_days(date("2000-03-01")), 11_017);
    assert_eq!(to_days(date("1969-12-31")), -1);
    for days in (-800_000..800_000).step_by(997) {
        assert_eq!(to_days(from_days(days)), days);
        let d = from_days(days);
        assert_eq!(from_days(days + 1), d.add_days(1));
    }
}

#[test]
fn impossible_dates_are_not_read() {
    for text in [
        "2026-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-04-31",
        "2026-4-1",
        "26-04-01",
        "2026/04/01",
        "2026-04-01x",
    ] {
        assert_eq!(parse_stamp(text), None, "{text}");
    }
}

#[test]
fn strict_rfc3339_values_are_marked_strict() {
    for text in [
        "2026-07-27T09:00:00+02:00",
        "2026-07-27T07:00:00Z",
        "2026-07-27t07:00:00.250z",
        "2026-07-27T09:00:00",
    ] {
        assert!(date_time(text).strict, "{text}");
    }
}

#[test]
fn loose_forms_are_read_but_not_strict() {
    let dt = date_time("2026-07-27 09:30");
    assert_eq!(
        (dt.local(), dt.offset, dt.strict),
        ("2026-07-27T09:30:00".to_string(), None, false)
    );
    let dt = date_time("2026-07-27T09:30:15+0530");
    assert_eq!((dt.offset, dt.strict), (Some(330), false));
    let dt = date_time("2026-07-27T09:30:15-08");
    assert_eq!(dt.offset, Some(-480));
}

#[test]
fn bad_times_and_offsets_are_not_read() {
    for text in [
        "2026-07-27T24:00:00",
        "2026-07-27T09:60",
        "2026-07-27T9:00",
        "2026-07-27T09:00:00.",
        "2026-07-27T09:00:00+25:00",
        "2026-07-27T09:00:00 PST",
        "2026-07-27T09",
        "2026-07-27T09:00:0",
    ] {
        assert_eq!(parse_stamp(text), None, "{text}");
    }
}

#[test]
fn instants_account_for_the_offset() {
    let berlin = date_time("2026-07-27T09:00:00+02:00");
    let utc = date_time("2026-07-27T07:00:00Z");
    assert_eq!(berlin.instant(), utc.instant());
    assert_eq!(date_time("2026-07-27T07:00:00").instant(), None);
    assert_eq!(date_time("2026-07-27T07:00:00.5Z").nanos(), 500_000_000);
}

#[test]
fn offsets_are_written_as_z_or_signed_hours_and_minutes() {
    assert_eq!(format_offset(0, true), "Z");
    assert_eq!(format_offset(0, false), "+00:00");
    assert_eq!(format_offset(-330, true), "-05:30");
    assert_eq!(format_offset(120, true), "+02:00");
}

#[test]
fn non_ascii_input_never_panics() {
    for text in [
        "2026-07-27T09:00:00+02:0é",
        "é",
        "2026-07-2é",
        "2026-07-27Té",
        "2026-07-27T09:é0",
        "2026-07-27T09:00:00.é",
        "2026-07-27T09:00:00+1é2",
        "2026-07-27T09:00:00-é:12",
    ] {
        assert_eq!(parse_stamp(text), None, "{text}");
    }
}
