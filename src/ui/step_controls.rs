//! "Step back", "Step forward" and "event k of n".
use super::state::Cursor;
use leptos::prelude::*;

/// Step one event back or forward, and where the cursor is.
#[component]
pub fn StepControls() -> impl IntoView {
    let cursor = expect_context::<Cursor>();
    let at_start = move || cursor.position.get() == 0;
    let at_end = move || cursor.position.get() >= cursor.len();
    view! {
        <div class="step-controls">
            <button
                type="button"
                disabled=at_start
                on:click=move |_| cursor.seek(cursor.position.get_untracked().saturating_sub(1))
            >
                "Step back"
            </button>
            <output class="position" aria-live="polite">
                {move || format!("event {} of {}", cursor.position.get(), cursor.len())}
            </output>
            <button
                type="button"
                disabled=at_end
                on:click=move |_| cursor.seek(cursor.position.get_untracked() + 1)
            >
                "Step forward"
            </button>
        </div>
    }
}
