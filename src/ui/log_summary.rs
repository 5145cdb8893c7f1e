use super::state::AppState;
use leptos::prelude::*;

/// What is loaded, how Rewind read it, and which domain replays it.
#[component]
pub fn LogSummary() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.session.with(|s| {
            let events = if s.len() == 1 { "1 event".to_string() } else { format!("{} events", s.len()) };
            let problems = s.problems().len();
            view! {
                <div class="log-summary">
                    <p>
                        <strong>{s.source.clone()}</strong>
                        {format!(" — {events}, read as {}.", s.log.format.describe())}
                    </p>
                    <p>
                        {format!("Domain: {} ({}).", s.choice.domain, s.choice.reason)}
                        {(problems > 0)
                            .then(|| {
                                format!(
                                    " {problems} event{} with problems, marked in the list.",
                                    if problems == 1 { "" } else { "s" },
                                )
                            })}
                    </p>
                </div>
            }
        })
    }
}
