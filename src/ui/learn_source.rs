//! Lessons a teacher brings: a lesson file opened here ("Open lesson file"), or a link with
//! `?lesson=<url>` (fetched at start-up) or `?lesson=inline:<encoded>` (the lesson itself, as the
//! lesson builder's "Copy lesson link" writes it). A lesson that cannot be read is refused with the
//! parser's message, which names the field (`steps[1].check: unknown check kind "foo"`).
use super::learn_panel::Learn;
use super::state::{Correction, LessonRoute, Loader};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_learn::{parse_lesson, Lesson};
use std::sync::Arc;

/// Lesson files are small; anything larger is not a lesson.
const MAX_LESSON_BYTES: f64 = 5_000_000.0;

/// Adds a lesson read from `text` (from `what`) after the built-in ones and opens it; a lesson
/// with the same id as one loaded before replaces it.
pub(super) fn add_lesson(
    correction: Correction,
    route: LessonRoute,
    loader: Loader,
    learn: Learn,
    what: &str,
    text: &str,
) {
    let lesson = match parse_lesson(text) {
        Ok(lesson) => Arc::new(lesson),
        Err(message) => {
            learn.error.set(Some(format!("{what} is not a lesson Rewind can use: {message}")));
            return;
        }
    };
    learn.error.set(None);
    let builtin = rewind_learn::builtin().len();
    let mut number = 0;
    learn.extra.update(|extra| {
        let index = match extra.iter().position(|l: &Arc<Lesson>| l.id == lesson.id) {
            Some(index) => {
                extra[index] = Arc::clone(&lesson);
                index
            }
            None => {
                extra.push(Arc::clone(&lesson));
                extra.len() - 1
            }
        };
        number = builtin + index + 1;
    });
    learn.show_quiz.set(false);
    // Opened afresh even when the same lesson was open: the file may have changed.
    learn.opened.set(None);
    if route.lesson.get_untracked() == Some(number) {
        learn.open(correction, loader, number, &lesson);
    } else {
        route.lesson.set(Some(number));
    }
}

/// The file input a teacher (or a learner given a file) uses to open a lesson.
#[component]
pub(super) fn LessonFileInput() -> impl IntoView {
    let correction = expect_context::<Correction>();
    let route = expect_context::<LessonRoute>();
    let loader = expect_context::<Loader>();
    let learn = expect_context::<Learn>();
    let on_change = move |ev: ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            let file = gloo_file::File::from(file);
            let name = file.name();
            if file.size() as f64 > MAX_LESSON_BYTES {
                learn.error.set(Some(format!("{name} is not a lesson Rewind can use: it is over 5 MB")));
            } else {
                spawn_local(async move {
                    match gloo_file::futures::read_as_text(&file).await {
                        Ok(text) => add_lesson(correction, route, loader, learn, &name, &text),
                        Err(error) => learn.error.set(Some(format!("Could not read {name}: {error}"))),
                    }
                });
            }
        }
        // The same file, edited and picked again, is read again.
        input.set_value("");
    };
    view! {
        <div class="learn-file">
            <label class="learn-file-label">
                <input type="file" class="learn-file-input" accept=".json,application/json" on:change=on_change/>
                <span class="learn-file-button">"Open lesson file"</span>
            </label>
            <p class="hint">
                "A lesson written as JSON (see docs/lessons.md), or a link to one: "
                <code>"?lesson=<url>"</code>
            </p>
        </div>
    }
}

/// At start-up: `?lesson=<url>` fetches that lesson and opens it (the parameter stays, so a
/// reload fetches it again and its `#/learn/N` still points at it); `?lesson=inline:…` opens the
/// lesson the link carries.
pub(super) fn load_lesson_from_url(correction: Correction, route: LessonRoute, loader: Loader, learn: Learn) {
    let Some(href) = window().location().href().ok() else { return };
    let Ok(page) = web_sys::Url::new(&href) else { return };
    let Some(written) = page.search_params().get("lesson") else { return };
    if let Some(inline) = crate::share::lesson_in_param(&written) {
        // After start-up's own loading, as a fetched lesson would be.
        spawn_local(async move {
            match inline {
                Ok(text) => add_lesson(correction, route, loader, learn, "The lesson in the link", &text),
                Err(message) => {
                    route.lesson.set(Some(rewind_learn::builtin().len() + learn.extra.with_untracked(Vec::len) + 1));
                    learn.error.set(Some(message));
                }
            }
        });
        return;
    }
    let url = match web_sys::Url::new_with_base(&written, &href) {
        Ok(url) => url.href(),
        Err(_) => {
            learn
                .error
                .set(Some(format!("The lesson= parameter \"{written}\" is not a URL, so no lesson was fetched.")));
            return;
        }
    };
    learn.fetching.set(Some(written.clone()));
    // Learn mode at once, at the number the lesson will have: the fetch (and any error) shows.
    if route.lesson.get_untracked().is_none() {
        route.lesson.set(Some(rewind_learn::builtin().len() + learn.extra.with_untracked(Vec::len) + 1));
    }
    spawn_local(async move {
        let result = fetch_text(&url).await;
        learn.fetching.set(None);
        match result {
            Ok(text) => add_lesson(correction, route, loader, learn, &written, &text),
            Err(reason) => learn.error.set(Some(format!("Could not fetch the lesson {written}: {reason}"))),
        }
    });
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|_| "the server did not allow it or could not be reached (network or CORS)".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {} {}", response.status(), response.status_text()).trim_end().to_string());
    }
    response.text().await.map_err(|_| "the download was interrupted".to_string())
}
