//! "Timeline": the slider over the log, and the event it shows.
use super::state::{Cursor, Loaded};
use super::timeline_markers::TimelineMarkers;
use leptos::prelude::*;

/// The timeline: position k shows the state after the first k events.
#[component]
pub fn TimelineSlider() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let value_text = move || {
        let position = cursor.position.get();
        loaded.session.with(|s| match position {
            0 => format!("start, before any of the {} events", s.len()),
            k => format!("event {k} of {}: {}", s.len(), s.type_name(s.event(k - 1).1)),
        })
    };
    view! {
        <div class="timeline">
            <input
                type="range"
                aria-label="Timeline"
                min="0"
                max=move || cursor.len().to_string()
                step="1"
                prop:value=move || cursor.position.get().to_string()
                aria-valuetext=value_text
                on:input=move |ev| {
                    if let Ok(position) = event_target_value(&ev).parse::<usize>() {
                        cursor.seek(position);
                    }
                }
            />
            <TimelineMarkers/>
        </div>
    }
}
