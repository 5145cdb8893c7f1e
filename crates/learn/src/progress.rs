//! What a learner has done: steps and lessons done, quiz answers.
use crate::lesson::Lesson;
use crate::quiz::Quiz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a learner has done, kept across reloads (the UI stores it as JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// By lesson id.
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
    /// Quiz answers: question id → the option chosen.
    #[serde(default)]
    pub quiz: BTreeMap<String, usize>,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// Steps done so far in the current attempt.
    #[serde(default)]
    pub steps: usize,
    /// Finished at least once.
    #[serde(default)]
    pub done: bool,
}

impl Progress {
    /// Reads stored progress; anything unreadable is a fresh start rather than an error.
    pub fn from_json(text: &str) -> Progress {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("progress is plain data")
    }

    pub fn of(&self, lesson: &str) -> LessonProgress {
        self.lessons.get(lesson).copied().unwrap_or_default()
    }

    pub fn is_done(&self, lesson: &str) -> bool {
        self.of(lesson).done
    }

    /// Records `steps` done in `lesson` (of `total`); the lesson is done once all are.
    pub fn set_steps(&mut self, lesson: &str, steps: usize, total: usize) {
        let entry = self.lessons.entry(lesson.to_string()).or_default();
        entry.steps = steps.min(total);
        entry.done |= steps >= total;
    }

    /// Starts a lesson's steps again; it stays marked done if it was.
    pub fn restart(&mut self, lesson: &str) {
        if let Some(entry) = self.lessons.get_mut(lesson) {
            entry.steps = 0;
        }
    }

    /// The 1-based number of the first lesson not done yet (the first if all are).
    pub fn first_unfinished(&self, lessons: &[Lesson]) -> usize {
        lessons.iter().position(|l| !self.is_done(&l.id)).map_or(1, |i| i + 1)
    }

    pub fn lessons_done(&self, lessons: &[Lesson]) -> usize {
        lessons.iter().filter(|l| self.is_done(&l.id)).count()
    }

    pub fn quiz_right(&self, quiz: &Quiz) -> usize {
        quiz.questions.iter().filter(|q| self.quiz.get(&q.id) == Some(&q.answer())).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::builtin;

    #[test]
    fn progress_round_trips_and_tolerates_garbage() {
        let mut progress = Progress::default();
        progress.set_steps("replay-is-a-fold", 1, 1);
        progress.set_steps("integrity", 1, 2);
        progress.quiz.insert("fold".into(), 2);
        assert_eq!(Progress::from_json(&progress.to_json()), progress);
        assert!(progress.is_done("replay-is-a-fold"));
        assert!(!progress.is_done("integrity"));
        assert_eq!(Progress::from_json("not json"), Progress::default());
        progress.restart("replay-is-a-fold");
        assert_eq!(progress.of("replay-is-a-fold"), LessonProgress { steps: 0, done: true });
    }

    #[test]
    fn the_first_unfinished_lesson_is_where_learn_opens() {
        let lessons = builtin();
        let mut progress = Progress::default();
        assert_eq!(progress.first_unfinished(lessons), 1);
        progress.set_steps(&lessons[0].id, 2, 2);
        assert_eq!(progress.first_unfinished(lessons), 2);
        for lesson in lessons {
            progress.set_steps(&lesson.id, lesson.steps.len(), lesson.steps.len());
        }
        assert_eq!(progress.first_unfinished(lessons), 1, "all done: start again at the first");
        assert_eq!(progress.lessons_done(lessons), lessons.len());
    }
}
