//! Replay with snapshots: the state at position `i` (after the first `i` events) is the nearest
//! snapshot at or before `i` plus the events after it. Snapshots are an optimisation only; the
//! property test in `tests/engine.rs` checks they give exactly what a fold from the start gives.
use crate::domain::generic::{Generic, GenericStream};
use crate::domain::{Domain, EventRef, Reducer};
use crate::event::{Event, Sym};
use crate::log::Log;
use crate::plan::Plan;
use serde_json::{Map, Value};
use std::sync::Arc;

mod state;
mod state_view;
mod stream_walk;
mod walk;
pub use state::State;
pub use state_view::StateView;
pub use stream_walk::StreamWalk;
pub use walk::{Walk, Walked};

/// Snapshot every this many events in a log of up to `MAX_SNAPSHOTS × 256` events: a seek then
/// replays at most 255 events, well under a millisecond for the built-in reducers.
pub const DEFAULT_SNAPSHOT_INTERVAL: usize = 256;

/// Beyond that, the interval grows with the log so that at most this many snapshots are kept:
/// each costs the streams its interval touched (shared otherwise), which at a million events over
/// a thousand accounts is most of memory. See the README's Performance section for the figures.
pub const MAX_SNAPSHOTS: usize = 512;

/// Stream states all snapshots may copy between them. A snapshot copies the parts of the state
/// its interval touched: with a thousand streams that is a few, with 200,000 streams it is most
/// of the state, so a log of many streams keeps fewer snapshots (never fewer than
/// `MIN_SNAPSHOTS`). A screen does not wait for the longer interval: it asks for the streams it
/// shows, and each folds only its own events since the snapshot (`Replay::stream_json_at`).
pub const SNAPSHOT_STREAM_BUDGET: usize = 500_000;

/// The fewest snapshots kept on a long log, however many streams it has.
pub const MIN_SNAPSHOTS: usize = 2;

/// The snapshot interval Rewind uses for a log of `len` events over `streams` streams.
pub fn snapshot_interval_for(len: usize, streams: usize) -> usize {
    let snapshots = (SNAPSHOT_STREAM_BUDGET / streams.max(1)).clamp(MIN_SNAPSHOTS, MAX_SNAPSHOTS);
    DEFAULT_SNAPSHOT_INTERVAL.max(len.div_ceil(snapshots))
}

/// One stream's state: the domain's own, plus a generic fold of the event types the domain does
/// not know (so an unknown event is shown, flagged, and never silently dropped).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StreamSlot<S> {
    pub domain: S,
    /// Shared and rarely present: kept out of line so every snapshot's slots stay small.
    pub unknown: Option<Arc<GenericStream>>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The event broke a domain rule; it was applied anyway because it happened.
    Violation,
    /// The event's data could not be read; it was not applied.
    Error,
    /// The domain does not know this event type; it was folded as generic data.
    UnknownType,
    /// The event could not be read at all (not JSON, no type); it holds its place and is passed
    /// over.
    Unreadable,
}

impl Severity {
    /// What a person reads on a badge.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Violation => "Violation",
            Severity::Error => "Error",
            Severity::UnknownType => "Unknown type",
            Severity::Unreadable => "Unreadable",
        }
    }

    /// A short name for styles and ids.
    pub fn id(self) -> &'static str {
        match self {
            Severity::Violation => "violation",
            Severity::Error => "error",
            Severity::UnknownType => "unknown",
            Severity::Unreadable => "unreadable",
        }
    }
}

/// Something a domain found at one event, found once when the timeline is built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 0-based timeline position of the event (its log position unless the plan reorders).
    pub position: usize,
    pub severity: Severity,
    pub message: String,
}

/// A state and what it cost to get there.
#[derive(Clone, Debug, PartialEq)]
pub struct Seek<S> {
    pub state: State<S>,
    /// How many events were applied on top of the snapshot used.
    pub replayed: usize,
}

pub struct Timeline<D: Reducer> {
    reducer: D,
    /// The domain's kind for each interned type name; `None` for types it does not know.
    kinds: Vec<Option<D::Kind>>,
    /// Which events are replayed, in what order.
    plan: Plan,
    /// 0 = snapshots off (every seek replays from the start).
    interval: usize,
    /// `snapshots[j]` is the state after `j * interval` events.
    snapshots: Vec<State<D::Stream>>,
    problems: Vec<Problem>,
    /// For each stream (by `Sym`), the timeline position after which it first has a state
    /// (`NEVER` if it never has): which streams a position shows, without seeking there.
    first_state: Vec<u32>,
    /// The same positions, sorted: how many streams a position shows is a binary search.
    first_state_sorted: Vec<u32>,
}

/// In `first_state`: the stream never has a state (its events are skipped or unreadable).
const NEVER: u32 = u32::MAX;

impl<D: Reducer> Timeline<D> {
    /// Replays the whole log once, keeping snapshots and every problem found.
    pub fn build(reducer: D, log: &Log, plan: Plan, interval: usize) -> Self {
        let mut build = TimelineBuild::new(reducer, log, plan, interval);
        build.step(log, usize::MAX);
        build.timeline
    }

    pub fn interval(&self) -> usize {
        self.interval
    }

    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The state after the first `position` events (clamped to the log's length).
    pub fn seek(&self, log: &Log, position: usize) -> Seek<D::Stream> {
        let position = position.min(log.len());
        let snapshot = position.checked_div(self.interval).unwrap_or(0);
        let start = snapshot * self.interval;
        let mut state = self.snapshots[snapshot].clone();
        let mut ignored = Vec::new();
        for i in start..position {
            self.apply(log, &mut state, i, &mut ignored);
        }
        Seek { state, replayed: position - start }
    }

    /// A walk from `start` (the state after `start` events, one seek) forward one event at a time.
    pub fn walk<'a>(&'a self, log: &'a Log, start: usize) -> impl Walk + 'a {
        let start = start.min(log.len());
        walk::TimelineWalk { timeline: self, log, state: self.seek(log, start).state, next: start }
    }

    /// The JSON state of one stream right after each of its events before timeline `position`:
    /// streams fold independently, so only that stream's events are replayed.
    pub fn stream_history(&self, log: &Log, stream: Sym, position: usize) -> Vec<(usize, Value)> {
        let mut positions: Vec<usize> = log.stream_positions(stream).map(|p| self.plan.timeline_position(p)).collect();
        if !self.plan.is_log_order() {
            positions.sort_unstable();
        }
        let mut state = State::new();
        let mut ignored = Vec::new();
        positions
            .into_iter()
            .take_while(|&p| p < position)
            .map(|p| {
                self.apply(log, &mut state, p, &mut ignored);
                let json = state.get(&stream).map_or(Value::Null, |slot| slot_to_json(&self.reducer, slot));
                (p, json)
            })
            .collect()
    }

    /// `apply`, keeping the problems found as the timeline's own and when each stream first has
    /// a state.
    fn apply_recorded(&mut self, log: &Log, state: &mut State<D::Stream>, position: usize) {
        let mut problems = std::mem::take(&mut self.problems);
        if let Some(stream) = self.apply(log, state, position, &mut problems) {
            if self.first_state.len() <= stream.index() {
                self.first_state.resize(stream.index() + 1, NEVER);
            }
            self.first_state[stream.index()] = position as u32;
        }
        self.problems = problems;
    }

    /// Applies the event at timeline `position`; returns its stream when that stream had no
    /// state before.
    fn apply(
        &self,
        log: &Log,
        state: &mut State<D::Stream>,
        position: usize,
        problems: &mut Vec<Problem>,
    ) -> Option<Sym> {
        let event = self.applicable(log, position, problems)?;
        let before = state.get(&event.stream);
        let first = before.is_none();
        let slot = self.step(log, event, position, before, problems)?;
        state.insert(event.stream, slot);
        first.then_some(event.stream)
    }

    /// The event at timeline `position`, unless it is skipped or could not be read at all.
    fn applicable<'l>(&self, log: &'l Log, position: usize, problems: &mut Vec<Problem>) -> Option<&'l Event> {
        let log_position = self.plan.log_position(position);
        if self.plan.is_skipped(log_position) {
            return None;
        }
        if let Some(unreadable) = log.unreadable_at(log_position) {
            let message = format!("could not be read: {}", unreadable.error);
            problems.push(Problem { position, severity: Severity::Unreadable, message });
            return None;
        }
        Some(&log.events()[log_position])
    }

    /// `event`'s stream slot after it, from `slot` before it; `None` when its data could not be
    /// read (the slot stays as it was).
    fn step(
        &self,
        log: &Log,
        event: &Event,
        position: usize,
        slot: Option<&StreamSlot<D::Stream>>,
        problems: &mut Vec<Problem>,
    ) -> Option<StreamSlot<D::Stream>> {
        let view = EventRef::in_log(log, event, self.plan.log_position(position));
        let mut report = |severity, message: String| problems.push(Problem { position, severity, message });
        apply_to_slot(
            &self.reducer,
            self.kinds[event.kind.index()],
            slot.cloned().unwrap_or_default(),
            &view,
            &mut report,
        )
    }

    /// One stream's slot after `position` events: the nearest snapshot's, then only that stream's
    /// events since, so the cost is the stream's, not the log's.
    fn stream_slot_at(&self, log: &Log, stream: Sym, position: usize) -> Option<StreamSlot<D::Stream>> {
        let position = position.min(log.len());
        let snapshot = position.checked_div(self.interval).unwrap_or(0);
        let since = snapshot * self.interval;
        let mut slot = self.snapshots[snapshot].get(&stream).cloned();
        let mut ignored = Vec::new();
        for p in self.stream_positions_between(log, stream, since, position) {
            if let Some(event) = self.applicable(log, p, &mut ignored) {
                if let Some(next) = self.step(log, event, p, slot.as_ref(), &mut ignored) {
                    slot = Some(next);
                }
            }
        }
        slot
    }

    /// The timeline positions of `stream`'s events in `from..to`, in order.
    fn stream_positions_between(&self, log: &Log, stream: Sym, from: usize, to: usize) -> Vec<usize> {
        let positions = log.stream_position_list(stream);
        if self.plan.is_log_order() {
            let start = positions.partition_point(|&p| (p as usize) < from);
            let end = positions.partition_point(|&p| (p as usize) < to);
            return positions[start..end].iter().map(|&p| p as usize).collect();
        }
        let mut between: Vec<usize> = positions
            .iter()
            .map(|&p| self.plan.timeline_position(p as usize))
            .filter(|p| (from..to).contains(p))
            .collect();
        between.sort_unstable();
        between
    }

    /// How many streams have a state after `position` events.
    fn streams_with_state(&self, position: usize) -> usize {
        self.first_state_sorted.partition_point(|&first| (first as usize) < position)
    }

    /// The streams with a state after `position` events, in order of first event in the log,
    /// from `skip`, at most `take`.
    fn streams_with_state_from(&self, position: usize, skip: usize, take: usize) -> Vec<Sym> {
        let has_state = |(_, &first): &(usize, &u32)| first != NEVER && (first as usize) < position;
        let streams = self.first_state.iter().enumerate().filter(has_state);
        streams.skip(skip).take(take).map(|(index, _)| Sym::from_index(index)).collect()
    }
}

/// One event applied to its stream's slot: the reducer's step when it knows the type, else the
/// generic fold, flagged. The new slot, or `None` when the event's data could not be read (the
/// slot stays as it was). Shared by the timeline and the streaming `Fold`, so both find the same.
pub(crate) fn apply_to_slot<D: Reducer>(
    reducer: &D,
    kind: Option<D::Kind>,
    mut slot: StreamSlot<D::Stream>,
    view: &EventRef,
    report: &mut dyn FnMut(Severity, String),
) -> Option<StreamSlot<D::Stream>> {
    match kind {
        Some(kind) => match reducer.apply(&slot.domain, kind, view) {
            Ok(step) => {
                slot.domain = step.state;
                step.violations.into_iter().for_each(|v| report(Severity::Violation, v));
            }
            Err(error) => {
                report(Severity::Error, error.to_string());
                return None;
            }
        },
        None => {
            let unknown = slot.unknown.take().unwrap_or_default();
            match Generic.apply(&unknown, (), view) {
                Ok(step) => slot.unknown = Some(Arc::new(step.state)),
                Err(error) => {
                    report(Severity::Error, error.to_string());
                    return None;
                }
            }
            report(
                Severity::UnknownType,
                format!(
                    "{} has no event type \"{}\"; its data is kept as generic fields",
                    reducer.name(),
                    view.type_name
                ),
            );
        }
    }
    Some(slot)
}

/// A timeline being built a slice of events at a time, so a large log's first replay can show
/// its progress and leave the page free between slices.
pub struct TimelineBuild<D: Reducer> {
    timeline: Timeline<D>,
    state: State<D::Stream>,
    /// Events replayed so far.
    next: usize,
}

impl<D: Reducer> TimelineBuild<D> {
    pub fn new(reducer: D, log: &Log, plan: Plan, interval: usize) -> Self {
        let kinds = log.types().iter().map(|(_, name)| reducer.kind(name)).collect();
        let mut timeline = Timeline {
            reducer,
            kinds,
            plan,
            interval,
            snapshots: Vec::new(),
            problems: Vec::new(),
            first_state: vec![NEVER; log.streams().len()],
            first_state_sorted: Vec::new(),
        };
        timeline.snapshots.push(State::new());
        TimelineBuild { timeline, state: State::new(), next: 0 }
    }

    /// Replays up to `events` more events of `log` (the log given to `new`); true once all are.
    pub fn step(&mut self, log: &Log, events: usize) -> bool {
        let end = self.next.saturating_add(events).min(log.len());
        let timeline = &mut self.timeline;
        for position in self.next..end {
            timeline.apply_recorded(log, &mut self.state, position);
            if timeline.interval > 0 && (position + 1) % timeline.interval == 0 {
                timeline.snapshots.push(self.state.clone());
            }
        }
        self.next = end;
        if end == log.len() && timeline.first_state_sorted.is_empty() {
            timeline.first_state_sorted = timeline.first_state.iter().copied().filter(|&f| f != NEVER).collect();
            timeline.first_state_sorted.sort_unstable();
        }
        end == log.len()
    }
}

/// The reference the snapshots must agree with: a plain fold of the first `position` events of
/// the plan, written without snapshots or seeking.
pub fn naive_fold<D: Reducer>(reducer: &D, log: &Log, plan: &Plan, position: usize) -> State<D::Stream> {
    let timeline = Timeline {
        kinds: log.types().iter().map(|(_, name)| reducer.kind(name)).collect(),
        reducer: reducer.clone(),
        plan: plan.clone(),
        interval: 0,
        snapshots: Vec::new(),
        problems: Vec::new(),
        first_state: Vec::new(),
        first_state_sorted: Vec::new(),
    };
    let mut state = State::new();
    let mut ignored = Vec::new();
    for p in 0..position.min(log.len()) {
        timeline.apply(log, &mut state, p, &mut ignored);
    }
    state
}

/// The state as JSON for display: `{stream: {field: value}}`, streams in order of first event.
pub fn state_to_json<D: Reducer>(reducer: &D, log: &Log, state: &State<D::Stream>) -> Value {
    let mut object = Map::new();
    for (stream, slot) in state.iter() {
        object.insert(log.stream_name(stream).to_string(), slot_to_json(reducer, slot));
    }
    Value::Object(object)
}

pub(crate) fn slot_to_json<D: Reducer>(reducer: &D, slot: &StreamSlot<D::Stream>) -> Value {
    let mut value = reducer.to_json(&slot.domain);
    if let (Some(unknown), Value::Object(fields)) = (&slot.unknown, &mut value) {
        fields.insert("unknown_events".into(), Generic.to_json(unknown));
    }
    value
}

/// What the UI needs from a timeline, whatever its domain.
pub trait Replay: Send + Sync {
    fn interval(&self) -> usize;
    fn plan(&self) -> &Plan;
    fn snapshot_count(&self) -> usize;
    fn problems(&self) -> &[Problem];
    /// The state after `position` events as JSON (every stream), and how many events the seek
    /// replayed.
    fn seek_json(&self, log: &Log, position: usize) -> (Value, usize);
    /// How many streams have a state after `position` events.
    fn streams_at(&self, position: usize) -> usize;
    /// The streams with a state after `position` events, in order of first event, from `skip`,
    /// at most `take`: a page of the state, without a seek.
    fn streams_from(&self, position: usize, skip: usize, take: usize) -> Vec<Sym>;
    /// The views kept beside the streams (a script's projections) after `position` events, by
    /// the name they are shown under.
    fn beside_at(&self, log: &Log, position: usize) -> Vec<(String, Value)> {
        let _ = (log, position);
        Vec::new()
    }
    /// Seeks without turning the state into JSON; returns how many events it replayed. What the
    /// benchmarks time as "seek inside the engine".
    fn seek_only(&self, log: &Log, position: usize) -> usize;
    /// One stream's state after `position` events as JSON (`null` if it has no event yet).
    fn stream_json_at(&self, log: &Log, stream: Sym, position: usize) -> Value;
    /// See `Timeline::stream_history`.
    fn stream_history(&self, log: &Log, stream: Sym, position: usize) -> Vec<(usize, Value)>;
    /// See `Timeline::walk`.
    fn walk<'a>(&'a self, log: &'a Log, start: usize) -> Box<dyn Walk + 'a>;
    /// The views kept beside the streams over the whole log (a script's projections), by name.
    fn projection_names(&self) -> &[String] {
        &[]
    }
    /// Projection `name`'s view after events of the log, as (0-based event position, view): after
    /// each event, or on a long log after every `interval()`-th (the snapshots), for a chart.
    fn projection_history(&self, log: &Log, name: &str) -> Vec<(usize, Value)> {
        let _ = (log, name);
        Vec::new()
    }
    /// One stream's states event by event (see `StreamWalk`). This default folds the whole
    /// history at once; a timeline overrides it to fold only as far as asked.
    fn stream_walk<'a>(&'a self, log: &'a Log, stream: Sym) -> Box<dyn StreamWalk + 'a> {
        let plan = self.plan();
        let (positions, states) = self
            .stream_history(log, stream, usize::MAX)
            .into_iter()
            .filter(|(p, _)| !plan.is_skipped(plan.log_position(*p)))
            .unzip();
        Box::new(stream_walk::HistoryWalk { positions, states, folded: 0 })
    }
}

impl<D: Reducer> Replay for Timeline<D> {
    fn interval(&self) -> usize {
        self.interval
    }

    fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    fn plan(&self) -> &Plan {
        &self.plan
    }

    fn problems(&self) -> &[Problem] {
        &self.problems
    }

    fn seek_json(&self, log: &Log, position: usize) -> (Value, usize) {
        let seek = self.seek(log, position);
        (state_to_json(&self.reducer, log, &seek.state), seek.replayed)
    }

    fn streams_at(&self, position: usize) -> usize {
        self.streams_with_state(position)
    }

    fn streams_from(&self, position: usize, skip: usize, take: usize) -> Vec<Sym> {
        self.streams_with_state_from(position, skip, take)
    }

    fn seek_only(&self, log: &Log, position: usize) -> usize {
        self.seek(log, position).replayed
    }

    fn stream_json_at(&self, log: &Log, stream: Sym, position: usize) -> Value {
        self.stream_slot_at(log, stream, position).map_or(Value::Null, |slot| slot_to_json(&self.reducer, &slot))
    }

    fn stream_history(&self, log: &Log, stream: Sym, position: usize) -> Vec<(usize, Value)> {
        Timeline::stream_history(self, log, stream, position)
    }

    fn walk<'a>(&'a self, log: &'a Log, start: usize) -> Box<dyn Walk + 'a> {
        Box::new(Timeline::walk(self, log, start))
    }

    fn stream_walk<'a>(&'a self, log: &'a Log, stream: Sym) -> Box<dyn StreamWalk + 'a> {
        stream_walk::walk(self, log, stream)
    }
}

/// A timeline being built, whatever its domain.
pub trait ReplayBuild {
    /// See `TimelineBuild::step`.
    fn step(&mut self, log: &Log, events: usize) -> bool;
    /// Events replayed so far.
    fn replayed(&self) -> usize;
    /// The timeline; call once `step` has returned true.
    fn finish(self: Box<Self>) -> Box<dyn Replay>;
}

impl<D: Reducer> ReplayBuild for TimelineBuild<D> {
    fn step(&mut self, log: &Log, events: usize) -> bool {
        TimelineBuild::step(self, log, events)
    }

    fn replayed(&self) -> usize {
        self.next
    }

    fn finish(self: Box<Self>) -> Box<dyn Replay> {
        Box::new(self.timeline)
    }
}

/// Builds the timeline for a domain chosen at run time, in one call.
pub fn build_timeline(domain: &dyn Domain, log: &Log, plan: Plan, interval: usize) -> Box<dyn Replay> {
    let mut build = domain.replay(log, plan, interval);
    build.step(log, usize::MAX);
    build.finish()
}
