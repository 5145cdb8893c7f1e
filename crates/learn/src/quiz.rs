//! The quiz: its questions, each with one right option and every option explained.
use serde::Deserialize;
use std::sync::OnceLock;

/// The quiz's questions.
pub const QUIZ_FILE: &str = include_str!("../../../lessons/quiz.json");

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub question: String,
    pub options: Vec<QuizOption>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizOption {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    /// Why it is right, or the misconception behind it and why it is wrong.
    pub explanation: String,
}

impl Question {
    /// The index of the one right option.
    pub fn answer(&self) -> usize {
        self.options.iter().position(|o| o.correct).unwrap_or(0)
    }
}

/// Reads a quiz file: every question has 2 to 5 options, exactly one right, each explained.
pub fn parse_quiz(text: &str) -> Result<Quiz, String> {
    let quiz: Quiz = serde_json::from_str(text).map_err(|e| format!("quiz: {e}"))?;
    for (i, question) in quiz.questions.iter().enumerate() {
        let at = format!("quiz: questions[{i}] ('{}')", question.id);
        if !(2..=5).contains(&question.options.len()) {
            return Err(format!("{at}: needs 2 to 5 options, found {}", question.options.len()));
        }
        let right = question.options.iter().filter(|o| o.correct).count();
        if right != 1 {
            return Err(format!("{at}: exactly one option must be correct, found {right}"));
        }
        if let Some(j) = question.options.iter().position(|o| o.explanation.trim().is_empty()) {
            return Err(format!("{at}.options[{j}]: explanation must not be empty"));
        }
        if quiz.questions[..i].iter().any(|q| q.id == question.id) {
            return Err(format!("{at}: id is used twice"));
        }
    }
    Ok(quiz)
}

pub fn builtin_quiz() -> &'static Quiz {
    static QUIZ: OnceLock<Quiz> = OnceLock::new();
    QUIZ.get_or_init(|| parse_quiz(QUIZ_FILE).unwrap_or_else(|e| panic!("lessons/quiz.json: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quiz_has_eleven_questions_each_with_one_right_answer_and_every_option_explained() {
        let quiz = builtin_quiz();
        // The five core questions, then one per lesson from 10 to 15.
        assert_eq!(quiz.questions.len(), 11);
        for question in &quiz.questions {
            assert!((3..=4).contains(&question.options.len()), "{}", question.id);
            assert_eq!(question.options.iter().filter(|o| o.correct).count(), 1, "{}", question.id);
            assert!(question.options.iter().all(|o| o.explanation.trim().len() > 20), "{}", question.id);
        }
    }

    #[test]
    fn a_quiz_with_two_right_answers_is_refused() {
        let text = r#"{"questions": [{"id": "q", "question": "?", "options": [
            {"text": "a", "correct": true, "explanation": "x"}, {"text": "b", "correct": true, "explanation": "y"}]}]}"#;
        assert_eq!(
            parse_quiz(text).unwrap_err(),
            "quiz: questions[0] ('q'): exactly one option must be correct, found 2"
        );
    }
}
