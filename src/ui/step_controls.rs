use super::state::AppState;
use leptos::prelude::*;

/// Step one event back or forward, and where the cursor is.
#[component]
pub fn StepControls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let at_start = move || state.cursor.get() == 0;
    let at_end = move || state.cursor.get() >= state.len();
    view! {
        <div class="step-controls">
            <button
                type="button"
                disabled=at_start
                on:click=move |_| state.seek(state.cursor.get_untracked().saturating_sub(1))
            >
                "Step back"
            </button>
            <output class="position" aria-live="polite">
                {move || format!("event {} of {}", state.cursor.get(), state.len())}
            </output>
            <button
                type="button"
                disabled=at_end
                on:click=move |_| state.seek(state.cursor.get_untracked() + 1)
            >
                "Step forward"
            </button>
        </div>
    }
}
