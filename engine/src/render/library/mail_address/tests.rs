use super::super::test_support::{decode_words, parse_message};
use super::*;

/// Parses `text` as the `to` argument and writes it back as a `To` field.
fn round_trip(text: &str) -> String {
    let mut writer = HeaderWriter::new("To");
    write_mailboxes(&mut writer, &parse_list("to", text).unwrap());
    writer.finish()
}

/// The error message for `text` given as argument `field`.
fn problem(field: &str, text: &str) -> String {
    parse_list(field, text)
        .unwrap_err()
        .detail()
        .unwrap()
        .to_string()
}

#[test]
fn a_bare_address_is_read_as_is() {
    let list = parse_list("to", " alice@example.com ").unwrap();
    assert_eq!(
        list,
        [Mailbox {
            name: None,
            address: "alice@example.com".into()
        }]
    );
}

#[test]
fn names_in_angle_bracket_form_and_quoted_commas_are_read() {
    let list = parse_list(
        "cc",
        r#"Bob Smith <bob@example.com>, "Doe, Jane \"JJ\"" <jane@example.org>; carol@example.net,"#,
    )
    .unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].name.as_deref(), Some("Bob Smith"));
    assert_eq!(list[1].name.as_deref(), Some("Doe, Jane \"JJ\""));
    assert_eq!(list[1].address, "jane@example.org");
    assert_eq!(
        list[2],
        Mailbox {
            name: None,
            address: "carol@example.net".into()
        }
    );
}

#[test]
fn an_empty_name_before_brackets_counts_as_no_name() {
    let list = parse_list("to", "<dave@example.com>").unwrap();
    assert_eq!(list[0].name, None);
}

#[test]
fn invalid_addresses_are_errors_naming_the_field_and_the_address() {
    assert_eq!(
        problem("to", "bob"),
        "`to` has an invalid address `bob`: it has no `@`"
    );
    assert_eq!(
        problem("cc", "a@b@example.com"),
        "`cc` has an invalid address `a@b@example.com`: it has more than one `@`"
    );
    assert_eq!(
        problem("bcc", "x <a..b@example.com>"),
        "`bcc` has an invalid address `a..b@example.com`: the part before `@` has a character or dot that is not allowed"
    );
    assert_eq!(
        problem("to", "bob@localhost"),
        "`to` has an invalid address `bob@localhost`: the domain needs at least one dot"
    );
    assert_eq!(
        problem("to", "bob@-x.example.com"),
        "`to` has an invalid address `bob@-x.example.com`: the domain has an empty or invalid label"
    );
    assert!(problem("to", "josé@example.com").contains("must be ASCII"));
    assert!(problem("to", "bob smith@example.com").contains("not allowed"));
    assert!(problem("to", &format!("{}@example.com", "a".repeat(65))).contains("1 to 64"));
}

#[test]
fn unbalanced_brackets_and_empty_lists_are_errors() {
    assert_eq!(
        problem("to", "Bob <bob@example.com"),
        "`to` has an unbalanced angle bracket in `Bob <bob@example.com`"
    );
    assert_eq!(
        problem("to", "bob@example.com>"),
        "`to` has an unbalanced angle bracket in `bob@example.com>`"
    );
    assert_eq!(problem("to", " , ;"), "`to` holds no address");
}

#[test]
fn plain_names_are_written_as_words_and_others_are_quoted() {
    assert_eq!(
        round_trip("Bob Smith <bob@example.com>"),
        "To: Bob Smith <bob@example.com>\r\n"
    );
    assert_eq!(
        round_trip("\"Smith, Bob\" <bob@example.com>"),
        "To: \"Smith, Bob\" <bob@example.com>\r\n"
    );
    assert_eq!(
        round_trip("John Q. Public <jqp@example.com>"),
        "To: \"John Q. Public\" <jqp@example.com>\r\n"
    );
    assert_eq!(
        round_trip(r#""a \"b\" \\ c" <x@example.com>"#),
        "To: \"a \\\"b\\\" \\\\ c\" <x@example.com>\r\n"
    );
}

#[test]
fn non_ascii_names_are_encoded_and_decode_back() {
    let field = round_trip("José Müller <jose@example.com>, 東京 チーム <team@example.jp>");
    assert!(field.is_ascii());
    let value = &parse_message(&format!("{field}\r\n")).headers[0].1;
    assert_eq!(
        decode_words(value),
        "José Müller <jose@example.com>, 東京 チーム <team@example.jp>"
    );
}

#[test]
fn long_lists_fold_between_addresses() {
    let list: Vec<String> = (0..8)
        .map(|i| format!("person.number{i}@example.com"))
        .collect();
    let field = round_trip(&list.join(", "));
    assert!(field.split("\r\n").all(|l| l.len() <= 76), "{field}");
    let value = &parse_message(&format!("{field}\r\n")).headers[0].1;
    assert_eq!(value, &list.join(", "));
}
