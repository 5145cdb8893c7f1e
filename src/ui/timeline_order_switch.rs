//! Replay in recorded or in effective-time order.
use super::state::{Cursor, Loaded};
use leptos::prelude::*;
use rewind_engine::plan::TimelineOrder;

/// Chooses between the two timelines of a bitemporal log: what the system knew, in the order it
/// learned it, or what was true, in the order it happened.
#[component]
pub fn TimelineOrderSwitch() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let choice = move |order: TimelineOrder, label: &'static str, hint: &'static str| {
        view! {
            <label class="inline" title=hint>
                <input
                    type="radio"
                    name="timeline-order"
                    prop:checked=move || loaded.session.with(|s| s.order() == order)
                    on:change=move |_| cursor.change_view(|s| s.with_order(order))
                />
                {label}
            </label>
        }
    };
    view! {
        <div class="timeline-order" role="radiogroup" aria-label="Timeline order">
            <span class="group-label">"Timeline order"</span>
            {choice(TimelineOrder::AsRecorded, "As recorded", "What the system knew, in the order it learned it")}
            {choice(
                TimelineOrder::AsEffective,
                "As effective",
                "What was true, in the order it happened (effective_at, else recorded_at)",
            )}
        </div>
    }
}
