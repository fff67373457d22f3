//! Problems found in a catalogue, each with its place.

use std::{fmt, path::PathBuf};

/// Where something stands in a catalogue file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

/// One thing wrong with the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where it is.
    pub place: Place,
    /// The tool it belongs to, when it belongs to one.
    pub tool: Option<String>,
    /// What is wrong, lowercase, naming the thing.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.place)?;
        if let Some(tool) = &self.tool {
            write!(f, "tool `{tool}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found while loading a catalogue.
#[derive(Debug, thiserror::Error)]
#[error("{} problem(s) in the catalogue", .0.len())]
pub struct Problems(pub Vec<Problem>);
