//! The hostile corpus's share links and saved sessions (issue 18): the `share-*` and `saved-*`
//! entries of `tests/fixtures/hostile/expected.json`, read natively through the app's own
//! decoders (`share::decode_log`, `saved::SavedSession`), each refused with the expected reason or
//! restored to the expected log. The files themselves are checked by `crates/cli/tests/hostile.rs`.
//!
//! `HOSTILE_PRINT=1 cargo test -p rewind --test hostile_links -- --nocapture` prints every outcome.
#![cfg(not(target_arch = "wasm32"))]
use rewind::saved::SavedSession;
use rewind::share::{decode_log, log_in_fragment, MAX_INFLATED_BYTES};
use rewind_engine::session::Session;
use serde_json::{json, Map, Value};
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

fn manifest() -> Map<String, Value> {
    let text = std::fs::read_to_string(corpus().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The log a saved session was written with (the classic bank log).
const SAVED_LOG: &str =
    r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":30},{"type":"Deposit","amount":50}]"#;

/// A share link's fragment as the page reads it: the encoded log decoded, then loaded.
fn share_outcome(fragment: &str) -> Value {
    let Some(encoded) = log_in_fragment(fragment.trim_end()) else { return json!({ "error": "no log= in the link" }) };
    match decode_log(encoded) {
        Err(message) => json!({ "error": message }),
        Ok(text) => {
            assert!(text.len() <= MAX_INFLATED_BYTES);
            match Session::load("shared link", &text) {
                Ok(session) => json!({ "events": session.len() }),
                Err(error) => json!({ "error": error.to_string() }),
            }
        }
    }
}

/// A saved record as the page restores it at start-up, with the log text it was saved beside.
fn saved_outcome(record: &str) -> Value {
    let saved = match SavedSession::from_json(record) {
        Ok(saved) => saved,
        Err(error) => return json!({ "error": error.to_string() }),
    };
    match saved.restore(Some(SAVED_LOG)) {
        Err(error) => json!({ "error": error.to_string() }),
        Ok(restored) => {
            let session = restored.session;
            let (state, _) = session.state_at(session.len());
            assert!(state.is_object());
            json!({ "events": session.len(), "skipped": session.skipped().len() })
        }
    }
}

#[test]
fn tampered_share_links_and_saved_sessions_give_their_expected_outcome() {
    let print = std::env::var_os("HOSTILE_PRINT").is_some();
    let mut failures = Vec::new();
    let mut seen = 0;
    for (name, expected) in manifest() {
        let via = expected.get("via").and_then(Value::as_str);
        let text = || std::fs::read_to_string(corpus().join(&name)).unwrap();
        let actual = match via {
            Some("share") => share_outcome(&text()),
            Some("saved") => saved_outcome(&text()),
            _ => continue,
        };
        seen += 1;
        if print {
            println!("{name:?}: {actual},");
        }
        let differs = match (expected.get("error"), actual.get("error")) {
            (Some(want), Some(have)) => !have.as_str().unwrap().contains(want.as_str().unwrap()),
            (None, None) => ["events", "skipped"].iter().any(|key| expected.get(*key) != actual.get(*key)),
            _ => true,
        };
        if differs {
            failures.push(format!("{name}: expected {expected}, found {actual}"));
        }
    }
    assert!(seen >= 20, "only {seen} share and saved entries");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
