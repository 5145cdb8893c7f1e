//! Making a lesson from a session: the lesson builder's draft, the checks it picks from what is
//! on screen, and the lesson file it writes. The file is read back with [`parse_lesson`], the
//! parser of every other lesson, so a lesson made here loads exactly like a built-in one.
use crate::check::{check, LessonView};
use crate::lesson::{parse_lesson, Check, CorrectionCheck, Lesson, OrderName, SkippedCheck, Start};
use rewind_engine::plan::TimelineOrder;
use rewind_engine::session::Session;
use rewind_engine::timeline::DEFAULT_SNAPSHOT_INTERVAL;
use rewind_script::query::Expression;
use rewind_script::{script, ScriptDomain};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// A lesson being made: everything a lesson file says, its log written in (`{"inline": …}`).
#[derive(Clone, Debug, PartialEq)]
pub struct LessonDraft {
    /// Progress is kept under it; [`lesson_id`] makes one from the title.
    pub id: String,
    pub title: String,
    pub explanation: String,
    /// The log as Rewind JSON (`Session::to_rewind_json`): corrections, mapping and reducer kept.
    pub log: Value,
    pub start: Start,
    pub steps: Vec<StepDraft>,
    pub what_happened: String,
}

/// One step of a lesson being made.
#[derive(Clone, Debug, PartialEq)]
pub struct StepDraft {
    pub task: String,
    pub hint: String,
    /// Said when the step passes; empty for nothing.
    pub done: String,
    pub check: Check,
}

impl LessonDraft {
    /// A draft of `session`'s log as loaded now (its corrections, mapping and reducer), starting
    /// at `cursor` in the session's order and snapshot interval; texts and steps empty.
    pub fn from_session(session: &Session, cursor: usize) -> LessonDraft {
        let log = serde_json::from_str(&session.to_rewind_json()).unwrap_or(Value::Null);
        LessonDraft {
            id: String::new(),
            title: String::new(),
            explanation: String::new(),
            log,
            start: start_of(session, cursor),
            steps: Vec::new(),
            what_happened: String::new(),
        }
    }

    /// The lesson file, as JSON text (pretty: a teacher may read and edit it). Empty texts are
    /// written as they are, for the parser to name.
    pub fn to_json(&self) -> String {
        let id = if self.id.trim().is_empty() { lesson_id(&self.title) } else { self.id.trim().to_string() };
        let mut lesson = Map::new();
        lesson.insert("id".into(), json!(id));
        lesson.insert("title".into(), json!(self.title.trim()));
        lesson.insert("explanation".into(), json!(self.explanation.trim()));
        lesson.insert("log".into(), json!({ "inline": self.log }));
        lesson.insert("start".into(), start_to_json(&self.start));
        let steps = self
            .steps
            .iter()
            .map(|step| {
                let mut map = Map::new();
                map.insert("task".into(), json!(step.task.trim()));
                map.insert("hint".into(), json!(step.hint.trim()));
                map.insert("check".into(), check_to_json(&step.check));
                if !step.done.trim().is_empty() {
                    map.insert("done".into(), json!(step.done.trim()));
                }
                Value::Object(map)
            })
            .collect();
        lesson.insert("steps".into(), Value::Array(steps));
        lesson.insert("what_happened".into(), json!(self.what_happened.trim()));
        serde_json::to_string_pretty(&Value::Object(lesson)).unwrap_or_default()
    }

    /// The lesson, read back by the lesson parser; its message when it would be refused.
    pub fn to_lesson(&self) -> Result<Lesson, String> {
        parse_lesson(&self.to_json())
    }

    /// For each step, whether its check already holds where the lesson starts (it then would be
    /// done before the learner read it). The error says why the lesson cannot start.
    pub fn holds_at_start(&self) -> Result<Vec<bool>, String> {
        let lesson = Lesson {
            id: "draft".into(),
            title: "draft".into(),
            explanation: String::new(),
            log: crate::lesson::LogSource::Inline(self.log.clone()),
            start: self.start.clone(),
            steps: Vec::new(),
            what_happened: String::new(),
        };
        let (session, cursor) = start_with_script(&lesson)?;
        let view = LessonView::new(&session, cursor);
        Ok(self.steps.iter().map(|step| check(&step.check, &view)).collect())
    }
}

/// A lesson's session as the app opens it: the log replayed by the reducer script it carries, if
/// it carries one.
pub fn start_with_script(lesson: &Lesson) -> Result<(Session, usize), String> {
    let (session, cursor) = lesson.start_session().map_err(|e| e.to_string())?;
    let Some(source) = session.log().reducer().map(|r| r.source.clone()) else { return Ok((session, cursor)) };
    let domain = ScriptDomain::compile("lesson", &source).map_err(|e| format!("the log's reducer: {e}"))?;
    Ok((session.with_reducer(script(&source), Arc::new(domain)), cursor))
}

/// Where a lesson made from `session` starts: `cursor`, and the order and snapshot interval only
/// when they are not what a freshly loaded log has.
fn start_of(session: &Session, cursor: usize) -> Start {
    Start {
        at: Some(cursor.min(session.len())),
        snapshot_interval: (session.snapshot_interval() != DEFAULT_SNAPSHOT_INTERVAL)
            .then_some(session.snapshot_interval()),
        order: (session.order() == TimelineOrder::AsEffective).then_some(OrderName::AsEffective),
    }
}

/// A lesson id from its title: lower-case letters and digits joined by `-` (`"made-lesson"` for a
/// title with none), with `-own` after an id a built-in lesson has (progress is kept by id).
pub fn lesson_id(title: &str) -> String {
    let words: Vec<String> =
        title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).take(8).collect();
    let id = if words.is_empty() { "made-lesson".to_string() } else { words.join("-") };
    if crate::lesson::builtin().iter().any(|l| l.id == id) {
        format!("{id}-own")
    } else {
        id
    }
}

fn start_to_json(start: &Start) -> Value {
    let mut map = Map::new();
    if let Some(at) = start.at {
        map.insert("at".into(), json!(at));
    }
    if let Some(interval) = start.snapshot_interval {
        map.insert("snapshot_interval".into(), json!(interval));
    }
    if let Some(order) = start.order {
        map.insert("order".into(), json!(order_name(order)));
    }
    Value::Object(map)
}

fn order_name(order: OrderName) -> &'static str {
    match order {
        OrderName::AsRecorded => "as_recorded",
        OrderName::AsEffective => "as_effective",
    }
}

/// A check as a lesson file writes it (`parse_check` reads it back as the same check).
pub fn check_to_json(check: &Check) -> Value {
    fn some<T: serde::Serialize>(map: &mut Map<String, Value>, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            map.insert(key.into(), json!(value));
        }
    }
    fn range(at_least: Option<usize>, at_most: Option<usize>) -> Value {
        let mut map = Map::new();
        some(&mut map, "at_least", &at_least);
        some(&mut map, "at_most", &at_most);
        Value::Object(map)
    }
    let (kind, body) = match check {
        Check::StateAtCursor { path, equals } => ("state_at_cursor", json!({ "path": path, "equals": equals })),
        Check::StateAtEnd { path, equals } => ("state_at_end", json!({ "path": path, "equals": equals })),
        Check::EventAtCursor(want) => {
            let mut map = Map::new();
            some(&mut map, "type", &want.type_name);
            some(&mut map, "stream", &want.stream);
            ("event_at_cursor", Value::Object(map))
        }
        Check::Cursor(r) => ("cursor", range(r.at_least, r.at_most)),
        Check::ProblemAtCursor(want) => {
            let severity = match want.severity {
                crate::lesson::SeverityName::Violation => "violation",
                crate::lesson::SeverityName::Error => "error",
                crate::lesson::SeverityName::UnknownType => "unknown_type",
            };
            ("problem_at_cursor", json!({ "severity": severity }))
        }
        Check::Appended(want) => {
            let mut map = Map::new();
            map.insert("at_least".into(), json!(want.at_least));
            some(&mut map, "type", &want.type_name);
            ("appended", Value::Object(map))
        }
        Check::Correction(want) => {
            let mut map = Map::new();
            some(&mut map, "corrects", &want.corrects);
            some(&mut map, "type", &want.type_name);
            some(&mut map, "stream", &want.stream);
            some(&mut map, "effective_at", &want.effective_at);
            ("correction", Value::Object(map))
        }
        Check::Skipped(want) => {
            let mut map = Map::new();
            some(&mut map, "at_least", &want.at_least);
            some(&mut map, "at_most", &want.at_most);
            some(&mut map, "event", &want.event);
            ("skipped", Value::Object(map))
        }
        Check::Violations(r) => ("violations", range(r.at_least, r.at_most)),
        Check::Order(order) => ("order", json!(order_name(*order))),
        Check::Snapshots(want) => {
            let mut map = Map::new();
            map.insert("enabled".into(), json!(want.enabled));
            some(&mut map, "max_interval", &want.max_interval);
            ("snapshots", Value::Object(map))
        }
        Check::WorstSeek(want) => ("worst_seek", json!({ "below": want.below })),
        Check::ReplayedAtCursor(r) => ("replayed_at_cursor", range(r.at_least, r.at_most)),
        Check::IntegrityAtCursor(want) => {
            use crate::lesson::IntegrityKindName::*;
            let kind = match want.kind {
                SeqGap => "seq_gap",
                SeqBackwards => "seq_backwards",
                DuplicateSeq => "duplicate_seq",
                DuplicateId => "duplicate_id",
                RecordedAtBackwards => "recorded_at_backwards",
            };
            ("integrity_at_cursor", json!({ "kind": kind }))
        }
        Check::Watch(source) => ("watch", json!(source)),
        Check::All(checks) => ("all", Value::Array(checks.iter().map(check_to_json).collect())),
        Check::Any(checks) => ("any", Value::Array(checks.iter().map(check_to_json).collect())),
        Check::Not(inner) => ("not", check_to_json(inner)),
    };
    json!({ kind: body })
}

/// Every leaf of a state (all streams, by stream name) with its path and value, in the order the
/// State panel shows them; at most `limit`.
pub fn state_fields(state: &Value, limit: usize) -> Vec<(Vec<String>, Value)> {
    fn walk(value: &Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, Value)>, limit: usize) {
        if out.len() >= limit {
            return;
        }
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (key, child) in map {
                    path.push(key.clone());
                    walk(child, path, out, limit);
                    path.pop();
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for (i, child) in items.iter().enumerate() {
                    path.push(i.to_string());
                    walk(child, path, out, limit);
                    path.pop();
                }
            }
            _ if path.len() >= 2 => out.push((path.clone(), value.clone())),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(state, &mut Vec::new(), &mut out, limit);
    out
}

/// "The state at the cursor has this value here": the value `session` shows at `path` after
/// `cursor` events. `None` when nothing is there.
pub fn state_value_check(session: &Session, cursor: usize, path: &[String]) -> Option<Check> {
    let (state, _) = session.state_at(cursor.min(session.len()));
    let value = path.iter().try_fold(&state, |value, key| match value {
        Value::Object(map) => map.get(key),
        Value::Array(items) => items.get(key.parse::<usize>().ok()?),
        _ => None,
    })?;
    Some(Check::StateAtCursor { path: path.to_vec(), equals: value.clone() })
}

/// "This event is skipped": the event at `log_position` (0-based) replayed as missing.
pub fn skipped_check(log_position: usize) -> Check {
    Check::Skipped(SkippedCheck { event: Some(log_position + 1), ..SkippedCheck::default() })
}

/// "A correction of this event exists": a correction naming the event at `log_position`, by its
/// id when it has one, else as `#N`.
pub fn correction_check(session: &Session, log_position: usize) -> Check {
    let reference = session
        .log_event(log_position)
        .and_then(|e| e.id())
        .map_or_else(|| format!("#{}", log_position + 1), str::to_string);
    Check::Correction(CorrectionCheck { corrects: Some(reference), ..CorrectionCheck::default() })
}

/// "A watch expression holds": the expression, or why it does not compile.
pub fn watch_check(source: &str) -> Result<Check, String> {
    let source = source.trim();
    if source.is_empty() {
        return Err("Write an expression, such as stream.balance == 70.".into());
    }
    Expression::compile(source).map_err(|error| {
        let at = error.column.map(|c| format!("column {c}: ")).unwrap_or_default();
        format!("The expression does not compile: {at}{}", error.message)
    })?;
    Ok(Check::Watch(source.to_string()))
}

/// A check in a few words, for the builder's list of steps.
pub fn describe_check(check: &Check) -> String {
    match check {
        Check::StateAtCursor { path, equals } => format!("the state at the cursor has {} = {equals}", path.join(".")),
        Check::StateAtEnd { path, equals } => format!("the state at the end has {} = {equals}", path.join(".")),
        Check::Skipped(SkippedCheck { event: Some(n), .. }) => format!("event {n} is skipped"),
        Check::Correction(CorrectionCheck { corrects: Some(r), .. }) => format!("a correction of {r} exists"),
        Check::Watch(source) => format!("the watch {source} holds"),
        other => check_to_json(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::advance;
    use crate::lesson::{builtin, parse_check};
    use rewind_engine::correction::CorrectionDraft;
    use rewind_engine::samples;

    fn bank() -> Session {
        Session::load("Bank", samples::find("bank").unwrap().text).unwrap()
    }

    fn path(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|p| p.to_string()).collect()
    }

    /// The bank sample made into a lesson: start at 0; step 1 the balance 70 at position 2, picked
    /// there; step 2 event 2 skipped.
    fn two_steps(session: &Session) -> LessonDraft {
        let mut draft = LessonDraft::from_session(session, 0);
        draft.title = "Stop at 70".into();
        draft.explanation = "The balance is a fold. Find where it is 70, then skip the withdrawal.".into();
        draft.what_happened = "You moved through history and replayed it without an event.".into();
        draft.steps = vec![
            StepDraft {
                task: "Move the timeline to where the balance is 70.".into(),
                hint: "After the withdrawal.".into(),
                done: "Right: 100 − 30.".into(),
                check: state_value_check(session, 2, &path(&["default", "balance"])).unwrap(),
            },
            StepDraft {
                task: "Skip the withdrawal.".into(),
                hint: "Its row's skip box.".into(),
                done: String::new(),
                check: skipped_check(1),
            },
        ];
        draft
    }

    #[test]
    fn a_made_lesson_round_trips_through_the_lesson_parser() {
        let session = bank();
        let draft = two_steps(&session);
        let lesson = draft.to_lesson().unwrap_or_else(|e| panic!("{e}\n{}", draft.to_json()));
        assert_eq!(lesson.id, "stop-at-70");
        assert_eq!(lesson.title, draft.title);
        assert_eq!(lesson.start, Start { at: Some(0), snapshot_interval: None, order: None });
        assert_eq!(lesson.steps.len(), 2);
        assert_eq!(lesson.steps[0].check, draft.steps[0].check);
        assert_eq!(lesson.steps[0].done.as_deref(), Some("Right: 100 − 30."));
        assert_eq!(lesson.steps[1].done, None);
        assert_eq!(
            lesson.steps[0].check,
            Check::StateAtCursor { path: path(&["default", "balance"]), equals: json!(70) }
        );
        // Written again from what was read, the file is the same.
        let again = LessonDraft {
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            explanation: lesson.explanation.clone(),
            log: match &lesson.log {
                crate::lesson::LogSource::Inline(value) => value.clone(),
                other => panic!("{other:?}"),
            },
            start: lesson.start.clone(),
            steps: lesson
                .steps
                .iter()
                .map(|s| StepDraft {
                    task: s.task.clone(),
                    hint: s.hint.clone(),
                    done: s.done.clone().unwrap_or_default(),
                    check: s.check.clone(),
                })
                .collect(),
            what_happened: lesson.what_happened.clone(),
        };
        assert_eq!(again.to_json(), draft.to_json());
    }

    #[test]
    fn checks_made_at_a_position_fail_at_the_start_and_hold_once_solved() {
        let session = bank();
        let draft = two_steps(&session);
        assert_eq!(draft.holds_at_start().unwrap(), [false, false]);
        let lesson = draft.to_lesson().unwrap();
        let (start, cursor) = start_with_script(&lesson).unwrap();
        assert_eq!(cursor, 0);
        assert_eq!(advance(&lesson, 0, &LessonView::new(&start, cursor)), 0);
        // Step 1: the balance is 70 after two events, not after one or three.
        for at in [1, 3] {
            assert_eq!(advance(&lesson, 0, &LessonView::new(&start, at)), 0, "at {at}");
        }
        assert_eq!(advance(&lesson, 0, &LessonView::new(&start, 2)), 1);
        // Step 2: the withdrawal skipped.
        let skipped = start.with_skip(1, true);
        assert_eq!(advance(&lesson, 1, &LessonView::new(&start, 2)), 1);
        assert_eq!(advance(&lesson, 1, &LessonView::new(&skipped, 2)), 2);
    }

    #[test]
    fn a_check_that_holds_where_the_lesson_starts_is_reported() {
        let session = bank();
        let mut draft = two_steps(&session);
        draft.start.at = Some(2);
        assert_eq!(draft.holds_at_start().unwrap(), [true, false]);
        // The default start is the cursor, where the value was picked.
        let at_cursor = LessonDraft { steps: draft.steps.clone(), ..LessonDraft::from_session(&session, 2) };
        assert_eq!(at_cursor.start.at, Some(2));
        assert_eq!(at_cursor.holds_at_start().unwrap(), [true, false]);
    }

    #[test]
    fn a_correction_check_names_the_event_and_the_log_keeps_corrections() {
        let session = Session::load("Typo", samples::find("bank-typo").unwrap().text).unwrap();
        let target = 2;
        let check = correction_check(&session, target);
        let reference = session.log_event(target).unwrap().id().map(str::to_string);
        assert_eq!(
            check,
            Check::Correction(CorrectionCheck {
                corrects: Some(reference.clone().unwrap_or("#3".into())),
                ..CorrectionCheck::default()
            })
        );
        let mut data = serde_json::Map::new();
        data.insert("amount".into(), json!("270"));
        let fix = CorrectionDraft {
            type_name: "Deposit".into(),
            stream: Some(session.stream_of(session.log_event(target).unwrap()).to_string()),
            data,
            reason: "keyed as 300".into(),
            corrects: Some(reference.unwrap_or("#3".into())),
            ..CorrectionDraft::default()
        };
        let fixed = session.with_correction(&fix, "2024-06-01T12:00:00Z").unwrap();
        assert!(self::check(&check, &LessonView::new(&fixed, fixed.len())));

        let step = |check: &Check| StepDraft {
            task: "Correct it.".into(),
            hint: "correct".into(),
            done: String::new(),
            check: check.clone(),
        };
        // Made from the log before the fix: false at the start.
        let mut before = LessonDraft::from_session(&session, 0);
        (before.title, before.explanation, before.what_happened) = ("T".into(), "E.".into(), "W".into());
        before.steps = vec![step(&check)];
        assert_eq!(before.holds_at_start().unwrap(), [false]);
        // Made after appending the fix: the correction is in the lesson's log, so it holds.
        let mut after = LessonDraft::from_session(&fixed, 0);
        (after.title, after.explanation, after.what_happened) = ("T".into(), "E.".into(), "W".into());
        after.steps = vec![step(&check)];
        assert_eq!(after.holds_at_start().unwrap(), [true]);
        let lesson = after.to_lesson().unwrap();
        let (loaded, _) = start_with_script(&lesson).unwrap();
        assert_eq!(loaded.corrections().count(), 1);
    }

    #[test]
    fn a_watch_check_holds_where_its_expression_is_true() {
        let session = bank();
        let check = watch_check("stream.balance == 70").unwrap();
        assert_eq!(check_to_json(&check), json!({"watch": "stream.balance == 70"}));
        assert!(!self::check(&check, &LessonView::new(&session, 0)));
        assert!(!self::check(&check, &LessonView::new(&session, 1)));
        assert!(self::check(&check, &LessonView::new(&session, 2)));
        let uses_state = watch_check("state[\"default\"].balance > 100").unwrap();
        assert!(self::check(&uses_state, &LessonView::new(&session, 3)));
        assert!(!self::check(&uses_state, &LessonView::new(&session, 2)));
        assert!(watch_check("stream.balance ==").unwrap_err().starts_with("The expression does not compile"));
        assert!(watch_check(" ").is_err());
        let mut draft = two_steps(&session);
        draft.steps[1].check = check;
        let lesson = draft.to_lesson().unwrap();
        assert_eq!(lesson.steps[1].check, Check::Watch("stream.balance == 70".into()));
        assert_eq!(draft.holds_at_start().unwrap(), [false, false]);
    }

    #[test]
    fn a_watch_that_does_not_compile_is_refused_by_the_parser() {
        let mut draft = two_steps(&bank());
        draft.steps[1].check = Check::Watch("1 +".into());
        let error = draft.to_lesson().unwrap_err();
        assert!(
            error.starts_with("lesson 'stop-at-70': steps[1].check.watch: the expression does not compile"),
            "{error}"
        );
    }

    #[test]
    fn every_built_in_check_is_written_as_the_parser_reads_it() {
        for lesson in builtin() {
            for (i, step) in lesson.steps.iter().enumerate() {
                let written = check_to_json(&step.check);
                assert_eq!(parse_check(&written, "check"), Ok(step.check.clone()), "{} step {}", lesson.id, i + 1);
            }
        }
    }

    #[test]
    fn the_draft_keeps_the_view_settings_and_empty_texts_are_named() {
        let session = bank().with_order(TimelineOrder::AsEffective).with_snapshot_interval(0);
        let draft = LessonDraft::from_session(&session, 9);
        assert_eq!(draft.start, Start { at: Some(3), snapshot_interval: Some(0), order: Some(OrderName::AsEffective) });
        assert_eq!(draft.to_lesson().unwrap_err(), "lesson 'made-lesson': title: must not be empty");
    }

    #[test]
    fn ids_come_from_titles_and_never_take_a_built_in_lesson_s() {
        assert_eq!(lesson_id("A fee, charged twice!"), "a-fee-charged-twice");
        assert_eq!(lesson_id("  "), "made-lesson");
        assert_eq!(lesson_id("Snapshots"), "snapshots-own");
    }

    #[test]
    fn state_fields_are_the_leaves_with_their_values() {
        let state =
            json!({"default": {"status": "open", "balance": 70, "transactions": [{"amount": 100}], "tags": []}});
        let fields = state_fields(&state, 10);
        assert_eq!(
            fields,
            vec![
                (path(&["default", "status"]), json!("open")),
                (path(&["default", "balance"]), json!(70)),
                (path(&["default", "transactions", "0", "amount"]), json!(100)),
                (path(&["default", "tags"]), json!([])),
            ]
        );
        assert_eq!(state_fields(&state, 1).len(), 1);
    }
}
