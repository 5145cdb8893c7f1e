//! Lessons 10 to 15, solved through the `Session` API as the app does them: every step's check is
//! false at the lesson's start and just before its solution, and true right after it.
//!
//! Four of these lessons carry a reducer script in their log. The app replays such a log with its
//! script (`ScriptDomain::carried`), and so do these tests; the learner's edits to the script are
//! made here on its text, as the Reducer panel would, and applied with `Session::with_reducer`.
use rewind_engine::inspect::IntegrityKind;
use rewind_engine::session::Session;
use rewind_learn::{advance, builtin, check, Check, Lesson, LessonView};
use rewind_script::{script, ScriptDomain};
use serde_json::{json, Value};
use std::sync::Arc;

fn lesson(id: &str) -> &'static Lesson {
    builtin().iter().find(|l| l.id == id).unwrap_or_else(|| panic!("no lesson {id}"))
}

/// The lesson's session as the app opens it: its log replayed by the script it carries, if any.
fn start(lesson: &Lesson) -> (Session, usize) {
    let (session, cursor) = lesson.start_session().expect("the lesson's log loads");
    match session.log().reducer().map(|r| r.source.clone()) {
        Some(source) => (with_script(&session, &source), cursor),
        None => (session, cursor),
    }
}

/// The carried script's text.
fn carried(lesson: &Lesson) -> String {
    let (session, _) = lesson.start_session().unwrap();
    session.log().reducer().expect("the lesson's log carries a reducer").source.clone()
}

/// `session` replayed by `source`, as "Apply reducer" does.
fn with_script(session: &Session, source: &str) -> Session {
    let domain = ScriptDomain::compile("lesson", source).unwrap_or_else(|e| panic!("the script compiles: {e}"));
    session.with_reducer(script(source), Arc::new(domain))
}

/// `source` with `old` (which must be there) replaced by `new`.
fn edit(source: &str, old: &str, new: &str) -> String {
    assert!(source.contains(old), "the script has {old:?}:\n{source}");
    source.replacen(old, new, 1)
}

fn passes(check: &Check, session: &Session, cursor: usize) -> bool {
    self::check(check, &LessonView::new(session, cursor))
}

fn state_at(session: &Session, cursor: usize, path: &[&str]) -> Value {
    path.iter().fold(session.state_at(cursor).0, |value, key| value.get(*key).cloned().unwrap_or(Value::Null))
}

fn errors(session: &Session) -> usize {
    session.problems().iter().filter(|p| p.severity == rewind_engine::timeline::Severity::Error).count()
}

type Solution = Box<dyn Fn(&Session, usize) -> (Session, usize)>;

/// Step `i` fails at the start and before its solution (after the earlier ones'), and passes after.
fn walk(lesson: &Lesson, solutions: Vec<Solution>) -> (Session, usize) {
    assert_eq!(solutions.len(), lesson.steps.len(), "{}: one solution per step", lesson.id);
    let (first, first_cursor) = start(lesson);
    let (mut session, mut cursor) = start(lesson);
    for (i, (step, solve)) in lesson.steps.iter().zip(solutions).enumerate() {
        let n = i + 1;
        assert!(!passes(&step.check, &first, first_cursor), "{} step {n}: passes on the starting state", lesson.id);
        assert!(!passes(&step.check, &session, cursor), "{} step {n}: passes before it is solved", lesson.id);
        assert_eq!(advance(lesson, i, &LessonView::new(&session, cursor)), i, "{} step {n}", lesson.id);
        (session, cursor) = solve(&session, cursor);
        assert!(passes(&step.check, &session, cursor), "{} step {n}: fails on the solved state", lesson.id);
        assert!(advance(lesson, i, &LessonView::new(&session, cursor)) > i, "{} step {n}", lesson.id);
    }
    assert_eq!(advance(lesson, lesson.steps.len(), &LessonView::new(&session, cursor)), lesson.steps.len());
    (session, cursor)
}

/// The text of lesson 10's solution: the two functions the script leaves commented out, filled in.
const IN_BANK: &str = "fn init_in_bank() { #{ total: 0 } }

fn project_in_bank(view, event) {
    switch event.type {
        \"Deposited\" => { view.total += event.data.amount; }
        \"Withdrawn\" => { view.total -= event.data.amount; }
    }
    view
}
";

#[test]
fn lesson_10_projections_add_a_read_model_and_see_it_rebuilt_from_the_start() {
    let lesson = lesson("projections");
    let (session, cursor) = start(lesson);
    assert_eq!(cursor, 6);
    // The script's own projection, balances per account, agrees with the streams.
    assert_eq!(session.state_at(6).0["projection:balances"], json!({"acc-ana": 115, "acc-bo": 230}));
    assert_eq!(state_at(&session, 6, &["acc-bo", "balance"]), json!(230));
    assert_eq!(session.projection_names(), ["balances"]);
    let solved = format!("{}\n{IN_BANK}", carried(lesson));
    let (done, _) = walk(
        lesson,
        vec![Box::new(move |s, c| (with_script(s, &solved), c)), Box::new(|s, _| (s.with_order(s.order()), 3))],
    );
    // Built from the first event: a total at every position, and the two read models agree.
    let totals: Vec<_> = (0..=6).map(|p| state_at(&done, p, &["projection:in_bank", "total"])).collect();
    assert_eq!(totals, [0, 100, 150, 120, 320, 300, 345].map(|n| json!(n)));
    for position in 0..=6 {
        let state = done.state_at(position).0;
        let sum: i64 = state["projection:balances"].as_object().unwrap().values().map(|v| v.as_i64().unwrap()).sum();
        assert_eq!(json!(sum), state["projection:in_bank"]["total"], "at {position}");
    }
    // Only at event 3 was there 120 in the bank.
    for cursor in [0, 1, 2, 4, 5, 6] {
        assert!(!passes(&lesson.steps[1].check, &done, cursor), "not 120 at {cursor}");
    }
    // A total kept without init_in_bank (starting from #{}) counts too.
    let without_init = format!(
        "{}\nfn project_in_bank(view, event) {{ let t = view.total ?? 0; if event.type == \"Deposited\" {{ t += event.data.amount; }} else {{ t -= event.data.amount; }} view.total = t; view }}",
        carried(lesson)
    );
    assert!(passes(&lesson.steps[0].check, &with_script(&session, &without_init), 0));
}

#[test]
fn lesson_11_commands_are_not_events_a_refused_request_changes_nothing() {
    let lesson = lesson("commands-are-not-events");
    let (session, cursor) = start(lesson);
    assert_eq!((session.len(), cursor), (7, 7));
    assert!(session.problems().is_empty(), "{:?}", session.problems());
    // The refused request (event 4) left the balance where event 3 put it.
    let acc = session.stream("acc-1").unwrap();
    let blame = session.blame(acc, 4);
    let balance = blame.iter().find(|(path, _)| path == &["balance"]).expect("the balance is blamed");
    assert_eq!(balance.1 + 1, 3, "set by event 3");
    assert_eq!(state_at(&session, 3, &["acc-1", "balance"]), json!(150));
    assert_eq!(state_at(&session, 4, &["acc-1", "balance"]), json!(150));
    // It caused nothing; the accepted ones each caused their Withdrawn.
    let mut build = session.causation_build();
    while !build.step(session.log(), 100) {}
    let index = build.finish();
    assert!(session.causation(&index, 3).unwrap().caused.is_empty());
    assert_eq!(session.causation(&index, 1).unwrap().caused.iter().map(|c| c.position).collect::<Vec<_>>(), [2]);
    assert_eq!(session.causation(&index, 4).unwrap().caused.iter().map(|c| c.position).collect::<Vec<_>>(), [5]);
    walk(lesson, vec![Box::new(|s, _| (s.with_order(s.order()), 4)), Box::new(|s, _| (s.with_order(s.order()), 3))]);
    // The accepted requests are not it, and the other Withdrawn is not the one that set the balance.
    for cursor in [2, 5] {
        assert!(!passes(&lesson.steps[0].check, &session, cursor), "request at {cursor} was accepted");
    }
    assert!(!passes(&lesson.steps[1].check, &session, 6));
}

#[test]
fn lesson_12_versioning_events_an_upcast_reads_both_shapes() {
    let lesson = lesson("versioning-events");
    let (session, cursor) = start(lesson);
    assert_eq!(cursor, 0);
    // The three deposits from before May cannot be read by the reducer for the new shape.
    let failing: Vec<_> = session.problems().iter().map(|p| (p.position, p.message.clone())).collect();
    assert_eq!(failing.len(), 3, "{failing:?}");
    assert!(failing.iter().all(|(p, m)| *p < 3 && m.contains("data.money is missing")), "{failing:?}");
    assert_eq!(state_at(&session, 6, &["acc-12", "balance"]).as_f64(), Some(132.5), "the new deposits only");
    let upcast = edit(
        &carried(lesson),
        "    event\n}",
        "    if event.data.money == () { event.data.money = #{ value: event.data.amount, currency: \"EUR\" }; }\n    event\n}",
    );
    let (done, _) = walk(
        lesson,
        vec![Box::new(|s, _| (s.with_order(s.order()), 1)), Box::new(move |s, c| (with_script(s, &upcast), c))],
    );
    assert_eq!(errors(&done), 0, "{:?}", done.problems());
    // Reading only the old shape instead breaks the new events: not accepted.
    let (session, _) = start(lesson);
    let backwards = edit(&carried(lesson), "money.value", "event.data.amount");
    let backwards = edit(&backwards, "if money == ()", "if false");
    assert!(!passes(&lesson.steps[1].check, &with_script(&session, &backwards), 6));
    // An event the reducer reads is not an answer to step 1.
    assert!(!passes(&lesson.steps[0].check, &session, 4));
}

#[test]
fn lesson_13_expected_version_the_repeated_seq_is_the_append_to_refuse() {
    let lesson = lesson("expected-version");
    let (session, _) = start(lesson);
    let kinds: Vec<_> = session.integrity().iter().map(|w| (w.position, w.kind)).collect();
    assert_eq!(kinds, [(4, IntegrityKind::DuplicateSeq)]);
    let overdrafts: Vec<_> = session.problems().iter().map(|p| p.position).collect();
    assert_eq!(overdrafts, [4], "{:?}", session.problems());
    walk(lesson, vec![Box::new(|s, _| (s.with_order(s.order()), 5)), Box::new(|s, c| (s.with_skip(4, true), c))]);
    // Skipping the first writer's event instead also ends the overdraft, but that append was right.
    let first = session.with_skip(3, true);
    assert!(first.problems().is_empty());
    assert!(!passes(&lesson.steps[1].check, &first, 6));
    // Skipping both is not the log the store would have kept either.
    assert!(!passes(&lesson.steps[1].check, &session.with_skip(3, true).with_skip(4, true), 6));
}

#[test]
fn lesson_14_duplicates_skip_the_second_delivery_then_make_the_consumer_idempotent() {
    let lesson = lesson("duplicates-and-idempotency");
    let (session, _) = start(lesson);
    let kinds: Vec<_> = session.integrity().iter().map(|w| (w.position, w.kind)).collect();
    assert_eq!(kinds, [(3, IntegrityKind::DuplicateId)]);
    assert_eq!(state_at(&session, 5, &["acc-8", "balance"]), json!(200));
    let idempotent = edit(
        &carried(lesson),
        "    // before: return the state unchanged.\n",
        "    // before: return the state unchanged.\n    if event.id in state.handled { return state; }\n",
    );
    let (done, _) = walk(
        lesson,
        vec![
            Box::new(|s, c| (s.with_skip(3, true), c)),
            Box::new(move |s, c| (with_script(&s.with_skip(3, false), &idempotent), c)),
        ],
    );
    // The second delivery is still in the log, and changed nothing: the ids handled say why.
    assert_eq!(state_at(&done, 3, &["acc-8"]), state_at(&done, 4, &["acc-8"]));
    assert_eq!(state_at(&done, 5, &["acc-8", "handled"]), json!(["pay-101", "pay-102", "pay-103", "pay-104"]));
    // Skipping another payment, or skipping as well as fixing the script, is not it.
    assert!(!passes(&lesson.steps[0].check, &session.with_skip(2, true), 5));
    assert!(!passes(&lesson.steps[1].check, &done.with_skip(3, true), 5));
}

#[test]
fn lesson_15_following_a_cause_from_the_email_to_the_checkout_and_down_to_the_charge() {
    let lesson = lesson("following-a-cause");
    let (session, cursor) = start(lesson);
    assert_eq!(cursor, 10);
    assert!(session.integrity().is_empty(), "{:?}", session.integrity());
    let mut build = session.causation_build();
    while !build.step(session.log(), 100) {}
    let index = build.finish();
    // The email's causes, nearest first: the cancellation, the missing stock, the order, the checkout.
    let email = session.causation(&index, 9).unwrap();
    assert_eq!(email.causes, [8, 7, 2, 0]);
    let root = session.causation(&index, 0).unwrap();
    assert_eq!(root.caused.iter().map(|c| c.position).collect::<Vec<_>>(), [2, 4, 7, 8, 9]);
    walk(lesson, vec![Box::new(|s, _| (s.with_order(s.order()), 1)), Box::new(|s, _| (s.with_order(s.order()), 5))]);
    // Tom's checkout and Tom's charge are another story.
    assert!(!passes(&lesson.steps[0].check, &session, 2));
    assert!(!passes(&lesson.steps[1].check, &session, 7));
}

#[test]
fn every_new_lesson_has_hints_and_ends_with_what_happened_in_two_or_three_sentences() {
    for lesson in &builtin()[9..] {
        let sentences = lesson.what_happened.split(". ").count();
        assert!((2..=3).contains(&sentences), "{}: what_happened has {sentences} sentences", lesson.id);
        assert!(lesson.steps.iter().all(|s| !s.hint.is_empty() && !s.task.is_empty()), "{}", lesson.id);
    }
    assert_eq!(builtin().len(), 15);
}
