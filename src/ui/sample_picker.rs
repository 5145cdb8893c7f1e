//! The built-in sample logs, one click each.
use super::state::{Loaded, Loader};
use leptos::prelude::*;
use rewind_engine::samples::{self, SAMPLES};

/// Picks one of the built-in logs; picking loads it.
#[component]
pub fn SamplePicker() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let loader = expect_context::<Loader>();
    let on_change = move |ev| {
        if let Some(sample) = samples::find(&event_target_value(&ev)) {
            loader.load(sample.label, sample.text, Some(sample.id));
        }
    };
    view! {
        <div class="field">
            <label for="sample">"Sample"</label>
            <select
                id="sample"
                prop:value=move || loaded.sample.get().unwrap_or("")
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
