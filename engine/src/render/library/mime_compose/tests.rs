use super::super::test_support::{decode_words, parse_message, qp_decode};
use super::*;

/// A message to Alice with the given subject and body.
fn to_alice(subject: &str, body: &str) -> MessageSpec {
    MessageSpec {
        to: Some("alice@example.com".into()),
        subject: Some(subject.into()),
        body: body.into(),
        ..MessageSpec::default()
    }
}

/// The error message `compose` gives for `spec`.
fn problem(spec: &MessageSpec) -> String {
    compose(spec).unwrap_err().detail().unwrap().to_string()
}

/// Asserts what case 1 asks of a `Subject` field: ASCII lines, short encoded-words, exact decode.
fn assert_encoded_subject(raw: &str, subject: &str) {
    let head = raw.split("\r\n\r\n").next().unwrap();
    let start = head.find("Subject:").unwrap();
    let mut lines = head[start..].split("\r\n");
    let mut field = vec![lines.next().unwrap()];
    field.extend(lines.take_while(|l| l.starts_with(' ')));
    for line in &field {
        assert!(line.is_ascii() && line.len() <= 76, "{line:?}");
        for word in line.split(' ').filter(|w| w.starts_with("=?")) {
            assert!(word.starts_with("=?UTF-8?B?") && word.len() <= 75, "{word}");
        }
    }
    assert_eq!(decode_words(parse_message(raw).one("Subject")), subject);
}

#[test]
fn a_non_ascii_subject_is_sent_as_encoded_words_that_decode_exactly() {
    let raw = compose(&to_alice("Relatório — 東京 ✓", "Olá, segue o relatório.")).unwrap();
    assert!(raw.is_ascii());
    assert_encoded_subject(&raw, "Relatório — 東京 ✓");
    assert!(
        raw.contains("Subject: =?UTF-8?B?UmVsYXTDs3JpbyDigJQg5p2x5LqsIOKckw==?=\r\n"),
        "{raw}"
    );
}

#[test]
fn an_eighty_character_cjk_subject_folds_and_decodes_exactly() {
    let subject = "東京".repeat(40);
    let raw = compose(&to_alice(&subject, "x")).unwrap();
    let parsed = parse_message(&raw);
    assert!(
        raw.split("\r\n\r\n")
            .next()
            .unwrap()
            .contains("\r\n =?UTF-8?B?"),
        "folded: {raw}"
    );
    assert_encoded_subject(&raw, &subject);
    assert_eq!(parsed.all("Subject").len(), 1);
}

#[test]
fn a_message_has_mime_version_and_a_utf8_text_body_with_accents_intact() {
    let raw = compose(&to_alice("Relatório", "Olá, segue o relatório.")).unwrap();
    let parsed = parse_message(&raw);
    assert_eq!(parsed.one("MIME-Version"), "1.0");
    assert_eq!(parsed.one("Content-Type"), "text/plain; charset=UTF-8");
    assert_eq!(parsed.one("Content-Transfer-Encoding"), "quoted-printable");
    assert_eq!(
        String::from_utf8(qp_decode(&parsed.body)).unwrap(),
        "Olá, segue o relatório."
    );
    assert!(parsed.all("Date").is_empty() && parsed.all("Message-ID").is_empty());
}

#[test]
fn an_ascii_message_is_literal_7bit_with_crlf_line_ends() {
    let raw = compose(&to_alice("Budget", "Sounds good.\nSee you\r\nthere\rsoon")).unwrap();
    assert_eq!(
        raw,
        "To: alice@example.com\r\nSubject: Budget\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n\
         Sounds good.\r\nSee you\r\nthere\r\nsoon"
    );
}

#[test]
fn an_ascii_subject_with_an_encoded_word_opener_is_encoded() {
    let raw = compose(&to_alice("Fwd: =?UTF-8?B?SGk=?= literally", "x")).unwrap();
    assert!(!raw.contains("Subject: Fwd"), "{raw}");
    assert_encoded_subject(&raw, "Fwd: =?UTF-8?B?SGk=?= literally");
}

#[test]
fn a_line_break_in_the_subject_is_an_error_naming_it() {
    for subject in [
        "Invoice\r\nBcc: attacker@example.net",
        "Invoice\nBcc: attacker@example.net",
        "Invoice\rBcc: attacker@example.net",
    ] {
        let mut spec = to_alice(subject, "see attached");
        spec.to = Some("bob@example.com".into());
        assert_eq!(
            problem(&spec),
            "`subject` contains a line break (CR or LF); header fields must be one line"
        );
    }
}

/// Sets one field of a message spec.
type Setter = fn(&mut MessageSpec, String);

#[test]
fn a_line_break_in_any_header_field_is_an_error_naming_that_field() {
    let setters: [(&str, Setter); 8] = [
        ("to", |s, v| s.to = Some(v)),
        ("cc", |s, v| s.cc = Some(v)),
        ("bcc", |s, v| s.bcc = Some(v)),
        ("subject", |s, v| s.subject = Some(v)),
        ("from_name", |s, v| s.from_name = Some(v)),
        ("from_email", |s, v| s.from_email = Some(v)),
        ("in_reply_to", |s, v| s.in_reply_to = Some(v)),
        ("references", |s, v| s.references = Some(v)),
    ];
    for (field, set) in setters {
        for brk in ["\r\n", "\n", "\r"] {
            let mut spec = to_alice("Invoice", "see attached");
            spec.from_email = Some("me@example.com".into());
            set(
                &mut spec,
                format!("x@example.com{brk}Bcc: attacker@example.net"),
            );
            assert_eq!(
                problem(&spec),
                format!(
                    "`{field}` contains a line break (CR or LF); header fields must be one line"
                ),
                "{field} with {brk:?}"
            );
        }
    }
}

#[test]
fn line_breaks_are_reported_before_bad_addresses() {
    let mut spec = to_alice("a\nb", "x");
    spec.to = Some("not an address".into());
    assert!(problem(&spec).starts_with("`subject` contains a line break"));
}

#[test]
fn a_line_break_in_the_body_is_fine() {
    let raw = compose(&to_alice("Hi", "line one\r\nBcc: not-a-header@example.net")).unwrap();
    let parsed = parse_message(&raw);
    assert!(parsed.all("Bcc").is_empty());
}

#[test]
fn a_reply_gets_bracketed_in_reply_to_and_references_ending_with_it() {
    let spec = MessageSpec {
        to: Some("dave@example.com".into()),
        subject: Some(subject_reply("Re: Budget")),
        body: "Sounds good.".into(),
        in_reply_to: Some("<CAB2xyz@mail.example.com>".into()),
        references: Some("<CAB0root@mail.example.com> <CAB1abc@mail.example.com>".into()),
        ..MessageSpec::default()
    };
    let parsed = parse_message(&compose(&spec).unwrap());
    assert_eq!(parsed.one("In-Reply-To"), "<CAB2xyz@mail.example.com>");
    assert_eq!(
        parsed.one("References"),
        "<CAB0root@mail.example.com> <CAB1abc@mail.example.com> <CAB2xyz@mail.example.com>"
    );
    assert_eq!(parsed.one("Subject"), "Re: Budget");
}

#[test]
fn message_ids_without_brackets_get_them() {
    let spec = MessageSpec {
        in_reply_to: Some("CAB2xyz@mail.example.com".into()),
        references: Some("CAB0root@mail.example.com,CAB2xyz@mail.example.com".into()),
        ..to_alice("Budget", "x")
    };
    let parsed = parse_message(&compose(&spec).unwrap());
    assert_eq!(parsed.one("In-Reply-To"), "<CAB2xyz@mail.example.com>");
    assert_eq!(
        parsed.one("References"),
        "<CAB0root@mail.example.com> <CAB2xyz@mail.example.com>"
    );
}

#[test]
fn in_reply_to_alone_also_starts_the_references() {
    let spec = MessageSpec {
        in_reply_to: Some("CAB2xyz@mail.example.com".into()),
        ..to_alice("Budget", "x")
    };
    assert_eq!(
        parse_message(&compose(&spec).unwrap()).one("References"),
        "<CAB2xyz@mail.example.com>"
    );
}

#[test]
fn a_gmail_api_id_as_in_reply_to_is_an_error_explaining_the_difference() {
    let spec = MessageSpec {
        in_reply_to: Some("18f0000000000b02".into()),
        ..to_alice("Budget", "x")
    };
    let message = problem(&spec);
    assert!(
        message.starts_with("`in_reply_to` value `18f0000000000b02` is not an RFC 5322 Message-ID"),
        "{message}"
    );
    let spec = MessageSpec {
        references: Some("<a@b> <@x>".into()),
        ..to_alice("Budget", "x")
    };
    assert!(problem(&spec).starts_with("`references` value `<@x>`"));
}

#[test]
fn many_references_fold_between_ids() {
    let ids: Vec<String> = (0..6)
        .map(|i| format!("<CAB{i}longer-message-id-text@mail.example.com>"))
        .collect();
    let spec = MessageSpec {
        references: Some(ids.join(" ")),
        ..to_alice("Budget", "x")
    };
    let raw = compose(&spec).unwrap();
    assert!(raw.split("\r\n").all(|l| l.len() <= 76), "{raw}");
    assert_eq!(parse_message(&raw).one("References"), ids.join(" "));
}

#[test]
fn recipients_and_sender_are_validated_and_written() {
    let spec = MessageSpec {
        cc: Some("\"Smith, Bob\" <bob@example.com>, carol@example.com".into()),
        bcc: Some("audit@example.com".into()),
        from_name: Some("Zoë Ops".into()),
        from_email: Some("ops@example.com".into()),
        ..to_alice("Hi", "x")
    };
    let raw = compose(&spec).unwrap();
    let parsed = parse_message(&raw);
    assert_eq!(
        decode_words(parsed.one("From")),
        "Zoë Ops <ops@example.com>"
    );
    assert_eq!(
        parsed.one("Cc"),
        "\"Smith, Bob\" <bob@example.com>, carol@example.com"
    );
    assert_eq!(parsed.one("Bcc"), "audit@example.com");
    assert!(raw.starts_with("From: "));
}

#[test]
fn an_invalid_recipient_is_an_error_naming_the_field() {
    let spec = MessageSpec {
        cc: Some("bob@example.com, nobody".into()),
        ..to_alice("Hi", "x")
    };
    assert_eq!(
        problem(&spec),
        "`cc` has an invalid address `nobody`: it has no `@`"
    );
    let spec = MessageSpec {
        from_name: Some("Ops".into()),
        ..to_alice("Hi", "x")
    };
    assert!(problem(&spec).starts_with("`from_name` needs `from_email`"));
    let spec = MessageSpec {
        from_email: Some("a@example.com, b@example.com".into()),
        ..to_alice("Hi", "x")
    };
    assert_eq!(problem(&spec), "`from_email` must be one address");
}

#[test]
fn an_html_body_becomes_alternative_text_and_html_parts() {
    let html = "<p>Quarterly numbers attached &amp; ready.</p><p>See you Monday — Zoë</p>";
    let spec = MessageSpec {
        body: html.into(),
        html: true,
        ..to_alice("Q3", "")
    };
    let raw = compose(&spec).unwrap();
    let parsed = parse_message(&raw);
    let content_type = parsed.one("Content-Type");
    let boundary = content_type
        .split("boundary=\"")
        .nth(1)
        .unwrap()
        .trim_end_matches('"');
    assert!(content_type.starts_with("multipart/alternative; ") && boundary.starts_with("=_"));
    let parts: Vec<&str> = parsed.body.split(&format!("--{boundary}")).collect();
    assert_eq!(parts.len(), 4, "{raw}");
    assert_eq!(parts[3], "--\r\n");
    let text = parse_message(parts[1].trim_start_matches("\r\n"));
    assert_eq!(text.one("Content-Type"), "text/plain; charset=UTF-8");
    let text_body = String::from_utf8(qp_decode(text.body.trim_end_matches("\r\n"))).unwrap();
    assert_eq!(
        text_body,
        "Quarterly numbers attached & ready.\r\n\r\nSee you Monday — Zoë"
    );
    let html_part = parse_message(parts[2].trim_start_matches("\r\n"));
    assert_eq!(html_part.one("Content-Type"), "text/html; charset=UTF-8");
    assert_eq!(
        String::from_utf8(qp_decode(html_part.body.trim_end_matches("\r\n"))).unwrap(),
        html
    );
}

#[test]
fn the_same_message_is_composed_the_same_way_twice() {
    let spec = MessageSpec {
        body: "<b>x</b>".into(),
        html: true,
        ..to_alice("Q3", "")
    };
    assert_eq!(compose(&spec).unwrap(), compose(&spec).unwrap());
}

#[test]
fn blank_subject_and_absent_recipients_are_left_out() {
    let spec = MessageSpec {
        subject: Some("  ".into()),
        body: "draft".into(),
        ..MessageSpec::default()
    };
    let parsed = parse_message(&compose(&spec).unwrap());
    assert!(parsed.all("Subject").is_empty() && parsed.all("To").is_empty());
}

#[test]
fn reply_subjects_get_one_re_prefix() {
    assert_eq!(subject_reply("Budget"), "Re: Budget");
    assert_eq!(subject_reply("Re: Budget"), "Re: Budget");
    assert_eq!(subject_reply("RE: x"), "RE: x");
    assert_eq!(subject_reply("re:x"), "re:x");
    assert_eq!(subject_reply("Re[2]: Budget"), "Re[2]: Budget");
    assert_eq!(subject_reply("Fwd: Budget"), "Re: Fwd: Budget");
    assert_eq!(
        subject_reply("Regarding the plan"),
        "Re: Regarding the plan"
    );
    assert_eq!(subject_reply("  Budget "), "Re: Budget");
    assert_eq!(subject_reply(""), "Re:");
}
