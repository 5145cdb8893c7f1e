use super::state::AppState;
use leptos::prelude::*;

/// A box to paste a log into, and its Load button.
#[component]
pub fn LogInput() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = RwSignal::new(String::new());
    let load = move |_| {
        text.with(|t| state.load("pasted log", t, None));
    };
    view! {
        <div class="field log-input">
            <label for="event-log">"Event log"</label>
            <textarea
                id="event-log"
                rows="3"
                spellcheck="false"
                placeholder=r#"[{"type":"Deposit","amount":100}, {"type":"Withdraw","amount":30}]"#
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <button type="button" on:click=load>"Load"</button>
        </div>
    }
}
