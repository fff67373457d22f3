//! Resolution: raw tools become runnable ones, and every problem is collected with its place.

use std::{collections::HashSet, path::Path, sync::Arc};

use minijinja::Environment;
use serde_json::{Map, Value};
use serde_saphyr::{Location, Spanned};

use super::{
    Annotations, Endpoint, Output, Place, Problem, Step, Tier, Tool,
    args::{ACCOUNT_ARGUMENT, Args},
    checks::{self, Finding},
    raw::{RawAlias, RawFile, RawOutput, RawStep, RawTool},
};
use crate::{
    discovery,
    render::ValueTemplate,
    shape::{Field, JsonPath},
};

/// Where OAuth scopes given by their short names live.
const SCOPE_PREFIX: &str = "https://www.googleapis.com/auth/";

/// Fan-out requests in flight at once when a step does not say.
const DEFAULT_CONCURRENCY: usize = 8;

/// Compiles one parsed file; `prefix` keeps its template names apart from other files'.
pub(super) fn compile_file(
    envs: &mut super::load::Envs,
    file: &Path,
    prefix: &str,
    raw: RawFile,
    account: bool,
) -> (Vec<Tool>, Vec<Problem>) {
    let mut tools = Vec::new();
    let mut problems = Vec::new();

    for spanned in raw.tools {
        let place = Place::at(file, &spanned.referenced);
        let mut scope = ToolScope {
            env: &mut envs.requests,
            text_env: &mut envs.text,
            file,
            tool: spanned.value.name.value.clone(),
            prefix: format!("{prefix}{}", spanned.value.name.value),
            problems: Vec::new(),
        };
        let tool = scope.compile(
            spanned.value,
            &raw.service,
            raw.discovery.as_deref(),
            place,
            account,
        );
        problems.append(&mut scope.problems);
        tools.extend(tool);
    }
    (tools, problems)
}

/// Which environment a template compiles into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Request templates: strict about undefined values.
    Request,
    /// Output fields and text: lenient.
    Output,
}

/// The compilation of one tool, collecting its problems.
struct ToolScope<'a> {
    env: &'a mut Environment<'static>,
    text_env: &'a mut Environment<'static>,
    file: &'a Path,
    tool: String,
    prefix: String,
    problems: Vec<Problem>,
}

impl ToolScope<'_> {
    fn problem(&mut self, location: &Location, message: impl Into<String>) {
        let place = Place::at(self.file, location);
        self.problems
            .push(Problem::error(place, Some(self.tool.clone()), message));
    }

    fn report(&mut self, finding: Finding) {
        let place = Place::at(self.file, &finding.location);
        let tool = Some(self.tool.clone());
        let mut problem = if finding.warning {
            Problem::warning(place, tool, finding.message)
        } else {
            Problem::error(place, tool, finding.message)
        };
        problem.help = finding.help;
        self.problems.push(problem);
    }

    fn compile(
        &mut self,
        raw: RawTool,
        service: &str,
        api: Option<&str>,
        place: Place,
        account: bool,
    ) -> Option<Tool> {
        let name = raw.name.value.clone();
        self.check_name(&raw.name);
        let tier = raw
            .tier
            .value
            .parse::<Tier>()
            .map_err(|m| self.problem(&raw.tier.referenced, m));
        let annotations = self.annotations(&raw, &raw.name.referenced);
        let scopes = raw
            .scopes
            .iter()
            .map(|s| full_scope(&s.value))
            .collect::<Vec<_>>();
        if raw.scopes.is_empty() && !raw.steps.is_empty() {
            self.problem(
                &raw.name.referenced,
                "the tool calls Google but declares no `scopes`",
            );
        }
        let mut aliases = Vec::new();
        let mut presets = std::collections::HashMap::new();
        for alias in &raw.aliases {
            match &alias.value {
                RawAlias::Name(name) => aliases.push(name.clone()),
                RawAlias::WithArgs { name, args } => {
                    aliases.push(name.clone());
                    presets.insert(name.clone(), args.clone());
                }
            }
        }

        let args = match Args::compile(&raw.args, account) {
            Ok(args) => Some(args),
            Err(problems) => {
                for p in problems {
                    self.problem(&p.location, p.message);
                }
                None
            }
        };
        for alias in &raw.aliases {
            if let RawAlias::WithArgs { name, args: preset } = &alias.value {
                for key in preset.keys().filter(|key| !raw.args.contains_key(*key)) {
                    let message = format!("alias `{name}` sets `{key}`, which is not an argument");
                    self.problem(&alias.referenced, message);
                }
            }
        }
        let arg_names: Vec<String> = match &args {
            Some(args) => args.names().to_vec(),
            None => raw
                .args
                .keys()
                .cloned()
                .chain([ACCOUNT_ARGUMENT.to_owned()])
                .collect(),
        };

        let mut known: HashSet<String> = arg_names.iter().cloned().collect();
        let checks = raw
            .checks
            .iter()
            .enumerate()
            .filter_map(|(i, check)| {
                let text = Value::String(format!("{{{{ {} }}}}", check.value));
                self.template(
                    Side::Request,
                    &format!("{}/check{i}", self.prefix),
                    &text,
                    &check.referenced,
                    &known,
                )
            })
            .collect();

        let mut steps = Vec::new();
        for step in raw.steps {
            if known.contains(&step.value.id) {
                let message = format!("step id `{}` is already an argument or step", step.value.id);
                self.problem(&step.referenced, message);
            }
            let compiled = self.step(step, api, &known);
            if let Some(step) = compiled {
                known.insert(step.id.clone());
                steps.push(step);
            }
        }
        self.mark_replies_read(&mut steps);

        for step in &steps {
            let Some(id) = step.endpoint.method_id.as_deref() else {
                continue;
            };
            if let Some(method) = discovery::method(id) {
                let at = raw.name.referenced;
                for finding in checks::check_scopes(id, &method, &scopes, annotations.read_only, at)
                {
                    self.report(finding);
                }
            }
        }

        let output = self.output(raw.output, &arg_names, &raw.name.referenced);

        if self.problems.iter().any(Problem::is_error) {
            return None;
        }
        Some(Tool {
            name,
            service: service.to_owned(),
            tier: tier.ok()?,
            title: raw.title,
            description: raw.description.trim().to_owned(),
            annotations,
            scopes,
            aliases,
            presets,
            args: args?,
            checks,
            steps,
            output: output?,
            place,
        })
    }

    /// Marks the steps whose replies a later step's templates read: only those replies are
    /// converted into template values at call time (the shaping reads JSON directly).
    fn mark_replies_read(&self, steps: &mut [Step]) {
        let read: Vec<HashSet<String>> =
            steps.iter().map(|step| step.variables(self.env)).collect();
        for (i, step) in steps.iter_mut().enumerate() {
            step.reply_read_later = read[i + 1..].iter().any(|names| names.contains(&step.id));
        }
    }

    fn check_name(&mut self, name: &Spanned<String>) {
        let valid = name.value.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            let message = format!("tool name `{}` must be lowercase snake_case", name.value);
            self.problem(&name.referenced, message);
        }
        if name.value.len() > 64 {
            self.problem(
                &name.referenced,
                "tool names longer than 64 characters are rejected by model providers",
            );
        }
    }

    fn annotations(&mut self, raw: &RawTool, at: &Location) -> Annotations {
        let given = &raw.annotations;
        if !given.read_only && given.destructive.is_none() {
            self.problem(
                at,
                "a tool that writes must say `destructive: true` or `destructive: false`",
            );
        }
        Annotations {
            read_only: given.read_only,
            destructive: if given.read_only {
                None
            } else {
                given.destructive
            },
            idempotent: given.idempotent,
            open_world: given.open_world.unwrap_or(true),
        }
    }

    fn step(
        &mut self,
        spanned: Spanned<RawStep>,
        api: Option<&str>,
        known: &HashSet<String>,
    ) -> Option<Step> {
        let at = spanned.referenced;
        let raw = spanned.value;
        let base = format!("{}/{}", self.prefix, raw.id);

        let endpoint = self.endpoint(&raw, api, &at)?;
        let mut variables = known.clone();
        let for_each = raw.for_each.as_ref().and_then(|path| {
            variables.insert("item".to_owned());
            JsonPath::parse(&path.value)
                .map_err(|m| self.problem(&path.referenced, m))
                .ok()
        });

        let when = raw.when.as_ref().and_then(|when| {
            let text = Value::String(format!("{{{{ {} }}}}", when.value));
            self.template(
                Side::Request,
                &format!("{base}/when"),
                &text,
                &when.referenced,
                &variables,
            )
        });
        let path = self.params(&base, "path", &raw.path, &variables);
        let query = self.params(&base, "query", &raw.query, &variables);
        let headers = self.params(&base, "headers", &raw.headers, &variables);
        let body = raw.body.as_ref().and_then(|body| {
            self.template(
                Side::Request,
                &format!("{base}/body"),
                &body.value,
                &body.referenced,
                &variables,
            )
        });

        if let Some(id) = endpoint.method_id.as_deref()
            && let Some(method) = discovery::method(id)
        {
            for finding in checks::check_step(id, &method, &raw, at) {
                self.report(finding);
            }
        }

        Some(Step {
            reply_read_later: true,
            id: raw.id,
            endpoint,
            when,
            for_each,
            concurrency: raw.concurrency.unwrap_or(DEFAULT_CONCURRENCY).max(1),
            tolerate_item_errors: raw.tolerate_item_errors,
            path,
            query,
            headers,
            body,
        })
    }

    fn endpoint(&mut self, raw: &RawStep, api: Option<&str>, at: &Location) -> Option<Endpoint> {
        match (&raw.call, &raw.method, &raw.endpoint) {
            (Some(id), None, None) => {
                let Some(method) = discovery::method(id) else {
                    self.problem(at, format!("unknown Discovery method `{id}`"));
                    return None;
                };
                let path_defaults = method
                    .params
                    .iter()
                    .filter(|(_, p)| p.location == "path")
                    .filter_map(|(name, p)| p.default.clone().map(|d| (name.clone(), d)))
                    .collect();
                Some(Endpoint {
                    method_id: Some(id.clone()),
                    http: method.http,
                    root: method.root,
                    path: format!("{}{}", method.service_path, method.path),
                    path_defaults,
                })
            }
            (None, Some(http), Some(path)) => {
                let Some(root) = api.and_then(discovery::api_root) else {
                    self.problem(
                        at,
                        "a step with `method` and `endpoint` needs the file's `discovery` API",
                    );
                    return None;
                };
                Some(Endpoint {
                    method_id: None,
                    http: http.to_ascii_uppercase(),
                    root,
                    path: path.trim_start_matches('/').to_owned(),
                    path_defaults: Vec::new(),
                })
            }
            _ => {
                self.problem(at, "a step needs either `call` (a Discovery method id) or both `method` and `endpoint`");
                None
            }
        }
    }

    fn params(
        &mut self,
        base: &str,
        kind: &str,
        given: &indexmap::IndexMap<String, Spanned<Value>>,
        variables: &HashSet<String>,
    ) -> Vec<(String, ValueTemplate)> {
        given
            .iter()
            .filter_map(|(name, value)| {
                let template_name = format!("{base}/{kind}/{name}");
                self.template(
                    Side::Request,
                    &template_name,
                    &value.value,
                    &value.referenced,
                    variables,
                )
                .map(|t| (name.clone(), t))
            })
            .collect()
    }

    /// Compiles a value template into the request or the output environment, and reports
    /// unknown filters and variables.
    fn template(
        &mut self,
        side: Side,
        name: &str,
        value: &Value,
        at: &Location,
        variables: &HashSet<String>,
    ) -> Option<ValueTemplate> {
        let text = side == Side::Output;
        let env = if text {
            &mut *self.text_env
        } else {
            &mut *self.env
        };
        let compiled = match ValueTemplate::compile(env, name, value) {
            Ok(compiled) => compiled,
            Err(error) => {
                self.problem(
                    at,
                    format!("template does not compile: {}", error_line(&error)),
                );
                return None;
            }
        };
        let env = if text { &*self.text_env } else { &*self.env };
        let unknown_filters: Vec<String> = value_strings(value)
            .into_iter()
            .flat_map(|source| crate::render::unknown_filters(env, source))
            .collect();
        let globals: HashSet<&str> = env.globals().map(|(name, _)| name).collect();
        let mut unknown: Vec<String> = compiled
            .variables(env)
            .into_iter()
            .filter(|v| !variables.contains(v) && !globals.contains(v.as_str()))
            .collect();
        unknown.sort();
        for filter in unknown_filters {
            self.problem(at, format!("unknown filter `{filter}`"));
        }
        for variable in unknown {
            let mut known: Vec<_> = variables.iter().cloned().collect();
            known.sort();
            let message = format!("unknown template variable or function `{variable}`");
            let help = format!("known here: {}", known.join(", "));
            let place = Place::at(self.file, at);
            self.problems
                .push(Problem::error(place, Some(self.tool.clone()), message).help(help));
        }
        Some(compiled)
    }

    fn output(&mut self, raw: RawOutput, args: &[String], at: &Location) -> Option<Output> {
        let mut fields = Vec::new();
        for (name, value) in &raw.shape {
            let base = format!("{}/output/{name}", self.prefix);
            if let Some(field) = self.field(&base, &value.value, &value.referenced) {
                fields.push((name.clone(), field));
            }
        }

        if raw.schema.is_none() {
            self.problem(at, "the tool declares no `output.schema`; clients validate structured content against it");
        }
        let schema = raw.schema.and_then(|schema| {
            match jsonschema::validator_for(&Value::Object(schema.clone())) {
                Ok(_) if schema.get("type") == Some(&Value::from("object")) => {
                    Some(Arc::new(schema))
                }
                Ok(_) => {
                    self.problem(
                        at,
                        "the output `schema` must have `type: object` at its root",
                    );
                    None
                }
                Err(error) => {
                    self.problem(
                        at,
                        format!("the output `schema` is not valid JSON Schema: {error}"),
                    );
                    None
                }
            }
        });

        let text = raw.text.and_then(|text| {
            let name = format!("{}/output/text", self.prefix);
            let mut variables: HashSet<String> = args.iter().cloned().collect();
            variables.extend(raw.shape.keys().cloned());
            self.template(
                Side::Output,
                &name,
                &Value::String(text.value.clone()),
                &text.referenced,
                &variables,
            )
            .map(|_| name)
        });

        Some(Output {
            fields,
            text,
            schema,
        })
    }

    fn field(&mut self, base: &str, value: &Value, at: &Location) -> Option<Field> {
        match value {
            Value::String(path) => {
                let path = JsonPath::parse(path)
                    .map_err(|m| self.problem(at, m))
                    .ok()?;
                Some(Field::Path {
                    path,
                    all: false,
                    then: None,
                })
            }
            Value::Object(spec) => self.projection(base, spec, at),
            _ => {
                self.problem(
                    at,
                    "an output field is a JSONPath or a mapping with `path` or `each`",
                );
                None
            }
        }
    }

    fn projection(
        &mut self,
        base: &str,
        spec: &Map<String, Value>,
        at: &Location,
    ) -> Option<Field> {
        let known = ["path", "all", "then", "each", "fields"];
        if let Some(key) = spec.keys().find(|k| !known.contains(&k.as_str())) {
            self.problem(
                at,
                format!(
                    "unknown key `{key}` in an output field; use {}",
                    known.join(", ")
                ),
            );
            return None;
        }
        let path_of = |scope: &mut Self, key: &str| {
            let text = spec.get(key)?.as_str().or_else(|| {
                scope.problem(at, format!("`{key}` must be a JSONPath string"));
                None
            })?;
            JsonPath::parse(text).map_err(|m| scope.problem(at, m)).ok()
        };

        if let Some(each) = spec.get("each") {
            let sources: Vec<&str> = match each {
                Value::String(path) => vec![path.as_str()],
                Value::Array(paths) if paths.iter().all(Value::is_string) => {
                    paths.iter().filter_map(Value::as_str).collect()
                }
                _ => {
                    self.problem(at, "`each` must be a JSONPath or a list of them");
                    return None;
                }
            };
            let mut each = Vec::new();
            for source in sources {
                each.push(
                    JsonPath::parse(source)
                        .map_err(|m| self.problem(at, m))
                        .ok()?,
                );
            }
            let Some(Value::Object(fields)) = spec.get("fields") else {
                self.problem(at, "`each` needs `fields`: the fields of each object");
                return None;
            };
            let fields = fields
                .iter()
                .filter_map(|(name, value)| {
                    self.field(&format!("{base}.{name}"), value, at)
                        .map(|f| (name.clone(), f))
                })
                .collect();
            return Some(Field::Each { each, fields });
        }

        let path = path_of(self, "path").or_else(|| {
            if !spec.contains_key("path") {
                self.problem(at, "an output field mapping needs `path` or `each`");
            }
            None
        })?;
        let all = spec.get("all").and_then(Value::as_bool).unwrap_or(false);
        let then = match spec.get("then") {
            Some(Value::String(expression)) => {
                let text = Value::String(format!("{{{{ {expression} }}}}"));
                let variables = HashSet::from(["value".to_owned()]);
                Some(self.template(Side::Output, &format!("{base}/then"), &text, at, &variables)?)
            }
            Some(_) => {
                self.problem(at, "`then` must be an expression over `value`");
                return None;
            }
            None => None,
        };
        Some(Field::Path { path, all, then })
    }
}

/// Every string inside a YAML value.
fn value_strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(text) => vec![text.as_str()],
        Value::Array(items) => items.iter().flat_map(value_strings).collect(),
        Value::Object(fields) => fields.values().flat_map(value_strings).collect(),
        _ => Vec::new(),
    }
}

/// A scope's full URL from its short name (`gmail.readonly`).
fn full_scope(scope: &str) -> String {
    if scope.contains("://") || matches!(scope, "openid" | "email" | "profile") {
        scope.to_owned()
    } else {
        format!("{SCOPE_PREFIX}{scope}")
    }
}

fn error_line(error: &minijinja::Error) -> String {
    match error.detail() {
        Some(detail) => format!("{}: {detail}", error.kind()),
        None => error.to_string(),
    }
}
