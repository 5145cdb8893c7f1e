//! "Break when": a condition in the script language, its matches found over the whole log in
//! slices, jumped to with Next / Previous match, marked on the timeline, and where Play stops.
use super::next_task::next_task;
use super::open_log_file::SLICE_MS;
use super::state::{Breakpoints, Cursor, Loaded, Matches, Playback};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_script::query::{Expression, MatchSearch};
use rewind_script::CompileError;
use std::sync::Arc;

/// Positions searched per step between looks at the clock.
const EVENTS_PER_STEP: usize = 512;

/// The search going on, so a Cancel, a newer search or another session stops it.
#[derive(Copy, Clone, Default)]
struct Running {
    /// Counts searches: a search that sees a newer id stops without a word.
    id: u64,
    /// Set by Cancel: the search stops and keeps what it found.
    cancelled: bool,
}

/// The condition's textbox ("Break when", Enter or "Find matches" applies it; a syntax error is
/// shown as it is typed), the search's progress with Cancel, the count, Previous / Next match,
/// and a note when the condition failed somewhere (there it counts as false).
#[component]
pub fn BreakWhen() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let playback = expect_context::<Playback>();
    let breakpoints = expect_context::<Breakpoints>();
    let text = RwSignal::new(String::new());
    let compile_error = RwSignal::new(None::<CompileError>);
    // The condition applied, searched again in every new session.
    let applied = RwSignal::new(None::<Arc<Expression>>);
    let progress = RwSignal::new(None::<usize>);
    let problem = RwSignal::new(None::<(usize, String)>);
    let running = StoredValue::new(Running::default());

    let search = move |expression: Arc<Expression>| {
        let id = running.get_value().id + 1;
        running.set_value(Running { id, cancelled: false });
        let session = loaded.session.get_untracked();
        let revision = session.revision();
        problem.set(None);
        // Searching from now on: the count waits for the end (a log done in one slice never
        // shows the progress).
        progress.set(Some(0));
        breakpoints.matches.set(Some(Matches { revision, positions: Arc::from([]), complete: false }));
        spawn_local(async move {
            let mut search = MatchSearch::new(&expression, &session);
            loop {
                let started = js_sys::Date::now();
                let mut done = false;
                while !done && js_sys::Date::now() - started < SLICE_MS {
                    done = search.step(EVENTS_PER_STEP);
                }
                let state = running.try_get_value().unwrap_or_default();
                if state.id != id {
                    return;
                }
                if done || state.cancelled {
                    break;
                }
                progress.set(Some(search.done() * 100 / search.total().max(1)));
                next_task().await;
            }
            let complete = search.done() == search.total();
            let (positions, first_problem) = search.finish();
            progress.set(None);
            problem.set(first_problem);
            breakpoints.matches.set(Some(Matches { revision, positions: positions.into(), complete }));
        });
    };

    let apply = move || {
        let source = text.get_untracked();
        if source.trim().is_empty() {
            running.update_value(|r| r.id += 1);
            applied.set(None);
            progress.set(None);
            problem.set(None);
            breakpoints.matches.set(None);
            return;
        }
        match Expression::compile(&source) {
            Ok(expression) => {
                let expression = Arc::new(expression);
                applied.set(Some(Arc::clone(&expression)));
                search(expression);
            }
            Err(error) => compile_error.set(Some(error)),
        }
    };

    // Another session (a view changed, another log): its matches are searched for again.
    Effect::new(move |previous: Option<u64>| {
        let revision = loaded.session.with(|s| s.revision());
        if previous.is_some_and(|p| p != revision) {
            if let Some(expression) = applied.get_untracked() {
                search(expression);
            }
        }
        revision
    });

    // Play stops on reaching a match: when a step forward lands on one, not when Play starts there.
    Effect::new(move |previous: Option<usize>| {
        let position = cursor.position.get();
        if previous.is_some_and(|p| p + 1 == position) && playback.playing.get_untracked() {
            let revision = loaded.session.with_untracked(|s| s.revision());
            if breakpoints.matches.with_untracked(|m| {
                m.as_ref().is_some_and(|m| m.revision == revision && m.positions.binary_search(&position).is_ok())
            }) {
                playback.playing.set(false);
            }
        }
        position
    });

    let positions = move || breakpoints.positions_in(loaded.session.with(|s| s.revision()));
    let next = move || {
        let (positions, at) = (positions(), cursor.position.get());
        positions.get(positions.partition_point(|&p| p <= at)).copied()
    };
    let previous = move || {
        let (positions, at) = (positions(), cursor.position.get());
        positions.partition_point(|&p| p < at).checked_sub(1).map(|i| positions[i])
    };
    let count = move || {
        let (complete, found) = breakpoints.matches.with(|m| {
            let m = m.as_ref()?;
            Some((m.complete, m.positions.len()))
        })?;
        let matches = match found {
            0 => "No matches".to_string(),
            1 => "1 match".to_string(),
            n => format!("{n} matches"),
        };
        match (complete, progress.get()) {
            (true, _) => Some(matches),
            (false, Some(_)) => None,
            (false, None) => Some(format!("{matches} in the part searched before Cancel")),
        }
    };
    let problem_note = move || {
        problem.get().map(|(position, why)| {
            let at = match position {
                0 => "At the start".to_string(),
                p => format!("After event {p}"),
            };
            view! { <p class="break-problem">{format!("{at} the condition failed, and counts as false there: {why}")}</p> }
        })
    };
    let compile_message = move || {
        compile_error.get().map(|error| {
            let at = error.column.map(|c| format!("column {c}: ")).unwrap_or_default();
            view! { <p class="expression-error" role="alert">{format!("The condition does not compile: {at}{}", error.message)}</p> }
        })
    };

    view! {
        <section class="break-when" role="region" aria-label="Break when">
            <h2>"Break when"</h2>
            <form
                class="expression-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    apply();
                }
            >
                <input
                    type="text"
                    aria-label="Break when"
                    placeholder="stream.balance < 100"
                    spellcheck="false"
                    autocomplete="off"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        let source = event_target_value(&ev);
                        // Checked as it is typed: a mistake shows at once, at its column.
                        compile_error.set(match source.trim().is_empty() {
                            true => None,
                            false => Expression::compile(&source).err(),
                        });
                        text.set(source);
                    }
                />
                <button type="submit">"Find matches"</button>
            </form>
            {compile_message}
            <p class="expression-hint">
                "True or false after each event: event, stream (its stream after it) and state (every stream, by name). "
                "A match is where it becomes true."
            </p>
            <div class="break-status" role="status">
                {move || progress.get().map(|percent| format!("Finding matches: {percent}%…"))}
                {count}
            </div>
            {move || {
                progress
                    .get()
                    .is_some()
                    .then(|| {
                        view! {
                            <button type="button" on:click=move |_| running.update_value(|r| r.cancelled = true)>
                                "Cancel"
                            </button>
                        }
                    })
            }}
            <div class="break-jumps">
                <button type="button" disabled=move || previous().is_none() on:click=move |_| {
                    if let Some(p) = previous() {
                        cursor.seek(p);
                    }
                }>"Previous match"</button>
                <button type="button" disabled=move || next().is_none() on:click=move |_| {
                    if let Some(p) = next() {
                        cursor.seek(p);
                    }
                }>"Next match"</button>
            </div>
            {problem_note}
        </section>
    }
}
