//! A lesson: its schema, reading a lesson file, the built-in lessons, and where a lesson starts.
use rewind_engine::formats::LoadError;
use rewind_engine::generate::{generate_log, GenerateOptions};
use rewind_engine::inspect::IntegrityKind;
use rewind_engine::plan::TimelineOrder;
use rewind_engine::samples;
use rewind_engine::session::Session;
use rewind_engine::timeline::Severity;
use rewind_script::query::Expression;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::OnceLock;

/// The built-in lessons, in the order a learner takes them.
pub const LESSON_FILES: &[(&str, &str)] = &[
    ("lessons/01-state-vs-history.json", include_str!("../../../lessons/01-state-vs-history.json")),
    ("lessons/02-event-first.json", include_str!("../../../lessons/02-event-first.json")),
    ("lessons/03-replay-is-a-fold.json", include_str!("../../../lessons/03-replay-is-a-fold.json")),
    ("lessons/04-a-missing-event.json", include_str!("../../../lessons/04-a-missing-event.json")),
    ("lessons/05-snapshots.json", include_str!("../../../lessons/05-snapshots.json")),
    ("lessons/06-fix-it-with-a-new-event.json", include_str!("../../../lessons/06-fix-it-with-a-new-event.json")),
    ("lessons/07-late-news.json", include_str!("../../../lessons/07-late-news.json")),
    ("lessons/08-integrity.json", include_str!("../../../lessons/08-integrity.json")),
    ("lessons/09-write-the-reducer.json", include_str!("../../../lessons/09-write-the-reducer.json")),
    ("lessons/10-projections.json", include_str!("../../../lessons/10-projections.json")),
    ("lessons/11-commands-are-not-events.json", include_str!("../../../lessons/11-commands-are-not-events.json")),
    ("lessons/12-versioning-events.json", include_str!("../../../lessons/12-versioning-events.json")),
    ("lessons/13-expected-version.json", include_str!("../../../lessons/13-expected-version.json")),
    ("lessons/14-duplicates-and-idempotency.json", include_str!("../../../lessons/14-duplicates-and-idempotency.json")),
    ("lessons/15-following-a-cause.json", include_str!("../../../lessons/15-following-a-cause.json")),
];

/// The most events a generated lesson log may ask for: more would freeze the page for seconds.
pub const MAX_GENERATED_EVENTS: usize = 200_000;

/// One lesson, as its JSON file says.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// Stable and unique: progress is kept under it.
    pub id: String,
    pub title: String,
    /// Two to five sentences: the idea the lesson is about.
    pub explanation: String,
    pub log: LogSource,
    pub start: Start,
    pub steps: Vec<Step>,
    /// Shown once the last step is done: what the learner just saw, and why it matters.
    pub what_happened: String,
}

/// The log a lesson loads.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum LogSource {
    /// A built-in sample, by id (`"bank"`, `"store"`, `"bank-typo"`, …).
    Sample(String),
    /// A log written into the lesson: any format Rewind reads, usually a Rewind JSON envelope.
    Inline(Value),
    /// A long, deterministic log made on the spot.
    Generate(GenerateSpec),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateSpec {
    pub domain: GeneratedDomainName,
    pub events: usize,
    #[serde(default)]
    pub seed: Option<u64>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeneratedDomainName {
    Bank,
    Store,
}

/// Where the lesson starts, once its log is loaded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Start {
    /// Timeline position (events applied); the end of the log when absent. Clamped to the log.
    #[serde(default)]
    pub at: Option<usize>,
    /// Snapshot interval to start with (0: snapshots off); Rewind's default when absent.
    #[serde(default)]
    pub snapshot_interval: Option<usize>,
    /// Timeline order to start with; as recorded when absent.
    #[serde(default)]
    pub order: Option<OrderName>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderName {
    AsRecorded,
    AsEffective,
}

impl OrderName {
    pub fn order(self) -> TimelineOrder {
        match self {
            OrderName::AsRecorded => TimelineOrder::AsRecorded,
            OrderName::AsEffective => TimelineOrder::AsEffective,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// What to do, in a sentence or two.
    pub task: String,
    pub check: Check,
    /// Revealed on request.
    pub hint: String,
    /// Said when this step passes (optional; the last step's is followed by `what_happened`).
    pub done: Option<String>,
}

/// A question about the live view. See `docs/lessons.md` for each kind's JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// The state after the events applied (all streams, keyed by stream name) has `equals` at
    /// `path`. Numbers compare by value (70 = 70.00).
    StateAtCursor {
        path: Vec<String>,
        equals: Value,
    },
    /// The same, for the state after every event.
    StateAtEnd {
        path: Vec<String>,
        equals: Value,
    },
    /// The last event applied (the one the cursor is on) has this type and/or stream.
    EventAtCursor(EventAtCursor),
    /// The cursor (number of events applied) is in a range.
    Cursor(Range),
    /// The event the cursor is on has a problem (a violation by default).
    ProblemAtCursor(ProblemAtCursor),
    /// At least this many events were appended in this session (of a type, if given).
    Appended(Appended),
    /// A correction was appended: `meta.kind = "correction"` with a non-empty reason, and
    /// whatever else is asked.
    Correction(CorrectionCheck),
    /// Events replayed as if missing.
    Skipped(SkippedCheck),
    /// How many events broke a domain rule in the view replayed.
    Violations(Range),
    /// The timeline order.
    Order(OrderName),
    /// Snapshots on (with an interval at most `max_interval`) or off.
    Snapshots(SnapshotsCheck),
    /// Every seek replays fewer than `below` events (snapshots make this possible).
    WorstSeek(WorstSeek),
    /// The seek that shows the cursor's state replayed this many events.
    ReplayedAtCursor(Range),
    /// The event the cursor is on carries an integrity warning of this kind.
    IntegrityAtCursor(IntegrityAtCursor),
    /// A watch expression (the script language of the Watches panel: `event`, `stream`, `state`)
    /// is `true` at the cursor. The source, checked to compile when the lesson is read.
    Watch(String),
    All(Vec<Check>),
    Any(Vec<Check>),
    Not(Box<Check>),
}

/// A whole-number range; a missing bound is no bound.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    #[serde(default)]
    pub at_least: Option<usize>,
    #[serde(default)]
    pub at_most: Option<usize>,
}

impl Range {
    pub(crate) fn contains(&self, n: usize) -> bool {
        self.at_least.is_none_or(|low| n >= low) && self.at_most.is_none_or(|high| n <= high)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventAtCursor {
    #[serde(default, rename = "type")]
    pub type_name: Option<String>,
    #[serde(default)]
    pub stream: Option<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeverityName {
    Violation,
    Error,
    UnknownType,
}

impl SeverityName {
    pub(crate) fn severity(self) -> Severity {
        match self {
            SeverityName::Violation => Severity::Violation,
            SeverityName::Error => Severity::Error,
            SeverityName::UnknownType => Severity::UnknownType,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemAtCursor {
    #[serde(default = "violation")]
    pub severity: SeverityName,
}

fn violation() -> SeverityName {
    SeverityName::Violation
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appended {
    #[serde(default = "one")]
    pub at_least: usize,
    #[serde(default, rename = "type")]
    pub type_name: Option<String>,
}

fn one() -> usize {
    1
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionCheck {
    /// The event corrected, as `meta.corrects` may name it: an id or `#N`. Either spelling of the
    /// same event matches.
    #[serde(default)]
    pub corrects: Option<String>,
    #[serde(default, rename = "type")]
    pub type_name: Option<String>,
    #[serde(default)]
    pub stream: Option<String>,
    /// `true`: it must have an `effective_at` (be retroactive); `false`: it must not.
    #[serde(default)]
    pub effective_at: Option<bool>,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkippedCheck {
    #[serde(default)]
    pub at_least: Option<usize>,
    #[serde(default)]
    pub at_most: Option<usize>,
    /// This event (1-based log position, as the events list numbers them) is skipped.
    #[serde(default)]
    pub event: Option<usize>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotsCheck {
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub max_interval: Option<usize>,
}

fn yes() -> bool {
    true
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorstSeek {
    pub below: usize,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntegrityKindName {
    SeqGap,
    SeqBackwards,
    DuplicateSeq,
    DuplicateId,
    RecordedAtBackwards,
}

impl IntegrityKindName {
    pub(crate) fn kind(self) -> IntegrityKind {
        match self {
            IntegrityKindName::SeqGap => IntegrityKind::SeqGap,
            IntegrityKindName::SeqBackwards => IntegrityKind::SeqBackwards,
            IntegrityKindName::DuplicateSeq => IntegrityKind::DuplicateSeq,
            IntegrityKindName::DuplicateId => IntegrityKind::DuplicateId,
            IntegrityKindName::RecordedAtBackwards => IntegrityKind::RecordedAtBackwards,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrityAtCursor {
    pub kind: IntegrityKindName,
}

/// The check kinds, as a lesson file spells them.
pub const CHECK_KINDS: &[&str] = &[
    "state_at_cursor",
    "state_at_end",
    "event_at_cursor",
    "cursor",
    "problem_at_cursor",
    "appended",
    "correction",
    "skipped",
    "violations",
    "order",
    "snapshots",
    "worst_seek",
    "replayed_at_cursor",
    "integrity_at_cursor",
    "watch",
    "all",
    "any",
    "not",
];

impl Lesson {
    /// The log's text, as `Session::load` takes it.
    pub fn log_text(&self) -> Cow<'static, str> {
        match &self.log {
            LogSource::Sample(id) => Cow::Borrowed(samples::find(id).map_or("", |s| s.text)),
            LogSource::Inline(value) => Cow::Owned(value.to_string()),
            LogSource::Generate(spec) => {
                let mut options = match spec.domain {
                    GeneratedDomainName::Bank => GenerateOptions::bank(spec.events),
                    GeneratedDomainName::Store => GenerateOptions::store(spec.events),
                };
                if let Some(seed) = spec.seed {
                    options.seed = seed;
                }
                Cow::Owned(generate_log(options))
            }
        }
    }

    /// The built-in sample the lesson loads, if it loads one.
    pub fn sample(&self) -> Option<&'static samples::Sample> {
        match &self.log {
            LogSource::Sample(id) => samples::find(id),
            _ => None,
        }
    }

    /// The name the loaded session carries (`Session::source`): the sample's label, else the
    /// lesson's title. The UI uses it to tell whether the lesson's log is the one loaded.
    pub fn source_name(&self) -> String {
        match self.sample() {
            Some(sample) => sample.label.to_string(),
            None => self.title.clone(),
        }
    }

    /// Where the lesson starts, as Learn mode opens it: the session (its log loaded under
    /// [`source_name`](Lesson::source_name), `start`'s snapshot interval and timeline order
    /// applied) and the cursor (`start.at`, the end when absent, clamped to the log). The error
    /// says why the log cannot be loaded (parse_lesson refuses such lessons, so only for
    /// hand-built ones).
    pub fn start_session(&self) -> Result<(Session, usize), LoadError> {
        let mut session = Session::load(self.source_name(), &self.log_text())?;
        if self.start.snapshot_interval.is_some() || self.start.order.is_some() {
            // Both settings in one replay.
            let order = self.start.order.map_or(session.order(), OrderName::order);
            let interval = self.start.snapshot_interval.unwrap_or(session.snapshot_interval());
            session = session.with_view(order, [], interval);
        }
        let cursor = self.start.at.unwrap_or(session.len()).min(session.len());
        Ok((session, cursor))
    }
}

/// Reads a lesson file. Errors name the lesson and the place: `lesson 'x': steps[1].check:
/// unknown check kind "foo" (…)`.
pub fn parse_lesson(text: &str) -> Result<Lesson, String> {
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("The lesson file is not valid JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err(format!(
            "A lesson file must be a JSON object {{\"id\": …, \"title\": …}}, found {}",
            kind_of(&value)
        ));
    };
    let id = match map.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.trim().to_string(),
        Some(Value::String(_)) => return Err("lesson: id: must not be empty".into()),
        Some(other) => return Err(format!("lesson: id: must be a string, found {}", kind_of(other))),
        None => return Err("lesson: missing field \"id\"".into()),
    };
    parse_fields(&id, map).map_err(|e| format!("lesson '{id}': {e}"))
}

const LESSON_FIELDS: &[&str] = &["id", "title", "explanation", "log", "start", "steps", "what_happened"];
const STEP_FIELDS: &[&str] = &["task", "check", "hint", "done"];

fn parse_fields(id: &str, map: Map<String, Value>) -> Result<Lesson, String> {
    unknown_fields(&map, LESSON_FIELDS, "")?;
    let title = text_field(&map, "title", "")?;
    let explanation = text_field(&map, "explanation", "")?;
    let what_happened = text_field(&map, "what_happened", "")?;
    let log_value = map.get("log").ok_or("missing field \"log\"")?;
    let log: LogSource = read(log_value).map_err(|e| format!("log: {e}"))?;
    match &log {
        LogSource::Sample(sample) if samples::find(sample).is_none() => {
            let known: Vec<_> = samples::SAMPLES.iter().map(|s| s.id).collect();
            return Err(format!("log.sample: no built-in sample \"{sample}\" (known: {})", known.join(", ")));
        }
        LogSource::Inline(value) => {
            if let Err(error) = Session::load("lesson", &value.to_string()) {
                return Err(format!("log.inline: the log cannot be loaded: {error}"));
            }
        }
        LogSource::Generate(spec) if spec.events == 0 || spec.events > MAX_GENERATED_EVENTS => {
            return Err(format!(
                "log.generate.events: must be between 1 and {MAX_GENERATED_EVENTS}, found {}",
                spec.events
            ));
        }
        _ => {}
    }
    let start: Start = match map.get("start") {
        None | Some(Value::Null) => Start::default(),
        Some(value) => read(value).map_err(|e| format!("start: {e}"))?,
    };
    let steps = match map.get("steps") {
        Some(Value::Array(steps)) if !steps.is_empty() => steps,
        Some(Value::Array(_)) => return Err("steps: a lesson needs at least one step".into()),
        Some(other) => return Err(format!("steps: must be an array of steps, found {}", kind_of(other))),
        None => return Err("missing field \"steps\"".into()),
    };
    let steps =
        steps.iter().enumerate().map(|(i, step)| parse_step(step, &format!("steps[{i}]"))).collect::<Result<_, _>>()?;
    Ok(Lesson { id: id.to_string(), title, explanation, log, start, steps, what_happened })
}

fn parse_step(value: &Value, path: &str) -> Result<Step, String> {
    let Value::Object(map) = value else {
        return Err(format!("{path}: a step must be an object with task, check and hint, found {}", kind_of(value)));
    };
    unknown_fields(map, STEP_FIELDS, path)?;
    let task = text_field(map, "task", path)?;
    let hint = text_field(map, "hint", path)?;
    let done = match map.get("done") {
        None | Some(Value::Null) => None,
        Some(_) => Some(text_field(map, "done", path)?),
    };
    let check_path = format!("{path}.check");
    let check = parse_check(map.get("check").ok_or_else(|| format!("{path}: missing field \"check\""))?, &check_path)?;
    Ok(Step { task, check, hint, done })
}

/// Reads one check: an object with exactly one key, the check's kind.
pub fn parse_check(value: &Value, path: &str) -> Result<Check, String> {
    let Value::Object(map) = value else {
        return Err(format!(
            "{path}: a check must be an object like {{\"cursor\": {{\"at_least\": 1}}}}, found {}",
            kind_of(value)
        ));
    };
    let mut entries = map.iter();
    let (kind, body) = match (entries.next(), entries.next()) {
        (Some(entry), None) => entry,
        (None, _) => return Err(format!("{path}: a check needs one kind, found an empty object")),
        (Some((a, _)), Some((b, _))) => {
            return Err(format!(
                "{path}: a check has exactly one kind, found \"{a}\" and \"{b}\" (use \"all\" to combine checks)"
            ))
        }
    };
    let here = format!("{path}.{kind}");
    fn body_of<T: serde::de::DeserializeOwned>(body: &Value, here: &str) -> Result<T, String> {
        read(body).map_err(|e| format!("{here}: {e}"))
    }
    let list = |body: &Value| -> Result<Vec<Check>, String> {
        match body {
            Value::Array(items) if !items.is_empty() => {
                items.iter().enumerate().map(|(i, item)| parse_check(item, &format!("{here}[{i}]"))).collect()
            }
            Value::Array(_) => Err(format!("{here}: needs at least one check")),
            other => Err(format!("{here}: must be an array of checks, found {}", kind_of(other))),
        }
    };
    Ok(match kind.as_str() {
        "state_at_cursor" | "state_at_end" => {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct StateCheck {
                path: Vec<String>,
                equals: Value,
            }
            let StateCheck { path, equals } = body_of(body, &here)?;
            if kind == "state_at_cursor" {
                Check::StateAtCursor { path, equals }
            } else {
                Check::StateAtEnd { path, equals }
            }
        }
        "event_at_cursor" => Check::EventAtCursor(body_of(body, &here)?),
        "cursor" => Check::Cursor(body_of(body, &here)?),
        "problem_at_cursor" => Check::ProblemAtCursor(body_of(body, &here)?),
        "appended" => Check::Appended(body_of(body, &here)?),
        "correction" => Check::Correction(body_of(body, &here)?),
        "skipped" => Check::Skipped(body_of(body, &here)?),
        "violations" => Check::Violations(body_of(body, &here)?),
        "order" => Check::Order(body_of(body, &here)?),
        "snapshots" => Check::Snapshots(body_of(body, &here)?),
        "worst_seek" => Check::WorstSeek(body_of(body, &here)?),
        "replayed_at_cursor" => Check::ReplayedAtCursor(body_of(body, &here)?),
        "integrity_at_cursor" => Check::IntegrityAtCursor(body_of(body, &here)?),
        "watch" => {
            let source: String = body_of(body, &here)?;
            if source.trim().is_empty() {
                return Err(format!("{here}: the expression must not be empty"));
            }
            if let Err(error) = Expression::compile(source.trim()) {
                let at = error.column.map(|c| format!("column {c}: ")).unwrap_or_default();
                return Err(format!("{here}: the expression does not compile: {at}{}", error.message));
            }
            Check::Watch(source.trim().to_string())
        }
        "all" => Check::All(list(body)?),
        "any" => Check::Any(list(body)?),
        "not" => Check::Not(Box::new(parse_check(body, &here)?)),
        other => {
            return Err(format!("{path}: unknown check kind \"{other}\" (known kinds: {})", CHECK_KINDS.join(", ")));
        }
    })
}

/// Deserializes part of a lesson, with serde's message minus its line and column (which would
/// point into the part, not the file). Through the text rather than `from_value`: with
/// `arbitrary_precision` a number read from a `Value` fails as just "invalid number".
fn read<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_json::from_str(&value.to_string()).map_err(|e| {
        let message = e.to_string();
        match message.rfind(" at line ") {
            Some(cut) => message[..cut].to_string(),
            None => message,
        }
    })
}

fn unknown_fields(map: &Map<String, Value>, known: &[&str], path: &str) -> Result<(), String> {
    match map.keys().find(|k| !known.contains(&k.as_str())) {
        Some(key) => Err(format!("{}unknown field \"{key}\" (expected one of: {})", prefix(path), known.join(", "))),
        None => Ok(()),
    }
}

fn text_field(map: &Map<String, Value>, name: &str, path: &str) -> Result<String, String> {
    let at = format!("{}{name}", if path.is_empty() { String::new() } else { format!("{path}.") });
    match map.get(name) {
        Some(Value::String(text)) if !text.trim().is_empty() => Ok(text.trim().to_string()),
        Some(Value::String(_)) => Err(format!("{at}: must not be empty")),
        Some(other) => Err(format!("{at}: must be a string, found {}", kind_of(other))),
        None => Err(format!("{}missing field \"{name}\"", prefix(path))),
    }
}

fn prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The built-in lessons, parsed once (the unit tests make sure every file parses).
pub fn builtin() -> &'static [Lesson] {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| {
        LESSON_FILES.iter().map(|(file, text)| parse_lesson(text).unwrap_or_else(|e| panic!("{file}: {e}"))).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_built_in_lesson_parses_and_the_list_is_in_order() {
        let ids: Vec<_> = builtin().iter().map(|l| l.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "state-vs-history",
                "event-first",
                "replay-is-a-fold",
                "a-missing-event",
                "snapshots",
                "fix-it-with-a-new-event",
                "late-news",
                "integrity",
                "write-the-reducer",
                "projections",
                "commands-are-not-events",
                "versioning-events",
                "expected-version",
                "duplicates-and-idempotency",
                "following-a-cause"
            ]
        );
        for lesson in builtin() {
            let sentences = lesson.explanation.matches(['.', '!', '?']).count();
            assert!((2..=6).contains(&sentences), "{}: explanation has {sentences} sentences", lesson.id);
            assert!(lesson.start_session().is_ok(), "{}: log loads", lesson.id);
        }
    }

    fn parse_error(text: &str) -> String {
        parse_lesson(text).expect_err("refused")
    }

    const MINIMAL: &str = r#"{"id": "x", "title": "T", "explanation": "One. Two.", "log": {"sample": "bank"},
        "steps": [{"task": "Do", "hint": "H", "check": {"cursor": {"at_least": 1}}}], "what_happened": "W"}"#;

    fn with(field: &str, value: Value) -> String {
        let mut lesson: Value = serde_json::from_str(MINIMAL).unwrap();
        lesson[field] = value;
        lesson.to_string()
    }

    #[test]
    fn a_minimal_lesson_parses() {
        let lesson = parse_lesson(MINIMAL).unwrap();
        assert_eq!(lesson.steps[0].check, Check::Cursor(Range { at_least: Some(1), at_most: None }));
        assert_eq!(lesson.start, Start::default());
    }

    #[test]
    fn an_unknown_check_kind_is_named_with_its_path() {
        let steps = json!([{"task": "a", "hint": "h", "check": {"cursor": {}}}, {"task": "b", "hint": "h", "check": {"foo": 1}}]);
        let error = parse_error(&with("steps", steps));
        assert!(
            error.starts_with("lesson 'x': steps[1].check: unknown check kind \"foo\" (known kinds: state_at_cursor"),
            "{error}"
        );
    }

    #[test]
    fn errors_inside_nested_checks_say_where() {
        let check = json!({"all": [{"order": "as_recorded"}, {"not": {"skipped": {"at_leest": 1}}}]});
        let error = parse_error(&with("steps", json!([{"task": "a", "hint": "h", "check": check}])));
        assert!(
            error.starts_with("lesson 'x': steps[0].check.all[1].not.skipped: unknown field `at_leest`"),
            "{error}"
        );
        let error = parse_error(&with("steps", json!([{"task": "a", "hint": "h", "check": {"order": "sideways"}}])));
        assert!(error.starts_with("lesson 'x': steps[0].check.order: unknown variant `sideways`"), "{error}");
        let error = parse_error(&with(
            "steps",
            json!([{"task": "a", "hint": "h", "check": {"state_at_cursor": {"path": ["a"]}}}]),
        ));
        assert_eq!(error, "lesson 'x': steps[0].check.state_at_cursor: missing field `equals`");
        let error = parse_error(&with(
            "steps",
            json!([{"task": "a", "hint": "h", "check": {"order": "as_recorded", "cursor": {}}}]),
        ));
        assert!(
            error.contains("steps[0].check: a check has exactly one kind, found \"order\" and \"cursor\""),
            "{error}"
        );
    }

    #[test]
    fn missing_and_mistyped_fields_are_named() {
        assert_eq!(parse_error(r#"{"title": "T"}"#), "lesson: missing field \"id\"");
        let mut no_title: Value = serde_json::from_str(MINIMAL).unwrap();
        no_title.as_object_mut().unwrap().remove("title");
        assert_eq!(parse_error(&no_title.to_string()), "lesson 'x': missing field \"title\"");
        assert_eq!(parse_error(&with("title", json!(3))), "lesson 'x': title: must be a string, found a number");
        assert_eq!(parse_error(&with("steps", json!([]))), "lesson 'x': steps: a lesson needs at least one step");
        assert_eq!(
            parse_error(&with("steps", json!([{"task": "a", "check": {"cursor": {}}}]))),
            "lesson 'x': steps[0]: missing field \"hint\""
        );
        assert!(parse_error(&with("titel", json!("T")))
            .starts_with("lesson 'x': unknown field \"titel\" (expected one of: id, title"));
        assert!(parse_error(&with("log", json!({"sample": "nope"})))
            .starts_with("lesson 'x': log.sample: no built-in sample \"nope\""));
        assert!(
            parse_error(&with("log", json!({"file": "a.json"}))).starts_with("lesson 'x': log: unknown variant `file`")
        );
        assert!(parse_error(&with("log", json!({"inline": []})))
            .starts_with("lesson 'x': log.inline: the log cannot be loaded: "));
        assert!(parse_error(&with("log", json!({"generate": {"domain": "bank", "events": 0}})))
            .starts_with("lesson 'x': log.generate.events: must be between 1 and"));
        {
            let e = parse_error(&with("start", json!({"at": -1})));
            assert!(e.starts_with("lesson 'x': start: invalid value: integer `-1`, expected usize"), "{e}");
        }
    }

    #[test]
    fn a_file_that_is_not_json_or_not_an_object_says_so() {
        assert!(parse_error("{\"id\": \"x\",").starts_with("The lesson file is not valid JSON: EOF while parsing"));
        assert!(parse_error("[1]").contains("must be a JSON object"));
    }
}
