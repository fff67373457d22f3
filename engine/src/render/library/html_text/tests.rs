use minijinja::Value;

use super::*;

#[test]
fn paragraphs_of_an_outlook_style_body_come_out_on_separate_lines() {
    let html = "<html><body><p>Quarterly numbers attached &amp; ready.</p><p>See you Monday</p></body></html>";
    assert_eq!(
        html_to_text(html),
        "Quarterly numbers attached & ready.\n\nSee you Monday"
    );
}

#[test]
fn a_line_break_inside_a_div_becomes_a_newline() {
    assert_eq!(
        html_to_text("<div>Hi team,<br>the agenda is below.</div>"),
        "Hi team,\nthe agenda is below."
    );
}

#[test]
fn block_elements_start_new_lines_and_list_items_are_marked() {
    let html = "<div>Intro</div><ul><li>one</li><li> two </li></ul><h2>Next</h2>tail";
    assert_eq!(html_to_text(html), "Intro\n- one\n- two\n\nNext\n\ntail");
}

#[test]
fn table_cells_are_separated_and_rows_are_lines() {
    let html =
        "<table><tr><td>Name</td><td>Stage</td></tr><tr><td>Acme</td><td>won</td></tr></table>";
    assert_eq!(html_to_text(html), "Name Stage\nAcme won");
}

#[test]
fn whitespace_runs_collapse_and_the_result_is_trimmed() {
    assert_eq!(html_to_text("  \n<p>  a \t\n b  </p>\n\n  "), "a b");
}

#[test]
fn at_most_one_blank_line_appears_in_a_row() {
    assert_eq!(
        html_to_text("a<br><br><br><br>b<p></p><p></p><p>c</p>"),
        "a\n\nb\n\nc"
    );
}

#[test]
fn a_link_shows_its_url_after_the_text() {
    let html = r#"Unter <a href="https://myaccount.google.com/permissions" style="x">Mein Konto</a> können"#;
    assert_eq!(
        html_to_text(html),
        "Unter Mein Konto (https://myaccount.google.com/permissions) können"
    );
}

#[test]
fn a_link_whose_text_is_its_url_is_shown_once() {
    assert_eq!(
        html_to_text(r#"<a href="https://example.com/">https://example.com</a>"#),
        "https://example.com"
    );
    assert_eq!(
        html_to_text(r#"<a href="mailto:carol@example.com">carol@example.com</a>"#),
        "carol@example.com"
    );
}

#[test]
fn anchors_without_a_useful_target_or_text_add_nothing() {
    assert_eq!(
        html_to_text(r##"<a href="#top">Top</a> <a href="javascript:void(0)">x</a> <a>plain</a>"##),
        "Top x plain"
    );
    assert_eq!(
        html_to_text(r#"<a href="https://t.example.com/c"><img src="b.png"></a>after"#),
        "after"
    );
}

#[test]
fn entities_in_link_targets_are_decoded() {
    let html = r#"<a href='https://example.com/?a=1&amp;b=2'>report</a>"#;
    assert_eq!(html_to_text(html), "report (https://example.com/?a=1&b=2)");
}

#[test]
fn script_style_and_title_content_is_dropped() {
    let html = "<head><title>Subject</title><style>p{color:red}</style></head><script>var a='<p>x</p>';</script><SCRIPT type=x>evil()</SCRIPT >Body";
    assert_eq!(html_to_text(html), "Body");
}

#[test]
fn comments_and_doctype_are_dropped() {
    assert_eq!(
        html_to_text("<!DOCTYPE html><!-- a <p>hidden</p> -->Shown<!--[if mso]>x<![endif]-->"),
        "Shown"
    );
}

#[test]
fn preformatted_text_keeps_its_line_breaks_and_indentation() {
    assert_eq!(
        html_to_text("<pre>line 1\n    line 2</pre>after"),
        "line 1\n    line 2\nafter"
    );
}

#[test]
fn non_breaking_and_zero_width_padding_does_not_show() {
    assert_eq!(
        html_to_text("Hello&nbsp;&nbsp;world&zwnj;&#8203;\u{a0}!"),
        "Hello world !"
    );
}

#[test]
fn a_less_than_sign_that_starts_no_tag_stays_as_text() {
    assert_eq!(
        html_to_text("if a < b and c <3 then"),
        "if a < b and c <3 then"
    );
}

#[test]
fn a_quoted_greater_than_sign_does_not_end_a_tag() {
    assert_eq!(
        html_to_text(r#"<a title="a>b" href="https://x.example">go</a>"#),
        "go (https://x.example)"
    );
}

#[test]
fn malformed_markup_never_panics_and_keeps_what_it_can() {
    let inputs = [
        "",
        "<",
        "<<<",
        "</",
        "</>",
        "<a",
        "<a href=",
        "<a href=\"",
        "<a href='x>y",
        "<!--",
        "<!",
        "<?",
        "<p>é<",
        "é<a href=é>ü</a",
        "&",
        "&#",
        "&#x",
        "&#xZZ;",
        "<pre>",
        "</pre></pre>x",
        "<script>never closed",
        "<style",
        "<li><li><li>",
        "<a href=x><a href=y>z</a>",
        "\u{0}<b>\u{0}</b>",
        "<td>a<td>b",
        "<br/><br /><BR>",
        "<p\n class=\"x\"\n>wrapped</p>",
        "<a href=\"x\" href='y'>t</a>",
        "<ä>ö</ä>",
        "<div =x>y</div>",
        "<div\u{a0}>z</div>",
        "<p>\r\n</p>\r\nok",
    ];
    for input in inputs {
        let _ = html_to_text(input);
    }
    assert_eq!(html_to_text("<p>é<"), "é<");
    assert_eq!(html_to_text("text<a href="), "text");
    assert_eq!(html_to_text("<script>never closed"), "");
    assert_eq!(html_to_text("<a href=x><a href=y>z</a>"), "z (y)");
    assert_eq!(html_to_text("<p\n class=\"x\"\n>wrapped</p>"), "wrapped");
}

#[test]
fn deeply_nested_markup_is_handled_without_recursion() {
    let html = format!(
        "{}deep{}",
        "<div><span>".repeat(20_000),
        "</span></div>".repeat(20_000)
    );
    assert_eq!(html_to_text(&html), "deep");
}

#[test]
fn the_filter_converts_strings_and_rejects_other_values() {
    assert_eq!(
        html_to_text_filter(&Value::from("<b>x</b>"))
            .unwrap()
            .as_str(),
        Some("x")
    );
    let err = html_to_text_filter(&Value::from(3)).unwrap_err();
    assert_eq!(
        err.detail(),
        Some("`value` must be an HTML string, got a number")
    );
}
