//! URL path segments and Sheets A1 ranges built from values.

use minijinja::value::Kwargs;
use minijinja::{Error, Value};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::args::{Args, invalid, text_of};

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a value as one URL path segment: every byte but the unreserved characters
/// is encoded (`#` → `%23`, `?` → `%3F`, `/` → `%2F`, `%` → `%25`, space → `%20`, `@` → `%40`).
pub fn segment(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// An A1 range on a named sheet: the title in single quotes (inner `'` doubled), then `!range`
/// when a range is given.
///
/// A range that already names its sheet (it contains `!`) is returned unchanged, and so is a
/// range given without a title. A title already wrapped in single quotes is kept as written.
pub fn a1_range(sheet_title: Option<&str>, range: Option<&str>) -> Result<String, Error> {
    let range = range.map(str::trim).filter(|r| !r.is_empty());
    if let Some(range) = range.filter(|r| r.contains('!')) {
        return Ok(range.to_string());
    }
    let title = sheet_title.filter(|t| !t.is_empty());
    let quoted = match title {
        Some(t) if t.len() >= 2 && t.starts_with('\'') && t.ends_with('\'') => t.to_string(),
        Some(t) => format!("'{}'", t.replace('\'', "''")),
        None => {
            return range
                .map(str::to_string)
                .ok_or_else(|| invalid("`sheet_title` or `range` is needed to name a range"));
        }
    };
    Ok(match range {
        Some(range) => format!("{quoted}!{range}"),
        None => quoted,
    })
}

/// Template filter `segment`.
pub(crate) fn segment_filter(value: &Value) -> Result<Value, Error> {
    Ok(Value::from(segment(&text_of(value, "value")?)))
}

/// Template filter `a1_range(sheet_title, range=none)`.
pub(crate) fn a1_range_filter(
    sheet_title: &Value,
    positional: &[Value],
    kwargs: Kwargs,
) -> Result<Value, Error> {
    let args = Args::new("a1_range", positional, kwargs);
    let range = args.text(Some(0), "range")?;
    args.finish(1)?;
    let title = super::args::present(sheet_title)
        .then(|| text_of(sheet_title, "sheet_title"))
        .transpose()?;
    a1_range(title.as_deref(), range.as_deref()).map(Value::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_in_a_calendar_id_are_encoded() {
        assert_eq!(
            segment("en.usa#holiday@group.v.calendar.google.com"),
            "en.usa%23holiday%40group.v.calendar.google.com"
        );
    }

    #[test]
    fn every_character_but_the_unreserved_ones_is_encoded() {
        assert_eq!(segment("a?b/c%d e@f"), "a%3Fb%2Fc%25d%20e%40f");
        assert_eq!(segment("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(
            segment("+:;=,!$&'()*[]"),
            "%2B%3A%3B%3D%2C%21%24%26%27%28%29%2A%5B%5D"
        );
        assert_eq!(segment("é東"), "%C3%A9%E6%9D%B1");
    }

    #[test]
    fn an_a1_range_quotes_the_sheet_title() {
        assert_eq!(a1_range(Some("CRM26"), None).unwrap(), "'CRM26'");
        assert_eq!(
            a1_range(Some("Q3 Budget"), Some("A1:C10")).unwrap(),
            "'Q3 Budget'!A1:C10"
        );
        assert_eq!(
            a1_range(Some("Adv/Ent1"), Some("A1:B2")).unwrap(),
            "'Adv/Ent1'!A1:B2"
        );
        assert_eq!(
            segment(&a1_range(Some("Adv/Ent1"), Some("A1:B2")).unwrap()),
            "%27Adv%2FEnt1%27%21A1%3AB2"
        );
    }

    #[test]
    fn quotes_inside_a_title_are_doubled() {
        assert_eq!(
            a1_range(Some("Bob's sheet"), Some("B2")).unwrap(),
            "'Bob''s sheet'!B2"
        );
    }

    #[test]
    fn a_range_that_names_its_sheet_is_not_rewritten() {
        assert_eq!(
            a1_range(Some("CRM26"), Some("'Other sheet'!A1:B2")).unwrap(),
            "'Other sheet'!A1:B2"
        );
        assert_eq!(a1_range(None, Some("Summary!A1")).unwrap(), "Summary!A1");
    }

    #[test]
    fn a_quoted_title_or_a_lone_range_is_kept() {
        assert_eq!(
            a1_range(Some("'Q3 Budget'"), Some("A1")).unwrap(),
            "'Q3 Budget'!A1"
        );
        assert_eq!(a1_range(None, Some("A1:B2")).unwrap(), "A1:B2");
        assert_eq!(
            a1_range(Some(""), Some(" ")).unwrap_err().detail(),
            Some("`sheet_title` or `range` is needed to name a range")
        );
    }

    #[test]
    fn the_filters_accept_numbers_and_treat_none_as_absent() {
        assert_eq!(
            segment_filter(&Value::from(42)).unwrap().as_str(),
            Some("42")
        );
        let no_range = a1_range_filter(
            &Value::from("CRM26"),
            &[Value::from(())],
            Kwargs::from_iter(Vec::<(&str, Value)>::new()),
        );
        assert_eq!(no_range.unwrap().as_str(), Some("'CRM26'"));
        let by_keyword = a1_range_filter(
            &Value::from("Q3 Budget"),
            &[],
            Kwargs::from_iter([("range", Value::from("A1:C10"))]),
        );
        assert_eq!(by_keyword.unwrap().as_str(), Some("'Q3 Budget'!A1:C10"));
        assert_eq!(
            segment_filter(&Value::from(())).unwrap_err().detail(),
            Some("`value` is missing")
        );
    }
}
