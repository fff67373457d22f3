//! Noticing catalogue edits: a fingerprint of every catalogue file, cheap enough to poll.

use std::{
    fs,
    path::{Path, PathBuf},
    time::SystemTime,
};

/// What identifies the state of the catalogue files: each path with its size and mtime.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fingerprint(Vec<(PathBuf, u64, Option<SystemTime>)>);

impl Fingerprint {
    /// The current fingerprint of the YAML files under `roots`.
    pub fn of(roots: &[PathBuf]) -> Fingerprint {
        let mut entries = Vec::new();
        for root in roots {
            collect(root, &mut entries);
        }
        entries.sort();
        Fingerprint(entries)
    }
}

fn collect(path: &Path, entries: &mut Vec<(PathBuf, u64, Option<SystemTime>)>) {
    let Ok(meta) = fs::metadata(path) else { return };
    if meta.is_file() {
        entries.push((path.to_owned(), meta.len(), meta.modified().ok()));
        return;
    }
    let Ok(dir) = fs::read_dir(path) else { return };
    for entry in dir.flatten() {
        let path = entry.path();
        if path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            collect(&path, entries);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_or_a_new_file_changes_the_fingerprint() {
        let dir = std::env::temp_dir().join(format!("gws-watch-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a.yaml"), "service: a\n").unwrap();
        let roots = vec![dir.clone()];
        let first = Fingerprint::of(&roots);

        fs::write(dir.join("a.yaml"), "service: a\ntools: []\n").unwrap();
        let edited = Fingerprint::of(&roots);
        fs::write(dir.join("b.yml"), "service: b\n").unwrap();
        let added = Fingerprint::of(&roots);
        fs::write(dir.join("notes.txt"), "ignored").unwrap();

        assert_ne!(first, edited);
        assert_ne!(edited, added);
        assert_eq!(added, Fingerprint::of(&roots));
        fs::remove_dir_all(dir).unwrap();
    }
}
