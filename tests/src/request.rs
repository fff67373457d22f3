//! A decoded request as the service handlers see it.

use serde_json::Value;

use crate::error::ApiError;

/// The parts of a request the handlers need, already decoded.
#[derive(Debug, Default)]
pub(crate) struct Incoming {
    /// Decoded query pairs, in order, repeated keys kept.
    pub(crate) query: Vec<(String, String)>,
    /// The raw body bytes.
    pub(crate) body: Vec<u8>,
    /// The body parsed as JSON, when it was JSON.
    pub(crate) json: Option<Value>,
}

impl Incoming {
    /// The first value of a query parameter; an empty value counts as absent.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a repeated query parameter, in order.
    pub(crate) fn params(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// A boolean parameter; absent is `false`, anything but `true`/`false` is a 400.
    pub(crate) fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.param(name) {
            None => Ok(false),
            Some(value) if value.eq_ignore_ascii_case("true") => Ok(true),
            Some(value) if value.eq_ignore_ascii_case("false") => Ok(false),
            Some(_) => Err(ApiError::invalid_value(name)),
        }
    }

    /// An integer parameter clamped to `1..=max`; absent gives `default`.
    pub(crate) fn size(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let Some(value) = self.param(name) else {
            return Ok(default);
        };
        let parsed: i64 = value.parse().map_err(|_| ApiError::invalid_value(name))?;

        Ok(parsed.clamp(1, max as i64) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_query(pairs: &[(&str, &str)]) -> Incoming {
        let query = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Incoming {
            query,
            ..Incoming::default()
        }
    }

    #[test]
    fn repeated_parameters_keep_every_value_in_order() {
        let req = with_query(&[
            ("eventTypes", "birthday"),
            ("q", "x"),
            ("eventTypes", "default"),
        ]);

        assert_eq!(req.params("eventTypes"), ["birthday", "default"]);
        assert_eq!(req.param("eventTypes"), Some("birthday"));
    }

    #[test]
    fn sizes_are_clamped_to_the_method_maximum() {
        let req = with_query(&[("maxResults", "9000"), ("pageSize", "0")]);

        assert_eq!(req.size("maxResults", 100, 500).unwrap(), 500);
        assert_eq!(req.size("pageSize", 100, 1000).unwrap(), 1);
        assert_eq!(req.size("absent", 100, 1000).unwrap(), 100);
    }

    #[test]
    fn a_flag_that_is_not_a_boolean_is_a_bad_request() {
        let req = with_query(&[("singleEvents", "yes")]);

        assert_eq!(req.flag("singleEvents").unwrap_err().code, 400);
        assert!(!req.flag("absent").unwrap());
    }
}
