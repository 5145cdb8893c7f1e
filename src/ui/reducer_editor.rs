//! "Reducer": the person's own rules as a Rhai script, applied to the log in the page.
use super::next_task::next_task;
use super::open_log_file::SLICE_MS;
use super::state::{Cursor, Loaded};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::session::Session;
use rewind_engine::timeline::Severity;
use rewind_script::{script, skeleton, CompileError, ScriptDomain};
use std::sync::Arc;
use std::time::Duration;

/// How long typing must pause before the script is applied by itself.
const APPLY_AFTER: Duration = Duration::from_millis(900);
/// Events replayed per step between looks at the clock.
const EVENTS_PER_STEP: usize = 256;
/// Runtime errors listed under the editor; the rest are counted.
const LISTED_ERRORS: usize = 20;

/// The editor: a script with line numbers, Apply (and again after a pause in typing), the compile
/// error at its line, the runtime errors at their events, "Start from this log" (a skeleton with
/// an arm per event type) and "Open reducer file". The script shown is the one the log carries:
/// applying it puts it in the log, so it is saved, exported and shared with it.
#[component]
pub fn ReducerEditor() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let text = RwSignal::new(String::new());
    let compile_error = RwSignal::new(None::<CompileError>);
    let status = RwSignal::new(String::new());
    // Counts applies: a slower replay that a newer apply overtook is dropped.
    let applying = StoredValue::new(0u64);
    let file_input = NodeRef::<html::Input>::new();

    let apply = move |source: String| {
        let domain = match ScriptDomain::compile("your reducer", &source) {
            Ok(domain) => domain,
            Err(error) => {
                compile_error.set(Some(error));
                return;
            }
        };
        compile_error.set(None);
        let id = applying.get_value() + 1;
        applying.set_value(id);
        let mut replay = loaded.session.with_untracked(|s| s.start_reducer(script(&source), Arc::new(domain)));
        spawn_local(async move {
            loop {
                let started = js_sys::Date::now();
                let mut done = false;
                while !done && js_sys::Date::now() - started < SLICE_MS {
                    done = replay.step(EVENTS_PER_STEP);
                }
                if done {
                    break;
                }
                let percent = replay.replayed() * 100 / replay.total().max(1);
                status.set(format!("Replaying the log with your reducer: {percent}%…"));
                next_task().await;
                if applying.get_value() != id {
                    return;
                }
            }
            status.set(String::new());
            cursor.replace(replay.finish());
        });
    };

    // The script the shown log carries fills the editor; a log that carries one but is not yet
    // replayed by it (just loaded, restored, followed from a link) is replayed now.
    Effect::new(move |_| {
        let (carried, applied) =
            loaded.session.with(|s| (s.log().reducer().map(|r| r.source.clone()), s.domain_chosen()));
        if let Some(source) = carried {
            if text.get_untracked() != source {
                text.set(source.clone());
            }
            if !applied {
                apply(source);
            }
        }
    });

    // Applied again once typing pauses, when it compiles and differs from what the log carries.
    Effect::new(move |_| {
        let source = text.get();
        let carried = loaded.session.with_untracked(|s| s.log().reducer().map(|r| r.source.clone()));
        if source.trim().is_empty() || carried.as_deref() == Some(source.as_str()) {
            return;
        }
        let handle = set_timeout_with_handle(move || apply(source), APPLY_AFTER).ok();
        on_cleanup(move || {
            if let Some(handle) = handle {
                handle.clear();
            }
        });
    });

    let start_from_log = move |_| text.set(loaded.session.with_untracked(|s| skeleton(s.log())));
    let open_file = move |_| {
        let Some(input) = file_input.get_untracked() else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        let file = gloo_file::File::from(file);
        spawn_local(async move {
            match gloo_file::futures::read_as_text(&file).await {
                Ok(source) => {
                    text.set(source.clone());
                    apply(source);
                }
                Err(_) => status.set(format!("Could not read {}.", file.name())),
            }
        });
    };

    let line_numbers = move || {
        let lines = text.with(|t| t.lines().count().max(1) + usize::from(t.ends_with('\n')));
        let bad = compile_error.with(|e| e.as_ref().and_then(|e| e.line));
        (1..=lines)
            .map(|n| {
                let class = if Some(n) == bad { "line-number error" } else { "line-number" };
                view! { <span class=class>{n}</span> }
            })
            .collect_view()
    };
    let rows = move || text.with(|t| t.lines().count().max(8) + 1);
    let compile_message = move || {
        compile_error.get().map(|error| {
            view! { <p class="reducer-error" role="alert">{format!("The script does not compile: {error}")}</p> }
        })
    };
    let runtime_errors = move || {
        loaded.session.with(|s| {
            if !is_script(s) {
                return None;
            }
            let errors: Vec<_> = s.problems().iter().filter(|p| p.severity == Severity::Error).collect();
            if errors.is_empty() {
                return None;
            }
            let listed = errors
                .iter()
                .take(LISTED_ERRORS)
                .map(|p| {
                    let number = p.position + 1;
                    let type_name = s.type_name(s.event(p.position).1).to_string();
                    view! {
                        <li>
                            <button type="button" class="link" on:click=move |_| cursor.seek(number)>
                                {format!("Event {number} ({type_name})")}
                            </button>
                            {format!(": {}", p.message)}
                        </li>
                    }
                })
                .collect_view();
            let more = errors.len().saturating_sub(LISTED_ERRORS);
            Some(view! {
                <div class="reducer-runtime">
                    <p>{format!("The reducer failed at {} event{}:", errors.len(), if errors.len() == 1 { "" } else { "s" })}</p>
                    <ul aria-label="Reducer errors">{listed}</ul>
                    {(more > 0).then(|| view! { <p>{format!("… and {more} more.")}</p> })}
                </div>
            })
        })
    };

    view! {
        <section class="reducer" role="region" aria-label="Reducer">
            <h2>"Reducer"</h2>
            <p class="reducer-hint">
                "Your own rules, in Rhai: fn apply(state, event) returns a stream's state after one more event; "
                "fn init(stream) and fn check(state, event) are optional. Applied to the log in the page, in a sandbox."
            </p>
            <div class="reducer-code">
                <div class="line-numbers" aria-hidden="true">{line_numbers}</div>
                <textarea
                    id="reducer-script"
                    aria-label="Reducer script"
                    spellcheck="false"
                    rows=rows
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
            </div>
            {compile_message}
            <div class="reducer-actions">
                <button type="button" on:click=move |_| apply(text.get_untracked())>"Apply reducer"</button>
                <button type="button" on:click=start_from_log>"Start from this log"</button>
                <label class="file-button">
                    "Open reducer file"
                    <input type="file" accept=".rhai,text/plain" class="visually-hidden" node_ref=file_input on:change=open_file/>
                </label>
            </div>
            <p class="reducer-status" role="status">{move || status.get()}</p>
            {runtime_errors}
        </section>
    }
}

/// True when the session is replayed by a reducer script.
fn is_script(session: &Session) -> bool {
    session.log().reducer().is_some() && session.domain_chosen()
}
