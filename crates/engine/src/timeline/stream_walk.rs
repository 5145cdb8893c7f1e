//! Walking one stream's events and nothing else, folding only as far as asked: comparing two logs
//! goes through each stream once, and a stream whose events match in both needs no fold at all.
use super::{slot_to_json, Problem, Reducer, State, Timeline};
use crate::event::Sym;
use crate::log::Log;
use serde_json::Value;

/// One stream's states, event by event.
pub trait StreamWalk {
    /// The timeline positions of the stream's replayed events (skipped ones left out), in order.
    fn positions(&self) -> &[usize];
    /// How many of those events are folded into the state now.
    fn folded(&self) -> usize;
    /// Folds up to the stream's first `count` events (clamped). Going back starts again from
    /// nothing, so a walk meant to be cheap only goes forward.
    fn fold_to(&mut self, count: usize);
    /// The stream's state after the events folded, as JSON (`null` before its first), as
    /// `Session::stream_state_at` gives it.
    fn state(&self) -> Value;
}

/// A `StreamWalk` over a `Timeline<D>`.
struct TimelineStreamWalk<'a, D: Reducer> {
    timeline: &'a Timeline<D>,
    log: &'a Log,
    stream: Sym,
    positions: Vec<usize>,
    folded: usize,
    /// Holds this stream only: streams fold independently.
    state: State<D::Stream>,
    /// Problems were recorded when the timeline was built: the walk drops the ones it meets.
    ignored: Vec<Problem>,
}

/// The walk over `stream` in `timeline`.
pub(super) fn walk<'a, D: Reducer>(timeline: &'a Timeline<D>, log: &'a Log, stream: Sym) -> Box<dyn StreamWalk + 'a> {
    let plan = &timeline.plan;
    let mut positions: Vec<usize> =
        log.stream_positions(stream).filter(|&p| !plan.is_skipped(p)).map(|p| plan.timeline_position(p)).collect();
    if !plan.is_log_order() {
        positions.sort_unstable();
    }
    Box::new(TimelineStreamWalk {
        timeline,
        log,
        stream,
        positions,
        folded: 0,
        state: State::new(),
        ignored: Vec::new(),
    })
}

impl<D: Reducer> StreamWalk for TimelineStreamWalk<'_, D> {
    fn positions(&self) -> &[usize] {
        &self.positions
    }

    fn folded(&self) -> usize {
        self.folded
    }

    fn fold_to(&mut self, count: usize) {
        let count = count.min(self.positions.len());
        if count < self.folded {
            self.state = State::new();
            self.folded = 0;
        }
        for &position in &self.positions[self.folded..count] {
            self.timeline.apply(self.log, &mut self.state, position, &mut self.ignored);
            self.ignored.clear();
        }
        self.folded = count;
    }

    fn state(&self) -> Value {
        self.state.get(&self.stream).map_or(Value::Null, |slot| slot_to_json(&self.timeline.reducer, slot))
    }
}

/// A walk over a history folded at once (`Replay::stream_history`), for a timeline without a walk
/// of its own.
pub(super) struct HistoryWalk {
    pub(super) positions: Vec<usize>,
    pub(super) states: Vec<Value>,
    pub(super) folded: usize,
}

impl StreamWalk for HistoryWalk {
    fn positions(&self) -> &[usize] {
        &self.positions
    }

    fn folded(&self) -> usize {
        self.folded
    }

    fn fold_to(&mut self, count: usize) {
        self.folded = count.min(self.positions.len());
    }

    fn state(&self) -> Value {
        self.folded.checked_sub(1).map_or(Value::Null, |i| self.states[i].clone())
    }
}

#[cfg(test)]
mod tests {
    use crate::generate::{generate_log, GenerateOptions};
    use crate::plan::TimelineOrder;
    use crate::session::Session;

    #[test]
    fn a_stream_walk_gives_the_states_a_seek_gives_in_any_view_and_may_start_again() {
        let text = generate_log(GenerateOptions { streams: 7, ..GenerateOptions::store(400) });
        let loaded = Session::load("t", &text).unwrap();
        let views = [
            loaded.with_snapshot_interval(64),
            loaded.with_skip(5, true).with_skip(300, true),
            loaded.with_order(TimelineOrder::AsEffective).with_snapshot_interval(0),
        ];
        for session in &views {
            for (stream, _) in session.active_streams() {
                let mut walk = session.stream_walk(stream);
                let positions = walk.positions().to_vec();
                let expected: Vec<usize> = session
                    .log()
                    .stream_positions(stream)
                    .filter(|&p| !session.is_skipped(p))
                    .map(|p| session.timeline_position(p))
                    .collect();
                assert_eq!(positions.len(), expected.len());
                assert!(positions.windows(2).all(|w| w[0] < w[1]), "in timeline order");
                for (k, &position) in positions.iter().enumerate() {
                    walk.fold_to(k + 1);
                    assert_eq!(walk.folded(), k + 1);
                    assert_eq!(walk.state(), session.stream_state_at(stream, position + 1), "after {position}");
                }
                walk.fold_to(1);
                let first = positions.first().map_or(0, |p| p + 1);
                assert_eq!(walk.state(), session.stream_state_at(stream, first), "back to the first event");
            }
        }
    }
}
