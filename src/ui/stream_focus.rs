//! "Stream": which stream the state, diff and chart follow.
use super::state::{Inspection, Loaded};
use leptos::prelude::*;

/// Picks the stream (an account, an order) that the state, diff and chart follow.
#[component]
pub fn StreamFocus() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let inspection = expect_context::<Inspection>();
    let streams =
        move || loaded.session.with(|s| s.active_streams().map(|(_, name)| name.to_string()).collect::<Vec<_>>());
    view! {
        <label class="inline">
            "Stream "
            <select
                prop:value=move || inspection.focus.get().unwrap_or_default()
                on:change=move |ev| {
                    let name = event_target_value(&ev);
                    inspection.focus.set((!name.is_empty()).then_some(name));
                }
            >
                <option value="">"All streams"</option>
                {move || {
                    streams()
                        .into_iter()
                        .map(|name| view! { <option value=name.clone()>{name.clone()}</option> })
                        .collect_view()
                }}
            </select>
        </label>
    }
}
