//! The test generator: one stream at one position of a session, written down as a given/when/then
//! test — given the stream's earlier events, when the event at the cursor, then the stream's state
//! after it and the problems found there — in two forms: a JSON fixture (format in
//! `docs/test-fixtures.md`, run by [`run_fixture`]) and a Rust `#[test]` over the engine's public
//! API, as source text.
//!
//! Reducers fold one stream at a time, so the stream's own events reproduce its state wherever
//! they sat in the log. Event data is kept as written (numbers keep their exact text), and every
//! string is escaped for where it lands: JSON, a Rust raw string, a Rust comment.
use crate::domain::{self, Domain, DomainChoice};
use crate::event::{Event, Sym};
use crate::log::ReducerScript;
use crate::money::parse_decimal;
use crate::session::{Session, SessionLoad};
use crate::timeline::Severity;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// The fixture format's version (`"rewind_test": 1`); a newer one is refused, never half-read.
pub const FORMAT_VERSION: u32 = 1;

/// At most this many events (given and when) in one generated test: a test longer than that is
/// no longer read by a person, and the page answers the click at once (in Chromium a 5,000-event
/// test is made in about 50 ms; laying out its 360 KB of Rust in the code box takes 70–140 ms).
pub const MAX_EVENTS: usize = 5_000;

/// A given/when/then test of one stream, as the fixture file holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// The format version: [`FORMAT_VERSION`].
    pub rewind_test: u32,
    /// The test's name: a Rust identifier made from the stream and the event.
    pub name: String,
    /// What the log was loaded from, and the 1-based timeline position of the `when` event in it:
    /// where the test came from, for a person (the runner does not read them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<usize>,
    /// The domain that replays the events: a registered one by name, or the script in `reducer`.
    pub domain: String,
    /// The reducer script, when the domain is one, so the fixture runs on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reducer: Option<ReducerScript>,
    /// Every event of the test is on this stream.
    pub stream: String,
    pub given: Vec<FixtureEvent>,
    pub when: FixtureEvent,
    pub then: Then,
}

/// One event of a fixture: its type and data as written; for a script domain also what a script
/// can read besides (id, times, meta).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureEvent {
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_at: Option<String>,
    pub data: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
}

/// What must hold after the `when` event: the stream's state (as the domain shows it) and the
/// problems found at that event, by severity, each list in the order found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Then {
    pub state: Value,
    /// Rules the event broke (it was applied anyway).
    pub violations: Vec<String>,
    /// Why its data could not be read (it was not applied).
    pub errors: Vec<String>,
    /// The domain does not know the event's type (its data was kept as generic fields).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
}

/// A generated test, and why its `when` event is not the one at the cursor (when it is not).
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratedTest {
    pub fixture: Fixture,
    /// 0-based timeline position of the `when` event.
    pub position: usize,
    pub note: Option<String>,
}

/// The test for `stream` (the focused one; `None`: the stream of the event at the cursor) at
/// `cursor` (events applied, as the UI's cursor counts): when the event at the cursor (the
/// `cursor`-th), or — when that one is on another stream, skipped or unreadable — the stream's
/// last event applied at or before it, which `note` then names.
pub fn generate(session: &Session, stream: Option<Sym>, cursor: usize) -> Result<GeneratedTest, String> {
    let cursor = cursor.min(session.len());
    if cursor == 0 {
        return Err("The cursor is at the start of the log: move it to an event first.".into());
    }
    let stream = stream.unwrap_or_else(|| session.event(cursor - 1).1.stream());
    let stream_name = session.stream_name(stream).to_string();
    let (domain_name, reducer) = nameable_domain(session)?;
    // Replay leaves skipped events out and passes over unreadable ones: neither is given, nor when.
    let applied =
        |log_position: usize| !session.is_skipped(log_position) && session.log().unreadable_at(log_position).is_none();
    // The timeline positions of the stream's applied events before `end`, in log order.
    let applied_before = |end: usize| {
        session
            .log()
            .stream_positions(stream)
            .filter(move |&p| applied(p))
            .map(|p| session.timeline_position(p))
            .filter(move |&t| t < end)
    };
    let at_cursor = cursor - 1;
    let (log_at_cursor, event_at_cursor) = session.event(at_cursor);
    let when = match event_at_cursor.stream() == stream && applied(log_at_cursor) {
        true => at_cursor,
        false => applied_before(at_cursor)
            .max()
            .ok_or_else(|| format!("Stream {stream_name} has no event at or before event {cursor}."))?,
    };
    // Counted before anything is built: a stream of a million events is refused in a few ms.
    let events = applied_before(when).count() + 1;
    if events > MAX_EVENTS {
        return Err(format!(
            "Stream {stream_name} has {} events up to this one; a generated test holds at most {}. \
             Generate it at an earlier event, or from a log with shorter streams.",
            thousands(events),
            thousands(MAX_EVENTS)
        ));
    }
    // Sorted: in effective-time order the timeline is not the log's order.
    let mut given: Vec<usize> = applied_before(when).collect();
    given.sort_unstable();
    let script = reducer.is_some();
    let event_at = |position: usize| fixture_event(session, session.event(position).1, script);
    let (_, when_event) = session.event(when);
    let note = (when != at_cursor).then(|| {
        let why = if event_at_cursor.stream() != stream {
            format!("is on stream {}", session.stream_of(event_at_cursor))
        } else if session.is_skipped(log_at_cursor) {
            "is skipped (replayed as if missing)".to_string()
        } else {
            "could not be read".to_string()
        };
        format!(
            "The event at the cursor (event {cursor}, {}) {why}: this test is for the last event of {stream_name} \
             at or before it, event {} ({}).",
            session.type_name(event_at_cursor),
            when + 1,
            session.type_name(when_event)
        )
    });
    let mut then = Then {
        state: session.stream_state_at(stream, when + 1),
        violations: Vec::new(),
        errors: Vec::new(),
        unknown: Vec::new(),
    };
    for problem in session.problems_at(when) {
        match problem.severity {
            Severity::Violation => then.violations.push(problem.message.clone()),
            Severity::Error | Severity::Unreadable => then.errors.push(problem.message.clone()),
            Severity::UnknownType => then.unknown.push(problem.message.clone()),
        }
    }
    let fixture = Fixture {
        rewind_test: FORMAT_VERSION,
        name: test_name(&stream_name, session.type_name(when_event), when + 1),
        source: Some(session.source().to_string()),
        event: Some(when + 1),
        domain: domain_name,
        reducer,
        stream: stream_name,
        given: given.into_iter().map(event_at).collect::<Result<_, _>>()?,
        when: event_at(when)?,
        then,
    };
    Ok(GeneratedTest { fixture, position: when, note })
}

/// The session's domain as a fixture names it: a registered domain by name, or the script the log
/// carries (a script domain is not in the registry).
fn nameable_domain(session: &Session) -> Result<(String, Option<ReducerScript>), String> {
    let domain = session.domain();
    match domain::find(domain.name()) {
        Some(registered) if domain::same(&*registered, domain) => Ok((domain.name().to_string(), None)),
        _ => match session.log().reducer() {
            Some(script) => Ok((domain.name().to_string(), Some(script.clone()))),
            None => Err(format!(
                "The domain {} is neither a registered domain nor a script the log carries, so a test cannot name it.",
                domain.name()
            )),
        },
    }
}

fn fixture_event(session: &Session, event: &Event, script: bool) -> Result<FixtureEvent, String> {
    let json = |text: &str| serde_json::from_str::<Value>(text).map_err(|e| format!("an event's JSON: {e}"));
    let owned = |text: Option<&str>| text.map(str::to_string);
    Ok(FixtureEvent {
        type_name: session.type_name(event).to_string(),
        // A compiled reducer reads only the type, the stream and the data; a script may read more.
        id: owned(event.id().filter(|_| script)),
        recorded_at: owned(event.recorded_at().filter(|_| script)),
        effective_at: owned(event.effective_at().filter(|_| script)),
        data: json(event.data())?,
        meta: event.meta().filter(|_| script).map(json).transpose()?,
    })
}

/// `12345` as `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

// ---- names ----

/// `acc-42`, `Withdraw`, 3 → `acc_42_withdraw_event_3`: a Rust identifier (ASCII, snake case,
/// never a keyword, never starting with a digit), unique per stream and position in one log.
pub fn test_name(stream: &str, type_name: &str, event: usize) -> String {
    let stream = words(stream, '_');
    let type_name = words(type_name, '_');
    let stream = match stream.chars().next() {
        None => "stream".to_string(),
        Some(c) if c.is_ascii_digit() => format!("stream_{stream}"),
        Some(_) => stream,
    };
    match type_name.is_empty() {
        true => format!("{stream}_event_{event}"),
        false => format!("{stream}_{type_name}_event_{event}"),
    }
}

/// The ASCII letters and digits of `text` in lower case, words split at camel case and at
/// anything else, joined by `separator`, at most 40 characters.
fn words(text: &str, separator: char) -> String {
    const MAX: usize = 40;
    let mut out = String::new();
    let mut previous = ' ';
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            let camel = c.is_ascii_uppercase() && (previous.is_ascii_lowercase() || previous.is_ascii_digit());
            if camel && !out.is_empty() && !out.ends_with(separator) {
                out.push(separator);
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with(separator) {
            out.push(separator);
        }
        previous = c;
    }
    out.truncate(MAX);
    out.trim_end_matches(separator).to_string()
}

impl GeneratedTest {
    /// The fixture's file name: `acc-42-withdraw-event-3.json`.
    pub fn fixture_file_name(&self) -> String {
        format!("{}.json", self.fixture.name.replace('_', "-"))
    }

    /// The Rust test's file name: `acc_42_withdraw_event_3.rs`.
    pub fn rust_file_name(&self) -> String {
        format!("{}.rs", self.fixture.name)
    }

    /// The fixture as JSON text: see [`Fixture::to_json`].
    pub fn fixture_json(&self) -> String {
        self.fixture.to_json()
    }

    /// The Rust test: see [`Fixture::to_rust`].
    pub fn rust_test(&self) -> String {
        self.fixture.to_rust()
    }
}

// ---- the JSON fixture ----

impl Fixture {
    /// The fixture as JSON: two-space indent, one event per line, the state pretty-printed.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\n");
        let mut member = |key: &str, value: String| {
            out.push_str(&format!("  {}: {value},\n", json_string(key)));
        };
        member("rewind_test", self.rewind_test.to_string());
        member("name", json_string(&self.name));
        if let Some(source) = &self.source {
            member("source", json_string(source));
        }
        if let Some(event) = self.event {
            member("event", event.to_string());
        }
        member("domain", json_string(&self.domain));
        if let Some(reducer) = &self.reducer {
            member("reducer", one_line(reducer));
        }
        member("stream", json_string(&self.stream));
        member("given", lines_of(self.given.iter().map(one_line), 2));
        member("when", one_line(&self.when));
        let then = &self.then;
        let mut body = format!("    \"state\": {},\n", indented(&pretty(&then.state), 4));
        body.push_str(&format!("    \"violations\": {},\n", one_line(&then.violations)));
        body.push_str(&format!("    \"errors\": {}", one_line(&then.errors)));
        if !then.unknown.is_empty() {
            body.push_str(&format!(",\n    \"unknown\": {}", one_line(&then.unknown)));
        }
        out.push_str(&format!("  \"then\": {{\n{body}\n  }}\n}}\n"));
        out
    }

    /// Reads a fixture, refusing one of a newer format or with fields it does not know.
    pub fn parse(text: &str) -> Result<Fixture, String> {
        #[derive(Deserialize)]
        struct Version {
            rewind_test: Option<u32>,
        }
        let version = serde_json::from_str::<Version>(text).map_err(|e| format!("not a Rewind test fixture: {e}"))?;
        match version.rewind_test {
            None => return Err("not a Rewind test fixture: \"rewind_test\" (its format version) is missing".into()),
            Some(v) if v > FORMAT_VERSION => {
                return Err(format!(
                    "the fixture is format version {v}; this Rewind reads version {FORMAT_VERSION} and older"
                ))
            }
            Some(_) => {}
        }
        serde_json::from_str(text).map_err(|e| format!("not a Rewind test fixture: {e}"))
    }

    /// The given and when events as a Rewind JSON log (the domain named, unless a script replays
    /// it), one event per line.
    pub fn log_json(&self) -> String {
        #[derive(Serialize)]
        struct LogEvent<'a> {
            #[serde(rename = "type")]
            type_name: &'a str,
            stream: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            id: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            recorded_at: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            effective_at: Option<&'a str>,
            data: &'a Value,
            #[serde(skip_serializing_if = "Option::is_none")]
            meta: Option<&'a Value>,
        }
        let events = self.given.iter().chain([&self.when]).map(|e| {
            one_line(&LogEvent {
                type_name: &e.type_name,
                stream: &self.stream,
                id: e.id.as_deref(),
                recorded_at: e.recorded_at.as_deref(),
                effective_at: e.effective_at.as_deref(),
                data: &e.data,
                meta: e.meta.as_ref(),
            })
        });
        let domain = match &self.reducer {
            None => format!("\"domain\": {}, ", json_string(&self.domain)),
            Some(_) => String::new(),
        };
        format!("{{{domain}\"events\": {}}}", lines_of(events, 0))
    }
}

/// `items` as a JSON array, one per line, indented under a member at `indent`.
fn lines_of(items: impl Iterator<Item = String>, indent: usize) -> String {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        return "[]".into();
    }
    let pad = " ".repeat(indent + 2);
    format!("[\n{pad}{}\n{}]", items.join(&format!(",\n{pad}")), " ".repeat(indent))
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// `value` pretty-printed, two-space indent.
fn pretty(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).expect("JSON values serialize")
}

/// Every line of `text` after the first indented by `indent` spaces. Safe on JSON: a newline
/// inside a JSON string is always written as `\n`.
fn indented(text: &str, indent: usize) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(indent)))
}

/// `value` on one line, with a space after each `:` and `,` (outside strings), as a person writes.
fn one_line(value: &impl Serialize) -> String {
    let mut out = Vec::new();
    let mut writer = serde_json::Serializer::with_formatter(&mut out, Spaced);
    value.serialize(&mut writer).expect("JSON values serialize");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// serde_json's compact output with `": "` and `", "`.
struct Spaced;

impl serde_json::ser::Formatter for Spaced {
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
}

// ---- the Rust test ----

impl Fixture {
    /// The test as a Rust `#[test]` over the engine's public API: it loads the given and when
    /// events with `Session::load` (a script domain: `SessionLoad` with the script compiled, so
    /// it belongs in `crates/script/tests/`), then compares the stream's state and the problems at
    /// the last event. Fully qualified paths, no `use`: several can be pasted into one file. The
    /// data sits in raw strings bound first, so the code around it has the same shape whatever the
    /// data, and `cargo fmt` leaves it as it is.
    pub fn to_rust(&self) -> String {
        let earlier = match self.given.len() {
            0 => "no earlier event".to_string(),
            1 => "1 earlier event".to_string(),
            n => format!("{n} earlier events"),
        };
        let from = match (&self.source, self.event) {
            (Some(source), Some(event)) => format!("from {}, event {event}", comment_text(source)),
            (Some(source), None) => format!("from {}", comment_text(source)),
            _ => "from a fixture".to_string(),
        };
        let paste = match self.reducer {
            None => "crates/engine/tests/",
            Some(_) => "crates/script/tests/",
        };
        let problems: Vec<(&str, &str)> = [
            (Severity::Violation, &self.then.violations),
            (Severity::Error, &self.then.errors),
            (Severity::UnknownType, &self.then.unknown),
        ]
        .into_iter()
        .flat_map(|(severity, messages)| messages.iter().map(move |m| (severity.id(), m.as_str())))
        .collect();
        let mut text = format!(
            "// Generated by Rewind's test generator {from}: stream {}.\n\
             // Given the stream's {earlier}, when {}, then its state and the problems found at\n\
             // that event are as recorded. Paste it into a file under {paste}.\n\
             #[test]\n\
             fn {}() {{\n",
            comment_text(&self.stream),
            comment_text(&self.when.type_name),
            self.name,
        );
        text.push_str(&let_line("log", &rust_string(&rust_safe_json(&self.log_json()))));
        text.push_str(&let_line("stream", &rust_string(&self.stream)));
        text.push_str(&let_line("state", &rust_string(&rust_safe_json(&pretty(&self.then.state)))));
        text.push_str(&let_line("problems", &rust_string(&rust_safe_json(&one_line(&problems)))));
        match &self.reducer {
            None => {
                text.push_str(
                    "    let session = rewind_engine::session::Session::load(\"generated test\", log).expect(\"the events load\");\n",
                );
                text.push_str(&format!("    assert_eq!(session.domain().name(), {});\n", rust_string(&self.domain)));
            }
            Some(script) => {
                text.push_str(&let_line("reducer", &rust_string(&script.source)));
                text.push_str(concat!(
                    "    let domain = rewind_script::ScriptDomain::compile(\"the test's reducer\", reducer).expect(\"it compiles\");\n",
                    "    let choice = rewind_engine::domain::DomainChoice::script(std::sync::Arc::new(domain));\n",
                    "    let session = rewind_engine::session::SessionLoad::new(\"generated test\", log)\n",
                    "        .expect(\"the events read\")\n",
                    "        .with_domain_from(|_| Some(choice))\n",
                    "        .finish()\n",
                    "        .expect(\"the events load\");\n",
                ));
            }
        }
        text.push_str(concat!(
            "    let at = session.stream(stream).expect(\"the stream has events\");\n",
            "    let found = session.stream_state_at(at, session.len());\n",
            "    assert_eq!(found, serde_json::from_str::<serde_json::Value>(state).unwrap());\n",
            "    let found: Vec<(&str, &str)> =\n",
            "        session.problems_at(session.len() - 1).iter().map(|p| (p.severity.id(), p.message.as_str())).collect();\n",
            "    assert_eq!(serde_json::json!(found), serde_json::from_str::<serde_json::Value>(problems).unwrap());\n",
            "}\n",
        ));
        text
    }
}

/// `let name = literal;` in a test's body, laid out as rustfmt lays it out (max width 120, the
/// house style): a one-line literal that does not fit after `let name = ` but fits on a line of
/// its own starts on the next line, further indented; a literal of several lines stays put.
/// (Width is counted in characters; rustfmt counts columns, so only a line of wide characters
/// near the limit can come out otherwise.)
fn let_line(name: &str, literal: &str) -> String {
    const MAX_WIDTH: usize = 120;
    let width = literal.chars().count() + ";".len();
    let inline = 4 + "let  = ".len() + name.len() + width;
    if !literal.contains('\n') && inline > MAX_WIDTH && 8 + width <= MAX_WIDTH {
        format!("    let {name} =\n        {literal};\n")
    } else {
        format!("    let {name} = {literal};\n")
    }
}

/// Characters that reorder how text is shown: rustc refuses them in literals and comments
/// (`text_direction_codepoint_in_literal`), as they can make code read other than it runs.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// JSON text with the direction controls written as `\uXXXX` escapes: the same JSON (they only
/// occur inside strings), safe in a Rust raw string.
fn rust_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_direction_control(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A Rust string literal holding exactly `text`: a plain `"…"` when nothing in it needs escaping,
/// a raw string (`r#"…"#`, with as many `#` as the text needs) when it can be one, otherwise an
/// escaped string.
fn rust_string(text: &str) -> String {
    let unsafe_in_raw = |c: char| is_direction_control(c) || (c.is_control() && c != '\n' && c != '\t');
    if !text.contains(['"', '\\', '\n', '\t']) && !text.chars().any(unsafe_in_raw) {
        return format!("\"{text}\"");
    }
    if !text.chars().any(unsafe_in_raw) {
        // One more `#` than the longest run of `#` after a quote in the text.
        let mut longest = 0;
        for (i, _) in text.match_indices('"') {
            longest = longest.max(text[i + 1..].chars().take_while(|&c| c == '#').count());
        }
        let hashes = "#".repeat(longest + 1);
        return format!("r{hashes}\"{text}\"{hashes}");
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_direction_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a `//` comment: quoted and escaped as a JSON string (so a newline cannot end the
/// comment), direction controls escaped.
fn comment_text(text: &str) -> String {
    rust_safe_json(&json_string(text))
}

// ---- running a fixture ----

/// What running a fixture found: nothing when it passes, else one line per difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixtureRun {
    pub name: String,
    pub differences: Vec<String>,
}

impl FixtureRun {
    pub fn passed(&self) -> bool {
        self.differences.is_empty()
    }
}

impl fmt::Display for FixtureRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.passed() {
            return write!(f, "{}: pass", self.name);
        }
        write!(f, "{}: FAIL", self.name)?;
        for difference in &self.differences {
            write!(f, "\n  {difference}")?;
        }
        Ok(())
    }
}

/// Runs a fixture with the registered domain it names. A fixture carrying a script cannot run
/// here (the engine has no script language): `rewind_script::run_fixture` runs those.
pub fn run_fixture(fixture: &Fixture) -> Result<FixtureRun, String> {
    if let Some(script) = &fixture.reducer {
        return Err(format!(
            "{}: the fixture carries its reducer ({} script): run it with rewind_script::run_fixture",
            fixture.name, script.language
        ));
    }
    let domain = domain::find(&fixture.domain)
        .ok_or_else(|| format!("{}: no registered domain is called {:?}", fixture.name, fixture.domain))?;
    run_fixture_with(fixture, domain)
}

/// Replays the fixture's given and when events with `domain` and compares the stream's state and
/// the problems at the when event with its `then`. `Err` when the events do not load.
pub fn run_fixture_with(fixture: &Fixture, domain: Arc<dyn Domain>) -> Result<FixtureRun, String> {
    let failed = |e: &dyn fmt::Display| format!("{}: the fixture's events do not load: {e}", fixture.name);
    let choice = DomainChoice { domain, reason: "the test fixture names it".into() };
    // Strict: an event the fixture holds that cannot be read is the fixture's mistake, not a problem to compare.
    let options = crate::formats::LoadOptions::strict();
    let session = SessionLoad::with_options("test fixture", fixture.log_json(), options)
        .map_err(|e| failed(&e))?
        .with_domain_from(move |_| Some(choice))
        .finish()
        .map_err(|e| failed(&e))?;
    let stream = session.stream(&fixture.stream).expect("every event of the fixture is on its stream");
    let mut differences = Vec::new();
    let state = session.stream_state_at(stream, session.len());
    compare_json(&fixture.then.state, &state, "then.state", &mut differences);
    let mut found = Then { state: Value::Null, violations: Vec::new(), errors: Vec::new(), unknown: Vec::new() };
    for problem in session.problems_at(session.len() - 1) {
        let list = match problem.severity {
            Severity::Violation => &mut found.violations,
            Severity::Error | Severity::Unreadable => &mut found.errors,
            Severity::UnknownType => &mut found.unknown,
        };
        list.push(problem.message.clone());
    }
    let then = &fixture.then;
    for (key, expected, actual) in [
        ("violations", &then.violations, &found.violations),
        ("errors", &then.errors, &found.errors),
        ("unknown", &then.unknown, &found.unknown),
    ] {
        if expected != actual {
            differences.push(format!("then.{key}: expected {}, found {}", one_line(expected), one_line(actual)));
        }
    }
    Ok(FixtureRun { name: fixture.name.clone(), differences })
}

/// Where `expected` and `actual` differ, one line each, by path (`then.state.balance`). Numbers
/// are equal when their exact decimal values are (`54.90` is `54.9`).
fn compare_json(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, value) in expected {
                let at = format!("{path}.{key}");
                match actual.get(key) {
                    Some(found) => compare_json(value, found, &at, out),
                    None => out.push(format!("{at}: expected {}, missing", one_line(value))),
                }
            }
            for (key, value) in actual.iter().filter(|(key, _)| !expected.contains_key(*key)) {
                out.push(format!("{path}.{key}: not expected, found {}", one_line(value)));
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                compare_json(e, a, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Number(e), Value::Number(a)) if same_number(e, a) => {}
        _ if expected == actual => {}
        _ => out.push(format!("{path}: expected {}, found {}", one_line(expected), one_line(actual))),
    }
}

fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    let (a, b) = (a.to_string(), b.to_string());
    a == b || matches!((parse_decimal(&a), parse_decimal(&b)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests;
