//! Two logs compared: the loaded one (A) and a second one (B) replayed by the same domain, aligned
//! stream by stream — the k-th event of a stream in A against the k-th in B, or by event id when
//! every event of that stream has one in both logs. It reports, per stream, the first aligned
//! event after which the stream's state differs (both states and the diff there), the streams
//! that end differently, and the streams in one log only.
//!
//! One pass: each stream is walked once in each log (`StreamWalk`), never a seek per position.
//! While a stream's events are the same in both logs (type, data, envelope and log position), its
//! states are the same too — reducers are pure — so such a stream costs a comparison of its events
//! and no fold at all. Only from the first event that is not the same are states folded and
//! compared, and once they differ the rest of the stream is only folded, for its final state.
use crate::domain::same;
use crate::event::Sym;
use crate::formats::{LoadError, LoadOptions};
use crate::inspect::{diff, Change};
use crate::session::{Session, SessionLoad};
use crate::timeline::StreamWalk;
use rustc_hash::FxHashSet;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// How a stream's events were paired.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Alignment {
    /// The k-th event in A with the k-th in B.
    Position,
    /// Events with the same id together; an id in one log only is an event only there.
    Id,
}

/// An event at a point where a stream is compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlignedEvent {
    /// Its timeline position (0-based) in its own log.
    pub position: usize,
    /// Which of its stream's replayed events it is (0-based).
    pub index: usize,
    pub type_name: String,
    pub id: Option<String>,
}

/// One stream's state in A and in B, and what differs from A's to B's.
#[derive(Clone, Debug, PartialEq)]
pub struct StatePair {
    /// `null` before the stream's first event.
    pub a: Value,
    pub b: Value,
    /// From A to B, paths starting with the stream's name (as `Session::event_changes` gives them).
    pub changes: Vec<Change>,
}

/// Where a stream's state first differs.
#[derive(Clone, Debug, PartialEq)]
pub struct FirstDifference {
    /// A's event there; `None` when the point is an event only in B (A's side is then its state
    /// after the stream's earlier events).
    pub event_a: Option<AlignedEvent>,
    /// B's event there; `None` for an event only in A.
    pub event_b: Option<AlignedEvent>,
    /// The cursor in A that shows A's side: right after A's event or, for an event only in B,
    /// right after A's last event of the stream before it (0 when there is none).
    pub cursor_a: usize,
    pub states: StatePair,
}

/// A stream whose state differs somewhere between the two logs.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamDifference {
    pub stream: String,
    pub alignment: Alignment,
    /// Its replayed events in A and in B.
    pub events_a: usize,
    pub events_b: usize,
    pub first: FirstDifference,
    /// The final states when they differ; `None` when the stream ends the same after all.
    pub end: Option<StatePair>,
}

/// What comparing two logs found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    /// Streams in both logs whose state differs somewhere, in order of their first difference in A.
    pub differences: Vec<StreamDifference>,
    /// Streams in both logs whose state never differs.
    pub same: usize,
    /// Streams with events in A only, in order of first appearance.
    pub only_a: Vec<String>,
    /// Streams with events in B only, in order of first appearance.
    pub only_b: Vec<String>,
}

impl Comparison {
    /// True when every stream is in both logs and none differs.
    pub fn is_same(&self) -> bool {
        self.differences.is_empty() && self.only_a.is_empty() && self.only_b.is_empty()
    }

    /// The streams whose final states differ.
    pub fn ending_differently(&self) -> impl Iterator<Item = &StreamDifference> {
        self.differences.iter().filter(|d| d.end.is_some())
    }

    /// One line: "2 streams differ (1 ends differently); 998 are the same; 1 stream only in this
    /// log". A is "this log", B "the other log".
    pub fn summary(&self) -> String {
        let streams = |n: usize| if n == 1 { "1 stream".to_string() } else { format!("{n} streams") };
        let differ = match self.differences.len() {
            0 => "No stream differs".to_string(),
            1 => "1 stream differs".to_string(),
            n => format!("{n} streams differ"),
        };
        let ending = self.ending_differently().count();
        let mut parts = vec![match (self.differences.len(), ending) {
            (0, _) => differ,
            (1, 1) => format!("{differ} and ends differently"),
            (_, 0) => format!("{differ} (each ends the same)"),
            (n, e) if n == e => format!("{differ} (each ends differently)"),
            (_, 1) => format!("{differ} (1 ends differently)"),
            (_, e) => format!("{differ} ({e} end differently)"),
        }];
        parts.push(match self.same {
            1 => "1 is the same".to_string(),
            n => format!("{n} are the same"),
        });
        if !self.only_a.is_empty() {
            parts.push(format!("{} only in this log", streams(self.only_a.len())));
        }
        if !self.only_b.is_empty() {
            parts.push(format!("{} only in the other log", streams(self.only_b.len())));
        }
        parts.join("; ")
    }
}

/// Why two sessions cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompareError {
    /// B is replayed by another domain than A: their states mean different things.
    OtherDomain { this: String, other: String },
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::OtherDomain { this, other } => write!(
                f,
                "The other log is replayed by {other} and this one by {this}: only logs replayed by the same domain can be compared"
            ),
        }
    }
}

impl std::error::Error for CompareError {}

impl Session {
    /// A load of a second log to compare with this one: replayed by this session's domain (the
    /// same compiled script, when it is one), whatever the second log declares.
    pub fn load_to_compare<'t>(
        &self,
        source: impl Into<String>,
        text: impl Into<Cow<'t, str>>,
        options: LoadOptions,
    ) -> Result<SessionLoad<'t>, LoadError> {
        let choice = self.choice().clone();
        Ok(SessionLoad::with_options(source, text, options)?.with_domain_from(move |_| Some(choice)))
    }

    /// Compares this session (A) with `other` (B) in one call; `start_compare` does it a slice at
    /// a time.
    pub fn compare(&self, other: &Session) -> Result<Comparison, CompareError> {
        Ok(self.start_compare(other)?.finish())
    }

    /// Starts comparing this session (A) with `other` (B, replayed by the same domain), each in
    /// its own timeline order and without the events it skips.
    pub fn start_compare<'s>(&'s self, other: &'s Session) -> Result<Comparing<'s>, CompareError> {
        if !same(self.domain(), other.domain()) {
            return Err(CompareError::OtherDomain {
                this: self.domain().name().to_string(),
                other: other.domain().name().to_string(),
            });
        }
        let mut pairs = Vec::new();
        let mut result = Comparison::default();
        let mut done = 0;
        let has_events = |session: &Session, name: &str| {
            session.stream(name).is_some_and(|s| session.log().stream_positions(s).next().is_some())
        };
        for (stream, name) in self.active_streams() {
            match other.stream(name).filter(|_| has_events(other, name)) {
                Some(in_b) => pairs.push((stream, in_b)),
                None => {
                    done += self.log().stream_positions(stream).count();
                    result.only_a.push(name.to_string());
                }
            }
        }
        for (stream, name) in other.active_streams() {
            if !has_events(self, name) {
                done += other.log().stream_positions(stream).count();
                result.only_b.push(name.to_string());
            }
        }
        // The scan by log position is sound only when both logs order each stream's events alike.
        let scan = if self.order() == other.order() { self.len().max(other.len()) } else { 0 };
        Ok(Comparing {
            a: self,
            b: other,
            scan,
            scanned: 0,
            touched_a: vec![scan == 0; self.log().streams().len()],
            touched_b: vec![scan == 0; other.log().streams().len()],
            pairs,
            next: 0,
            current: None,
            done,
            result,
        })
    }
}

/// Two sessions being compared a slice of events at a time: between two `step`s the caller may
/// paint, take input, or drop the comparison.
///
/// First both logs are scanned side by side in log order, which reads memory in sequence: a
/// stream whose every event is the same event at the same log position in the other log (and
/// skipped in both or neither) has the same states, and is done. Only the other streams ("touched")
/// are then walked, stream by stream.
pub struct Comparing<'s> {
    a: &'s Session,
    b: &'s Session,
    /// Log positions to scan: the longer log's length, or 0 when the two order events differently.
    scan: usize,
    scanned: usize,
    /// Streams with an event the scan found not the same, by each log's interned name.
    touched_a: Vec<bool>,
    touched_b: Vec<bool>,
    /// The streams in both logs (A's interned name, B's), in A's order of first appearance; once
    /// scanned, only the touched ones.
    pairs: Vec<(Sym, Sym)>,
    /// The next pair to start.
    next: usize,
    current: Option<StreamRun<'s>>,
    /// Events of the streams finished (both logs).
    done: usize,
    result: Comparison,
}

impl Comparing<'_> {
    /// Does about `events` events' worth of work; true once every stream is compared.
    pub fn step(&mut self, events: usize) -> bool {
        let mut budget = events.max(1);
        if self.scanned < self.scan {
            let end = self.scanned.saturating_add(budget).min(self.scan);
            budget -= end - self.scanned;
            self.scan_to(end);
            if self.scanned < self.scan {
                return false;
            }
            self.pass_untouched();
        }
        loop {
            let run = match &mut self.current {
                Some(run) => run,
                None => {
                    let Some(&(in_a, in_b)) = self.pairs.get(self.next) else { return true };
                    self.next += 1;
                    self.current.insert(StreamRun::new(self.a, self.b, in_a, in_b))
                }
            };
            if !run.step(self.a, self.b, &mut budget) {
                return false;
            }
            let run = self.current.take().expect("a stream is being compared");
            self.done += run.walk_a.positions().len() + run.walk_b.positions().len();
            match run.finish() {
                Some(difference) => self.result.differences.push(difference),
                None => self.result.same += 1,
            }
            if budget == 0 {
                return self.next == self.pairs.len();
            }
        }
    }

    /// Marks the streams of the events at log positions up to `end` that are not the same in both.
    fn scan_to(&mut self, end: usize) {
        let (a, b) = (self.a, self.b);
        for position in self.scanned..end {
            match (a.log_event(position), b.log_event(position)) {
                (Some(x), Some(y)) => {
                    if !same_event(a, position, b, position) || a.is_skipped(position) != b.is_skipped(position) {
                        self.touched_a[x.stream().index()] = true;
                        self.touched_b[y.stream().index()] = true;
                    }
                }
                (Some(x), None) => self.touched_a[x.stream().index()] = true,
                (None, Some(y)) => self.touched_b[y.stream().index()] = true,
                (None, None) => {}
            }
        }
        self.scanned = end;
    }

    /// Counts the streams the scan found the same in both logs, leaving the others to walk.
    fn pass_untouched(&mut self) {
        let (a, b) = (self.a, self.b);
        let (touched_a, touched_b) = (&self.touched_a, &self.touched_b);
        let (mut same, mut done) = (0, 0);
        self.pairs.retain(|&(in_a, in_b)| {
            let touched = touched_a[in_a.index()] || touched_b[in_b.index()];
            if !touched {
                same += 1;
                done += a.log().stream_positions(in_a).count() + b.log().stream_positions(in_b).count();
            }
            touched
        });
        self.result.same += same;
        self.done += done;
    }

    /// Work done so far and in all (the scan, then the events of both logs), for a progress bar.
    pub fn progress(&self) -> (usize, usize) {
        let total = self.scan + self.a.len() + self.b.len();
        let current = self
            .current
            .as_ref()
            .map_or(0, |run| run.passed_a.max(run.walk_a.folded()) + run.passed_b.max(run.walk_b.folded()));
        ((self.scanned + self.done + current).min(total), total)
    }

    /// What the comparison found, doing whatever is left first.
    pub fn finish(mut self) -> Comparison {
        while !self.step(usize::MAX) {}
        // Streams were compared in A's order of first appearance; the report reads in the order
        // the differences happen.
        self.result.differences.sort_by_key(|d| d.first.cursor_a);
        self.result
    }
}

/// How one stream's events are paired.
enum Pairing<'s> {
    /// Every pair so far had the same id in both logs: pairing by id and by position agree up to
    /// here, and nothing needs indexing (the common case: a log against a near copy).
    Agreeing,
    /// By position: some event of the stream has no id, or an id twice.
    Position,
    /// By id, each log's ids of the stream indexed once they stopped agreeing.
    Id { in_a: FxHashSet<&'s str>, in_b: FxHashSet<&'s str> },
}

impl<'s> Pairing<'s> {
    /// By id when every event of the stream has one, once, in both logs; else by position.
    fn index(a: &'s Session, walk_a: &dyn StreamWalk, b: &'s Session, walk_b: &dyn StreamWalk) -> Pairing<'s> {
        fn ids<'s>(session: &'s Session, walk: &dyn StreamWalk) -> Option<FxHashSet<&'s str>> {
            let mut seen = FxHashSet::default();
            for &position in walk.positions() {
                if !seen.insert(session.event(position).1.id()?) {
                    return None;
                }
            }
            Some(seen)
        }
        match (ids(a, walk_a), ids(b, walk_b)) {
            (Some(in_a), Some(in_b)) => Pairing::Id { in_a, in_b },
            _ => Pairing::Position,
        }
    }
}

/// A point where the stream's states are compared: after `passed_a` of A's events and
/// `passed_b` of B's, the last step having been A's event `event_a` and B's `event_b`.
#[derive(Copy, Clone)]
struct Point {
    passed_a: usize,
    passed_b: usize,
    event_a: Option<usize>,
    event_b: Option<usize>,
}

/// One stream being compared.
struct StreamRun<'s> {
    name: &'s str,
    walk_a: Box<dyn StreamWalk + 's>,
    walk_b: Box<dyn StreamWalk + 's>,
    pairing: Pairing<'s>,
    /// Events of the stream paired so far, in A and in B.
    passed_a: usize,
    passed_b: usize,
    /// True while every step so far paired the same event in both logs: the states are then the
    /// same without a fold.
    same_events: bool,
    /// A point whose states are still being folded to.
    pending: Option<Point>,
    first: Option<FirstDifference>,
}

impl<'s> StreamRun<'s> {
    fn new(a: &'s Session, b: &'s Session, in_a: Sym, in_b: Sym) -> StreamRun<'s> {
        let (walk_a, walk_b) = (a.stream_walk(in_a), b.stream_walk(in_b));
        StreamRun {
            name: a.stream_name(in_a),
            walk_a,
            walk_b,
            pairing: Pairing::Agreeing,
            passed_a: 0,
            passed_b: 0,
            same_events: true,
            pending: None,
            first: None,
        }
    }

    fn alignment(&self) -> Alignment {
        match self.pairing {
            Pairing::Position => Alignment::Position,
            Pairing::Agreeing | Pairing::Id { .. } => Alignment::Id,
        }
    }

    /// The next aligned step (A's event index, B's), advancing past it; `None` past both ends.
    fn next_step(&mut self, a: &'s Session, b: &'s Session) -> Option<(Option<usize>, Option<usize>)> {
        let (i, j) = (self.passed_a, self.passed_b);
        // Outer `None`: past the stream's end; inner: an event without an id.
        let id_a = self.walk_a.positions().get(i).map(|&p| a.event(p).1.id());
        let id_b = self.walk_b.positions().get(j).map(|&p| b.event(p).1.id());
        if let Pairing::Agreeing = self.pairing {
            match (id_a, id_b) {
                (Some(None), _) | (_, Some(None)) => self.pairing = Pairing::Position,
                (Some(Some(x)), Some(Some(y))) if x != y => {
                    self.pairing = Pairing::index(a, &*self.walk_a, b, &*self.walk_b);
                }
                _ => {}
            }
        }
        let step = match &self.pairing {
            // Agreeing, every pair so far was (k, k): position pairing up to here.
            Pairing::Agreeing | Pairing::Position => match (id_a.is_some(), id_b.is_some()) {
                (false, false) => return None,
                (in_a, in_b) => (in_a.then_some(i), in_b.then_some(j)),
            },
            // Every event has an id here: `None` is past the end.
            Pairing::Id { in_a, in_b } => match (id_a.flatten(), id_b.flatten()) {
                (None, None) => return None,
                (Some(_), None) => (Some(i), None),
                (None, Some(_)) => (None, Some(j)),
                (Some(x), Some(y)) if x == y => (Some(i), Some(j)),
                (Some(x), Some(_)) if !in_b.contains(x) => (Some(i), None),
                (Some(_), Some(y)) if !in_a.contains(y) => (None, Some(j)),
                // Both ids are in the other log, in another order: the events are paired where
                // they stand, and their states tell whether the order matters.
                (Some(_), Some(_)) => (Some(i), Some(j)),
            },
        };
        self.passed_a += usize::from(step.0.is_some());
        self.passed_b += usize::from(step.1.is_some());
        Some(step)
    }

    /// Works on the stream for at most `budget` events (what is used is taken off); true once
    /// the stream is compared.
    fn step(&mut self, a: &'s Session, b: &'s Session, budget: &mut usize) -> bool {
        loop {
            if let Some(point) = self.pending {
                if !fold_toward(&mut *self.walk_a, point.passed_a, budget)
                    || !fold_toward(&mut *self.walk_b, point.passed_b, budget)
                {
                    return false;
                }
                self.pending = None;
                let (state_a, state_b) = (self.walk_a.state(), self.walk_b.state());
                if state_a != state_b {
                    self.first = Some(self.difference_at(a, b, point, state_a, state_b));
                }
                continue;
            }
            if self.first.is_some() {
                // Found: the rest of the stream is folded for its final state, and not compared.
                let (end_a, end_b) = (self.walk_a.positions().len(), self.walk_b.positions().len());
                return fold_toward(&mut *self.walk_a, end_a, budget) && fold_toward(&mut *self.walk_b, end_b, budget);
            }
            if *budget == 0 {
                return false;
            }
            let Some((event_a, event_b)) = self.next_step(a, b) else { return true };
            *budget -= 1;
            if self.same_events {
                if let (Some(i), Some(j)) = (event_a, event_b) {
                    let (at_a, at_b) = (self.walk_a.positions()[i], self.walk_b.positions()[j]);
                    if same_event(a, a.event(at_a).0, b, b.event(at_b).0) {
                        continue;
                    }
                }
                self.same_events = false;
            }
            self.pending = Some(Point { passed_a: self.passed_a, passed_b: self.passed_b, event_a, event_b });
        }
    }

    fn difference_at(&self, a: &Session, b: &Session, point: Point, state_a: Value, state_b: Value) -> FirstDifference {
        let aligned = |session: &Session, walk: &dyn StreamWalk, index: usize| {
            let position = walk.positions()[index];
            let event = session.event(position).1;
            AlignedEvent {
                position,
                index,
                type_name: session.type_name(event).to_string(),
                id: event.id().map(str::to_string),
            }
        };
        let positions_a = self.walk_a.positions();
        let cursor_a = match point.event_a {
            Some(i) => positions_a[i] + 1,
            None => point.passed_a.checked_sub(1).map_or(0, |i| positions_a[i] + 1),
        };
        FirstDifference {
            event_a: point.event_a.map(|i| aligned(a, &*self.walk_a, i)),
            event_b: point.event_b.map(|j| aligned(b, &*self.walk_b, j)),
            cursor_a,
            states: self.pair(state_a, state_b),
        }
    }

    fn pair(&self, a: Value, b: Value) -> StatePair {
        let wrap = |value: &Value| match value {
            Value::Null => serde_json::json!({}),
            value => serde_json::json!({ self.name: value }),
        };
        let changes = diff(&wrap(&a), &wrap(&b));
        StatePair { a, b, changes }
    }

    /// The stream's difference, once compared; `None` when its state never differs.
    fn finish(self) -> Option<StreamDifference> {
        let first = self.first.clone()?;
        let (end_a, end_b) = (self.walk_a.state(), self.walk_b.state());
        let end = (end_a != end_b).then(|| self.pair(end_a, end_b));
        Some(StreamDifference {
            stream: self.name.to_string(),
            alignment: self.alignment(),
            events_a: self.walk_a.positions().len(),
            events_b: self.walk_b.positions().len(),
            first,
            end,
        })
    }
}

/// Folds `walk` toward its first `target` events within `budget`; true once there.
fn fold_toward(walk: &mut dyn StreamWalk, target: usize, budget: &mut usize) -> bool {
    let folded = walk.folded();
    if folded >= target {
        return true;
    }
    let events = (target - folded).min(*budget);
    walk.fold_to(folded + events);
    *budget -= events;
    walk.folded() >= target
}

/// True when the event at log position `log_a` in A is, as a reducer sees it, the event at
/// `log_b` in B: the same type, texts and log position (reducers may read the position), in a
/// stream of the same name. Applied to equal states, the two then give equal states.
fn same_event(a: &Session, log_a: usize, b: &Session, log_b: usize) -> bool {
    let (Some(x), Some(y)) = (a.log_event(log_a), b.log_event(log_b)) else { return false };
    let readable = |session: &Session, p| session.log().unreadable_at(p).is_none();
    log_a == log_b
        && a.stream_of(x) == b.stream_of(y)
        && readable(a, log_a)
        && readable(b, log_b)
        && a.type_name(x) == b.type_name(y)
        && a.log().is_default_stream(x.stream) == b.log().is_default_stream(y.stream)
        && x.seq == y.seq
        && x.data() == y.data()
        && x.id() == y.id()
        && x.recorded_at() == y.recorded_at()
        && x.effective_at() == y.effective_at()
        && x.meta() == y.meta()
        && x.extra() == y.extra()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate_log, GenerateOptions};
    use crate::inspect::ChangeKind;
    use proptest::prelude::*;
    use serde_json::json;

    fn load(text: &str) -> Session {
        Session::load("t", text).unwrap()
    }

    /// `other` loaded to compare with `session`, then compared.
    fn compared(session: &Session, other: &str) -> Comparison {
        let other = session.load_to_compare("other", other, LoadOptions::default()).unwrap().finish().unwrap();
        session.compare(&other).unwrap()
    }

    const CLASSIC: &str =
        r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":30},{"type":"Deposit","amount":50}]"#;

    #[test]
    fn a_log_compared_with_itself_or_a_copy_has_no_difference() {
        let generated = generate_log(GenerateOptions { streams: 50, ..GenerateOptions::store(3_000) });
        for text in [CLASSIC, crate::samples::find("store").unwrap().text, generated.as_str()] {
            let session = load(text);
            let streams = session.active_streams().count();
            let itself = session.compare(&session).unwrap();
            assert!(itself.is_same(), "{itself:?}");
            assert_eq!(itself.same, streams);
            assert_eq!(compared(&session, text), itself, "a copy loaded again");
            assert_eq!(itself.summary(), format!("No stream differs; {streams} are the same").replace("1 are", "1 is"));
        }
    }

    #[test]
    fn one_amount_changed_is_found_at_that_event_with_both_states_and_the_diff() {
        let session = load(CLASSIC);
        let comparison = compared(&session, &CLASSIC.replace("30", "40"));
        assert_eq!(comparison.differences.len(), 1);
        let difference = &comparison.differences[0];
        assert_eq!((difference.stream.as_str(), difference.alignment), ("default", Alignment::Position));
        let first = &difference.first;
        let withdraw = AlignedEvent { position: 1, index: 1, type_name: "Withdraw".into(), id: None };
        assert_eq!((first.event_a.as_ref(), first.event_b.as_ref()), (Some(&withdraw), Some(&withdraw)));
        assert_eq!(first.cursor_a, 2, "the cursor right after the withdrawal");
        assert_eq!((&first.states.a["balance"], &first.states.b["balance"]), (&json!(70), &json!(60)));
        let [change] = &first.states.changes[..] else { panic!("one change: {:?}", first.states.changes) };
        assert_eq!(change.path, ["default", "balance"]);
        assert_eq!(
            (change.kind, change.before.clone(), change.after.clone()),
            (ChangeKind::Changed, Some(json!(70)), Some(json!(60)))
        );
        let end = difference.end.as_ref().expect("ends differently");
        assert_eq!((&end.a["balance"], &end.b["balance"]), (&json!(120), &json!(110)));
        assert_eq!(comparison.summary(), "1 stream differs and ends differently; 0 are the same");
    }

    #[test]
    fn one_event_changed_in_a_generated_log_is_found_at_exactly_that_event() {
        let text = generate_log(GenerateOptions { streams: 40, ..GenerateOptions::bank(4_000) });
        let session = load(&text);
        // Event e2500's amount, whatever it is, becomes 1234.56.
        let start = text.find(r#""id":"e2500""#).unwrap();
        let amount = start + text[start..].find(r#""amount":"#).unwrap() + r#""amount":"#.len();
        let end = amount + text[amount..].find('}').unwrap();
        let changed = format!("{}1234.56{}", &text[..amount], &text[end..]);
        let comparison = compared(&session, &changed);
        let [difference] = &comparison.differences[..] else { panic!("one stream differs: {comparison:?}") };
        let (_, event) = session.event(2_500);
        assert_eq!(difference.stream, session.stream_of(event));
        assert_eq!(difference.alignment, Alignment::Id, "generated events have ids");
        let at = difference.first.event_a.as_ref().unwrap();
        assert_eq!((at.position, at.id.as_deref()), (2_500, Some("e2500")));
        assert_eq!(difference.first.event_b.as_ref().unwrap().position, 2_500);
        assert_eq!(difference.first.cursor_a, 2_501);
        assert_eq!(comparison.same, 39);
    }

    #[test]
    fn streams_in_one_log_only_are_named_and_the_others_compared() {
        let session =
            load(r#"[{"type":"Deposit","stream":"acc-1","amount":5},{"type":"Deposit","stream":"acc-2","amount":7}]"#);
        let comparison = compared(
            &session,
            r#"[{"type":"Deposit","stream":"acc-3","amount":1},{"type":"Deposit","stream":"acc-1","amount":5}]"#,
        );
        assert_eq!((comparison.only_a, comparison.only_b), (vec!["acc-2".to_string()], vec!["acc-3".to_string()]));
        assert_eq!(comparison.same, 1, "acc-1 is the same though its event moved");
        assert!(comparison.differences.is_empty());
    }

    /// Events with ids on acc-1 and acc-2, in the order given.
    fn with_ids(events: &[(&str, &str, u32)]) -> String {
        let events: Vec<Value> = events
            .iter()
            .map(|(id, stream, amount)| json!({"id": id, "type": "Deposit", "stream": stream, "data": {"amount": amount}}))
            .collect();
        Value::Array(events).to_string()
    }

    #[test]
    fn events_reordered_between_streams_are_aligned_by_id_and_an_extra_event_is_named() {
        let a = with_ids(&[
            ("a1", "acc-1", 10),
            ("b1", "acc-2", 1),
            ("a2", "acc-1", 20),
            ("b2", "acc-2", 2),
            ("a3", "acc-1", 30),
        ]);
        // Interleaved otherwise, and acc-2 has one more deposit, between its two.
        let b = with_ids(&[
            ("b1", "acc-2", 1),
            ("x", "acc-2", 5),
            ("a1", "acc-1", 10),
            ("a2", "acc-1", 20),
            ("a3", "acc-1", 30),
            ("b2", "acc-2", 2),
        ]);
        let session = load(&a);
        let comparison = compared(&session, &b);
        assert_eq!(comparison.same, 1, "acc-1 is the same at other log positions");
        let [difference] = &comparison.differences[..] else { panic!("{comparison:?}") };
        assert_eq!((difference.stream.as_str(), difference.alignment), ("acc-2", Alignment::Id));
        let first = &difference.first;
        assert_eq!(first.event_a, None, "an event only in the other log");
        let x = first.event_b.as_ref().unwrap();
        assert_eq!((x.id.as_deref(), x.position, x.index), (Some("x"), 1, 1));
        assert_eq!(first.cursor_a, 2, "A's side: right after b1, its last event before");
        assert_eq!((&first.states.a["balance"], &first.states.b["balance"]), (&json!(1), &json!(6)));
        let end = difference.end.as_ref().unwrap();
        assert_eq!((&end.a["balance"], &end.b["balance"]), (&json!(3), &json!(8)));

        // The same events without ids pair by position: b2 against x.
        let strip = |text: &str| {
            let mut events: Value = serde_json::from_str(text).unwrap();
            events.as_array_mut().unwrap().iter_mut().for_each(|e| drop(e.as_object_mut().unwrap().remove("id")));
            events.to_string()
        };
        let comparison = compared(&load(&strip(&a)), &strip(&b));
        let difference = &comparison.differences[0];
        assert_eq!(difference.alignment, Alignment::Position);
        let first = &difference.first;
        assert_eq!((first.event_a.as_ref().unwrap().position, first.event_b.as_ref().unwrap().position), (3, 1));
    }

    #[test]
    fn an_event_missing_from_the_other_log_is_found_at_its_place_in_this_one() {
        let a = with_ids(&[("a1", "acc-1", 10), ("a2", "acc-1", 20), ("a3", "acc-1", 30)]);
        let b = with_ids(&[("a1", "acc-1", 10), ("a3", "acc-1", 30)]);
        let comparison = compared(&load(&a), &b);
        let first = &comparison.differences[0].first;
        assert_eq!(first.event_a.as_ref().unwrap().id.as_deref(), Some("a2"));
        assert_eq!((first.event_b.as_ref(), first.cursor_a), (None, 2));
    }

    #[test]
    fn a_change_that_leaves_the_state_as_it_was_is_no_difference() {
        let session = load(r#"[{"type":"Deposit","amount":100,"note":"rent"}]"#);
        assert!(compared(&session, r#"[{"type":"Deposit","amount":100,"note":"gift"}]"#).is_same());
    }

    #[test]
    fn a_log_replayed_by_another_domain_is_refused() {
        let bank = load(CLASSIC);
        let generic = bank.with_domain(crate::domain::chosen("generic").unwrap());
        let error = bank.compare(&generic).unwrap_err();
        assert_eq!(error, CompareError::OtherDomain { this: "bank".into(), other: "generic".into() });
        let store = crate::samples::find("store").unwrap().text;
        let other = bank.load_to_compare("store", store, LoadOptions::default()).unwrap().finish().unwrap();
        assert_eq!(other.domain().name(), "bank", "the second log is replayed by this one's domain");
    }

    #[test]
    fn comparing_in_slices_gives_what_one_call_gives_and_counts_up_to_every_event() {
        let text = generate_log(GenerateOptions { streams: 30, ..GenerateOptions::bank(3_000) });
        let session = load(&text);
        let other = load(&text.replace(r#""amount":1"#, r#""amount":2"#));
        let whole = session.compare(&other).unwrap();
        assert!(whole.differences.len() > 5, "{}", whole.summary());
        let mut comparing = session.start_compare(&other).unwrap();
        let mut seen = vec![comparing.progress()];
        while !comparing.step(37) {
            seen.push(comparing.progress());
        }
        assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "progress never goes back");
        assert!(seen.len() > 10, "{} slices", seen.len());
        assert_eq!(comparing.progress(), (9_000, 9_000), "the scan, then both logs' events");
        assert_eq!(comparing.finish(), whole);
        let positions: Vec<usize> = whole.differences.iter().map(|d| d.first.cursor_a).collect();
        assert!(positions.windows(2).all(|w| w[0] <= w[1]), "in the order they happen: {positions:?}");
    }

    #[test]
    fn each_log_is_compared_in_its_own_timeline_order() {
        use crate::plan::TimelineOrder;
        let text = r#"[
            {"id":"a1","type":"Deposit","stream":"acc-1","amount":100,"effective_at":"2024-03-01T00:00:00Z"},
            {"id":"a2","type":"Withdraw","stream":"acc-1","amount":50,"effective_at":"2024-03-03T00:00:00Z"},
            {"id":"b1","type":"Deposit","stream":"acc-2","amount":5},
            {"id":"a3","type":"Deposit","stream":"acc-1","amount":30,"effective_at":"2024-03-02T00:00:00Z"}
        ]"#;
        let recorded = load(text);
        let effective = recorded.with_order(TimelineOrder::AsEffective);
        let comparison = effective.compare(&recorded).unwrap();
        assert_eq!(comparison.same, 1, "acc-2: {}", comparison.summary());
        let first = &comparison.differences[0].first;
        let (a, b) = (first.event_a.as_ref().unwrap(), first.event_b.as_ref().unwrap());
        assert_eq!((a.id.as_deref(), b.id.as_deref()), (Some("a3"), Some("a2")), "paired where they stand");
        assert_eq!((&first.states.a["balance"], &first.states.b["balance"]), (&json!(130), &json!(50)));
        assert!(comparison.differences[0].end.is_none(), "both end at 80");
        let in_order = load(&text.replace("effective_at", "note"));
        assert!(in_order.with_order(TimelineOrder::AsEffective).compare(&in_order).unwrap().is_same());
    }

    #[test]
    fn skipped_events_are_left_out_as_if_missing() {
        let session = load(CLASSIC).with_skip(1, true);
        let without = r#"[{"type":"Deposit","amount":100},{"type":"Deposit","amount":50}]"#;
        assert!(compared(&session, without).is_same());
    }

    /// A reducer that keeps the log position of its stream's last event, as a script may.
    #[derive(Clone)]
    struct LastPosition;

    impl crate::domain::Domain for LastPosition {
        fn name(&self) -> &str {
            "last position"
        }

        fn event_types(&self) -> &[&str] {
            &[]
        }

        fn fold(&self) -> Box<dyn crate::fold::Fold> {
            Box::new(crate::fold::ReducerFold::new(self.clone()))
        }

        fn replay(
            &self,
            log: &crate::log::Log,
            plan: crate::plan::Plan,
            interval: usize,
        ) -> Box<dyn crate::timeline::ReplayBuild> {
            crate::domain::replay_with(self, log, plan, interval)
        }
    }

    impl crate::domain::Reducer for LastPosition {
        type Stream = usize;
        type Kind = ();

        fn kind(&self, _: &str) -> Option<()> {
            Some(())
        }

        fn apply(
            &self,
            _: &usize,
            _: (),
            event: &crate::domain::EventRef,
        ) -> Result<crate::domain::Step<usize>, crate::domain::DataError> {
            Ok(crate::domain::Step::ok(event.position))
        }

        fn to_json(&self, stream: &usize) -> Value {
            json!({ "last": stream })
        }
    }

    #[test]
    fn the_same_event_at_another_log_position_is_compared_by_its_state_for_a_reducer_may_read_the_position() {
        let choice = crate::domain::DomainChoice { domain: std::sync::Arc::new(LastPosition), reason: "test".into() };
        let a = with_ids(&[("a1", "acc-1", 10), ("b1", "acc-2", 1)]);
        let b = with_ids(&[("b1", "acc-2", 1), ("a1", "acc-1", 10)]);
        let session = load(&a).with_domain(choice);
        let comparison = compared(&session, &b);
        assert_eq!(comparison.differences.len(), 2, "each event moved: {}", comparison.summary());
        let first = &comparison.differences[0].first;
        assert_eq!((&first.states.a, &first.states.b), (&json!({"last": 0}), &json!({"last": 1})));
        assert!(compared(&session, &a).is_same());
    }

    fn event() -> impl Strategy<Value = Value> {
        let types = prop::sample::select(vec!["AccountOpened", "Deposit", "Withdraw", "AccountClosed", "Other"]);
        let stream = prop::sample::select(vec![None, Some("a"), Some("b"), Some("c")]);
        let amount = prop::sample::select(vec![json!(100), json!(30), json!(0), json!(-5), json!("12"), Value::Null]);
        (types, stream, amount).prop_map(|(kind, stream, amount)| {
            let mut event = json!({"type": kind, "data": {"amount": amount}});
            if let Some(stream) = stream {
                event["stream"] = json!(stream);
            }
            event
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn one_changed_event_is_found_at_its_stream_and_first_position_or_changes_nothing(
            mut events in prop::collection::vec(event(), 1..40),
            changed in 0usize..40,
            amount in prop::sample::select(vec![json!(100), json!(31), json!(0), json!(-5), json!("12"), json!(7.5)]),
            ids in any::<bool>(),
            domain in prop::sample::select(vec!["bank", "generic"]),
        ) {
            if ids {
                events.iter_mut().enumerate().for_each(|(n, e)| e["id"] = json!(format!("e{n}")));
            }
            let changed = changed % events.len();
            let envelope = |events: &[Value]| json!({"domain": domain, "events": events}).to_string();
            let session = load(&envelope(&events));
            events[changed]["data"]["amount"] = amount;
            let other = session.load_to_compare("other", envelope(&events), LoadOptions::default()).unwrap().finish().unwrap();
            let comparison = session.compare(&other).unwrap();

            // The reference: the changed stream's states, event by event, from each log's history.
            let stream = session.event(changed).1.stream();
            let name = session.stream_name(stream);
            let before = session.stream_history(stream, session.len());
            let after = other.stream_history(other.stream(name).unwrap(), other.len());
            let first = before.iter().zip(&after).position(|(x, y)| x.1 != y.1);
            prop_assert_eq!(comparison.same + comparison.differences.len(), session.active_streams().count());
            match first {
                None => prop_assert!(comparison.is_same(), "{:?}", comparison),
                Some(k) => {
                    prop_assert_eq!(before[k].0, changed, "the state first differs right after the change");
                    prop_assert_eq!(comparison.differences.len(), 1);
                    let difference = &comparison.differences[0];
                    prop_assert_eq!(&difference.stream, name);
                    prop_assert_eq!(difference.first.event_a.as_ref().map(|e| e.position), Some(changed));
                    prop_assert_eq!(difference.first.event_b.as_ref().map(|e| e.position), Some(changed));
                    prop_assert_eq!(&difference.first.states.a, &before[k].1);
                    prop_assert_eq!(&difference.first.states.b, &after[k].1);
                    prop_assert_eq!(difference.end.is_some(), before.last().unwrap().1 != after.last().unwrap().1);
                }
            }
        }
    }
}
