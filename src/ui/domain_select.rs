//! "Domain": which domain's reducers replay the log — a built-in one, a built-in written as a
//! script, or the person's own reducer — and switching replays it.
use super::state::{Cursor, Loaded};
use leptos::prelude::*;
use rewind_engine::domain::{chosen, registry};
use rewind_script::{script, ScriptDomain, BUILT_IN};
use std::sync::Arc;

/// The option value of a built-in domain written as a script.
const SCRIPT: &str = "script:";

/// Every registered domain, the built-in scripts, and the person's reducer when one is applied;
/// the one replaying the log is selected. Rewind's automatic choice (and why) is in the log
/// summary; picking another replays the log with it at once.
#[component]
pub fn DomainSelect() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let scripted = move |s: &rewind_engine::session::Session| s.log().reducer().is_some() && s.domain_chosen();
    let current = Memo::new(move |_| {
        loaded.session.with(|s| match scripted(s) {
            true => format!("{SCRIPT}{}", s.domain().name()),
            false => s.domain().name().to_string(),
        })
    });
    let change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let Some(name) = value.strip_prefix(SCRIPT) {
            let Some((source, domain)) = ScriptDomain::built_in(name) else { return };
            let next = loaded.session.with_untracked(|s| s.with_reducer(script(source), Arc::new(domain)));
            cursor.replace(next);
        } else if let Some(choice) = chosen(&value) {
            cursor.change_view(|s| s.with_domain(choice));
        }
    };
    // The person's own reducer, while it replays the log.
    let own = move || {
        let name = loaded.session.with(|s| {
            (scripted(s) && !BUILT_IN.iter().any(|(n, _)| *n == s.domain().name()))
                .then(|| s.domain().name().to_string())
        })?;
        Some(view! { <option value=format!("{SCRIPT}{name}")>{format!("{name} (script)")}</option> })
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
                {BUILT_IN
                    .iter()
                    .map(|(name, _)| view! { <option value=format!("{SCRIPT}{name}")>{format!("{name} (script)")}</option> })
                    .collect_view()}
                {own}
            </select>
        </div>
    }
}
