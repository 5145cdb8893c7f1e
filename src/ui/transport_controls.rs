use super::state::{AppState, Speed, MAX_RECORDED_GAP};
use leptos::ev;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// Play / Pause, speed, loop and the jumps to either end; and the keyboard shortcuts that drive
/// them from anywhere on the page except a text field.
#[component]
pub fn TransportControls() -> impl IntoView {
    let state = expect_context::<AppState>();
    play_while_playing(state);
    keyboard_shortcuts(state);

    let toggle = move |_| toggle_play(state);
    view! {
        <div class="transport">
            <button type="button" on:click=move |_| state.seek(0) disabled=move || state.cursor.get() == 0>
                "Jump to start"
            </button>
            <button type="button" class="play" on:click=toggle aria-pressed=move || state.playing.get().to_string()>
                {move || if state.playing.get() { "Pause" } else { "Play" }}
            </button>
            <button
                type="button"
                on:click=move |_| state.seek(usize::MAX)
                disabled=move || { state.cursor.get() >= state.len() }
            >
                "Jump to end"
            </button>
            <label class="inline">
                "Speed "
                <select
                    prop:value=move || state.speed.get().id()
                    on:change=move |ev| {
                        if let Some(speed) = Speed::from_id(&event_target_value(&ev)) {
                            state.speed.set(speed);
                        }
                    }
                >
                    {Speed::ALL.map(|s| view! { <option value=s.id()>{s.label()}</option> }).collect_view()}
                </select>
            </label>
            <label class="inline">
                <input
                    type="checkbox"
                    prop:checked=move || state.looping.get()
                    on:change=move |ev| state.looping.set(event_target_checked(&ev))
                />
                " Loop"
            </label>
        </div>
    }
}

fn toggle_play(state: AppState) {
    if state.playing.get_untracked() {
        state.playing.set(false);
    } else {
        // Play from the end starts over, as a media player does.
        if state.cursor.get_untracked() >= state.len() {
            state.seek(0);
        }
        state.playing.set(true);
    }
}

/// While playing, each cursor move schedules the next; pausing, seeking or unmounting cancels
/// the pending step.
fn play_while_playing(state: AppState) {
    Effect::new(move |_| {
        if !state.playing.get() {
            return;
        }
        let position = state.cursor.get();
        let len = state.len();
        let speed = state.speed.get();
        if position >= len && !state.looping.get() {
            state.playing.set(false);
            return;
        }
        let next = if position >= len { 0 } else { position + 1 };
        let delay = speed.fixed_delay().unwrap_or_else(|| {
            state
                .session
                .with_untracked(|s| s.recorded_gap(next))
                .unwrap_or(Duration::from_millis(500))
                .min(MAX_RECORDED_GAP)
        });
        let handle = set_timeout_with_handle(move || state.seek(next), delay).ok();
        on_cleanup(move || {
            if let Some(handle) = handle {
                handle.clear();
            }
        });
    });
}

/// ←/→ step, Home/End jump, Space plays or pauses — unless the person is typing or the focused
/// control has its own use for the key.
fn keyboard_shortcuts(state: AppState) {
    let handle = window_event_listener(ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let tag = target.as_ref().map(|t| t.tag_name()).unwrap_or_default();
        let editable = target.as_ref().and_then(|t| t.dyn_ref::<web_sys::HtmlElement>()).is_some_and(|e| e.is_content_editable());
        // Inputs (the slider included), text areas and selects handle these keys themselves.
        if editable || matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT") {
            return;
        }
        let cursor = state.cursor.get_untracked();
        match ev.key().as_str() {
            "ArrowLeft" => state.seek(cursor.saturating_sub(1)),
            "ArrowRight" => state.seek(cursor + 1),
            "Home" => state.seek(0),
            "End" => state.seek(usize::MAX),
            " " if tag != "BUTTON" => toggle_play(state),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}
