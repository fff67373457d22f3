//! Problems found in a catalogue, each with its place, and how they are shown.

use std::{fmt, fs, path::PathBuf};

use serde::Serialize;

/// Where something stands in a catalogue file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The file.
    pub file: PathBuf,
    /// The line, 1-based; 0 when unknown.
    pub line: u64,
    /// The column, 1-based; 0 when unknown.
    pub column: u64,
}

impl Place {
    /// A place from a YAML location in `file`.
    pub fn at(file: &std::path::Path, location: &serde_saphyr::Location) -> Place {
        Place {
            file: file.to_owned(),
            line: location.line(),
            column: location.column(),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        Ok(())
    }
}

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The catalogue cannot be served.
    Error,
    /// Worth fixing; the catalogue still loads.
    Warning,
}

/// One thing wrong with the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// Where it is.
    #[serde(flatten)]
    pub place: Place,
    /// The tool it belongs to, when it belongs to one.
    pub tool: Option<String>,
    /// What is wrong, lowercase, naming the thing.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Problem {
    /// An error at `place`.
    pub fn error(place: Place, tool: Option<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            place,
            tool,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `place`.
    pub fn warning(place: Place, tool: Option<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(place, tool, message)
        }
    }

    /// This problem with advice on what to do.
    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    /// Whether it stops the catalogue from loading.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The problem as rustc shows its errors: the message, the place, the source line with a
    /// caret under the column, then the tool and the advice.
    pub fn render(&self) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{label}: {}\n  --> {}\n", self.message, self.place);

        let source = (self.place.line > 0)
            .then(|| fs::read_to_string(&self.place.file).ok())
            .flatten();
        let line = source
            .as_deref()
            .and_then(|text| text.lines().nth(self.place.line as usize - 1));
        if let Some(line) = line {
            let number = self.place.line.to_string();
            let gutter = " ".repeat(number.len());
            let indent: String = line
                .chars()
                .take(self.place.column.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!(
                "{gutter} |\n{number} | {line}\n{gutter} | {indent}^\n"
            ));
        }
        if let Some(tool) = &self.tool {
            out.push_str(&format!("  = tool: {tool}\n"));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
        out
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.place)?;
        if let Some(tool) = &self.tool {
            write!(f, "tool `{tool}`: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Every problem found while loading a catalogue.
#[derive(Debug, thiserror::Error)]
#[error("{} problem(s) in the catalogue", .0.len())]
pub struct Problems(pub Vec<Problem>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_renders_with_its_source_line_and_a_caret() {
        let file = std::env::temp_dir().join(format!("gws-problem-{}.yaml", std::process::id()));
        fs::write(&file, "tools:\n  - name: x\n    tier: kernel\n").unwrap();
        let place = Place {
            file: file.clone(),
            line: 3,
            column: 11,
        };

        let text = Problem::error(place, Some("x".into()), "unknown tier `kernel`")
            .help("use core, extended or complete")
            .render();

        assert!(text.starts_with("error: unknown tier `kernel`\n"), "{text}");
        assert!(
            text.contains("3 |     tier: kernel\n  |           ^\n"),
            "{text}"
        );
        assert!(
            text.contains("= tool: x\n") && text.contains("= help: use core"),
            "{text}"
        );
        fs::remove_file(file).unwrap();
    }
}
