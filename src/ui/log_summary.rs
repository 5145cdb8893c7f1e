//! One line about the log shown: where it came from, how it was read, its domain and why.
use super::state::{Cursor, Loaded};
use leptos::prelude::*;

/// What is loaded, how Rewind read it, which domain replays it, and what the integrity checks
/// found.
#[component]
pub fn LogSummary() -> impl IntoView {
    const LISTED_WARNINGS: usize = 20;
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    move || {
        loaded.session.with(|s| {
            let events = if s.len() == 1 { "1 event".to_string() } else { format!("{} events", s.len()) };
            let problems = s.problems().len();
            let warnings = s.integrity();
            let listed = warnings
                .iter()
                .take(LISTED_WARNINGS)
                .map(|w| {
                    let target = s.timeline_position(w.position) + 1;
                    view! {
                        <li>
                            <button type="button" class="link" on:click=move |_| cursor.seek(target)>
                                {format!("Event {target}")}
                            </button>
                            {format!(": {}", w.message)}
                        </li>
                    }
                })
                .collect_view();
            let more = warnings.len().saturating_sub(LISTED_WARNINGS);
            view! {
                <div class="log-summary">
                    <p>
                        <strong>{s.source().to_string()}</strong>
                        {format!(" — {events}, read as {}.", s.format().describe())}
                    </p>
                    {(!s.unreadable().is_empty() || s.mapping().is_some())
                        .then(|| {
                            let mapping = s
                                .mapping()
                                .map(|(m, guessed)| {
                                    let how = if guessed { "guessed" } else { "chosen" };
                                    format!(" Field mapping ({how}): {}.", m.describe())
                                })
                                .unwrap_or_default();
                            view! { <p class="read-summary">{format!("{}.{mapping}", s.read_summary())}</p> }
                        })}
                    <p>
                        {format!("Domain: {} ({}).", s.domain(), s.choice().reason)}
                        {(problems > 0)
                            .then(|| {
                                format!(
                                    " {problems} problem{} found by the reducers, marked in the list and on the timeline.",
                                    if problems == 1 { "" } else { "s" },
                                )
                            })}
                    </p>
                    {(!warnings.is_empty())
                        .then(|| {
                            view! {
                                <div class="integrity">
                                    <p>
                                        <strong>
                                            {format!(
                                                "Integrity: {} warning{}",
                                                warnings.len(),
                                                if warnings.len() == 1 { "" } else { "s" },
                                            )}
                                        </strong>
                                    </p>
                                    <ul aria-label="Integrity warnings">{listed}</ul>
                                    {(more > 0).then(|| view! { <p>{format!("… and {more} more.")}</p> })}
                                </div>
                            }
                        })}
                </div>
            }
        })
    }
}
