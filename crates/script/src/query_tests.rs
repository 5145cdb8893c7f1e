//! Expressions at a position, and the scan over every position against a naive one.
use super::*;
use proptest::prelude::*;
use rewind_engine::session::Session;
use serde_json::json;

const CLASSIC: &str =
    r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":30},{"type":"Deposit","amount":50}]"#;

fn classic() -> Session {
    Session::load("t", CLASSIC).unwrap()
}

fn expression(source: &str) -> Expression {
    Expression::compile(source).unwrap_or_else(|e| panic!("{source:?} compiles: {e}"))
}

/// What a watch shows after `position` events.
fn shown(session: &Session, source: &str, position: usize) -> String {
    match expression(source).value_at(session, position, None) {
        Ok(value) => display(&value),
        Err(error) => format!("error: {error}"),
    }
}

/// Matches found by the walking scan, in slices of `slice` events.
fn matches(session: &Session, source: &str, slice: usize) -> (Vec<usize>, Option<(usize, String)>) {
    let expression = expression(source);
    let mut search = MatchSearch::new(&expression, session);
    while !search.step(slice) {
        assert!(search.done() < search.total());
    }
    assert_eq!(search.done(), search.total());
    search.finish()
}

/// The reference: the expression asked from scratch at every position.
fn naive_matches(session: &Session, source: &str) -> Vec<usize> {
    let expression = expression(source);
    let held: Vec<bool> = (0..=session.len())
        .map(|p| holds(&expression.value_at(session, p, Some(&session.state_at(p).0))).unwrap_or(false))
        .collect();
    (0..held.len()).filter(|&p| held[p] && (p == 0 || !held[p - 1])).collect()
}

#[test]
fn on_the_classic_log_a_balance_under_100_matches_after_the_withdraw() {
    let session = classic();
    assert_eq!(matches(&session, "stream.balance < 100", 1).0, [2]);
    assert_eq!(naive_matches(&session, "stream.balance < 100"), [2]);
    let balances: Vec<String> = (0..=3).map(|p| shown(&session, "stream.balance", p)).collect();
    assert_eq!(balances, ["()", "100", "70", "120"], "position p is after p events");
    assert_eq!(shown(&session, "event.type", 2), r#""Withdraw""#);
    assert_eq!(shown(&session, "event.data.amount", 3), "50");
}

#[test]
fn a_match_is_where_it_starts_to_hold_and_position_0_counts() {
    let session = classic();
    assert_eq!(matches(&session, "true", 2).0, [0], "holding all along is one match, at 0");
    assert_eq!(matches(&session, r#"event.type == "Deposit""#, 2).0, [1, 3], "held, stopped, held again");
    assert_eq!(matches(&session, "len(state) == 0", 2).0, [0]);
    assert_eq!(matches(&session, "false", 2).0, Vec::<usize>::new());
}

#[test]
fn a_missing_stream_or_field_reads_as_unit() {
    let session = classic();
    for source in [
        "stream.nope",
        "event.data.nope",
        "event.data.nope.deeper",
        r#"state["nobody"]"#,
        r#"state["nobody"].balance"#,
        "state.nobody.balance",
        "event.meta",
    ] {
        assert_eq!(shown(&session, source, 2), "()", "{source}");
    }
    assert_eq!(shown(&session, "stream.balance", 0), "()", "no stream before its first event");
    assert_eq!(shown(&session, "event", 0), "()", "no event before the first");
    assert_eq!(shown(&session, r#"state["default"].balance"#, 2), "70");
    assert_eq!(shown(&session, r#""default" in state && !("x" in state)"#, 1), "true");
    assert_eq!(shown(&session, "keys(state)", 1), r#"["default"]"#);
    assert_eq!(shown(&session, "state", 2), r#"{"default":{"balance":70,"status":"open","transactions":2}}"#);
}

#[test]
fn an_error_counts_as_false_where_it_happens_and_is_told() {
    let session = classic();
    // Division by zero at balance 70 (position 2); `() - 70` fails at position 0.
    let source = "1 / (stream.balance - 70) == 0";
    let (found, problem) = matches(&session, source, 1);
    assert_eq!(found, [1, 3]);
    assert_eq!(naive_matches(&session, source), [1, 3]);
    let (position, why) = problem.expect("the first failure is kept");
    assert_eq!(position, 0);
    assert!(why.contains("(column "), "{why}");
    assert!(shown(&session, source, 2).starts_with("error: "), "a watch shows the error");
    let (found, problem) = matches(&session, "stream.balance", 1);
    assert!(found.is_empty());
    assert_eq!(problem, Some((0, "the expression gave (), not true or false".into())));
    assert_eq!(shown(&session, r#"throw "no""#, 1), "error: no");
}

#[test]
fn a_syntax_error_or_an_unknown_variable_is_told_at_once_with_its_column() {
    let error = Expression::compile("stream.balance < ").err().unwrap();
    assert_eq!((error.line, error.column), (Some(1), Some(18)), "{error}");
    let error = Expression::compile("stream.balance <> 100").err().unwrap();
    assert_eq!(error.column, Some(17), "{error}");
    let error = Expression::compile("balance < 100").err().unwrap();
    assert_eq!(error.column, Some(1));
    assert!(error.message.contains("balance"), "{error}");
    assert!(error.to_string().starts_with("line 1, column 1: "), "{error}");
}

#[test]
fn an_evaluation_changes_nothing_the_next_one_sees() {
    let session = classic();
    for source in ["state.hack = 1", r#"state["default"].balance = 0"#, "stream.balance = 0; stream.balance"] {
        let expression = expression(source);
        let mut scan = Scan::new(&expression, &session);
        while !scan.step(1, &mut |_, _| {}) {}
    }
    let expression =
        expression(r#"state["default"].balance = 0; [len(state), state["default"].balance, stream.balance]"#);
    let mut seen = Vec::new();
    let mut scan = Scan::new(&expression, &session);
    while !scan.step(1, &mut |p, v| seen.push((p, v.map(|v| display(&v))))) {}
    assert_eq!(seen[2], (2, Ok("[1,70,70]".into())), "{seen:?}");
    let shared = expression.value_at(&session, 2, None).map(|v| display(&v));
    assert_eq!(shared, Ok("[1,70,70]".into()));
}

#[test]
fn the_scan_names_only_the_variables_it_needs() {
    assert!(!expression("stream.balance < 100").uses_state());
    assert!(expression(r#"state["a"].balance > 0"#).uses_state());
    assert!(!expression(r#"let state = 1; state"#).uses_state(), "a variable of its own");
    assert!(!expression(r#""state""#).uses_state());
}

#[test]
fn a_series_keeps_each_columns_lowest_and_highest_number() {
    let session = classic();
    let expression = expression("stream.balance");
    let mut series = SeriesScan::new(&expression, &session, 100);
    while !series.step(1) {}
    assert_eq!(series.finish(), [None, Some((100.0, 100.0)), Some((70.0, 70.0)), Some((120.0, 120.0))]);
    let mut series = SeriesScan::new(&expression, &session, 2);
    while !series.step(2) {}
    assert_eq!(series.finish(), [Some((100.0, 100.0)), Some((70.0, 120.0))]);
    let text = expression_series(&session, "event.type", 10);
    assert!(text.is_empty(), "not a number: no sparkline");
    assert_eq!(as_number(&Dynamic::from_decimal(rust_decimal::Decimal::new(125, 2))), Some(1.25));
}

fn expression_series(session: &Session, source: &str, columns: usize) -> Vec<Option<(f64, f64)>> {
    let expression = expression(source);
    let mut series = SeriesScan::new(&expression, session, columns);
    while !series.step(usize::MAX) {}
    series.finish()
}

#[test]
fn an_endless_expression_stops_and_counts_as_false() {
    let session = classic();
    let (found, problem) = matches(&session, "loop {}", 10);
    assert!(found.is_empty());
    assert!(problem.unwrap().1.contains("stopped after"));
}

fn event() -> impl Strategy<Value = Value> {
    let kind = prop::sample::select(vec!["AccountOpened", "Deposit", "Withdraw", "AccountClosed", "Audit"]);
    let amount = prop::sample::select(vec![json!(100), json!(30), json!(45), json!(0.5), json!("x")]);
    let stream = prop::sample::select(vec![None, Some("a"), Some("b"), Some("c")]);
    (kind, prop::option::of(amount), stream).prop_map(|(kind, amount, stream)| {
        let mut event = json!({"type": kind, "data": {}});
        if let Some(amount) = amount {
            event["data"]["amount"] = amount;
        }
        if let Some(stream) = stream {
            event["stream"] = json!(stream);
        }
        event
    })
}

const EXPRESSIONS: &[&str] = &[
    "stream.balance < 100",
    r#"event.type == "Withdraw" && stream.balance > 50"#,
    "len(state) >= 2",
    r#"state["a"].balance > state["b"].balance"#,
    "event.data.amount > 40",
    "stream.balance / (event.data.amount - 30) > 1",
    r#"stream.status == "closed" || "c" in state"#,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    /// The walking scan finds exactly what asking from scratch at every position finds, in any
    /// slicing, in any view of the log (skips, the other order).
    #[test]
    fn the_scan_finds_what_a_naive_scan_finds(
        events in prop::collection::vec(event(), 1..25),
        which in 0..EXPRESSIONS.len(),
        slice in 1usize..7,
        skip in prop::option::of(0usize..25),
        generic in any::<bool>(),
    ) {
        let text = Value::Array(events).to_string();
        let mut session = Session::load("t", &text).unwrap();
        if generic {
            session = session.with_domain(rewind_engine::domain::chosen("generic").unwrap());
        }
        if let Some(skip) = skip.filter(|&s| s < session.len()) {
            session = session.with_skip(skip, true);
        }
        let source = EXPRESSIONS[which];
        prop_assert_eq!(matches(&session, source, slice).0, naive_matches(&session, source), "{}", source);
        let expression = expression(source);
        let mut scan = Scan::new(&expression, &session);
        let mut values = Vec::new();
        while !scan.step(slice, &mut |p, v| values.push((p, v.map(|v| display(&v))))) {}
        let naive: Vec<_> = (0..=session.len())
            .map(|p| (p, expression.value_at(&session, p, None).map(|v| display(&v))))
            .collect();
        prop_assert_eq!(values, naive);
    }
}

/// Pieces of expressions a person might type, glued at random.
const TOKENS: &[&str] = &[
    "stream",
    "event",
    "state",
    ".",
    "balance",
    "data",
    "amount",
    "type",
    "[",
    "]",
    "(",
    ")",
    "#{",
    "}",
    "{",
    "=",
    "==",
    "<",
    "+",
    "-",
    "/",
    "*",
    "!",
    "&&",
    "||",
    "?.",
    "??",
    ";",
    ",",
    "1",
    "0",
    "0.5",
    "\"a\"",
    "\"default\"",
    "let s",
    "const s",
    "s",
    "x",
    "if",
    "else",
    "loop",
    "while",
    "true",
    "throw",
    "fn f()",
    "f()",
    "len",
    "keys",
    " in ",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Whatever is typed, compiling and evaluating it everywhere gives a value or an error,
    /// never a panic.
    #[test]
    fn no_expression_panics(tokens in prop::collection::vec(prop::sample::select(TOKENS), 1..12)) {
        let source = tokens.concat();
        if let Ok(expression) = Expression::compile(&source) {
            let session = classic();
            let mut scan = Scan::new(&expression, &session);
            while !scan.step(2, &mut |_, _| {}) {}
            for position in 0..=session.len() {
                let _ = expression.value_at(&session, position, None);
            }
        }
    }
}

#[test]
fn a_constant_map_given_a_field_is_no_panic() {
    // Rhai's optimizer would fold the constant in and panic: expressions are not optimized.
    assert_eq!(shown(&classic(), "const s = #{}; s.x = 1; s", 1), r#"{"x":1}"#);
}
