//! Checking a log as it streams past: each stream's state is kept and every event dropped once
//! applied, so memory follows the number of streams, never the number of events. Each event goes
//! through the timeline's own step (`apply_to_slot`), so a streamed check finds what a whole-log
//! replay finds.
use crate::domain::{EventRef, Reducer};
use crate::timeline::{apply_to_slot, slot_to_json, Severity, StreamSlot};
use serde_json::Value;
use std::collections::HashMap;

/// A domain's fold over events that arrive one at a time (see `Domain::fold`).
pub trait Fold: Send {
    /// Applies one event to its stream; the problems it raises go to `report`.
    fn apply(&mut self, event: &EventRef, report: &mut dyn FnMut(Severity, String));
    /// A stream's state as JSON; `None` before its first event.
    fn state(&self, stream: &str) -> Option<Value>;
    /// How many streams have had an event.
    fn streams(&self) -> usize;
}

/// `Fold` for any compiled (or scripted) reducer.
pub struct ReducerFold<R: Reducer> {
    reducer: R,
    kinds: HashMap<Box<str>, Option<R::Kind>>,
    states: HashMap<Box<str>, StreamSlot<R::Stream>>,
}

impl<R: Reducer> ReducerFold<R> {
    pub fn new(reducer: R) -> ReducerFold<R> {
        ReducerFold { reducer, kinds: HashMap::new(), states: HashMap::new() }
    }
}

impl<R: Reducer> Fold for ReducerFold<R> {
    fn apply(&mut self, event: &EventRef, report: &mut dyn FnMut(Severity, String)) {
        let kind = match self.kinds.get(event.type_name) {
            Some(kind) => *kind,
            None => {
                let kind = self.reducer.kind(event.type_name);
                self.kinds.insert(event.type_name.into(), kind);
                kind
            }
        };
        let slot = self.states.get(event.stream).cloned().unwrap_or_default();
        if let Some(slot) = apply_to_slot(&self.reducer, kind, slot, event, report) {
            match self.states.get_mut(event.stream) {
                Some(held) => *held = slot,
                None => {
                    self.states.insert(event.stream.into(), slot);
                }
            }
        }
    }

    fn state(&self, stream: &str) -> Option<Value> {
        self.states.get(stream).map(|slot| slot_to_json(&self.reducer, slot))
    }

    fn streams(&self) -> usize {
        self.states.len()
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::EventRef;
    use crate::generate::{generate_log, GenerateOptions};
    use crate::session::Session;
    use crate::timeline::Severity;
    use proptest::prelude::*;

    /// Every event of `session`'s log through its domain's fold: the problems, in order.
    fn folded(session: &Session) -> Vec<(usize, Severity, String)> {
        let log = session.log();
        let mut fold = session.domain().fold();
        let mut found = Vec::new();
        for (position, event) in log.events().iter().enumerate() {
            if let Some(unreadable) = log.unreadable_at(position) {
                found.push((position, Severity::Unreadable, format!("could not be read: {}", unreadable.error)));
                continue;
            }
            let view = EventRef::in_log(log, event, position);
            fold.apply(&view, &mut |severity, message| found.push((position, severity, message)));
        }
        found
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]

        /// A streamed check finds what the timeline finds, event for event, and ends in the same states.
        #[test]
        fn the_fold_finds_what_the_timeline_finds(seed in 0u64..10_000, store in any::<bool>()) {
            let options = match store {
                true => GenerateOptions { seed, streams: 30, ..GenerateOptions::store(800) },
                false => GenerateOptions { seed, streams: 30, ..GenerateOptions::bank(800) },
            };
            let mut text = generate_log(options);
            // A few events no domain reads, and one with data it cannot read.
            text = text.replacen("\"type\":\"", "\"type\":\"Mystery", 3).replacen("\"amount\":", "\"amount\":\"x\",\"was\":", 2);
            let session = Session::load("t", &text).unwrap();
            let timeline: Vec<_> = session.problems().iter().map(|p| (p.position, p.severity, p.message.clone())).collect();
            prop_assert!(timeline.iter().any(|p| p.1 == Severity::UnknownType), "the mystery types are there");
            prop_assert!(timeline.iter().any(|p| p.1 == Severity::Error), "the unreadable amounts are there");
            prop_assert_eq!(folded(&session), timeline);
        }
    }

    #[test]
    fn the_fold_ends_in_the_timelines_states() {
        let session =
            Session::load("t", &generate_log(GenerateOptions { streams: 20, ..GenerateOptions::store(500) })).unwrap();
        let log = session.log();
        let mut fold = session.domain().fold();
        for (position, event) in log.events().iter().enumerate() {
            let view = EventRef::in_log(log, event, position);
            fold.apply(&view, &mut |_, _| {});
        }
        assert_eq!(fold.streams(), log.active_streams().count());
        for (sym, name) in log.active_streams() {
            assert_eq!(fold.state(name), Some(session.stream_state_at(sym, session.len())), "{name}");
        }
    }
}
