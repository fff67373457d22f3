//! Opaque page tokens and page slicing shared by the list methods.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::ApiError;

/// One page cut from a full, ordered result list.
pub(crate) struct Page<T> {
    /// The items on this page.
    pub(crate) items: Vec<T>,
    /// The token for the next page, absent on the last page.
    pub(crate) next_token: Option<String>,
}

/// Cuts the page that `token` points at; `scope` ties tokens to one kind of list.
///
/// Tokens are opaque to clients: they encode the offset of the next item together with
/// the scope, so a token from another method is rejected as `Invalid Value`.
pub(crate) fn page<T>(
    all: Vec<T>,
    scope: &str,
    token: Option<&str>,
    size: usize,
) -> Result<Page<T>, ApiError> {
    let start = match token {
        Some(token) => decode(scope, token).ok_or_else(|| ApiError::invalid_value("pageToken"))?,
        None => 0,
    };

    let total = all.len();
    let end = start.saturating_add(size).min(total);
    let items: Vec<T> = all
        .into_iter()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect();
    let next_token = (end < total).then(|| encode(scope, end));

    Ok(Page { items, next_token })
}

fn encode(scope: &str, offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("sandbox:{scope}:{offset}"))
}

fn decode(scope: &str, token: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim_end_matches('=')).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let offset = text
        .strip_prefix("sandbox:")?
        .strip_prefix(scope)?
        .strip_prefix(':')?;

    offset.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn following_next_tokens_visits_every_item_once() {
        let first = page((1..=5).collect(), "files", None, 2).unwrap();
        let second = page((1..=5).collect(), "files", first.next_token.as_deref(), 2).unwrap();
        let third = page((1..=5).collect(), "files", second.next_token.as_deref(), 2).unwrap();

        assert_eq!(first.items, [1, 2]);
        assert_eq!(second.items, [3, 4]);
        assert_eq!(third.items, [5]);
        assert!(third.next_token.is_none());
    }

    #[test]
    fn a_token_from_another_list_is_rejected() {
        let first = page((1..=5).collect::<Vec<_>>(), "files", None, 2).unwrap();
        let token = first.next_token.unwrap();

        assert!(page(vec![1], "events", Some(&token), 2).is_err());
        assert!(page(vec![1], "events", Some("garbage!"), 2).is_err());
    }
}
