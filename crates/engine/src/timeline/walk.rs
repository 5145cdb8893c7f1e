//! Walking the timeline forward one event at a time: for each position, the event there and its
//! stream's state right after it. What a question asked at every position (a conditional
//! breakpoint, a watch's sparkline) needs: one seek to the start, then one event applied per
//! position, never a seek per position.
use super::{slot_to_json, Reducer, State, Timeline};
use crate::domain::EventRef;
use crate::event::Sym;
use crate::log::Log;
use serde_json::Value;

/// One event reached by a walk.
pub struct Walked<'a> {
    /// The event's 0-based timeline position: the cursor right after it is `position + 1`.
    pub position: usize,
    /// The event as reducers see it (`position` inside is its log position).
    pub event: EventRef<'a>,
    /// Its stream.
    pub stream: Sym,
    json: &'a dyn Fn() -> Value,
}

impl Walked<'_> {
    /// The event's stream's state right after it, as `Session::stream_state_at` gives it one
    /// position later (`null` before the stream's first applied event). Built only when asked: a
    /// walk that needs no state pays nothing for it.
    pub fn stream_json(&self) -> Value {
        (self.json)()
    }
}

/// A walk over a timeline, whatever its domain, resumable a slice of events at a time.
pub trait Walk {
    /// How many events are applied so far: the timeline position of the next event.
    fn next(&self) -> usize;
    /// Applies up to `events` more events, handing each to `visit` in order; true once the walk
    /// has reached the end of the log.
    fn step(&mut self, events: usize, visit: &mut dyn FnMut(&Walked)) -> bool;
}

/// A `Walk` over a `Timeline<D>`.
pub(super) struct TimelineWalk<'a, D: Reducer> {
    pub(super) timeline: &'a Timeline<D>,
    pub(super) log: &'a Log,
    pub(super) state: State<D::Stream>,
    pub(super) next: usize,
}

impl<D: Reducer> Walk for TimelineWalk<'_, D> {
    fn next(&self) -> usize {
        self.next
    }

    fn step(&mut self, events: usize, visit: &mut dyn FnMut(&Walked)) -> bool {
        let (timeline, log) = (self.timeline, self.log);
        let end = self.next.saturating_add(events).min(log.len());
        // Problems were recorded when the timeline was built: the walk drops the ones it meets.
        let mut problems = Vec::new();
        for position in self.next..end {
            problems.clear();
            timeline.apply(log, &mut self.state, position, &mut problems);
            let log_position = timeline.plan.log_position(position);
            let event = &log.events()[log_position];
            let state = &self.state;
            let json = || state.get(&event.stream).map_or(Value::Null, |slot| slot_to_json(&timeline.reducer, slot));
            let walked = Walked {
                position,
                event: EventRef::in_log(log, event, log_position),
                stream: event.stream,
                json: &json,
            };
            visit(&walked);
        }
        self.next = end;
        end == log.len()
    }
}

#[cfg(test)]
mod tests {
    use crate::generate::{generate_log, GenerateOptions};
    use crate::plan::TimelineOrder;
    use crate::session::Session;

    /// Every position a walk from `start` reaches, in slices of `slice`, with what it saw.
    fn walked(session: &Session, start: usize, slice: usize) -> Vec<(usize, usize, serde_json::Value)> {
        let mut seen = Vec::new();
        let mut walk = session.walk(start);
        while !walk.step(slice, &mut |w| seen.push((w.position, w.event.position, w.stream_json()))) {
            assert_eq!(walk.next(), start + seen.len(), "a slice ends where the next begins");
        }
        seen
    }

    #[test]
    fn a_walk_sees_each_event_and_its_streams_state_as_a_seek_does_in_any_view() {
        let text = generate_log(GenerateOptions::store(300));
        let loaded = Session::load("t", &text).unwrap();
        let views = [
            loaded.with_snapshot_interval(64),
            loaded.with_skip(5, true).with_skip(200, true),
            loaded.with_order(TimelineOrder::AsEffective).with_snapshot_interval(0),
        ];
        for session in &views {
            for (start, slice) in [(0, 97), (250, 1), (130, usize::MAX)] {
                let seen = walked(session, start, slice);
                assert_eq!(seen.len(), session.len() - start);
                for (i, (position, log_position, json)) in seen.into_iter().enumerate() {
                    assert_eq!(position, start + i);
                    let (expected_log_position, event) = session.event(position);
                    assert_eq!(log_position, expected_log_position, "the event at {position}");
                    assert_eq!(json, session.stream_state_at(event.stream(), position + 1), "after {position}");
                }
            }
        }
    }

    #[test]
    fn a_walk_from_the_end_or_beyond_has_nothing_left() {
        let session = Session::load("t", r#"[{"type":"Deposit","amount":1}]"#).unwrap();
        for start in [1, 5] {
            let mut walk = session.walk(start);
            assert!(walk.step(10, &mut |_| panic!("no event is left")));
            assert_eq!(walk.next(), 1);
        }
    }
}
