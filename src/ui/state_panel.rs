//! The state at the cursor, for someone debugging it: a tree (one collapsible node per stream,
//! nested objects collapsible), or the same state as raw JSON; a search over keys and values with
//! next/previous; and, next to every leaf, the event that last set it (a button that goes there).
//!
//! Rendering is fine-grained so the tree stays usable with thousands of streams and keeps keyboard
//! focus while the cursor moves: each stream and field is a keyed row with its own memo of its
//! value, so moving the cursor re-renders only the rows whose value changed. At most
//! [`STREAM_PAGE`] streams and [`FIELD_PAGE`] fields per object are rendered at a time ("Show
//! more"), and a collapsed node renders no children at all. Blame folds a stream's history, so it
//! is computed only for expanded streams, memoised per (session, cursor, stream).
//!
//! Log content is only ever rendered as text nodes; search highlights are `<mark>` elements built
//! around text nodes, never inner HTML.
use super::next_task::next_task;
use super::state::{Cursor, Inspection, Loaded};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::inspect::display_path;
use serde_json::Value;
use std::collections::HashMap;

use crate::state_search::{
    find_all, needle as search_needle, scalar_text, search_raw, search_streams, Hit, Part, MAX_HITS,
};

/// Streams rendered at a time when all streams are shown.
const STREAM_PAGE: usize = 50;
/// A search match in a stream past the page extends the page up to this many streams; further
/// down, the page moves to the match instead.
const EXTEND_STREAMS_UP_TO: usize = 1_000;
/// Streams shown as raw JSON when all streams are shown.
const RAW_STREAMS: usize = 1_000;
/// Streams searched per task when all streams are searched.
const SEARCH_SLICE: usize = 500;
/// Fields (or array items) of one object rendered at a time.
const FIELD_PAGE: usize = 200;
/// With all streams shown, they start expanded up to this many, collapsed beyond.
const EXPAND_STREAMS_UP_TO: usize = 10;
/// A nested object or array with more entries than this starts collapsed.
const EXPAND_ENTRIES_UP_TO: usize = 50;

type Path = Vec<String>;

/// The event that last set a leaf: its 0-based position, type and recorded time.
#[derive(Clone, PartialEq, Debug)]
struct SetBy {
    position: usize,
    kind: String,
    recorded_at: Option<String>,
}

/// A stream's blame: leaf path inside the stream → the event that last set it.
type Blame = HashMap<Path, SetBy>;

/// Characters of a value shown before "Show all".
const LONG_VALUE_CHARS: usize = 300;

/// How much of an export's initial state the empty state panel quotes.
const INITIAL_STATE_CHARS: usize = 400;

/// `text`, cut to `chars` characters with an ellipsis.
fn cut(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// What is shown: nothing yet (with why), every stream, or one focused stream.
#[derive(Clone, PartialEq, Debug)]
enum Scope {
    Empty(String),
    All,
    Focus(String),
}

/// How a node renders: with children to expand, as one line, or not at all (it went away).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Branch,
    Leaf,
    Missing,
}

impl Kind {
    fn of(value: &Option<Value>) -> Kind {
        match value {
            None => Kind::Missing,
            Some(Value::Object(map)) if !map.is_empty() => Kind::Branch,
            Some(Value::Array(items)) if !items.is_empty() => Kind::Branch,
            Some(_) => Kind::Leaf,
        }
    }
}

/// The panel's view state, shared by every row.
#[derive(Clone, Copy)]
struct Ctx {
    loaded: Loaded,
    cursor: Cursor,
    /// Nodes the person opened or closed (full path → open); others follow `all_open` or their
    /// default.
    open: RwSignal<HashMap<Path, bool>>,
    /// Set by "Expand all" / "Collapse all".
    all_open: RwSignal<Option<bool>>,
    /// How many children of a node (full path; `[]` = the stream list) are rendered.
    pages: RwSignal<HashMap<Path, usize>>,
    /// The first stream rendered: a match far down a list of 200,000 streams is shown by moving
    /// the page there, not by rendering every stream before it.
    first_stream: RwSignal<usize>,
    /// The search text, trimmed and lower-cased ("" = no search).
    needle: Memo<String>,
    current: Memo<Option<Hit>>,
    /// More streams than start expanded.
    many_streams: Memo<bool>,
}

impl Ctx {
    fn is_open(&self, path: &[String], default: bool) -> bool {
        if let Some(open) = self.open.with(|m| m.get(path).copied()) {
            return open;
        }
        self.all_open.get().unwrap_or(default)
    }

    fn page(&self, path: &[String], step: usize) -> usize {
        self.pages.with(|p| p.get(path).copied()).unwrap_or(step)
    }

    fn show_more(&self, path: Path, step: usize) {
        self.pages.update(|p| *p.entry(path).or_insert(step) += step);
    }

    /// Where the current match starts, if it is in this node's `part`.
    fn current_start(&self, path: &[String], part: Part) -> Option<usize> {
        self.current.with(|c| c.as_ref().filter(|h| h.part == part && h.path == path).map(|h| h.start))
    }

    /// Opens the ancestors of `hit` and pages far enough that it is rendered.
    fn reveal(&self, hit: &Hit) {
        let depth = hit.path.len();
        let closed = (1..depth).any(|j| !self.is_open_untracked(&hit.path[..j]));
        if closed {
            self.open.update(|m| {
                for j in 1..depth {
                    m.insert(hit.path[..j].to_vec(), true);
                }
            });
        }
        if let Some(&index) = hit.indices.first() {
            let first = self.first_stream.get_untracked();
            let shown = self.pages.with_untracked(|p| p.get(&[] as &[String]).copied()).unwrap_or(STREAM_PAGE);
            if index < first || (index >= first + shown && (first > 0 || index >= EXTEND_STREAMS_UP_TO)) {
                self.first_stream.set(index / STREAM_PAGE * STREAM_PAGE);
                self.pages.update(|p| {
                    p.insert(Vec::new(), STREAM_PAGE);
                });
            }
        }
        let first = self.first_stream.get_untracked();
        let short = (0..depth).any(|j| {
            let step = page_step(j);
            let shown = self.pages.with_untracked(|p| p.get(&hit.path[..j]).copied()).unwrap_or(step);
            hit.indices[j] >= shown + if j == 0 { first } else { 0 }
        });
        if short {
            self.pages.update(|p| {
                for j in 0..depth {
                    let step = page_step(j);
                    let index = hit.indices[j] - if j == 0 { first } else { 0 };
                    let needed = (index / step + 1) * step;
                    let shown = p.entry(hit.path[..j].to_vec()).or_insert(step);
                    *shown = (*shown).max(needed);
                }
            });
        }
    }

    /// Open for sure: opened by the person or by "Expand all". A node on its default may be
    /// closed (the default depends on the node), so opening it explicitly is the safe side.
    fn is_open_untracked(&self, path: &[String]) -> bool {
        self.open.with_untracked(|m| m.get(path).copied()).or(self.all_open.get_untracked()).unwrap_or(false)
    }
}

fn page_step(depth: usize) -> usize {
    if depth == 0 {
        STREAM_PAGE
    } else {
        FIELD_PAGE
    }
}

#[component]
pub fn StatePanel() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let inspection = expect_context::<Inspection>();
    let query = RwSignal::new(String::new());
    let raw = RwSignal::new(false);
    let index = RwSignal::new(0usize);
    let open = RwSignal::new(HashMap::<Path, bool>::new());
    let all_open = RwSignal::new(None::<bool>);
    let pages = RwSignal::new(HashMap::<Path, usize>::new());
    let first_stream = RwSignal::new(0usize);
    let panel = NodeRef::<html::Section>::new();

    // Another log starts with a fresh view; a new view of the same log (snapshot interval, skips,
    // order, an appended correction) keeps what is open.
    let source = Memo::new(move |_| loaded.session.with(|s| s.source().to_string()));
    Effect::new(move |previous: Option<String>| {
        let id = source.get();
        if previous.is_some_and(|p| p != id) {
            open.set(HashMap::new());
            all_open.set(None);
            pages.set(HashMap::new());
            first_stream.set(0);
            index.set(0);
        }
        id
    });

    let scope = Memo::new(move |_| {
        let focus = inspection.focus.get();
        let at = cursor.position.get();
        let has = |name: &str| cursor.state.with(|view| view.contains(name));
        let empty = cursor.state.with(|view| view.is_empty());
        match focus {
            Some(name) if has(&name) => Scope::Focus(name),
            Some(name) => Scope::Empty(format!(
                "Stream “{name}” has no events before this point: move the timeline forward to its first event."
            )),
            None if !empty => Scope::All,
            None if at == 0 => match loaded.session.with(|s| s.initial_state()) {
                // A Redux DevTools export says what the state was before its first action.
                Some(initial) => Scope::Empty(format!(
                    "No actions applied yet. Before the first action the state was (from the export): {}",
                    cut(&initial.to_string(), INITIAL_STATE_CHARS)
                )),
                None => Scope::Empty("No events applied yet: the state is empty. Move the timeline forward.".into()),
            },
            None => Scope::Empty("No stream has any state at this point.".into()),
        }
    });
    let stream_count = Memo::new(move |_| cursor.state.with(|view| view.len()));
    let many_streams = Memo::new(move |_| stream_count.get() > EXPAND_STREAMS_UP_TO);

    let raw_text = Memo::new(move |_| {
        if !raw.get() {
            return String::new();
        }
        let entry = |name: &str| cursor.state.with(|view| view.get(name));
        match scope.get() {
            Scope::Empty(_) => String::new(),
            // Text for every stream of a large log would be megabytes no one reads: the first
            // streams, and how to see any other whole.
            Scope::All => cursor.state.with(|view| {
                let shown = serde_json::Map::from_iter(view.entries(0, RAW_STREAMS));
                let text = pretty(&Value::Object(shown));
                match view.len().checked_sub(RAW_STREAMS).filter(|&more| more > 0) {
                    Some(more) => {
                        format!("{text}\n\n… and {more} more streams: pick one in Stream to see its state as JSON.")
                    }
                    None => text,
                }
            }),
            Scope::Focus(name) => entry(&name).as_ref().map(pretty).unwrap_or_default(),
        }
    });

    let needle = Memo::new(move |_| query.with(|q| search_needle(q).into_iter().collect::<String>()));
    let hits = RwSignal::new(Vec::<Hit>::new());
    let searching = RwSignal::new(None::<(usize, usize)>);
    let search_run = StoredValue::new(0u64);
    // Searching every stream: the first slice at once, the rest a slice per task (a log of
    // 200,000 streams is not searched in one long task); a newer search or move stops an older one.
    Effect::new(move |_| {
        let needle: Vec<char> = needle.with(|n| n.chars().collect());
        let (raw, scope) = (raw.get(), scope.get());
        let view = cursor.state.get();
        let run = search_run.get_value() + 1;
        search_run.set_value(run);
        searching.set(None);
        if needle.is_empty() {
            return hits.set(Vec::new());
        }
        if raw {
            return hits.set(raw_text.with(|text| search_raw(text, &needle)));
        }
        match scope {
            Scope::Empty(_) => hits.set(Vec::new()),
            Scope::Focus(name) => {
                let stream = view.get(&name);
                hits.set(
                    stream.map(|stream| search_streams([(0, name.as_str(), &stream)], &needle)).unwrap_or_default(),
                )
            }
            Scope::All => {
                let total = view.len();
                let slice = move |from: usize| {
                    let entries = view.entries(from, SEARCH_SLICE);
                    let named = entries.iter().enumerate().map(|(i, (name, value))| (from + i, name.as_str(), value));
                    search_streams(named, &needle)
                };
                let mut found = slice(0);
                let done = move |searched: usize, found: &Vec<Hit>| searched >= total || found.len() >= MAX_HITS;
                if done(SEARCH_SLICE, &found) {
                    return hits.set(found);
                }
                hits.set(found.clone());
                searching.set(Some((SEARCH_SLICE, total)));
                spawn_local(async move {
                    let mut searched = SEARCH_SLICE;
                    while !done(searched, &found) {
                        next_task().await;
                        if search_run.try_get_value() != Some(run) {
                            return;
                        }
                        found.extend(slice(searched));
                        found.truncate(MAX_HITS);
                        searched += SEARCH_SLICE;
                        hits.set(found.clone());
                        searching.set(Some((searched.min(total), total)));
                    }
                    searching.set(None);
                });
            }
        }
    });
    let hit_count = Memo::new(move |_| hits.with(Vec::len));
    let current = Memo::new(move |_| hits.with(|h| (!h.is_empty()).then(|| h[index.get().min(h.len() - 1)].clone())));

    let ctx = Ctx { loaded, cursor, open, all_open, pages, first_stream, needle, current, many_streams };

    // "Follow cursor": the stream the event at the cursor touched is opened, paged into view and
    // scrolled to, so moving along the timeline shows what each event did (its fields are marked
    // as set by it).
    let follow = RwSignal::new(true);
    let followed = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let at = cursor.position.get();
        if !follow.get() || at == 0 || raw.get_untracked() {
            return;
        }
        let Some(name) =
            loaded.session.with_untracked(|s| (at <= s.len()).then(|| s.stream_of(s.event(at - 1).1).to_string()))
        else {
            return;
        };
        if !cursor.state.with_untracked(|view| view.contains(&name)) {
            return;
        }
        // The stream followed before closes again, unless the person opened it themselves.
        let before = followed.get_value();
        let opened_here = !ctx.is_open_untracked(std::slice::from_ref(&name));
        let close = before.as_ref().filter(|b| **b != name).cloned();
        ctx.open.update(|m| {
            if let Some(close) = close {
                m.remove(&vec![close]);
            }
            if opened_here {
                m.insert(vec![name.clone()], true);
            }
        });
        let still = before.filter(|b| *b == name);
        followed.set_value(if opened_here { Some(name.clone()) } else { still });
        // Not paged to: a stream past the page waits for "Show more" (the work stays that of a page).
        let panel = panel.get_untracked();
        request_animation_frame(move || {
            let Some(panel) = panel else { return };
            let Ok(rows) = panel.query_selector_all(".st-stream") else { return };
            for i in 0..rows.length() {
                let Some(row) = rows.item(i).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
                else {
                    continue;
                };
                if row.get_attribute("data-stream").as_deref() == Some(name.as_str()) {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    row.scroll_into_view_with_scroll_into_view_options(&options);
                    break;
                }
            }
        });
    });

    let reveal_current = move || {
        if let Some(hit) = current.get_untracked() {
            if hit.part != Part::Raw {
                ctx.reveal(&hit);
            }
            scroll_to_current(panel);
        }
    };
    let go = move |delta: isize| {
        let n = hit_count.get_untracked();
        if n == 0 {
            return;
        }
        let at = index.get_untracked().min(n - 1) as isize;
        index.set((at + delta).rem_euclid(n as isize) as usize);
        reveal_current();
    };
    // The first match of a new search is revealed once the search has found it (it runs in an
    // effect, and on a large log over several tasks).
    let reveal_pending = StoredValue::new(false);
    let search = move |text: String| {
        query.set(text);
        index.set(0);
        reveal_pending.set_value(true);
    };
    Effect::new(move |_| {
        // `hits`, not the count: a new search may find as many matches as the one before.
        let found = hits.with(|hits| !hits.is_empty());
        if reveal_pending.get_value() && (found || searching.get_untracked().is_none()) {
            reveal_pending.set_value(false);
            if found {
                reveal_current();
            }
        }
    });

    let status = move || {
        let q = query.with(|q| q.trim().to_string());
        if q.is_empty() {
            return String::new();
        }
        let n = hit_count.get();
        let still = searching.get().map(|(done, total)| format!("searching {done} of {total} streams…"));
        if n == 0 {
            return match still {
                Some(still) => format!("No matches yet, {still}"),
                None => format!("No matches for “{q}”"),
            };
        }
        let at = index.get().min(n - 1) + 1;
        let more = if n >= MAX_HITS { "+" } else { "" };
        let noun = if n == 1 { "match" } else { "matches" };
        match still {
            Some(still) => format!("{at} of {n}{more} {noun} so far, {still}"),
            None => format!("{at} of {n}{more} {noun}"),
        }
    };
    let no_hits = move || hit_count.get() == 0;

    let body = move || match scope.get() {
        Scope::Empty(message) => view! { <p class="empty-state st-empty">{message}</p> }.into_any(),
        _ if raw.get() => raw_view(ctx, raw_text, hits).into_any(),
        Scope::All => all_streams_view(ctx, stream_count).into_any(),
        Scope::Focus(name) => view! { <ul class="st-tree">{stream_node(ctx, name, false)}</ul> }.into_any(),
    };

    view! {
        <section class="state-panel" role="region" aria-label="State" node_ref=panel>
            <div class="st-head">
                <h2>"State"</h2>
                <label class="st-raw-toggle">
                    <input
                        type="checkbox"
                        prop:checked=move || raw.get()
                        on:change=move |ev| {
                            raw.set(event_target_checked(&ev));
                            index.set(0);
                        }
                    />
                    "Raw JSON"
                </label>
                <label class="st-follow" title="Open and scroll to the stream the event at the cursor changed">
                    <input
                        type="checkbox"
                        prop:checked=move || follow.get()
                        on:change=move |ev| follow.set(event_target_checked(&ev))
                    />
                    "Follow cursor"
                </label>
                {move || {
                    (!raw.get())
                        .then(|| {
                            view! {
                                <span class="st-all">
                                    <button
                                        type="button"
                                        title="Expand every stream and object"
                                        on:click=move |_| {
                                            open.set(HashMap::new());
                                            all_open.set(Some(true));
                                        }
                                    >
                                        "Expand all"
                                    </button>
                                    <button
                                        type="button"
                                        title="Collapse every stream and object"
                                        on:click=move |_| {
                                            open.set(HashMap::new());
                                            all_open.set(Some(false));
                                        }
                                    >
                                        "Collapse all"
                                    </button>
                                </span>
                            }
                        })
                }}
            </div>
            <div class="st-search-bar">
                <input
                    type="search"
                    class="st-search"
                    aria-label="Search state"
                    placeholder="Search keys and values"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || query.get()
                    on:input=move |ev| search(event_target_value(&ev))
                    on:keydown=move |ev| match ev.key().as_str() {
                        "Enter" => {
                            ev.prevent_default();
                            go(if ev.shift_key() { -1 } else { 1 });
                        }
                        "Escape" if !query.with_untracked(String::is_empty) => {
                            ev.prevent_default();
                            search(String::new());
                        }
                        _ => {}
                    }
                />
                <button
                    type="button"
                    class="st-nav"
                    aria-label="Previous match"
                    title="Previous match (Shift+Enter)"
                    disabled=no_hits
                    on:click=move |_| go(-1)
                >
                    "↑"
                </button>
                <button
                    type="button"
                    class="st-nav"
                    aria-label="Next match"
                    title="Next match (Enter)"
                    disabled=no_hits
                    on:click=move |_| go(1)
                >
                    "↓"
                </button>
                <span class="st-count" role="status">{status}</span>
            </div>
            <div class="st-body">{body}</div>
        </section>
    }
}

/// Scrolls the current match into view once the DOM shows it.
fn scroll_to_current(panel: NodeRef<html::Section>) {
    request_animation_frame(move || {
        let Some(panel) = panel.get_untracked() else { return };
        if let Ok(Some(mark)) = panel.query_selector("mark[aria-current]") {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            mark.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The state as pretty-printed JSON, search matches marked.
fn raw_view(ctx: Ctx, text: Memo<String>, hits: RwSignal<Vec<Hit>>) -> impl IntoView {
    let content = move || {
        text.with(|text| {
            hits.with(|hits| {
                let ranges: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
                let current = ctx.current.with(|c| c.as_ref().map(|h| h.start));
                segments(text, &ranges, current)
            })
        })
    };
    view! { <pre class="st-raw">{content}</pre> }
}

/// Every stream, a page at a time.
fn all_streams_view(ctx: Ctx, count: Memo<usize>) -> impl IntoView {
    let names = Memo::new(move |_| {
        let (first, page) = (ctx.first_stream.get(), ctx.page(&[], STREAM_PAGE));
        ctx.cursor.state.with(|view| view.names(first, page))
    });
    let shown = move || names.get();
    let earlier = move || {
        let first = ctx.first_stream.get();
        (first > 0).then(|| {
            let show_earlier = move |_| {
                let first = ctx.first_stream.get_untracked();
                ctx.first_stream.set(first.saturating_sub(STREAM_PAGE));
                ctx.show_more(Vec::new(), first.min(STREAM_PAGE));
            };
            view! {
                <p class="st-more">
                    <button type="button" on:click=show_earlier>"Show earlier streams"</button>
                </p>
            }
        })
    };
    let more = move || {
        let (total, first, page) = (count.get(), ctx.first_stream.get(), ctx.page(&[], STREAM_PAGE));
        let text = match first {
            0 => format!("Showing {} of {} streams.", page.min(total), total),
            _ => format!("Showing streams {} to {} of {}.", first + 1, (first + page).min(total), total),
        };
        (first > 0 || total > page).then(|| {
            view! {
                <p class="st-more">
                    <span>{text}</span>
                    {(total > first + page).then(|| view! {
                        <button type="button" on:click=move |_| ctx.show_more(Vec::new(), STREAM_PAGE)>
                            "Show more streams"
                        </button>
                    })}
                </p>
            }
        })
    };
    view! {
        {earlier}
        <ul class="st-tree">
            <For each=shown key=|name| name.clone() children=move |name| stream_node(ctx, name, true) />
        </ul>
        {more}
    }
}

/// One stream: a heading (a disclosure button unless it is the focused stream), then its fields.
fn stream_node(ctx: Ctx, name: String, collapsible: bool) -> AnyView {
    let (loaded, cursor) = (ctx.loaded, ctx.cursor);
    let path: Path = vec![name.clone()];
    let value = Memo::new({
        let name = name.clone();
        move |_| cursor.state.with(|view| view.get(&name))
    });
    let open = Memo::new({
        let path = path.clone();
        move |_| !collapsible || ctx.is_open(&path, !ctx.many_streams.get())
    });
    // How many of the stream's events are before the cursor: its blame changes only with this (or
    // the session), so moving the cursor over other streams' events does not fold this one again.
    let applied = Memo::new({
        let name = name.clone();
        move |_| {
            if !open.get() {
                return None;
            }
            let cursor = cursor.position.get();
            loaded.session.with(|s| {
                let stream = s.stream(&name)?;
                Some(s.stream_events_before(stream, cursor))
            })
        }
    });
    let blame = Memo::new({
        let name = name.clone();
        move |_| match applied.get() {
            Some(_) => stream_blame(loaded, cursor, &name),
            None => Blame::new(),
        }
    });
    let kind = Memo::new(move |_| value.with(Kind::of));
    let summary = move || value.with(|v| v.as_ref().map(entries_summary).unwrap_or_default());
    let label = highlight(ctx, path.clone(), Part::Key, {
        let name = name.clone();
        move || name.clone()
    });
    let name_attr = name.clone();
    let heading = if collapsible {
        let path = path.clone();
        view! {
            <h3 class="st-stream-head">
                <button
                    type="button"
                    class="st-toggle"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    title=format!("Stream {name}")
                    on:click=move |_| {
                        let now = open.get_untracked();
                        ctx.open.update(|m| {
                            m.insert(path.clone(), !now);
                        });
                    }
                >
                    <span class="st-key">{label}</span>
                </button>
                " "
                <span class="st-meta">{summary}</span>
            </h3>
        }
        .into_any()
    } else {
        view! {
            <h3 class="st-stream-head st-focused">
                <span class="st-key">{label}</span>
                " "
                <span class="st-meta">{summary}</span>
            </h3>
        }
        .into_any()
    };
    let body = move || {
        if !open.get() {
            return ().into_any();
        }
        match kind.get() {
            Kind::Branch => children_view(ctx, path.clone(), value, blame).into_any(),
            Kind::Leaf => {
                // A stream whose whole state is one value (some generic logs).
                let entry = blame_entry(blame, Vec::new());
                view! {
                    <ul class="st-fields">
                        <li class="st-leaf">
                            {scalar_view(ctx, path.clone(), value)}
                            {blame_button(ctx, entry, display_path(&path))}
                        </li>
                    </ul>
                }
                .into_any()
            }
            Kind::Missing => ().into_any(),
        }
    };
    view! {
        <li class="st-stream" class:st-open=move || open.get() data-stream=name_attr>
            {heading}
            {body}
        </li>
    }
    .into_any()
}

/// The blame of stream `name` at the cursor (the stream's history is folded up to it). Tracks the
/// session but not the cursor: the caller tracks how many of the stream's events are applied.
fn stream_blame(loaded: Loaded, cursor: Cursor, name: &str) -> Blame {
    let cursor = cursor.position.get_untracked();
    loaded.session.with(|s| {
        let Some(stream) = s.stream(name) else { return Blame::new() };
        s.blame(stream, cursor)
            .into_iter()
            .filter_map(|(path, position)| {
                // Blame counts timeline positions, which may differ from log positions.
                let event = (position < s.len()).then(|| s.event(position).1)?;
                let set_by = SetBy {
                    position,
                    kind: s.type_name(event).to_string(),
                    recorded_at: event.recorded_at().map(String::from),
                };
                Some((path, set_by))
            })
            .collect()
    })
}

/// The children of an object or array node, a page at a time.
fn children_view(ctx: Ctx, parent: Path, value: Memo<Option<Value>>, blame: Memo<Blame>) -> impl IntoView {
    let keys = Memo::new(move |_| {
        value.with(|v| match v {
            Some(Value::Object(map)) => map.keys().cloned().collect::<Vec<_>>(),
            Some(Value::Array(items)) => (0..items.len()).map(|i| i.to_string()).collect(),
            _ => Vec::new(),
        })
    });
    let shown = {
        let parent = parent.clone();
        move || {
            let page = ctx.page(&parent, FIELD_PAGE);
            keys.with(|k| k.iter().take(page).cloned().collect::<Vec<_>>())
        }
    };
    let more = {
        let parent = parent.clone();
        move || {
            let total = keys.with(Vec::len);
            let page = ctx.page(&parent, FIELD_PAGE);
            let parent = parent.clone();
            (total > page).then(|| {
                view! {
                    <li class="st-more">
                        <span>{format!("Showing {} of {} fields.", page, total)}</span>
                        <button type="button" on:click=move |_| ctx.show_more(parent.clone(), FIELD_PAGE)>
                            "Show more fields"
                        </button>
                    </li>
                }
            })
        }
    };
    let row = move |key: String| {
        let is_index = value.with_untracked(|v| matches!(v, Some(Value::Array(_))));
        let child = Memo::new({
            let key = key.clone();
            move |_| value.with(|v| v.as_ref().and_then(|v| child_of(v, &key)).cloned())
        });
        let mut path = parent.clone();
        path.push(key.clone());
        field_node(ctx, path, key, is_index, child, blame)
    };
    view! {
        <ul class="st-fields">
            <For each=shown key=|key| key.clone() children=row />
            {more}
        </ul>
    }
}

fn child_of<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match value {
        Value::Object(map) => map.get(key),
        Value::Array(items) => items.get(key.parse::<usize>().ok()?),
        _ => None,
    }
}

/// A field inside a stream: a collapsible object/array, or `key: value` on one line.
fn field_node(
    ctx: Ctx,
    path: Path,
    key: String,
    is_index: bool,
    value: Memo<Option<Value>>,
    blame: Memo<Blame>,
) -> AnyView {
    let kind = Memo::new(move |_| value.with(Kind::of));
    // Blame paths are relative to the stream.
    let entry = blame_entry(blame, path[1..].to_vec());
    (move || {
        let row = Row { path: path.clone(), key: key.clone(), is_index, value, entry };
        match kind.get() {
            Kind::Missing => ().into_any(),
            Kind::Leaf => leaf_row(ctx, row).into_any(),
            Kind::Branch => branch_row(ctx, row, blame).into_any(),
        }
    })
    .into_any()
}

/// What a field row needs.
struct Row {
    path: Path,
    key: String,
    is_index: bool,
    value: Memo<Option<Value>>,
    entry: Memo<Option<SetBy>>,
}

impl Row {
    /// The key, highlighted; array items show their index, which search skips.
    fn label(&self, ctx: Ctx) -> AnyView {
        let title = display_path(&self.path);
        if self.is_index {
            view! { <span class="st-key st-index" title=title>{self.key.clone()}</span> }.into_any()
        } else {
            let key = self.key.clone();
            let text = highlight(ctx, self.path.clone(), Part::Key, move || key.clone());
            view! { <span class="st-key" title=title>{text}</span> }.into_any()
        }
    }

    /// The field was set by the event the cursor is on.
    fn fresh(&self, ctx: Ctx) -> impl Fn() -> bool + Send + Sync + Copy + 'static {
        let entry = self.entry;
        move || entry.with(|e| e.as_ref().is_some_and(|s| s.position + 1 == ctx.cursor.position.get()))
    }
}

/// `key: value  #3 Deposit`.
fn leaf_row(ctx: Ctx, row: Row) -> impl IntoView {
    let label = row.label(ctx);
    let fresh = row.fresh(ctx);
    let field = display_path(&row.path);
    // The lesson builder, when open, picks the field clicked.
    let (pick, picked) = (use_context::<super::lesson_builder::FieldPick>(), row.path.clone());
    view! {
        <li class="st-leaf" class:st-fresh=fresh on:click=move |ev| if let Some(p) = pick { p.offer(&picked, &ev) }>
            {label}
            <span class="st-sep">": "</span>
            {scalar_view(ctx, row.path, row.value)}
            {blame_button(ctx, row.entry, field)}
        </li>
    }
}

/// A nested object or array: a disclosure button, a count, and its children when open.
fn branch_row(ctx: Ctx, row: Row, blame: Memo<Blame>) -> impl IntoView {
    let label = row.label(ctx);
    let fresh = row.fresh(ctx);
    let field = display_path(&row.path);
    let value = row.value;
    let count = Memo::new(move |_| value.with(|v| v.as_ref().map_or(0, entry_count)));
    let open = Memo::new({
        let path = row.path.clone();
        move |_| ctx.is_open(&path, count.get() <= EXPAND_ENTRIES_UP_TO)
    });
    let summary = move || value.with(|v| v.as_ref().map(entries_summary).unwrap_or_default());
    let toggle = {
        let path = row.path.clone();
        move |_| {
            let now = open.get_untracked();
            ctx.open.update(|m| {
                m.insert(path.clone(), !now);
            });
        }
    };
    let path = row.path;
    let children = move || open.get().then(|| children_view(ctx, path.clone(), value, blame));
    view! {
        <li class="st-branch" class:st-open=move || open.get() class:st-fresh=fresh>
            <div class="st-row">
                <button
                    type="button"
                    class="st-toggle"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    on:click=toggle
                >
                    {label}
                </button>
                " "
                <span class="st-meta">{summary}</span>
                {blame_button(ctx, row.entry, field)}
            </div>
            {children}
        </li>
    }
}

fn entry_count(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.len(),
        Value::Array(items) => items.len(),
        _ => 0,
    }
}

/// The scalar at `path` (full path), highlighted, in its type's colour.
fn scalar_view(ctx: Ctx, path: Path, value: Memo<Option<Value>>) -> impl IntoView {
    let class = move || value.with(|v| format!("st-value {}", v.as_ref().map_or("", value_class)));
    // A long value is cut (a 10 MB string would stall the page); "Show all" puts it all in.
    let expanded = RwSignal::new(false);
    let long = Memo::new(move |_| {
        value.with(|v| v.as_ref().is_some_and(|v| scalar_text(v).chars().nth(LONG_VALUE_CHARS).is_some()))
    });
    let text = highlight(ctx, path, Part::Value, move || {
        let text = value.with(|v| v.as_ref().map(scalar_text).unwrap_or_default());
        if expanded.get() {
            text
        } else {
            cut(&text, LONG_VALUE_CHARS)
        }
    });
    let toggle = move || {
        long.get().then(|| {
            view! {
                <button type="button" class="link show-all" on:click=move |_| expanded.update(|e| *e = !*e)>
                    {move || if expanded.get() { "Show less" } else { "Show all" }}
                </button>
            }
        })
    };
    view! {
        <span class=class>{text}</span>
        {toggle}
    }
}

/// This leaf's blame, changing only when its own entry does (so its button keeps focus).
fn blame_entry(blame: Memo<Blame>, rel: Path) -> Memo<Option<SetBy>> {
    Memo::new(move |_| blame.with(|b| b.get(&rel).cloned()))
}

/// "event 3 (Deposit)": the event that last set this leaf; clicking moves the cursor to it. The
/// visible text is part of the accessible name, so a person using voice control can say it.
fn blame_button(ctx: Ctx, entry: Memo<Option<SetBy>>, field: String) -> impl IntoView {
    let present = Memo::new(move |_| entry.with(Option::is_some));
    move || {
        present.get().then(|| {
            let field = field.clone();
            let number = move || entry.with(|e| e.as_ref().map_or(0, |s| s.position + 1));
            let kind = move || entry.with(|e| e.as_ref().map(|s| s.kind.clone()).unwrap_or_default());
            let label = move || format!("{field}: set by event {} ({}) — go there", number(), kind());
            let title = move || {
                entry.with(|e| match e {
                    Some(SetBy { position, kind, recorded_at: Some(at) }) => {
                        format!("Last set by event {} ({kind}, recorded {at}). Click to go there.", position + 1)
                    }
                    Some(SetBy { position, kind, .. }) => {
                        format!("Last set by event {} ({kind}). Click to go there.", position + 1)
                    }
                    None => String::new(),
                })
            };
            view! {
                <button
                    type="button"
                    class="st-blame"
                    aria-label=label
                    title=title
                    on:click=move |_| {
                        let n = number();
                        if n > 0 {
                            ctx.cursor.seek(n);
                        }
                    }
                >
                    {move || format!("event {} ({})", number(), kind())}
                </button>
            }
        })
    }
}

/// `text` with the search matches wrapped in `<mark>` (the current one distinct).
fn highlight(ctx: Ctx, path: Path, part: Part, text: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    move || {
        let text = text();
        let ranges =
            ctx.needle.with(
                |n| {
                    if n.is_empty() {
                        Vec::new()
                    } else {
                        find_all(&text, &n.chars().collect::<Vec<_>>())
                    }
                },
            );
        let current = if ranges.is_empty() { None } else { ctx.current_start(&path, part) };
        segments(&text, &ranges, current)
    }
}

/// Text nodes and `<mark>` elements: never HTML.
fn segments(text: &str, ranges: &[(usize, usize)], current: Option<usize>) -> AnyView {
    if ranges.is_empty() {
        return text.to_string().into_any();
    }
    let mut parts = Vec::with_capacity(ranges.len() * 2 + 1);
    let mut at = 0;
    for &(start, end) in ranges {
        if start > at {
            parts.push(text[at..start].to_string().into_any());
        }
        let is_current = current == Some(start);
        let class = if is_current { "st-mark st-current" } else { "st-mark" };
        let aria_current = is_current.then_some("true");
        parts.push(
            view! { <mark class=class aria-current=aria_current>{text[start..end].to_string()}</mark> }.into_any(),
        );
        at = end;
    }
    if at < text.len() {
        parts.push(text[at..].to_string().into_any());
    }
    parts.collect_view().into_any()
}

fn value_class(value: &Value) -> &'static str {
    match value {
        Value::String(text) if text.is_empty() => "st-str st-blank",
        Value::String(_) => "st-str",
        Value::Number(_) => "st-num",
        Value::Bool(_) => "st-bool",
        Value::Null => "st-null",
        Value::Object(_) | Value::Array(_) => "st-empty-container",
    }
}

/// "4 fields", "2 items".
fn entries_summary(value: &Value) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match value {
        Value::Object(map) => plural(map.len(), "field", "fields"),
        Value::Array(items) => plural(items.len(), "item", "items"),
        _ => String::new(),
    }
}
