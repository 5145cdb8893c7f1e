//! The script sandbox's limits (issue 18): endless loops, deep recursion, huge strings, arrays and
//! maps each stop at a limit, with a message at the event that ran them; the events before and
//! after still replay, and no script holds the page for long.
use rewind_engine::session::Session;
use rewind_engine::timeline::Severity;
use rewind_script::{script, ScriptDomain};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Three events; the second (position 1) is the one the scripts below misbehave at.
const LOG: &str = r#"[{"type":"A","stream":"s"},{"type":"Bad","stream":"s"},{"type":"A","stream":"s"}]"#;

/// The longest a misbehaving event may hold the replay (a debug build on a shared machine: the
/// release build the page runs is several times faster).
const PATIENCE: Duration = Duration::from_secs(20);

/// Replays `LOG` with a script whose `apply` runs `body` at the `Bad` event (and counts every
/// event it applies); the problems found, after checking the replay went on around them.
fn misbehave(body: &str) -> Vec<(usize, String)> {
    let source = format!(
        "fn apply(state, event) {{\n  if event.type == \"Bad\" {{\n    {body}\n  }}\n  state.n = (state.n ?? 0) + 1;\n  state\n}}"
    );
    let domain = ScriptDomain::compile("sandbox test", &source).unwrap_or_else(|e| panic!("compiles: {e}\n{source}"));
    let started = Instant::now();
    let session = Session::load("t", LOG).unwrap().with_reducer(script(&source), Arc::new(domain));
    let took = started.elapsed();
    assert!(took < PATIENCE, "the replay took {took:?} for {body}");
    let problems: Vec<(usize, String)> = session
        .problems()
        .iter()
        .map(|p| {
            assert_eq!(p.severity, Severity::Error, "{p:?}");
            (p.position, p.message.clone())
        })
        .collect();
    // The events around the bad one still apply: the first and the last counted.
    let state = session.state_at(session.len()).0;
    assert_eq!(state["s"]["n"], 2, "{state}");
    problems
}

/// One problem, at the bad event, whose message says `says`.
fn stops_at_the_bad_event(body: &str, says: &str) {
    let problems = misbehave(body);
    assert_eq!(problems.len(), 1, "{body}: {problems:?}");
    assert_eq!(problems[0].0, 1, "the problem is at the event that ran {body}");
    assert!(problems[0].1.contains(says), "{body}: {:?} does not say {says:?}", problems[0].1);
}

const OPERATIONS: &str = "stopped after 200000 operations: an endless loop, or too much work for one event";
const TOO_DEEP: &str = "calls nested too deep (endless recursion?)";

#[test]
fn an_endless_loop_stops_at_the_operation_limit() {
    stops_at_the_bad_event("loop { }", OPERATIONS);
    stops_at_the_bad_event("while true { }", OPERATIONS);
    stops_at_the_bad_event("let i = 0; while i >= 0 { i += 1; }", OPERATIONS);
    stops_at_the_bad_event("for i in 0..9223372036854775807 { }", OPERATIONS);
    stops_at_the_bad_event("do { } until false;", OPERATIONS);
}

#[test]
fn a_loop_that_throws_its_own_errors_away_still_stops() {
    stops_at_the_bad_event("loop { try { throw \"again\"; } catch { } }", OPERATIONS);
}

#[test]
fn deep_recursion_stops_at_the_call_depth_limit() {
    let endless = "fn down(n) { down(n + 1) }";
    let problems = misbehave_with(endless, "down(0);");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, 1);
    assert!(problems[0].1.contains(TOO_DEEP), "{:?}", problems[0].1);
    // Two functions calling each other, and recursion that would end, but far too deep.
    let mutual = "fn ping(n) { pong(n + 1) } fn pong(n) { ping(n + 1) }";
    assert!(misbehave_with(mutual, "ping(0);")[0].1.contains(TOO_DEEP));
    let deep = "fn count(n) { if n == 0 { 0 } else { 1 + count(n - 1) } }";
    assert!(misbehave_with(deep, "count(100000);")[0].1.contains(TOO_DEEP));
}

/// `misbehave` with helper functions defined beside `apply`.
fn misbehave_with(functions: &str, body: &str) -> Vec<(usize, String)> {
    let source = format!(
        "{functions}\nfn apply(state, event) {{\n  if event.type == \"Bad\" {{ {body} }}\n  state.n = (state.n ?? 0) + 1;\n  state\n}}"
    );
    let domain = ScriptDomain::compile("sandbox test", &source).unwrap_or_else(|e| panic!("compiles: {e}"));
    let started = Instant::now();
    let session = Session::load("t", LOG).unwrap().with_reducer(script(&source), Arc::new(domain));
    assert!(started.elapsed() < PATIENCE, "{body} took {:?}", started.elapsed());
    assert_eq!(session.state_at(session.len()).0["s"]["n"], 2);
    session.problems().iter().map(|p| (p.position, p.message.clone())).collect()
}

#[test]
fn deeply_nested_expressions_are_refused_when_compiled() {
    let nested = format!("fn apply(s, e) {{ let x = {}1{}; s }}", "(".repeat(500), ")".repeat(500));
    let error = ScriptDomain::compile("t", &nested).err().expect("too deep to compile");
    assert!(error.message.to_lowercase().contains("too deep") || error.message.contains("complex"), "{error}");
    let blocks = format!("fn apply(s, e) {{ {} s {} }}", "if true { ".repeat(500), "}".repeat(500));
    assert!(ScriptDomain::compile("t", &blocks).is_err());
}

#[test]
fn a_huge_string_stops_at_the_string_limit() {
    let says = "Length of string too large";
    stops_at_the_bad_event("let t = \"x\"; loop { t += t; }", says);
    stops_at_the_bad_event("let t = \"0123456789\"; while true { t = t + t; }", says);
    stops_at_the_bad_event("let t = \"\"; t.pad(2000000, \"x\");", says);
    stops_at_the_bad_event("let t = \"x\"; loop { t.append(t); }", says);
}

#[test]
fn a_huge_array_stops_at_the_array_limit() {
    let says = "Size of array";
    stops_at_the_bad_event("let a = []; a.pad(1000000, 0);", says);
    stops_at_the_bad_event("let a = [1]; loop { a += a; }", says);
    stops_at_the_bad_event("let a = [1, 2, 3, 4, 5, 6, 7, 8]; loop { a.append(a); }", says);
}

#[test]
fn a_huge_map_stops_at_the_map_limit() {
    // Up to the limit by doubling a map of maps would take too many operations first; a map
    // grown key by key is stopped by whichever comes first, and says so.
    let problems = misbehave("let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, 1);
    assert!(
        problems[0].1.contains("Size of object map too large") || problems[0].1.contains(OPERATIONS),
        "{:?}",
        problems[0].1
    );
    // A map of 100,001 keys, made in few operations: refused by size.
    stops_at_the_bad_event(
        "let m = #{}; let keys = []; keys.pad(100001, 0); for (k, i) in keys { m[`${i}`] = k; }",
        "",
    );
}

#[test]
fn a_huge_state_carried_from_event_to_event_stops_where_it_grows_too_large() {
    // The state grows by doubling at every event: the limit is met at an event, which says so.
    let source = "fn apply(state, event) { state.t = (state.t ?? \"x\") + (state.t ?? \"\"); \
                  state.t += state.t; state.t += state.t; state.t += state.t; state }";
    let domain = ScriptDomain::compile("t", source).unwrap();
    let events: Vec<String> = (0..12).map(|_| r#"{"type":"Grow"}"#.to_string()).collect();
    let log = format!("[{}]", events.join(","));
    let session = Session::load("t", &log).unwrap().with_reducer(script(source), Arc::new(domain));
    let problems = session.problems();
    assert!(!problems.is_empty(), "the string passed the limit somewhere");
    assert!(problems[0].message.contains("Length of string too large"), "{:?}", problems[0]);
    assert!(problems[0].position > 0 && problems[0].position < 12, "{:?}", problems[0]);
}

#[test]
fn copying_a_string_at_the_limit_over_and_over_is_bounded_in_time() {
    // Every operation may copy the largest string there can be: the operation limit bounds it.
    stops_at_the_bad_event("let t = \"x\"; while t.len() < 500000 { t += t; } loop { let u = t + \"\"; }", OPERATIONS);
}

#[test]
fn the_sandbox_has_no_clock_no_io_and_no_modules() {
    for source in ["fn apply(s, e) { s.t = timestamp(); s }", "fn apply(s, e) { import \"fs\" as fs; s }"] {
        if let Ok(domain) = ScriptDomain::compile("t", source) {
            let session = Session::load("t", LOG).unwrap().with_reducer(script(source), Arc::new(domain));
            assert_eq!(session.problems().len(), 3, "{source}: every event fails: {:?}", session.problems());
        }
    }
}

#[test]
fn eval_runs_inside_the_same_sandbox() {
    stops_at_the_bad_event("eval(\"loop { }\");", OPERATIONS);
    stops_at_the_bad_event("eval(\"let t = `x`; loop { t += t; }\");", "Length of string too large");
}

/// Recursion inside deeply nested expressions used more than 2 MB of stack within the call and
/// expression depth limits; the page has 1 MB in WebAssembly. Run here on a 1 MB stack: the
/// stack limit stops it with the recursion message, in a debug build too.
#[test]
fn recursion_inside_nested_expressions_stops_before_a_1_mb_stack_runs_out() {
    let nested = format!("fn f(n) {{ {}f(n + 1){} }}", "1 + (".repeat(25), ")".repeat(25));
    let problems = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || misbehave_with(&nested, "f(0);"))
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, 1);
    assert!(problems[0].1.contains(TOO_DEEP), "{:?}", problems[0].1);
}

/// The same limit guards expressions (watches, Break when).
#[test]
fn an_expression_that_recurses_or_loops_stops_too() {
    use rewind_script::query::Expression;
    for source in ["{ fn f(n) { 1 + f(n + 1) } f(0) }", "loop { }", "{ let t = \"x\"; loop { t += t; } }"] {
        let outcome = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || {
                let session = Session::load("t", LOG).unwrap();
                Expression::compile(source)
                    .map_err(|error| error.message)
                    .and_then(|expression| expression.value_at(&session, 1, None).map(|v| v.to_string()))
            })
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert!(outcome.is_err(), "{source}: {outcome:?}");
    }
}

/// One operation may copy the largest array there can be: 200,000 such copies held one event for
/// 56 s in a release build. The time limit stops it (in a debug build too) with a message at the
/// event.
#[test]
fn copying_a_large_array_over_and_over_stops_at_the_time_limit() {
    let started = Instant::now();
    stops_at_the_bad_event("let a = []; a.pad(99999, 0); loop { let b = a + [1]; }", "too much work for one event");
    let took = started.elapsed();
    assert!(took < rewind_script::MAX_CALL_TIME * 3, "{took:?}");
}

#[test]
fn searching_a_large_text_over_and_over_stops_too() {
    stops_at_the_bad_event(
        "let t = \"x\"; while t.len() < 500000 { t += t; } let n = 0; loop { if t.contains(\"y\") { n += 1; } }",
        "",
    );
}
