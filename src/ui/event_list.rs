//! "Events": the windowed list of the log's events, filterable, with skip, reverse, correct and withdraw on each row.
use super::next_task::next_task;
use super::open_log_file::SLICE_MS;
use super::state::{Correction, Cursor, Loaded};
use crate::progress_text::thousands;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::correction;
use rewind_engine::event::Sym;
use rewind_engine::session::Session;
use std::sync::Arc;

/// Every event of the log, filterable; the one the cursor is on is highlighted and kept in view,
/// later ones dimmed; clicking an event moves the cursor to just after it.
/// Streams the "Stream filter" offers at most (see `EventList`).
const STREAMS_OFFERED: usize = 200;

#[component]
pub fn EventList() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let corrections = expect_context::<Correction>();
    let text = RwSignal::new(String::new());
    // Why the last "reverse" could not pre-fill anything, shown on its row.
    let notice = RwSignal::new(None::<(usize, String)>);
    let type_filter = RwSignal::new(String::new());
    let stream_filter = RwSignal::new(String::new());
    // A new log has other types and streams: start unfiltered. (A new snapshot interval makes a
    // new session over the same log; that keeps the filters.)
    Effect::new(move |previous_log: Option<u64>| {
        let log = loaded.session.with(|s| s.generation());
        if previous_log.is_some_and(|previous| previous != log) {
            type_filter.set(String::new());
            stream_filter.set(String::new());
        }
        log
    });

    // The events the filters let through, found a slice at a time on a long log (the first slice
    // at once): typing in the filter never blocks the page, and rows appear as they are found.
    let shown = RwSignal::new(Shown::All(0));
    let filtering = RwSignal::new(None::<(usize, usize)>);
    let filter_run = StoredValue::new(0u64);
    Effect::new(move |_| {
        let needle = text.get().trim().to_lowercase();
        let (kind, stream) = (type_filter.get(), stream_filter.get());
        let session = loaded.session.get();
        let run = filter_run.get_value() + 1;
        filter_run.set_value(run);
        filtering.set(None);
        let len = session.len();
        if needle.is_empty() && kind.is_empty() && stream.is_empty() {
            return shown.set(Shown::All(len));
        }
        // A type or stream the log does not have lets nothing through.
        let wanted = |name: &str, find: &dyn Fn(&str) -> Option<Sym>| match name.is_empty() {
            true => Some(None),
            false => find(name).map(Some),
        };
        let (Some(kind), Some(stream)) =
            (wanted(&kind, &|n| session.type_sym(n)), wanted(&stream, &|n| session.stream(n)))
        else {
            return shown.set(Shown::Some(Vec::new()));
        };
        let keeps = move |session: &Session, p: usize| {
            let (_, event) = session.event(p);
            kind.is_none_or(|k| event.kind() == k)
                && stream.is_none_or(|s| event.stream() == s)
                && (needle.is_empty() || row_text(session, p).to_lowercase().contains(&needle))
        };
        let mut found = Vec::new();
        let mut next = filter_slice(&session, 0, &keeps, &mut found);
        shown.set(Shown::Some(found.clone()));
        if next == len {
            return;
        }
        filtering.set(Some((next, len)));
        spawn_local(async move {
            while next < len {
                next_task().await;
                if filter_run.try_get_value() != Some(run) {
                    return;
                }
                next = filter_slice(&session, next, &keeps, &mut found);
                shown.set(Shown::Some(found.clone()));
                filtering.set((next < len).then_some((next, len)));
            }
        });
    });

    // Only the rows in view (plus a margin) exist in the page, so a million events cost what
    // forty do. Every row has the same height, which makes the window a division.
    let scroller = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport = RwSignal::new(600.0_f64);
    let measure = move || {
        if let Some(element) = scroller.get_untracked() {
            scroll_top.set(element.scroll_top() as f64);
            viewport.set(element.client_height().max(1) as f64);
        }
    };
    Effect::new(move |_| {
        if scroller.get().is_some() {
            measure();
        }
    });
    let window = Memo::new(move |_| {
        let count = shown.with(Shown::len);
        let first = (scroll_top.get() / ROW_HEIGHT) as usize;
        let visible = (viewport.get() / ROW_HEIGHT).ceil() as usize;
        first.saturating_sub(OVERSCAN).min(count)..(first + visible + OVERSCAN).min(count)
    });

    // Keep the current event in view as the cursor moves (playing, stepping, dragging).
    Effect::new(move |_| {
        let position = cursor.position.get();
        let Some(index) = position.checked_sub(1).and_then(|p| shown.with_untracked(|s| s.index_of(p))) else { return };
        let Some(element) = scroller.get_untracked() else { return };
        let top = index as f64 * ROW_HEIGHT;
        // Where the list is scrolled as its scroll events last said: reading the element would
        // make the browser lay the page out again on every move of a drag.
        let (scrolled, height) = (scroll_top.get_untracked(), viewport.get_untracked());
        let to = if top < scrolled {
            top
        } else if top + ROW_HEIGHT > scrolled + height {
            top + ROW_HEIGHT - height
        } else {
            return;
        };
        // Written when the frame lays the page out anyway: written now, the browser would lay it
        // out once more just to clamp the value.
        request_animation_frame(move || element.set_scroll_top(to as i32));
        scroll_top.set(to);
    });

    let types = move || loaded.session.with(|s| s.type_names().map(str::to_string).collect::<Vec<_>>());
    // A log may have 200,000 streams: offer the first few hundred (and the one chosen), and say
    // how many more there are; typing a stream's name in "Filter events" finds any of them.
    let streams = move || {
        let chosen = stream_filter.get();
        loaded.session.with(|s| {
            let found = s.find_streams("", STREAMS_OFFERED);
            let mut names: Vec<String> = found.names.iter().map(|name| name.to_string()).collect();
            if !chosen.is_empty() && !names.contains(&chosen) && s.stream(&chosen).is_some() {
                names.insert(0, chosen);
            }
            (names, found.total.saturating_sub(found.names.len()))
        })
    };
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
                    {move || {
                        let (names, more) = streams();
                        view! {
                            {names.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                            {(more > 0).then(|| view! {
                                <option value="" disabled=true>
                                    {format!("… {} more: type a stream's name in the filter", thousands(more))}
                                </option>
                            })}
                        }
                    }}
                </select>
            </div>
            <p class="filter-status" role="status">
                {move || {
                    let (shown, total) = (shown.with(Shown::len), cursor.len());
                    if let Some((done, of)) = filtering.get() {
                        return format!("Filtering: {} of {} events so far, {}% searched…", thousands(shown), thousands(total), done * 100 / of.max(1));
                    }
                    match shown {
                        0 if total > 0 => "No events match the filter.".to_string(),
                        n if n < total => format!("Showing {n} of {total} events."),
                        _ => String::new(),
                    }
                }}
            </p>
            <div class="event-scroller" node_ref=scroller on:scroll=move |_| measure()>
                <ol
                    class="event-list"
                    aria-label="Events"
                    style=move || format!("height: {}px", shown.with(Shown::len) as f64 * ROW_HEIGHT)
                >
                    {move || {
                        let range = window.get();
                        loaded
                            .session
                            .with(|s| {
                                shown
                                    .with(|shown| {
                                        range
                                            .map(|index| event_row(loaded, cursor, corrections, s, shown.at(index), index, notice))
                                            .collect_view()
                                    })
                            })
                    }}
                </ol>
            </div>
        </section>
    }
}

/// Tests events from `from` for about `SLICE_MS`, adding those `keeps` lets through to `found`;
/// returns where it stopped (the log's length when done).
fn filter_slice(
    session: &Session,
    from: usize,
    keeps: &impl Fn(&Session, usize) -> bool,
    found: &mut Vec<usize>,
) -> usize {
    const CHECK_CLOCK_EVERY: usize = 512;
    let (len, started) = (session.len(), js_sys::Date::now());
    let mut next = from;
    while next < len {
        let end = (next + CHECK_CLOCK_EVERY).min(len);
        found.extend((next..end).filter(|&p| keeps(session, p)));
        next = end;
        if js_sys::Date::now() - started >= SLICE_MS {
            break;
        }
    }
    next
}

/// Height of every row in the list, in CSS pixels (style/main.css gives `.event` the same).
const ROW_HEIGHT: f64 = 58.0;
/// Rows rendered beyond each edge of the view, so fast scrolling shows no gaps.
const OVERSCAN: usize = 10;

/// The events the filters let through, as timeline positions.
#[derive(Clone, Debug, PartialEq)]
enum Shown {
    /// No filter: every position, without a million-entry list.
    All(usize),
    Some(Vec<usize>),
}

impl Shown {
    fn len(&self) -> usize {
        match self {
            Shown::All(n) => *n,
            Shown::Some(positions) => positions.len(),
        }
    }

    fn at(&self, index: usize) -> usize {
        match self {
            Shown::All(_) => index,
            Shown::Some(positions) => positions[index],
        }
    }

    fn index_of(&self, position: usize) -> Option<usize> {
        match self {
            Shown::All(n) => (position < *n).then_some(position),
            Shown::Some(positions) => positions.binary_search(&position).ok(),
        }
    }
}

/// The text a filter matches against: what the row shows.
fn row_text(session: &Session, position: usize) -> String {
    let (log_position, event) = session.event(position);
    format!(
        "#{} {} {} {}",
        event.seq_or(log_position),
        session.stream_of(event),
        session.type_name(event),
        session.data_summary(position)
    )
}

fn event_row(
    loaded: Loaded,
    cursor: Cursor,
    corrections: Correction,
    session: &Session,
    position: usize,
    index: usize,
    notice: RwSignal<Option<(usize, String)>>,
) -> impl IntoView + use<> {
    let (log_position, event) = session.event(position);
    let number = position + 1;
    let type_name = session.type_name(event).to_string();
    let problems = session.problems_at(position).iter().map(|problem| {
        (problem.severity.id(), problem.severity.label(), format!(" event {number}: {}", problem.message))
    });
    let warnings = session
        .integrity()
        .iter()
        .filter(|w| w.position == log_position)
        .map(|w| ("integrity", "Integrity", format!(" event {number}: {}", w.message)));
    let correction = correction::is_correction(event).then(|| {
        let corrects = correction::meta_field(event, "corrects").map(|r| format!(" of {r}")).unwrap_or_default();
        let reason = correction::meta_field(event, "reason").unwrap_or_default();
        ("correction", "Correction", format!("{corrects}: {reason}"))
    });
    let notes = correction
        .into_iter()
        .chain(problems)
        .chain(warnings)
        .map(|(kind, label, message)| {
            let (class, title) = (format!("problem {kind}"), format!("{label}{message}"));
            view! {
                <span class=class title=title>
                    <span class="badge">{label}</span>
                    {message}
                </span>
            }
        })
        .collect_view();
    let skipped = session.is_skipped(log_position);
    let appended_here = session.is_appended_here(log_position);
    let is_current = move || cursor.position.get() == number;
    let reverse = move |_| {
        let result = loaded.session.with_untracked(|s| s.reversal(log_position));
        match result {
            Ok(draft) => corrections.draft.set(Some(draft)),
            Err(why) => notice.set(Some((number, why))),
        }
    };
    let correct = move |_| {
        let draft = loaded.session.with_untracked(|s| s.correcting(log_position));
        corrections.draft.set(Some(draft));
    };
    view! {
        <li
            class="event"
            style=format!("top: {}px", index as f64 * ROW_HEIGHT)
            class:current=is_current
            class:future=move || { cursor.position.get() < number }
            class:skipped=skipped
            class:correction=correction::is_correction(event)
            aria-current=move || is_current().then_some("step")
        >
            <div class="event-line">
                <button
                    type="button"
                    class="event-row"
                    title=format!("Go to event {number}: the state just after {type_name}")
                    on:click=move |_| cursor.seek(number)
                >
                    <span class="seq">{format!("#{}", event.seq_or(log_position))}</span>
                    <span class="stream">{session.stream_of(event).to_string()}</span>
                    <span class="type">{type_name.clone()}</span>
                    <span class="summary">{session.data_summary(position)}</span>
                </button>
                <span class="event-actions">
                    <label class="skip" title="Replay as if this event were missing">
                        <input
                            type="checkbox"
                            aria-label=format!("Skip event {number}")
                            prop:checked=skipped
                            on:change=move |ev| {
                                let skip = event_target_checked(&ev);
                                cursor.change_view(|s| s.with_skip(log_position, skip));
                            }
                        />
                        "skip"
                    </label>
                    <button type="button" aria-label=format!("Reverse event {number}") title="Pre-fill the event that cancels this one" on:click=reverse>
                        "reverse"
                    </button>
                    <button type="button" aria-label=format!("Correct event {number}") title="Write a corrective event that references this one" on:click=correct>
                        "correct"
                    </button>
                    {appended_here.then(|| view! {
                        <button
                            type="button"
                            aria-label=format!("Withdraw event {number}")
                            title="Take back this correction: it was added in this session"
                            on:click=move |_| {
                                if let Ok(next) = loaded.session.with_untracked(|s| s.without_appended(log_position)) {
                                    loaded.session.set(Arc::new(next));
                                    cursor.seek(cursor.position.get_untracked());
                                }
                            }
                        >
                            "withdraw"
                        </button>
                    })}
                </span>
            </div>
            <div class="event-notes">
                {skipped.then(|| view! { <span class="problem skipped-note"><span class="badge">"Skipped"</span>" replayed as if this event were missing"</span> })}
                {notes}
                {move || {
                    notice.get().filter(|(n, _)| *n == number).map(|(_, why)| view! { <span class="problem unknown" role="status">{why}</span> })
                }}
            </div>
        </li>
    }
}
