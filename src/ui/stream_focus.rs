use super::state::AppState;
use leptos::prelude::*;

/// Picks the stream (an account, an order) that the state, diff and chart follow.
#[component]
pub fn StreamFocus() -> impl IntoView {
    let state = expect_context::<AppState>();
    let streams = move || {
        state.session.with(|s| s.log.active_streams().map(|(_, name)| name.to_string()).collect::<Vec<_>>())
    };
    view! {
        <label class="inline">
            "Stream "
            <select
                prop:value=move || state.focus.get().unwrap_or_default()
                on:change=move |ev| {
                    let name = event_target_value(&ev);
                    state.focus.set((!name.is_empty()).then_some(name));
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
