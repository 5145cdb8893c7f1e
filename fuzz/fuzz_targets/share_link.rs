//! Share links: any fragment decodes to a log or a message, never a panic; what is encoded decodes
//! back to itself; the fragment helpers keep the other keys.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rewind::share::{compact_json, decode_log, encode_log, log_in_fragment, without_log};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // As a link's fragment, and as its encoded log.
    if let Some(encoded) = log_in_fragment(text) {
        match decode_log(encoded) {
            Ok(log) => assert!(log.len() <= rewind::share::MAX_INFLATED_BYTES),
            Err(message) => assert!(!message.is_empty()),
        }
        assert!(log_in_fragment(&without_log(text)).is_none());
    }
    match decode_log(text) {
        Ok(log) => assert!(log.len() <= rewind::share::MAX_INFLATED_BYTES),
        Err(message) => assert!(!message.is_empty()),
    }
    // A valid link's log decodes back exactly; a tampered one (a character changed) never panics.
    let encoded = encode_log(text);
    assert_eq!(decode_log(&encoded).as_deref(), Ok(text));
    if !encoded.is_empty() {
        let mut tampered = encoded.clone().into_bytes();
        let at = data.len() % tampered.len();
        tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
        let _ = decode_log(std::str::from_utf8(&tampered).unwrap());
    }
    let compacted = compact_json(text);
    assert_eq!(compact_json(&compacted), compacted, "compacting twice changes nothing more");
    if serde_json::from_str::<serde_json::Value>(text).is_ok() {
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&compacted).ok(),
            serde_json::from_str::<serde_json::Value>(text).ok(),
            "compacting changed the JSON"
        );
    }
});
