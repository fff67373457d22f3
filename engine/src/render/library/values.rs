//! Small value helpers: wrapping values into objects, and the current time.

use std::time::{SystemTime, UNIX_EPOCH};

use minijinja::{Error, Value};

use super::{args::invalid, civil};

/// `{"key": value}`: turns a list of emails into Calendar attendees with
/// `attendees | map('wrap', 'email') | list`.
pub fn wrap(value: Value, key: &str) -> Value {
    Value::from(std::collections::BTreeMap::from([(key.to_owned(), value)]))
}

/// Template filter `wrap(key)`.
pub(crate) fn wrap_filter(value: Value, key: Value) -> Result<Value, Error> {
    let key = key
        .as_str()
        .ok_or_else(|| invalid("`wrap` needs a text key"))?;
    Ok(wrap(value, key))
}

/// `seconds` after the Unix epoch as RFC 3339 in UTC, whole seconds (`2026-12-04T16:30:00Z`).
pub fn rfc3339_utc(seconds: i64) -> String {
    let date = civil::from_days(seconds.div_euclid(86_400));
    let second_of_day = seconds.rem_euclid(86_400);
    let (hour, minute, second) = (
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
    );
    format!("{}T{hour:02}:{minute:02}:{second:02}Z", date.iso())
}

/// Template function `now_rfc3339()`: the current time, for "from now on" defaults.
pub(crate) fn now_rfc3339_function() -> Value {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Value::from(rfc3339_utc(i64::try_from(seconds).unwrap_or(i64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_makes_one_key_objects() {
        let out = wrap(Value::from("ann@example.com"), "email");
        assert_eq!(
            out.get_attr("email").unwrap().as_str(),
            Some("ann@example.com")
        );
    }

    #[test]
    fn utc_times_are_formatted_across_day_and_year_edges() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_798_761_599), "2026-12-31T23:59:59Z");
        assert_eq!(rfc3339_utc(1_798_761_600), "2027-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_835_395_200), "2028-02-29T00:00:00Z");
    }

    #[test]
    fn now_is_a_utc_timestamp() {
        let now = now_rfc3339_function().to_string();
        assert_eq!(now.len(), 20);
        assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T');
    }
}
