//! Export then import gives back the same log: Rewind JSON reads back to the same Rewind JSON (and
//! the same events, unreadable ones kept as written), JSON Lines to the same events.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rewind_engine::formats::{read_log, to_ndjson, to_rewind_json, LoadError, LoadOptions, RewindJsonPieces};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let options = LoadOptions::default();
    let Ok(log) = read_log(text, &options) else { return };
    let exported = to_rewind_json(&log);
    // In pieces, the same text.
    let mut pieces = RewindJsonPieces::new(&log);
    let mut joined = String::new();
    while let Some(piece) = pieces.next_piece(3) {
        joined.push_str(&piece);
    }
    assert_eq!(joined, exported);
    let again =
        read_log(&exported, &options).unwrap_or_else(|e| panic!("the export does not read back: {e}\n{exported}"));
    assert_eq!(again.len(), log.len());
    assert_eq!(again.unreadable().len(), log.unreadable().len());
    assert_eq!(to_rewind_json(&again), exported, "export → import → export changed the log");
    if !log.is_empty() {
        let lines = to_ndjson(&log);
        let from_lines = match read_log(&lines, &options) {
            Ok(log) => log,
            // Known limit (reported): a line that is not JSON, full of NULs, kept as written can
            // make the compact export "mostly control characters", refused as binary.
            Err(LoadError::Binary { .. })
                if log.unreadable().iter().any(|u| u.raw.chars().any(|c| c.is_control() && c != '\t')) =>
            {
                return
            }
            Err(e) => panic!("the JSON Lines do not read back: {e}\n{lines}"),
        };
        assert_eq!(from_lines.len(), log.len(), "{lines}");
        assert_eq!(to_ndjson(&from_lines), lines, "JSON Lines → import → JSON Lines changed the log");
    }
});
