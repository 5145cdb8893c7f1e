//! "Domain": which domain's reducers replay the log; switching replays it.
use super::state::{Cursor, Loaded};
use leptos::prelude::*;
use rewind_engine::domain::{chosen, registry};

/// Every registered domain; the one replaying the log is selected. Rewind's automatic choice (and
/// why) is in the log summary; picking another replays the log with it at once.
#[component]
pub fn DomainSelect() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let current = Memo::new(move |_| loaded.session.with(|s| s.domain().name().to_string()));
    let change = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if let Some(choice) = chosen(&name) {
            cursor.change_view(|s| s.with_domain(choice));
        }
    };
    view! {
        <div class="field domain-select">
            <label for="domain-select">"Domain"</label>
            <select id="domain-select" prop:value=move || current.get() on:change=change>
                {registry()
                    .iter()
                    .map(|domain| {
                        let name = domain.name().to_string();
                        view! { <option value=name.clone()>{name.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
