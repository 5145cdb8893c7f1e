//! The open lesson: its explanation, the steps done so far, the current task with its hint, the
//! live check's result, and once every step is done, what just happened and the way on.
use super::learn_panel::Learn;
use super::state::{Correction, LessonRoute, Loaded, Loader};
use leptos::prelude::*;
use rewind_learn::Lesson;
use std::sync::Arc;

#[component]
pub(super) fn LessonBody(number: usize, lesson: Arc<Lesson>) -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let correction = expect_context::<Correction>();
    let route = expect_context::<LessonRoute>();
    let loader = expect_context::<Loader>();
    let learn = expect_context::<Learn>();
    let total = lesson.steps.len();
    let id = lesson.id.clone();
    let done = {
        let id = id.clone();
        Memo::new(move |_| learn.progress.with(|p| p.of(&id).steps.min(total)))
    };
    let finished = move || done.get() >= total;
    // The lesson's log is loaded (not another log the learner opened meanwhile).
    let on_log = {
        let source = lesson.source_name();
        let id = id.clone();
        Memo::new(move |_| {
            loaded.session.with(|s| s.source() == source)
                && learn.opened.with(|o| o.as_ref().is_some_and(|(n, i)| *n == number && *i == id))
        })
    };
    // The step whose hint is shown; another step starts with its hint hidden.
    let hint_shown = RwSignal::new(None::<usize>);
    let is_last = move || number >= learn.count();

    let steps_done = {
        let lesson = Arc::clone(&lesson);
        move || {
            let lesson = Arc::clone(&lesson);
            (0..done.get())
                .map(move |i| {
                    let step = &lesson.steps[i];
                    view! {
                        <li class="learn-step done">
                            <span class="learn-mark" aria-hidden="true">"✓ "</span>
                            <span class="visually-hidden">"Done: "</span>
                            {step.task.clone()}
                            {step.done.clone().map(|text| view! { <p class="learn-step-done">{text}</p> })}
                        </li>
                    }
                })
                .collect_view()
        }
    };
    let current_step = {
        let lesson = Arc::clone(&lesson);
        move || {
            let index = done.get();
            let step = lesson.steps.get(index)?;
            let hint = step.hint.clone();
            let hint_id = format!("learn-hint-{number}-{index}");
            let open = move || hint_shown.get() == Some(index);
            Some(view! {
                <li class="learn-step current" aria-current="step">
                    <p class="learn-step-label">{format!("Step {} of {total}", index + 1)}</p>
                    <p class="learn-task">{step.task.clone()}</p>
                    <button
                        type="button"
                        class="learn-hint-button"
                        aria-expanded=move || if open() { "true" } else { "false" }
                        aria-controls=hint_id.clone()
                        on:click=move |_| hint_shown.update(|h| *h = if *h == Some(index) { None } else { Some(index) })
                    >
                        "Hint"
                    </button>
                    <p class="learn-hint" id=hint_id hidden=move || !open()>
                        {hint}
                    </p>
                </li>
            })
        }
    };
    let status = move || {
        if finished() {
            "Done!".to_string()
        } else if !on_log.get() {
            "Not yet… this lesson's log is not the one loaded.".to_string()
        } else if total > 1 {
            format!("Not yet… (step {} of {total})", done.get() + 1)
        } else {
            "Not yet…".to_string()
        }
    };
    let next = move |_| {
        if is_last() {
            learn.show_quiz.set(true);
        } else {
            route.lesson.set(Some(number + 1));
        }
    };
    let what_happened = lesson.what_happened.clone();
    view! {
        <article class="learn-lesson">
            <h2>{format!("Lesson {number}: {}", lesson.title)}</h2>
            <p class="learn-explanation">{lesson.explanation.clone()}</p>
            <Show when=move || !on_log.get() && !finished()>
                <div class="learn-off-log">
                    <p>"This lesson works on its own log, and another log is loaded now."</p>
                    <button type="button" on:click=move |_| learn.restart(correction, loader, number)>
                        "Load the lesson's log"
                    </button>
                </div>
            </Show>
            <ol class="learn-steps">{steps_done} {current_step}</ol>
            <p class=move || if finished() { "learn-status passed" } else { "learn-status" } role="status">
                {status}
            </p>
            <Show when=finished>
                <div class="learn-done">
                    <h3>"What just happened"</h3>
                    <p>{what_happened.clone()}</p>
                    <div class="learn-actions">
                        <button type="button" class="learn-next" on:click=next>
                            {move || if is_last() { "Take the quiz" } else { "Next lesson" }}
                        </button>
                        <button type="button" on:click=move |_| learn.restart(correction, loader, number)>
                            "Do it again"
                        </button>
                    </div>
                </div>
            </Show>
            <Show when=move || !finished()>
                <div class="learn-actions">
                    <button type="button" on:click=move |_| learn.restart(correction, loader, number)>
                        "Start the lesson again"
                    </button>
                </div>
            </Show>
        </article>
    }
}
