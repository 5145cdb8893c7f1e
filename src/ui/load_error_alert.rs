//! Why the last log was refused; the log shown stays as it was.
use super::state::Loaded;
use leptos::prelude::*;

/// Why the last log was refused. The log loaded before stays loaded.
#[component]
pub fn LoadErrorAlert() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    move || {
        loaded.load_error.get().map(|message| {
            view! {
                <div class="load-error" role="alert">
                    <p class="message">{message}</p>
                    <p class="kept">
                        "Nothing was replaced: the log loaded before is still shown."
                    </p>
                    <button type="button" on:click=move |_| loaded.load_error.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
