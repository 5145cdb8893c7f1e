//! Reading logs: detect the format, parse, and report problems precisely (line and column for
//! JSON syntax; event index and field path for a wrong shape).
mod rewind_json;

use crate::engine::log::Log;
use std::fmt;

/// At most this many shape errors are listed; the rest are counted.
pub const MAX_LISTED_ERRORS: usize = 20;

/// Why a log was refused. A refused log never replaces the one already loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Nothing but white space.
    Empty,
    /// The text is not JSON. Line and column are 1-based.
    Syntax { line: usize, column: usize, message: String },
    /// Valid JSON, but not a log: the first `MAX_LISTED_ERRORS` problems and how many there were.
    Shape { errors: Vec<ShapeError>, total: usize },
}

/// One event (or the envelope) that does not have the shape of a log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    /// 0-based index of the event, `None` for the envelope itself.
    pub index: Option<usize>,
    /// 1-based line where the event starts.
    pub line: Option<usize>,
    /// JSON path of the offending field, e.g. `events[2].type`.
    pub path: String,
    /// What is wrong: "is missing", "must be a string, found a number".
    pub problem: String,
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.index, self.line) {
            (Some(index), Some(line)) => write!(f, "event {} (line {line}): ", index + 1)?,
            (Some(index), None) => write!(f, "event {}: ", index + 1)?,
            (None, Some(line)) => write!(f, "line {line}: ")?,
            (None, None) => {}
        }
        write!(f, "{} {}", self.path, self.problem)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Empty => f.write_str(
                "The log is empty: paste a JSON array of events, or an object with an \"events\" array.",
            ),
            LoadError::Syntax { line, column, message } => {
                write!(f, "Not valid JSON: line {line}, column {column}: {message}")
            }
            LoadError::Shape { errors, total } => {
                let noun = if *total == 1 { "problem" } else { "problems" };
                write!(f, "Not a log of events ({total} {noun}):")?;
                for error in errors {
                    write!(f, "\n• {error}")?;
                }
                if *total > errors.len() {
                    write!(f, "\n… and {} more", total - errors.len())?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    pub(crate) fn from_json(error: &serde_json::Error) -> LoadError {
        let full = error.to_string();
        // serde_json appends " at line L column C"; the position is reported separately.
        let message = match full.rfind(" at line ") {
            Some(cut) => full[..cut].to_string(),
            None => full,
        };
        let message = match error.classify() {
            serde_json::error::Category::Eof => format!("the text ends too early ({message})"),
            _ => message,
        };
        LoadError::Syntax { line: error.line(), column: error.column(), message }
    }
}

/// Parses a log in any supported format.
pub fn parse_log(text: &str) -> Result<Log, LoadError> {
    // A UTF-8 byte-order mark is invisible to the person and not JSON; skip it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match text.trim_start().as_bytes().first() {
        None => Err(LoadError::Empty),
        Some(b'{') => rewind_json::parse_envelope(text),
        Some(b'[') => rewind_json::parse_array(text),
        Some(_) => Err(rewind_json::syntax_error(text)),
    }
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}
