//! Reading and writing logs: detect the format, parse, and report problems precisely (line and
//! column for JSON syntax; event index, line and field path for a wrong shape).
//!
//! Detection, in order (the first rule that matches decides):
//! 1. Nothing but white space → `LoadError::Empty`; NUL or mostly control characters → `Binary`.
//! 2. Text starting with `[` → an array of events.
//! 3. Text whose first non-blank line is a complete JSON object and whose next non-blank line
//!    starts with `{` → JSON Lines (NDJSON), one event per line.
//! 4. Any other text starting with `{` is one object: with `specversion` → a CloudEvent; with
//!    `eventType` and no `type` → a KurrentDB event; with `events` → Rewind's envelope; with
//!    `type` → a single event; otherwise refused, saying what a log looks like.
//!
//! Each event (in an array, an envelope or on a line) is read by its own shape, with the same
//! rules: `specversion` → CloudEvent; `eventType` and no `type` → KurrentDB; `payload` and no
//! `data` → Redux action; otherwise Rewind's event (enveloped with `data`, flat without).
mod cloudevents;
mod common;
mod duplicates;
mod error;
mod export;
mod kurrent;
mod mapping;
mod ndjson;
mod reader;
mod redux;
mod redux_devtools;
mod rewind_json;
mod split;
mod text;

pub use duplicates::{DuplicateKey, NoText};
pub use error::{LoadError, ShapeError, MAX_LISTED_ERRORS};
pub use export::{export_file_name, to_ndjson, to_rewind_json, to_rewind_json_declaring, RewindJsonPieces};
pub use mapping::{field_paths, Mapping};
pub use reader::{sample_field_paths, LogReader};
pub use text::{check_size, decode_bytes, DecodeInPieces, DEFAULT_MAX_BYTES};

use crate::event::Event;
use crate::fields::{object_fields, JsonKind};
use crate::log::{Log, LogFormat};
use common::{must_be, FieldProblem, Fields};
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// How a log is read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Refuse the whole log when any event cannot be read, listing every problem. Otherwise (the
    /// default) an unreadable event keeps its place, marked, and the log is refused only when
    /// nothing in it reads as an event.
    pub strict: bool,
    /// Where events keep their type, stream, time, id and data; `None`: Rewind's own rules, or a
    /// mapping guessed from the first events when those rules cannot read them.
    pub mapping: Option<Mapping>,
}

impl LoadOptions {
    pub fn strict() -> LoadOptions {
        LoadOptions { strict: true, mapping: None }
    }
}

/// Parses a log in any supported format, in one call (`LogReader` reads it in slices), strictly:
/// any event that cannot be read refuses the log. A log with no events (`[]`) parses; `load_log`
/// refuses it.
pub fn parse_log(text: &str) -> Result<Log, LoadError> {
    read_log(text, &LoadOptions::strict())
}

/// Parses a log in one call as `options` say.
pub fn read_log(text: &str, options: &LoadOptions) -> Result<Log, LoadError> {
    LogReader::with_options(text, options.clone())?.finish()
}

/// What a person's load goes through: `parse_log`, and a log without events is refused with its
/// own message (`LoadError::NoEvents`) rather than shown as an empty timeline.
pub fn load_log(text: &str) -> Result<Log, LoadError> {
    refuse_empty(parse_log(text)?)
}

/// The log, unless it has no events.
pub fn refuse_empty(log: Log) -> Result<Log, LoadError> {
    if log.is_empty() {
        return Err(LoadError::NoEvents { envelope: log.format == LogFormat::Envelope });
    }
    Ok(log)
}

/// Text that starts with neither `[` nor `{`: a syntax error where it stops being JSON, or (a
/// lone number or string) valid JSON that is not a log.
fn not_a_log(text: &str) -> LoadError {
    match serde_json::from_str::<IgnoredAny>(text) {
        Err(error) => LoadError::syntax(text, 1, &error),
        Ok(_) => LoadError::envelope(
            "the log",
            "must be an array of events, an object with an \"events\" array, or one JSON event per line".into(),
        ),
    }
}

/// One top-level object: a CloudEvent, a KurrentDB event, Rewind's envelope or a single event.
fn parse_object(text: &str, options: &LoadOptions) -> Result<Log, LoadError> {
    let fields = object_fields(text).map_err(|e| LoadError::syntax(text, 1, &e))?;
    if redux_devtools::is_export(&fields) {
        return redux_devtools::parse_export(fields, options);
    }
    let has = |name: &str| fields.iter().any(|(key, _)| key == name);
    let one_event = has("specversion")
        || (has("eventType") && !has("type"))
        || (has("type") && !has("events"))
        || (options.mapping.is_some() && !has("events"));
    if !one_event {
        return rewind_json::parse_envelope(text, fields, options);
    }
    let raw: &RawValue = serde_json::from_str(text).expect("parsed above");
    let mut log = Log::with_capacity(LogFormat::Event, 1);
    let shapes = read_events(text, &mut log, &[raw], Container::Alone, options)?;
    log.format = shapes.format(LogFormat::Event, LogFormat::CloudEvent, LogFormat::KurrentEvent);
    Ok(log)
}

fn parse_array(text: &str, options: &LoadOptions) -> Result<Log, LoadError> {
    let events: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| LoadError::syntax(text, 1, &e))?;
    let mut log = Log::with_capacity(LogFormat::Array, events.len());
    let shapes = read_events(text, &mut log, &events, Container::Array(""), options)?;
    log.format = shapes.format(LogFormat::Array, LogFormat::CloudEventsBatch, LogFormat::KurrentEvents);
    Ok(log)
}

/// How a single event object is written.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Shape {
    Rewind,
    Redux,
    CloudEvent,
    Kurrent,
}

impl Shape {
    fn of(fields: &Fields) -> Shape {
        let has = |name: &str| fields.iter().any(|(key, _)| key == name);
        if has("specversion") {
            Shape::CloudEvent
        } else if has("eventType") && !has("type") {
            Shape::Kurrent
        } else if has("payload") && !has("data") {
            Shape::Redux
        } else {
            Shape::Rewind
        }
    }
}

/// Which shapes a log's events had, to name its format.
#[derive(Copy, Clone, Debug, Default)]
struct Shapes {
    rewind: bool,
    redux: bool,
    cloud_event: bool,
    kurrent: bool,
}

impl Shapes {
    fn add(&mut self, shape: Shape) {
        match shape {
            Shape::Rewind => self.rewind = true,
            Shape::Redux => self.redux = true,
            Shape::CloudEvent => self.cloud_event = true,
            Shape::Kurrent => self.kurrent = true,
        }
    }

    /// All CloudEvents or all KurrentDB events are named so; Redux actions (possibly beside
    /// payload-less flat events) too; anything else, or a mix, is `plain`.
    fn format(self, plain: LogFormat, cloud_events: LogFormat, kurrent: LogFormat) -> LogFormat {
        match (self.rewind, self.redux, self.cloud_event, self.kurrent) {
            (false, false, true, false) => cloud_events,
            (false, false, false, true) => kurrent,
            (_, true, false, false) => LogFormat::ReduxActions,
            _ => plain,
        }
    }
}

/// Where events sit, for error paths: `events[2].type`, `[2].type`, or just `type`.
#[derive(Copy, Clone, Debug)]
enum Container<'a> {
    Array(&'a str),
    Alone,
    Line,
}

impl Container<'_> {
    fn path(self, index: usize, field: Option<&str>) -> String {
        match (self, field) {
            (Container::Array(prefix), Some(field)) => format!("{prefix}[{index}].{field}"),
            (Container::Array(prefix), None) => format!("{prefix}[{index}]"),
            (Container::Alone, Some(field)) | (Container::Line, Some(field)) => field.to_string(),
            (Container::Alone, None) => "the log".into(),
            (Container::Line, None) => "the line".into(),
        }
    }
}

/// Events that could not be read, gathered over the whole log: the first `MAX_LISTED_ERRORS`
/// and a count. Loading strictly, any refuses the log; otherwise each keeps its place in the log.
#[derive(Default)]
struct Problems {
    strict: bool,
    errors: Vec<ShapeError>,
    total: usize,
}

impl Problems {
    fn new(strict: bool) -> Problems {
        Problems { strict, ..Problems::default() }
    }

    /// The event written as `raw` could not be read, for the reason `error` gives.
    fn add(&mut self, log: &mut Log, raw: &str, error: impl FnOnce() -> ShapeError) {
        self.total += 1;
        if self.strict {
            if self.errors.len() < MAX_LISTED_ERRORS {
                self.errors.push(error());
            }
            return;
        }
        let error = error();
        if self.errors.len() < MAX_LISTED_ERRORS {
            self.errors.push(error.clone());
        }
        log.append_unreadable(raw, error);
    }

    /// Whether the log stands: loading strictly, only with no problem; otherwise unless not one
    /// event could be read.
    fn finish(self, log: &Log) -> Result<(), LoadError> {
        let refused = self.total > 0 && (self.strict || log.unreadable().len() == log.len());
        if refused {
            Err(LoadError::Shape { errors: self.errors, total: self.total })
        } else {
            Ok(())
        }
    }
}

/// Reads `events` (raw values borrowed from `text`) into `log`, every problem listed.
fn read_events(
    text: &str,
    log: &mut Log,
    events: &[&RawValue],
    container: Container,
    options: &LoadOptions,
) -> Result<Shapes, LoadError> {
    let mut problems = Problems::new(options.strict);
    let mut shapes = Shapes::default();
    let mut lines = LineCounter::default();
    for (index, raw) in events.iter().enumerate() {
        let read = read_event(log, raw.get(), options.mapping.as_ref()).map_err(|problem| match problem {
            EventProblem::Shape(problem) => problem,
            EventProblem::Unreadable(error) => (None, common::unreadable(&error)),
        });
        match read {
            Ok((event, shape)) => {
                shapes.add(shape);
                log.append(event);
            }
            Err((field, problem)) => problems.add(log, raw.get(), || {
                let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
                let (line, path) = (lines.line_at(text, offset), container.path(index, field));
                ShapeError { index: Some(index), line: Some(line), path, problem }
            }),
        }
    }
    problems.finish(log)?;
    Ok(shapes)
}

/// Why an event was not read.
enum EventProblem {
    /// Its shape is wrong (a field missing, of the wrong kind).
    Shape(FieldProblem),
    /// Its object could not be parsed: not JSON, or JSON holding a string that is no text.
    Unreadable(serde_json::Error),
}

/// One event, written as JSON `raw`, in whichever shape it is written (or where `mapping` says its
/// parts are). `raw` is valid JSON unless it is an object (which is parsed, and so checked, here).
fn read_event(log: &mut Log, raw: &str, mapping: Option<&Mapping>) -> Result<(Event, Shape), EventProblem> {
    let kind = JsonKind::of_text(raw);
    if kind != JsonKind::Object {
        return Err(EventProblem::Shape((None, must_be("an event object", kind))));
    }
    let fields = object_fields(raw).map_err(EventProblem::Unreadable)?;
    let suspect = may_repeat_a_key_or_hold_no_text(&fields);
    if let Some(mapping) = mapping {
        let event = mapping.read_event(log, fields).map_err(EventProblem::Shape)?;
        if suspect {
            note_duplicate_keys(log, raw);
        }
        return Ok((event, Shape::Rewind));
    }
    let shape = Shape::of(&fields);
    let event = match shape {
        Shape::Rewind => rewind_json::read_event(log, fields),
        Shape::Redux => redux::read_action(log, fields),
        Shape::CloudEvent => cloudevents::read_event(log, fields),
        Shape::Kurrent => kurrent::read_event(log, fields),
    }
    .map_err(EventProblem::Shape)?;
    if suspect {
        note_duplicate_keys(log, raw);
    }
    Ok((event, shape))
}

/// Whether `duplicates::scan` could find anything in an event whose top-level fields are
/// `fields`: a top-level key written twice, or a value with a comma (an object or array that may
/// repeat a key inside) or an escape (a string that may be no text). Most events have none, and
/// the scan, a second pass over every byte, was a quarter of the time to read a log.
fn may_repeat_a_key_or_hold_no_text(fields: &[(Cow<str>, &RawValue)]) -> bool {
    let nested = fields.iter().any(|(_, value)| memchr::memchr2(b',', b'\\', value.get().as_bytes()).is_some());
    nested || {
        let mut seen = rustc_hash::FxHashSet::default();
        !fields.iter().all(|(key, _)| seen.insert(key))
    }
}

/// Flags the event about to be appended at the end of `log` when its object `raw` (or any object
/// in it) has a key written twice — read as JavaScript reads it (the last one), but never
/// silently — or holds a string that is no text (see `duplicates`).
fn note_duplicate_keys(log: &mut Log, raw: &str) {
    let found = duplicates::scan(raw);
    if let Some((path, key)) = found.duplicate {
        log.duplicate_keys.push(DuplicateKey { position: log.len(), path, key });
    }
    if let Some(path) = found.no_text {
        log.no_text.push(NoText { position: log.len(), path });
    }
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// `line_of` for offsets asked in increasing order (the events of a log, as they are read): each
/// counts only the line ends since the one before, so a log of a million unreadable events costs
/// one pass over its text rather than a million (found by the hostile corpus: 40,000 unreadable
/// events took two minutes).
#[derive(Default)]
pub(crate) struct LineCounter {
    offset: usize,
    /// Line ends before `offset`.
    ends: usize,
}

impl LineCounter {
    pub(crate) fn line_at(&mut self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        if offset < self.offset {
            *self = LineCounter::default();
        }
        self.ends += memchr::memchr_iter(b'\n', &text.as_bytes()[self.offset..offset]).count();
        self.offset = offset;
        self.ends + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(text: &str) -> (usize, usize, String, String) {
        match parse_log(text) {
            Err(LoadError::Syntax { line, column, message, excerpt }) => (line, column, message, excerpt),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_give_line_column_and_the_line_with_a_caret() {
        let error =
            parse_log("[\n  {\"type\": \"Deposit\", \"amount\": 100},\n  {\"type\": \"Withdraw\" \"amount\": 30}\n]")
                .unwrap_err();
        assert_eq!(
            error.to_string(),
            "Not valid JSON: line 3, column 23: expected `,` or `}`\n  3 | {\"type\": \"Withdraw\" \"amount\": 30}\n    \
             |                     ^"
        );
    }

    #[test]
    fn the_column_counts_characters() {
        let (line, column, _, excerpt) = syntax("[{\"type\": \"Dépôt\" 1}]");
        assert_eq!((line, column), (1, 19));
        assert_eq!(excerpt, "  1 | [{\"type\": \"Dépôt\" 1}]\n    |                   ^");
    }

    #[test]
    fn truncated_json_is_reported_where_the_text_ends() {
        let (line, column, message, excerpt) = syntax("[\n  {\"type\":\"Deposit\",\"amount\":100},\n\n");
        assert_eq!((line, column), (2, 35));
        assert_eq!(message, "the text ends too early (EOF while parsing a value)");
        assert!(excerpt.ends_with('^'), "{excerpt}");
    }

    #[test]
    fn common_mistakes_get_a_hint() {
        assert_eq!(
            syntax("[{'type': 'A'}]").2,
            "key must be a string: keys need double quotes, as in {\"type\": \"Deposit\"}"
        );
        assert_eq!(syntax("[{\"type\":\"A\"},]").2, "trailing comma: remove the comma before the closing bracket");
        let (line, column, message, _) = syntax("{\"type\":\"A\"}\nnot json");
        assert_eq!((line, column), (2, 1));
        assert!(message.starts_with("trailing characters after a complete JSON value"), "{message}");
    }

    #[test]
    fn plain_text_is_a_syntax_error() {
        assert!(matches!(parse_log("hello"), Err(LoadError::Syntax { line: 1, column: 1, .. })));
    }

    #[test]
    fn a_lone_number_is_not_a_log() {
        assert_eq!(
            parse_log("42").unwrap_err().to_string(),
            "Not a log of events (1 problem):\n• line 1: the log must be an array of events, an object with an \
             \"events\" array, or one JSON event per line"
        );
    }

    #[test]
    fn empty_input_is_its_own_error() {
        assert_eq!(parse_log("  \n\t").unwrap_err(), LoadError::Empty);
        assert_eq!(parse_log("\u{feff}").unwrap_err(), LoadError::Empty);
        assert_eq!(
            LoadError::Empty.to_string(),
            "The log is empty (nothing but white space): give a JSON array of events, an object with an \"events\" \
             array, or one JSON event per line."
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        assert_eq!(parse_log("\u{feff}[{\"type\":\"A\"}]").unwrap().len(), 1);
    }

    #[test]
    fn pasted_binary_is_refused() {
        assert_eq!(
            parse_log("[\n\0\0").unwrap_err().to_string(),
            "This is not a text file (it contains NUL characters, the first on line 2): Rewind reads event logs \
             written as JSON text."
        );
        assert!(matches!(parse_log("{\u{1}\u{2}\u{3}\u{fffd}\u{fffd}}"), Err(LoadError::Binary { .. })));
    }

    #[test]
    fn a_nul_far_into_a_log_is_still_named_as_binary() {
        let events = "{\"type\":\"A\"},\n".repeat(2_000);
        for text in [format!("[{events}{{\"type\":\"B\0\"}}]"), format!("{}\0\n", events.replace(",\n", "\n"))] {
            assert_eq!(
                parse_log(&text).unwrap_err().to_string(),
                "This is not a text file (it contains NUL characters, the first on line 2001): Rewind reads event \
                 logs written as JSON text."
            );
        }
    }

    #[test]
    fn an_escape_that_is_no_text_is_a_shape_error_not_a_panic() {
        let messages = |text: &str| parse_log(text).unwrap_err().to_string();
        assert_eq!(
            messages(r#"[{"type":"\ud800"}]"#),
            "Not a log of events (1 problem):\n• event 1 (line 1): [0].type cannot be read: unexpected end of \
             hex escape"
        );
        assert!(messages(r#"[{"type":"A","\udc00":1}]"#).contains("[0] cannot be read: "));
        assert!(messages(r#"{"domain":"\ud800","events":[]}"#).contains("domain cannot be read"));
        assert!(messages(r#"{"eventType":"A","metadata":{"\ud800":1}}"#).contains("metadata cannot be read"));
        assert!(messages(r#"{"specversion":"\ud800","type":"A"}"#).contains("specversion cannot be read"));
    }

    #[test]
    fn an_empty_log_parses_but_does_not_load() {
        assert_eq!(parse_log("[]").unwrap().len(), 0);
        assert_eq!(
            load_log(" [ ] ").unwrap_err().to_string(),
            "The log has no events: the array is empty. A log needs at least one event, such as {\"type\": \
             \"Deposit\", \"amount\": 100}."
        );
        assert_eq!(
            load_log(r#"{"domain": "bank", "events": []}"#).unwrap_err(),
            LoadError::NoEvents { envelope: true }
        );
        assert!(load_log(r#"{"events": []}"#)
            .unwrap_err()
            .to_string()
            .starts_with("The log has no events: its \"events\" array is empty."));
    }

    #[test]
    fn each_array_is_named_by_the_shapes_of_its_events() {
        let format = |text: &str| parse_log(text).unwrap().format;
        assert_eq!(format(r#"[{"type":"A","data":{}},{"type":"B","x":1}]"#), LogFormat::Array);
        assert_eq!(format(r#"[{"type":"a/reset"},{"type":"a/add","payload":{"n":1}}]"#), LogFormat::ReduxActions);
        assert_eq!(format(r#"[{"specversion":"1.0","type":"A","id":"1","source":"/s"}]"#), LogFormat::CloudEventsBatch);
        assert_eq!(format(r#"[{"eventType":"A","eventId":"1","data":{}}]"#), LogFormat::KurrentEvents);
        assert_eq!(format(r#"[{"eventType":"A"},{"type":"B"}]"#), LogFormat::Array, "a mix is a plain array");
    }

    #[test]
    fn lines_counted_as_the_log_is_read_are_the_lines_counted_from_the_start() {
        let text = "a\nb\n\nc\nd";
        let mut lines = LineCounter::default();
        for offset in [0, 1, 2, 2, 5, 6, 8, 9, 3, 0, 100] {
            assert_eq!(lines.line_at(text, offset), line_of(text, offset), "offset {offset}");
        }
    }

    #[test]
    fn many_unreadable_events_are_read_in_time_proportional_to_the_log() {
        let events: Vec<String> = (0..200_000).map(|i| format!("{{\"amount\":{i}}}")).collect();
        let text = format!("[{{\"type\":\"A\"}},\n{}]", events.join(",\n"));
        let started = std::time::Instant::now();
        let log = read_log(&text, &LoadOptions::default()).unwrap();
        assert_eq!(log.unreadable().len(), 200_000);
        assert_eq!(log.unreadable()[199_999].error.line, Some(200_001));
        let mut reader = LogReader::new(&text).unwrap();
        while !reader.step(1000) {}
        assert_eq!(reader.finish().unwrap().unreadable().len(), 200_000);
        // Quadratic, this took minutes; linear, well under a second even in a debug build.
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    }

    #[test]
    fn every_format_says_what_it_is_in_words() {
        let texts = [
            LogFormat::Envelope,
            LogFormat::Array,
            LogFormat::Event,
            LogFormat::ReduxActions,
            LogFormat::Ndjson,
            LogFormat::CloudEvent,
            LogFormat::CloudEventsBatch,
            LogFormat::KurrentEvent,
            LogFormat::KurrentEvents,
        ]
        .map(LogFormat::describe);
        assert_eq!(texts[4], "JSON Lines (one event per line)");
        assert_eq!(texts[6], "CloudEvents 1.0 (batch)");
        let unique: std::collections::HashSet<_> = texts.iter().collect();
        assert_eq!(unique.len(), texts.len(), "{texts:?}");
    }
}
