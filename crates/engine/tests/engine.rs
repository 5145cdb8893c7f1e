//! Engine integration tests: given a log, when the timeline is at a position, then the state is
//! what a fold of the events says. One binary (like ripgrep's), tests named after what they guard.
use proptest::prelude::*;
use rewind_engine::correction::CorrectionDraft;
use rewind_engine::domain::bank::Bank;
use rewind_engine::domain::generic::Generic;
use rewind_engine::domain::store::Store;
use rewind_engine::domain::Reducer;
use rewind_engine::formats::{parse_log, LoadError};
use rewind_engine::generate::{generate_log, GenerateOptions};
use rewind_engine::log::Log;
use rewind_engine::plan::{Plan, TimelineOrder};
use rewind_engine::samples;
use rewind_engine::session::Session;
use rewind_engine::timeline::{naive_fold, snapshot_interval_for, state_to_json, Severity, Timeline};
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
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

/// Every fixture the test generator wrote (tests/fixtures/generated): a compiled domain's passes;
/// one that carries its reducer script is refused here and run by rewind-script's tests.
#[test]
fn every_generated_fixture_passes_or_names_the_crate_that_runs_it() {
    use rewind_engine::testgen::{run_fixture, Fixture};
    let dir = format!("{}/../../tests/fixtures/generated", env!("CARGO_MANIFEST_DIR"));
    let mut ran = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let fixture = Fixture::parse(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match &fixture.reducer {
            None => {
                let run = run_fixture(&fixture).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert!(run.passed(), "{}: {run}", path.display());
                ran += 1;
            }
            Some(_) => assert!(run_fixture(&fixture).unwrap_err().contains("rewind_script::run_fixture")),
        }
    }
    assert!(ran >= 3, "the fixtures generated from the samples are there ({ran} ran)");
}

#[test]
fn classic_log_reads_0_100_70_120_along_the_timeline() {
    let session = given_fixture("classic.json");
    assert_eq!(when_at(&session, 0), json!({}));
    for (position, balance) in [(1, 100), (2, 70), (3, 120)] {
        assert_eq!(when_at(&session, position)["default"]["balance"], json!(balance), "at {position}");
    }
    assert_eq!(session.domain().name(), "bank");
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
    assert_eq!(session.domain().name(), "store");
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
    assert_eq!(first.id(), Some("evt-1"));
    assert_eq!(first.seq(), Some(41));
    assert_eq!(first.recorded_at(), Some("2024-06-01T08:00:00+02:00"));
    assert_eq!(first.effective_at(), Some("2024-05-31T23:00:00Z"));
    assert_eq!(first.meta().unwrap(), r#"{"correlation_id": "c-1", "causation_id": "c-0", "tenant": "acme"}"#);
    assert_eq!(first.extra().unwrap(), r#"{"source":"helpdesk","schema_version":3}"#);
    let second = &log.events()[1];
    assert_eq!(second.seq_or(1), 2, "a missing seq is the position in the log");
    assert_eq!(second.data(), r#"{"assignee":"ops","priority":2}"#);
}

#[test]
fn a_log_of_unknown_types_is_replayed_as_generic_and_says_why() {
    let session = given_fixture("kept_fields.json");
    assert_eq!(session.domain().name(), "generic");
    assert!(session.choice().reason.contains("TicketAssigned, TicketOpened"), "{}", session.choice().reason);
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
    let timeline = Timeline::build(Bank, &log, Plan::default(), 3);
    assert_eq!(timeline.seek(&log, 7).replayed, 1);
    assert_eq!(timeline.seek(&log, 6).replayed, 0);
    let without = Timeline::build(Bank, &log, Plan::default(), 0);
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
    let before: Vec<String> = session.log().events().iter().map(|e| format!("{e:?}")).collect();
    let corrected = session.with_correction(&draft("Deposit", 5, "bonus was missed", "#1"), NOW).unwrap();
    let after: Vec<String> = corrected.log().events().iter().take(3).map(|e| format!("{e:?}")).collect();
    assert_eq!(before, after);
    assert_eq!(corrected.len(), 4);
    assert_eq!(session.len(), 3, "the session it came from is unchanged");
}

#[test]
fn a_reversal_cancels_its_event_exactly() {
    let session = given_fixture("classic.json");
    let reverse = session.reversal(1).unwrap();
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
        .with_correction(
            &CorrectionDraft { effective_at: Some("2024-03-03T09:00:00Z".into()), corrects: None, ..late },
            NOW,
        )
        .unwrap();
    let recorded = corrected.with_order(TimelineOrder::AsRecorded);
    let effective = corrected.with_order(TimelineOrder::AsEffective);
    // As recorded the withdrawal overdraws (what the system knew); as effective it does not.
    let overdrafts = |s: &Session| s.problems().iter().filter(|p| p.severity == Severity::Violation).count();
    assert_eq!(overdrafts(&recorded), 1);
    assert_eq!(overdrafts(&effective), 0);
    assert_eq!(effective.event(1).1.id(), Some("correction-1"), "the deposit replays second");
    assert_eq!(balance_at_end(&recorded), balance_at_end(&effective), "the same events end in the same state");
}

fn sample(id: &str) -> Session {
    let sample = samples::find(id).unwrap_or_else(|| panic!("no sample {id}"));
    Session::load(sample.label, sample.text).unwrap()
}

fn violations(session: &Session) -> Vec<String> {
    session.problems().iter().filter(|p| p.severity == Severity::Violation).map(|p| p.message.clone()).collect()
}

#[test]
fn every_sample_loads_and_the_mistake_samples_show_their_mistake() {
    for sample in samples::SAMPLES {
        let session = Session::load(sample.label, sample.text).unwrap_or_else(|e| panic!("{}: {e}", sample.id));
        assert!(!session.is_empty(), "{}", sample.id);
        let has_mistake = sample.id.contains('-');
        assert_eq!(!violations(&session).is_empty(), has_mistake, "{}: {:?}", sample.id, violations(&session));
    }
}

#[test]
fn the_typo_sample_is_fixed_by_a_deposit_of_270() {
    let session = sample("bank-typo");
    assert_eq!(violations(&session), ["withdrawal of 300 exceeds the balance of 250"]);
    let fix = CorrectionDraft {
        stream: Some("acc-42".into()),
        ..draft("Deposit", 270, "Withdrawal of 30 keyed as 300", "evt-3")
    };
    let fixed = session.with_correction(&fix, NOW).unwrap();
    assert_eq!(when_at(&session, session.len())["acc-42"]["balance"], json!(30));
    assert_eq!(when_at(&fixed, fixed.len())["acc-42"]["balance"], json!(300), "250 - 30 + 100 - 20");
}

#[test]
fn the_late_deposit_sample_is_fixed_retroactively() {
    let session = sample("bank-late-deposit");
    assert_eq!(violations(&session).len(), 1);
    let fix = CorrectionDraft {
        stream: Some("acc-7".into()),
        effective_at: Some("2024-03-03T11:00:00Z".into()),
        ..draft("Deposit", 200, "Cheque paid in on 3 March, recorded late", "evt-3")
    };
    let fixed = session.with_correction(&fix, NOW).unwrap();
    assert_eq!(violations(&fixed).len(), 1, "as recorded, the system did not know yet");
    assert!(violations(&fixed.with_order(TimelineOrder::AsEffective)).is_empty(), "as effective, no overdraft");
    assert_eq!(when_at(&fixed, fixed.len())["acc-7"]["balance"], json!(130));
}

#[test]
fn the_unpaid_shipment_sample_is_fixed_by_recording_the_payment_when_it_was_made() {
    let session = sample("store-shipped-unpaid");
    assert_eq!(violations(&session).len(), 1);
    let fix = CorrectionDraft {
        type_name: "PaymentReceived".into(),
        stream: Some("order-2001".into()),
        data: serde_json::Map::from_iter([("amount".to_string(), json!("45"))]),
        reason: "Card payment captured at checkout was never recorded".into(),
        corrects: Some("o-2".into()),
        effective_at: Some("2024-06-03T10:05:00Z".into()),
    };
    let fixed = session.with_correction(&fix, "2024-06-10T09:00:00Z").unwrap();
    assert!(violations(&fixed.with_order(TimelineOrder::AsEffective)).is_empty());
    assert_eq!(when_at(&fixed, fixed.len())["order-2001"]["paid"], json!(45));
}

#[test]
fn seeks_into_a_generated_200k_event_log_equal_a_naive_fold() {
    let log = parse_log(&generate_log(GenerateOptions::bank(200_000))).unwrap();
    let plan = Plan::default();
    let timeline = Timeline::build(Bank, &log, plan.clone(), snapshot_interval_for(log.len(), log.streams().len()));
    // Fixed "random" positions (a seeded stride), including both ends.
    let positions = [0, 1, 39_999, 123_457, 199_999, 200_000];
    for position in positions {
        let seek = timeline.seek(&log, position);
        assert_eq!(seek.state, naive_fold(&Bank, &log, &plan, position), "position {position}");
        assert!(seek.replayed < snapshot_interval_for(log.len(), log.streams().len()));
    }
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
    let time = prop::option::of(prop::sample::select(vec![
        "2024-03-01T00:00:00Z",
        "2024-03-02T00:00:00Z",
        "2024-03-03T00:00:00Z",
    ]));
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

fn snapshots_agree_with_a_full_fold<D: Reducer>(
    reducer: D,
    log: &Log,
    plan: &Plan,
    interval: usize,
) -> Result<(), TestCaseError> {
    let timeline = Timeline::build(reducer.clone(), log, plan.clone(), interval);
    for position in 0..=log.len() {
        let seek = timeline.seek(log, position);
        prop_assert_eq!(&seek.state, &naive_fold(&reducer, log, plan, position), "position {}", position);
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
        snapshots_agree_with_a_full_fold(Bank, &log, &plan, interval)?;
        snapshots_agree_with_a_full_fold(Store, &log, &plan, interval)?;
        snapshots_agree_with_a_full_fold(Generic, &log, &plan, interval)?;
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
        let skipped = Timeline::build(Bank, &log, Plan::new(&log, TimelineOrder::AsRecorded, [skip]), 4);
        let reference = Timeline::build(Bank, &shorter, Plan::default(), 4);
        prop_assert_eq!(
            state_to_json(&Bank, &log, &skipped.seek(&log, log.len()).state),
            state_to_json(&Bank, &shorter, &reference.seek(&shorter, shorter.len()).state)
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
        prop::sample::select(vec![
            "type",
            "Deposit",
            "amount",
            "data",
            "stream",
            "seq",
            "id",
            "meta",
            "2024-01-01T00:00:00Z"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "type",
                    "data",
                    "amount",
                    "stream",
                    "seq",
                    "id",
                    "meta",
                    "recorded_at",
                    "items",
                    "sku",
                    "qty",
                    "price"
                ])
                .prop_map(String::from),
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

// ==== Log formats (issue 5): one fixture per format, errors, export → import ====
//
// Each input format loads from its fixture, replays in its domain, and comes back as the same log
// through Rewind JSON and through JSON Lines. `same_log` compares every event field by value.
mod formats {
    use super::{any_json, fixture};
    use proptest::prelude::*;
    use rewind_engine::formats::{decode_bytes, load_log, parse_log, to_ndjson, to_rewind_json, LoadError};
    use rewind_engine::log::{Log, LogFormat};
    use rewind_engine::session::Session;
    use serde_json::{json, Value};

    fn value(raw: &str) -> Value {
        serde_json::from_str(raw).expect("raw JSON from a parsed log")
    }

    fn optional(raw: Option<&str>) -> Option<Value> {
        raw.map(value)
    }

    /// The first difference between two logs, if any: every event field by value and, with
    /// `envelope`, the declared domain and unknown envelope fields.
    fn difference(a: &Log, b: &Log, envelope: bool) -> Option<String> {
        if envelope {
            if a.declared_domain() != b.declared_domain() {
                return Some(format!("domain: {:?} vs {:?}", a.declared_domain(), b.declared_domain()));
            }
            let (x, y) = (optional(a.envelope_extra().map(|r| r.get())), optional(b.envelope_extra().map(|r| r.get())));
            if x != y {
                return Some(format!("envelope fields: {x:?} vs {y:?}"));
            }
        }
        if a.len() != b.len() {
            return Some(format!("{} events vs {}", a.len(), b.len()));
        }
        for (i, (x, y)) in a.events().iter().zip(b.events()).enumerate() {
            let fields = [
                ("type", json!(a.type_name(x)), json!(b.type_name(y))),
                ("stream", json!(a.stream_name(x.stream())), json!(b.stream_name(y.stream()))),
                ("seq", json!(x.seq()), json!(y.seq())),
                ("id", json!(x.id()), json!(y.id())),
                ("recorded_at", json!(x.recorded_at()), json!(y.recorded_at())),
                ("effective_at", json!(x.effective_at()), json!(y.effective_at())),
                ("data", value(x.data()), value(y.data())),
                ("meta", json!(optional(x.meta())), json!(optional(y.meta()))),
                ("extra", json!(optional(x.extra())), json!(optional(y.extra()))),
            ];
            for (field, left, right) in fields {
                if left != right {
                    return Some(format!("event {i} {field}: {left} vs {right}"));
                }
            }
        }
        None
    }

    fn same_log(a: &Log, b: &Log) -> bool {
        difference(a, b, true).is_none()
    }

    /// Without white space, raw JSON must be the very same text: numbers and escapes as written.
    fn compact(raw: &str) -> String {
        let mut out = String::new();
        let mut in_string = false;
        let mut escaped = false;
        for c in raw.chars() {
            if in_string {
                out.push(c);
                (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
            } else if !c.is_whitespace() {
                out.push(c);
                in_string = c == '"';
            }
        }
        out
    }

    fn same_text(a: &Log, b: &Log) -> bool {
        a.events().iter().zip(b.events()).all(|(x, y)| {
            let raw = |r: Option<&str>| r.map(compact);
            compact(x.data()) == compact(y.data()) && raw(x.meta()) == raw(y.meta()) && raw(x.extra()) == raw(y.extra())
        })
    }

    /// Export → import through both formats gives back the same log.
    fn assert_round_trips(log: &Log) {
        let again = parse_log(&to_rewind_json(log)).expect("Rewind JSON export loads");
        assert!(same_log(log, &again), "through Rewind JSON: {:?}", difference(log, &again, true));
        assert!(same_text(log, &again), "through Rewind JSON, raw text changed");
        let lines = parse_log(&to_ndjson(log)).expect("JSON Lines export loads");
        assert_eq!(difference(log, &lines, false), None, "through JSON Lines");
    }

    /// Loads a fixture, checks what it was read as, and that it replays in `domain` without problems.
    fn given_format(name: &str, format: LogFormat, domain: &str) -> (Log, Session) {
        let text = fixture(&format!("formats/{name}"));
        let log = load_log(&text).unwrap_or_else(|e| panic!("{name} should load: {e}"));
        assert_eq!(log.format(), format, "{name}");
        let session = Session::load(name, &text).unwrap();
        assert_eq!(session.domain().name(), domain, "{name}: {}", session.choice().reason);
        let problems: Vec<_> = session.problems().iter().map(|p| (p.position, p.message.clone())).collect();
        assert!(problems.is_empty(), "{name}: {problems:?}");
        assert_round_trips(&log);
        (log, session)
    }

    fn end_state(session: &Session) -> Value {
        session.state_at(session.len()).0
    }

    #[test]
    fn the_envelope_fixture_keeps_domain_envelope_fields_and_exact_amounts() {
        let (log, session) = given_format("envelope.json", LogFormat::Envelope, "bank");
        assert_eq!(log.declared_domain(), Some("bank"));
        assert_eq!(log.envelope_extra().unwrap().get(), r#"{"exported_by":"ledger-export 2.1"}"#);
        assert_eq!(log.events()[1].data(), r#"{ "amount": 100.00 }"#);
        assert_eq!(end_state(&session)["acc-1"]["balance"], json!(69.5));
        assert!(to_rewind_json(&log).contains("\"amount\": 100.00"), "number text is kept on export");
    }

    #[test]
    fn the_array_fixture_replays_an_order() {
        let (_, session) = given_format("array.json", LogFormat::Array, "store");
        assert_eq!(end_state(&session)["order-2001"]["status"], json!("shipped"));
    }

    #[test]
    fn the_flat_fixture_is_the_classic_bank_account() {
        let (log, session) = given_format("flat.json", LogFormat::Array, "bank");
        assert_eq!(log.events()[0].data(), r#"{"amount":100,"note":"salary"}"#);
        assert_eq!(end_state(&session)["default"]["balance"], json!(120));
    }

    #[test]
    fn the_redux_fixture_reads_payload_as_data() {
        let (log, session) = given_format("redux.json", LogFormat::ReduxActions, "bank");
        assert_eq!(log.format().describe(), "Redux-style actions (payload read as data)");
        assert_eq!(log.events()[0].meta().unwrap(), r#"{"user": "ada@example.com"}"#);
        assert_eq!(end_state(&session)["acc-7"]["balance"], json!(95));
    }

    #[test]
    fn the_ndjson_fixture_reads_one_event_per_line() {
        let (log, session) = given_format("events.ndjson", LogFormat::Ndjson, "store");
        assert_eq!(log.format().describe(), "JSON Lines (one event per line)");
        assert_eq!(log.len(), 5, "the blank line is not an event");
        let end = end_state(&session);
        assert_eq!(
            (end["order-3001"]["status"].clone(), end["order-3002"]["status"].clone()),
            (json!("shipped"), json!("cancelled"))
        );
    }

    #[test]
    fn the_cloudevent_fixture_maps_subject_time_and_keeps_attributes_in_meta() {
        let (log, session) = given_format("cloudevents.json", LogFormat::CloudEvent, "store");
        assert_eq!(log.format().describe(), "CloudEvents 1.0 (a single event)");
        let event = &log.events()[0];
        assert_eq!(log.stream_name(event.stream()), "order-4001");
        assert_eq!(event.recorded_at(), Some("2024-07-01T14:30:00Z"));
        assert_eq!(
            value(event.meta().unwrap()),
            json!({
                "specversion": "1.0",
                "source": "https://shop.example.com/checkout",
                "datacontenttype": "application/json",
                "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            })
        );
        assert_eq!(end_state(&session)["order-4001"]["total"], json!(37));
    }

    #[test]
    fn the_cloudevents_batch_fixture_replays_an_order_to_delivery() {
        let (log, session) = given_format("cloudevents-batch.json", LogFormat::CloudEventsBatch, "store");
        assert_eq!(log.format().describe(), "CloudEvents 1.0 (batch)");
        assert_eq!(log.events()[3].data(), "{}", "an event without data has empty data");
        assert_eq!(value(log.events()[1].meta().unwrap())["partitionkey"], json!("order-5001"));
        assert_eq!(end_state(&session)["order-5001"]["status"], json!("delivered"));
    }

    #[test]
    fn the_kurrentdb_fixture_maps_stream_number_created_and_correlation() {
        let (log, session) = given_format("kurrentdb.json", LogFormat::KurrentEvents, "bank");
        let second = &log.events()[1];
        assert_eq!((log.stream_name(second.stream()), second.seq()), ("account-42", Some(1)));
        assert_eq!(second.recorded_at(), Some("2024-08-01T08:10:00.5000000Z"));
        assert_eq!(
            value(second.meta().unwrap()),
            json!({"correlation_id": "payroll-8", "causation_id": "9c1d0f6e-3b1a-4c2e-8f5d-1a2b3c4d5e01"})
        );
        assert_eq!(end_state(&session)["account-42"]["balance"], json!(379.75));
        assert!(session.integrity().is_empty(), "eventNumbers 0, 1, 2 are in order: {:?}", session.integrity());
    }

    #[test]
    fn a_broken_ndjson_line_is_named_and_shown() {
        assert_eq!(
            parse_log(&fixture("formats/events-broken.ndjson")).unwrap_err().to_string(),
            "Not valid JSON: line 3, column 20: expected `,` or `}`\n  3 | {\"type\": \"Deposit\" \"amount\": 50}\n    |                    ^"
        );
    }

    #[test]
    fn ndjson_shape_errors_name_the_event_and_its_line() {
        assert_eq!(
            parse_log(&fixture("formats/events-wrong-shape.ndjson")).unwrap_err().to_string(),
            "Not a log of events (2 problems):\n\
             • event 2 (line 3): type is missing\n\
             • event 3 (line 4): recorded_at must be an RFC 3339 timestamp such as 2024-03-01T12:00:00Z, found \"last Tuesday\""
        );
    }

    #[test]
    fn a_log_without_events_is_refused_with_its_own_message() {
        assert_eq!(
            load_log(&fixture("formats/no-events.json")).unwrap_err().to_string(),
            "The log has no events: its \"events\" array is empty. A log needs at least one event, such as \
             {\"type\": \"Deposit\", \"amount\": 100}."
        );
    }

    #[test]
    fn the_broken_syntax_fixture_shows_the_offending_line() {
        match parse_log(&fixture("broken_syntax.json")).unwrap_err() {
            LoadError::Syntax { excerpt, .. } => {
                assert_eq!(excerpt, "  3 | {\"type\": \"Withdraw\" \"amount\": 30}\n    |                     ^")
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_utf16_file_loads_as_the_same_log() {
        let text = fixture("formats/envelope.json");
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let decoded = decode_bytes(utf16.clone()).unwrap();
        assert!(same_log(&parse_log(&decoded).unwrap(), &parse_log(&text).unwrap()));
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert!(same_log(&parse_log(&decode_bytes(with_bom.clone()).unwrap()).unwrap(), &parse_log(&text).unwrap()));
    }

    #[test]
    fn corrections_survive_an_export() {
        let sample = rewind_engine::samples::find("bank").unwrap();
        let log = parse_log(sample.text).unwrap();
        let text = to_rewind_json(&log).replacen(
            "\"events\": [",
            "\"events\": [\n{\"type\":\"Withdraw\",\"amount\":3,\"meta\":{\"kind\":\"correction\",\"corrects\":\"#2\",\"reason\":\"typo: 3, not 30\"}},",
            1,
        );
        let corrected = parse_log(&text).unwrap();
        assert_round_trips(&corrected);
        let again = parse_log(&to_ndjson(&corrected)).unwrap();
        assert_eq!(value(again.events()[0].meta().unwrap())["reason"], json!("typo: 3, not 30"));
    }

    // ---- property: export → import is the identity, for random logs ----

    /// JSON text, exactly as a strategy wrote it: numbers in several spellings, escapes, unicode.
    fn json_text() -> impl Strategy<Value = String> {
        let leaf = prop::sample::select(vec![
            "0",
            "-0",
            "1.50",
            "1E3",
            "2.5e-7",
            "-12",
            "123456789012345678901234567890",
            "0.1",
            "true",
            "false",
            "null",
            "\"plain\"",
            "\"é \\u00e9 \\n \\\" \\\\\"",
            "\"\\ud83d\\ude00 😀\"",
            "\"\"",
            "\"2024-03-01T09:00:00Z\"",
        ])
        .prop_map(String::from);
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                (prop::collection::vec(inner.clone(), 0..4), white_space())
                    .prop_map(|(items, ws)| format!("[{ws}{}{ws}]", items.join(&format!(",{ws}")))),
                object_text(inner),
            ]
        })
    }

    fn white_space() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", " ", "\n  ", "\t"])
    }

    /// Keys for data and meta: none is one of Rewind's event fields.
    fn data_key() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["amount", "owner", "ключ", "am\\u006funt", "", "nested", "😀", "a\\\"b", "items"])
            .prop_map(|key| format!("\"{key}\""))
    }

    fn members(values: impl Strategy<Value = String>) -> impl Strategy<Value = Vec<(String, String)>> {
        prop::collection::vec((data_key(), values), 0..4)
    }

    fn render(members: &[(String, String)], ws: &str) -> String {
        let inner: Vec<String> = members.iter().map(|(k, v)| format!("{k}{ws}:{ws}{v}")).collect();
        format!("{{{ws}{}{ws}}}", inner.join(&format!(",{ws}")))
    }

    fn object_text(values: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
        (members(values), white_space()).prop_map(|(members, ws)| render(&members, ws))
    }

    #[derive(Clone, Debug)]
    enum Form {
        Enveloped,
        Flat,
        Redux,
    }

    #[derive(Clone, Debug)]
    struct RandomEvent {
        head: Vec<(String, String)>,
        form: Form,
        data: Vec<(String, String)>,
        meta: Option<String>,
        extra: Vec<(String, String)>,
    }

    impl RandomEvent {
        fn text(&self, ws: &str) -> String {
            let mut fields = self.head.clone();
            match self.form {
                Form::Enveloped => fields.push(("\"data\"".into(), render(&self.data, ws))),
                Form::Flat => fields.extend(self.data.iter().cloned()),
                Form::Redux => fields.push(("\"payload\"".into(), render(&self.data, ws))),
            }
            if let Some(meta) = &self.meta {
                fields.push(("\"meta\"".into(), meta.clone()));
            }
            if !matches!(self.form, Form::Flat) {
                fields.extend(self.extra.iter().cloned());
            }
            render(&fields, ws)
        }
    }

    fn quoted(values: Vec<&'static str>) -> impl Strategy<Value = String> {
        prop::sample::select(values).prop_map(|v| serde_json::to_string(v).unwrap())
    }

    fn random_event() -> impl Strategy<Value = RandomEvent> {
        let type_name =
            quoted(vec!["Deposit", "AccountOpened", "OrderPlaced", "Dépôt", "注文確定", "a/b", "with \"quotes\""]);
        let stream = prop::option::of(quoted(vec!["default", "acc-1", "ストリーム-é", "a\\b"]));
        let id = prop::option::of(prop_oneof![
            quoted(vec!["e-1", "é", "42", "urn:uuid:1"]),
            Just("7".to_string()),
            Just("1.5".into())
        ]);
        let seq = prop::option::of(any::<u64>().prop_map(|n| n.to_string()));
        let times = vec!["2024-03-01T09:00:00Z", "2024-03-01T09:00:00.123456789+02:00", "2024-02-29T00:00:00-05:30"];
        let recorded_at = prop::option::of(quoted(times.clone()));
        let effective_at = prop::option::of(quoted(times));
        let form = prop_oneof![Just(Form::Enveloped), Just(Form::Flat), Just(Form::Redux)];
        let extra_key = prop::sample::select(vec!["source", "tags", "é", "", "Type", "x-trace", "payload"]);
        let extra = prop::collection::btree_map(extra_key, json_text(), 0..3);
        (
            type_name,
            stream,
            id,
            seq,
            recorded_at,
            effective_at,
            form,
            members(json_text()),
            prop::option::of(object_text(json_text())),
            extra,
        )
            .prop_map(|(type_name, stream, id, seq, recorded_at, effective_at, form, data, meta, extra)| {
                let head = [
                    ("type", Some(type_name)),
                    ("stream", stream),
                    ("id", id),
                    ("seq", seq),
                    ("recorded_at", recorded_at),
                    ("effective_at", effective_at),
                ]
                .into_iter()
                .filter_map(|(key, value)| Some((format!("\"{key}\""), value?)))
                .collect();
                let extra = extra
                    .into_iter()
                    // A Redux action's payload is its data; as an unknown field it would be read as data too.
                    .filter(|(key, _)| !(matches!(form, Form::Redux) && *key == "payload"))
                    .map(|(key, value)| (format!("\"{key}\""), value))
                    .collect();
                RandomEvent { head, form, data, meta, extra }
            })
    }

    /// A random log as text: an envelope (with a domain and unknown fields, or not), a bare array,
    /// JSON Lines, or a single event.
    fn random_log() -> impl Strategy<Value = String> {
        let domain = prop::option::of(quoted(vec!["bank", "store", "generic", "custom é"]));
        let envelope_extra =
            prop::collection::btree_map(prop::sample::select(vec!["exported_by", "version", "é"]), json_text(), 0..2);
        (prop::collection::vec(random_event(), 1..8), domain, envelope_extra, 0..4usize, white_space()).prop_map(
            |(events, domain, envelope_extra, layout, ws)| {
                let texts: Vec<String> = events.iter().map(|e| e.text(ws)).collect();
                match layout {
                    _ if domain.is_some() || !envelope_extra.is_empty() || layout == 0 => {
                        let mut fields: Vec<(String, String)> =
                            domain.into_iter().map(|d| ("\"domain\"".into(), d)).collect();
                        fields.extend(envelope_extra.into_iter().map(|(k, v)| (format!("\"{k}\""), v)));
                        fields.push(("\"events\"".into(), format!("[{}]", texts.join(","))));
                        render(&fields, ws)
                    }
                    1 => format!("[{ws}{}{ws}]", texts.join(&format!(",{ws}"))),
                    // Each event on one line: raw line breaks are only ever white space between tokens.
                    2 => texts.iter().map(|t| t.replace('\n', " ")).collect::<Vec<_>>().join("\n\n"),
                    _ => texts[0].clone(),
                }
            },
        )
    }

    /// Field names every reader looks at, and an escape that is valid JSON but no text.
    fn format_key() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "\"type\"",
            "\"eventType\"",
            "\"specversion\"",
            "\"payload\"",
            "\"data\"",
            "\"data_base64\"",
            "\"meta\"",
            "\"metadata\"",
            "\"events\"",
            "\"stream\"",
            "\"subject\"",
            "\"streamId\"",
            "\"seq\"",
            "\"eventNumber\"",
            "\"time\"",
            "\"created\"",
            "\"id\"",
            "\"eventId\"",
            "\"\\ud800\"",
        ])
    }

    fn format_value() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "\"A\"",
            "\"1.0\"",
            "\"\"",
            "\"\\ud800\"",
            "\"2024-03-01T09:00:00Z\"",
            "-1",
            "1.5",
            "18446744073709551616",
            "null",
            "true",
            "[]",
            "[1]",
            "{}",
            "{\"$correlationId\":\"c\",\"\\udc00\":1}",
            "{\"amount\":1}",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn export_then_import_gives_back_the_same_log(text in random_log()) {
            let log = parse_log(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            let again = parse_log(&to_rewind_json(&log)).map_err(|e| TestCaseError::fail(format!("{e}")))?;
            prop_assert_eq!(difference(&log, &again, true), None, "through Rewind JSON:\n{}", text);
            prop_assert!(same_text(&log, &again), "raw text changed through Rewind JSON:\n{}", text);
            let lines = parse_log(&to_ndjson(&log)).map_err(|e| TestCaseError::fail(format!("{e}")))?;
            prop_assert_eq!(difference(&log, &lines, false), None, "through JSON Lines:\n{}", text);
            prop_assert!(same_text(&log, &lines), "raw text changed through JSON Lines:\n{}", text);
        }

        #[test]
        fn no_bytes_panic_the_decoder_or_the_loader(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(text) = decode_bytes(bytes.clone()) {
                let _ = load_log(&text);
            }
            let _ = parse_log(&String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn no_json_lines_panic_the_loader(lines in prop::collection::vec(any_json(), 1..6), sep in prop::sample::select(vec!["\n", "\r\n", "\n\n"])) {
            let text: Vec<String> = lines.iter().map(Value::to_string).collect();
            let _ = parse_log(&text.join(sep));
        }

        #[test]
        fn no_mix_of_format_fields_panics_the_loader(
            events in prop::collection::vec(prop::collection::vec((format_key(), format_value()), 0..6), 1..4),
            layout in 0..3usize,
        ) {
            let objects: Vec<String> = events
                .iter()
                .map(|fields| format!("{{{}}}", fields.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(",")))
                .collect();
            let text = match layout {
                0 => format!("[{}]", objects.join(",")),
                1 => objects.join("\n"),
                _ => format!("{{\"events\":[{}]}}", objects.join(",")),
            };
            let _ = load_log(&text);
        }

        #[test]
        fn no_cut_or_corrupted_fixture_panics_the_loader(
            name in prop::sample::select(vec!["envelope.json", "redux.json", "events.ndjson", "cloudevents.json", "cloudevents-batch.json", "kurrentdb.json"]),
            cut in any::<prop::sample::Index>(),
            byte in any::<u8>(),
        ) {
            let mut bytes = fixture(&format!("formats/{name}")).into_bytes();
            let at = cut.index(bytes.len());
            let _ = decode_bytes(bytes[..at].to_vec()).map(|text| parse_log(&text));
            bytes[at] = byte;
            let _ = decode_bytes(bytes.clone()).map(|text| parse_log(&text));
        }
    }
}

/// Logs in the shapes other systems write (issue: real logs): what each reads to.
mod mapping_and_tolerance {
    use super::*;
    use rewind_engine::formats::{read_log, LoadOptions, Mapping};

    fn session(path: &str) -> Session {
        Session::load(path, &fixture(path)).unwrap_or_else(|e| panic!("{path} should load: {e}"))
    }

    #[test]
    fn a_nested_pascal_case_log_is_read_through_the_guessed_mapping() {
        let session = session("mapping/dotnet-nested.json");
        let (mapping, guessed) = session.mapping().expect("a mapping");
        assert!(guessed);
        assert_eq!(
            mapping.describe(),
            "type ← Event.EventType, stream ← AggregateId, time ← StoredAt, id ← Id, data ← Event.EventData"
        );
        let streams: Vec<&str> = session.active_streams().map(|(_, name)| name).collect();
        assert_eq!(streams, ["account-7", "account-9"]);
        assert_eq!(session.read_summary(), "4 events read");
        assert_eq!(when_at(&session, 4)["account-7"]["data"]["Amount"], json!(30));
        assert_eq!(session.problems(), []);
    }

    #[test]
    fn json_lines_with_name_user_id_and_at_are_read_through_the_guessed_mapping() {
        let session = session("mapping/signups.ndjson");
        assert_eq!(
            session.mapping().map(|(m, _)| m.describe()).as_deref(),
            Some("type ← name, stream ← userId, time ← at")
        );
        assert_eq!(when_at(&session, 3)["u-1"]["data"]["plan"], json!("team"));
    }

    #[test]
    fn a_corrupted_line_keeps_its_place_and_the_rest_loads() {
        let session = session("mapping/corrupted-line.ndjson");
        assert_eq!(session.len(), 7);
        assert_eq!(session.read_summary(), "6 events read; 1 could not be read: line 7");
        let problem = session.problems_at(6);
        assert_eq!(problem.len(), 1);
        assert!(
            problem[0].message.starts_with("could not be read: event 7 (line 7): the line is not JSON"),
            "{}",
            problem[0].message
        );
        assert_eq!(when_at(&session, 7)["acc-1"]["balance"], json!(120), "the unreadable line is passed over");
        // Exported back verbatim, and read back to the same log.
        let lines = rewind_engine::formats::to_ndjson(session.log());
        assert_eq!(lines.lines().last(), Some(r#"{"type":"Deposit","stream":"acc-1","am"#));
        let again = Session::load("again", &lines).unwrap();
        assert_eq!(again.read_summary(), session.read_summary());
    }

    #[test]
    fn loading_strictly_refuses_what_tolerant_loading_marks() {
        let error =
            Session::load_with("strict", &fixture("mapping/corrupted-line.ndjson"), LoadOptions::strict()).err();
        assert!(error.is_some_and(|e| e.to_string().contains("line 7")));
        let error =
            Session::load_with("strict", &fixture("mapping/kurrent-empty-type.json"), LoadOptions::strict()).err();
        assert!(error.is_some_and(|e| e.to_string().contains("[1].eventType must not be empty")));
    }

    #[test]
    fn a_kurrent_event_with_an_empty_type_is_marked_and_the_others_replay() {
        let session = session("mapping/kurrent-empty-type.json");
        assert_eq!(session.read_summary(), "2 events read; 1 could not be read: line 3");
        assert_eq!(session.domain().name(), "generic", "{}", session.choice().reason);
        assert!(session.choice().reason.contains("not store"), "{}", session.choice().reason);
    }

    #[test]
    fn the_domain_can_be_chosen_and_switching_replays() {
        let session = session("mapping/kurrent-empty-type.json");
        let store = session.with_domain(rewind_engine::domain::chosen("store").unwrap());
        assert_eq!(store.domain().name(), "store");
        assert_eq!(store.choice().reason, "you chose the store domain");
        assert!(store.problems().iter().any(|p| p.message.contains("data.sku is missing")));
        let back = store.with_domain(rewind_engine::domain::chosen("generic").unwrap());
        assert_eq!(back.problems().iter().filter(|p| p.severity == Severity::Error).count(), 0);
    }

    #[test]
    fn a_mapping_chosen_by_the_person_is_applied_and_exported_logs_need_none() {
        let mapping = Mapping { type_path: "name".into(), stream: Some("userId".into()), ..Mapping::default() };
        let options = LoadOptions { strict: false, mapping: Some(mapping.clone()) };
        let session = Session::load_with("signups", &fixture("mapping/signups.ndjson"), options).unwrap();
        assert_eq!(session.mapping(), Some((&mapping, false)));
        let exported = rewind_engine::formats::to_rewind_json(session.log());
        let again = Session::load("again", &exported).unwrap();
        assert_eq!(again.mapping(), Some((&mapping, false)), "the export names the mapping it was read with");
        assert_eq!(rewind_engine::formats::to_rewind_json(again.log()), exported);
        assert_eq!(again.state_at(3), session.state_at(3));
    }

    /// Every real log other people published (tests/fixtures/real, sources in its SOURCES.md): how
    /// it reads — events, how many could not be read, the format, the domain, and the mapping.
    #[test]
    fn every_real_log_reads_as_expected() {
        /// Events, how many could not be read, the domain and the mapping; `None`: refused.
        type Outcome = Option<(usize, usize, &'static str, Option<&'static str>)>;
        let expected: &[(&str, Outcome)] = &[
            ("cloudevents-sdk-java-base64-json-data.json", Some((1, 0, "generic", None))),
            ("cloudevents-sdk-java-json-data-with-ext.json", Some((1, 0, "generic", None))),
            ("cloudevents-sdk-java-min-subject-null.json", Some((1, 0, "generic", None))),
            ("cloudevents-sdk-javascript-structured-event-0.json", Some((1, 0, "generic", None))),
            ("cloudevents-sdk-javascript-structured-event-2.json", Some((1, 0, "generic", None))),
            ("cloudevents-spec-batch.json", Some((2, 0, "generic", None))),
            ("cloudevents-spec-data-base64.json", Some((1, 0, "generic", None))),
            ("cloudevents-spec-json-data-subject-null.json", Some((1, 0, "generic", None))),
            ("cloudevents-spec-xml-data-unset-extension-null.json", Some((1, 0, "generic", None))),
            (
                "distribution-registry-notification-envelope.json",
                Some((3, 0, "generic", Some("type ← action, stream ← target.repository, time ← timestamp, id ← id"))),
            ),
            (
                "falco-k8s-audit-create-configmap.jsonl",
                Some((1, 0, "generic", Some("type ← verb, time ← timestamp, data ← requestObject.data"))),
            ),
            (
                "kobold-registry-events.jsonl",
                Some((2, 1, "generic", Some("type ← action, stream ← target.repository, time ← timestamp, id ← id"))),
            ),
            ("kurrent-http-multiple-events.json", Some((2, 0, "generic", None))),
            ("kurrent-http-shoppingcart-events.json", Some((2, 0, "generic", None))),
            // Projection test specs, not logs: their events sit inside `input[].events`.
            ("kurrent-projection-spec-account.json", None),
            ("kurrent-projection-spec-by-category.json", None),
            ("kurrent-projection-spec-event-data.json", None),
            ("metering-sdk-messages.json", Some((9, 0, "generic", None))),
            ("redux-devtools-cli-report-export.json", Some((2, 0, "generic", None))),
            ("redux-devtools-extension-import-lifted-state.json", Some((3, 0, "generic", None))),
            (
                "tinybird-web-analytics-events.ndjson",
                Some((100, 0, "generic", Some("type ← action, stream ← session_id"))),
            ),
        ];
        let dir = format!("{}/../../tests/fixtures/real", env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            if name.ends_with(".md") {
                continue;
            }
            let want = expected.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("{name} has no expectation"));
            seen += 1;
            let text = rewind_engine::formats::decode_bytes(std::fs::read(&path).unwrap()).unwrap();
            let loaded = Session::load(&name, &text);
            match (&want.1, loaded) {
                (None, Err(_)) => {}
                (Some((events, unreadable, domain, mapping)), Ok(session)) => {
                    assert_eq!(session.len(), *events, "{name}");
                    assert_eq!(session.unreadable().len(), *unreadable, "{name}");
                    assert_eq!(session.domain().name(), *domain, "{name}: {}", session.choice().reason);
                    assert_eq!(session.mapping().map(|(m, _)| m.describe()).as_deref(), *mapping, "{name}");
                    // Whatever was read exports and reads back to the same log.
                    let exported = rewind_engine::formats::to_rewind_json(session.log());
                    let again = Session::load(&name, &exported).unwrap();
                    assert_eq!(rewind_engine::formats::to_rewind_json(again.log()), exported, "{name}");
                }
                (want, got) => panic!("{name}: expected {want:?}, got {:?}", got.map(|s| s.read_summary())),
            }
        }
        assert_eq!(seen, expected.len(), "every expectation has its file");
    }

    #[test]
    fn redux_devtools_exports_give_their_actions_and_the_state_before_them() {
        let session = session("real/redux-devtools-cli-report-export.json");
        let types: Vec<&str> = (0..session.len()).map(|p| session.type_name(session.event(p).1)).collect();
        assert_eq!(types, ["ADD_TODO", "SOME_FINAL_ACTION"]);
        assert_eq!(
            session.initial_state(),
            Some(json!({"todos": [{"text": "Use Redux", "completed": false, "id": 0}]}))
        );
        let lifted = session_of("real/redux-devtools-extension-import-lifted-state.json");
        assert_eq!(lifted.initial_state(), Some(json!(0)));
    }

    fn session_of(path: &str) -> Session {
        session(path)
    }

    #[test]
    fn cloud_events_null_attributes_are_absent_and_json_base64_data_is_decoded() {
        let null_subject = session("real/cloudevents-spec-json-data-subject-null.json");
        assert_eq!(null_subject.active_streams().map(|(_, n)| n.to_string()).collect::<Vec<_>>(), ["default"]);
        let binary = session("real/cloudevents-spec-data-base64.json");
        let meta = binary.event(0).1.meta().unwrap().to_string();
        assert!(meta.contains("rewind_note") && meta.contains("bytes of"), "{meta}");
        let json_data = Session::load(
            "b64",
            r#"{"specversion":"1.0","type":"Deposit","source":"/s","id":"1","datacontenttype":"application/json","data_base64":"eyJhbW91bnQiOjEwMH0="}"#,
        )
        .unwrap();
        assert_eq!(json_data.event(0).1.data(), r#"{"amount":100}"#);
        assert_eq!(json_data.domain().name(), "bank");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        /// On a log every event of which reads, tolerant and strict loading give the same log.
        #[test]
        fn tolerant_and_strict_loading_agree_on_every_clean_log(events in prop::collection::vec(event(), 0..40)) {
            let text = Value::Array(events).to_string();
            let strict = read_log(&text, &LoadOptions::strict()).map(|l| rewind_engine::formats::to_rewind_json(&l));
            let tolerant = read_log(&text, &LoadOptions::default()).map(|l| rewind_engine::formats::to_rewind_json(&l));
            prop_assert_eq!(strict.map_err(|e| e.to_string()), tolerant.map_err(|e| e.to_string()));
        }

        /// With a mapping, reading a slice of events at a time gives what one call gives.
        #[test]
        fn sliced_and_one_call_loads_agree_with_a_mapping(
            names in prop::collection::vec(prop::sample::select(vec!["SignedUp", "PlanChanged", ""]), 1..30),
            slice in 1usize..5,
        ) {
            let lines: Vec<String> = names.iter().enumerate()
                .map(|(i, name)| json!({"name": name, "userId": format!("u-{}", i % 3), "plan": i}).to_string())
                .collect();
            let text = lines.join("\n");
            let options = LoadOptions { strict: false, mapping: Some(Mapping { type_path: "name".into(), stream: Some("userId".into()), ..Mapping::default() }) };
            let whole = read_log(&text, &options).map(|l| rewind_engine::formats::to_rewind_json(&l)).map_err(|e| e.to_string());
            let mut reader = rewind_engine::formats::LogReader::with_options(text.as_str(), options).unwrap();
            while !reader.step(slice) {}
            let sliced = reader.finish().map(|l| rewind_engine::formats::to_rewind_json(&l)).map_err(|e| e.to_string());
            prop_assert_eq!(sliced, whole);
        }
    }
}

mod causation {
    use super::*;
    use rewind_engine::inspect::{CausationIndex, ChainEnd};

    /// The index a session builds, in slices of `slice` events, as the app does.
    fn index_of(session: &Session, slice: usize) -> CausationIndex {
        let mut build = session.causation_build();
        while !build.step(session.log(), slice) {}
        build.finish()
    }

    fn type_names(session: &Session, positions: &[usize]) -> Vec<String> {
        positions.iter().map(|&p| session.type_name(session.event(p).1).to_string()).collect()
    }

    #[test]
    fn the_kurrentdb_checkout_chain_runs_from_the_shipment_back_to_the_place_order_command() {
        let session = given_fixture("causation_checkout.json");
        assert_eq!(session.domain().name(), "store");
        assert!(session.problems().is_empty(), "{:?}", problems(&session));
        let index = index_of(&session, 3);
        // Event 8: order-3002 shipped, after its payment (5), after it was placed (2).
        let shipped = session.causation(&index, 7).unwrap();
        assert_eq!(shipped.causes, [4, 1]);
        assert_eq!(type_names(&session, &shipped.causes), ["PaymentReceived", "OrderPlaced"]);
        assert_eq!(shipped.chain_end, ChainEnd::NotInLog("a41e0c77-0b8e-4f52-b1d3-c0ffee000088".into()));
        assert_eq!(shipped.correlation_id.as_deref(), Some("checkout-88"));
        assert_eq!(shipped.correlated, [1, 2, 4, 6, 9, 10], "the rest of checkout-88, order-3003 with it");
        let placed = session.causation(&index, 1).unwrap();
        let tree: Vec<(usize, usize)> = placed.caused.iter().map(|c| (c.position, c.depth)).collect();
        assert_eq!(tree, [(4, 1), (7, 2), (10, 3)], "paid, shipped, delivered");
        assert!(session.causation(&index, 11).is_none(), "no event 12");
    }

    #[test]
    fn the_checkout_sample_replays_cleanly_with_ids_on_every_event_and_a_view_keeps_its_index() {
        let session = sample("checkout");
        assert_eq!(session.domain().name(), "store");
        assert!(session.problems().is_empty(), "{:?}", problems(&session));
        let index = index_of(&session, usize::MAX);
        assert_eq!((index.with_causation(), index.with_correlation()), (session.len(), session.len()));
        let end = when_at(&session, session.len());
        assert_eq!(end["order-3002"]["status"], json!("delivered"));
        assert_eq!(end["order-3003"]["status"], json!("shipped"));
        // A view (an event skipped) is the same log: the index built once serves it too.
        let skipped = session.with_skip(0, true);
        assert_eq!(skipped.causation(&index, 7), session.causation(&index, 7));
        // A corrected log is another log: this index is not for it.
        let goodwill =
            CorrectionDraft { stream: Some("order-3001".into()), ..draft("RefundIssued", 1, "goodwill", "e9") };
        let corrected = session.with_correction(&goodwill, "2024-06-10T12:00:00Z").unwrap();
        assert!(corrected.causation(&index, 7).is_none());
        assert!(corrected.causation(&index_of(&corrected, 5), 7).is_some());
    }

    #[test]
    fn a_log_whose_events_carry_no_causation_ids_links_nothing() {
        let session = given_fixture("classic.json");
        let index = index_of(&session, 1);
        assert_eq!((index.with_causation(), index.with_correlation()), (0, 0));
        assert!(session.causation(&index, 0).unwrap().is_unlinked());
    }
}
