//! Argument reading shared by the template adapters: positional-or-keyword lookup, absent values,
//! and error messages that name the argument.

use minijinja::value::{Kwargs, ValueKind};
use minijinja::{Error, ErrorKind, Value};

/// An error a model should see: bad input to a filter or function.
pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, message.into())
}

/// The arguments of one filter or function call, read by position or by keyword.
///
/// `none` and undefined both read as absent. Giving one parameter both ways, an unknown keyword,
/// or too many positional arguments is an error naming the filter or function.
pub(crate) struct Args<'a> {
    callee: &'static str,
    positional: &'a [Value],
    kwargs: Kwargs,
}

impl<'a> Args<'a> {
    /// Wraps the raw arguments of a call to `callee`.
    pub(crate) fn new(callee: &'static str, positional: &'a [Value], kwargs: Kwargs) -> Self {
        Args {
            callee,
            positional,
            kwargs,
        }
    }

    /// The value of a parameter given at `index` (if positional is allowed) or by `name`.
    pub(crate) fn value(&self, index: Option<usize>, name: &str) -> Result<Option<Value>, Error> {
        let by_position = index.and_then(|i| self.positional.get(i)).cloned();
        let by_name: Option<Value> = self.kwargs.get(name)?;
        if by_position.as_ref().is_some_and(present) && by_name.as_ref().is_some_and(present) {
            return Err(invalid(format!(
                "`{name}` was given twice (by position and by keyword) to `{}`",
                self.callee
            )));
        }
        Ok(by_position.filter(present).or(by_name.filter(present)))
    }

    /// A text parameter: a string, or a number written out; absent reads as `None`.
    pub(crate) fn text(&self, index: Option<usize>, name: &str) -> Result<Option<String>, Error> {
        self.value(index, name)?
            .map(|value| text_of(&value, name))
            .transpose()
    }

    /// A boolean parameter; absent reads as `default`.
    pub(crate) fn flag(
        &self,
        index: Option<usize>,
        name: &str,
        default: bool,
    ) -> Result<bool, Error> {
        match self.value(index, name)? {
            None => Ok(default),
            Some(value) if value.kind() == ValueKind::Bool => Ok(value.is_true()),
            Some(value) => Err(invalid(format!(
                "`{name}` must be true or false, got a {}",
                value.kind()
            ))),
        }
    }

    /// Checks that no unknown keyword and no extra positional argument was given.
    pub(crate) fn finish(self, max_positional: usize) -> Result<(), Error> {
        if self.positional.len() > max_positional {
            return Err(invalid(format!(
                "`{}` takes at most {max_positional} positional arguments, got {}",
                self.callee,
                self.positional.len()
            )));
        }
        self.kwargs.assert_all_used().map_err(|err| {
            invalid(format!(
                "`{}`: {}",
                self.callee,
                err.detail().unwrap_or("unknown keyword argument")
            ))
        })
    }
}

/// Whether a value counts as given: neither `none` nor undefined.
pub(crate) fn present(value: &Value) -> bool {
    !value.is_none() && !value.is_undefined()
}

/// The text of a string or number value; any other kind is an error naming `name`.
pub(crate) fn text_of(value: &Value, name: &str) -> Result<String, Error> {
    match value.kind() {
        ValueKind::String => Ok(value.as_str().unwrap_or_default().to_string()),
        ValueKind::Number => Ok(value.to_string()),
        ValueKind::Undefined | ValueKind::None => Err(invalid(format!("`{name}` is missing"))),
        kind => Err(invalid(format!("`{name}` must be a string, got a {kind}"))),
    }
}
