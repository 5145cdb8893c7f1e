//! "Chart": a numeric field of a stream over the whole log, with the cursor marked; collapsible,
//! and remembered collapsed.
use super::layout_storage;
use super::state::{Cursor, Inspection, Loaded};
use crate::pane_layout::{chart_text, parse_chart_collapsed, CHART_KEY};
use leptos::prelude::*;
use rewind_engine::inspect::{display_path, downsample, extent, json_pointer, Point};
use rewind_engine::session::ChartSource;
use wasm_bindgen::JsCast;

/// Up to this many points, each event is a dot with a tooltip; beyond it, min–max columns.
const MAX_DOTS: usize = 200;
/// Columns of the downsampled chart (about one per pixel of a wide screen).
const COLUMNS: usize = 600;
/// The plot's vertical range, in percent of the chart's height (room above and below for labels).
const TOP: f64 = 18.0;
const BOTTOM: f64 = 84.0;

/// A numeric field of the charted stream (the focused one, else the first) over the whole log,
/// lined up with the timeline: x is the position, so the cursor line sits under the slider's thumb.
/// Its heading is a button that collapses it (and expands it again); collapsed, nothing is computed
/// for it, and it stays collapsed on the next visit.
#[component]
pub fn ChartPanel() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let inspection = expect_context::<Inspection>();
    let collapsed =
        RwSignal::new(layout_storage::read(CHART_KEY).and_then(|text| parse_chart_collapsed(&text)).unwrap_or(false));
    let toggle = move |_| {
        let now = !collapsed.get_untracked();
        collapsed.set(now);
        layout_storage::write(CHART_KEY, chart_text(now));
    };
    // Everything up to `geometry` depends on the log, the stream and the field, never the cursor.
    // A projection the person picked to chart instead of a stream (a script's `project_NAME`).
    let projection = RwSignal::new(None::<String>);
    let projections = Memo::new(move |_| loaded.session.with(|s| s.projection_names().to_vec()));
    let charted = Memo::new(move |_| {
        let focused = inspection.focused_stream();
        let picked = projection.get().filter(|name| projections.with(|names| names.contains(name)));
        loaded.session.with(|s| match (picked, focused) {
            (Some(name), _) => Some(Charted {
                kind: "projection",
                name: name.clone(),
                source: ChartSource::Projection(name),
                why: ".",
            }),
            (None, Some(stream)) => Some(Charted {
                source: ChartSource::Stream(stream),
                kind: "stream",
                name: s.stream_name(stream).to_string(),
                why: " (the focused stream).",
            }),
            (None, None) => s.active_streams().next().map(|(stream, name)| Charted {
                source: ChartSource::Stream(stream),
                kind: "stream",
                name: name.to_string(),
                why: " (the first stream; the Stream picker changes it).",
            }),
        })
    });
    let paths = Memo::new(move |_| {
        charted.with(|c| c.as_ref().map(|c| loaded.session.with(|s| s.numeric_paths(&c.source))).unwrap_or_default())
    });
    let chosen = RwSignal::new(None::<Vec<String>>);
    let field = Memo::new(move |_| {
        let chosen = chosen.get();
        paths.with(|paths| match chosen {
            Some(path) if paths.contains(&path) => Some(path),
            _ => default_field(paths),
        })
    });
    let series = Memo::new(move |_| {
        let Some(source) = charted.with(|c| c.as_ref().map(|c| c.source.clone())) else { return Vec::new() };
        field.with(|f| f.as_ref().map(|path| loaded.session.with(|s| s.series(&source, path))).unwrap_or_default())
    });
    let geometry = Memo::new(move |_| {
        let len = cursor.len();
        series.with(|points| Geometry::new(points, len))
    });

    let on_field = move |ev| {
        let pointer = event_target_value(&ev);
        let path = paths.with(|paths| paths.iter().find(|p| json_pointer(p) == pointer).cloned());
        chosen.set(path);
    };
    let options = move || {
        let selected = field.get();
        paths.with(|paths| {
            paths
                .iter()
                .map(|path| {
                    let is_selected = selected.as_ref() == Some(path);
                    view! {
                        <option value=json_pointer(path) selected=is_selected>
                            {display_path(path)}
                        </option>
                    }
                })
                .collect_view()
        })
    };
    let what = move || {
        charted.with(|c| match c {
            None => view! { <p class="chart-what">"No stream to chart: the log has no events."</p> }.into_any(),
            Some(c) => {
                view! { <p class="chart-what">"Charting " {c.kind} " " <strong>{c.name.clone()}</strong> {c.why}</p> }
                    .into_any()
            }
        })
    };
    let chart = move || {
        let Some(subject) = charted.with(|c| c.as_ref().map(Charted::subject)) else { return ().into_any() };
        let Some(path) = field.get() else {
            return view! { <p class="chart-empty">{format!("The {subject} has no numeric field to chart.")}</p> }
                .into_any();
        };
        let label = display_path(&path);
        view! {
            <Plot geometry series label=label.clone() subject=subject.clone()/>
            <p class="chart-summary" id="chart-summary">
                {move || {
                    let cursor = cursor.position.get();
                    series.with(|points| geometry.with(|g| summary(&label, &subject, cursor, points, g)))
                }}
            </p>
        }
        .into_any()
    };
    let expanded = move || !collapsed.get();
    view! {
        <section class="chart-panel" class:collapsed=move || collapsed.get() role="region" aria-label="Chart">
            <div class="chart-head">
                <h2>
                    <button
                        type="button"
                        class="disclosure"
                        aria-expanded=move || expanded().to_string()
                        aria-controls="chart-body"
                        title=move || if expanded() { "Collapse the chart" } else { "Expand the chart" }
                        on:click=toggle
                    >
                        "Chart"
                    </button>
                </h2>
                <Show when=expanded>
                    {what}
                    <Show when=move || projections.with(|p| !p.is_empty())>
                        <label class="inline chart-source">
                            "Chart of"
                            <select on:change=move |ev| {
                                let name = event_target_value(&ev);
                                projection.set((!name.is_empty()).then_some(name));
                            }>
                                <option value="" selected=move || projection.get().is_none()>
                                    "the stream"
                                </option>
                                {move || {
                                    projections
                                        .get()
                                        .into_iter()
                                        .map(|name| {
                                            let selected = projection.get().as_ref() == Some(&name);
                                            view! {
                                                <option value=name.clone() selected=selected>
                                                    {format!("projection {name}")}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </select>
                        </label>
                    </Show>
                    <Show when=move || paths.with(|p| !p.is_empty())>
                        <label class="inline chart-field">
                            "Chart field"
                            <select on:change=on_field>{options}</select>
                        </label>
                    </Show>
                </Show>
            </div>
            <div id="chart-body" class="chart-body" hidden=move || collapsed.get()>
                <Show when=expanded>{chart}</Show>
            </div>
        </section>
    }
}

/// The svg: a step line (the value holds until the stream's next event), a dot per event, the
/// lowest and highest values, and the cursor. Clicking moves the cursor to the nearest position.
#[component]
fn Plot(geometry: Memo<Geometry>, series: Memo<Vec<Point>>, label: String, subject: String) -> impl IntoView {
    let cursor = expect_context::<Cursor>();
    let hover = RwSignal::new(None::<usize>);
    let position_at = move |ev: &leptos::ev::MouseEvent| {
        let element = ev.current_target()?.dyn_into::<web_sys::Element>().ok()?;
        let width = f64::from(element.client_width());
        (width > 0.0).then(|| {
            let len = cursor.len();
            let x = (f64::from(ev.offset_x()) / width).clamp(0.0, 1.0);
            ((x * len as f64).round() as usize).min(len)
        })
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(position) = position_at(&ev) {
            cursor.seek(position);
        }
    };
    let on_move = move |ev: leptos::ev::MouseEvent| hover.set(position_at(&ev));
    let x_of = move |position: usize| geometry.with(|g| g.x_percent(position));
    let cursor_x = move || format!("{}%", x_of(cursor.position.get()));
    let hover_view = move || {
        let position = hover.get()?;
        let x = x_of(position);
        let text = series.with(|points| match value_before(points, position) {
            _ if position == 0 => "start".to_string(),
            Some(point) => format!("{}: {}", position, value_text(point.value)),
            None => format!("{position}: not set yet"),
        });
        // Keep the label inside the chart near its ends.
        let anchor = if x < 12.0 {
            "start"
        } else if x > 88.0 {
            "end"
        } else {
            "middle"
        };
        Some(view! {
            <line class="hover-line" x1=format!("{x}%") x2=format!("{x}%") y1="0" y2="100%"></line>
            <text class="hover-label" x=format!("{x}%") y="11" text-anchor=anchor>{format!("event {text}")}</text>
        })
    };
    // With dots, the dot of the cursor's event is highlighted; without, this marks the value.
    let cursor_marker = move || {
        let cursor = cursor.position.get();
        geometry.with(|g| {
            if !g.downsampled {
                return None;
            }
            let value = series.with(|points| value_before(points, cursor)?.value)?;
            Some(view! {
                <circle
                    class="dot current"
                    cx=format!("{}%", g.x_percent(cursor))
                    cy=format!("{}%", g.y_percent(value))
                    r="4"
                ></circle>
            })
        })
    };
    let aria_label = format!("Chart of {label} for {subject} across the whole log");
    view! {
        <div class="chart-frame">
            <svg
                class="chart"
                role="img"
                aria-label=aria_label
                aria-describedby="chart-summary"
                width="100%"
                height="160"
                on:click=on_click
                on:mousemove=on_move
                on:mouseleave=move |_| hover.set(None)
            >
                {move || {
                    geometry
                        .with(|g| {
                            let high_y = format!("{TOP}%");
                            let low_y = format!("{BOTTOM}%");
                            let flat = g.low == g.high;
                            view! {
                                <line class="grid" x1="0" x2="100%" y1=high_y.clone() y2=high_y></line>
                                <line class="grid" x1="0" x2="100%" y1=low_y.clone() y2=low_y></line>
                                <text class="axis-label" x="0" y=format!("{}%", TOP - 3.0)>
                                    {if flat { format!("{} throughout", number(g.high)) } else { format!("highest {}", number(g.high)) }}
                                </text>
                                <text class="axis-label" x="0" y=format!("{}%", BOTTOM + 11.0)>
                                    {(!flat).then(|| format!("lowest {}", number(g.low)))}
                                </text>
                                <svg
                                    class="plot"
                                    aria-hidden="true"
                                    viewBox=format!("0 0 {} 100", g.width)
                                    preserveAspectRatio="none"
                                    width="100%"
                                    height="100%"
                                >
                                    <path class="area" d=g.area.clone()></path>
                                    <path class="line" d=g.line.clone() vector-effect="non-scaling-stroke"></path>
                                </svg>
                            }
                        })
                }}
                <line class="cursor-line" x1=cursor_x x2=cursor_x y1="0" y2="100%"></line>
                {move || {
                    geometry
                        .with(|g| {
                            g.dots
                                .iter()
                                .map(|dot| {
                                    let after = dot.position + 1;
                                    let x = format!("{}%", g.x_percent(after));
                                    view! {
                                        <circle
                                            class="dot"
                                            class:current=move || cursor.position.get() == after
                                            class:future=move || cursor.position.get() < after
                                            cx=x
                                            cy=format!("{}%", dot.y)
                                            r="4"
                                        >
                                            <title>{format!("event {after}: {}", number(dot.value))}</title>
                                        </circle>
                                    }
                                })
                                .collect_view()
                        })
                }}
                {cursor_marker}
                {hover_view}
            </svg>
        </div>
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Charted {
    source: ChartSource,
    /// "stream" or "projection".
    kind: &'static str,
    name: String,
    /// Why this one is charted, ending the sentence "Charting stream acc-1".
    why: &'static str,
}

impl Charted {
    /// "stream acc-1", "projection money": as the chart's texts name it.
    fn subject(&self) -> String {
        format!("{} {}", self.kind, self.name)
    }
}

/// What to draw, computed once per (log, stream, field).
#[derive(Clone, Debug, PartialEq)]
struct Geometry {
    /// The x range: positions 0..=width (the log's length, at least 1).
    width: usize,
    low: f64,
    high: f64,
    /// The line, in the plot's units (x = position, y = percent of the height).
    line: String,
    /// The area under the line (empty when downsampled).
    area: String,
    /// One dot per event with a value, when there are few enough.
    dots: Vec<Dot>,
    /// Too many events for a dot each: the value at the cursor gets a marker instead.
    downsampled: bool,
}

#[derive(Clone, Debug, PartialEq)]
struct Dot {
    /// 0-based position of the event; the state after it is at position + 1.
    position: usize,
    value: f64,
    /// Percent of the height.
    y: f64,
}

impl Geometry {
    fn new(points: &[Point], len: usize) -> Geometry {
        let width = len.max(1);
        let (low, high) = extent(points).unwrap_or((0.0, 0.0));
        let y = |value: f64| y_percent(value, low, high);
        let mut line = String::new();
        let mut area = String::new();
        let mut dots = Vec::new();
        if points.len() <= MAX_DOTS {
            // A step line: each value holds from its event to the stream's next event, and the
            // last one to the end of the log. A point without a value breaks the line.
            let mut run: Vec<(usize, f64)> = Vec::new();
            let mut close = |run: &mut Vec<(usize, f64)>, end: usize| {
                if run.is_empty() {
                    return;
                }
                let (x0, y0) = run[0];
                line.push_str(&format!("M{x0} {y0:.3}"));
                area.push_str(&format!("M{x0} 100V{y0:.3}"));
                for &(x, y) in &run[1..] {
                    let step = format!("H{x}V{y:.3}");
                    line.push_str(&step);
                    area.push_str(&step);
                }
                line.push_str(&format!("H{end}"));
                area.push_str(&format!("H{end}V100Z"));
                run.clear();
            };
            for point in points {
                let x = point.position + 1;
                match point.value {
                    Some(value) => {
                        run.push((x, y(value)));
                        dots.push(Dot { position: point.position, value, y: y(value) });
                    }
                    None => close(&mut run, x),
                }
            }
            close(&mut run, width);
        } else {
            // Min–max columns joined by steps, so a one-event spike still shows.
            // The area fills under the highest value of each column.
            for (i, (position, min, max)) in downsample(points, COLUMNS).into_iter().enumerate() {
                let x = position + 1;
                if i == 0 {
                    line.push_str(&format!("M{x} {:.3}", y(max)));
                    area.push_str(&format!("M{x} 100V{:.3}", y(max)));
                } else {
                    line.push_str(&format!("H{x}V{:.3}", y(max)));
                    area.push_str(&format!("H{x}V{:.3}", y(max)));
                }
                line.push_str(&format!("V{:.3}", y(min)));
            }
            if !line.is_empty() {
                line.push_str(&format!("H{width}"));
                area.push_str(&format!("H{width}V100Z"));
            }
        }
        Geometry { width, low, high, line, area, dots, downsampled: points.len() > MAX_DOTS }
    }

    /// Where `value` is drawn, in percent of the chart's height.
    fn y_percent(&self, value: f64) -> f64 {
        y_percent(value, self.low, self.high)
    }

    /// Where position `position` (0..=len) is, in percent of the chart's width.
    fn x_percent(&self, position: usize) -> f64 {
        position.min(self.width) as f64 * 100.0 / self.width as f64
    }
}

/// Where `value` is drawn between `low` (at the bottom) and `high` (at the top), in percent of the
/// chart's height; a flat series sits in the middle.
fn y_percent(value: f64, low: f64, high: f64) -> f64 {
    if high > low {
        BOTTOM - (BOTTOM - TOP) * (value - low) / (high - low)
    } else {
        (TOP + BOTTOM) / 2.0
    }
}

/// "balance" if the stream has it, else "total", else its first numeric field.
fn default_field(paths: &[Vec<String>]) -> Option<Vec<String>> {
    ["balance", "total"]
        .iter()
        .find_map(|name| {
            paths
                .iter()
                .find(|p| p.len() == 1 && p[0] == *name)
                .or_else(|| paths.iter().find(|p| p.last().is_some_and(|key| key == name)))
        })
        .or_else(|| paths.first())
        .cloned()
}

/// The stream's last point at or before `position` (the state after `position` events).
fn value_before(points: &[Point], position: usize) -> Option<&Point> {
    let applied = points.partition_point(|p| p.position < position);
    applied.checked_sub(1).map(|i| &points[i])
}

fn number(value: f64) -> String {
    format!("{value}")
}

fn value_text(value: Option<f64>) -> String {
    value.map(number).unwrap_or_else(|| "no number".to_string())
}

/// The chart in words: "balance at the cursor: 70 (event 2). Lowest 70, highest 120, over 3 events
/// of stream default."
fn summary(label: &str, subject: &str, cursor: usize, points: &[Point], geometry: &Geometry) -> String {
    let at_cursor = match value_before(points, cursor) {
        Some(point) => format!("{label} at the cursor: {} (event {}).", value_text(point.value), point.position + 1),
        None => format!("{label} at the cursor: not set yet ({subject} has no value before the cursor)."),
    };
    let events = if points.len() == 1 { "event" } else { "events" };
    let range = if extent(points).is_some() {
        format!(
            "Lowest {}, highest {}, over {} {events} of {subject}.",
            number(geometry.low),
            number(geometry.high),
            points.len()
        )
    } else {
        format!("None of the {} {events} of {subject} gives {label} a number.", points.len())
    };
    format!("{at_cursor} {range}")
}
