//! Sign-ins under way: each `state` sent to Google with the PKCE verifier its callback needs.

use std::{collections::HashMap, sync::Mutex, time::Instant};

/// How long a sign-in link stays good.
const TTL_SECS: u64 = 15 * 60;

/// The most sign-ins kept at once; the oldest go first.
const CAP: usize = 256;

/// Pending sign-ins.
#[derive(Debug, Default)]
pub struct Pending {
    entries: Mutex<HashMap<String, (String, Instant)>>,
}

impl Pending {
    /// Remembers `verifier` under `state`.
    pub fn insert(&self, state: String, verifier: String) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|_, (_, at)| at.elapsed().as_secs() < TTL_SECS);
        while entries.len() >= CAP {
            let oldest = entries
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(k, _)| k.clone());
            let Some(oldest) = oldest else { break };
            entries.remove(&oldest);
        }
        entries.insert(state, (verifier, Instant::now()));
    }

    /// The verifier for `state`, once: a state cannot be replayed.
    pub fn take(&self, state: &str) -> Option<String> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (verifier, at) = entries.remove(state)?;
        (at.elapsed().as_secs() < TTL_SECS).then_some(verifier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_is_good_once_and_unknown_states_are_refused() {
        let pending = Pending::default();
        pending.insert("s1".into(), "v1".into());

        assert_eq!(pending.take("s1").as_deref(), Some("v1"));
        assert_eq!(pending.take("s1"), None);
        assert_eq!(pending.take("forged"), None);
    }

    #[test]
    fn the_oldest_sign_ins_make_room_for_new_ones() {
        let pending = Pending::default();
        for i in 0..CAP + 10 {
            pending.insert(format!("s{i}"), "v".into());
        }
        assert_eq!(pending.take("s0"), None);
        assert!(pending.take(&format!("s{}", CAP + 9)).is_some());
    }
}
