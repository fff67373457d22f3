//! Unguessable token text.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};

/// `prefix` followed by 24 random bytes in base64url (32 characters).
pub(crate) fn token(prefix: &str) -> String {
    let mut bytes = [0u8; 24];
    SystemRandom::new()
        .fill(&mut bytes)
        .expect("the system random source is available");
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_their_prefix_and_differ_every_time() {
        let first = token("ya29.sandbox-");
        let second = token("ya29.sandbox-");

        assert!(first.starts_with("ya29.sandbox-"));
        assert_eq!(first.len(), "ya29.sandbox-".len() + 32);
        assert_ne!(first, second);
    }
}
