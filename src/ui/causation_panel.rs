//! "Causation": what caused the event at the cursor, up to the root, and what it caused, each a
//! link that moves the cursor. The index behind it is built here, once per log, in slices.
use super::next_task::next_task;
use super::open_log_file::SLICE_MS;
use super::state::{CausationLinks, Cursor, Loaded};
use crate::causation_tree::{nest, Tree};
use crate::progress_text::{percent, thousands};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::inspect::causation::MAX_CAUSES;
use rewind_engine::inspect::{Causation, ChainEnd};
use rewind_engine::session::Session;
use std::sync::Arc;

/// Events read per engine step between looks at the clock: a few milliseconds at most.
const EVENTS_PER_STEP: usize = 4_096;
/// Levels of nesting the tree of effects shows; deeper events are listed at this level, with their
/// depth said, so a long line of effects does not walk off the side of the page.
const MAX_NESTING: usize = 6;

/// The event at the cursor's chain of causes (root first) and the tree of events it caused, each a
/// link; the events sharing its correlation id; or, when it has no causation data, where Rewind
/// looks for it. While the index of a large log is built: its progress and "Cancel indexing".
#[component]
pub fn CausationPanel() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let links = expect_context::<CausationLinks>();
    // (done, total) while the index is built.
    let progress = RwSignal::new(None::<(usize, usize)>);
    let cancelled = RwSignal::new(false);
    // Counts builds: one that Cancel or a newer log overtook stops at its next slice.
    let builds = StoredValue::new(0u64);

    let build = move || {
        let id = builds.get_value() + 1;
        builds.set_value(id);
        cancelled.set(false);
        // The last log's index goes now, not once this one's is built: never two held at once.
        links.index.set(None);
        let session = loaded.session.get_untracked();
        let mut build = session.causation_build();
        spawn_local(async move {
            loop {
                let started = js_sys::Date::now();
                let mut done = false;
                while !done && js_sys::Date::now() - started < SLICE_MS {
                    done = build.step(session.log(), EVENTS_PER_STEP);
                }
                if done {
                    break;
                }
                progress.set(Some((build.done(), build.total())));
                next_task().await;
                if builds.get_value() != id {
                    return;
                }
            }
            progress.set(None);
            links.index.set(Some(Arc::new(build.finish())));
        });
    };
    let cancel = move |_| {
        builds.update_value(|id| *id += 1);
        progress.set(None);
        cancelled.set(true);
    };

    // A log not indexed yet (just loaded, corrected) is indexed when shown: once per log, since a
    // view of the same log (skips, order) keeps its generation.
    let generation = Memo::new(move |_| loaded.session.with(|s| s.generation()));
    Effect::new(move |_| {
        // Read, not only tracked: a memo nobody reads never computes, so would never change.
        let generation = generation.get();
        if !links.index.with_untracked(|i| i.as_ref().is_some_and(|i| i.generation() == generation)) {
            build();
        }
    });

    let shown = Memo::new(move |_| {
        let position = cursor.position.get();
        let causation = links.at_cursor.get();
        loaded.session.with(|s| {
            if position == 0 {
                return Shown::Start;
            }
            let Some(causation) = causation else { return Shown::NotBuilt };
            let log_has_any =
                links.index.with(|i| i.as_ref().is_some_and(|i| i.with_causation() + i.with_correlation() > 0));
            Shown::of(s, causation, log_has_any)
        })
    });

    // The progress is one element updated in place: a Cancel button made anew every slice could
    // miss a click (pressed on one, released on the next) and the status would not be announced.
    let progress_text = move || {
        progress.get().map_or_else(String::new, |(done, total)| {
            format!("Indexing causation ids: {}% ({} of {})…", percent(done, total), thousands(done), thousands(total))
        })
    };
    let body = move || match shown.get() {
        Shown::Start => view! {
            <p class="causation-empty">
                "Start of the log: no event applied yet. Step forward to see what caused an event and what it caused."
            </p>
        }
        .into_any(),
        Shown::NotBuilt if cancelled.get() => view! {
            <p class="causation-empty">"The causation index was not built: indexing was cancelled."</p>
            <button type="button" on:click=move |_| build()>"Build causation index"</button>
        }
        .into_any(),
        Shown::NotBuilt => view! { <p class="causation-empty">"Indexing causation ids…"</p> }.into_any(),
        Shown::Unlinked { event, log_has_any } => unlinked_view(&event, log_has_any).into_any(),
        Shown::Linked(linked) => linked_view(cursor, *linked).into_any(),
    };

    view! {
        <section class="causation-panel" role="region" aria-label="Causation">
            <h2>"Causation"</h2>
            <Show when=move || progress.with(Option::is_some) fallback=body>
                <div class="causation-progress">
                    <p role="status">{progress_text}</p>
                    <progress
                        aria-label="Indexing causation ids"
                        aria-valuetext=progress_text
                        max=move || progress.get().map_or(1.0, |(_, total)| total.max(1) as f64)
                        value=move || progress.get().map_or(0.0, |(done, _)| done as f64)
                    ></progress>
                    <button type="button" on:click=cancel>"Cancel indexing"</button>
                </div>
            </Show>
        </section>
    }
}

/// One event as the region names it.
#[derive(Clone, Debug, PartialEq)]
struct EventName {
    /// 1-based timeline position: where the cursor goes to show the state just after it.
    number: usize,
    type_name: String,
    stream: String,
}

impl EventName {
    fn at(session: &Session, position: usize) -> EventName {
        let (_, event) = session.event(position);
        EventName {
            number: position + 1,
            type_name: session.type_name(event).to_string(),
            stream: session.stream_of(event).to_string(),
        }
    }

    fn title(&self) -> String {
        format!("Event {}: {}", self.number, self.type_name)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Shown {
    Start,
    /// The index of the log shown is not built (yet, or cancelled).
    NotBuilt,
    Unlinked {
        event: EventName,
        /// Some event in the log carries causation data.
        log_has_any: bool,
    },
    Linked(Box<Linked>),
}

#[derive(Clone, Debug, PartialEq)]
struct Linked {
    event: EventName,
    id: Option<String>,
    correlation_id: Option<String>,
    causation_id: Option<String>,
    /// Root first, ending with the nearest cause.
    chain: Vec<EventName>,
    end: End,
    caused: Vec<Node>,
    caused_more: usize,
    correlated: Vec<EventName>,
    correlated_more: usize,
    id_first_used_at: Option<EventName>,
    id_reused: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum End {
    Root,
    NotInLog(String),
    Cycle(EventName),
    Cut,
}

/// One event in the tree of what the event at the cursor caused.
#[derive(Clone, Debug, PartialEq)]
struct Node {
    event: EventName,
    depth: usize,
    more: usize,
    cycle: bool,
}

impl Shown {
    fn of(session: &Session, causation: Causation, log_has_any: bool) -> Shown {
        let name = |position| EventName::at(session, position);
        let event = name(causation.position);
        if causation.is_unlinked() {
            return Shown::Unlinked { event, log_has_any };
        }
        let end = match causation.chain_end {
            ChainEnd::Root => End::Root,
            ChainEnd::NotInLog(id) => End::NotInLog(id),
            ChainEnd::Cycle(position) => End::Cycle(name(position)),
            ChainEnd::Cut => End::Cut,
        };
        Shown::Linked(Box::new(Linked {
            id: session.event(causation.position).1.id().map(str::to_string),
            correlation_id: causation.correlation_id,
            causation_id: causation.causation_id,
            chain: causation.causes.iter().rev().map(|&p| name(p)).collect(),
            end,
            caused: causation
                .caused
                .iter()
                .map(|c| Node { event: name(c.position), depth: c.depth, more: c.more, cycle: c.cycle })
                .collect(),
            caused_more: causation.caused_more,
            correlated: causation.correlated.iter().map(|&p| name(p)).collect(),
            correlated_more: causation.correlated_more,
            id_first_used_at: causation.id_first_used_at.map(name),
            id_reused: causation.id_reused,
            event,
        }))
    }
}

/// A button that moves the cursor to `event` ("Go to event 3: OrderPlaced"), and its stream.
fn event_link(cursor: Cursor, event: &EventName) -> impl IntoView + use<> {
    let target = event.number;
    view! {
        <button
            type="button"
            class="link"
            aria-label=format!("Go to event {}: {}", event.number, event.type_name)
            on:click=move |_| cursor.seek(target)
        >
            {event.title()}
        </button>
        <span class="causation-stream">{format!(" on {}", event.stream)}</span>
    }
}

fn unlinked_view(event: &EventName, log_has_any: bool) -> impl IntoView + use<> {
    let whose = if log_has_any {
        format!(
            "{} has no causation data: its meta names no correlation_id or causation_id, and no event names it as its cause.",
            event.title()
        )
    } else {
        "No event in this log carries causation data.".to_string()
    };
    view! {
        <p class="causation-empty">{whose}</p>
        <p class="causation-hint">
            "Rewind looks for " <code>"correlation_id"</code> " and " <code>"causation_id"</code>
            " in each event's meta (KurrentDB's " <code>"$correlationId"</code> " and " <code>"$causationId"</code>
            " are read into them). A log that keeps them in other fields can name those fields in Field mapping "
            "(Correlation id field, Causation id field) once you open it."
        </p>
    }
}

fn linked_view(cursor: Cursor, linked: Linked) -> impl IntoView {
    let Linked {
        event,
        id,
        correlation_id,
        causation_id,
        chain,
        end,
        caused,
        caused_more,
        correlated,
        correlated_more,
        id_first_used_at,
        id_reused,
    } = linked;
    let ids = [("id", id.clone()), ("correlation_id", correlation_id.clone()), ("causation_id", causation_id)]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| view! { <span>{name} " " <code>{value}</code></span> }))
        .collect_view();
    let root_badge = match &end {
        End::Root => Some("Root"),
        End::NotInLog(_) => Some("Root in this log"),
        End::Cycle(_) | End::Cut => None,
    };
    let outside = match end {
        End::Root => None,
        End::NotInLog(id) => Some(
            view! {
                <li class="causation-outside">
                    "Caused by " <code>{id}</code>
                    ", which is not in this log (a command, or an event kept elsewhere)."
                </li>
            }
            .into_any(),
        ),
        End::Cycle(again) => Some(
            view! {
                <li class="causation-outside">
                    {format!(
                        "The causes go round in a cycle: {} names {} as its cause again, so the chain stops here.",
                        chain.first().map_or_else(|| event.title(), EventName::title),
                        again.title()
                    )}
                </li>
            }
            .into_any(),
        ),
        End::Cut => Some(
            view! {
                <li class="causation-outside">
                    {format!(
                        "Earlier causes are not listed: the chain is longer than {MAX_CAUSES} events. Go to the first one listed to follow it further."
                    )}
                </li>
            }
            .into_any(),
        ),
    };
    let chain_items = chain
        .iter()
        .enumerate()
        .map(|(i, cause)| {
            let badge = (i == 0).then_some(root_badge).flatten().map(|b| view! { <span class="badge">{b}</span> " " });
            view! { <li>{badge}{event_link(cursor, cause)}</li> }
        })
        .collect_view();
    let no_causes = chain.is_empty() && outside.is_none();
    let current = view! {
        <li class="causation-current" aria-current="step">
            {no_causes.then(|| view! { <span class="badge">"Root"</span> " " })}
            <strong>{event.title()}</strong>
            {format!(" on {} — the event at the cursor", event.stream)}
        </li>
    };
    let tree = nest(caused.into_iter().map(|node| (node.depth, node)), MAX_NESTING);
    let caused_view = if tree.is_empty() {
        view! { <p class="causation-empty">"It caused no event in this log."</p> }.into_any()
    } else {
        tree_view(cursor, tree, Some("Events it caused"))
    };
    let caused_more = (caused_more > 0).then(|| {
        view! {
            <p class="causation-more">
                {format!("… and {} more it caused directly, not listed.", thousands(caused_more))}
            </p>
        }
    });
    let correlated_view = correlation_id.map(|correlation| {
        let items = correlated.iter().map(|e| view! { <li>{event_link(cursor, e)}</li> }).collect_view();
        let list = if correlated.is_empty() {
            view! { <p class="causation-empty">"No other event has it."</p> }.into_any()
        } else {
            view! { <ul class="causation-correlated" aria-label="Same correlation id">{items}</ul> }.into_any()
        };
        view! {
            <h3>"Same correlation id " <code>{correlation}</code></h3>
            {list}
            {(correlated_more > 0).then(|| view! {
                <p class="causation-more">{format!("… and {} more, not listed.", thousands(correlated_more))}</p>
            })}
        }
    });
    let id_notes = {
        let first = id_first_used_at.map(|first| {
            view! {
                <p class="causation-note">
                    {format!("Its id {} was first used by ", id.clone().unwrap_or_default())}
                    {event_link(cursor, &first)}
                    ": causation ids name that event, so what names this id is listed there."
                </p>
            }
        });
        let reused = (id_reused > 0).then(|| {
            view! {
                <p class="causation-note">
                    {format!(
                        "{} later event{} reuse{} its id {}; causation ids name this one, the first.",
                        thousands(id_reused),
                        if id_reused == 1 { "" } else { "s" },
                        if id_reused == 1 { "s" } else { "" },
                        id.unwrap_or_default()
                    )}
                </p>
            }
        });
        (first, reused)
    };
    view! {
        <p class="causation-event">
            <strong>{event.title()}</strong>
            {format!(" on {}", event.stream)}
        </p>
        <p class="causation-ids">{ids}</p>
        {id_notes}
        <h3>"Chain of causes"</h3>
        <ol class="causation-chain" aria-label="Chain of causes">
            {outside}
            {chain_items}
            {current}
        </ol>
        <h3>"Caused"</h3>
        {caused_view}
        {caused_more}
        {correlated_view}
    }
}

/// Nested lists of links, one level per step of causation; `label` names the outermost list.
fn tree_view(cursor: Cursor, trees: Vec<Tree<Node>>, label: Option<&'static str>) -> AnyView {
    let items = trees
        .into_iter()
        .map(|Tree { node, children }| {
            let depth = (node.depth > MAX_NESTING).then(|| format!("{} levels down: ", node.depth));
            let line = if node.cycle {
                view! {
                    <span class="causation-cycle">
                        {format!("{} again: the causes go round in a cycle, listed no further.", node.event.title())}
                    </span>
                }
                .into_any()
            } else {
                event_link(cursor, &node.event).into_any()
            };
            let nested = (!children.is_empty()).then(|| tree_view(cursor, children, None));
            let more = (node.more > 0).then(|| {
                view! {
                    <p class="causation-more">
                        {format!("… and {} more caused by event {}, not listed.", thousands(node.more), node.event.number)}
                    </p>
                }
            });
            view! { <li>{depth}{line}{nested}{more}</li> }
        })
        .collect_view();
    view! { <ul class="causation-tree" aria-label=label>{items}</ul> }.into_any()
}
