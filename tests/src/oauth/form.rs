//! Reading OAuth requests: form and query parameters, HTTP Basic client credentials, bearer
//! tokens.

use axum::http::{HeaderMap, Uri, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::percent_decode_str;

/// Decoded `name=value` pairs, from a query string or an `x-www-form-urlencoded` body.
#[derive(Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Parses form-encoded bytes (`+` is a space).
    pub(crate) fn parse(bytes: &[u8]) -> Params {
        Params(form_urlencoded::parse(bytes).into_owned().collect())
    }

    /// The query string of `uri`.
    pub(crate) fn query(uri: &Uri) -> Params {
        Params::parse(uri.query().unwrap_or("").as_bytes())
    }

    /// The form body, then the query string, so a value given either way is found.
    pub(crate) fn body_then_query(body: &[u8], uri: &Uri) -> Params {
        let mut params = Params::parse(body);
        params.0.extend(Params::query(uri).0);
        params
    }

    /// The first non-empty value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }
}

/// `Authorization: Basic base64(id:secret)`, each part form-encoded (RFC 6749 §2.3.1).
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |text: &str| {
        percent_decode_str(&text.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    Some((unescape(id), unescape(secret)))
}

/// The token of `Authorization: Bearer <token>` (scheme case-insensitive), if non-empty.
pub(crate) fn bearer(authorization: Option<&str>) -> Option<&str> {
    let (scheme, token) = authorization?.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The bearer token of a request's headers.
pub(crate) fn bearer_of(headers: &HeaderMap) -> Option<&str> {
    bearer(
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    )
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn basic_credentials_are_base64_then_form_decoded() {
        let mut headers = HeaderMap::new();
        let encoded = STANDARD.encode("my%20client:s%3Acret+x");
        let value = HeaderValue::from_str(&format!("Basic {encoded}")).unwrap();
        headers.insert(header::AUTHORIZATION, value);

        assert_eq!(
            basic_credentials(&headers),
            Some(("my client".to_string(), "s:cret x".to_string()))
        );
    }

    #[test]
    fn a_body_value_wins_over_the_query_and_empty_values_count_as_absent() {
        let uri: Uri = "/revoke?token=from-query&x=1".parse().unwrap();
        let params = Params::body_then_query(b"token=from+body&x=", &uri);

        assert_eq!(params.get("token"), Some("from body"));
        assert_eq!(params.get("x"), Some("1"));
        assert_eq!(params.get("absent"), None);
    }

    #[test]
    fn only_a_non_empty_bearer_token_is_read() {
        assert_eq!(bearer(Some("Bearer ya29.a")), Some("ya29.a"));
        assert_eq!(bearer(Some("bearer  ya29.a ")), Some("ya29.a"));
        assert_eq!(bearer(Some("Bearer ")), None);
        assert_eq!(bearer(Some("Basic eDp5")), None);
        assert_eq!(bearer(None), None);
    }
}
