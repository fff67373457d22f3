//! PKCE (RFC 7636): the challenge sent to the authorization endpoint and the verifier sent
//! to the token endpoint.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest::{SHA256, digest};

/// How the challenge was derived from the verifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    /// `BASE64URL(SHA256(verifier))`, unpadded.
    S256,
    /// The verifier itself.
    Plain,
}

impl Method {
    /// Google's rule: absent means `plain`; only `S256` and `plain` exist.
    pub(crate) fn parse(text: Option<&str>) -> Option<Method> {
        match text {
            None | Some("plain") => Some(Method::Plain),
            Some("S256") => Some(Method::S256),
            Some(_) => None,
        }
    }
}

/// A challenge as the authorization request carried it.
#[derive(Clone, Debug)]
pub(crate) struct Challenge {
    /// How it was derived.
    pub(crate) method: Method,
    /// The challenge text.
    pub(crate) value: String,
}

impl Challenge {
    /// Whether `verifier` is well formed and derives this challenge.
    pub(crate) fn accepts(&self, verifier: &str) -> bool {
        if !well_formed(verifier) {
            return false;
        }
        match self.method {
            Method::Plain => verifier == self.value,
            Method::S256 => s256(verifier) == self.value,
        }
    }
}

/// `BASE64URL(SHA256(verifier))` without padding.
pub(crate) fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()))
}

/// 43 to 128 characters from `A-Z a-z 0-9 - . _ ~`: the rule for verifiers, and so for
/// plain challenges and (at exactly 43) S256 challenges.
pub(crate) fn well_formed(text: &str) -> bool {
    (43..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example pair of RFC 7636, appendix B.
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn the_rfc_7636_example_verifier_derives_its_s256_challenge() {
        assert_eq!(s256(VERIFIER), CHALLENGE);

        let challenge = Challenge {
            method: Method::S256,
            value: CHALLENGE.into(),
        };
        assert!(challenge.accepts(VERIFIER));
        assert!(!challenge.accepts(&VERIFIER.replace('d', "e")));
    }

    #[test]
    fn a_plain_challenge_accepts_only_the_same_text() {
        let challenge = Challenge {
            method: Method::Plain,
            value: VERIFIER.into(),
        };

        assert!(challenge.accepts(VERIFIER));
        assert!(!challenge.accepts(CHALLENGE));
    }

    #[test]
    fn a_verifier_outside_43_to_128_unreserved_characters_is_refused() {
        assert!(!well_formed("short"));
        assert!(!well_formed(&"a".repeat(129)));
        assert!(!well_formed(&format!("{}+", "a".repeat(43))));
        assert!(well_formed(&"a~._-".repeat(10)));

        let challenge = Challenge {
            method: Method::Plain,
            value: "short".into(),
        };
        assert!(!challenge.accepts("short"));
    }

    #[test]
    fn the_method_defaults_to_plain_and_knows_only_s256_and_plain() {
        assert_eq!(Method::parse(None), Some(Method::Plain));
        assert_eq!(Method::parse(Some("S256")), Some(Method::S256));
        assert_eq!(Method::parse(Some("plain")), Some(Method::Plain));
        assert_eq!(Method::parse(Some("s256")), None);
        assert_eq!(Method::parse(Some("S512")), None);
    }
}
