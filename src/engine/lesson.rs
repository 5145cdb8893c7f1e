//! Lessons: guided exercises in event sourcing, written as data (`lessons/*.json`, documented in
//! `docs/lessons.md`) so a teacher can write one and share it as a file or a link.
//!
//! A lesson names a log to load, where to start, and ordered steps. Each step has a task, a hint
//! and a [`Check`]: a question asked of the *live* view (the session and the cursor), never of
//! the clicks that led there. Steps are done in order; once a step's check passes it stays done.
//!
//! Plain Rust, like the rest of the engine: the UI evaluates [`check`] reactively and keeps the
//! [`Progress`] in the browser's storage.
use crate::engine::correction::{is_correction, meta_field, resolve_reference};
use crate::engine::generate::{generate_log, GenerateOptions};
use crate::engine::inspect::IntegrityKind;
use crate::engine::money;
use crate::engine::plan::TimelineOrder;
use crate::engine::samples;
use crate::engine::session::Session;
use crate::engine::timeline::Severity;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The built-in lessons, in the order a learner takes them.
pub const LESSON_FILES: &[(&str, &str)] = &[
    ("lessons/01-state-vs-history.json", include_str!("../../lessons/01-state-vs-history.json")),
    ("lessons/02-event-first.json", include_str!("../../lessons/02-event-first.json")),
    ("lessons/03-replay-is-a-fold.json", include_str!("../../lessons/03-replay-is-a-fold.json")),
    ("lessons/04-a-missing-event.json", include_str!("../../lessons/04-a-missing-event.json")),
    ("lessons/05-snapshots.json", include_str!("../../lessons/05-snapshots.json")),
    ("lessons/06-fix-it-with-a-new-event.json", include_str!("../../lessons/06-fix-it-with-a-new-event.json")),
    ("lessons/07-late-news.json", include_str!("../../lessons/07-late-news.json")),
    ("lessons/08-integrity.json", include_str!("../../lessons/08-integrity.json")),
];

/// The quiz's questions.
pub const QUIZ_FILE: &str = include_str!("../../lessons/quiz.json");

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
    fn contains(&self, n: usize) -> bool {
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
    fn severity(self) -> Severity {
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
    fn kind(self) -> IntegrityKind {
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
    "all",
    "any",
    "not",
];

/// What a check looks at: the live session and cursor (events applied, `0..=len`).
pub struct LessonView<'a> {
    pub session: &'a Session,
    pub cursor: usize,
    /// The state at the cursor and what the seek cost, when the caller already has it.
    known: Option<&'a (Value, usize)>,
    /// Otherwise computed once, and only if a check asks.
    computed: OnceCell<(Value, usize)>,
}

impl<'a> LessonView<'a> {
    pub fn new(session: &'a Session, cursor: usize) -> Self {
        LessonView { session, cursor: cursor.min(session.len()), known: None, computed: OnceCell::new() }
    }

    /// A view whose state at the cursor is already known (the UI's memoised seek), so checks do
    /// not replay again. `state` must be `session.state_at(cursor)`.
    pub fn with_state(session: &'a Session, cursor: usize, state: &'a (Value, usize)) -> Self {
        LessonView { session, cursor: cursor.min(session.len()), known: Some(state), computed: OnceCell::new() }
    }

    fn at_cursor(&self) -> &(Value, usize) {
        match self.known {
            Some(known) => known,
            None => self.computed.get_or_init(|| self.session.state_at(self.cursor)),
        }
    }

    /// The log position of the event the cursor is on (the last applied), if any.
    fn log_position_at_cursor(&self) -> Option<usize> {
        let position = self.cursor.checked_sub(1)?;
        Some(self.session.event(position).0)
    }
}

/// Whether `check` holds for the live view.
pub fn check(check: &Check, view: &LessonView) -> bool {
    let session = view.session;
    match check {
        Check::StateAtCursor { path, equals } => {
            lookup(&view.at_cursor().0, path).is_some_and(|v| same_value(v, equals))
        }
        Check::StateAtEnd { path, equals } => {
            if view.cursor == session.len() {
                lookup(&view.at_cursor().0, path).is_some_and(|v| same_value(v, equals))
            } else {
                lookup(&session.state_at(session.len()).0, path).is_some_and(|v| same_value(v, equals))
            }
        }
        Check::EventAtCursor(want) => view.log_position_at_cursor().is_some_and(|position| {
            let event = &session.log.events()[position];
            want.type_name.as_deref().is_none_or(|t| session.log.type_name(event) == t)
                && want.stream.as_deref().is_none_or(|s| session.log.stream_name(event.stream) == s)
        }),
        Check::Cursor(range) => range.contains(view.cursor),
        Check::ProblemAtCursor(want) => view.cursor.checked_sub(1).is_some_and(|position| {
            session.problems_at(position).iter().any(|p| p.severity == want.severity.severity())
        }),
        Check::Appended(want) => {
            let count = (0..session.len())
                .filter(|&p| session.is_appended_here(p))
                .filter(|&p| {
                    want.type_name.as_deref().is_none_or(|t| session.log.type_name(&session.log.events()[p]) == t)
                })
                .count();
            count >= want.at_least
        }
        Check::Correction(want) => session.log.events().iter().any(|event| {
            if !is_correction(event) || meta_field(event, "reason").is_none_or(|r| r.trim().is_empty()) {
                return false;
            }
            let log = &session.log;
            let corrects_ok = want.corrects.as_deref().is_none_or(|wanted| {
                let target = resolve_reference(log, wanted);
                let named = meta_field(event, "corrects").and_then(|r| resolve_reference(log, &r));
                target.is_some() && target == named
            });
            corrects_ok
                && want.type_name.as_deref().is_none_or(|t| log.type_name(event) == t)
                && want.stream.as_deref().is_none_or(|s| log.stream_name(event.stream) == s)
                && want.effective_at.is_none_or(|wanted| event.effective_at().is_some() == wanted)
        }),
        Check::Skipped(want) => {
            let count = session.skipped().len();
            want.at_least.is_none_or(|low| count >= low)
                && want.at_most.is_none_or(|high| count <= high)
                && want.event.is_none_or(|n| n >= 1 && session.is_skipped(n - 1))
        }
        Check::Violations(range) => {
            range.contains(session.problems().iter().filter(|p| p.severity == Severity::Violation).count())
        }
        Check::Order(order) => session.order() == order.order(),
        Check::Snapshots(want) => {
            let interval = session.snapshot_interval();
            if want.enabled {
                interval > 0 && want.max_interval.is_none_or(|max| interval <= max)
            } else {
                interval == 0
            }
        }
        Check::WorstSeek(want) => worst_seek(session) < want.below,
        Check::ReplayedAtCursor(range) => range.contains(view.at_cursor().1),
        Check::IntegrityAtCursor(want) => view.log_position_at_cursor().is_some_and(|position| {
            session.integrity().iter().any(|w| w.position == position && w.kind == want.kind.kind())
        }),
        Check::All(checks) => checks.iter().all(|c| self::check(c, view)),
        Check::Any(checks) => checks.iter().any(|c| self::check(c, view)),
        Check::Not(inner) => !self::check(inner, view),
    }
}

/// The most events any seek replays: the whole log without snapshots, else one less than the
/// interval (the nearest snapshot at or before a position is at most `interval - 1` events back).
pub fn worst_seek(session: &Session) -> usize {
    match session.snapshot_interval() {
        0 => session.len(),
        interval => (interval - 1).min(session.len()),
    }
}

fn lookup<'v>(value: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, key| match value {
        Value::Object(map) => map.get(key),
        Value::Array(items) => items.get(key.parse::<usize>().ok()?),
        _ => None,
    })
}

/// JSON equality, with numbers compared by value: the state says `70`, a lesson may say `70.0`.
fn same_value(found: &Value, wanted: &Value) -> bool {
    match (found, wanted) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.to_string(), b.to_string());
            match (money::parse_decimal(&a), money::parse_decimal(&b)) {
                (Some(x), Some(y)) => x == y,
                _ => a == b,
            }
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_value(x, y)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same_value(x, y)))
        }
        _ => found == wanted,
    }
}

/// How many steps are done after looking at the live view: the steps already done stay done,
/// and each next step whose check passes now is done too.
pub fn advance(lesson: &Lesson, done: usize, view: &LessonView) -> usize {
    let mut done = done.min(lesson.steps.len());
    while done < lesson.steps.len() && check(&lesson.steps[done].check, view) {
        done += 1;
    }
    done
}

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

    /// A session at the lesson's start: its log loaded, its settings applied. `None` if the log
    /// cannot be loaded (parse_lesson refuses such lessons, so only for hand-built ones).
    pub fn start_session(&self) -> Option<(Session, usize)> {
        let mut session = Session::load(self.source_name(), &self.log_text()).ok()?;
        if let Some(interval) = self.start.snapshot_interval {
            session = session.with_snapshot_interval(interval);
        }
        if let Some(order) = self.start.order {
            session = session.with_order(order.order());
        }
        let cursor = self.start.at.unwrap_or(session.len()).min(session.len());
        Some((session, cursor))
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

// ---------------------------------------------------------------- quiz

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub question: String,
    pub options: Vec<QuizOption>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizOption {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    /// Why it is right, or the misconception behind it and why it is wrong.
    pub explanation: String,
}

impl Question {
    /// The index of the one right option.
    pub fn answer(&self) -> usize {
        self.options.iter().position(|o| o.correct).unwrap_or(0)
    }
}

/// Reads a quiz file: every question has 2 to 5 options, exactly one right, each explained.
pub fn parse_quiz(text: &str) -> Result<Quiz, String> {
    let quiz: Quiz = serde_json::from_str(text).map_err(|e| format!("quiz: {e}"))?;
    for (i, question) in quiz.questions.iter().enumerate() {
        let at = format!("quiz: questions[{i}] ('{}')", question.id);
        if !(2..=5).contains(&question.options.len()) {
            return Err(format!("{at}: needs 2 to 5 options, found {}", question.options.len()));
        }
        let right = question.options.iter().filter(|o| o.correct).count();
        if right != 1 {
            return Err(format!("{at}: exactly one option must be correct, found {right}"));
        }
        if let Some(j) = question.options.iter().position(|o| o.explanation.trim().is_empty()) {
            return Err(format!("{at}.options[{j}]: explanation must not be empty"));
        }
        if quiz.questions[..i].iter().any(|q| q.id == question.id) {
            return Err(format!("{at}: id is used twice"));
        }
    }
    Ok(quiz)
}

pub fn builtin_quiz() -> &'static Quiz {
    static QUIZ: OnceLock<Quiz> = OnceLock::new();
    QUIZ.get_or_init(|| parse_quiz(QUIZ_FILE).unwrap_or_else(|e| panic!("lessons/quiz.json: {e}")))
}

// ---------------------------------------------------------------- progress

/// What a learner has done, kept across reloads (the UI stores it as JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// By lesson id.
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
    /// Quiz answers: question id → the option chosen.
    #[serde(default)]
    pub quiz: BTreeMap<String, usize>,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// Steps done so far in the current attempt.
    #[serde(default)]
    pub steps: usize,
    /// Finished at least once.
    #[serde(default)]
    pub done: bool,
}

impl Progress {
    /// Reads stored progress; anything unreadable is a fresh start rather than an error.
    pub fn from_json(text: &str) -> Progress {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("progress is plain data")
    }

    pub fn of(&self, lesson: &str) -> LessonProgress {
        self.lessons.get(lesson).copied().unwrap_or_default()
    }

    pub fn is_done(&self, lesson: &str) -> bool {
        self.of(lesson).done
    }

    /// Records `steps` done in `lesson` (of `total`); the lesson is done once all are.
    pub fn set_steps(&mut self, lesson: &str, steps: usize, total: usize) {
        let entry = self.lessons.entry(lesson.to_string()).or_default();
        entry.steps = steps.min(total);
        entry.done |= steps >= total;
    }

    /// Starts a lesson's steps again; it stays marked done if it was.
    pub fn restart(&mut self, lesson: &str) {
        if let Some(entry) = self.lessons.get_mut(lesson) {
            entry.steps = 0;
        }
    }

    /// The 1-based number of the first lesson not done yet (the first if all are).
    pub fn first_unfinished(&self, lessons: &[Lesson]) -> usize {
        lessons.iter().position(|l| !self.is_done(&l.id)).map_or(1, |i| i + 1)
    }

    pub fn lessons_done(&self, lessons: &[Lesson]) -> usize {
        lessons.iter().filter(|l| self.is_done(&l.id)).count()
    }

    pub fn quiz_right(&self, quiz: &Quiz) -> usize {
        quiz.questions.iter().filter(|q| self.quiz.get(&q.id) == Some(&q.answer())).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::correction::CorrectionDraft;
    use serde_json::json;

    const RECORDED_AT: &str = "2024-06-01T12:00:00Z";

    fn lesson(id: &str) -> &'static Lesson {
        builtin().iter().find(|l| l.id == id).unwrap_or_else(|| panic!("no lesson {id}"))
    }

    fn start(lesson: &Lesson) -> (Session, usize) {
        lesson.start_session().expect("the lesson's log loads")
    }

    fn correction(session: &Session, draft: CorrectionDraft) -> (Session, usize) {
        let next = session.with_correction(&draft, RECORDED_AT).unwrap_or_else(|e| panic!("{e:?}"));
        let cursor = next.timeline_position(next.len() - 1) + 1;
        (next, cursor)
    }

    fn draft(type_name: &str, stream: Option<&str>, amount: u32, reason: &str) -> CorrectionDraft {
        let mut data = Map::new();
        data.insert("amount".into(), json!(amount.to_string()));
        CorrectionDraft {
            type_name: type_name.into(),
            stream: stream.map(Into::into),
            data,
            reason: reason.into(),
            ..CorrectionDraft::default()
        }
    }

    fn passes(check: &Check, session: &Session, cursor: usize) -> bool {
        self::check(check, &LessonView::new(session, cursor))
    }

    /// Runs a lesson: step `i` must fail at the start, fail just before its solution (after the
    /// earlier steps' solutions), and pass after it; `advance` then counts it done.
    /// Applies one step's solution to (session, cursor).
    type Solution = Box<dyn Fn(&Session, usize) -> (Session, usize)>;

    fn walk(lesson: &Lesson, solutions: Vec<Solution>) {
        assert_eq!(solutions.len(), lesson.steps.len(), "{}: one solution per step", lesson.id);
        let (first, first_cursor) = start(lesson);
        let (mut session, mut cursor) = start(lesson);
        for (i, (step, solve)) in lesson.steps.iter().zip(solutions).enumerate() {
            assert!(
                !passes(&step.check, &first, first_cursor),
                "{} step {}: passes on the starting state",
                lesson.id,
                i + 1
            );
            assert!(!passes(&step.check, &session, cursor), "{} step {}: passes before it is solved", lesson.id, i + 1);
            assert_eq!(advance(lesson, i, &LessonView::new(&session, cursor)), i, "{} step {}", lesson.id, i + 1);
            (session, cursor) = solve(&session, cursor);
            assert!(passes(&step.check, &session, cursor), "{} step {}: fails on the solved state", lesson.id, i + 1);
            assert!(advance(lesson, i, &LessonView::new(&session, cursor)) > i, "{} step {}", lesson.id, i + 1);
        }
        assert_eq!(advance(lesson, lesson.steps.len(), &LessonView::new(&session, cursor)), lesson.steps.len());
    }

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
                "integrity"
            ]
        );
        for lesson in builtin() {
            let sentences = lesson.explanation.matches(['.', '!', '?']).count();
            assert!((2..=6).contains(&sentences), "{}: explanation has {sentences} sentences", lesson.id);
            assert!(lesson.start_session().is_some(), "{}: log loads", lesson.id);
        }
    }

    #[test]
    fn lesson_1_state_vs_history_find_when_the_order_was_paid() {
        walk(
            lesson("state-vs-history"),
            vec![
                // e4 is order-1001's PaymentReceived.
                Box::new(|s, _| (s.with_order(s.order()), 4)),
                Box::new(|s, _| (s.with_order(s.order()), 3)),
            ],
        );
        // Another event at the cursor, or the right type in another stream, is not it.
        let (session, _) = start(lesson("state-vs-history"));
        assert!(!passes(&lesson("state-vs-history").steps[0].check, &session, 5));
    }

    #[test]
    fn lesson_2_event_first_then_state() {
        walk(
            lesson("event-first"),
            vec![
                Box::new(|s, _| correction(s, draft("Deposit", None, 40, "Birthday money"))),
                Box::new(|s, c| (s.with_order(s.order()), c - 1)),
            ],
        );
        // A Deposit of another amount is an event, but not the one asked for.
        let (session, _) = start(lesson("event-first"));
        let (wrong, cursor) = correction(&session, draft("Deposit", None, 10, "x"));
        assert!(!passes(&lesson("event-first").steps[0].check, &wrong, cursor));
    }

    #[test]
    fn lesson_3_replay_is_a_fold_stop_at_70() {
        let lesson = lesson("replay-is-a-fold");
        walk(lesson, vec![Box::new(|s, _| (s.with_order(s.order()), 2))]);
        let (session, _) = start(lesson);
        for cursor in [0, 1, 3] {
            assert!(!passes(&lesson.steps[0].check, &session, cursor), "balance is not 70 at {cursor}");
        }
    }

    #[test]
    fn lesson_4_a_missing_event() {
        walk(
            lesson("a-missing-event"),
            vec![
                Box::new(|s, c| (s.with_skip(1, true), c)),
                Box::new(|s, c| (s.with_skip(1, false).with_skip(0, true), c)),
            ],
        );
    }

    #[test]
    fn lesson_5_snapshots() {
        let lesson = lesson("snapshots");
        let (session, cursor) = start(lesson);
        assert_eq!((session.len(), session.snapshot_interval(), cursor), (20_000, 0, 0));
        walk(
            lesson,
            vec![
                Box::new(|s, _| (s.with_order(s.order()), s.len())),
                Box::new(|s, c| (s.with_snapshot_interval(100), c)),
            ],
        );
        // The default interval is not enough, and the worst seek really is interval - 1.
        let default = session.with_snapshot_interval(256);
        assert!(!passes(&lesson.steps[1].check, &default, 0));
        let solved = session.with_snapshot_interval(100);
        assert_eq!(worst_seek(&solved), 99);
        assert_eq!(solved.state_at(199).1, 99);
        assert_eq!([0, 99, 100, 150, 1_099, 19_999, 20_000].map(|p| solved.state_at(p).1), [0, 99, 0, 50, 99, 99, 0]);
    }

    #[test]
    fn lesson_6_fix_it_with_a_new_event() {
        let lesson = lesson("fix-it-with-a-new-event");
        let fix = |s: &Session| {
            let mut d = draft("Deposit", Some("acc-42"), 270, "Withdrawal keyed as 300, was 30");
            d.corrects = Some("evt-3".into());
            correction(s, d)
        };
        walk(lesson, vec![Box::new(|s, _| (s.with_order(s.order()), 3)), Box::new(move |s, _| fix(s))]);
        // Skipping the mistake instead edits what history says happened: not accepted.
        let (session, _) = start(lesson);
        let (fixed, cursor) = fix(&session.with_skip(2, true));
        assert!(!passes(&lesson.steps[1].check, &fixed, cursor));
        // The #N spelling of the same reference counts too.
        let mut by_number = draft("Deposit", Some("acc-42"), 270, "typo");
        by_number.corrects = Some("#3".into());
        let (fixed, cursor) = correction(&session, by_number);
        assert!(passes(&lesson.steps[1].check, &fixed, cursor));
    }

    #[test]
    fn lesson_7_late_news() {
        let lesson = lesson("late-news");
        let late = |s: &Session| {
            let mut d = draft("Deposit", Some("acc-7"), 200, "Cheque paid in on 3 March, recorded late");
            d.effective_at = Some("2024-03-03T12:00:00Z".into());
            correction(s, d)
        };
        walk(
            lesson,
            vec![Box::new(move |s, _| late(s)), Box::new(|s, c| (s.with_order(TimelineOrder::AsEffective), c))],
        );
        // Without an effective time the deposit is not retroactive.
        let (session, _) = start(lesson);
        let (plain, cursor) = correction(&session, draft("Deposit", Some("acc-7"), 200, "late"));
        assert!(!passes(&lesson.steps[0].check, &plain, cursor));
    }

    #[test]
    fn lesson_8_integrity_find_the_gap_and_the_duplicate() {
        let lesson = lesson("integrity");
        let (session, _) = start(lesson);
        let gap = session.integrity().iter().find(|w| w.kind == IntegrityKind::SeqGap).expect("a gap").position;
        let duplicate =
            session.integrity().iter().find(|w| w.kind == IntegrityKind::DuplicateId).expect("a duplicate").position;
        assert_eq!(session.integrity().len(), 2, "{:?}", session.integrity());
        walk(
            lesson,
            vec![
                Box::new(move |s, _| (s.with_order(s.order()), gap + 1)),
                Box::new(move |s, _| (s.with_order(s.order()), duplicate + 1)),
            ],
        );
    }

    #[test]
    fn the_example_in_the_teachers_guide_parses_and_can_be_solved() {
        let guide = include_str!("../../docs/lessons.md");
        let start = guide.find("```json\n").expect("a JSON example") + "```json\n".len();
        let end = start + guide[start..].find("```").expect("the example ends");
        let example = parse_lesson(&guide[start..end]).unwrap_or_else(|e| panic!("{e}"));
        let refund = |s: &Session| {
            let mut d = draft("Deposit", Some("acc-3"), 30, "Late fee charged twice");
            d.corrects = Some("f3".into());
            correction(s, d)
        };
        walk(&example, vec![Box::new(|s, _| (s.with_order(s.order()), 3)), Box::new(move |s, _| refund(s))]);
    }

    #[test]
    fn a_solved_step_stays_done_while_the_next_is_worked_on() {
        let lesson = lesson("integrity");
        let (session, _) = start(lesson);
        // Step 1 done earlier; the cursor moved away from the gap: still one step done.
        assert_eq!(advance(lesson, 1, &LessonView::new(&session, 1)), 1);
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

    #[test]
    fn numbers_compare_by_value_and_paths_reach_into_arrays() {
        assert!(same_value(&json!(70), &serde_json::from_str::<Value>("70.00").unwrap()));
        assert!(!same_value(&json!(70), &json!("70")));
        assert_eq!(lookup(&json!({"a": [1, {"b": 2}]}), &["a".into(), "1".into(), "b".into()]), Some(&json!(2)));
        assert_eq!(lookup(&json!({"a": 1}), &["a".into(), "b".into()]), None);
    }

    #[test]
    fn the_event_at_cursor_is_the_last_applied_and_none_at_the_start() {
        let session =
            Session::load("t", r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":30}]"#).unwrap();
        let deposit = Check::EventAtCursor(EventAtCursor { type_name: Some("Deposit".into()), stream: None });
        assert!(!passes(&deposit, &session, 0));
        assert!(passes(&deposit, &session, 1));
        assert!(!passes(&deposit, &session, 2));
    }

    #[test]
    fn any_and_not_combine() {
        let session = Session::load("t", r#"[{"type":"Deposit","amount":100}]"#).unwrap();
        let at = |n| Check::Cursor(Range { at_least: Some(n), at_most: Some(n) });
        assert!(passes(&Check::Any(vec![at(0), at(1)]), &session, 1));
        assert!(!passes(&Check::All(vec![at(0), at(1)]), &session, 1));
        assert!(passes(&Check::Not(Box::new(at(0))), &session, 1));
    }

    #[test]
    fn the_quiz_has_the_five_core_questions_each_with_one_right_answer_and_every_option_explained() {
        let quiz = builtin_quiz();
        assert_eq!(quiz.questions.len(), 5);
        for question in &quiz.questions {
            assert!((3..=4).contains(&question.options.len()), "{}", question.id);
            assert_eq!(question.options.iter().filter(|o| o.correct).count(), 1, "{}", question.id);
            assert!(question.options.iter().all(|o| o.explanation.trim().len() > 20), "{}", question.id);
        }
    }

    #[test]
    fn a_quiz_with_two_right_answers_is_refused() {
        let text = r#"{"questions": [{"id": "q", "question": "?", "options": [
            {"text": "a", "correct": true, "explanation": "x"}, {"text": "b", "correct": true, "explanation": "y"}]}]}"#;
        assert_eq!(
            parse_quiz(text).unwrap_err(),
            "quiz: questions[0] ('q'): exactly one option must be correct, found 2"
        );
    }

    #[test]
    fn progress_round_trips_and_tolerates_garbage() {
        let mut progress = Progress::default();
        progress.set_steps("replay-is-a-fold", 1, 1);
        progress.set_steps("integrity", 1, 2);
        progress.quiz.insert("fold".into(), 2);
        assert_eq!(Progress::from_json(&progress.to_json()), progress);
        assert!(progress.is_done("replay-is-a-fold"));
        assert!(!progress.is_done("integrity"));
        assert_eq!(Progress::from_json("not json"), Progress::default());
        progress.restart("replay-is-a-fold");
        assert_eq!(progress.of("replay-is-a-fold"), LessonProgress { steps: 0, done: true });
    }

    #[test]
    fn the_first_unfinished_lesson_is_where_learn_opens() {
        let lessons = builtin();
        let mut progress = Progress::default();
        assert_eq!(progress.first_unfinished(lessons), 1);
        progress.set_steps(&lessons[0].id, 2, 2);
        assert_eq!(progress.first_unfinished(lessons), 2);
        for lesson in lessons {
            progress.set_steps(&lesson.id, lesson.steps.len(), lesson.steps.len());
        }
        assert_eq!(progress.first_unfinished(lessons), 1, "all done: start again at the first");
        assert_eq!(progress.lessons_done(lessons), lessons.len());
    }
}
