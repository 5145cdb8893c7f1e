//! Rewind's lessons: the lesson and quiz files, checks against the live replay, learner progress.
//!
//! Lessons are guided exercises in event sourcing, written as data (`lessons/*.json`, documented
//! in `docs/lessons.md`) so a teacher can write one and share it as a file or a link.
//!
//! A lesson names a log to load, where to start, and ordered steps. Each step has a task, a hint
//! and a [`Check`]: a question asked of the *live* view (the session and the cursor), never of
//! the clicks that led there. Steps are done in order; once a step's check passes it stays done.
//!
//! Plain Rust with no web crate, like the engine: the UI evaluates [`check()`] reactively and keeps the
//! [`Progress`] in the browser's storage.
//!
//! - `lesson`: the lesson schema, reading lesson files, the built-in lessons, a lesson's start.
//! - `check`: evaluating checks against the live view, and how many steps are done.
//! - `draft`: making a lesson from a session (the lesson builder) and writing its file.
//! - `quiz`: the quiz's questions.
//! - `progress`: what a learner has done.
mod check;
mod draft;
mod lesson;
mod progress;
mod quiz;

pub use check::{advance, check, worst_seek, LessonView};
pub use draft::{
    check_to_json, correction_check, describe_check, lesson_id, skipped_check, start_with_script, state_fields,
    state_value_check, watch_check, LessonDraft, StepDraft,
};
pub use lesson::{
    builtin, parse_check, parse_lesson, Appended, Check, CorrectionCheck, EventAtCursor, GenerateSpec,
    GeneratedDomainName, IntegrityAtCursor, IntegrityKindName, Lesson, LogSource, OrderName, ProblemAtCursor, Range,
    SeverityName, SkippedCheck, SnapshotsCheck, Start, Step, WorstSeek, CHECK_KINDS, LESSON_FILES,
    MAX_GENERATED_EVENTS,
};
pub use progress::{LessonProgress, Progress};
pub use quiz::{builtin_quiz, parse_quiz, Question, Quiz, QuizOption, QUIZ_FILE};
