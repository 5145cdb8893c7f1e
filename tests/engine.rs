//! Engine integration tests: given a log, when the timeline is at a position, then the state is
//! what a fold of the events says. One binary (like ripgrep's), tests named after what they guard.
use proptest::prelude::*;
use rewind::engine::domain::bank::Bank;
use rewind::engine::domain::generic::Generic;
use rewind::engine::domain::store::Store;
use rewind::engine::correction::{self, CorrectionDraft};
use rewind::engine::domain::{Domain, DomainName};
use rewind::engine::formats::{parse_log, LoadError};
use rewind::engine::log::Log;
use rewind::engine::samples;
use rewind::engine::session::Session;
use rewind::engine::plan::{Plan, TimelineOrder};
use rewind::engine::timeline::{naive_fold, state_to_json, Severity, Timeline};
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn given_fixture(name: &str) -> Session {
    Session::load(name, &fixture(name)).unwrap_or_else(|e| panic!("{name} should load: {e}"))
}

fn when_at(session: &Session, position: usize) -> Value {
    session.state_at(position).0
}

fn problems(session: &Session) -> Vec<(usize, Severity, String)> {
    session.problems().iter().map(|p| (p.position, p.severity, p.message.clone())).collect()
}

#[test]
fn classic_log_reads_0_100_70_120_along_the_timeline() {
    let session = given_fixture("classic.json");
    assert_eq!(when_at(&session, 0), json!({}));
    for (position, balance) in [(1, 100), (2, 70), (3, 120)] {
        assert_eq!(when_at(&session, position)["default"]["balance"], json!(balance), "at {position}");
    }
    assert_eq!(session.choice.domain, DomainName::Bank);
    assert!(session.problems().is_empty(), "{:?}", problems(&session));
}

#[test]
fn the_bank_sample_is_the_classic_log() {
    let sample = samples::find("bank").unwrap();
    let session = Session::load(sample.label, sample.text).unwrap();
    assert_eq!(session.len(), 3);
    assert_eq!(when_at(&session, 3)["default"], json!({"status": "open", "balance": 120, "transactions": 3}));
}

#[test]
fn the_store_sample_replays_without_problems() {
    let sample = samples::find("store").unwrap();
    let session = Session::load(sample.label, sample.text).unwrap();
    assert_eq!(session.choice.domain, DomainName::Store);
    assert!(session.problems().is_empty(), "{:?}", problems(&session));
    let end = when_at(&session, session.len());
    assert_eq!(end["order-1001"]["status"], json!("delivered"));
    assert_eq!(end["order-1001"]["total"], json!(54.9));
    assert_eq!(end["order-1002"]["status"], json!("cancelled"));
}

#[test]
fn money_is_exact_and_rules_are_flagged_at_their_event() {
    let session = given_fixture("two_accounts.json");
    let end = when_at(&session, session.len());
    assert_eq!(end["acc-1"]["balance"], json!(0.3));
    assert_eq!(end["acc-2"]["balance"], json!(-300));
    assert_eq!(end["acc-2"]["status"], json!("closed"));
    let found = problems(&session);
    let at = |position| found.iter().filter(|p| p.0 == position).map(|p| (p.1, p.2.as_str())).collect::<Vec<_>>();
    assert_eq!(at(4), [(Severity::Violation, "withdrawal of 300 exceeds the balance of 0")]);
    assert_eq!(at(5), [(Severity::Violation, "account acc-3 has not been opened")]);
    assert_eq!(at(6)[0].0, Severity::UnknownType);
    assert!(at(6)[0].1.contains("InterestAccrued"), "{:?}", at(6));
    assert_eq!(at(7).len(), 1, "closing with a negative balance is flagged: {:?}", at(7));
}

#[test]
fn unknown_event_types_in_a_known_domain_are_kept_as_generic_fields() {
    let session = given_fixture("two_accounts.json");
    let end = when_at(&session, session.len());
    assert_eq!(end["acc-1"]["unknown_events"]["data"]["rate"], json!(0.02));
}

#[test]
fn unreadable_data_is_an_error_at_that_event_and_replay_goes_on() {
    let session = given_fixture("string_amount.json");
    assert_eq!(
        problems(&session),
        [
            (1, Severity::Error, "data.amount must be a number, found a string".to_string()),
            (2, Severity::Error, "data.amount is missing".to_string()),
        ]
    );
    assert_eq!(when_at(&session, 4)["default"]["balance"], json!(70));
}

#[test]
fn broken_json_reports_line_and_column() {
    match parse_log(&fixture("broken_syntax.json")) {
        Err(LoadError::Syntax { line, column, .. }) => assert_eq!((line, column), (3, 23)),
        other => panic!("expected a syntax error, got {:?}", other.map(|l| l.len())),
    }
}

#[test]
fn a_wrong_shape_lists_every_bad_event_with_its_path() {
    let error = parse_log(&fixture("wrong_shape.json")).map(|l| l.len()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Not a log of events (3 problems):\n\
         • event 2 (line 5): events[1].type is missing\n\
         • event 3 (line 6): events[2].data must be an object, found an array\n\
         • event 4 (line 7): events[3].type must be a string, found a number"
    );
}

#[test]
fn envelope_fields_and_unknown_fields_survive_loading() {
    let log = parse_log(&fixture("kept_fields.json")).unwrap();
    let first = &log.events()[0];
    assert_eq!(first.id.as_deref(), Some("evt-1"));
    assert_eq!(first.seq, Some(41));
    assert_eq!(first.recorded_at.as_deref(), Some("2024-06-01T08:00:00+02:00"));
    assert_eq!(first.effective_at.as_deref(), Some("2024-05-31T23:00:00Z"));
    assert_eq!(
        first.meta.as_ref().unwrap().get(),
        r#"{"correlation_id": "c-1", "causation_id": "c-0", "tenant": "acme"}"#
    );
    assert_eq!(first.extra.as_ref().unwrap().get(), r#"{"source":"helpdesk","schema_version":3}"#);
    let second = &log.events()[1];
    assert_eq!(second.seq_or(1), 2, "a missing seq is the position in the log");
    assert_eq!(second.data.get(), r#"{"assignee":"ops","priority":2}"#);
}

#[test]
fn a_log_of_unknown_types_is_replayed_as_generic_and_says_why() {
    let session = given_fixture("kept_fields.json");
    assert_eq!(session.choice.domain, DomainName::Generic);
    assert!(session.choice.reason.contains("TicketAssigned, TicketOpened"), "{}", session.choice.reason);
    let end = when_at(&session, 2);
    assert_eq!(end["ticket-9"]["data"]["priority"], json!(2));
    assert_eq!(end["ticket-9"]["event_count"], json!(2));
}

#[test]
fn seeking_past_the_end_clamps_to_the_end() {
    let session = given_fixture("classic.json");
    assert_eq!(when_at(&session, 99), when_at(&session, 3));
}

#[test]
fn a_seek_replays_only_the_events_after_the_nearest_snapshot() {
    let log = parse_log(&fixture("two_accounts.json")).unwrap();
    let timeline = Timeline::<Bank>::build(&log, Plan::default(), 3);
    assert_eq!(timeline.seek(&log, 7).replayed, 1);
    assert_eq!(timeline.seek(&log, 6).replayed, 0);
    let without = Timeline::<Bank>::build(&log, Plan::default(), 0);
    assert_eq!(without.seek(&log, 7).replayed, 7);
}

// ---- corrections, skips and the two timelines ----

const NOW: &str = "2024-03-10T12:00:00Z";

fn draft(type_name: &str, amount: u32, reason: &str, corrects: &str) -> CorrectionDraft {
    CorrectionDraft {
        type_name: type_name.into(),
        data: serde_json::Map::from_iter([("amount".to_string(), json!(amount.to_string()))]),
        reason: reason.into(),
        corrects: Some(corrects.into()),
        ..CorrectionDraft::default()
    }
}

fn balance_at_end(session: &Session) -> Value {
    when_at(session, session.len())["default"]["balance"].clone()
}

#[test]
fn appending_a_correction_never_changes_earlier_events() {
    let session = given_fixture("classic.json");
    let before: Vec<String> = session.log.events().iter().map(|e| format!("{e:?}")).collect();
    let corrected = session.with_correction(&draft("Deposit", 5, "bonus was missed", "#1"), NOW).unwrap();
    let after: Vec<String> = corrected.log.events().iter().take(3).map(|e| format!("{e:?}")).collect();
    assert_eq!(before, after);
    assert_eq!(corrected.len(), 4);
    assert_eq!(session.len(), 3, "the session it came from is unchanged");
}

#[test]
fn a_reversal_cancels_its_event_exactly() {
    let session = given_fixture("classic.json");
    let reverse = correction::reversal(&session.log, session.choice.domain, 1).unwrap();
    let corrected = session.with_correction(&reverse, NOW).unwrap();
    assert_eq!(balance_at_end(&corrected), balance_at_end(&session.with_skip(1, true)));
    assert_eq!(balance_at_end(&corrected), json!(150));
}

#[test]
fn the_overdraft_sample_is_fixed_by_a_compensating_deposit() {
    let session = given_fixture("overdraft.json");
    assert!(session.problems().iter().any(|p| p.severity == Severity::Violation), "the 300 overdraws");
    let fixed = session.with_correction(&draft("Deposit", 270, "Withdrawal keyed as 300, was 30", "w-2"), NOW).unwrap();
    assert_eq!(balance_at_end(&session), json!(-10));
    assert_eq!(balance_at_end(&fixed), json!(260), "250 - 30 + 40, as if the 30 had been keyed right");
    assert_eq!(balance_at_end(&fixed.original()), json!(-10), "the original view ignores corrections");
}

#[test]
fn a_correction_naming_an_unknown_event_is_refused() {
    let session = given_fixture("classic.json");
    let errors = session.with_correction(&draft("Deposit", 5, "r", "nope"), NOW).map(|s| s.len()).unwrap_err();
    assert_eq!(errors[0].field, "corrects");
}

#[test]
fn only_corrections_made_in_this_session_can_be_withdrawn() {
    let session = given_fixture("classic.json");
    assert!(session.without_appended(0).is_err());
    let corrected = session.with_correction(&draft("Deposit", 5, "r", "#1"), NOW).unwrap();
    let withdrawn = corrected.without_appended(3).unwrap();
    assert_eq!(withdrawn.len(), 3);
    assert_eq!(balance_at_end(&withdrawn), json!(120));
}

#[test]
fn a_retroactive_deposit_moves_when_the_timeline_is_ordered_as_effective() {
    let session = given_fixture("late_deposit.json");
    let late = draft("Deposit", 200, "Cheque of 3 March credited late", "#2");
    let corrected = session
        .with_correction(&CorrectionDraft { effective_at: Some("2024-03-03T09:00:00Z".into()), corrects: None, ..late }, NOW)
        .unwrap();
    let recorded = corrected.with_order(TimelineOrder::AsRecorded);
    let effective = corrected.with_order(TimelineOrder::AsEffective);
    // As recorded the withdrawal overdraws (what the system knew); as effective it does not.
    let overdrafts = |s: &Session| s.problems().iter().filter(|p| p.severity == Severity::Violation).count();
    assert_eq!(overdrafts(&recorded), 1);
    assert_eq!(overdrafts(&effective), 0);
    assert_eq!(effective.event(1).1.id.as_deref(), Some("correction-1"), "the deposit replays second");
    assert_eq!(balance_at_end(&recorded), balance_at_end(&effective), "the same events end in the same state");
}

// ---- property: a seek from a snapshot equals a fold from the start, at every position ----

fn amount() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(100)),
        Just(json!(30)),
        Just(json!(0.1)),
        Just(json!(0)),
        Just(json!(-5)),
        Just(json!("12")),
        Just(Value::Null),
    ]
}

fn event() -> impl Strategy<Value = Value> {
    let types = prop::sample::select(vec![
        "AccountOpened",
        "Deposit",
        "Withdrawn",
        "AccountClosed",
        "OrderPlaced",
        "ItemAdded",
        "ItemRemoved",
        "PaymentReceived",
        "OrderShipped",
        "OrderDelivered",
        "OrderCancelled",
        "RefundIssued",
        "SomethingElse",
    ]);
    let stream = prop::sample::select(vec![None, Some("a"), Some("b"), Some("c")]);
    let sku = prop::sample::select(vec!["A", "B"]);
    // Few distinct times, so equal times (and missing ones) are common.
    let time = prop::option::of(prop::sample::select(vec!["2024-03-01T00:00:00Z", "2024-03-02T00:00:00Z", "2024-03-03T00:00:00Z"]));
    (types, stream, amount(), amount(), sku, 0u64..3, time.clone(), time).prop_map(
        |(kind, stream, amount, price, sku, qty, recorded_at, effective_at)| {
            let mut event = json!({"type": kind, "data": {"amount": amount, "price": price, "sku": sku, "qty": qty}});
            if let Some(stream) = stream {
                event["stream"] = json!(stream);
            }
            if let Some(at) = recorded_at {
                event["recorded_at"] = json!(at);
            }
            if let Some(at) = effective_at {
                event["effective_at"] = json!(at);
            }
            event
        },
    )
}

fn snapshots_agree_with_a_full_fold<D: Domain>(log: &Log, plan: &Plan, interval: usize) -> Result<(), TestCaseError> {
    let timeline = Timeline::<D>::build(log, plan.clone(), interval);
    for position in 0..=log.len() {
        let seek = timeline.seek(log, position);
        prop_assert_eq!(&seek.state, &naive_fold::<D>(log, plan, position), "position {}", position);
        if interval > 0 {
            prop_assert!(seek.replayed < interval);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn snapshot_seek_equals_a_naive_fold_at_every_position(
        events in prop::collection::vec(event(), 0..60),
        interval in 0usize..9,
        effective in any::<bool>(),
        skipped in prop::collection::vec(0usize..60, 0..4),
    ) {
        let log = parse_log(&Value::Array(events).to_string()).unwrap();
        let order = if effective { TimelineOrder::AsEffective } else { TimelineOrder::AsRecorded };
        let plan = Plan::new(&log, order, skipped);
        snapshots_agree_with_a_full_fold::<Bank>(&log, &plan, interval)?;
        snapshots_agree_with_a_full_fold::<Store>(&log, &plan, interval)?;
        snapshots_agree_with_a_full_fold::<Generic>(&log, &plan, interval)?;
    }

    #[test]
    fn skipping_an_event_equals_replaying_the_log_without_it(
        events in prop::collection::vec(event(), 1..40),
        skip in 0usize..40,
    ) {
        let skip = skip % events.len();
        let text = Value::Array(events.clone()).to_string();
        let mut without = events;
        without.remove(skip);
        let log = parse_log(&text).unwrap();
        let shorter = parse_log(&Value::Array(without).to_string()).unwrap();
        let skipped = Timeline::<Bank>::build(&log, Plan::new(&log, TimelineOrder::AsRecorded, [skip]), 4);
        let reference = Timeline::<Bank>::build(&shorter, Plan::default(), 4);
        prop_assert_eq!(
            state_to_json::<Bank>(&log, &skipped.seek(&log, log.len()).state),
            state_to_json::<Bank>(&shorter, &reference.seek(&shorter, shorter.len()).state)
        );
    }

    #[test]
    fn no_text_panics_the_loader(text in ".{0,200}") {
        let _ = Session::load("fuzz", &text);
    }

    #[test]
    fn no_json_event_shape_panics_the_loader(events in prop::collection::vec(any_json(), 0..8)) {
        let _ = Session::load("fuzz", &Value::Array(events).to_string());
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        prop::sample::select(vec!["type", "Deposit", "amount", "data", "stream", "seq", "id", "meta", "2024-01-01T00:00:00Z"])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec!["type", "data", "amount", "stream", "seq", "id", "meta", "recorded_at", "items", "sku", "qty", "price"])
                    .prop_map(String::from),
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
