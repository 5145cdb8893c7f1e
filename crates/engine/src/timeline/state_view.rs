//! The state at a position, for a screen that shows a little of it.
//!
//! Taking one costs nothing: which streams have a state there is known from the first replay, and
//! a stream turns into JSON only when asked for, folding only its own events since the nearest
//! snapshot. A log of 200,000 streams is then as quick to move through as one of ten: the page
//! asks for the fifty streams it shows, not for all of them.
use super::Replay;
use crate::event::Sym;
use crate::log::Log;
use serde_json::{Map, Value};
use std::sync::{Arc, OnceLock};

/// The state after `position` events: the streams with a state there (in order of first event),
/// then the views kept beside them (a script's projections, by their shown name).
#[derive(Clone)]
pub struct StateView {
    timeline: Arc<dyn Replay>,
    log: Arc<Log>,
    position: usize,
    /// Worked out on first use: a projection replays from its own snapshot.
    beside: Arc<OnceLock<Vec<(String, Value)>>>,
}

impl StateView {
    pub(crate) fn new(timeline: Arc<dyn Replay>, log: Arc<Log>, position: usize) -> StateView {
        let position = position.min(log.len());
        StateView { timeline, log, position, beside: Arc::default() }
    }

    fn beside(&self) -> &[(String, Value)] {
        self.beside.get_or_init(|| self.timeline.beside_at(&self.log, self.position))
    }

    /// Events a seek here applies on top of its snapshot: what a full replay to this point costs
    /// with snapshots.
    pub fn replayed(&self) -> usize {
        self.position - self.position.checked_div(self.timeline.interval()).unwrap_or(0) * self.timeline.interval()
    }

    /// Entries shown: streams with a state, then the views beside them.
    pub fn len(&self) -> usize {
        self.timeline.streams_at(self.position) + self.timeline.projection_names().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry called `name` (a stream or a view beside them) as JSON; `None` if there is none.
    pub fn get(&self, name: &str) -> Option<Value> {
        match self.log.streams().get(name) {
            Some(stream) => self.stream(stream),
            None => self.beside().iter().find(|(n, _)| n == name).map(|(_, value)| value.clone()),
        }
    }

    /// One stream's state as JSON; `None` before its first event.
    pub fn stream(&self, stream: Sym) -> Option<Value> {
        match self.timeline.stream_json_at(&self.log, stream, self.position) {
            Value::Null => None,
            value => Some(value),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The names of entries `skip..skip + take`, in the order shown.
    pub fn names(&self, skip: usize, take: usize) -> Vec<String> {
        let streams = self.timeline.streams_at(self.position);
        let shown = self.timeline.streams_from(self.position, skip, take);
        let mut names: Vec<String> = shown.into_iter().map(|s| self.log.stream_name(s).to_string()).collect();
        let room = take.saturating_sub(names.len());
        if room > 0 && skip + names.len() >= streams {
            let beside = self.timeline.projection_names().len();
            let from = skip.saturating_sub(streams);
            names.extend(self.beside().iter().skip(from).take(room.min(beside)).map(|(n, _)| n.clone()));
        }
        names
    }

    /// Entries `skip..skip + take` with their JSON, in the order shown.
    pub fn entries(&self, skip: usize, take: usize) -> Vec<(String, Value)> {
        let names = self.names(skip, take);
        names.into_iter().filter_map(|name| self.get(&name).map(|value| (name, value))).collect()
    }

    /// Only `streams` (those with a state) and the views beside them, as one JSON object: what
    /// two states are compared on when only those streams can differ.
    pub fn json_of(&self, streams: impl IntoIterator<Item = Sym>) -> Value {
        let mut object = Map::new();
        for stream in streams {
            if let Some(value) = self.stream(stream) {
                object.insert(self.log.stream_name(stream).to_string(), value);
            }
        }
        object.extend(self.beside().iter().cloned());
        Value::Object(object)
    }

    /// Everything as one JSON object, `{name: state}`: the whole-state view (a script's `state`).
    /// Costs every stream: a screen asks for the entries it shows instead.
    pub fn to_json(&self) -> Value {
        self.timeline.seek_json(&self.log, self.position).0
    }
}

#[cfg(test)]
mod tests {
    use crate::correction::CorrectionDraft;
    use crate::generate::{generate_log, GenerateOptions};
    use crate::inspect::diff;
    use crate::plan::TimelineOrder;
    use crate::session::Session;
    use serde_json::Value;

    fn many_streams() -> Session {
        let options = GenerateOptions { streams: 120, ..GenerateOptions::bank(600) };
        Session::load("t", &generate_log(options)).unwrap().with_snapshot_interval(64)
    }

    #[test]
    fn a_view_pages_and_looks_up_exactly_what_a_full_seek_gives_in_any_view() {
        let loaded = many_streams();
        let views = [
            loaded.with_skip(7, true),
            loaded.with_order(TimelineOrder::AsEffective).with_skip(40, true),
            loaded.with_snapshot_interval(0),
            loaded.with_snapshot_interval(1),
        ];
        for session in &views {
            for position in [0, 1, 63, 64, 65, 300, 599, 600, 10_000] {
                let view = session.state_view(position);
                let Value::Object(whole) = session.state_at(position).0 else { panic!("an object") };
                assert_eq!(view.len(), whole.len(), "at {position}");
                let paged: Vec<String> = (0..view.len().div_ceil(7)).flat_map(|page| view.names(page * 7, 7)).collect();
                assert_eq!(paged, whole.keys().cloned().collect::<Vec<_>>(), "names in order at {position}");
                for (name, value) in &whole {
                    assert_eq!(view.get(name).as_ref(), Some(value), "{name} at {position}");
                }
                assert!(!view.contains("no such stream"));
                assert_eq!(view.entries(view.len(), 5), Vec::new(), "nothing past the end");
                assert_eq!(view.to_json(), Value::Object(whole));
            }
        }
    }

    #[test]
    fn a_stream_whose_first_events_fail_has_no_state_until_one_applies() {
        let text = concat!(
            "{\"type\":\"Deposit\",\"stream\":\"a\",\"data\":{\"amount\":{\"no\":1}}}\n",
            "{\"stream\":\"a\"}\n",
            "{\"type\":\"Deposit\",\"stream\":\"a\",\"data\":{\"amount\":5}}\n",
            "{\"type\":\"Deposit\",\"stream\":\"b\",\"data\":{\"amount\":1}}\n",
        );
        let session = Session::load("t", text).unwrap();
        assert!(!session.problems().is_empty(), "the first two events are problems");
        for position in 0..=session.len() {
            let view = session.state_view(position);
            let Value::Object(whole) = session.state_at(position).0 else { panic!("an object") };
            assert_eq!(view.names(0, 10), whole.keys().cloned().collect::<Vec<_>>(), "at {position}");
            assert_eq!(view.to_json(), Value::Object(whole));
        }
    }

    #[test]
    fn the_streams_between_two_positions_carry_every_difference() {
        let session = many_streams();
        for (a, b) in [(0, 600), (10, 11), (300, 250), (64, 128), (599, 3), (42, 42)] {
            let (at_a, at_b) = (session.state_view(a), session.state_view(b));
            let between = session.streams_between(a, b);
            assert!(between.len() <= a.abs_diff(b));
            let narrow = diff(&at_a.json_of(between.iter().copied()), &at_b.json_of(between.iter().copied()));
            assert_eq!(narrow, diff(&at_a.to_json(), &at_b.to_json()), "{a} → {b}");
        }
    }

    #[test]
    fn the_fixed_streams_carry_every_difference_from_the_original() {
        let session = many_streams().with_skip(3, true).with_skip(420, true);
        let draft = CorrectionDraft { reason: "keyed twice".into(), ..session.correcting(10) };
        let corrected = session.with_correction(&draft, "2030-01-01T00:00:00Z").unwrap();
        let original = corrected.original();
        let fixed = corrected.streams_fixed();
        assert!(fixed.len() <= 3);
        for position in [0, 5, 300, 500, corrected.len()] {
            let (before, after) = (original.state_view(position), corrected.state_view(position));
            let narrow = diff(&before.json_of(fixed.iter().copied()), &after.json_of(fixed.iter().copied()));
            assert_eq!(narrow, diff(&before.to_json(), &after.to_json()), "at {position}");
        }
    }
}
