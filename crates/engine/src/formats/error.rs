//! Why a log was refused, in words a person can act on: where (line and column, event and field
//! path) and what was expected.
use super::text::megabytes;
use std::fmt;

/// At most this many shape errors are listed; the rest are counted.
pub const MAX_LISTED_ERRORS: usize = 20;

/// Lines longer than this are shown as a window around the column.
const EXCERPT_CHARS: usize = 120;

/// Why a log was refused. A refused log never replaces the one already loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Nothing but white space.
    Empty,
    /// A file of 0 bytes.
    EmptyFile,
    /// A well-formed log without a single event (`[]`, `{"events": []}`); see `load_log`.
    NoEvents { envelope: bool },
    /// Not text: NUL bytes, mostly control characters, or a known binary format.
    Binary { reason: String },
    /// Over the size limit; both in bytes.
    TooLarge { size: usize, limit: usize },
    /// Text in an encoding Rewind cannot read (invalid UTF-8, broken UTF-16, UTF-32).
    Encoding { message: String },
    /// The text is not JSON. Line and column are 1-based; the column counts characters.
    /// `excerpt` shows the line with a caret under the column (empty when there is no line).
    Syntax { line: usize, column: usize, message: String, excerpt: String },
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
                "The log is empty (nothing but white space): give a JSON array of events, an object with an \
                 \"events\" array, or one JSON event per line.",
            ),
            LoadError::EmptyFile => f.write_str("The file is empty (0 bytes): there is no log in it."),
            LoadError::NoEvents { envelope } => {
                let what = if *envelope { "its \"events\" array is empty" } else { "the array is empty" };
                write!(
                    f,
                    "The log has no events: {what}. A log needs at least one event, such as \
                     {{\"type\": \"Deposit\", \"amount\": 100}}."
                )
            }
            LoadError::Binary { reason } => {
                write!(f, "This is not a text file ({reason}): Rewind reads event logs written as JSON text.")
            }
            LoadError::TooLarge { size, limit } => {
                let (mut shown_size, mut shown_limit) = (megabytes(*size), megabytes(*limit));
                if shown_size == shown_limit {
                    // Just over the limit: rounded, both would read the same.
                    (shown_size, shown_limit) = (format!("{size} bytes"), format!("{limit}-byte"));
                }
                write!(
                    f,
                    "The file is {shown_size}, over the {shown_limit} limit: it is refused rather than freeze the page. Load a \
                     smaller part of the log."
                )
            }
            LoadError::Encoding { message } => f.write_str(message),
            LoadError::Syntax { line, column, message, excerpt } => {
                write!(f, "Not valid JSON: line {line}, column {column}: {message}")?;
                if !excerpt.is_empty() {
                    write!(f, "\n{excerpt}")?;
                }
                Ok(())
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
    /// A JSON syntax error in `text`, whose first line is line `first_line` of the log (NDJSON
    /// parses one line at a time).
    pub(crate) fn syntax(text: &str, first_line: usize, error: &serde_json::Error) -> LoadError {
        let full = error.to_string();
        // serde_json appends " at line L column C"; the position is reported separately.
        let message = match full.rfind(" at line ") {
            Some(cut) => full[..cut].to_string(),
            None => full,
        };
        let eof = error.classify() == serde_json::error::Category::Eof;
        let message = if eof { format!("the text ends too early ({message})") } else { hint(message) };
        let (line, column) = if eof { end_of_content(text) } else { (error.line(), error.column()) };
        let line_text = text.split('\n').nth(line.saturating_sub(1)).unwrap_or("");
        let column = char_column(line_text, column);
        let line = line + first_line - 1;
        LoadError::Syntax { line, column, message, excerpt: excerpt(line, line_text, column) }
    }

    /// A problem with the envelope (or the only object) rather than with one event.
    pub(crate) fn envelope(path: &str, problem: String) -> LoadError {
        LoadError::Shape {
            errors: vec![ShapeError { index: None, line: Some(1), path: path.into(), problem }],
            total: 1,
        }
    }
}

/// serde_json's wording plus what usually causes it.
fn hint(message: String) -> String {
    let hint = match message.as_str() {
        "trailing characters" => {
            " after a complete JSON value: several events go in an array [...] or one per line (JSON Lines)"
        }
        "key must be a string" => ": keys need double quotes, as in {\"type\": \"Deposit\"}",
        "trailing comma" => ": remove the comma before the closing bracket",
        _ => "",
    };
    message + hint
}

/// Where the text's content ends: the line (1-based) and the byte column just after the last
/// non-blank character. A truncated log is reported there, not on an empty line after it.
fn end_of_content(text: &str) -> (usize, usize) {
    let content = text.trim_end();
    let line = content.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = content.rfind('\n').map_or(0, |i| i + 1);
    (line, content.len() - line_start + 1)
}

/// serde_json's column counts bytes (1-based, the offending byte); people count characters.
fn char_column(line: &str, byte_column: usize) -> usize {
    let before = byte_column.saturating_sub(1).min(line.len());
    let boundary = (0..=before).rev().find(|&i| line.is_char_boundary(i)).unwrap_or(0);
    line[..boundary].chars().count() + 1
}

/// The offending line, trimmed to a window around the column, with a caret under the column:
///
/// ```text
///   3 | {"type": "Withdraw" "amount": 30}
///     |                     ^
/// ```
fn excerpt(line_number: usize, line: &str, column: usize) -> String {
    // Control characters (tabs included) would shift the caret; show each as one space.
    let chars: Vec<char> = line.trim_end().chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let indent = chars.iter().take_while(|c| **c == ' ').count();
    let caret = column.saturating_sub(1).max(indent).min(chars.len());
    let (mut start, mut end) = (indent, chars.len());
    if end - start > EXCERPT_CHARS {
        start = caret.saturating_sub(EXCERPT_CHARS / 2).max(indent).min(end - EXCERPT_CHARS);
        end = start + EXCERPT_CHARS;
    }
    let mut shown: String = chars[start..end].iter().collect();
    let mut offset = caret - start;
    if start > indent {
        shown.insert(0, '…');
        offset += 1;
    }
    if end < chars.len() {
        shown.push('…');
    }
    let gutter = format!("{line_number:>3}");
    format!("{gutter} | {shown}\n{:width$} | {:offset$}^", "", "", width = gutter.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_excerpt_puts_a_caret_under_the_column() {
        let line = r#"  {"type": "Withdraw" "amount": 30}"#;
        assert_eq!(excerpt(3, line, 23), "  3 | {\"type\": \"Withdraw\" \"amount\": 30}\n    |                     ^");
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_column() {
        let line = format!("{}X{}", "a".repeat(300), "b".repeat(300));
        let shown = excerpt(1, &line, 301);
        let (text, caret) = shown.split_once('\n').unwrap();
        assert!(text.starts_with("  1 | …a") && text.ends_with("b…"), "{text}");
        assert_eq!(text.chars().position(|c| c == 'X'), caret.chars().position(|c| c == '^'));
        assert!(text.chars().count() < 140);
    }

    #[test]
    fn the_column_counts_characters_not_bytes() {
        assert_eq!(char_column("{\"é\": 1 \"b\"}", 10), 9);
        assert_eq!(char_column("abc", 0), 1);
    }

    #[test]
    fn sizes_are_named_in_megabytes() {
        let error = LoadError::TooLarge { size: 300 * 1024 * 1024 + 512 * 1024, limit: 256 * 1024 * 1024 };
        assert_eq!(
            error.to_string(),
            "The file is 300.5 MB, over the 256 MB limit: it is refused rather than freeze the page. Load a \
             smaller part of the log."
        );
    }
}
