use super::super::test_support::{decode_words, parse_message};
use super::*;

/// Writes `Subject` from `text` and returns the finished field.
fn subject(text: &str) -> String {
    let mut writer = HeaderWriter::new("Subject");
    writer.text(text);
    writer.finish()
}

/// The encoded-words of a field, in order.
fn words(field: &str) -> Vec<&str> {
    field
        .split([' ', '\r', '\n'])
        .filter(|w| w.starts_with("=?"))
        .collect()
}

/// The header value after unfolding and decoding.
fn decoded(field: &str) -> String {
    let parsed = parse_message(&format!("{field}\r\n"));
    decode_words(&parsed.headers[0].1)
}

#[test]
fn a_pure_ascii_subject_stays_literal() {
    assert_eq!(subject("Budget review"), "Subject: Budget review\r\n");
}

#[test]
fn a_non_ascii_subject_becomes_utf8_encoded_words_that_decode_exactly() {
    let field = subject("Relatório — 東京 ✓");
    assert_eq!(
        field,
        "Subject: =?UTF-8?B?UmVsYXTDs3JpbyDigJQg5p2x5LqsIOKckw==?=\r\n"
    );
    assert_eq!(decoded(&field), "Relatório — 東京 ✓");
}

#[test]
fn an_ascii_subject_containing_an_encoded_word_opener_is_encoded() {
    let field = subject("Totals =?UTF-8?B?SGk=?= inside");
    assert!(field.starts_with("Subject: =?UTF-8?B?"), "{field}");
    assert_eq!(decoded(&field), "Totals =?UTF-8?B?SGk=?= inside");
}

#[test]
fn a_long_cjk_subject_folds_into_short_lines_of_whole_characters() {
    let text = "東京".repeat(40);
    let field = subject(&text);
    let lines: Vec<&str> = field.trim_end_matches("\r\n").split("\r\n").collect();
    assert!(lines.len() > 1, "{field}");
    for (i, line) in lines.iter().enumerate() {
        assert!(line.is_ascii(), "{line}");
        assert!(line.len() <= 76, "line {i} has {} characters", line.len());
        if i > 0 {
            assert!(
                line.starts_with(' '),
                "continuation lines start with a space"
            );
        }
    }
    for word in words(&field) {
        assert!(
            word.len() <= MAX_WORD,
            "{word} is {} characters",
            word.len()
        );
        assert!(
            super::super::test_support::decode_words(word)
                .chars()
                .all(|c| c == '東' || c == '京')
        );
    }
    assert_eq!(decoded(&field), text);
}

#[test]
fn four_byte_characters_are_never_split_across_encoded_words() {
    let text = "😀a".repeat(30);
    let field = subject(&text);
    for word in words(&field) {
        assert!(word.len() <= MAX_WORD);
        decode_words(word);
    }
    assert_eq!(decoded(&field), text);
}

#[test]
fn a_long_ascii_subject_folds_at_its_own_spaces_and_unfolds_unchanged() {
    let text = "Quarterly planning notes for the regional offices and the central team, draft three of many";
    let field = subject(text);
    assert!(field.contains("\r\n "), "{field}");
    assert!(field.split("\r\n").all(|l| l.len() <= 76));
    assert_eq!(decoded(&field), text);
}

#[test]
fn doubled_spaces_in_literal_text_survive() {
    assert_eq!(decoded(&subject("a  b")), "a  b");
}

#[test]
fn control_characters_and_very_long_words_are_encoded() {
    assert!(needs_encoding("bell\u{7}"));
    assert!(needs_encoding(&"x".repeat(901)));
    assert!(!needs_encoding("tab\tis fine"));
    let long = "x".repeat(1000);
    let field = subject(&long);
    assert!(field.split("\r\n").all(|l| l.len() <= 76));
    assert_eq!(decoded(&field), long);
}

#[test]
fn the_first_encoded_word_fits_on_the_line_after_a_long_field_name() {
    let mut writer = HeaderWriter::new("X-A-Rather-Long-Field-Name");
    writer.encoded(&"é".repeat(60));
    let field = writer.finish();
    assert!(field.split("\r\n").all(|l| l.len() <= 76), "{field}");
    assert_eq!(decoded(&field), "é".repeat(60));
}
