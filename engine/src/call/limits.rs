//! Bounds on what one call may take and give: argument size, concurrent Google requests per
//! account, and how much text reaches the model.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use serde_json::{Map, Value};
use tokio::sync::Semaphore;

/// The configured bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest arguments object accepted, in bytes of JSON.
    pub max_argument_bytes: usize,
    /// The most characters of text a result gives the model; longer text is cut with a marker.
    pub max_text_chars: usize,
    /// Google requests in flight at once for one account, across all its calls.
    pub per_account_concurrency: usize,
}

impl Default for Limits {
    /// 8 MiB of arguments (attachments travel as base64), 60,000 characters of text (about
    /// 15,000 tokens), 8 requests in flight per account (Google throttles bursts per user).
    fn default() -> Self {
        Limits {
            max_argument_bytes: 8 * 1024 * 1024,
            max_text_chars: 60_000,
            per_account_concurrency: 8,
        }
    }
}

impl Limits {
    /// Whether the arguments are within bounds; the error says how far over.
    pub fn check_arguments(&self, args: &Map<String, Value>) -> Result<(), String> {
        let size = serde_json::to_string(args)
            .map(|s| s.len())
            .unwrap_or(usize::MAX);
        if size > self.max_argument_bytes {
            return Err(format!(
                "the arguments are {size} bytes, more than the {} this server accepts",
                self.max_argument_bytes
            ));
        }
        Ok(())
    }

    /// `text` cut to the character limit, with a marker saying so and what to do.
    pub fn clip_text(&self, text: String) -> String {
        if text.chars().count() <= self.max_text_chars {
            return text;
        }
        let cut: String = text.chars().take(self.max_text_chars).collect();
        format!(
            "{cut}\n[output truncated at {} characters; the structured content has every field. \
             Ask for fewer items or a narrower range to read the rest as text.]",
            self.max_text_chars
        )
    }
}

/// One semaphore per account, so one busy account cannot flood Google or starve the others.
#[derive(Debug, Default)]
pub struct AccountGates {
    gates: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl AccountGates {
    /// The gate of `account`, created with `permits` on first use.
    pub fn gate(&self, account: &str, permits: usize) -> Arc<Semaphore> {
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        gates
            .entry(account.to_owned())
            .or_insert_with(|| Arc::new(Semaphore::new(permits.max(1))))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_text_is_cut_on_a_character_boundary_with_a_marker() {
        let limits = Limits {
            max_text_chars: 5,
            ..Limits::default()
        };

        let clipped = limits.clip_text("été à Zürich".to_owned());

        assert!(
            clipped.starts_with("été à\n[output truncated at 5 characters"),
            "{clipped}"
        );
        assert_eq!(limits.clip_text("short".to_owned()), "short");
    }

    #[test]
    fn oversized_arguments_are_refused_with_their_size() {
        let limits = Limits {
            max_argument_bytes: 10,
            ..Limits::default()
        };
        let args = json!({"body": "0123456789"}).as_object().cloned().unwrap();

        let error = limits.check_arguments(&args).unwrap_err();

        assert!(error.contains("more than the 10"), "{error}");
    }

    #[tokio::test]
    async fn each_account_has_its_own_gate() {
        let gates = AccountGates::default();
        let ann = gates.gate("ann@example.com", 1);
        let _held = ann.clone().acquire_owned().await.unwrap();

        assert_eq!(gates.gate("ann@example.com", 1).available_permits(), 0);
        assert_eq!(gates.gate("bob@example.com", 1).available_permits(), 1);
    }
}
