//! Lesson files and quiz files, as the page's "Open lesson file" reads them: a lesson or a message
//! naming the place, never a panic; a lesson that parses starts its session.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match rewind_learn::parse_lesson(text) {
        Ok(lesson) => {
            if let Ok((session, cursor)) = lesson.start_session() {
                assert!(cursor <= session.len());
            }
        }
        Err(message) => assert!(!message.is_empty()),
    }
    let _ = rewind_learn::parse_quiz(text);
    let _ = rewind_learn::Progress::from_json(text);
});
