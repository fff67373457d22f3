//! Stored Google credentials: one JSON file per account, written atomically, mode 0600.
//!
//! The file format is the one the Python server writes (google-auth's `to_json`): `token`,
//! `refresh_token`, `token_uri`, `client_id`, `client_secret`, `scopes`, `expiry`. Files are
//! replaced by writing a temporary file in the same directory and renaming it over the old
//! one, so a crash mid-write leaves the old file or the new one, never a torn one.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

/// One account's stored credential.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    /// The access token.
    #[serde(default)]
    pub token: Option<String>,
    /// The refresh token; kept when a refresh reply carries none.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// Where refreshes go.
    #[serde(default)]
    pub token_uri: Option<String>,
    /// The OAuth client it was issued to.
    #[serde(default)]
    pub client_id: Option<String>,
    /// That client's secret (the Python server stores it too; the file is 0600).
    #[serde(default)]
    pub client_secret: Option<String>,
    /// The scopes granted.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// When the access token expires, RFC 3339.
    #[serde(default)]
    pub expiry: Option<String>,
}

/// The directory of credential files.
#[derive(Clone, Debug)]
pub struct CredentialStore {
    dir: PathBuf,
}

impl CredentialStore {
    /// A store in `dir` (created on first write, mode 0700).
    pub fn new(dir: PathBuf) -> CredentialStore {
        CredentialStore { dir }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file for `account`; the address is kept readable but cannot leave the directory.
    fn path(&self, account: &str) -> PathBuf {
        let safe: String = account
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "@._+-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let safe = safe.trim_start_matches('.');
        self.dir.join(format!("{safe}.json"))
    }

    /// The stored credential of `account`, if any.
    pub fn load(&self, account: &str) -> Option<Credential> {
        let text = fs::read_to_string(self.path(account)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The accounts with a stored credential, sorted.
    pub fn accounts(&self) -> Vec<String> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut accounts: Vec<String> = entries
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".json"))
                    .map(str::to_owned)
            })
            .filter(|name| name.contains('@'))
            .collect();
        accounts.sort();
        accounts
    }

    /// Stores `credential` for `account`, atomically, readable by the owner only.
    pub fn save(&self, account: &str, credential: &Credential) -> std::io::Result<()> {
        create_private_dir(&self.dir)?;
        let target = self.path(account);
        let temp = target.with_extension(format!("json.{}.tmp", std::process::id()));
        let text = serde_json::to_vec_pretty(credential)?;

        let mut file = private_file(&temp)?;
        file.write_all(&text)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, &target)?;
        if let Ok(dir) = fs::File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Forgets `account`'s credential.
    pub fn remove(&self, account: &str) {
        let _ = fs::remove_file(self.path(account));
    }
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    fs::File::create(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.exists() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(name: &str) -> CredentialStore {
        let dir = std::env::temp_dir().join(format!("gws-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        CredentialStore::new(dir)
    }

    #[test]
    fn a_saved_credential_loads_back_and_is_private() {
        let store = store("roundtrip");
        let credential = Credential {
            token: Some("ya29.a".into()),
            refresh_token: Some("1//r".into()),
            scopes: vec!["https://www.googleapis.com/auth/calendar".into()],
            ..Credential::default()
        };

        store.save("ann@example.com", &credential).unwrap();

        assert_eq!(store.load("ann@example.com"), Some(credential));
        assert_eq!(store.accounts(), vec!["ann@example.com"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(store.dir().join("ann@example.com.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        fs::remove_dir_all(store.dir()).unwrap();
    }

    #[test]
    fn a_reader_never_sees_a_torn_file_while_writes_go_on() {
        // A write interrupted at any point leaves either the old file or the new one: the
        // bytes go to a temporary file that is renamed over the old one. A reader racing a
        // writer sees exactly what a restart after a kill would see.
        let store = store("torn");
        let big = |n: usize| Credential {
            token: Some("x".repeat(200_000 + n)),
            ..Credential::default()
        };
        store.save("ann@example.com", &big(0)).unwrap();
        let writer_store = store.clone();
        let writer = std::thread::spawn(move || {
            for n in 1..40 {
                writer_store.save("ann@example.com", &big(n)).unwrap();
            }
        });

        let mut reads = 0;
        while !writer.is_finished() {
            let text = fs::read_to_string(store.dir().join("ann@example.com.json")).unwrap();
            let credential: Credential = serde_json::from_str(&text).expect("never a torn file");
            assert!(credential.token.unwrap().len() >= 200_000);
            reads += 1;
        }
        writer.join().unwrap();
        assert!(reads > 0);
        fs::remove_dir_all(store.dir()).unwrap();
    }

    #[test]
    fn an_account_name_cannot_escape_the_directory() {
        let store = store("escape");
        let path = store.path("../../etc/passwd");
        assert_eq!(path.parent().unwrap(), store.dir());
    }

    #[test]
    fn the_python_servers_file_format_is_read() {
        let text = r#"{"token": "ya29.expired", "refresh_token": "1//fake-refresh", "token_uri": "https://oauth2.googleapis.com/token", "client_id": "fake.apps.googleusercontent.com", "client_secret": "s", "scopes": ["https://www.googleapis.com/auth/calendar"], "expiry": "2026-05-12T18:00:00Z", "universe_domain": "googleapis.com"}"#;
        let credential: Credential = serde_json::from_str(text).unwrap();
        assert_eq!(credential.refresh_token.as_deref(), Some("1//fake-refresh"));
        assert_eq!(credential.expiry.as_deref(), Some("2026-05-12T18:00:00Z"));
    }
}
