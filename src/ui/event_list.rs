use super::state::AppState;
use crate::engine::session::Session;
use crate::engine::timeline::Severity;
use leptos::prelude::*;

/// Every event of the log; the one the cursor is on is highlighted, later ones dimmed.
#[component]
pub fn EventList() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="events-pane">
            <h2>"Events"</h2>
            <ol class="event-list" aria-label="Events">
                {move || state.session.with(|s| (0..s.len()).map(|i| event_row(state, s, i)).collect_view())}
            </ol>
        </section>
    }
}

fn event_row(state: AppState, session: &Session, position: usize) -> impl IntoView + use<> {
    let event = &session.log.events()[position];
    let number = position + 1;
    let problems = session
        .problems_at(position)
        .iter()
        .map(|problem| {
            let (class, label) = match problem.severity {
                Severity::Violation => ("problem violation", "Violation"),
                Severity::Error => ("problem error", "Error"),
                Severity::UnknownType => ("problem unknown", "Unknown type"),
            };
            view! {
                <p class=class>
                    <span class="badge">{label}</span>
                    {format!(" event {number}: {}", problem.message)}
                </p>
            }
        })
        .collect_view();
    let is_current = move || state.cursor.get() == number;
    view! {
        <li
            class="event"
            class:current=is_current
            class:future=move || state.cursor.get() < number
            aria-current=move || is_current().then_some("step")
        >
            <span class="seq">{format!("#{}", event.seq_or(position))}</span>
            <span class="stream">{session.log.stream_name(event.stream).to_string()}</span>
            <span class="type">{session.log.type_name(event).to_string()}</span>
            <span class="summary">{session.data_summary(position)}</span>
            {problems}
        </li>
    }
}
