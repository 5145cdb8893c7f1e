//! Marks along the timeline: violations, errors, integrity warnings, corrections, skips.
use super::chain_marks::ChainMarks;
use super::match_marks::MatchMarks;
use super::state::{Cursor, Loaded};
use leptos::prelude::*;
use rewind_engine::session::Session;
use rewind_engine::timeline::Severity;
use std::collections::BTreeMap;

/// Marks on the timeline's track: where violations, errors, unknown types and integrity warnings
/// are, and where snapshots were taken. Markers close together share one button, so a long log
/// gets at most `BUCKETS` per kind.
#[component]
pub fn TimelineMarkers() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let cursor = expect_context::<Cursor>();
    let markers = Memo::new(move |_| loaded.session.with(|s| collect_markers(s)));
    let snapshot_ticks = move || {
        loaded.session.with(|s| {
            let (interval, len) = (s.snapshot_interval(), s.len());
            if interval == 0 || len == 0 || len / interval > BUCKETS {
                return Vec::new();
            }
            (1..=len / interval).map(|k| percent(k * interval, len)).collect()
        })
    };
    view! {
        <div class="timeline-markers">
            <ChainMarks/>
            <MatchMarks/>
            {move || {
                snapshot_ticks()
                    .into_iter()
                    .map(|left| view! { <span class="snapshot-tick" aria-hidden="true" style=format!("left: {left:.3}%")></span> })
                    .collect_view()
            }}
            {move || {
                markers
                    .get()
                    .into_iter()
                    .map(|marker| {
                        let target = marker.first + 1;
                        view! {
                            <button
                                type="button"
                                class=format!("marker {}", marker.kind.class())
                                style=format!("left: {:.3}%", marker.left)
                                title=marker.label.clone()
                                aria-label=marker.label.clone()
                                on:click=move |_| cursor.seek(target)
                            ></button>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

const BUCKETS: usize = 200;

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum MarkerKind {
    Violation,
    Error,
    UnknownType,
    Unreadable,
    Integrity,
    Correction,
}

impl MarkerKind {
    fn class(self) -> &'static str {
        match self {
            MarkerKind::Violation => "violation",
            MarkerKind::Error => "error",
            MarkerKind::UnknownType => "unknown",
            MarkerKind::Unreadable => "unreadable",
            MarkerKind::Integrity => "integrity",
            MarkerKind::Correction => "correction",
        }
    }

    fn noun(self, count: usize) -> &'static str {
        match (self, count) {
            (MarkerKind::Violation, 1) => "violation",
            (MarkerKind::Violation, _) => "violations",
            (MarkerKind::Error, 1) => "error",
            (MarkerKind::Error, _) => "errors",
            (MarkerKind::UnknownType, 1) => "unknown event type",
            (MarkerKind::UnknownType, _) => "unknown event types",
            (MarkerKind::Unreadable, 1) => "unreadable event",
            (MarkerKind::Unreadable, _) => "unreadable events",
            (MarkerKind::Integrity, 1) => "integrity warning",
            (MarkerKind::Integrity, _) => "integrity warnings",
            (MarkerKind::Correction, 1) => "correction",
            (MarkerKind::Correction, _) => "corrections",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Marker {
    kind: MarkerKind,
    /// 0-based position of the first event in the marker.
    first: usize,
    left: f64,
    label: String,
}

fn percent(position: usize, len: usize) -> f64 {
    if len == 0 {
        0.0
    } else {
        position as f64 * 100.0 / len as f64
    }
}

/// One marker per kind and bucket of the track; the label says what and where.
fn collect_markers(session: &Session) -> Vec<Marker> {
    let len = session.len();
    let problems = session.problems().iter().map(|p| {
        let kind = match p.severity {
            Severity::Violation => MarkerKind::Violation,
            Severity::Error => MarkerKind::Error,
            Severity::UnknownType => MarkerKind::UnknownType,
            Severity::Unreadable => MarkerKind::Unreadable,
        };
        (kind, p.position, p.message.as_str())
    });
    let warnings = session
        .integrity()
        .iter()
        .map(|w| (MarkerKind::Integrity, session.timeline_position(w.position), w.message.as_str()));
    let corrections = session
        .corrections()
        .map(|(lp, e)| (MarkerKind::Correction, session.timeline_position(lp), session.type_name(e)));
    // (kind, bucket) → (first, last, count, first message)
    let mut groups: BTreeMap<(MarkerKind, usize), (usize, usize, usize, &str)> = BTreeMap::new();
    for (kind, position, message) in problems.chain(warnings).chain(corrections) {
        let bucket = position * BUCKETS / len.max(1);
        let group = groups.entry((kind, bucket)).or_insert((position, position, 0, message));
        group.0 = group.0.min(position);
        group.1 = group.1.max(position);
        group.2 += 1;
    }
    groups
        .into_iter()
        .map(|((kind, _), (first, last, count, message))| {
            let label = if count == 1 {
                format!("Event {}: {} — {message}", first + 1, kind.noun(1))
            } else {
                format!("Events {}–{}: {count} {}", first + 1, last + 1, kind.noun(count))
            };
            // Where the slider's thumb sits once the event is applied, which is where a click goes.
            Marker { kind, first, left: percent(first + 1, len), label }
        })
        .collect()
}
