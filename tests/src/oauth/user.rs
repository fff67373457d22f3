//! The Google accounts that can sign in.

use crate::seed::USER_EMAIL;

/// A Google account: what userinfo and the id token tell about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct User {
    /// The stable numeric account id (`sub`, `id`).
    pub(crate) id: String,
    /// The address.
    pub(crate) email: String,
    /// The display name.
    pub(crate) name: String,
    /// The first name.
    pub(crate) given_name: String,
    /// The last name.
    pub(crate) family_name: String,
}

impl User {
    /// The account for `email`: the seeded user's names, or names made from the local
    /// part. The id is a 21-digit number derived from the address, the same on every run.
    pub(crate) fn for_email(email: &str) -> User {
        let email = email.trim().to_ascii_lowercase();
        let (given_name, family_name) = if email == USER_EMAIL {
            ("Sandbox".to_string(), "User".to_string())
        } else {
            let local = email.split('@').next().unwrap_or("");
            let mut words = local.split(['.', '_', '-', '+']).filter(|w| !w.is_empty());
            let given = words.next().map(capitalize).unwrap_or_default();
            (given, words.map(capitalize).collect::<Vec<_>>().join(" "))
        };
        let name = format!("{given_name} {family_name}").trim().to_string();

        User {
            id: account_id(&email),
            email,
            name,
            given_name,
            family_name,
        }
    }

    /// A profile picture URL (never fetched).
    pub(crate) fn picture(&self) -> String {
        format!("https://lh3.googleusercontent.com/a/sandbox-{}", self.id)
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `1` and 20 digits from the FNV-1a hash of the address.
fn account_id(email: &str) -> String {
    let hash = email.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("1{hash:020}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_id_is_21_digits_and_the_same_for_the_same_address() {
        let user = User::for_email("Alice.Smith@Example.com");

        assert_eq!(user.id.len(), 21);
        assert!(user.id.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(user.id, User::for_email("alice.smith@example.com").id);
        assert_ne!(user.id, User::for_email(USER_EMAIL).id);
        assert_eq!(user.email, "alice.smith@example.com");
        assert_eq!(user.name, "Alice Smith");
    }

    #[test]
    fn the_seeded_user_has_fixed_names() {
        let user = User::for_email(USER_EMAIL);

        assert_eq!(
            (user.given_name.as_str(), user.name.as_str()),
            ("Sandbox", "Sandbox User")
        );
    }
}
