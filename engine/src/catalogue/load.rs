//! Reading catalogue files from disk and compiling them into one [`Catalogue`].

use std::{
    fs,
    path::{Path, PathBuf},
    sync::Arc,
};

use super::{
    Catalogue, Place, Problem, Problems, Tier, Tool, compile::compile_file, index, raw::RawFile,
};
use crate::render;

/// The most tools one tier may list: OpenAI rejects requests with more.
pub const MAX_TOOLS_PER_TIER: usize = 128;

/// The longest tool name a model provider accepts, LiteLLM's server prefix included.
const MAX_PREFIXED_NAME: usize = 64;

/// Room left for the server prefix LiteLLM puts before tool names (`gws-`, `google_ws-`).
const PREFIX_ALLOWANCE: usize = 10;

/// Choices that change what the compiled tools look like.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Add the optional `user_google_email` argument to every tool.
    pub account_argument: bool,
    /// Deployment settings templates read as `settings.<name>` (limits, the default user).
    pub settings: serde_json::Map<String, serde_json::Value>,
    /// What `google_sign_in_url(account)` answers in templates, once the server knows.
    pub sign_in: SignInHook,
}

/// A function that starts a Google sign-in for an account and returns its URL, filled in
/// after the catalogue is loaded (the sign-in needs the catalogue's scopes).
#[derive(Clone, Default)]
pub struct SignInHook(Arc<std::sync::RwLock<Option<SignInFn>>>);

/// Starts a sign-in for an account (or the default one) and returns its URL.
pub type SignInFn = Arc<dyn Fn(Option<&str>) -> Result<String, String> + Send + Sync>;

impl std::fmt::Debug for SignInHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignInHook")
    }
}

impl SignInHook {
    /// Sets the function.
    pub fn set(&self, function: SignInFn) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Some(function);
    }

    fn call(&self, account: Option<&str>) -> Result<String, String> {
        match self.0.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            Some(function) => function(account),
            None => Err("Google sign-in is not configured on this server: set \
                         GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET"
                .to_owned()),
        }
    }

    fn register(&self, env: &mut minijinja::Environment<'static>) {
        let hook = self.clone();
        env.add_function("google_sign_in_url", move |account: Option<String>| {
            hook.call(account.as_deref().filter(|a| !a.is_empty()))
                .map_err(|message| {
                    minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, message)
                })
        });
    }
}

/// The two template environments a catalogue compiles into.
pub(super) struct Envs {
    /// Request templates: strict about undefined values.
    pub requests: minijinja::Environment<'static>,
    /// Output templates: lenient.
    pub text: minijinja::Environment<'static>,
}

/// Loads the catalogue from `roots`, each a YAML file or a directory of them.
///
/// A tool in a later root replaces the tool of the same name from an earlier one, which is
/// how a user's overlay re-tiers or rewrites a shipped tool. Within one root a name may
/// appear once. Every problem in every file is collected before this returns; warnings
/// alone do not stop the load and are kept on the catalogue.
pub fn load(roots: &[PathBuf], options: &Options) -> Result<Catalogue, Problems> {
    let mut envs = Envs {
        requests: render::environment(),
        text: render::text_environment(),
    };
    let settings = minijinja::Value::from(minijinja::value::Serde(&options.settings));
    envs.requests.add_global("settings", settings.clone());
    envs.text.add_global("settings", settings);
    options.sign_in.register(&mut envs.requests);
    options.sign_in.register(&mut envs.text);

    let mut tools: Vec<Tool> = Vec::new();
    let mut problems = Vec::new();
    for (root_no, root) in roots.iter().enumerate() {
        let files = match yaml_files(root) {
            Ok(files) => files,
            Err(message) => {
                problems.push(Problem::error(place(root), None, message));
                continue;
            }
        };

        let mut from_root: Vec<Tool> = Vec::new();
        for (file_no, file) in files.iter().enumerate() {
            let prefix = format!("{root_no}.{file_no}:");
            let (found, mut found_problems) =
                load_file(&mut envs, file, &prefix, options.account_argument);
            problems.append(&mut found_problems);
            for tool in found {
                if let Some(first) = from_root.iter().find(|t| t.name == tool.name) {
                    let message = format!("duplicate tool name `{}`", tool.name);
                    let help = format!("the first is defined at {}; rename one", first.place);
                    let name = Some(tool.name.clone());
                    problems.push(Problem::error(tool.place.clone(), name, message).help(help));
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
    check_tiers(&tools, &mut problems);
    check_name_lengths(&tools, &mut problems);
    if problems.iter().any(Problem::is_error) {
        return Err(Problems(problems));
    }

    let tools: Vec<Arc<Tool>> = tools.into_iter().map(Arc::new).collect();
    let index = index(&tools);
    Ok(Catalogue {
        env: envs.requests,
        text_env: envs.text,
        tools,
        index,
        warnings: problems,
    })
}

fn load_file(
    envs: &mut Envs,
    file: &Path,
    prefix: &str,
    account: bool,
) -> (Vec<Tool>, Vec<Problem>) {
    let text = match fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            let message = format!("cannot read the file: {error}");
            return (Vec::new(), vec![Problem::error(place(file), None, message)]);
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
            let line = place
                .line
                .checked_sub(1)
                .and_then(|n| text.lines().nth(n as usize));
            let mut problem = Problem::error(place.clone(), None, yaml_message(&error));
            if line.is_some_and(|line| line.contains("{{") || line.contains("{%")) {
                problem = problem.help("a value that starts with `{{` or `{%` must be quoted");
            }
            return (Vec::new(), vec![problem]);
        }
    };
    compile_file(envs, file, prefix, raw, account)
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
    let mut claimed: Vec<(&str, &Tool)> = Vec::new();
    for tool in tools {
        for alias in &tool.aliases {
            let name = Some(tool.name.clone());
            if let Some(other) = tools.iter().find(|t| &t.name == alias) {
                let message = format!(
                    "alias `{alias}` is also the name of a tool ({})",
                    other.place
                );
                problems.push(Problem::error(tool.place.clone(), name, message));
            } else if let Some((_, first)) = claimed.iter().find(|(a, _)| a == alias) {
                let message = format!("alias `{alias}` is also claimed by `{}`", first.name);
                problems.push(Problem::error(tool.place.clone(), name, message));
            } else {
                claimed.push((alias, tool));
            }
        }
    }
}

fn check_tiers(tools: &[Tool], problems: &mut Vec<Problem>) {
    for tier in [Tier::Core, Tier::Extended, Tier::Complete] {
        let listed: Vec<&Tool> = tools.iter().filter(|t| t.tier <= tier).collect();
        if let Some(first_over) = listed.get(MAX_TOOLS_PER_TIER) {
            let message = format!(
                "the {tier} tier lists {} tools, more than the {MAX_TOOLS_PER_TIER} OpenAI accepts \
                 (tiers are cumulative, so every tier above it does too)",
                listed.len()
            );
            let help = "move tools to a higher tier, or make old names `aliases` of another tool";
            let name = Some(first_over.name.clone());
            problems.push(Problem::error(first_over.place.clone(), name, message).help(help));
            return;
        }
    }
}

fn check_name_lengths(tools: &[Tool], problems: &mut Vec<Problem>) {
    for tool in tools {
        if tool.name.len() + PREFIX_ALLOWANCE > MAX_PREFIXED_NAME {
            let message = format!(
                "tool name `{}` is {} characters; with a {PREFIX_ALLOWANCE}-character server \
                 prefix it passes the {MAX_PREFIXED_NAME} that model providers accept",
                tool.name,
                tool.name.len()
            );
            let name = Some(tool.name.clone());
            problems.push(Problem::warning(tool.place.clone(), name, message));
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
