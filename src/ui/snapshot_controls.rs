//! Snapshots on or off and their interval, with what the last seek cost.
use super::state::{Cursor, Loaded};
use leptos::prelude::*;
use rewind_engine::timeline::DEFAULT_SNAPSHOT_INTERVAL;

/// Shows what snapshots buy: the interval, how many are kept, how many events this view replayed;
/// and lets the person change the interval or turn snapshots off to feel the difference.
#[component]
pub fn SnapshotControls() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    // The interval shown, and the one to return to when snapshots are turned back on. A new log
    // comes with the interval chosen for its size.
    let chosen = RwSignal::new(DEFAULT_SNAPSHOT_INTERVAL);
    Effect::new(move |_| {
        let interval = loaded.session.with(|s| s.snapshot_interval());
        if interval > 0 {
            chosen.set(interval);
        }
    });
    let rebuild = move |interval: usize| {
        if loaded.session.with_untracked(|s| s.snapshot_interval()) != interval {
            cursor.change_view(|s| s.with_snapshot_interval(interval));
        }
    };
    let enabled = move || loaded.session.with(|s| s.snapshot_interval() > 0);
    let summary = move || {
        let replayed = cursor.state.with(|view| view.replayed());
        let events = if replayed == 1 { "event" } else { "events" };
        loaded.session.with(|s| match s.snapshot_interval() {
            0 => format!("Snapshots off: this view replayed {replayed} {events} from the start."),
            k => format!(
                "A snapshot every {k} events ({} kept): this view replayed {replayed} {events} after the nearest one.",
                s.snapshot_count()
            ),
        })
    };
    view! {
        <div class="snapshot-controls">
            <label class="inline">
                <input
                    type="checkbox"
                    prop:checked=enabled
                    on:change=move |ev| {
                        rebuild(if event_target_checked(&ev) { chosen.get_untracked() } else { 0 });
                    }
                />
                " Snapshots"
            </label>
            <label class="inline">
                "Snapshot interval "
                <input
                    type="number"
                    min="1"
                    max="1000000"
                    step="1"
                    prop:value=move || chosen.get().to_string()
                    disabled=move || !enabled()
                    on:change=move |ev| {
                        match event_target_value(&ev).trim().parse::<usize>() {
                            Ok(interval) if interval >= 1 => {
                                chosen.set(interval);
                                rebuild(interval);
                            }
                            // Not a positive whole number: show the interval in force again.
                            _ => chosen.update(|_| {}),
                        }
                    }
                />
            </label>
            <p class="replay-cost" aria-live="polite">{summary}</p>
        </div>
    }
}
