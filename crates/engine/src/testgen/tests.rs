use super::*;
use crate::generate::{generate_log, GenerateOptions};
use crate::samples;
use serde_json::json;

fn sample(id: &str) -> Session {
    let sample = samples::find(id).unwrap();
    Session::load(sample.id, sample.text).unwrap()
}

fn repository_file(path: &str) -> String {
    let path = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn escapes() -> Session {
    Session::load("tests/fixtures/escapes.json", &repository_file("tests/fixtures/escapes.json")).unwrap()
}

/// The test for the stream of the event at `cursor` (none focused).
fn at_cursor(session: &Session, cursor: usize) -> GeneratedTest {
    generate(session, None, cursor).unwrap()
}

fn event(type_name: &str, data: Value) -> FixtureEvent {
    FixtureEvent { type_name: type_name.into(), id: None, recorded_at: None, effective_at: None, data, meta: None }
}

#[test]
fn the_classic_log_gives_its_earlier_events_the_event_at_the_cursor_and_the_state_after_it() {
    let session = sample("bank");
    let deposit = |amount: u32| event("Deposit", json!({ "amount": amount }));
    let withdraw = event("Withdraw", json!({"amount": 30}));
    let expected = [
        (vec![], deposit(100), 100, 1),
        (vec![deposit(100)], withdraw.clone(), 70, 2),
        (vec![deposit(100), withdraw.clone()], deposit(50), 120, 3),
    ];
    for (cursor, (given, when, balance, transactions)) in (1..).zip(expected) {
        let test = at_cursor(&session, cursor);
        let fixture = &test.fixture;
        assert_eq!((test.position, &test.note), (cursor - 1, &None), "at {cursor}");
        assert_eq!(
            (fixture.domain.as_str(), fixture.stream.as_str(), fixture.reducer.as_ref()),
            ("bank", "default", None)
        );
        assert_eq!(fixture.given, given, "at {cursor}");
        assert_eq!(fixture.when, when, "at {cursor}");
        let state = json!({"status": "open", "balance": balance, "transactions": transactions});
        assert_eq!(fixture.then, Then { state, violations: vec![], errors: vec![], unknown: vec![] }, "at {cursor}");
        assert_eq!(fixture.event, Some(cursor));
    }
    assert_eq!(at_cursor(&session, 3).fixture.name, "default_deposit_event_3");
    let stream = session.stream("default").unwrap();
    assert_eq!(generate(&session, Some(stream), 99).unwrap().position, 2, "a cursor past the end is at the end");
    let start = generate(&session, Some(stream), 0).unwrap_err();
    assert_eq!(start, "The cursor is at the start of the log: move it to an event first.");
    assert_eq!(generate(&session, None, 0).unwrap_err(), start, "with no stream focused too");
}

#[test]
fn an_overdraft_is_a_violation_the_test_expects_word_for_word() {
    let test = at_cursor(&sample("bank-typo"), 3);
    let fixture = &test.fixture;
    assert_eq!(fixture.name, "acc_42_withdraw_event_3");
    assert_eq!(
        fixture.given,
        [event("AccountOpened", json!({"owner": "Sam"})), event("Deposit", json!({"amount": 250}))]
    );
    assert_eq!(fixture.when, event("Withdraw", json!({"amount": 300})), "meta is left out for a compiled domain");
    assert_eq!(fixture.then.state, json!({"status": "open", "owner": "Sam", "balance": -50, "transactions": 2}));
    assert_eq!(fixture.then.violations, ["withdrawal of 300 exceeds the balance of 250"]);
    assert!(fixture.then.errors.is_empty() && fixture.then.unknown.is_empty());
    assert!(fixture.to_json().contains(r#""violations": ["withdrawal of 300 exceeds the balance of 250"]"#));
    let rust = fixture.to_rust();
    let problems = r##"let problems = r#"[["violation", "withdrawal of 300 exceeds the balance of 250"]]"#;"##;
    assert!(rust.contains(problems), "{rust}");
}

#[test]
fn unreadable_data_is_an_error_the_test_expects() {
    let session = Session::load("t", r#"[{"type":"Deposit","amount":100},{"type":"Deposit","amount":"5"}]"#).unwrap();
    let then = at_cursor(&session, 2).fixture.then;
    assert_eq!(then.errors, ["data.amount must be a number, found a string"]);
    assert_eq!(then.state["balance"], json!(100), "not applied");
}

#[test]
fn when_the_event_at_the_cursor_is_on_another_stream_the_streams_last_event_before_it_is_used_and_named() {
    let session = sample("store");
    let order_1002 = session.stream("order-1002").unwrap();
    // Event 4 is order-1001's payment; order-1002's last event before it is event 3.
    let test = generate(&session, Some(order_1002), 4).unwrap();
    assert_eq!(test.position, 2);
    assert_eq!(test.fixture.when.type_name, "OrderPlaced");
    assert!(test.fixture.given.is_empty());
    assert_eq!(
        test.note.as_deref(),
        Some(
            "The event at the cursor (event 4, PaymentReceived) is on stream order-1001: this test is for the last \
             event of order-1002 at or before it, event 3 (OrderPlaced)."
        )
    );
    assert_eq!(test.fixture.then.state, session.stream_state_at(order_1002, 3));
    let none = generate(&session, Some(order_1002), 2).unwrap_err();
    assert_eq!(none, "Stream order-1002 has no event at or before event 2.");
}

#[test]
fn a_skipped_event_is_neither_given_nor_when() {
    let session = sample("bank").with_skip(1, true);
    let stream = session.stream("default").unwrap();
    let test = generate(&session, Some(stream), 3).unwrap();
    assert_eq!(test.fixture.given, [event("Deposit", json!({"amount": 100}))], "the skipped withdrawal is left out");
    assert_eq!(test.fixture.then.state["balance"], json!(150));
    let test = generate(&session, Some(stream), 2).unwrap();
    assert_eq!(test.position, 0);
    assert!(test.note.unwrap().contains("(event 2, Withdraw) is skipped (replayed as if missing)"));
}

#[test]
fn in_effective_time_order_the_given_events_are_in_the_order_replayed() {
    let text = r#"[
        {"type": "Deposit", "amount": 100, "recorded_at": "2024-01-01T00:00:00Z"},
        {"type": "Withdraw", "amount": 30, "recorded_at": "2024-01-03T00:00:00Z"},
        {"type": "Deposit", "amount": 50, "recorded_at": "2024-01-04T00:00:00Z", "effective_at": "2024-01-02T00:00:00Z"}
    ]"#;
    let session = Session::load("t", text).unwrap().with_order(crate::plan::TimelineOrder::AsEffective);
    let test = at_cursor(&session, 3);
    assert_eq!(test.fixture.when, event("Withdraw", json!({"amount": 30})));
    assert_eq!(test.fixture.given, [event("Deposit", json!({"amount": 100})), event("Deposit", json!({"amount": 50}))]);
    assert_eq!(test.fixture.then.state["balance"], json!(120));
    assert!(run_fixture(&test.fixture).unwrap().passed());
}

#[test]
fn an_unreadable_event_at_the_cursor_is_passed_over_and_named() {
    let session =
        Session::load("t", r#"[{"type": "Deposit", "amount": 100}, 42, {"type": "Deposit", "amount": 5}]"#).unwrap();
    let stream = session.stream("default").unwrap();
    let test = generate(&session, Some(stream), 2).unwrap();
    assert_eq!((test.position, test.fixture.given.len()), (0, 0));
    assert!(test.note.unwrap().contains("(event 2, (unreadable)) could not be read"));
    let test = generate(&session, Some(stream), 3).unwrap();
    assert_eq!(test.fixture.given, [event("Deposit", json!({"amount": 100}))], "the unreadable event is not given");
    assert!(run_fixture(&test.fixture).unwrap().passed());
}

#[test]
fn data_keeps_its_numbers_exactly_as_written() {
    let test = at_cursor(&sample("store"), 4);
    assert_eq!(test.fixture.when.data.to_string(), r#"{"amount":54.90}"#);
    let json = test.fixture_json();
    assert!(json.contains(r#""when": {"type": "PaymentReceived", "data": {"amount": 54.90}}"#), "{json}");
    assert!(json.contains(r#""price": 39.90"#), "{json}");
    assert!(test.rust_test().contains(r#""data": {"amount": 54.90}"#));
}

#[test]
fn test_names_are_rust_identifiers_made_from_the_stream_and_the_event() {
    assert_eq!(test_name("order-1001", "PaymentReceived", 4), "order_1001_payment_received_event_4");
    assert_eq!(test_name("42", "deposit", 1), "stream_42_deposit_event_1");
    assert_eq!(test_name("Ärger \"x\" <b>", "", 2), "rger_x_b_event_2");
    assert_eq!(test_name("ü", "€", 3), "stream_event_3");
    assert_eq!(test_name("fn", "match", 5), "fn_match_event_5", "never a keyword: the suffix follows");
    assert_eq!(test_name("HTTPServer", "v2Started", 6), "httpserver_v2_started_event_6");
    let long = test_name(&"a".repeat(500), "B", 7);
    assert!(long.len() < 60, "{long}");
}

#[test]
fn a_let_line_is_laid_out_as_rustfmt_lays_it_out() {
    let literal = |n: usize| format!("\"{}\"", "z".repeat(n));
    // `    let problems = ` is 19 characters, the `;` one more: 120 fit on a line.
    assert_eq!(let_line("problems", &literal(98)), format!("    let problems = {};\n", literal(98)));
    assert_eq!(let_line("problems", &literal(100)), format!("    let problems =\n        {};\n", literal(100)));
    // Too long even on a line of its own: left where it is.
    assert_eq!(let_line("problems", &literal(112)), format!("    let problems = {};\n", literal(112)));
    let lines = format!("r#\"{}\nend\"#", "y".repeat(130));
    assert_eq!(let_line("log", &lines), format!("    let log = {lines};\n"), "several lines stay put");
}

#[test]
fn rust_strings_hold_exactly_their_text() {
    assert_eq!(rust_string("default"), r#""default""#);
    assert_eq!(rust_string("say \"hi\""), r##"r#"say "hi""#"##);
    assert_eq!(rust_string("a \"# b"), r###"r##"a "# b"##"###, "one # more than the text has after a quote");
    assert_eq!(rust_string("back\\slash"), r##"r#"back\slash"#"##);
    assert_eq!(rust_string("two\nlines"), "r#\"two\nlines\"#");
    // What a raw string cannot hold is escaped.
    assert_eq!(rust_string("cr\r\n\"q\" \u{202E}x"), r#""cr\r\n\"q\" \u{202e}x""#);
    assert_eq!(rust_string("nul\u{0}"), r#""nul\u{0}""#);
    assert_eq!(rust_safe_json(&json_string("a\u{2067}b")), r#""a\u2067b""#);
    assert_eq!(comment_text("two\nlines \u{202E}"), r#""two\nlines \u202e""#, "a newline cannot end the comment");
}

#[test]
fn strings_that_need_escaping_survive_both_forms() {
    let session = escapes();
    let test = at_cursor(&session, 7);
    let fixture = &test.fixture;
    assert_eq!(fixture.name, "acc_7_b_b_x_account_closed_event_7");
    assert_eq!(Fixture::parse(&fixture.to_json()).unwrap(), *fixture);
    assert_eq!(fixture.then.state["unknown_events"]["data"]["rate"].to_string(), "0.020");
    let unknown = at_cursor(&session, 6).fixture.then;
    assert_eq!(unknown.unknown, ["bank has no event type \"InterestAccrued\"; its data is kept as generic fields"]);
    assert_eq!(
        fixture.then.violations,
        ["account acc \"7\" \\ <b>ü</b> \u{2067}x\u{2069} was closed with a balance of -999.705"]
    );
    let rust = test.rust_test();
    assert!(!rust.contains(is_direction_control), "direction controls are escaped: {rust}");
    assert!(rust.contains(r#"let stream = "acc \"7\" \\ <b>ü</b> \u{2067}x\u{2069}";"#), "{rust}");
    assert!(rust.contains(r#""big": 12345678901234567890.123456789"#), "{rust}");
    assert!(run_fixture(fixture).unwrap().passed());
}

/// Every sample, every position, the stream of the event there: the fixture reads back as it was
/// written and passes when run.
#[test]
fn every_fixture_generated_from_the_samples_reads_back_and_passes() {
    for sample in samples::SAMPLES {
        let session = Session::load(sample.id, sample.text).unwrap();
        for cursor in 1..=session.len() {
            let fixture = at_cursor(&session, cursor).fixture;
            let text = fixture.to_json();
            assert_eq!(Fixture::parse(&text).as_ref(), Ok(&fixture), "{text}");
            let run = run_fixture(&fixture).unwrap();
            assert!(run.passed(), "{}: {run}", sample.id);
        }
    }
}

#[test]
fn the_runner_catches_a_wrong_state_and_wrong_problems_and_says_where() {
    let mut fixture = at_cursor(&sample("bank"), 2).fixture;
    fixture.then.state["balance"] = json!(999);
    fixture.then.state["owner"] = json!("Ann");
    fixture.then.state.as_object_mut().unwrap().remove("transactions");
    fixture.then.violations.push("account default is closed".into());
    let run = run_fixture(&fixture).unwrap();
    assert!(!run.passed());
    assert_eq!(
        run.differences,
        [
            "then.state.balance: expected 999, found 70",
            "then.state.owner: expected \"Ann\", missing",
            "then.state.transactions: not expected, found 2",
            "then.violations: expected [\"account default is closed\"], found []",
        ]
    );
    assert_eq!(
        run.to_string(),
        "default_withdraw_event_2: FAIL\n  then.state.balance: expected 999, found 70\n  then.state.owner: \
         expected \"Ann\", missing\n  then.state.transactions: not expected, found 2\n  then.violations: expected \
         [\"account default is closed\"], found []"
    );
}

#[test]
fn the_runner_compares_numbers_by_value_and_events_by_what_they_do() {
    let mut fixture = at_cursor(&sample("bank"), 2).fixture;
    fixture.then.state["balance"] = serde_json::from_str("70.00").unwrap();
    assert!(run_fixture(&fixture).unwrap().passed(), "70.00 is 70");
    fixture.given[0].data = json!({"amount": 130});
    let run = run_fixture(&fixture).unwrap();
    assert_eq!(run.differences, ["then.state.balance: expected 70.00, found 100"]);
}

#[test]
fn the_runner_refuses_what_it_cannot_run_and_says_why() {
    let fixture = at_cursor(&sample("bank"), 1).fixture;
    let named = |domain: &str| Fixture { domain: domain.into(), ..fixture.clone() };
    assert_eq!(
        run_fixture(&named("payments")).unwrap_err(),
        "default_deposit_event_1: no registered domain is called \"payments\""
    );
    assert!(run_fixture(&named("BANK")).unwrap().passed(), "a domain is found in any case");
    let script = Fixture {
        reducer: Some(ReducerScript { language: "rhai".into(), source: "fn apply(s, e) { s }".into() }),
        ..fixture.clone()
    };
    assert!(run_fixture(&script).unwrap_err().contains("run it with rewind_script::run_fixture"));
    let unreadable = Fixture { when: event("Deposit", json!([1])), ..fixture };
    let error = run_fixture(&unreadable).unwrap_err();
    assert!(error.starts_with("default_deposit_event_1: the fixture's events do not load: "), "{error}");
}

#[test]
fn a_fixture_of_a_newer_format_or_with_unknown_fields_is_refused() {
    let text = at_cursor(&sample("bank"), 1).fixture_json();
    let newer = text.replace("\"rewind_test\": 1", "\"rewind_test\": 2");
    assert_eq!(
        Fixture::parse(&newer).unwrap_err(),
        "the fixture is format version 2; this Rewind reads version 1 and older"
    );
    let unknown = text.replace("\"stream\":", "\"colour\": 1, \"stream\":");
    assert!(Fixture::parse(&unknown).unwrap_err().contains("unknown field `colour`"));
    assert!(Fixture::parse("{\"name\": \"x\"}")
        .unwrap_err()
        .contains("\"rewind_test\" (its format version) is missing"));
    assert!(Fixture::parse("[1]").unwrap_err().starts_with("not a Rewind test fixture"));
}

#[test]
fn a_stream_longer_than_a_test_holds_is_refused_with_its_length() {
    let options = GenerateOptions { streams: 1, ..GenerateOptions::bank(MAX_EVENTS + 5) };
    let session = Session::load("t", &generate_log(options)).unwrap();
    let stream = session.stream("acc-0000").unwrap();
    let test = generate(&session, Some(stream), MAX_EVENTS).unwrap();
    assert_eq!(test.fixture.given.len(), MAX_EVENTS - 1);
    assert!(run_fixture(&test.fixture).unwrap().passed());
    let error = generate(&session, Some(stream), MAX_EVENTS + 5).unwrap_err();
    assert!(error.starts_with("Stream acc-0000 has 5,005 events up to this one; a generated test holds at most 5,000."));
}

/// What the generator wrote into the repository, path by path: the Rust tests `cargo test` runs
/// (`crates/engine/tests/generated.rs`) and the fixtures the integration test runs. Set
/// `REWIND_BLESS=1` to write them again after the generator or a domain changed on purpose.
fn committed() -> Vec<(String, String)> {
    let bank = at_cursor(&sample("bank"), 2);
    let typo = at_cursor(&sample("bank-typo"), 3);
    let store = at_cursor(&sample("store"), 4);
    let escaped = at_cursor(&escapes(), 7);
    let rust = format!("{GENERATED_RUST_HEADER}\n{}\n{}\n{}", bank.rust_test(), typo.rust_test(), escaped.rust_test());
    let mut files = vec![("crates/engine/tests/generated.rs".to_string(), rust)];
    for (prefix, test) in [("bank", &bank), ("bank-typo", &typo), ("store", &store), ("escapes", &escaped)] {
        let path = format!("tests/fixtures/generated/{prefix}-{}", test.fixture_file_name());
        files.push((path, test.fixture_json()));
    }
    files
}

const GENERATED_RUST_HEADER: &str = "\
//! Made by Rewind's test generator, not by hand: each test is `testgen::Fixture::to_rust` of one
//! position of a sample (bank at event 2, bank-typo at event 3) or of tests/fixtures/escapes.json
//! (event 7, every string there needs escaping). The engine's unit test
//! `the_committed_generated_files_are_what_the_generator_writes` fails if this file drifts from
//! what the generator writes; `REWIND_BLESS=1 cargo test -p rewind-engine --lib testgen` writes it
//! again.
";

#[test]
fn the_committed_generated_files_are_what_the_generator_writes() {
    let bless = std::env::var_os("REWIND_BLESS").is_some();
    for (path, text) in committed() {
        let full = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
        if bless {
            std::fs::write(&full, &text).unwrap_or_else(|e| panic!("{full}: {e}"));
        }
        assert!(repository_file(&path) == text, "{path} differs from what the generator writes now:\n{text}");
    }
}
