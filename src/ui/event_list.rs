use super::state::AppState;
use crate::engine::session::Session;
use crate::engine::timeline::Severity;
use leptos::prelude::*;
use std::sync::Arc;

/// Every event of the log, filterable; the one the cursor is on is highlighted and kept in view,
/// later ones dimmed; clicking an event moves the cursor to just after it.
#[component]
pub fn EventList() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = RwSignal::new(String::new());
    let type_filter = RwSignal::new(String::new());
    let stream_filter = RwSignal::new(String::new());
    // A new log has other types and streams: start unfiltered. (A new snapshot interval makes a
    // new session over the same log; that keeps the filters.)
    Effect::new(move |previous_log: Option<usize>| {
        let log = state.session.with(|s| Arc::as_ptr(&s.log) as usize);
        if previous_log.is_some_and(|previous| previous != log) {
            type_filter.set(String::new());
            stream_filter.set(String::new());
        }
        log
    });

    let shown = Memo::new(move |_| {
        let needle = text.get().trim().to_lowercase();
        let kind = type_filter.get();
        let stream = stream_filter.get();
        state.session.with(|s| {
            (0..s.len())
                .filter(|&p| {
                    let (_, event) = s.event(p);
                    (kind.is_empty() || s.log.type_name(event) == kind)
                        && (stream.is_empty() || s.log.stream_name(event.stream) == stream)
                        && (needle.is_empty() || row_text(s, p).to_lowercase().contains(&needle))
                })
                .collect::<Vec<_>>()
        })
    });

    // Keep the current event in view as the cursor moves (playing, stepping, dragging).
    Effect::new(move |_| {
        let position = state.cursor.get();
        if position == 0 {
            return;
        }
        if let Some(row) = document().get_element_by_id(&row_id(position)) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            row.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });

    let types = move || state.session.with(|s| s.log.types().iter().map(|(_, n)| n.to_string()).collect::<Vec<_>>());
    let streams =
        move || state.session.with(|s| s.log.active_streams().map(|(_, n)| n.to_string()).collect::<Vec<_>>());
    view! {
        <section class="events-pane">
            <h2>"Events"</h2>
            <div class="event-filters">
                <input
                    type="search"
                    aria-label="Filter events"
                    placeholder="Filter: type, stream, data…"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
                <select aria-label="Type filter" prop:value=move || type_filter.get() on:change=move |ev| type_filter.set(event_target_value(&ev))>
                    <option value="">"All types"</option>
                    {move || types().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                </select>
                <select aria-label="Stream filter" prop:value=move || stream_filter.get() on:change=move |ev| stream_filter.set(event_target_value(&ev))>
                    <option value="">"All streams"</option>
                    {move || streams().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                </select>
            </div>
            <p class="filter-status" role="status">
                {move || {
                    let (shown, total) = (shown.with(Vec::len), state.len());
                    match shown {
                        0 if total > 0 => "No events match the filter.".to_string(),
                        n if n < total => format!("Showing {n} of {total} events."),
                        _ => String::new(),
                    }
                }}
            </p>
            <ol class="event-list" aria-label="Events">
                {move || {
                    state.session.with(|s| shown.with(|positions| positions.iter().map(|&p| event_row(state, s, p)).collect_view()))
                }}
            </ol>
        </section>
    }
}

fn row_id(number: usize) -> String {
    format!("event-{number}")
}

/// The text a filter matches against: what the row shows.
fn row_text(session: &Session, position: usize) -> String {
    let (log_position, event) = session.event(position);
    format!(
        "#{} {} {} {}",
        event.seq_or(log_position),
        session.log.stream_name(event.stream),
        session.log.type_name(event),
        session.data_summary(position)
    )
}

fn event_row(state: AppState, session: &Session, position: usize) -> impl IntoView + use<> {
    let (log_position, event) = session.event(position);
    let number = position + 1;
    let type_name = session.log.type_name(event).to_string();
    let problems = session.problems_at(position).iter().map(|problem| {
        let (class, label) = match problem.severity {
            Severity::Violation => ("problem violation", "Violation"),
            Severity::Error => ("problem error", "Error"),
            Severity::UnknownType => ("problem unknown", "Unknown type"),
        };
        (class, label, problem.message.clone())
    });
    let warnings = session
        .integrity()
        .iter()
        .filter(|w| w.position == log_position)
        .map(|w| ("problem integrity", "Integrity", w.message.clone()));
    let notes = problems
        .chain(warnings)
        .map(|(class, label, message)| {
            view! {
                <p class=class>
                    <span class="badge">{label}</span>
                    {format!(" event {number}: {message}")}
                </p>
            }
        })
        .collect_view();
    let is_current = move || state.cursor.get() == number;
    view! {
        <li
            id=row_id(number)
            class="event"
            class:current=is_current
            class:future=move || { state.cursor.get() < number }
            aria-current=move || is_current().then_some("step")
        >
            <button
                type="button"
                class="event-row"
                title=format!("Go to event {number}: the state just after {type_name}")
                on:click=move |_| state.seek(number)
            >
                <span class="seq">{format!("#{}", event.seq_or(log_position))}</span>
                <span class="stream">{session.log.stream_name(event.stream).to_string()}</span>
                <span class="type">{type_name.clone()}</span>
                <span class="summary">{session.data_summary(position)}</span>
            </button>
            {notes}
        </li>
    }
}
