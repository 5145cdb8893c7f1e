//! The contract, the sandbox, and parity with the compiled domains.
use super::*;
use proptest::prelude::*;
use rewind_engine::domain::bank::Bank;
use rewind_engine::formats::parse_log;
use rewind_engine::session::Session;
use rewind_engine::timeline::Severity;
use serde_json::json;

const CLASSIC: &str =
    r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":30},{"type":"Deposit","amount":50}]"#;

/// The script in the issue, as written there.
const CONTRACT_EXAMPLE: &str = r#"
fn init(stream) { #{ balance: 0 } }
fn apply(state, event) {
    switch event.type {
        "Deposit" => { state.balance += event.data.amount; }
        "Withdraw" => { state.balance -= event.data.amount; }
    }
    state
}
fn check(state, event) { if state.balance < 0 { "overdraft" } }
fn project_total(view, event) { view.events = (view.events ?? 0) + 1; view }
"#;

fn with_script(text: &str, source: &str) -> Session {
    let domain = ScriptDomain::compile("test", source).unwrap_or_else(|e| panic!("compiles: {e}"));
    Session::load("t", text).unwrap().with_reducer(script(source), Arc::new(domain))
}

#[test]
fn the_contract_example_gives_70_then_120_and_an_overdraft() {
    let session = with_script(CLASSIC, CONTRACT_EXAMPLE);
    assert_eq!(session.state_at(2).0, json!({"default": {"balance": 70}, "projection:total": {"events": 2}}));
    assert_eq!(session.state_at(3).0, json!({"default": {"balance": 120}, "projection:total": {"events": 3}}));
    let overdrawn =
        with_script(r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":200}]"#, CONTRACT_EXAMPLE);
    let problems: Vec<_> = overdrawn.problems().iter().map(|p| (p.position, p.severity, p.message.as_str())).collect();
    assert_eq!(problems, [(1, Severity::Violation, "overdraft")]);
}

#[test]
fn money_stays_exact_and_integers_mix_with_decimals() {
    let source = "fn apply(s, e) { s.total = (s.total ?? 0) + e.data.amount; s.exact = 0.1 + 0.2 == 0.3; s }";
    let session =
        with_script(r#"[{"type":"A","amount":0.1},{"type":"A","amount":0.2},{"type":"A","amount":1}]"#, source);
    assert_eq!(session.state_at(3).0["default"], json!({"total": 1.3, "exact": true}));
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    let error = ScriptDomain::compile("t", "fn apply(state, event) {\n    state.x = ;\n    state\n}").err().unwrap();
    assert_eq!((error.line, error.column), (Some(2), Some(15)));
    assert!(error.to_string().starts_with("line 2, column 15: "), "{error}");
    let none = ScriptDomain::compile("t", "fn reduce(s, e) { s }").err().unwrap();
    assert!(none.message.contains("no fn apply(state, event)"), "{none}");
}

#[test]
fn a_runtime_error_is_an_error_at_its_event_and_replay_goes_on() {
    let source = r#"fn apply(s, e) { if e.type == "Bad" { s.x = "text" + 1 - 1; } s.n = (s.n ?? 0) + 1; s }"#;
    let session = with_script(r#"[{"type":"A"},{"type":"Bad"},{"type":"A"}]"#, source);
    let problems = session.problems();
    assert_eq!(problems.len(), 1);
    assert_eq!((problems[0].position, problems[0].severity), (1, Severity::Error));
    assert!(problems[0].message.contains("the reducer's apply failed"), "{}", problems[0].message);
    assert_eq!(session.state_at(3).0["default"]["n"], json!(2), "the bad event is not applied; the others are");
}

#[test]
fn an_endless_loop_and_endless_recursion_stop_with_a_message_at_the_event() {
    let looping =
        with_script(r#"[{"type":"A"},{"type":"Spin"}]"#, r#"fn apply(s, e) { if e.type == "Spin" { loop {} } s }"#);
    assert!(looping.problems()[0].message.contains("stopped after 200000 operations"), "{:?}", looping.problems());
    assert_eq!(looping.problems()[0].position, 1);
    let deep = with_script(r#"[{"type":"A"}]"#, "fn down(n) { down(n + 1) } fn apply(s, e) { down(0); s }");
    assert!(deep.problems()[0].message.contains("stopped"), "{:?}", deep.problems());
}

#[test]
fn a_huge_string_or_array_stops_at_its_limit() {
    let strings = with_script(r#"[{"type":"A"}]"#, r#"fn apply(s, e) { let t = "x"; while true { t += t; } s }"#);
    assert_eq!(strings.problems().len(), 1, "{:?}", strings.problems());
    let arrays = with_script(r#"[{"type":"A"}]"#, "fn apply(s, e) { let a = []; while true { a.push(1); } s }");
    assert_eq!(arrays.problems().len(), 1, "{:?}", arrays.problems());
}

#[test]
fn the_same_events_always_give_the_same_state() {
    let first = with_script(CLASSIC, CONTRACT_EXAMPLE);
    let second = with_script(CLASSIC, CONTRACT_EXAMPLE);
    for position in 0..=3 {
        assert_eq!(first.state_at(position), second.state_at(position));
    }
}

#[test]
fn missing_fields_read_as_unit_and_an_absent_init_starts_from_an_empty_map() {
    let source = "fn apply(s, e) { s.missing = e.data.nope == (); s.id = e.id; s }";
    let session = with_script(r#"[{"type":"A","id":"e1"}]"#, source);
    assert_eq!(session.state_at(1).0["default"], json!({"missing": true, "id": "e1"}));
}

#[test]
fn a_log_carrying_its_reducer_exports_it_and_replays_with_it_when_loaded_again() {
    let session = with_script(CLASSIC, CONTRACT_EXAMPLE);
    let exported = rewind_engine::formats::to_rewind_json(session.log());
    let log = parse_log(&exported).unwrap();
    assert_eq!(log.reducer(), Some(&script(CONTRACT_EXAMPLE)));
    let domain = ScriptDomain::of_log(&log).unwrap().unwrap();
    let again = Session::load("again", &exported).unwrap().with_reducer(script(CONTRACT_EXAMPLE), Arc::new(domain));
    assert_eq!(again.state_at(3), session.state_at(3));
}

#[test]
fn blame_diff_and_skip_work_on_a_scripted_domain() {
    let session = with_script(CLASSIC, CONTRACT_EXAMPLE);
    let stream = session.stream("default").unwrap();
    let blame = session.blame(stream, 3);
    assert_eq!(blame, [(vec!["balance".to_string()], 2)]);
    let changes = session.event_changes(1);
    assert_eq!(changes.len(), 1);
    let skipped = session.with_skip(1, true);
    assert_eq!(skipped.state_at(3).0["default"]["balance"], json!(150));
}

#[test]
fn the_skeleton_has_an_arm_per_type_with_its_fields_and_compiles() {
    let log = parse_log(
        r#"[{"type":"Deposit","amount":1,"note":"x"},{"type":"Withdraw","amount":2},{"type":"Deposit","by":"ada"}]"#,
    )
    .unwrap();
    let text = skeleton(&log);
    assert!(text.contains("\"Deposit\" => {\n            // data: amount, note, by"), "{text}");
    assert!(text.contains("\"Withdraw\" => {\n            // data: amount"), "{text}");
    ScriptDomain::compile("skeleton", &text).unwrap();
}

fn bank_event() -> impl Strategy<Value = Value> {
    let types =
        prop::sample::select(vec!["AccountOpened", "Deposit", "Deposited", "Withdraw", "Withdrawn", "AccountClosed"]);
    // Not null: a script reads a null field as absent, where the compiled bank says "found null".
    let amount = prop::sample::select(vec![
        json!(100),
        json!(30),
        json!(0.1),
        json!(0.25),
        json!(0),
        json!(-5),
        json!("12"),
        json!(true),
    ]);
    let owner = prop::option::of(prop::sample::select(vec![json!("Ada"), json!(7)]));
    let stream = prop::sample::select(vec![None, Some("a"), Some("b")]);
    let has_amount = any::<bool>();
    (types, amount, owner, stream, has_amount).prop_map(|(kind, amount, owner, stream, has_amount)| {
        let mut data = serde_json::Map::new();
        if has_amount {
            data.insert("amount".into(), amount);
        }
        if let Some(owner) = owner {
            data.insert("owner".into(), owner);
        }
        let mut event = json!({"type": kind, "data": data});
        if let Some(stream) = stream {
            event["stream"] = json!(stream);
        }
        event
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// bank.rhai and the compiled bank give the same states and the same problems.
    #[test]
    fn the_bank_script_matches_the_compiled_bank(events in prop::collection::vec(bank_event(), 1..30)) {
        let text = Value::Array(events).to_string();
        let compiled = Session::load("t", &text).unwrap().with_domain(rewind_engine::domain::chosen("bank").unwrap());
        let (_, source) = BUILT_IN.iter().find(|(name, _)| *name == "bank.rhai").unwrap();
        let scripted = Session::load("t", &text).unwrap().with_reducer(script(source), Arc::new(ScriptDomain::compile("bank.rhai", source).unwrap()));
        let _ = Bank;
        for position in 0..=compiled.len() {
            prop_assert_eq!(scripted.state_at(position).0, compiled.state_at(position).0, "state at {}", position);
        }
        let problems = |s: &Session| s.problems().iter().map(|p| (p.position, p.severity, p.message.clone())).collect::<Vec<_>>();
        prop_assert_eq!(problems(&scripted), problems(&compiled));
    }
}

/// The lesson "Write the reducer": its log carries a reducer without the Withdraw arm; the check
/// fails with it and passes once the arm is written and applied.
#[test]
fn the_write_the_reducer_lesson_is_solved_by_writing_the_withdraw_arm() {
    use rewind_learn::{builtin, check, LessonView};
    let lesson = builtin().iter().find(|l| l.id == "write-the-reducer").unwrap();
    let (session, cursor) = lesson.start_session().unwrap();
    // Declared generic, so nothing computes a balance before the carried reducer replays the log.
    assert!(!check(&lesson.steps[0].check, &LessonView::new(&session, cursor)));
    let carried = session.log().reducer().unwrap().source.clone();
    // As the app does for a log that carries a reducer: replay with it.
    let given = session.with_reducer(script(&carried), Arc::new(ScriptDomain::compile("lesson", &carried).unwrap()));
    let step = &lesson.steps[0].check;
    assert_eq!(given.state_at(cursor).0["default"]["balance"], json!(150));
    assert!(!check(step, &LessonView::new(&given, cursor)), "false before the learner writes anything");
    let solved = carried.replace(
        "// \"Withdraw\" => { … }  ← your turn: take the amount off the balance",
        "\"Withdraw\" => { state.balance -= event.data.amount; }",
    );
    assert_ne!(solved, carried);
    let done = given.with_reducer(script(&solved), Arc::new(ScriptDomain::compile("lesson", &solved).unwrap()));
    assert!(check(step, &LessonView::new(&done, cursor)));
}

#[test]
fn projections_fold_the_whole_log_and_follow_the_cursor() {
    let source = format!("{CONTRACT_EXAMPLE}\nfn init_money() {{ #{{ deposited: 0 }} }}\nfn project_money(view, event) {{ if event.type == \"Deposit\" {{ view.deposited += event.data.amount; }} view }}");
    let text = r#"[{"type":"Deposit","amount":100},{"type":"Deposit","stream":"b","amount":5},{"type":"Withdraw","amount":30}]"#;
    let session = with_script(text, &source);
    assert_eq!(session.state_at(0).0, json!({"projection:money": {"deposited": 0}, "projection:total": {}}));
    assert_eq!(session.state_at(2).0["projection:money"], json!({"deposited": 105}));
    assert_eq!(session.state_at(3).0["projection:total"], json!({"events": 3}));
    let skipped = session.with_skip(0, true);
    assert_eq!(skipped.state_at(3).0["projection:money"], json!({"deposited": 5}), "a skipped event is not folded");
    let interval = session.with_snapshot_interval(1);
    for position in 0..=3 {
        assert_eq!(interval.state_at(position).0, session.state_at(position).0, "snapshots change nothing");
    }
}

/// The compiled store and store.rhai, each replaying `text`.
fn store_sessions(text: &str) -> (Session, Session) {
    let compiled = Session::load("t", text).unwrap().with_domain(rewind_engine::domain::chosen("store").unwrap());
    let (_, source) = BUILT_IN.iter().find(|(name, _)| *name == "store.rhai").unwrap();
    let domain = ScriptDomain::compile("store.rhai", source).unwrap_or_else(|e| panic!("store.rhai compiles: {e}"));
    let scripted = Session::load("t", text).unwrap().with_reducer(script(source), Arc::new(domain));
    (compiled, scripted)
}

fn problem_list(session: &Session) -> Vec<(usize, Severity, String)> {
    session.problems().iter().map(|p| (p.position, p.severity, p.message.clone())).collect()
}

/// A data field of a store event: mostly one of `good`, sometimes left out, sometimes one of `bad`
/// (the wrong kind, or a number the field cannot take), in the proportions `weights` says.
fn store_field(weights: [u32; 3], good: Vec<Value>, bad: Vec<Value>) -> BoxedStrategy<Option<Value>> {
    let [good_weight, absent_weight, bad_weight] = weights;
    prop_oneof![
        good_weight => prop::sample::select(good).prop_map(Some),
        absent_weight => Just(None),
        bad_weight => prop::sample::select(bad).prop_map(Some),
    ]
    .boxed()
}

/// A JSON number exactly as written ("9.50" stays "9.50").
fn number(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn sku() -> BoxedStrategy<Option<Value>> {
    store_field([10, 1, 1], vec![json!("a"), json!("b"), json!("c")], vec![json!(7), Value::Null, json!(["a"])])
}

/// Whole quantities, plus the ones a quantity cannot be: negative, a fraction, text.
///
/// Not generated: a whole number written as a decimal or with an exponent ("2.0", "1e2") or as
/// "-0", nor one past i64::MAX. The compiled store quotes the number's text as written and reads
/// quantities up to u64::MAX; a script sees the number after JSON → Rhai (2.0 is the decimal 2,
/// -0 is 0, 2^63 is a decimal), so it cannot say "found 2.0" or take 2^63 as a count.
fn qty() -> BoxedStrategy<Option<Value>> {
    store_field(
        [6, 4, 1],
        vec![json!(0), json!(1), json!(2), json!(3), json!(5)],
        vec![json!(-1), json!(1.5), json!("2"), Value::Null, json!(true)],
    )
}

/// Prices with and without fractions, as written in logs ("9.50", "1.5e1"), zero and negative.
///
/// Not generated: numbers near or past the decimal's range (7e28 and the like). There the compiled
/// store refuses a total it would have to round, with messages of its own, and keeps the scale the
/// number was written with; a script's numbers arrive normalised (9.50 is 9.5), so it cannot tell
/// when the compiled sum would have rounded, and Rhai's decimals round or overflow with Rhai's
/// message. For the same reason no number here is too large or too precise to read at all: the
/// script never sees such an event (converting its data to script values fails first).
/// A whole number whose sums pass i64::MAX (but stay far inside the decimal's range).
const BIG: i64 = 9_000_000_000_000_000_000;

fn price() -> BoxedStrategy<Option<Value>> {
    store_field(
        [10, 1, 1],
        vec![
            json!(9.5),
            json!(3),
            json!(0),
            json!(-2),
            json!(0.25),
            json!(1.125),
            number("9.50"),
            number("1.5e1"),
            json!(BIG),
        ],
        vec![json!("5"), Value::Null, json!(true)],
    )
}

fn amount() -> BoxedStrategy<Option<Value>> {
    store_field(
        [10, 1, 1],
        vec![
            json!(19),
            json!(10),
            json!(0.5),
            json!(0),
            json!(-5),
            json!(100),
            json!(20.25),
            number("0.10"),
            json!(1000),
            json!(BIG),
        ],
        vec![json!("19"), Value::Null, json!([])],
    )
}

fn text(values: Vec<Value>) -> BoxedStrategy<Option<Value>> {
    store_field([3, 3, 1], values, vec![json!(7), Value::Null, json!({})])
}

/// An object with the fields that are there.
fn object(fields: Vec<(&str, Option<Value>)>) -> Value {
    Value::Object(fields.into_iter().filter_map(|(name, value)| Some((name.to_string(), value?))).collect())
}

/// One of `OrderPlaced`'s items: mostly an object, sometimes something else.
fn placed_item() -> BoxedStrategy<Value> {
    prop_oneof![
        12 => (sku(), qty(), price())
            .prop_map(|(sku, qty, price)| object(vec![("sku", sku), ("qty", qty), ("price", price)])),
        1 => prop::sample::select(vec![json!(7), Value::Null, json!("a")]),
    ]
    .boxed()
}

fn placed_items() -> BoxedStrategy<Option<Value>> {
    prop_oneof![
        3 => Just(None),
        6 => prop::collection::vec(placed_item(), 0..4).prop_map(|items| Some(Value::Array(items))),
        1 => prop::sample::select(vec![Value::Null, json!({"sku": "a", "price": 1}), json!("a")]).prop_map(Some),
    ]
    .boxed()
}

/// A store event on one of a few orders (or on the default stream), of any of the store's types,
/// with data that is mostly readable and sometimes not.
///
/// Not generated: types the store does not know. The compiled store keeps their data as generic
/// fields and reports an "unknown type" problem; a script takes every type as its own.
fn store_event() -> impl Strategy<Value = Value> {
    // Fewer of the events that end an order, so orders spend time placed and paid.
    let types = prop_oneof![
        3 => Just("OrderPlaced"),
        4 => Just("ItemAdded"),
        2 => Just("ItemRemoved"),
        3 => Just("PaymentReceived"),
        2 => Just("RefundIssued"),
        1 => Just("OrderShipped"),
        1 => Just("OrderDelivered"),
        1 => Just("OrderCancelled"),
    ];
    let stream = prop::sample::select(vec![None, Some("o-1"), Some("o-2"), Some("o-3")]);
    let customer = text(vec![json!("Ada"), json!("Grace")]);
    let reason = text(vec![json!("changed mind")]);
    (types, stream, sku(), qty(), price(), amount(), customer, reason, placed_items()).prop_map(
        |(kind, stream, sku, qty, price, amount, customer, reason, items)| {
            let data = match kind {
                "OrderPlaced" => object(vec![("customer", customer), ("items", items)]),
                "ItemAdded" => object(vec![("sku", sku), ("qty", qty), ("price", price)]),
                "ItemRemoved" => object(vec![("sku", sku), ("qty", qty)]),
                "PaymentReceived" | "RefundIssued" => object(vec![("amount", amount)]),
                "OrderCancelled" => object(vec![("reason", reason)]),
                "OrderShipped" => json!({"carrier": "Parcelnet"}),
                _ => json!({}),
            };
            let mut event = json!({"type": kind, "data": data});
            if let Some(stream) = stream {
                event["stream"] = json!(stream);
            }
            event
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// store.rhai and the compiled store give the same states and the same problems.
    #[test]
    fn the_store_script_matches_the_compiled_store(events in prop::collection::vec(store_event(), 1..40)) {
        let text = Value::Array(events).to_string();
        let (compiled, scripted) = store_sessions(&text);
        for position in 0..=compiled.len() {
            prop_assert_eq!(scripted.state_at(position).0, compiled.state_at(position).0, "state at {}", position);
        }
        prop_assert_eq!(problem_list(&scripted), problem_list(&compiled));
    }
}

#[test]
fn the_store_samples_replay_the_same_with_store_rhai() {
    for id in ["store", "store-shipped-unpaid"] {
        let sample = rewind_engine::samples::find(id).unwrap();
        let (compiled, scripted) = store_sessions(sample.text);
        let end = compiled.len();
        assert_eq!(scripted.state_at(end).0, compiled.state_at(end).0, "{id}: final state");
        assert_eq!(problem_list(&scripted), problem_list(&compiled), "{id}: problems");
    }
}

/// The compiled store's own cases of unreadable data: store.rhai says each the same way.
#[test]
fn the_store_script_names_unreadable_data_as_the_compiled_store_does() {
    let placed = r#"{"type":"OrderPlaced","stream":"o-1","data":{"items":[{"sku":"a","price":1}]}}"#;
    let cases = [
        (r#"{"items":[{"sku":"a","price":1},{"sku":"b","price":"2"}]}"#, "OrderPlaced"),
        (r#"{"items":[{"price":1}]}"#, "OrderPlaced"),
        (r#"{"items":[{"sku":"a","qty":1.5,"price":1}]}"#, "OrderPlaced"),
        (r#"{"items":[{"sku":"a","qty":-1,"price":1}]}"#, "OrderPlaced"),
        (r#"{"items":[7]}"#, "OrderPlaced"),
        (r#"{"items":{"sku":"a"}}"#, "OrderPlaced"),
        (r#"{"customer":1}"#, "OrderPlaced"),
        (r#"{"sku":"a","price":"2"}"#, "ItemAdded"),
        (r#"{"sku":"a","qty":"1","price":2}"#, "ItemAdded"),
        (r#"{"price":2}"#, "ItemAdded"),
        (r#"{"qty":1}"#, "ItemRemoved"),
        (r#"{"sku":"a","qty":0.5}"#, "ItemRemoved"),
        (r#"{"amount":"19"}"#, "PaymentReceived"),
        (r#"{}"#, "RefundIssued"),
        (r#"{"reason":false}"#, "OrderCancelled"),
    ];
    for (data, kind) in cases {
        let text = format!(r#"[{placed},{{"type":"{kind}","stream":"o-1","data":{data}}}]"#);
        let (compiled, scripted) = store_sessions(&text);
        let problems = problem_list(&compiled);
        assert_eq!(problems.len(), 1, "{kind} {data}: {problems:?}");
        assert_eq!(problems[0].1, Severity::Error, "{kind} {data}");
        assert_eq!(problem_list(&scripted), problems, "{kind} {data}");
        assert_eq!(scripted.state_at(2).0, compiled.state_at(2).0, "{kind} {data}: not applied");
    }
}

#[test]
fn a_projection_charts_after_every_event_and_from_its_snapshots_on_a_long_log() {
    use rewind_engine::session::ChartSource;
    let source = "fn apply(s, e) { s } fn project_money(view, event) { view.total = (view.total ?? 0) + event.data.amount; view }";
    let session = with_script(CLASSIC, source);
    assert_eq!(session.projection_names(), ["money"]);
    let money = ChartSource::Projection("money".into());
    let total = vec!["total".to_string()];
    assert_eq!(session.numeric_paths(&money), vec![total.clone()]);
    let values: Vec<_> = session.series(&money, &total).iter().map(|p| (p.position, p.value)).collect();
    assert_eq!(values, [(0, Some(100.0)), (1, Some(130.0)), (2, Some(180.0))]);
    assert!(session.series(&ChartSource::Projection("nope".into()), &total).is_empty());

    let events: Vec<Value> = (0..6_000).map(|_| json!({"type": "Deposit", "amount": 1})).collect();
    let long = with_script(&Value::Array(events).to_string(), source);
    let points = long.series(&money, &total);
    let interval = long.snapshot_interval();
    assert_eq!(points.len(), 6_000 / interval, "one point per snapshot");
    for point in points {
        assert_eq!(point.value, Some((point.position + 1) as f64), "the view after the event at {}", point.position);
    }
}

#[test]
fn a_constant_map_assigned_to_does_not_panic_the_replay() {
    // Rhai 1.27's optimizer folded the constant into the assignment and panicked.
    let session = with_script(CLASSIC, "fn apply(state, event) { const s = #{}; s.x = 1; state }");
    assert!(session.problems().len() <= 3, "an error at the events at worst: {:?}", session.problems());
}
