//! "Diff": what the event at the cursor changed, as a list and as JSON Patch, and a comparison with a pinned position.
use super::state::{Cursor, Inspection, Loaded};
use leptos::prelude::*;
use rewind_engine::event::Sym;
use rewind_engine::inspect::{diff, display_path, to_json_patch, Change, ChangeKind};
use rewind_engine::timeline::{Severity, StateView};
use serde_json::Value;

/// Values longer than this are cut, the full text kept in a tooltip.
const MAX_VALUE_CHARS: usize = 60;

/// What the event at the cursor changed, as rows and as a JSON Patch; below it, a comparison of
/// the state at a pinned position A with the state at the cursor.
#[component]
pub fn DiffPanel() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let inspection = expect_context::<Inspection>();
    // Recomputed only when the cursor or the log changes.
    let event = Memo::new(move |_| {
        let position = cursor.position.get();
        loaded.session.with(|s| {
            let index = position.checked_sub(1)?;
            let event = s.log_event(index)?;
            Some(EventDiff {
                position,
                of: s.len(),
                type_name: s.type_name(event).to_string(),
                stream: s.stream_of(event).to_string(),
                changes: s.event_changes(index),
                problems: s.problems_at(index).iter().map(|p| (p.severity, p.message.clone())).collect(),
            })
        })
    });
    let patch = Memo::new(move |_| {
        event.with(|e| e.as_ref().map(|e| serde_json::to_string_pretty(&to_json_patch(&e.changes)).unwrap_or_default()))
    });
    let copy = RwSignal::new(None::<CopyResult>);
    let copy_status = move || {
        let current = (cursor.position.get(), patch.get().unwrap_or_default());
        copy.with(|c| match c {
            Some(c) if (c.position, &c.patch) == (current.0, &current.1) => {
                if c.ok {
                    "Copied"
                } else {
                    "Could not copy: select the patch below instead"
                }
            }
            _ => "",
        })
    };
    let on_copy = move |_| {
        let Some(text) = patch.get_untracked() else { return };
        let position = cursor.position.get_untracked();
        clipboard::write(&text.clone(), move |ok| copy.set(Some(CopyResult { position, patch: text, ok })));
    };
    let focus_note = move || {
        let focus = inspection.focus.get()?;
        let stream = event.with(|e| e.as_ref().map(|e| e.stream.clone()))?;
        (focus != stream).then(|| {
            view! {
                <p class="diff-note">
                    "This event changed stream " <code>{stream}</code> ", not the focused stream "
                    <code>{focus}</code> "."
                </p>
            }
        })
    };
    let body = move || {
        event.with(|e| match e {
            None => view! { <p class="diff-empty">"Start of the log: no event applied yet."</p> }.into_any(),
            Some(e) if e.changes.is_empty() => view! {
                <p class="diff-empty">
                    "This event changed nothing (it could not be applied, or it set the values they already had)."
                </p>
            }
            .into_any(),
            Some(e) => changes_view(&e.changes, "Changes").into_any(),
        })
    };
    let problems = move || {
        event.with(|e| {
            e.as_ref()
                .map(|e| {
                    e.problems
                        .iter()
                        .map(|(severity, message)| {
                            let (class, label) = (format!("problem {}", severity.id()), severity.label());
                            view! {
                                <p class=class>
                                    <span class="badge">{label}</span>
                                    {format!(" {message}")}
                                </p>
                            }
                        })
                        .collect_view()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="diff-panel" role="region" aria-label="Diff">
            <h2>"Diff"</h2>
            <p class="diff-event">
                {move || {
                    event
                        .with(|e| match e {
                            None => "Start of the log".to_string(),
                            Some(e) => {
                                format!("Event {} of {} — {} on {}", e.position, e.of, e.type_name, e.stream)
                            }
                        })
                }}
            </p>
            {focus_note}
            {problems}
            {body}
            <Show when=move || event.with(Option::is_some)>
                <div class="patch">
                    <div class="patch-actions">
                        <button type="button" on:click=on_copy>"Copy as JSON Patch"</button>
                        <span role="status" class="copy-status">{copy_status}</span>
                    </div>
                    <details class="patch-text" aria-label="JSON Patch">
                        <summary>"Show JSON Patch"</summary>
                        <pre>{move || patch.get().unwrap_or_default()}</pre>
                    </details>
                </div>
            </Show>
            <ComparePositions/>
        </section>
    }
}

/// The state at a pinned position A against the state at the cursor.
#[component]
fn ComparePositions() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let inspection = expect_context::<Inspection>();
    // The state at A (the focused stream's, or all streams' held as the timeline holds them),
    // kept while only the cursor moves.
    let at_a = Memo::new_with_compare(
        move |_| {
            let a = inspection.pinned.get()?;
            let focused = inspection.focused_stream();
            Some(loaded.session.with(|s| {
                let position = a.min(s.len());
                let scope = match focused {
                    Some(stream) => {
                        let name = s.stream_name(stream).to_string();
                        let value = in_stream(&name, s.stream_state_at(stream, position));
                        Scope::Stream { stream, name, value }
                    }
                    None => Scope::All(s.state_view(position)),
                };
                StateAt { position, scope }
            }))
        },
        |_, _| true,
    );
    let compare = Memo::new(move |_| {
        let at = cursor.position.get();
        at_a.with(|at_a| {
            let at_a = at_a.as_ref()?;
            let (changes, scope) = match &at_a.scope {
                Scope::Stream { stream, name, value } => {
                    let after = loaded.session.with(|s| in_stream(name, s.stream_state_at(*stream, at)));
                    (diff(value, &after), Some(name.clone()))
                }
                // Only streams with an event between A and the cursor can differ.
                Scope::All(before) => loaded.session.with(|s| {
                    let streams = s.streams_between(at_a.position, at);
                    let before = before.json_of(streams.iter().copied());
                    let after = cursor.state.with(|view| view.json_of(streams.iter().copied()));
                    (diff(&before, &after), None)
                }),
            };
            Some(Comparison { a: at_a.position, cursor: at, scope, changes })
        })
    });
    let pin = move |_| inspection.pinned.set(Some(cursor.position.get_untracked()));
    let unpin = move |_| inspection.pinned.set(None);
    let body = move || {
        compare.with(|c| match c {
            None => view! {
                <p class="diff-empty">
                    "Pin a position A, then move the cursor: everything that differs between the two is listed here."
                </p>
            }
            .into_any(),
            Some(c) => {
                let scope = match &c.scope {
                    Some(name) => format!("Stream {name} only (the focused stream); values read A → cursor."),
                    None => "All streams; values read A → cursor.".to_string(),
                };
                let result = if c.a == c.cursor {
                    view! { <p class="diff-empty">"Same position: nothing differs."</p> }.into_any()
                } else if c.changes.is_empty() {
                    view! { <p class="diff-empty">"Nothing differs between A and the cursor."</p> }.into_any()
                } else {
                    changes_view(&c.changes, "Differences").into_any()
                };
                view! {
                    <p class="compare-what">
                        <strong>
                            {format!("Compare A = {} with cursor = {}", position_name(c.a), position_name(c.cursor))}
                        </strong>
                    </p>
                    <p class="compare-scope">{scope}</p>
                    {result}
                }
                .into_any()
            }
        })
    };
    view! {
        <div class="compare" role="group" aria-label="Compare">
            <div class="compare-head">
                <h3>"Compare"</h3>
                <button type="button" on:click=pin>"Pin position A"</button>
                <Show when=move || inspection.pinned.with(Option::is_some)>
                    <button type="button" on:click=unpin>"Unpin"</button>
                </Show>
            </div>
            {body}
        </div>
    }
}

#[derive(Clone, Debug, PartialEq)]
struct EventDiff {
    /// The cursor: the event's 1-based number.
    position: usize,
    of: usize,
    type_name: String,
    stream: String,
    changes: Vec<Change>,
    problems: Vec<(Severity, String)>,
}

/// The state at position A.
struct StateAt {
    position: usize,
    scope: Scope,
}

/// One stream's state (as `{name: state}`), or every stream's.
enum Scope {
    Stream { stream: Sym, name: String, value: Value },
    All(StateView),
}

/// One stream's state as `{name: state}`, so paths start with the stream's name; `{}` before the
/// stream's first event.
fn in_stream(name: &str, value: Value) -> Value {
    match value {
        Value::Null => serde_json::json!({}),
        value => serde_json::json!({ name: value }),
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Comparison {
    a: usize,
    cursor: usize,
    /// The focused stream compared, or `None` for all streams.
    scope: Option<String>,
    changes: Vec<Change>,
}

/// What the last press of "Copy as JSON Patch" did, for which patch at which position.
#[derive(Clone, Debug, PartialEq)]
struct CopyResult {
    position: usize,
    patch: String,
    ok: bool,
}

fn position_name(position: usize) -> String {
    match position {
        0 => "the start (no event)".to_string(),
        k => format!("event {k}"),
    }
}

/// Changes as rows (kind, path, before → after); the comparison of two logs shows its diffs so too.
pub(super) fn changes_view(changes: &[Change], label: &'static str) -> impl IntoView + use<> {
    view! { <ul class="changes" aria-label=label>{changes.iter().map(change_row).collect_view()}</ul> }
}

fn change_row(change: &Change) -> impl IntoView + use<> {
    let (class, label) = match change.kind {
        ChangeKind::Added => ("change added", "added"),
        ChangeKind::Removed => ("change removed", "removed"),
        ChangeKind::Changed => ("change changed", "changed"),
    };
    view! {
        <li class=class>
            <span class="change-kind">{label}</span>
            " "
            <code class="change-path">{display_path(&change.path)}</code>
            " "
            <span class="change-values">
                {value_view(change.before.as_ref(), "before")}
                <span class="arrow">" → "</span>
                {value_view(change.after.as_ref(), "after")}
            </span>
        </li>
    }
}

/// A JSON value on one line, cut when long (the full text in `title`); `(absent)` for no value.
fn value_view(value: Option<&Value>, side: &'static str) -> impl IntoView + use<> {
    match value {
        None => view! { <span class=format!("value {side} absent")>"(absent)"</span> }.into_any(),
        Some(value) => {
            let text = serde_json::to_string(value).unwrap_or_default();
            let (shown, title) = if text.chars().count() > MAX_VALUE_CHARS {
                let cut: String = text.chars().take(MAX_VALUE_CHARS - 1).collect();
                (cut + "…", Some(text))
            } else {
                (text, None)
            };
            view! { <code class=format!("value {side}") title=title>{shown}</code> }.into_any()
        }
    }
}

/// Writing to the clipboard, which may be missing (an insecure page) or refuse (no permission).
mod clipboard {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;

    /// Writes `text`, then calls `done(true)` when it was written or `done(false)` when not.
    pub fn write(text: &str, done: impl FnOnce(bool) + 'static) {
        let Some(window) = web_sys::window() else { return done(false) };
        let clipboard = window.navigator().clipboard();
        if clipboard.is_undefined() || clipboard.is_null() {
            return done(false);
        }
        let promise = clipboard.write_text(text);
        let done = Rc::new(RefCell::new(Some(done)));
        let settle = move |ok: bool| {
            let done = Rc::clone(&done);
            move |_: JsValue| {
                if let Some(done) = done.borrow_mut().take() {
                    done(ok);
                }
            }
        };
        let on_ok: Closure<dyn FnMut(JsValue)> = Closure::new(settle(true));
        let on_err: Closure<dyn FnMut(JsValue)> = Closure::new(settle(false));
        let _ = promise.then2(&on_ok, &on_err);
        // The promise settles later and calls one of them; they are small, so they are leaked
        // rather than tracked.
        on_ok.forget();
        on_err.forget();
    }
}
