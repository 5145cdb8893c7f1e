//! "Stream": which stream the state, diff and chart follow, with "Find stream" to narrow a long
//! list.
use super::state::{Inspection, Loaded};
use crate::progress_text::thousands;
use leptos::prelude::*;

/// At most this many streams are offered at once; "Find stream" narrows the rest.
const SHOWN: usize = 200;
/// "Find stream" is there once a log has more streams than this: a short list is read at a glance,
/// and the travel bar keeps to one line at 1280 px.
const SEARCH_FROM: usize = 20;

/// The streams "Find stream" lets through: the first [`SHOWN`] and how many match in all.
#[derive(Clone, Debug, PartialEq)]
struct Matches {
    names: Vec<String>,
    total: usize,
}

/// Picks the stream (an account, an order) that the state, diff and chart follow. A log may have
/// 200,000 streams: the select offers the first matches of "Find stream" (asked of the session,
/// so the page holds a few hundred options, not every stream), the focused stream always, and
/// how many more there are. "Find stream" shows once the log has more than [`SEARCH_FROM`].
#[component]
pub fn StreamFocus() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let inspection = expect_context::<Inspection>();
    let query = RwSignal::new(String::new());
    // A new log has other streams: start without a search. (A new view of the same log keeps it.)
    Effect::new(move |previous_log: Option<u64>| {
        let log = loaded.session.with(|s| s.generation());
        if previous_log.is_some_and(|previous| previous != log) {
            query.set(String::new());
        }
        log
    });
    let searchable = Memo::new(move |_| loaded.session.with(|s| s.active_streams().nth(SEARCH_FROM).is_some()));
    let matches = Memo::new(move |_| {
        let query = query.get();
        loaded.session.with(|s| {
            let found = s.find_streams(query.trim(), SHOWN);
            Matches { names: found.names.iter().map(|name| name.to_string()).collect(), total: found.total }
        })
    });
    let options = move || {
        let focus = inspection.focus.get();
        // The focused stream is offered even when the search or the limit leaves it out.
        let focused_apart = focus.clone().filter(|name| {
            matches.with(|m| !m.names.contains(name)) && loaded.session.with(|s| s.stream(name).is_some())
        });
        let option = |name: String, selected: bool| {
            let value = name.clone();
            view! { <option value=value selected=selected>{name}</option> }
        };
        let (names, total) = matches.with(|m| (m.names.clone(), m.total));
        let more = total - names.len();
        let searched = query.with(|q| q.trim().to_string());
        view! {
            <option value="" selected=focus.is_none()>"All streams"</option>
            {focused_apart.map(|name| option(name, true))}
            {names.into_iter().map(|name| { let selected = focus.as_ref() == Some(&name); option(name, selected) }).collect_view()}
            {(more > 0).then(|| view! {
                <option value="" disabled=true>{format!("… {} more: type to narrow", thousands(more))}</option>
            })}
            {(total == 0 && !searched.is_empty()).then(|| view! {
                <option value="" disabled=true>{format!("No stream matches “{searched}”")}</option>
            })}
        }
    };
    view! {
        <span class="stream-focus">
            <label class="inline">
                "Stream "
                <select on:change=move |ev| {
                    let name = event_target_value(&ev);
                    inspection.focus.set((!name.is_empty()).then_some(name));
                }>{options}</select>
            </label>
            <Show when=move || searchable.get()>
                <input
                    type="search"
                    class="find-stream"
                    aria-label="Find stream"
                    placeholder="Find stream…"
                    title="Narrow the Stream list to the streams whose names contain this text"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </Show>
        </span>
    }
}
