//! Finding filter names in template source, so `validate` can report unknown ones.
//!
//! minijinja resolves filters only when a template runs; a misspelt filter would otherwise
//! surface as a failed call in production. The scan below is deliberately simple: it reads
//! the inside of `{{ }}` and `{% %}` blocks, skips string literals, and takes the word after
//! each single `|`, and the quoted first argument of `map(...)`, `select(...)` and friends.

use minijinja::{Environment, ErrorKind, Value};

/// The filter names used in `source` that `env` does not know, in order of appearance.
pub fn unknown_filters(env: &Environment<'static>, source: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    for name in filter_names(source) {
        if !unknown.contains(&name) && !is_filter(env, &name) {
            unknown.push(name);
        }
    }
    unknown
}

fn is_filter(env: &Environment<'static>, name: &str) -> bool {
    let Ok(expression) = env.compile_expression_owned(format!("x | {name}")) else {
        return false;
    };
    match expression.eval(minijinja::context! { x => Value::from(()) }) {
        Ok(_) => true,
        Err(error) => error.kind() != ErrorKind::UnknownFilter,
    }
}

fn filter_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for block in code_blocks(source) {
        let code = without_strings(block);
        let bytes = code.as_bytes();
        for (i, &byte) in bytes.iter().enumerate() {
            let single_pipe =
                byte == b'|' && bytes.get(i + 1) != Some(&b'|') && (i == 0 || bytes[i - 1] != b'|');
            if single_pipe {
                let word: String = code[i + 1..]
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !word.is_empty() {
                    names.push(word);
                }
            }
        }
        for applier in ["map(", "select(", "reject(", "selectattr(", "rejectattr("] {
            let mut rest = block;
            while let Some(at) = rest.find(applier) {
                rest = &rest[at + applier.len()..];
                let argument = rest.trim_start();
                let quote = argument.chars().next().filter(|c| *c == '\'' || *c == '"');
                if let Some(quote) = quote {
                    let name: String = argument[1..].chars().take_while(|c| *c != quote).collect();
                    let is_filter_applier = applier == "map(";
                    if is_filter_applier
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        names.push(name);
                    }
                }
            }
        }
    }
    names
}

/// The insides of `{{ }}` and `{% %}` blocks.
fn code_blocks(source: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find(['{']) {
        let after = &rest[open + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let inner = &after[1..];
        match inner.find(close) {
            Some(end) => {
                blocks.push(&inner[..end]);
                rest = &inner[end + 2..];
            }
            None => break,
        }
    }
    blocks
}

/// `code` with the contents of string literals blanked out.
fn without_strings(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut quote = None;
    let mut escaped = false;
    for c in code.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                    out.push(c);
                    continue;
                }
                out.push(' ');
            }
            None => {
                if c == '\'' || c == '"' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_piped_and_mapped_filters_outside_strings() {
        let source = "{{ a | upper | no_such }} text | not_code {% if b | length %}{{ c | map('wrapp', 'x') }}{% endif %}{{ 'x | y' }}";
        assert_eq!(
            filter_names(source),
            vec!["upper", "no_such", "length", "map", "wrapp"]
        );
    }

    #[test]
    fn reports_only_the_filters_the_environment_lacks() {
        let env = super::super::environment();
        let unknown = unknown_filters(&env, "{{ a | upper | no_such_filter }}{{ b or c }}");
        assert_eq!(unknown, vec!["no_such_filter"]);
    }
}
