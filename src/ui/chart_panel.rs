use super::state::AppState;
use leptos::prelude::*;

/// A numeric field of the focused stream over the whole log.
#[component]
pub fn ChartPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="chart-panel" role="region" aria-label="Chart">
            <h2>"Chart"</h2>
            <p>{move || state.focus.get().unwrap_or_default()}</p>
        </section>
    }
}
