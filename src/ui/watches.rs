//! "Watches": expressions in the script language shown at the cursor, each with a sparkline of
//! its numbers over the whole log.
use super::next_task::next_task;
use super::open_log_file::SLICE_MS;
use super::state::{Cursor, Loaded, Watches};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_script::query::{display, Expression, SeriesScan};
use rewind_script::CompileError;
use std::sync::Arc;

/// A sparkline's width and height in pixels; its width is also how many columns the whole log is
/// drawn in.
const WIDTH: usize = 120;
const HEIGHT: f64 = 24.0;
/// A watch's value is shown up to this many characters.
const MAX_CHARS: usize = 200;
/// Positions evaluated per step between looks at the clock.
const EVENTS_PER_STEP: usize = 512;

/// "Watch expression" and "Add watch" (a syntax error is shown with its column, and nothing is
/// added), then one row per watch: the expression, its value at the cursor, a sparkline when its
/// values are numbers, and Remove.
#[component]
pub fn WatchesPanel() -> impl IntoView {
    let watches = expect_context::<Watches>();
    let text = RwSignal::new(String::new());
    let compile_error = RwSignal::new(None::<CompileError>);
    let notice = RwSignal::new(None::<String>);

    let add = move || {
        let source = text.get_untracked().trim().to_string();
        if source.is_empty() {
            return;
        }
        if let Err(error) = Expression::compile(&source) {
            compile_error.set(Some(error));
            return;
        }
        if watches.list.with_untracked(|list| list.contains(&source)) {
            notice.set(Some(format!("{source} is watched already.")));
            return;
        }
        watches.list.update(|list| list.push(source));
        text.set(String::new());
        compile_error.set(None);
        notice.set(None);
    };
    let compile_message = move || {
        compile_error.get().map(|error| {
            let at = error.column.map(|c| format!("column {c}: ")).unwrap_or_default();
            view! { <p class="expression-error" role="alert">{format!("The watch does not compile: {at}{}", error.message)}</p> }
        })
    };

    view! {
        <section class="watches" role="region" aria-label="Watches">
            <h2>"Watches"</h2>
            <form
                class="expression-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    add();
                }
            >
                <input
                    type="text"
                    aria-label="Watch expression"
                    placeholder="stream.balance"
                    spellcheck="false"
                    autocomplete="off"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        compile_error.set(None);
                        notice.set(None);
                    }
                />
                <button type="submit">"Add watch"</button>
            </form>
            {compile_message}
            {move || notice.get().map(|n| view! { <p class="expression-hint">{n}</p> })}
            <ul class="watch-list" aria-label="Watched expressions">
                <For each=move || watches.list.get() key=|source| source.clone() let:source>
                    <WatchRow source/>
                </For>
            </ul>
        </section>
    }
}

/// One watch: its value at the cursor, its sparkline, Remove.
#[component]
fn WatchRow(source: String) -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let watches = expect_context::<Watches>();
    // Compiled once per row: a saved watch that no longer compiles shows why.
    let expression = Expression::compile(&source).map(Arc::new);
    let value = {
        let expression = expression.clone();
        move || {
            let expression = match &expression {
                Ok(expression) => expression,
                Err(error) => return format!("does not compile: {error}"),
            };
            let position = cursor.position.get();
            // Only the watches shown are evaluated, and only at the cursor; every stream's state
            // is built only for an expression that names `state`.
            let result = loaded.session.with(|s| match expression.uses_state() {
                true => cursor.state.with(|view| expression.value_at(s, position, Some(&view.to_json()))),
                false => expression.value_at(s, position, None),
            });
            let text = match result {
                Ok(value) => format!("= {}", display(&value)),
                Err(error) => format!("error: {error}"),
            };
            // A row, not a state panel: a watch of a whole state is cut short.
            match text.char_indices().nth(MAX_CHARS) {
                Some((cut, _)) => format!("{}…", &text[..cut]),
                None => text,
            }
        }
    };
    let sparkline = expression.ok().map(|expression| view! { <Sparkline expression/> });
    let remove = {
        let source = source.clone();
        move |_| watches.list.update(|list| list.retain(|s| s != &source))
    };
    view! {
        <li class="watch">
            <code class="watch-expression">{source.clone()}</code>
            <span class="watch-value">{value}</span>
            {sparkline}
            <button type="button" on:click=remove>"Remove"</button>
        </li>
    }
}

/// What a sparkline is doing.
#[derive(Clone, Debug, PartialEq)]
enum Drawing {
    /// Evaluating the watch over the log: how far, in percent.
    Running(usize),
    /// Stopped by Cancel before the end.
    Cancelled,
    /// Each column's lowest and highest number (empty: not a number anywhere).
    Done(Arc<Vec<Option<(f64, f64)>>>),
}

/// The watch's numbers over the whole log, computed once per session (in slices, with progress
/// and Cancel on a long log) and drawn `WIDTH` columns wide, each column the lowest to the highest
/// value in its run of positions; a line marks the cursor.
#[component]
fn Sparkline(expression: Arc<Expression>) -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let drawing = RwSignal::new(Drawing::Running(0));
    // Counts runs: a run that sees a newer one (another session, Cancel, the row removed) stops.
    let run = StoredValue::new(0u64);
    let source = expression.source().to_string();

    let start = move |expression: Arc<Expression>| {
        let id = run.get_value() + 1;
        run.set_value(id);
        let session = loaded.session.get_untracked();
        drawing.set(Drawing::Running(0));
        spawn_local(async move {
            let mut scan = SeriesScan::new(&expression, &session, WIDTH);
            loop {
                let started = js_sys::Date::now();
                let mut done = false;
                while !done && js_sys::Date::now() - started < SLICE_MS {
                    done = scan.step(EVENTS_PER_STEP);
                }
                if run.try_get_value() != Some(id) {
                    return;
                }
                if done {
                    break;
                }
                drawing.set(Drawing::Running(scan.done() * 100 / scan.total().max(1)));
                next_task().await;
                if run.try_get_value() != Some(id) {
                    return;
                }
            }
            drawing.set(Drawing::Done(Arc::new(scan.finish())));
        });
    };
    {
        let expression = Arc::clone(&expression);
        Effect::new(move |_| {
            loaded.session.track();
            start(Arc::clone(&expression));
        });
    }
    on_cleanup(move || run.try_update_value(|id| *id += 1).unwrap_or_default());

    move || match drawing.get() {
        Drawing::Running(percent) => view! {
            <span class="sparkline-progress">
                {format!("Sparkline {percent}%…")}
                <button type="button" on:click=move |_| {
                    run.update_value(|id| *id += 1);
                    drawing.set(Drawing::Cancelled);
                }>"Cancel"</button>
            </span>
        }
        .into_any(),
        Drawing::Cancelled => {
            let expression = Arc::clone(&expression);
            view! {
                <button type="button" class="link" on:click=move |_| start(Arc::clone(&expression))>
                    "Draw sparkline"
                </button>
            }
            .into_any()
        }
        Drawing::Done(columns) if columns.is_empty() => ().into_any(),
        Drawing::Done(columns) => {
            let total = loaded.session.with_untracked(|s| s.len() + 1);
            let (path, low, high) = sparkline_path(&columns);
            let label = format!("Sparkline of {source} over the whole log: from {low} to {high}");
            let n = columns.len().max(1);
            let cursor_x = move || ((cursor.position.get() * n / total) as f64 + 0.5) * WIDTH as f64 / n as f64;
            view! {
                <svg
                    class="sparkline"
                    role="img"
                    aria-label=label
                    viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                    width=WIDTH.to_string()
                    height=HEIGHT.to_string()
                    preserveAspectRatio="none"
                >
                    <path class="sparkline-values" d=path></path>
                    <line class="sparkline-cursor" x1=cursor_x y1="0" x2=cursor_x y2=HEIGHT.to_string()></line>
                </svg>
            }
            .into_any()
        }
    }
}

/// The path of a sparkline's columns (a line through each column's middle, and each column's
/// span from lowest to highest), and the lowest and highest values as text.
fn sparkline_path(columns: &[Option<(f64, f64)>]) -> (String, String, String) {
    let low = columns.iter().flatten().map(|c| c.0).fold(f64::INFINITY, f64::min);
    let high = columns.iter().flatten().map(|c| c.1).fold(f64::NEG_INFINITY, f64::max);
    let y = |v: f64| match high > low {
        true => 1.0 + (HEIGHT - 2.0) * (high - v) / (high - low),
        false => HEIGHT / 2.0,
    };
    // Spread over the full width whatever the number of columns (a short log has fewer).
    let step = WIDTH as f64 / columns.len().max(1) as f64;
    let mut path = String::new();
    let mut pen_down = false;
    for (i, column) in columns.iter().enumerate() {
        let Some((lo, hi)) = column else {
            pen_down = false;
            continue;
        };
        let x = (i as f64 + 0.5) * step;
        let middle = (y(*lo) + y(*hi)) / 2.0;
        // A point with no neighbour is a dot (a round cap on a tiny stroke).
        match pen_down {
            true => path.push_str(&format!("L{x:.1} {middle:.1}")),
            false => path.push_str(&format!("M{x:.1} {middle:.1}h0.1")),
        }
        if hi > lo {
            path.push_str(&format!("M{x:.1} {:.1}L{x:.1} {:.1}M{x:.1} {middle:.1}", y(*hi), y(*lo)));
        }
        pen_down = true;
    }
    let text = |v: f64| if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v:.0}") } else { format!("{v}") };
    (path, text(low), text(high))
}
