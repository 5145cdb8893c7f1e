//! Saved-session restore: a record read back from storage (damaged, newer, edited by hand) is
//! refused with a reason or restored whole; a record that reads writes back to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rewind::saved::SavedSession;

const LOG: &str = r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":30},{"type":"Deposit","amount":50}]"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(saved) = SavedSession::from_json(text) else { return };
    let again = SavedSession::from_json(&saved.to_json()).expect("a record that reads writes back readably");
    assert_eq!(again.to_json(), saved.to_json());
    // Restored against nothing, the classic log, and the record's own text.
    for log_text in [None, Some(LOG), Some(text)] {
        if let Ok(restored) = saved.restore(log_text) {
            let session = restored.session;
            let _ = session.state_at(session.len());
        }
    }
});
