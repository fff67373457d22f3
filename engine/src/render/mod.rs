//! Rendering: the minijinja environment, the library of filters and functions, and the value
//! templates that turn a call's arguments and earlier replies into request parts.

pub mod library;
mod names;
mod value;

pub use names::unknown_filters;
pub use value::{Context, ValueTemplate};

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

/// A fresh environment with the engine's settings and the whole filter library.
///
/// Undefined values may be tested (`{% if x %}`) but not printed or iterated, so a template
/// that names a variable nobody set fails loudly instead of sending an empty value to Google.
/// Nothing is HTML-escaped: requests are JSON, URLs and mail, never HTML pages.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_recursion_limit(64);
    library::register(&mut env);
    env
}

/// The environment for what the model reads: output text and output field expressions.
///
/// Here a missing value prints as nothing: a reply without an optional field (a message with
/// no subject) should still read well, and nothing is sent to Google from this side.
pub fn text_environment() -> Environment<'static> {
    let mut env = environment();
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env
}
