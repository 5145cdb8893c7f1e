//! Where the "Break when" condition matches, marked on the timeline's track.
use super::state::{Breakpoints, Cursor, Loaded};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Marks close together share one: the track shows at most this many.
const BUCKETS: usize = 200;

/// A mark at each match of the condition in the session shown; a click moves the cursor there.
/// A long log's matches are bucketed like the other markers.
#[component]
pub fn MatchMarks() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    // Absent where the app's shell is not mounted (a component test of the slider alone).
    let breakpoints = use_context::<Breakpoints>();
    move || {
        let breakpoints = breakpoints?;
        let (revision, len) = loaded.session.with(|s| (s.revision(), s.len()));
        let positions = breakpoints.positions_in(revision);
        // bucket → (first, last, count)
        let mut buckets: BTreeMap<usize, (usize, usize, usize)> = BTreeMap::new();
        for &position in positions.iter() {
            let bucket = buckets.entry(position * BUCKETS / len.max(1)).or_insert((position, position, 0));
            bucket.1 = position;
            bucket.2 += 1;
        }
        Some(
            buckets
                .into_values()
                .map(|(first, last, count)| {
                    let label = match count {
                        1 => format!("Match at {}", at(first)),
                        n => format!("{n} matches, {} to {}", at(first), at(last)),
                    };
                    let left = first as f64 * 100.0 / len.max(1) as f64;
                    view! {
                        <button
                            type="button"
                            class="marker match"
                            style=format!("left: {left:.3}%")
                            title=label.clone()
                            aria-label=label
                            on:click=move |_| cursor.seek(first)
                        ></button>
                    }
                })
                .collect_view(),
        )
    }
}

/// A cursor position as the markers name it: "event 2" is after the second event.
fn at(position: usize) -> String {
    match position {
        0 => "the start".to_string(),
        p => format!("event {p}"),
    }
}
