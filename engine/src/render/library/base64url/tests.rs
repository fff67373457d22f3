use minijinja::Value;

use super::*;

#[test]
fn unpadded_urlsafe_part_data_decodes_with_accents_intact() {
    let bytes = decode("UHJpY2VzID4-PiAxMCUgb2ZmPz8_IMOpdMOpCg").unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "Prices >>> 10% off??? été\n"
    );
}

#[test]
fn standard_alphabet_with_padding_decodes_to_the_same_bytes() {
    let urlsafe = decode("UHJpY2VzID4-PiAxMCUgb2ZmPz8_IMOpdMOpCg").unwrap();
    let standard = decode("UHJpY2VzID4+PiAxMCUgb2ZmPz8/IMOpdMOpCg==").unwrap();
    assert_eq!(urlsafe, standard);
}

#[test]
fn whitespace_and_line_breaks_inside_the_text_are_ignored() {
    let bytes = decode("SGkg\r\ndGVh\n bQ==\t").unwrap();
    assert_eq!(bytes, b"Hi team");
}

#[test]
fn empty_text_decodes_to_no_bytes() {
    assert_eq!(decode("").unwrap(), Vec::<u8>::new());
    assert_eq!(decode("  \n").unwrap(), Vec::<u8>::new());
}

#[test]
fn a_character_outside_both_alphabets_is_an_error_with_its_offset() {
    let err = decode("SGk*dGVh").unwrap_err();
    assert_eq!(err, "invalid character '*' at offset 3");
}

#[test]
fn padding_in_the_middle_is_rejected() {
    assert!(decode("SGk=dGVh").is_err());
}

#[test]
fn a_length_that_no_base64_text_can_have_is_rejected() {
    let err = decode("SGkgd").unwrap_err();
    assert!(err.contains("length 5"), "{err}");
}

#[test]
fn encoding_uses_the_urlsafe_alphabet_without_padding() {
    assert_eq!(
        encode("Prices >>> 10% off??? été\n".as_bytes()),
        "UHJpY2VzID4-PiAxMCUgb2ZmPz8_IMOpdMOpCg"
    );
    assert_eq!(encode(b"a"), "YQ");
}

#[test]
fn every_byte_value_survives_an_encode_decode_round_trip() {
    let all: Vec<u8> = (0..=255).collect();
    for len in 0..all.len() {
        assert_eq!(decode(&encode(&all[..len])).unwrap(), &all[..len]);
    }
}

#[test]
fn the_encode_filter_takes_strings_and_bytes() {
    assert_eq!(
        b64url_encode_filter(&Value::from("été")).unwrap().as_str(),
        Some("w6l0w6k")
    );
    let bytes = Value::from_bytes(vec![0xfb, 0xff]);
    assert_eq!(b64url_encode_filter(&bytes).unwrap().as_str(), Some("-_8"));
}

#[test]
fn the_encode_filter_rejects_a_map_naming_the_value() {
    let map = Value::from_iter([("a", 1)]);
    let err = b64url_encode_filter(&map).unwrap_err();
    assert!(
        err.detail()
            .unwrap()
            .starts_with("`value` must be a string or bytes")
    );
}

#[test]
fn the_decode_filter_returns_text_for_utf8() {
    let value =
        b64url_decode_filter(&Value::from("UHJpY2VzID4-PiAxMCUgb2ZmPz8_IMOpdMOpCg")).unwrap();
    assert_eq!(value.as_str(), Some("Prices >>> 10% off??? été\n"));
}

#[test]
fn the_decode_filter_returns_bytes_unchanged_when_they_are_not_utf8() {
    let latin1 = encode(&[b'c', 0xe9, b'!']);
    let value = b64url_decode_filter(&Value::from(latin1.as_str())).unwrap();
    assert_eq!(value.as_bytes(), Some(&[b'c', 0xe9, b'!'][..]));
    assert_eq!(
        b64url_encode_filter(&value).unwrap().as_str(),
        Some(latin1.as_str())
    );
}

#[test]
fn the_decode_filter_reports_bad_input_naming_the_value() {
    let err = b64url_decode_filter(&Value::from("no pe!")).unwrap_err();
    assert_eq!(
        err.detail(),
        Some("`value` is not base64: invalid character '!' at offset 5")
    );
}
