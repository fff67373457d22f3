use minijinja::Value;
use minijinja::value::Kwargs;

use super::*;

#[test]
fn quoting_doubles_backslashes_before_escaping_quotes() {
    assert_eq!(
        drive_quote(r#"Jon's "Q3" plan\draft"#),
        r#"'Jon\'s "Q3" plan\\draft'"#
    );
    assert_eq!(drive_quote(r"\'"), r"'\\\''");
    assert_eq!(drive_quote(""), "''");
}

#[test]
fn a_name_search_built_from_a_quoted_value_gets_the_trashed_clause() {
    let q = drive_search_query(
        &format!("name contains {}", drive_quote(r#"Jon's "Q3" plan\draft"#)),
        false,
    );
    assert_eq!(
        q,
        r#"name contains 'Jon\'s "Q3" plan\\draft' and trashed = false"#
    );
}

#[test]
fn drive_query_syntax_passes_through_untouched() {
    for query in [
        "name contains 'Roadmap'",
        "mimeType = 'application/vnd.google-apps.folder'",
        "'1FolderFakeId' in parents",
        "fullText contains 'budget'",
        "modifiedTime > '2024-01-01T00:00:00'",
        "starred = true",
        "properties has { key='k' and value='v' }",
        "not name contains 'draft' and mimeType != 'application/pdf'",
        "NAME CONTAINS 'x'",
        "name='exact'",
    ] {
        assert_eq!(
            drive_search_query(query, false),
            format!("{query} and trashed = false"),
            "{query}"
        );
        assert_eq!(drive_search_query(query, true), query, "{query}");
    }
}

#[test]
fn a_query_that_mentions_trashed_gets_no_extra_clause() {
    assert_eq!(
        drive_search_query("trashed = true", false),
        "trashed = true"
    );
    assert_eq!(
        drive_search_query("'abc' in parents and trashed=false", false),
        "'abc' in parents and trashed=false"
    );
}

#[test]
fn a_query_with_or_is_grouped_before_the_trashed_clause() {
    assert_eq!(
        drive_search_query("name contains 'a' or name contains 'b'", false),
        "(name contains 'a' or name contains 'b') and trashed = false"
    );
    assert_eq!(
        drive_search_query("name contains 'this or that'", false),
        "name contains 'this or that' and trashed = false"
    );
}

#[test]
fn free_text_becomes_an_escaped_full_text_search() {
    assert_eq!(
        drive_search_query("quarterly budget", false),
        "fullText contains 'quarterly budget' and trashed = false"
    );
    assert_eq!(
        drive_search_query("Jon's plan", true),
        r"fullText contains 'Jon\'s plan'"
    );
    assert_eq!(
        drive_search_query("  invoice  ", false),
        "fullText contains 'invoice' and trashed = false"
    );
}

#[test]
fn words_that_only_resemble_a_query_are_free_text() {
    for text in [
        "name contains budget",
        "files I trashed",
        "owners of the roadmap",
        "the name = game",
    ] {
        assert_eq!(
            drive_search_query(text, false),
            format!(
                "fullText contains {} and trashed = false",
                drive_quote(text)
            ),
            "{text}"
        );
    }
}

#[test]
fn blank_input_lists_everything_not_trashed() {
    assert_eq!(drive_search_query("", false), "trashed = false");
    assert_eq!(drive_search_query("   ", true), "");
}

#[test]
fn an_unterminated_literal_does_not_break_detection() {
    assert_eq!(
        drive_search_query("name contains 'open", false),
        "name contains 'open and trashed = false"
    );
}

#[test]
fn the_function_takes_its_arguments_by_position_or_keyword() {
    let by_position = drive_search_query_function(
        &[Value::from("report"), Value::from(true)],
        Kwargs::from_iter(Vec::<(&str, Value)>::new()),
    )
    .unwrap();
    assert_eq!(by_position.as_str(), Some("fullText contains 'report'"));
    let kwargs = Kwargs::from_iter([
        ("query", Value::from("report")),
        ("include_trashed", Value::from(())),
    ]);
    let by_keyword = drive_search_query_function(&[], kwargs).unwrap();
    assert_eq!(
        by_keyword.as_str(),
        Some("fullText contains 'report' and trashed = false")
    );
    let kwargs = Kwargs::from_iter([("include_trashed", Value::from("yes"))]);
    let err = drive_search_query_function(&[Value::from("x")], kwargs).unwrap_err();
    assert_eq!(
        err.detail(),
        Some("`include_trashed` must be true or false, got a string")
    );
}

#[test]
fn the_quote_filter_names_a_missing_value() {
    assert_eq!(
        drive_quote_filter(&Value::from("a'b")).unwrap().as_str(),
        Some(r"'a\'b'")
    );
    assert_eq!(
        drive_quote_filter(&Value::UNDEFINED).unwrap_err().detail(),
        Some("`value` is missing")
    );
}
