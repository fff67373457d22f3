//! Reading catalogue files from disk and compiling them into one [`Catalogue`].

use std::{
    fs,
    path::{Path, PathBuf},
    sync::Arc,
};

use super::{
    Catalogue, Place, Problem, Problems, Tool, compile::compile_file, index, raw::RawFile,
};
use crate::render;

/// Choices that change what the compiled tools look like.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Add the optional `user_google_email` argument to every tool.
    pub account_argument: bool,
    /// Deployment settings templates read as `settings.<name>` (limits, the default user).
    pub settings: serde_json::Map<String, serde_json::Value>,
}

/// Loads the catalogue from `roots`, each a YAML file or a directory of them.
///
/// A tool in a later root replaces the tool of the same name from an earlier one, which is
/// how a user's overlay re-tiers or rewrites a shipped tool. Within one root a name may
/// appear once. Every problem in every file is collected before this returns.
pub fn load(roots: &[PathBuf], options: &Options) -> Result<Catalogue, Problems> {
    let mut envs = Envs {
        requests: render::environment(),
        text: render::text_environment(),
    };
    let mut tools: Vec<Tool> = Vec::new();
    let mut problems = Vec::new();

    for (root_no, root) in roots.iter().enumerate() {
        let files = match yaml_files(root) {
            Ok(files) => files,
            Err(message) => {
                problems.push(Problem {
                    place: place(root),
                    tool: None,
                    message,
                });
                continue;
            }
        };

        let mut from_root: Vec<Tool> = Vec::new();
        for (file_no, file) in files.iter().enumerate() {
            let (mut found, mut found_problems) =
                load_file(&mut envs, file, root_no, file_no, options.account_argument);
            problems.append(&mut found_problems);
            for tool in found.drain(..) {
                if let Some(first) = from_root.iter().find(|t| t.name == tool.name) {
                    let message = format!(
                        "duplicate tool name `{}` (first defined at {})",
                        tool.name, first.place
                    );
                    problems.push(Problem {
                        place: tool.place.clone(),
                        tool: Some(tool.name.clone()),
                        message,
                    });
                    continue;
                }
                from_root.push(tool);
            }
        }

        for tool in from_root {
            match tools.iter().position(|t| t.name == tool.name) {
                Some(i) => tools[i] = tool,
                None => tools.push(tool),
            }
        }
    }

    check_aliases(&tools, &mut problems);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }

    let tools: Vec<Arc<Tool>> = tools.into_iter().map(Arc::new).collect();
    let index = index(&tools);
    Ok(Catalogue {
        env: envs.requests,
        text_env: envs.text,
        tools,
        index,
    })
}

/// The two template environments a catalogue compiles into.
pub(super) struct Envs {
    /// Request templates: strict about undefined values.
    pub requests: minijinja::Environment<'static>,
    /// Output templates: lenient.
    pub text: minijinja::Environment<'static>,
}

fn load_file(
    env: &mut Envs,
    file: &Path,
    root_no: usize,
    file_no: usize,
    account: bool,
) -> (Vec<Tool>, Vec<Problem>) {
    let text = match fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            let message = format!("cannot read the file: {error}");
            return (
                Vec::new(),
                vec![Problem {
                    place: place(file),
                    tool: None,
                    message,
                }],
            );
        }
    };
    let options = serde_saphyr::options! { strict_booleans: true };
    let raw: RawFile = match serde_saphyr::from_str_with_options(&text, options) {
        Ok(raw) => raw,
        Err(error) => {
            let place = match error.location() {
                Some(location) => Place::at(file, &location),
                None => place(file),
            };
            let message = yaml_message(&error);
            return (
                Vec::new(),
                vec![Problem {
                    place,
                    tool: None,
                    message,
                }],
            );
        }
    };
    compile_file(env, file, &format!("{root_no}.{file_no}:"), raw, account)
}

/// The YAML error's own words, without the location and snippet it also carries.
fn yaml_message(error: &serde_saphyr::Error) -> String {
    let text = error.to_string();
    let first = text.lines().next().unwrap_or_default().trim();
    let first = first.strip_prefix("error:").unwrap_or(first).trim();
    match first.split_once(": ") {
        Some((location, rest)) if location.starts_with("line ") => rest.to_owned(),
        _ => first.to_owned(),
    }
}

fn check_aliases(tools: &[Tool], problems: &mut Vec<Problem>) {
    for tool in tools {
        for alias in &tool.aliases {
            if let Some(other) = tools.iter().find(|t| &t.name == alias) {
                let message = format!(
                    "alias `{alias}` is also the name of a tool ({})",
                    other.place
                );
                problems.push(Problem {
                    place: tool.place.clone(),
                    tool: Some(tool.name.clone()),
                    message,
                });
            }
            let twice = tools.iter().filter(|t| t.aliases.contains(alias)).count();
            if twice > 1
                && tools
                    .iter()
                    .find(|t| t.aliases.contains(alias))
                    .is_some_and(|t| t.name == tool.name)
            {
                let message = format!("alias `{alias}` is claimed by {twice} tools");
                problems.push(Problem {
                    place: tool.place.clone(),
                    tool: Some(tool.name.clone()),
                    message,
                });
            }
        }
    }
}

/// The YAML files under `root` (or `root` itself), sorted by path.
fn yaml_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let meta = fs::metadata(root).map_err(|e| format!("cannot read the catalogue path: {e}"))?;
    if meta.is_file() {
        return Ok(vec![root.to_owned()]);
    }
    let mut files: Vec<PathBuf> = fs::read_dir(root)
        .map_err(|e| format!("cannot list the catalogue directory: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml")
        })
        .collect();
    files.sort();
    Ok(files)
}

fn place(path: &Path) -> Place {
    Place {
        file: path.to_owned(),
        line: 0,
        column: 0,
    }
}
