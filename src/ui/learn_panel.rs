//! Learn mode: the Explore / Learn switch, and in Learn mode the "Lesson" region: the lessons
//! list with what is done, the open lesson (or the quiz), a lesson file a teacher brings, and
//! "Reset progress". The lessons are data (`rewind_learn`); this module opens their logs and
//! evaluates their checks against the live session and cursor, never against clicks.
use super::learn_lesson::LessonBody;
use super::learn_source::{load_lesson_from_url, LessonFileInput};
use super::lesson_builder::LessonBuilder;
use super::quiz_panel::QuizPanel;
use super::state::{Correction, Cursor, LessonRoute, Loaded, Loader};
use crate::location::Location;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use rewind_learn::{self as lesson, advance, Lesson, LessonView, Progress};
use std::sync::Arc;

/// Where progress (steps and lessons done, quiz answers) is kept in localStorage.
pub const PROGRESS_KEY: &str = "rewind.learn.v1";

/// Learn mode's own state, shared by its components.
#[derive(Clone, Copy)]
pub(super) struct Learn {
    /// The built-in lessons, shared rather than copied on every look.
    builtin: StoredValue<Vec<Arc<Lesson>>>,
    pub progress: RwSignal<Progress>,
    /// Lessons a teacher loaded in this visit (from a file or `?lesson=`), numbered after the
    /// built-in ones.
    pub extra: RwSignal<Vec<Arc<Lesson>>>,
    /// The lesson whose log is loaded and whose checks run: (number, id).
    pub opened: RwSignal<Option<(usize, String)>>,
    /// The quiz is shown in place of the lesson.
    pub show_quiz: RwSignal<bool>,
    /// Why a lesson file or link was refused, or a lesson's log could not be loaded.
    pub error: RwSignal<Option<String>>,
    /// A lesson being fetched from a link.
    pub fetching: RwSignal<Option<String>>,
}

impl Learn {
    fn new() -> Learn {
        Learn {
            builtin: StoredValue::new(lesson::builtin().iter().cloned().map(Arc::new).collect()),
            progress: RwSignal::new(LocalStorage::get::<Progress>(PROGRESS_KEY).unwrap_or_default()),
            extra: RwSignal::new(Vec::new()),
            opened: RwSignal::new(None),
            show_quiz: RwSignal::new(false),
            error: RwSignal::new(None),
            fetching: RwSignal::new(None),
        }
    }

    /// How many lessons there are (built-in and loaded).
    pub fn count(self) -> usize {
        lesson::builtin().len() + self.extra.with(Vec::len)
    }

    /// Lesson `number` (1-based).
    pub fn lesson(self, number: usize) -> Option<Arc<Lesson>> {
        let index = number.checked_sub(1)?;
        let builtin = lesson::builtin().len();
        if index < builtin {
            self.builtin.with_value(|lessons| lessons.get(index).cloned())
        } else {
            self.extra.with(|extra| extra.get(index - builtin).cloned())
        }
    }

    /// Every lesson's number, title and id, for the list.
    pub fn titles(self) -> Vec<(usize, String, String)> {
        let builtin = lesson::builtin().iter().map(|l| (l.title.clone(), l.id.clone()));
        let extra = self.extra.with(|extra| extra.iter().map(|l| (l.title.clone(), l.id.clone())).collect::<Vec<_>>());
        builtin.chain(extra).enumerate().map(|(i, (title, id))| (i + 1, title, id)).collect()
    }

    /// Changes the progress and writes it to storage (storage that fails keeps it in memory).
    pub fn update_progress(self, change: impl FnOnce(&mut Progress)) {
        self.progress.update(change);
        self.progress.with_untracked(|p| {
            let _ = LocalStorage::set(PROGRESS_KEY, p);
        });
    }

    /// Loads lesson `number`'s log and puts the view where the lesson starts.
    pub fn open(self, correction: Correction, loader: Loader, number: usize, lesson: &Lesson) {
        let (loaded, cursor) = (loader.loaded, loader.cursor);
        untrack(|| {
            self.show_quiz.set(false);
            // The crate's start (log, interval, order, cursor), so its tests test what opens here.
            let start = lesson.start_session();
            let at = start.as_ref().map_or(0, |(_, at)| *at);
            if !loader.show_loaded(start.map(|(session, _)| session), lesson.sample().map(|s| s.id)) {
                let why = loaded.load_error.get_untracked().unwrap_or_default();
                self.error.set(Some(format!("The log of lesson '{}' could not be loaded: {why}", lesson.id)));
                return;
            }
            cursor.seek(at);
            correction.draft.set(None);
            self.opened.set(Some((number, lesson.id.clone())));
        });
    }

    /// Starts lesson `number` again: its steps undone (it stays marked done if it was), its
    /// log loaded afresh.
    pub fn restart(self, correction: Correction, loader: Loader, number: usize) {
        if let Some(lesson) = self.lesson(number) {
            self.update_progress(|p| p.restart(&lesson.id));
            self.open(correction, loader, number, &lesson);
        }
    }
}

/// The Explore / Learn switch and, in Learn mode, the "Lesson" region.
#[component]
pub fn LearnPanel() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let correction = expect_context::<Correction>();
    let route = expect_context::<LessonRoute>();
    let loader = expect_context::<Loader>();
    let learn = Learn::new();
    provide_context(learn);

    // A reload inside a lesson (the fragment has a lesson and a position) resumes the work that
    // was restored with the session, instead of starting the lesson over. Read now: the
    // fragment sync rewrites it once its effect runs.
    let initial = Location::parse(&window().location().hash().unwrap_or_default());
    let resume = StoredValue::new(initial.lesson.is_some() && initial.at.is_some());

    // Open the lesson's log when the lesson changes (a link, Learn, Next lesson, a lesson file).
    Effect::new(move |_| {
        let Some(number) = route.lesson.get() else {
            resume.set_value(false);
            return;
        };
        let Some(lesson) = learn.lesson(number) else { return };
        let key = (number, lesson.id.clone());
        if learn.opened.with_untracked(|o| o.as_ref() == Some(&key)) {
            return;
        }
        let adopt = resume.get_value()
            && loaded.session.with_untracked(|s| s.source() == lesson.source_name() && !s.is_empty());
        resume.set_value(false);
        if adopt {
            learn.opened.set(Some(key));
        } else {
            learn.open(correction, loader, number, &lesson);
        }
    });

    // The live check: whenever the session or cursor changes, the steps that now pass are done.
    Effect::new(move |_| {
        let Some(number) = route.lesson.get() else { return };
        let Some(lesson) = learn.lesson(number) else { return };
        if learn.opened.with(|o| o.as_ref().is_none_or(|(n, id)| *n != number || *id != lesson.id)) {
            return;
        }
        let total = lesson.steps.len();
        let done = learn.progress.with(|p| p.of(&lesson.id).steps);
        if done >= total || !loaded.session.with(|s| s.source() == lesson.source_name()) {
            return;
        }
        let at = cursor.position.get();
        // Seeks again only if a step's check reads the state (lesson logs are short).
        let now = loaded.session.with(|session| advance(&lesson, done, &LessonView::new(session, at)));
        if now > done {
            learn.update_progress(|p| p.set_steps(&lesson.id, now, total));
        }
    });

    load_lesson_from_url(correction, route, loader, learn);

    let learning = move || route.lesson.get().is_some();
    let explore = move |_| route.lesson.set(None);
    let start_learning = move |_| {
        if route.lesson.get_untracked().is_none() {
            let first = learn.progress.with_untracked(|p| p.first_unfinished(lesson::builtin()));
            route.lesson.set(Some(first));
        }
    };
    view! {
        // One row with "Make a lesson" (its form, when open, takes a row of its own below): the
        // core loop must stay on one screen at 1280×800.
        <div class="mode-row">
        <div class="mode-switch" role="group" aria-label="Mode">
            <button
                type="button"
                aria-pressed=move || if learning() { "false" } else { "true" }
                on:click=explore
            >
                "Explore"
            </button>
            <button
                type="button"
                aria-pressed=move || if learning() { "true" } else { "false" }
                on:click=start_learning
            >
                "Learn"
            </button>
            <span class="mode-note">
                {move || {
                    if learning() {
                        "Guided lessons: do each task in the app below; the lesson checks the live view."
                    } else {
                        "Explore freely, or press Learn for guided lessons on event sourcing."
                    }
                }}
            </span>
        </div>
        <LessonBuilder/>
        </div>
        <Show when=learning>
            <LessonRegion learn/>
        </Show>
    }
}

#[component]
fn LessonRegion(learn: Learn) -> impl IntoView {
    let route = expect_context::<LessonRoute>();
    let current = Memo::new(move |_| route.lesson.get().map(|n| (n, learn.lesson(n))));
    let main = move || {
        if learn.show_quiz.get() {
            return view! { <QuizPanel/> }.into_any();
        }
        match current.get() {
            Some((number, Some(lesson))) => view! { <LessonBody number lesson/> }.into_any(),
            Some((number, None)) => {
                let fetching = learn.fetching.get().is_some();
                let refused = learn.error.with(Option::is_some);
                view! {
                    <div class="learn-missing">
                        <h2>{format!("There is no lesson {number}")}</h2>
                        <p>
                            {if fetching {
                                "The lesson is still being fetched."
                            } else if refused {
                                "Pick a lesson from the list."
                            } else {
                                "Pick one from the list. A lesson opened from a file is kept only until the page is reloaded: open the file again."
                            }}
                        </p>
                    </div>
                }
                .into_any()
            }
            None => ().into_any(),
        }
    };
    view! {
        <section class="learn" aria-label="Lesson">
            <div class="learn-side">
                <LessonNav learn/>
                <LessonFileInput/>
                <ResetProgress learn/>
            </div>
            <div class="learn-main">
                {move || learn.error.get().map(|message| view! { <p class="learn-alert" role="alert">{message}</p> })}
                {move || {
                    learn.fetching.get().map(|what| view! { <p class="learn-fetching" role="status">{format!("Loading the lesson from {what}…")}</p> })
                }}
                {main}
            </div>
        </section>
    }
}

/// The list of lessons, with a mark on those done, and the way to the quiz.
#[component]
fn LessonNav(learn: Learn) -> impl IntoView {
    let route = expect_context::<LessonRoute>();
    let summary = move || {
        let total = learn.count();
        let done = learn.progress.with(|p| learn.titles().iter().filter(|(_, _, id)| p.is_done(id)).count());
        format!("{done} of {total} lessons done")
    };
    let items = move || {
        learn
            .titles()
            .into_iter()
            .map(|(number, title, id)| {
                let done = {
                    let id = id.clone();
                    move || learn.progress.with(|p| p.is_done(&id))
                };
                let done_text = done.clone();
                let current = move || (route.lesson.get() == Some(number) && !learn.show_quiz.get()).then_some("page");
                view! {
                    <li class:done=done.clone()>
                        <a href=format!("#/learn/{number}") aria-current=current on:click=move |_| learn.show_quiz.set(false)>
                            <span class="learn-number">{format!("{number}.")}</span>
                            " "
                            {title}
                            {move || {
                                done_text().then(|| view! {
                                    <span class="learn-mark" aria-hidden="true">" ✓"</span>
                                    <span class="visually-hidden">" (done)"</span>
                                })
                            }}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    let quiz_score = move || {
        let quiz = lesson::builtin_quiz();
        learn.progress.with(|p| format!("{} of {} right", p.quiz_right(quiz), quiz.questions.len()))
    };
    view! {
        <nav class="learn-nav" aria-label="Lessons">
            <h2>"Lessons"</h2>
            <p class="learn-summary">{summary}</p>
            <ol>{items}</ol>
            <button
                type="button"
                class="learn-quiz-button"
                aria-pressed=move || if learn.show_quiz.get() { "true" } else { "false" }
                on:click=move |_| learn.show_quiz.update(|shown| *shown = !*shown)
            >
                "Quiz"
            </button>
            <span class="learn-summary">" " {quiz_score}</span>
        </nav>
    }
}

/// "Reset progress", confirmed inline before anything is forgotten.
#[component]
fn ResetProgress(learn: Learn) -> impl IntoView {
    let correction = expect_context::<Correction>();
    let route = expect_context::<LessonRoute>();
    let loader = expect_context::<Loader>();
    let confirming = RwSignal::new(false);
    let reset = move |_| {
        learn.update_progress(|p| *p = Progress::default());
        LocalStorage::delete(PROGRESS_KEY);
        confirming.set(false);
        // The open lesson starts over too: its log as it was, so nothing counts as done at once.
        if let Some(number) = route.lesson.get_untracked() {
            learn.restart(correction, loader, number);
        }
    };
    view! {
        <div class="learn-reset">
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" on:click=move |_| confirming.set(true)>"Reset progress"</button>
                }
            >
                <div class="learn-confirm" role="group" aria-label="Confirm reset">
                    <p>"Forget every lesson done and every quiz answer?"</p>
                    <button type="button" class="learn-danger" on:click=reset>"Yes, reset progress"</button>
                    <button type="button" on:click=move |_| confirming.set(false)>"Cancel"</button>
                </div>
            </Show>
        </div>
    }
}
