//! Keeps the URL fragment in step with the view, so a reload or a shared link returns to the same
//! sample, position and focused stream.
use super::state::{LessonRoute, Loader};
use crate::location::Location;
use leptos::ev;
use leptos::prelude::*;
use rewind_engine::samples;
use std::time::Duration;
use wasm_bindgen::JsValue;

pub fn sync_location_with_url(route: LessonRoute, loader: Loader) {
    let (loaded, cursor, inspection) = (loader.loaded, loader.cursor, loader.inspection);
    apply(route, loader, &current_fragment());
    let latest = StoredValue::new(Location::default());
    let written = StoredValue::new(Location::default());
    let waiting = StoredValue::new(false);
    Effect::new(move |_| {
        let location = Location {
            at: Some(cursor.position.get()),
            stream: inspection.focus.get(),
            sample: loaded.sample.get().map(String::from),
            lesson: route.lesson.get(),
        };
        latest.set_value(location.clone());
        let write = move || {
            waiting.set_value(false);
            let location = latest.get_value();
            write_fragment(&location.to_fragment());
            written.set_value(location);
        };
        // A URL write costs about a millisecond: a move is written once the frame showing it is
        // painted, and the moves of one frame (a drag) once. Anything else is written now.
        let only_moved = Location { at: written.with_value(|w| w.at), ..location } == written.get_value();
        if !only_moved {
            return write();
        }
        if !waiting.get_value() {
            waiting.set_value(true);
            request_animation_frame(move || set_timeout(write, Duration::ZERO));
        }
    });
    let handle = window_event_listener(ev::hashchange, move |_| apply(route, loader, &current_fragment()));
    on_cleanup(move || handle.remove());
}

fn write_fragment(fragment: &str) {
    if current_fragment() != fragment {
        // replaceState, not `location.hash =`: no history entry per step and no hashchange echo.
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(fragment));
        }
    }
}

fn current_fragment() -> String {
    window().location().hash().unwrap_or_default()
}

fn apply(route: LessonRoute, loader: Loader, fragment: &str) {
    let (loaded, cursor, inspection) = (loader.loaded, loader.cursor, loader.inspection);
    let location = Location::parse(fragment);
    route.lesson.set(location.lesson);
    if let Some(sample) = location.sample.as_deref().and_then(samples::find) {
        if loaded.sample.get_untracked() != Some(sample.id) {
            loader.load(sample.label, sample.text, Some(sample.id));
        }
    }
    let stream_exists = |name: &str| loaded.session.with_untracked(|s| s.stream(name).is_some());
    inspection.focus.set(location.stream.filter(|name| stream_exists(name)));
    if let Some(at) = location.at {
        // Beyond the end clamps to the end; the effect above then rewrites the fragment once.
        cursor.seek(at);
    }
}
