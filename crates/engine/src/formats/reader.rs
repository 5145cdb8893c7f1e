//! Reading a log a slice of events at a time, so the caller (the UI) can show how far it has got,
//! let the page breathe between slices, and stop. Each event is parsed once, straight from its
//! place in the text.
//!
//! Arrays (bare, or the envelope's `events`) are split by `split`'s walks and JSON Lines by
//! lines; every element is then validated by serde_json as it is read. Anything the walk cannot
//! follow, or an element that does not parse, sends the whole text down the one-call path
//! (`whole_text`), which reports the first problem exactly as serde_json finds it. So a valid log
//! reads in slices, and a broken one gets the same precise message whichever way it came.
use super::common::Fields;
use super::split::{skip_space, value_end, ArrayWalk, Malformed, ObjectWalk};
use super::{
    ndjson, not_a_log, parse_array, parse_object, read_event, rewind_json, text, Container, EventProblem, LoadError,
    LoadOptions, Mapping, Problems, ShapeError, Shapes,
};
use crate::fields::JsonKind;
use crate::log::{Log, LogFormat};
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::ops::Range;

/// A log being read; `step` reads the next events, `finish` gives the log or why there is none.
/// Given the text to own, the reader drops it once read, before the log is replayed: a large
/// log's text and its events then share memory only while it is read.
pub struct LogReader<'t> {
    text: Cow<'t, str>,
    options: LoadOptions,
    /// The field paths the first events have, offered for a mapping.
    field_paths: Vec<String>,
    /// True when `options.mapping` is Rewind's guess rather than the person's choice.
    mapping_guessed: bool,
    mode: Mode,
    read: Read,
    /// Whether room for the whole log was made (see `make_room`).
    sized: bool,
}

/// What reading has gathered so far.
struct Read {
    log: Log,
    problems: Problems,
    shapes: Shapes,
    /// Events read (or found broken) so far.
    index: usize,
    /// The line each broken element starts on, counted on from the one before.
    lines: super::LineCounter,
}

/// After this many events, the log's event count is estimated and room made for it at once.
const EVENTS_TO_ESTIMATE_FROM: usize = 4096;

enum Mode {
    Array(ArrayWalk),
    Envelope(EnvelopeWalk),
    Lines {
        next: usize,
        number: usize,
    },
    /// The outcome is known: read in one call, or read to the end.
    Finished(Option<Box<Result<Log, LoadError>>>),
}

/// Rewind's envelope, walked member by member; the `events` array is read in slices as it comes.
struct EnvelopeWalk {
    members: ObjectWalk,
    events: Option<ArrayWalk>,
    /// The members other than `events`, in written order: key, and where the value is.
    head: Vec<(String, Range<usize>)>,
    has_events: bool,
}

/// Why the walk gave up: the whole text goes the one-call way instead.
struct WholeText;

impl From<Malformed> for WholeText {
    fn from(_: Malformed) -> Self {
        WholeText
    }
}

impl<'t> LogReader<'t> {
    /// Detects the format (see the module `formats`) and gets ready to read with the default
    /// options (tolerant, mapping guessed when needed).
    pub fn new(text: impl Into<Cow<'t, str>>) -> Result<LogReader<'t>, LoadError> {
        LogReader::with_options(text, LoadOptions::default())
    }

    /// Detects the format and gets ready to read as `options` say; a single event, or text that is
    /// no log at all, is dealt with here. Without a mapping, the first events are looked at: when
    /// Rewind's own rules cannot read most of them, a mapping is guessed from their fields.
    pub fn with_options(text: impl Into<Cow<'t, str>>, options: LoadOptions) -> Result<LogReader<'t>, LoadError> {
        let mut text = text.into();
        // A UTF-8 byte-order mark is invisible to the person and not JSON; skip it.
        if text.starts_with('\u{feff}') {
            match &mut text {
                Cow::Borrowed(borrowed) => *borrowed = &borrowed['\u{feff}'.len_utf8()..],
                Cow::Owned(owned) => drop(owned.drain(..'\u{feff}'.len_utf8())),
            }
        }
        let (mode, format) = LogReader::mode_for(&text, &options)?;
        Ok(LogReader::ready(text, options, mode, format))
    }

    /// Reads `text` as JSON Lines whatever it looks like: a piece of a longer stream, its first
    /// line being line `first_line` + 1 of the stream and its first event the stream's event
    /// `first_index` (so messages count from the stream's start). A stream's later pieces are
    /// read with the mapping its first piece found (`Log::mapping`).
    pub fn lines(
        text: impl Into<Cow<'t, str>>,
        options: LoadOptions,
        first_line: usize,
        first_index: usize,
    ) -> Result<LogReader<'t>, LoadError> {
        let text = text.into();
        if text.trim().is_empty() {
            return Err(LoadError::Empty);
        }
        let mut reader =
            LogReader::ready(text, options, Mode::Lines { next: 0, number: first_line }, LogFormat::Ndjson);
        reader.read.index = first_index;
        Ok(reader)
    }

    fn ready(text: Cow<'t, str>, mut options: LoadOptions, mode: Mode, format: LogFormat) -> LogReader<'t> {
        let samples = first_events(&text, &mode);
        let field_paths = super::field_paths(&samples);
        let mapping_guessed = options.mapping.is_none() && {
            options.mapping = Mapping::guess(&samples);
            options.mapping.is_some()
        };
        let problems = Problems::new(options.strict);
        LogReader {
            text,
            options,
            field_paths,
            mapping_guessed,
            mode,
            read: Read {
                log: Log::new(format),
                problems,
                shapes: Shapes::default(),
                index: 0,
                lines: super::LineCounter::default(),
            },
            sized: false,
        }
    }

    /// How `text` is read, and the format that makes it.
    fn mode_for(text: &str, options: &LoadOptions) -> Result<(Mode, LogFormat), LoadError> {
        let Some(&first) = text.trim_start().as_bytes().first() else {
            return Err(LoadError::Empty);
        };
        if let Some(reason) = text::binary_start(text) {
            return Err(LoadError::Binary { reason });
        }
        let start = skip_space(text.as_bytes(), 0);
        let finished = |result| (Mode::Finished(Some(Box::new(result))), LogFormat::Array);
        Ok(match first {
            // Leading text JSON does not count as space (a no-break space): let serde_json say so.
            b'[' | b'{' | b'"' if text.as_bytes()[start] != first => finished(whole_text(text, options)),
            b'[' => (Mode::Array(ArrayWalk::new(start)), LogFormat::Array),
            b'{' | b'"' if ndjson::looks_like_ndjson(text) => (Mode::Lines { next: 0, number: 0 }, LogFormat::Ndjson),
            // Most likely an envelope; a single event is read in one call once its keys are known.
            b'{' => (
                Mode::Envelope(EnvelopeWalk {
                    members: ObjectWalk::new(start),
                    events: None,
                    head: Vec::new(),
                    has_events: false,
                }),
                LogFormat::Envelope,
            ),
            _ => finished(Err(not_a_log(text))),
        })
    }

    /// Reads up to `events` more events; true once the whole text is read (or its fate known).
    pub fn step(&mut self, events: usize) -> bool {
        let outcome = match &mut self.mode {
            Mode::Finished(_) => return true,
            Mode::Array(_) => self.step_array(events),
            Mode::Envelope(_) => self.step_envelope(events),
            Mode::Lines { .. } => self.step_lines(events),
        };
        self.make_room();
        match outcome {
            Ok(false) => false,
            Ok(true) => {
                let result = self.take_result();
                self.mode = Mode::Finished(Some(Box::new(result)));
                true
            }
            Err(WholeText) => {
                self.mode = Mode::Finished(Some(Box::new(whole_text(&self.text, &self.options))));
                true
            }
        }
    }

    /// Once the first events show how long an event is written, makes room for as many as the
    /// text holds (and a tenth more): a million events then live in one block instead of growing
    /// by doubling, which at its last step would hold the old and the new block at once.
    fn make_room(&mut self) {
        if self.sized || self.read.index < EVENTS_TO_ESTIMATE_FROM {
            return;
        }
        self.sized = true;
        let bytes_per_event = (self.bytes_read() / self.read.index).max(1);
        let expected = self.text.len() / bytes_per_event;
        self.read.log.reserve((expected + expected / 10).saturating_sub(self.read.log.len()));
    }

    /// The log, reading whatever is left first.
    pub fn finish(mut self) -> Result<Log, LoadError> {
        while !self.step(usize::MAX) {}
        let result = match &mut self.mode {
            Mode::Finished(result) => *result.take().expect("finish takes the result once"),
            _ => unreachable!("step returned true, so the outcome is known"),
        };
        // Text that is not JSON because it is not text at all: say that instead.
        match result {
            Err(LoadError::Syntax { .. }) => match text::nul_in(&self.text) {
                Some(reason) => Err(LoadError::Binary { reason }),
                None => result,
            },
            Ok(mut log) => {
                log.field_paths = std::mem::take(&mut self.field_paths);
                // A mapping read with wins over one an exported envelope names (its events are
                // already Rewind's).
                if let Some(mapping) = self.options.mapping.take() {
                    log.mapping = Some(mapping);
                    log.mapping_guessed = self.mapping_guessed;
                }
                Ok(log)
            }
            other => other,
        }
    }

    /// Bytes of the text read so far, of `total_bytes`.
    pub fn bytes_read(&self) -> usize {
        match &self.mode {
            Mode::Array(walk) => walk.position(),
            Mode::Envelope(walk) => walk.events.as_ref().map_or(walk.members.position(), ArrayWalk::position),
            Mode::Lines { next, .. } => *next,
            Mode::Finished(_) => self.text.len(),
        }
    }

    pub fn total_bytes(&self) -> usize {
        self.text.len()
    }

    /// Events read so far.
    pub fn events_read(&self) -> usize {
        self.read.index
    }

    fn step_array(&mut self, budget: usize) -> Result<bool, WholeText> {
        let Mode::Array(walk) = &mut self.mode else { unreachable!() };
        let bytes = self.text.as_bytes();
        for _ in 0..budget {
            match walk.next(bytes)? {
                Some(span) => self.read.element(&self.text, span, Container::Array(""), &self.options)?,
                None => {
                    ends_here(&self.text, walk.position())?;
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    fn step_envelope(&mut self, budget: usize) -> Result<bool, WholeText> {
        let Mode::Envelope(walk) = &mut self.mode else { unreachable!() };
        let text: &str = &self.text;
        let bytes = text.as_bytes();
        let mut read = 0;
        while read < budget {
            if let Some(events) = &mut walk.events {
                match events.next(bytes)? {
                    Some(span) => {
                        self.read.element(text, span, Container::Array("events"), &self.options)?;
                        read += 1;
                    }
                    None => {
                        walk.members.value_read(events.position());
                        walk.events = None;
                    }
                }
                continue;
            }
            let Some((key, value)) = walk.members.next(bytes)? else {
                ends_here(text, walk.members.position())?;
                return Ok(true);
            };
            let key = serde_json::from_str::<String>(&text[key]).map_err(|_| WholeText)?;
            if key == "events" {
                // Not an array, or a second `events` (the last wins, as in JavaScript): the
                // one-call path says so or reads the right one.
                if walk.has_events || bytes.get(value) != Some(&b'[') {
                    return Err(WholeText);
                }
                walk.has_events = true;
                walk.events = Some(ArrayWalk::new(value));
            } else {
                let end = value_end(bytes, value)?;
                serde_json::from_str::<&RawValue>(&text[value..end]).map_err(|_| WholeText)?;
                walk.head.push((key, value..end));
                walk.members.value_read(end);
            }
        }
        Ok(false)
    }

    fn step_lines(&mut self, budget: usize) -> Result<bool, WholeText> {
        let Mode::Lines { next, number } = &mut self.mode else { unreachable!() };
        let mut read = 0;
        while read < budget {
            if *next >= self.text.len() {
                return Ok(true);
            }
            let rest = &self.text[*next..];
            let length = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
            let line = &rest[..length];
            *number += 1;
            *next += length + 1;
            if line.trim().is_empty() {
                continue;
            }
            let (number, index) = (*number, self.read.index);
            let problem = |(field, problem)| ShapeError {
                index: Some(index),
                line: Some(number),
                path: Container::Line.path(index, field),
                problem,
            };
            let event = line.trim_matches(ndjson::is_json_space);
            let state = &mut self.read;
            match read_event(&mut state.log, event, self.options.mapping.as_ref()) {
                Ok((event, _)) => state.log.append(event),
                Err(EventProblem::Shape(field_problem)) if valid_json(line) => {
                    state.problems.add(&mut state.log, event, || problem(field_problem))
                }
                Err(EventProblem::Unreadable(error)) if valid_json(line) => {
                    state.problems.add(&mut state.log, event, || problem((None, super::common::unreadable(&error))))
                }
                Err(_) => {
                    let error = serde_json::from_str::<IgnoredAny>(line).expect_err("checked just above");
                    if self.options.strict {
                        self.mode = Mode::Finished(Some(Box::new(Err(LoadError::syntax(line, number, &error)))));
                        return Ok(false);
                    }
                    // Tolerant: a line that is not JSON keeps its place, with why.
                    let reason = format!(
                        "is not JSON: {}",
                        super::common::unreadable(&error).trim_start_matches("cannot be read: ")
                    );
                    state.problems.add(&mut state.log, line, || problem((None, reason)));
                }
            }
            self.read.index += 1;
            read += 1;
        }
        Ok(false)
    }

    /// The log once every event is read: the shape problems, or the log named by its shapes.
    fn take_result(&mut self) -> Result<Log, LoadError> {
        if let Mode::Envelope(walk) = &self.mode {
            // A single event after all (one with an `events` field, or none at all): its events
            // were read for nothing, which only such odd logs pay for.
            let has = |name: &str| walk.head.iter().any(|(key, _)| key == name);
            if !walk.has_events || has("specversion") || (has("eventType") && !has("type")) {
                return whole_text(&self.text, &self.options);
            }
        }
        // The envelope's own fields are checked before its events, as in one call.
        let head = match &mut self.mode {
            Mode::Envelope(walk) => {
                let head: Fields = walk
                    .head
                    .iter()
                    .map(|(key, value)| {
                        let raw = serde_json::from_str(&self.text[value.clone()]).expect("validated while walking");
                        (Cow::Borrowed(key.as_str()), raw)
                    })
                    .collect();
                Some(rewind_json::envelope_head(head)?)
            }
            _ => None,
        };
        std::mem::take(&mut self.read.problems).finish(&self.read.log)?;
        let mut log = std::mem::replace(&mut self.read.log, Log::new(LogFormat::Array));
        match (&self.mode, head) {
            (Mode::Array(_), _) => {
                log.format =
                    self.read.shapes.format(LogFormat::Array, LogFormat::CloudEventsBatch, LogFormat::KurrentEvents)
            }
            (_, Some(head)) => {
                head.apply_to(&mut log);
            }
            _ => {}
        }
        Ok(log)
    }
}

impl Read {
    /// Reads the array element at `span` of `text` as the next event: a shape problem is listed,
    /// a syntax problem sends the whole text the one-call way.
    fn element(
        &mut self,
        text: &str,
        span: Range<usize>,
        container: Container,
        options: &LoadOptions,
    ) -> Result<(), WholeText> {
        let element = &text[span.clone()];
        if JsonKind::of_text(element) != JsonKind::Object && !valid_json(element) {
            return Err(WholeText);
        }
        match read_event(&mut self.log, element, options.mapping.as_ref()) {
            Ok((event, shape)) => {
                self.shapes.add(shape);
                self.log.append(event);
            }
            Err(EventProblem::Shape((field, problem))) => self.problems.add(&mut self.log, element, || ShapeError {
                index: Some(self.index),
                line: Some(self.lines.line_at(text, span.start)),
                path: container.path(self.index, field),
                problem,
            }),
            // Not JSON, or JSON holding text that is no text (a lone surrogate): the one-call
            // path tells which, and where.
            Err(EventProblem::Unreadable(_)) => return Err(WholeText),
        }
        self.index += 1;
        Ok(())
    }
}

/// The field paths the first events of `text` have, whatever Rewind makes of the log (a field
/// mapping may be what it needs): for the mapping's choices.
pub fn sample_field_paths(text: &str) -> Vec<String> {
    let text = text.trim_start_matches('\u{feff}');
    match LogReader::mode_for(text, &LoadOptions::default()) {
        Ok((mode, _)) => super::field_paths(&first_events(text, &mode)),
        Err(_) => Vec::new(),
    }
}

/// Up to `SAMPLES` of the first events as written (objects only), to guess a mapping and list
/// the fields a mapping can name: an array's first elements, an envelope's first `events`, the
/// first lines.
fn first_events<'a>(text: &'a str, mode: &Mode) -> Vec<&'a str> {
    const SAMPLES: usize = 32;
    let is_object = |element: &&str| JsonKind::of_text(element) == JsonKind::Object && valid_json(element);
    let bytes = text.as_bytes();
    let elements = |mut walk: ArrayWalk| -> Vec<&'a str> {
        std::iter::from_fn(|| walk.next(bytes).ok().flatten())
            .take(SAMPLES)
            .map(|span| &text[span])
            .filter(is_object)
            .collect()
    };
    match mode {
        Mode::Array(walk) => elements(walk.clone()),
        Mode::Envelope(walk) => {
            let mut members = walk.members.clone();
            while let Ok(Some((key, value))) = members.next(bytes) {
                if &text[key] == "\"events\"" && bytes.get(value) == Some(&b'[') {
                    return elements(ArrayWalk::new(value));
                }
                match value_end(bytes, value) {
                    Ok(end) => members.value_read(end),
                    Err(_) => return Vec::new(),
                }
            }
            // No `events`: the object may be one event, in its own names.
            [text.trim()].into_iter().filter(is_object).collect()
        }
        Mode::Lines { .. } => text
            .lines()
            .map(|line| line.trim_matches(ndjson::is_json_space))
            .filter(|line| !line.is_empty())
            .take(SAMPLES)
            .filter(is_object)
            .collect(),
        Mode::Finished(_) => Vec::new(),
    }
}

fn valid_json(text: &str) -> bool {
    serde_json::from_str::<IgnoredAny>(text).is_ok()
}

/// Nothing but space may follow the log.
fn ends_here(text: &str, at: usize) -> Result<(), WholeText> {
    if skip_space(text.as_bytes(), at) == text.len() {
        Ok(())
    } else {
        Err(WholeText)
    }
}

/// The log read in one call, as `parse_log` did before logs were read in slices: the first syntax
/// error, or every shape problem.
fn whole_text(text: &str, options: &LoadOptions) -> Result<Log, LoadError> {
    if text.trim_start().starts_with('[') {
        parse_array(text, options)
    } else {
        parse_object(text, options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::to_rewind_json;

    /// Every fixture, and logs made to trip the walk: what they read to, whether in slices of one
    /// event or in one call.
    fn texts() -> Vec<String> {
        let mut texts = Vec::new();
        for dir in ["", "/formats", "/files"] {
            let dir = format!("{}/../../tests/fixtures{dir}", env!("CARGO_MANIFEST_DIR"));
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    texts.push(String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned());
                }
            }
        }
        texts.extend(
            [
                r#"{"events":[{"type":"A"}],"domain":"bank","by":"ops"}"#,
                r#"{"domain":"bank","events":[{"type":"A"}],"events":[{"type":"B"},{"type":"C"}]}"#,
                r#"{"events":5,"domain":"bank"}"#,
                r#"{"specversion":"1.0","type":"A","source":"/s","id":"1","events":[1]}"#,
                r#"{"eventType":"A","events":[]}"#,
                r#"{"type":"A","events":[{"type":"B"}]}"#,
                r#"{"domain":5,"events":[{"type":"A"}]}"#,
                r#"{"events":[{"amount":1}],"domain":5}"#,
                r#"{"domain":"bank","events":[{"type":"A"},{"type":"B"]}"#,
                r#"{"domain":"bank","events":[{"type":"A"}]} x"#,
                "[{\"type\":\"A\"},\n{\"amount\":1},\n5,\n{\"type\":\"\\ud800\"}]",
                "[{\"type\":\"A\",\"\\udc00\":1},{\"type\":\"B\"}]",
                "[{\"type\":\"A\"},{\"type\":\"B\"},]",
                "[{\"type\":\"A\"} {\"type\":\"B\"}]",
                "[{\"type\":\"A\"}]]",
                "\u{a0}[{\"type\":\"A\"}]",
                "[{\"type\":\"A\",\"n\":01}]",
                "{\"type\":\"A\"}\n\n{\"type\":\"B\",\"n\":tru}\n",
                "{\"type\":\"A\"}\n{\"amount\":1}\n{\"type\":\"A\",\"\\udc00\":1}\n",
                // Cut short anywhere: an error, never a panic.
                r#"{"domain":"bank","events":"#,
                r#"{"events""#,
                r#"{"events":["#,
                r#"{"events":[{"type":"A"},"#,
                "[",
                r#"[{"type":"A"},"#,
                r#"[{"type":"A"#,
            ]
            .map(String::from),
        );
        texts
    }

    fn outcome(result: Result<Log, LoadError>) -> Result<(String, LogFormat), String> {
        result.map(|log| (to_rewind_json(&log), log.format)).map_err(|error| error.to_string())
    }

    #[test]
    fn reading_in_slices_gives_what_reading_in_one_call_gives() {
        for options in [LoadOptions::strict(), LoadOptions::default()] {
            for text in texts() {
                // JSON Lines are only ever read line by line: one call is then one slice of them all.
                let in_one_call =
                    outcome(LogReader::with_options(&text, options.clone()).and_then(|reader| match reader.mode {
                        Mode::Lines { .. } => reader.finish(),
                        _ => whole_text(text.trim_start_matches('\u{feff}'), &reader.options),
                    }));
                let mut reader = match LogReader::with_options(&text, options.clone()) {
                    Ok(reader) => reader,
                    Err(error) => {
                        assert_eq!(Err(error.to_string()), in_one_call, "{text}");
                        continue;
                    }
                };
                while !reader.step(1) {}
                assert_eq!(outcome(reader.finish()), in_one_call, "{options:?}: {text}");
            }
        }
    }

    #[test]
    fn progress_counts_bytes_and_events_as_slices_are_read() {
        let events: Vec<String> = (0..10).map(|i| format!(r#"{{"type":"Deposit","amount":{i}}}"#)).collect();
        for text in
            [format!("[{}]", events.join(",\n")), format!("{{\"events\":[{}]}}", events.join(",")), events.join("\n")]
        {
            let mut reader = LogReader::new(&text).unwrap();
            let mut seen = vec![(reader.bytes_read(), reader.events_read())];
            while !reader.step(3) {
                seen.push((reader.bytes_read(), reader.events_read()));
            }
            let counts: Vec<usize> = seen.iter().map(|(_, events)| *events).collect();
            assert_eq!(counts, [0, 3, 6, 9], "{text}");
            assert!(seen.windows(2).all(|w| w[0].0 < w[1].0), "bytes only go forward: {seen:?}");
            assert!(seen.last().unwrap().0 < reader.total_bytes());
            assert_eq!(reader.bytes_read(), reader.total_bytes());
            assert_eq!(reader.finish().unwrap().len(), 10);
        }
    }

    #[test]
    fn a_syntax_error_late_in_a_long_array_is_found_where_it_is() {
        let mut text = String::from("[");
        for i in 0..1000 {
            text.push_str(&format!("{{\"type\":\"A\",\"n\":{i}}},\n"));
        }
        text.push_str("{\"type\":\"A\",\"n\":}]");
        let mut reader = LogReader::new(&text).unwrap();
        assert!(!reader.step(999));
        assert!(reader.step(10), "the broken element ends the reading");
        let message = reader.finish().unwrap_err().to_string();
        assert!(message.starts_with("Not valid JSON: line 1001, column 17: "), "{message}");
    }
}
