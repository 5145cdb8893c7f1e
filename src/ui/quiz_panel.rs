//! The quiz: a question per idea the lessons teach, multiple choice. Answering says whether it was right and
//! explains every option, the wrong ones included (they are the common misconceptions). Answers
//! are kept with the lesson progress.
use super::learn_panel::Learn;
use leptos::prelude::*;
use rewind_learn::{builtin_quiz, Question};

#[component]
pub(super) fn QuizPanel() -> impl IntoView {
    let learn = expect_context::<Learn>();
    let quiz = builtin_quiz();
    let score = move || {
        let answered = learn.progress.with(|p| quiz.questions.iter().filter(|q| p.quiz.contains_key(&q.id)).count());
        let right = learn.progress.with(|p| p.quiz_right(quiz));
        format!("{answered} of {} answered, {right} right", quiz.questions.len())
    };
    view! {
        <section class="quiz" aria-label="Quiz">
            <h2>"Quiz"</h2>
            <p class="quiz-intro">
                {format!(
                    "{} questions on what the lessons showed. Pick an answer: every option is explained after you answer, the wrong ones too.",
                    quiz.questions.len(),
                )}
            </p>
            <p class="quiz-score" aria-live="polite">{score}</p>
            <ol class="quiz-questions">
                {quiz
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(i, question)| view! { <QuizQuestion number=i + 1 question/> })
                    .collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn QuizQuestion(number: usize, question: &'static Question) -> impl IntoView {
    let learn = expect_context::<Learn>();
    let id = question.id.as_str();
    let answer = question.answer();
    let chosen = Memo::new(move |_| learn.progress.with(|p| p.quiz.get(id).copied()));
    let choose = move |option: usize| {
        learn.update_progress(|p| {
            p.quiz.insert(id.to_string(), option);
        })
    };
    let legend_id = format!("quiz-question-{id}");
    let labelled_by = legend_id.clone();
    let options = question
        .options
        .iter()
        .enumerate()
        .map(|(o, option)| {
            view! {
                <li>
                    <label class="quiz-option">
                        <input
                            type="radio"
                            name=format!("quiz-{id}")
                            prop:checked=move || chosen.get() == Some(o)
                            disabled=move || chosen.get().is_some()
                            on:change=move |_| choose(o)
                        />
                        " "
                        {option.text.as_str()}
                    </label>
                </li>
            }
        })
        .collect_view();
    let feedback = move || {
        let picked = chosen.get()?;
        let right = picked == answer;
        let explanations = question
            .options
            .iter()
            .enumerate()
            .map(|(o, option)| {
                let verdict = match (o == answer, o == picked) {
                    (true, true) => "Your answer, right: ",
                    (true, false) => "The right answer: ",
                    (false, true) => "Your answer, wrong: ",
                    (false, false) => "Wrong: ",
                };
                let class = if o == answer { "quiz-explain right" } else { "quiz-explain wrong" };
                view! {
                    <li class=class>
                        <strong>{verdict} {option.text.as_str()}</strong>
                        <p>{option.explanation.as_str()}</p>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <div class=if right { "quiz-feedback right" } else { "quiz-feedback wrong" }>
                <p class="quiz-verdict">
                    {if right { "Right!" } else { "Not quite." }}
                </p>
                <ul class="quiz-explanations">{explanations}</ul>
                <button
                    type="button"
                    on:click=move |_| learn.update_progress(|p| {
                        p.quiz.remove(id);
                    })
                >
                    {format!("Try question {number} again")}
                </button>
            </div>
        })
    };
    view! {
        <li class="quiz-question">
            <fieldset role="radiogroup" aria-labelledby=labelled_by>
                <legend id=legend_id>{format!("{number}. {}", question.question)}</legend>
                <ul class="quiz-options">{options}</ul>
            </fieldset>
            <div aria-live="polite">{feedback}</div>
        </li>
    }
}
