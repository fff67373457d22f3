//! Scope strings: reading a request's `scope`, and which scopes a Google route accepts.

/// The prefix of every Google API scope but Gmail's full one and the OpenID ones.
const PREFIX: &str = "https://www.googleapis.com/auth/";

/// Gmail's full-access scope.
const MAIL: &str = "https://mail.google.com/";

/// The scope named by `text`, in the long form Google grants: `email` and `profile` become
/// the `userinfo.*` scopes; `None` for a scope Google does not know.
pub(crate) fn normalize(text: &str) -> Option<String> {
    match text {
        "email" => Some(format!("{PREFIX}userinfo.email")),
        "profile" => Some(format!("{PREFIX}userinfo.profile")),
        "openid" | MAIL => Some(text.to_string()),
        _ => text
            .strip_prefix(PREFIX)
            .filter(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace))
            .map(|_| text.to_string()),
    }
}

/// Splits a space-separated `scope` into normalized scopes, once each, in order; the
/// unknown ones are the error.
pub(crate) fn parse(text: &str) -> Result<Vec<String>, Vec<String>> {
    let mut scopes: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for word in text.split_whitespace() {
        match normalize(word) {
            Some(scope) if !scopes.contains(&scope) => scopes.push(scope),
            Some(_) => {}
            None => unknown.push(word.to_string()),
        }
    }
    if unknown.is_empty() {
        Ok(scopes)
    } else {
        Err(unknown)
    }
}

/// Adds to `scopes` those of `more` it lacks, keeping the order.
pub(crate) fn union(scopes: &[String], more: &[String]) -> Vec<String> {
    let mut all = scopes.to_vec();
    all.extend(more.iter().filter(|s| !scopes.contains(s)).cloned());
    all
}

/// Whether a token with `granted` may call a route of `service` (`gmail`, `calendar`,
/// `drive`), reading or writing. A coarse rule per service, broader than Google's per-method
/// lists: it refuses a token with no scope of the service, or a read-only one that writes.
/// Services it does not know are allowed.
pub(crate) fn allows(service: &str, write: bool, granted: &[String]) -> bool {
    let fits = |scope: &str| -> bool {
        let short = scope.strip_prefix(PREFIX).unwrap_or(scope);
        let read_only = short.ends_with(".readonly");
        match service {
            "gmail" if scope == MAIL => true,
            "gmail" => match short {
                "gmail.send" | "gmail.insert" => write,
                "gmail.readonly" | "gmail.metadata" => !write,
                other => other.starts_with("gmail."),
            },
            "calendar" => {
                short.starts_with("calendar")
                    && !(write && (read_only || short.contains("freebusy")))
            }
            "drive" => short.starts_with("drive") && !(write && read_only),
            _ => true,
        }
    };
    granted.iter().any(|scope| fits(scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(short: &str) -> String {
        format!("{PREFIX}{short}")
    }

    #[test]
    fn short_aliases_become_the_long_scopes_google_grants() {
        let scopes = parse("openid email profile https://mail.google.com/ email").unwrap();

        assert_eq!(
            scopes,
            [
                "openid".to_string(),
                long("userinfo.email"),
                long("userinfo.profile"),
                MAIL.to_string()
            ]
        );
    }

    #[test]
    fn a_scope_google_does_not_know_is_returned_as_the_error() {
        let error = parse(&format!("{} gmail calendar", long("drive"))).unwrap_err();

        assert_eq!(error, ["gmail", "calendar"]);
        assert_eq!(normalize(PREFIX), None);
    }

    #[test]
    fn a_read_only_scope_reads_but_does_not_write() {
        let readonly = [long("gmail.readonly")];
        assert!(allows("gmail", false, &readonly));
        assert!(!allows("gmail", true, &readonly));

        let send = [long("gmail.send")];
        assert!(allows("gmail", true, &send));
        assert!(!allows("gmail", false, &send));

        let calendar = [long("calendar.events.readonly")];
        assert!(allows("calendar", false, &calendar));
        assert!(!allows("calendar", true, &calendar));
        assert!(allows("drive", true, &[long("drive.file")]));
    }

    #[test]
    fn a_token_without_any_scope_of_the_service_is_refused() {
        let gmail_only = [MAIL.to_string(), "openid".to_string()];

        assert!(allows("gmail", true, &gmail_only));
        assert!(!allows("calendar", false, &gmail_only));
        assert!(!allows("drive", false, &gmail_only));
        assert!(
            allows("tasks", false, &gmail_only),
            "services not emulated pass"
        );
    }

    #[test]
    fn union_keeps_the_first_order_and_adds_only_what_is_new() {
        let a = ["x".to_string(), "y".to_string()];
        let b = ["y".to_string(), "z".to_string()];

        assert_eq!(union(&a, &b), ["x", "y", "z"]);
    }
}
