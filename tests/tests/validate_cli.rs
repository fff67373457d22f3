//! `gws-engine validate` on the shipped catalogue and on broken copies of it.

mod support;

use std::{fs, path::PathBuf, process::Command};

/// A copy of the shipped catalogue in a fresh directory, edited by `edit(file name, text)`.
fn broken_copy(name: &str, edit: impl Fn(&str, String) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gws-validate-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    for entry in fs::read_dir(support::catalogue_dir()).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_owned();
        let text = fs::read_to_string(&path).unwrap();
        fs::write(dir.join(&file), edit(&file, text)).unwrap();
    }
    dir
}

fn validate(path: &PathBuf) -> (i32, String) {
    let output = Command::new(support::engine_binary())
        .arg("validate")
        .arg(path)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The 1-based line of the first occurrence of `needle` in the copy's `file`.
fn line_of(dir: &std::path::Path, file: &str, needle: &str) -> usize {
    let text = fs::read_to_string(dir.join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn the_shipped_catalogue_validates_clean() {
    let output = Command::new(support::engine_binary())
        .arg("validate")
        .arg(support::catalogue_dir())
        .output()
        .unwrap();

    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_broken_jsonpath_an_unknown_variable_and_a_duplicate_name_are_each_reported_with_their_place() {
    let dir = broken_copy("three", |file, text| match file {
        "drive.yaml" => text.replace(
            "next_page_token: \"$.list.nextPageToken\"",
            "next_page_token: \"$.list[nextPageToken\"",
        ),
        "calendar.yaml" => text.replace("q: \"{{ query }}\"", "q: \"{{ qeury }}\""),
        "gmail.yaml" => text.replace(
            "- name: get_gmail_message_content",
            "- name: search_gmail_messages",
        ),
        _ => text,
    });

    let (code, stderr) = validate(&dir);

    assert_eq!(code, 1, "{stderr}");
    let path_line = line_of(&dir, "drive.yaml", "$.list[nextPageToken");
    assert!(
        stderr.contains(&format!("drive.yaml:{path_line}:"))
            && stderr.contains("= tool: list_drive_files")
            && stderr.contains("malformed JSONPath"),
        "{stderr}"
    );
    let variable_line = line_of(&dir, "calendar.yaml", "{{ qeury }}");
    assert!(
        stderr.contains(&format!("calendar.yaml:{variable_line}:"))
            && stderr.contains("= tool: get_events")
            && stderr.contains("`qeury`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("duplicate tool name `search_gmail_messages`"),
        "{stderr}"
    );
    assert!(stderr.contains("gmail.yaml:"), "{stderr}");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_yaml_syntax_error_names_its_line() {
    let dir = broken_copy("syntax", |file, text| match file {
        "drive.yaml" => text.replacen(
            "annotations: {read_only: true}",
            "annotations: {read_only: true",
            1,
        ),
        _ => text,
    });

    let (code, stderr) = validate(&dir);

    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("drive.yaml:"), "{stderr}");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_missing_path_means_validate_could_not_run() {
    let (code, stderr) = validate(&PathBuf::from("/nonexistent/catalogue"));

    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
}
