//! The signed JWT a service account sends to the token endpoint (`jwt-bearer` grant), and
//! the service-account key files its public key comes from.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::signature::{KeyPair, RSA_PKCS1_2048_8192_SHA256, RsaKeyPair, UnparsedPublicKey};
use serde_json::{Map, Value};

/// The longest lifetime Google accepts for an assertion, `exp - iat`, in seconds.
const MAX_LIFETIME: i64 = 3600;

/// How far in the future `iat` may be, for clock skew, in seconds.
const SKEW: i64 = 300;

/// A JWT split into its parts, the header and claims decoded, the signature not yet checked.
#[derive(Debug)]
pub(crate) struct Assertion {
    /// The JOSE header.
    pub(crate) header: Map<String, Value>,
    /// The claims set.
    pub(crate) claims: Map<String, Value>,
    /// `base64url(header) . base64url(claims)`: what the signature covers.
    signing_input: String,
    /// The decoded signature bytes.
    signature: Vec<u8>,
}

/// The claims a `jwt-bearer` grant needs, read from an [`Assertion`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Claims {
    /// The service account's email.
    pub(crate) iss: String,
    /// The space-separated scopes asked for, if any.
    pub(crate) scope: Option<String>,
    /// The token endpoint the assertion is meant for.
    pub(crate) aud: String,
    /// Issued at, in seconds since the epoch.
    pub(crate) iat: i64,
    /// Expires at, in seconds since the epoch.
    pub(crate) exp: i64,
    /// The user to act for (domain-wide delegation), if any.
    pub(crate) sub: Option<String>,
}

/// Splits `header.claims.signature` and decodes the three base64url parts.
pub(crate) fn parse(text: &str) -> Result<Assertion, &'static str> {
    let parts: Vec<&str> = text.trim().split('.').collect();
    let [header, claims, signature] = parts[..] else {
        return Err("a JWT has three dot-separated parts");
    };
    let object = |part: &str| -> Result<Map<String, Value>, &'static str> {
        let bytes = decode(part).ok_or("a JWT part is not base64url")?;
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err("a JWT header or claims set is not a JSON object"),
        }
    };

    Ok(Assertion {
        header: object(header)?,
        claims: object(claims)?,
        signing_input: format!("{header}.{claims}"),
        signature: decode(signature).ok_or("the JWT signature is not base64url")?,
    })
}

/// base64url, padded or not.
fn decode(part: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()
}

impl Assertion {
    /// The header's `alg`.
    pub(crate) fn algorithm(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The claims a grant needs; a missing or mistyped one is named in the error.
    pub(crate) fn grant_claims(&self) -> Result<Claims, String> {
        let text = |name: &str| self.claims.get(name).and_then(Value::as_str);
        let number = |name: &str| -> Result<i64, String> {
            self.claims
                .get(name)
                .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
                .ok_or(format!("the `{name}` claim is missing or not a number"))
        };

        Ok(Claims {
            iss: text("iss").ok_or("the `iss` claim is missing")?.to_string(),
            scope: text("scope").map(str::to_string),
            aud: text("aud").ok_or("the `aud` claim is missing")?.to_string(),
            iat: number("iat")?,
            exp: number("exp")?,
            sub: text("sub").map(str::to_string),
        })
    }

    /// Whether the header says RS256 and the signature verifies with `public_key`, a DER
    /// `RSAPublicKey` (PKCS #1).
    pub(crate) fn verify_rs256(&self, public_key: &[u8]) -> bool {
        self.algorithm() == Some("RS256")
            && UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public_key)
                .verify(self.signing_input.as_bytes(), &self.signature)
                .is_ok()
    }
}

impl Claims {
    /// Google's rule: `iat` not in the future (give or take the skew), `exp` after now and
    /// at most an hour after `iat`.
    pub(crate) fn timely(&self, now: i64) -> bool {
        self.iat <= now + SKEW
            && self.exp > now
            && self.exp > self.iat
            && self.exp - self.iat <= MAX_LIFETIME
    }
}

/// The `client_email` of a service-account key file and the DER public key of its
/// `private_key` (PKCS #8 PEM).
pub(crate) fn service_account_key(key_file: &str) -> Result<(String, Vec<u8>), String> {
    let doc: Value =
        serde_json::from_str(key_file).map_err(|e| format!("the key file is not JSON: {e}"))?;
    let email = doc["client_email"]
        .as_str()
        .ok_or("the key file has no `client_email`")?;
    let pem = doc["private_key"]
        .as_str()
        .ok_or("the key file has no `private_key`")?;
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = STANDARD
        .decode(body.trim())
        .map_err(|_| "the private key is not PEM")?;
    let pair = RsaKeyPair::from_pkcs8(&der)
        .map_err(|e| format!("the private key is not a PKCS #8 RSA key: {e}"))?;

    Ok((email.to_string(), pair.public_key().as_ref().to_vec()))
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;
    use ring::signature::RSA_PKCS1_SHA256;
    use serde_json::json;

    use super::*;
    use crate::oauth::{SERVICE_ACCOUNT_EMAIL, SERVICE_ACCOUNT_KEY};

    fn b64(value: &Value) -> String {
        URL_SAFE_NO_PAD.encode(value.to_string())
    }

    fn unsigned(claims: &Value) -> String {
        format!("{}.{}.c2ln", b64(&json!({"alg": "RS256"})), b64(claims))
    }

    /// Signs `claims` with the fixture key, as a client library would.
    fn signed(claims: &Value) -> String {
        let doc: Value = serde_json::from_str(SERVICE_ACCOUNT_KEY).unwrap();
        let body: String = doc["private_key"]
            .as_str()
            .unwrap()
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        let pair = RsaKeyPair::from_pkcs8(&STANDARD.decode(body).unwrap()).unwrap();
        let input = format!(
            "{}.{}",
            b64(&json!({"alg": "RS256", "typ": "JWT"})),
            b64(claims)
        );
        let mut signature = vec![0; pair.public().modulus_len()];
        pair.sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            input.as_bytes(),
            &mut signature,
        )
        .unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    fn claims() -> Value {
        json!({"iss": SERVICE_ACCOUNT_EMAIL, "scope": "https://mail.google.com/",
               "aud": "https://oauth2.googleapis.com/token", "iat": 1000, "exp": 4600,
               "sub": "user@example.com"})
    }

    #[test]
    fn an_assertion_yields_its_header_and_grant_claims() {
        let assertion = parse(&unsigned(&claims())).unwrap();

        assert_eq!(assertion.algorithm(), Some("RS256"));
        assert_eq!(
            assertion.grant_claims().unwrap(),
            Claims {
                iss: SERVICE_ACCOUNT_EMAIL.into(),
                scope: Some("https://mail.google.com/".into()),
                aud: "https://oauth2.googleapis.com/token".into(),
                iat: 1000,
                exp: 4600,
                sub: Some("user@example.com".into()),
            }
        );
    }

    #[test]
    fn text_that_is_not_three_base64url_json_parts_is_refused() {
        let header = b64(&json!({"alg": "RS256"}));

        assert!(parse("one.two").is_err());
        assert!(parse("a.b.c.d").is_err());
        assert!(parse(&format!("{header}.!!!.c2ln")).is_err());
        assert!(parse(&format!("{header}.{}.c2ln", URL_SAFE_NO_PAD.encode("[1]"))).is_err());
        assert!(parse(&format!("{header}.{}.c2ln=", b64(&claims()))).is_ok());
    }

    #[test]
    fn a_claim_that_is_missing_or_of_the_wrong_type_is_named() {
        let mut no_aud = claims();
        no_aud.as_object_mut().unwrap().remove("aud");
        let mut text_exp = claims();
        text_exp["exp"] = json!("later");

        let error = parse(&unsigned(&no_aud)).unwrap().grant_claims();
        assert!(error.unwrap_err().contains("`aud`"));
        let error = parse(&unsigned(&text_exp)).unwrap().grant_claims();
        assert!(error.unwrap_err().contains("`exp`"));
    }

    #[test]
    fn an_assertion_is_timely_only_within_an_hour_and_not_from_the_future() {
        let at = |iat, exp| Claims {
            iat,
            exp,
            ..parse(&unsigned(&claims())).unwrap().grant_claims().unwrap()
        };

        assert!(at(1000, 4600).timely(2000));
        assert!(!at(1000, 4601).timely(2000), "longer than an hour");
        assert!(!at(1000, 1900).timely(2000), "expired");
        assert!(!at(3000, 4000).timely(2000), "issued in the future");
        assert!(at(2200, 4000).timely(2000), "a little skew is fine");
    }

    #[test]
    fn a_signature_by_the_fixture_key_verifies_and_a_tampered_one_does_not() {
        let (email, public_key) = service_account_key(SERVICE_ACCOUNT_KEY).unwrap();
        assert_eq!(email, SERVICE_ACCOUNT_EMAIL);

        let good = signed(&claims());
        assert!(parse(&good).unwrap().verify_rs256(&public_key));

        let mut other = claims();
        other["sub"] = json!("mallory@example.com");
        let (_, rest) = good.split_once('.').unwrap();
        let (_, signature) = rest.split_once('.').unwrap();
        let forged = format!(
            "{}.{}.{signature}",
            b64(&json!({"alg": "RS256"})),
            b64(&other)
        );
        assert!(!parse(&forged).unwrap().verify_rs256(&public_key));
        assert!(
            !parse(&unsigned(&claims()))
                .unwrap()
                .verify_rs256(&public_key)
        );
    }

    #[test]
    fn a_key_file_without_a_usable_private_key_is_refused() {
        assert!(service_account_key("{}").is_err());
        assert!(service_account_key(r#"{"client_email": "a@b", "private_key": "x"}"#).is_err());
    }
}
