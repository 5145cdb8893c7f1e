//! The log loader over every format, as the page takes a file: bytes decoded (a piece at a time as
//! the page reads them, and all at once: the same text or error both ways), then read strictly
//! and tolerantly, in one call and in slices (the same log or the same error both ways), and a
//! log that loads replays to its end through the session.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rewind_engine::formats::{decode_bytes, DecodeInPieces, LoadOptions};
use rewind_engine::session::Session;
use rewind_fuzz::same_both_ways;

fuzz_target!(|data: &[u8]| {
    let Some((&knob, bytes)) = data.split_first() else { return };
    // Also behind 4 KB of spaces: the first 4 KB decide how a file is read, so only then are the
    // fuzzed bytes checked as UTF-8 piece by piece.
    for file in [bytes.to_vec(), [vec![b' '; 4096], bytes.to_vec()].concat()] {
        let mut pieces = DecodeInPieces::new(file.len());
        let (head, rest) = file.split_at((4094 + usize::from(knob % 5)).min(file.len()));
        pieces.push(head).unwrap();
        for piece in rest.chunks(usize::from(knob % 7) + 1) {
            pieces.push(piece).unwrap();
        }
        assert_eq!(pieces.finish(), decode_bytes(file.clone()));
    }
    let text = match decode_bytes(bytes.to_vec()) {
        Ok(text) => text,
        Err(error) => {
            assert!(!error.to_string().is_empty());
            return;
        }
    };
    let slice = usize::from(knob % 5) + 1;
    let strict = same_both_ways(&text, &LoadOptions::strict(), slice);
    let tolerant = same_both_ways(&text, &LoadOptions::default(), slice);
    // Strictly read, a log also reads tolerantly, to the same events.
    if let Ok(strict) = &strict {
        assert!(tolerant.is_ok(), "strict read but tolerant refused: {tolerant:?}");
        let _ = strict;
    }
    if knob & 0x80 != 0 {
        if let Ok(session) = Session::load_with("fuzz", &text, LoadOptions::default()) {
            let end = session.len();
            let (state, _) = session.state_at(end);
            assert!(state.is_object() || state.is_null(), "{state}");
            let _ = session.state_at(end / 2);
        }
    }
});
