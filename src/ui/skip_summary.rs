//! Which events are skipped (replayed as if missing), and "Replay all".
use super::state::{Cursor, Loaded};
use leptos::prelude::*;
use rewind_engine::timeline::Problem;

/// While events are skipped: which, what that does to the rules (violations that appear or
/// disappear), and a way to clear them all.
#[component]
pub fn SkipSummary() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    // Problems found with the skips versus without them, by event and message.
    let delta = Memo::new(move |_| {
        loaded.session.with(|s| {
            if s.skipped().is_empty() {
                return None;
            }
            let baseline = s.without_skips();
            let key = |p: &Problem| (p.position, p.message.clone());
            let appeared: Vec<_> = s
                .problems()
                .iter()
                .filter(|p| !baseline.problems().iter().any(|b| key(b) == key(p)))
                .map(describe)
                .collect();
            let gone: Vec<_> = baseline
                .problems()
                .iter()
                .filter(|b| !s.problems().iter().any(|p| key(b) == key(p)))
                .map(describe)
                .collect();
            let skipped: Vec<usize> = s.skipped().iter().map(|&lp| s.timeline_position(lp) + 1).collect();
            Some((skipped, appeared, gone))
        })
    });
    move || {
        delta.get().map(|(skipped, appeared, gone)| {
            let list = |items: Vec<String>| items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view();
            let numbers = skipped.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
            view! {
                <div class="skip-summary" role="status">
                    <p>
                        <strong>
                            {format!(
                                "Skipping event{} {numbers}: ",
                                if skipped.len() == 1 { "" } else { "s" },
                            )}
                        </strong>
                        "the state is replayed as if "
                        {if skipped.len() == 1 { "it had" } else { "they had" }}
                        " never happened. The log itself is unchanged."
                    </p>
                    {(!appeared.is_empty()).then(|| view! {
                        <p>"Violations and errors that appear without them:"</p>
                        <ul>{list(appeared)}</ul>
                    })}
                    {(!gone.is_empty()).then(|| view! {
                        <p>"Violations and errors that disappear without them:"</p>
                        <ul>{list(gone)}</ul>
                    })}
                    <button type="button" on:click=move |_| cursor.change_view(|s| s.without_skips())>
                        "Clear all skips"
                    </button>
                </div>
            }
        })
    }
}

fn describe(problem: &Problem) -> String {
    format!("event {}: {}", problem.position + 1, problem.message)
}
