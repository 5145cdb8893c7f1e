//! Play, speed, loop, the jumps to either end, and the keyboard shortcuts that drive them.
use super::state::{Cursor, Loaded, Playback, Speed, MAX_RECORDED_GAP};
use leptos::ev;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// Play / Pause, speed, loop and the jumps to either end; and the keyboard shortcuts that drive
/// them from anywhere on the page except a text field.
#[component]
pub fn TransportControls() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let playback = expect_context::<Playback>();
    play_while_playing(loaded, cursor, playback);
    keyboard_shortcuts(cursor, playback);

    let toggle = move |_| toggle_play(cursor, playback);
    view! {
        <div class="transport">
            <button type="button" on:click=move |_| cursor.seek(0) disabled=move || cursor.position.get() == 0>
                "Jump to start"
            </button>
            <button type="button" class="play" on:click=toggle aria-pressed=move || playback.playing.get().to_string()>
                {move || if playback.playing.get() { "Pause" } else { "Play" }}
            </button>
            <button
                type="button"
                on:click=move |_| cursor.seek(usize::MAX)
                disabled=move || { cursor.position.get() >= cursor.len() }
            >
                "Jump to end"
            </button>
            <label class="inline">
                "Speed "
                <select
                    prop:value=move || playback.speed.get().id()
                    on:change=move |ev| {
                        if let Some(speed) = Speed::from_id(&event_target_value(&ev)) {
                            playback.speed.set(speed);
                        }
                    }
                >
                    {Speed::ALL.map(|s| view! { <option value=s.id()>{s.label()}</option> }).collect_view()}
                </select>
            </label>
            <label class="inline">
                <input
                    type="checkbox"
                    prop:checked=move || playback.looping.get()
                    on:change=move |ev| playback.looping.set(event_target_checked(&ev))
                />
                " Loop"
            </label>
        </div>
    }
}

fn toggle_play(cursor: Cursor, playback: Playback) {
    if playback.playing.get_untracked() {
        playback.playing.set(false);
    } else {
        // Play from the end starts over, as a media player does.
        if cursor.position.get_untracked() >= cursor.len() {
            cursor.seek(0);
        }
        playback.playing.set(true);
    }
}

/// While playing, each cursor move schedules the next; pausing, seeking or unmounting cancels
/// the pending step.
fn play_while_playing(loaded: Loaded, cursor: Cursor, playback: Playback) {
    Effect::new(move |_| {
        if !playback.playing.get() {
            return;
        }
        let position = cursor.position.get();
        let len = cursor.len();
        let speed = playback.speed.get();
        if position >= len && !playback.looping.get() {
            playback.playing.set(false);
            return;
        }
        let next = if position >= len { 0 } else { position + 1 };
        let delay = speed.fixed_delay().unwrap_or_else(|| {
            loaded
                .session
                .with_untracked(|s| s.recorded_gap(next))
                .unwrap_or(Duration::from_millis(500))
                .min(MAX_RECORDED_GAP)
        });
        let handle = set_timeout_with_handle(move || cursor.seek(next), delay).ok();
        on_cleanup(move || {
            if let Some(handle) = handle {
                handle.clear();
            }
        });
    });
}

/// The tag of the element a key went to, when the key may be a shortcut there; `None` while the
/// person is typing (an input, a text area, a select, editable text), whose keys are their own.
pub(super) fn shortcut_target(ev: &web_sys::KeyboardEvent) -> Option<String> {
    let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let tag = target.as_ref().map(|t| t.tag_name()).unwrap_or_default();
    let editable =
        target.as_ref().and_then(|t| t.dyn_ref::<web_sys::HtmlElement>()).is_some_and(|e| e.is_content_editable());
    (!editable && !matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT")).then_some(tag)
}

/// ←/→ step, Home/End jump, Space plays or pauses — unless the person is typing or the focused
/// control has its own use for the key.
fn keyboard_shortcuts(cursor: Cursor, playback: Playback) {
    let handle = window_event_listener(ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        // Inputs (the slider included), text areas and selects handle these keys themselves.
        let Some(tag) = shortcut_target(&ev) else { return };
        let at = cursor.position.get_untracked();
        match ev.key().as_str() {
            "ArrowLeft" => cursor.seek(at.saturating_sub(1)),
            "ArrowRight" => cursor.seek(at + 1),
            "Home" => cursor.seek(0),
            "End" => cursor.seek(usize::MAX),
            " " if tag != "BUTTON" => toggle_play(cursor, playback),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}
