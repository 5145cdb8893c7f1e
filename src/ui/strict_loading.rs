//! "Strict loading": refuse a whole log when any event in it cannot be read.
use super::state::LoadSettings;
use leptos::prelude::*;

/// Off (the default): an event that cannot be read keeps its place, marked, and the rest loads.
/// On: such a log is refused, every problem listed, as a pipeline check would want.
#[component]
pub fn StrictLoading() -> impl IntoView {
    let settings = expect_context::<LoadSettings>();
    view! {
        <label class="inline strict-loading" title="Refuse a log when any event in it cannot be read">
            <input
                type="checkbox"
                prop:checked=move || settings.strict.get()
                on:change=move |ev| settings.strict.set(event_target_checked(&ev))
            />
            "Strict loading"
        </label>
    }
}
