//! Evaluating a lesson's checks against the live view: the session and the cursor.
use crate::lesson::{Check, Lesson};
use rewind_engine::correction::meta_field;
use rewind_engine::money;
use rewind_engine::session::Session;
use rewind_engine::timeline::Severity;
use rewind_script::query::{holds, Expression};
use serde_json::Value;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;

/// What a check looks at: the live session and cursor (events applied, `0..=len`).
pub struct LessonView<'a> {
    pub session: &'a Session,
    pub cursor: usize,
    /// The state at the cursor and what the seek cost: computed once, and only if a check asks.
    computed: OnceCell<(Value, usize)>,
}

impl<'a> LessonView<'a> {
    pub fn new(session: &'a Session, cursor: usize) -> Self {
        LessonView { session, cursor: cursor.min(session.len()), computed: OnceCell::new() }
    }

    fn at_cursor(&self) -> &(Value, usize) {
        self.computed.get_or_init(|| self.session.state_at(self.cursor))
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
            session.log_event(position).is_some_and(|event| {
                want.type_name.as_deref().is_none_or(|t| session.type_name(event) == t)
                    && want.stream.as_deref().is_none_or(|s| session.stream_of(event) == s)
            })
        }),
        Check::Cursor(range) => range.contains(view.cursor),
        Check::ProblemAtCursor(want) => view.cursor.checked_sub(1).is_some_and(|position| {
            session.problems_at(position).iter().any(|p| p.severity == want.severity.severity())
        }),
        Check::Appended(want) => {
            let count = (0..session.len())
                .filter(|&p| session.is_appended_here(p))
                .filter(|&p| {
                    want.type_name
                        .as_deref()
                        .is_none_or(|t| session.log_event(p).is_some_and(|e| session.type_name(e) == t))
                })
                .count();
            count >= want.at_least
        }
        Check::Correction(want) => session.corrections().any(|(_, event)| {
            if meta_field(event, "reason").is_none_or(|r| r.trim().is_empty()) {
                return false;
            }
            let corrects_ok = want.corrects.as_deref().is_none_or(|wanted| {
                let target = session.resolve_reference(wanted);
                let named = meta_field(event, "corrects").and_then(|r| session.resolve_reference(&r));
                target.is_some() && target == named
            });
            corrects_ok
                && want.type_name.as_deref().is_none_or(|t| session.type_name(event) == t)
                && want.stream.as_deref().is_none_or(|s| session.stream_of(event) == s)
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
        Check::Watch(source) => compiled(source).is_some_and(|expression| {
            let state = expression.uses_state().then(|| &view.at_cursor().0);
            holds(&expression.value_at(session, view.cursor, state)).is_ok_and(|held| held)
        }),
        Check::All(checks) => checks.iter().all(|c| self::check(c, view)),
        Check::Any(checks) => checks.iter().any(|c| self::check(c, view)),
        Check::Not(inner) => !self::check(inner, view),
    }
}

/// A watch check's expression, compiled once per source (checks run on every move of the cursor).
/// `None` when it does not compile (the parser refuses such lessons, so only for hand-built ones).
fn compiled(source: &str) -> Option<Expression> {
    thread_local! {
        static COMPILED: RefCell<HashMap<String, Option<Expression>>> = RefCell::new(HashMap::new());
    }
    COMPILED.with(|cache| {
        cache.borrow_mut().entry(source.to_string()).or_insert_with(|| Expression::compile(source).ok()).clone()
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{builtin, parse_lesson, EventAtCursor, Range};
    use rewind_engine::correction::CorrectionDraft;
    use rewind_engine::inspect::IntegrityKind;
    use rewind_engine::plan::TimelineOrder;
    use serde_json::{json, Map};

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
        let guide = include_str!("../../../docs/lessons.md");
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
}
