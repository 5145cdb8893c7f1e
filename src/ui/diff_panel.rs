use super::state::AppState;
use leptos::prelude::*;

/// What the event at the cursor changed.
#[component]
pub fn DiffPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let changes = move || {
        let position = state.cursor.get();
        state.session.with(|s| position.checked_sub(1).map(|p| s.event_changes(p)).unwrap_or_default())
    };
    view! {
        <section class="diff-panel" role="region" aria-label="Diff">
            <h2>"Diff"</h2>
            <p>{move || format!("{} changes", changes().len())}</p>
        </section>
    }
}
