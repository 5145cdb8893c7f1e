//! Two logs compared when the loaded one is replayed by the person's script: the second log is
//! replayed by the very same compiled script, and a script that reads `event.position` sees an
//! event moved to another log position as a difference.
use rewind_engine::formats::LoadOptions;
use rewind_engine::session::Session;
use rewind_script::{script, ScriptDomain};
use serde_json::json;
use std::sync::Arc;

const BALANCE: &str = r#"
fn init(stream) { #{ balance: 0, last: -1 } }
fn apply(state, event) {
    switch event.type {
        "Deposit" => { state.balance += event.data.amount; }
        "Withdraw" => { state.balance -= event.data.amount; }
    }
    state.last = event.position;
    state
}
"#;

fn scripted(text: &str) -> Session {
    let domain = ScriptDomain::compile("your reducer", BALANCE).unwrap();
    Session::load("a", text).unwrap().with_reducer(script(BALANCE), Arc::new(domain))
}

#[test]
fn the_second_log_is_replayed_by_the_same_script_and_a_moved_event_differs_by_its_position() {
    let a = r#"[{"id":"1","type":"Deposit","stream":"x","amount":100},{"id":"2","type":"Withdraw","stream":"y","amount":30}]"#;
    let session = scripted(a);
    let load =
        |text: &str| session.load_to_compare("b", text.to_string(), LoadOptions::default()).unwrap().finish().unwrap();

    // A copy, with the same script: nothing differs.
    let copy = load(a);
    assert_eq!(copy.domain().name(), "your reducer");
    assert_eq!(copy.state_at(2).0["x"], json!({"balance": 100, "last": 0}), "replayed by the script");
    assert!(session.compare(&copy).unwrap().is_same());

    // The same events in the other order: each stream's balance is the same, but the script keeps
    // the log position, so both streams differ at their only event.
    let swapped = load(
        r#"[{"id":"2","type":"Withdraw","stream":"y","amount":30},{"id":"1","type":"Deposit","stream":"x","amount":100}]"#,
    );
    let comparison = session.compare(&swapped).unwrap();
    assert_eq!(comparison.summary(), "2 streams differ (each ends differently); 0 are the same");
    let x = comparison.differences.iter().find(|d| d.stream == "x").unwrap();
    assert_eq!(
        (&x.first.states.a, &x.first.states.b),
        (&json!({"balance": 100, "last": 0}), &json!({"balance": 100, "last": 1}))
    );
}
