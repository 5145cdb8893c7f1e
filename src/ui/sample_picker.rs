use super::state::AppState;
use crate::engine::samples::{self, SAMPLES};
use leptos::prelude::*;

/// Picks one of the built-in logs; picking loads it.
#[component]
pub fn SamplePicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_change = move |ev| {
        if let Some(sample) = samples::find(&event_target_value(&ev)) {
            state.load(sample.label, sample.text, Some(sample.id));
        }
    };
    view! {
        <div class="field">
            <label for="sample">"Sample"</label>
            <select
                id="sample"
                prop:value=move || state.sample.get().unwrap_or("")
                on:change=on_change
            >
                {SAMPLES
                    .iter()
                    .map(|s| view! { <option value=s.id>{s.label}</option> })
                    .collect_view()}
                <option value="" disabled hidden>"Your own log"</option>
            </select>
        </div>
    }
}
