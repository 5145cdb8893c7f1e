//! "Original vs corrected": the state had nothing been fixed, beside the state with the fixes.
use super::state::{Cursor, Loaded};
use leptos::prelude::*;
use rewind_engine::inspect::{diff, display_path, ChangeKind};
use serde_json::Value;
use std::sync::Arc;

/// At the cursor: the state of the log as it came (no corrections, no skips) beside the corrected
/// one, and which streams and fields differ.
#[component]
pub fn OriginalVsCorrected() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let has_fixes = move || loaded.session.with(|s| !s.skipped().is_empty() || s.has_corrections());
    // Replaying the original is a full replay: once per session, not per cursor move.
    let original =
        Memo::new(move |_| has_fixes().then(|| loaded.session.with(|s| Arc::new(s.original()))).map(SameRevision));
    // Only the streams of skipped events and corrections can differ: those are compared.
    let fixed = Memo::new(move |_| loaded.session.with(|s| s.streams_fixed()));
    let differences = move || {
        let position = cursor.position.get();
        original.with(|o| {
            o.as_ref().map(|SameRevision(original)| {
                fixed.with(|streams| {
                    let before = original.state_view(position).json_of(streams.iter().copied());
                    let after = cursor.state.with(|view| view.json_of(streams.iter().copied()));
                    diff(&before, &after)
                })
            })
        })
    };
    view! {
        <section class="original-vs-corrected" role="region" aria-label="Original vs corrected">
            <h2>"Original vs corrected"</h2>
            {move || match differences() {
                None => view! {
                    <p class="muted">
                        "No corrections or skips yet: the original log and the corrected one give the same state."
                    </p>
                }
                    .into_any(),
                Some(changes) if changes.is_empty() => view! {
                    <p>"At this point the original and the corrected log give the same state."</p>
                }
                    .into_any(),
                Some(changes) => {
                    let streams: Vec<String> = {
                        let mut names: Vec<String> = changes.iter().filter_map(|c| c.path.first().cloned()).collect();
                        names.dedup();
                        names
                    };
                    view! {
                        <p>{format!("Differs in {}: {}.", if streams.len() == 1 { "stream" } else { "streams" }, streams.join(", "))}</p>
                        <table>
                            <thead><tr><th scope="col">"Field"</th><th scope="col">"Original"</th><th scope="col">"Corrected"</th></tr></thead>
                            <tbody>
                                {changes.into_iter().map(|c| {
                                    let show = |v: Option<Value>| v.map(|v| v.to_string()).unwrap_or_else(|| "(absent)".into());
                                    let kind = match c.kind { ChangeKind::Added => "added", ChangeKind::Removed => "removed", ChangeKind::Changed => "changed" };
                                    view! {
                                        <tr class=kind>
                                            <th scope="row">{display_path(&c.path)}</th>
                                            <td>{show(c.before)}</td>
                                            <td>{show(c.after)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// Memo needs `PartialEq`; two sessions are the same view when they have the same revision.
#[derive(Clone)]
struct SameRevision(Arc<rewind_engine::session::Session>);

impl PartialEq for SameRevision {
    fn eq(&self, other: &Self) -> bool {
        self.0.revision() == other.0.revision()
    }
}
