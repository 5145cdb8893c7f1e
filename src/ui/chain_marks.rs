//! The event at the cursor's causation chain, marked on the timeline's track.
use super::state::{CausationLinks, Loaded};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Marks close together share one: the track shows at most this many.
const BUCKETS: usize = 200;

/// A bar on the track at each cause of the event at the cursor (up to its root) and at each event
/// it caused, as the "Causation" region lists them: only the current event's chain, so they move
/// with the cursor. Drawn, not focusable: the region's links are the way to reach those events.
#[component]
pub fn ChainMarks() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    // Absent where the app's shell is not mounted (a component test of the slider alone).
    let links = use_context::<CausationLinks>();
    move || {
        let links = links?;
        let len = loaded.session.with(|s| s.len());
        let marks = links.at_cursor.with(|causation| {
            let causation = causation.as_ref()?;
            let event = causation.position + 1;
            let causes =
                causation.causes.iter().map(|&p| (p, "cause", format!("Event {}: a cause of event {event}", p + 1)));
            let caused = causation
                .caused
                .iter()
                .filter(|c| !c.cycle)
                .map(|c| (c.position, "effect", format!("Event {}: caused by event {event}", c.position + 1)));
            // One mark per bucket; a cause wins over an effect in the same bucket (listed first).
            let mut buckets: BTreeMap<usize, (usize, &'static str, String)> = BTreeMap::new();
            for (position, kind, label) in causes.chain(caused) {
                buckets.entry(position * BUCKETS / len.max(1)).or_insert((position, kind, label));
            }
            Some(buckets.into_values().collect::<Vec<_>>())
        })?;
        Some(
            marks
                .into_iter()
                .map(|(position, kind, label)| {
                    // Where the slider's thumb sits once the event is applied.
                    let left = (position + 1) as f64 * 100.0 / len.max(1) as f64;
                    view! {
                        <span
                            class=format!("chain-mark {kind}")
                            aria-hidden="true"
                            title=label
                            style=format!("left: {left:.3}%")
                        ></span>
                    }
                })
                .collect_view(),
        )
    }
}
