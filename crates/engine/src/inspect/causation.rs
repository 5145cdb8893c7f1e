//! Causation chains: which event caused which, read from the ids an event's meta carries —
//! `causation_id` (the id of the message that caused it) and `correlation_id` (the conversation it
//! belongs to). KurrentDB's `$causationId` / `$correlationId` are read into those names, and a
//! field mapping can route other fields there.
//!
//! One pass over the log builds a `CausationIndex` (`CausationBuild` does it a slice of events at
//! a time). After that, an event's causes, what it caused and what shares its correlation id are
//! answered in time proportional to what is returned, never to the log: a cursor move costs what
//! is shown.
//!
//! What a log can get wrong is said, never looped over or guessed at: a cause that names no event
//! in the log ends the chain "not in this log", causes that come back round stop as a cycle, an id
//! used twice resolves to its first event (and the later ones are noted), and a cause with
//! thousands of effects lists the first `MAX_CAUSED` and counts the rest.
use crate::event::Event;
use crate::log::Log;
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::hash::BuildHasher;

/// Causes listed for one event, nearest first; a longer chain ends `ChainEnd::Cut`.
pub const MAX_CAUSES: usize = 64;
/// Events listed in what one event caused; the rest are counted.
pub const MAX_CAUSED: usize = 100;
/// Events listed as sharing one event's correlation id; the rest are counted.
pub const MAX_CORRELATED: usize = 50;

/// `parent`: the event names no cause.
const NO_CAUSE: u32 = u32::MAX;
/// `parent`: the event names a cause no event in the log has.
const MISSING: u32 = u32::MAX - 1;
/// `group`: the event has no correlation id.
const NO_GROUP: u32 = u32::MAX;

/// The causation and correlation ids an event's meta carries: a non-empty string, or a number as
/// written (ids may be numbers, as `id` may).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CausationIds<'a> {
    pub correlation_id: Option<Cow<'a, str>>,
    pub causation_id: Option<Cow<'a, str>>,
}

/// Reads `correlation_id` and `causation_id` from `event`'s meta. Anything else there (a null, an
/// object, a meta that repeats a key) counts as no id: the event is shown, just not linked.
pub fn causation_ids(event: &Event) -> CausationIds<'_> {
    #[derive(Deserialize)]
    struct MetaIds<'a> {
        #[serde(borrow, default)]
        correlation_id: Option<&'a RawValue>,
        #[serde(borrow, default)]
        causation_id: Option<&'a RawValue>,
    }
    let Some(meta) = event.meta() else { return CausationIds::default() };
    match serde_json::from_str::<MetaIds>(meta) {
        Ok(ids) => CausationIds {
            correlation_id: ids.correlation_id.and_then(id_text),
            causation_id: ids.causation_id.and_then(id_text),
        },
        Err(_) => CausationIds::default(),
    }
}

fn id_text(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get();
    let id = match text.as_bytes().first()? {
        // Validated JSON: a string without escapes is its text between the quotes.
        b'"' if !text.contains('\\') => Cow::Borrowed(&text[1..text.len() - 1]),
        b'"' => Cow::Owned(serde_json::from_str::<String>(text).ok()?),
        b'-' | b'0'..=b'9' => Cow::Borrowed(text),
        _ => return None,
    };
    (!id.trim().is_empty()).then_some(id)
}

/// Which event caused which, over one log (see the module's comment). Positions are log positions.
#[derive(Clone, Debug, Default)]
pub struct CausationIndex {
    /// The log it was built for.
    generation: u64,
    len: usize,
    /// By position: the position of its cause, `NO_CAUSE` or `MISSING`. Empty when no event
    /// names a cause.
    parent: Vec<u32>,
    /// What each position caused: `children[child_start[p]..child_start[p + 1]]`, in log order.
    /// Empty when no cause is in the log.
    child_start: Vec<u32>,
    children: Vec<u32>,
    /// By position: its correlation group or `NO_GROUP`; a group's members are
    /// `members[group_start[g]..group_start[g + 1]]`, in log order. Empty when no event has a
    /// correlation id.
    group: Vec<u32>,
    group_start: Vec<u32>,
    members: Vec<u32>,
    /// (later position, first position) for every id used again, by later position.
    reused_ids: Vec<(u32, u32)>,
    /// The same pairs the other way round, (first, later), sorted.
    reused_by_first: Vec<(u32, u32)>,
    with_causation: usize,
    with_correlation: usize,
}

/// Where following an event's causes stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainEnd {
    /// The last cause listed (or the event itself, with none) names no cause: it is the root.
    Root,
    /// The last cause listed (or the event itself) names this causation id, and no event in the
    /// log has it: a command, or an event kept elsewhere.
    NotInLog(String),
    /// The causes come back to this position, already in the chain (or the event itself).
    Cycle(usize),
    /// More than `MAX_CAUSES` causes: the chain goes on before the last one listed.
    Cut,
}

/// One event in what another caused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caused {
    pub position: usize,
    /// 1: caused directly; 2: caused by one caused directly; …
    pub depth: usize,
    /// Events it caused directly that are not listed (the list is capped at `MAX_CAUSED`).
    pub more: usize,
    /// It is the event asked about again: the causes go round in a cycle, listed no further.
    pub cycle: bool,
}

/// What the index says about one event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Causation {
    pub position: usize,
    pub correlation_id: Option<String>,
    pub causation_id: Option<String>,
    /// Its cause, that one's cause, … nearest first, up to the root (or `MAX_CAUSES`).
    pub causes: Vec<usize>,
    pub chain_end: ChainEnd,
    /// What it caused, depth first, each event's effects in log order.
    pub caused: Vec<Caused>,
    /// Events it caused directly that are not listed.
    pub caused_more: usize,
    /// The other events with its correlation id, in log order, up to `MAX_CORRELATED`.
    pub correlated: Vec<usize>,
    pub correlated_more: usize,
    /// The first event with this event's id, when that is another: causation ids name that one.
    pub id_first_used_at: Option<usize>,
    /// How many later events reuse this event's id (causation ids never name them).
    pub id_reused: usize,
}

impl Causation {
    /// True when nothing links this event to another: no ids in its meta, no effects, no
    /// shared id.
    pub fn is_unlinked(&self) -> bool {
        self.correlation_id.is_none()
            && self.causation_id.is_none()
            && self.caused.is_empty()
            && self.caused_more == 0
            && self.id_first_used_at.is_none()
            && self.id_reused == 0
    }

    /// The same answer with every position mapped by `to` (log → timeline positions).
    pub fn map_positions(mut self, to: impl Fn(usize) -> usize) -> Causation {
        self.position = to(self.position);
        self.causes.iter_mut().for_each(|p| *p = to(*p));
        if let ChainEnd::Cycle(p) = &mut self.chain_end {
            *p = to(*p);
        }
        self.caused.iter_mut().for_each(|c| c.position = to(c.position));
        self.correlated.iter_mut().for_each(|p| *p = to(*p));
        self.id_first_used_at = self.id_first_used_at.map(&to);
        self
    }
}

impl CausationIndex {
    /// The index of `log` in one call.
    pub fn build(log: &Log) -> CausationIndex {
        let mut build = CausationBuild::new(log);
        build.step(log, usize::MAX);
        build.finish()
    }

    /// The generation of the log it was built for.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// True when it was built for `log` as it is now.
    pub fn is_for(&self, log: &Log) -> bool {
        self.generation == log.generation() && self.len == log.len()
    }

    /// Events whose meta names a cause.
    pub fn with_causation(&self) -> usize {
        self.with_causation
    }

    /// Events whose meta names a correlation id.
    pub fn with_correlation(&self) -> usize {
        self.with_correlation
    }

    /// Bytes the index holds beyond its own struct.
    pub fn heap_bytes(&self) -> usize {
        let words = self.parent.capacity()
            + self.child_start.capacity()
            + self.children.capacity()
            + self.group.capacity()
            + self.group_start.capacity()
            + self.members.capacity();
        words * 4 + (self.reused_ids.capacity() + self.reused_by_first.capacity()) * 8
    }

    /// The position of the cause `position` names: `Ok(None)` when it names none, `Err(())` when
    /// no event in the log has that id.
    fn cause(&self, position: usize) -> Result<Option<usize>, ()> {
        match self.parent.get(position).copied().unwrap_or(NO_CAUSE) {
            NO_CAUSE => Ok(None),
            MISSING => Err(()),
            parent => Ok(Some(parent as usize)),
        }
    }

    /// What `position` caused directly, in log order.
    fn effects(&self, position: usize) -> &[u32] {
        match (self.child_start.get(position), self.child_start.get(position + 1)) {
            (Some(&start), Some(&end)) => &self.children[start as usize..end as usize],
            _ => &[],
        }
    }

    /// The events with `position`'s correlation id (itself among them), in log order.
    fn group_members(&self, position: usize) -> &[u32] {
        match self.group.get(position).copied().unwrap_or(NO_GROUP) {
            NO_GROUP => &[],
            g => &self.members[self.group_start[g as usize] as usize..self.group_start[g as usize + 1] as usize],
        }
    }

    /// Causes, effects and correlated events of the event at `position` in `log` (the log this
    /// index was built for; its meta gives the ids' text).
    pub fn causation(&self, log: &Log, position: usize) -> Causation {
        let ids = log.events().get(position).map(causation_ids).unwrap_or_default();
        let (causes, chain_end) = self.causes_of(log, position);
        let (caused, caused_more) = self.caused_by(position);
        let members = self.group_members(position);
        let others = members.iter().map(|&p| p as usize).filter(|&p| p != position);
        let correlated: Vec<usize> = others.take(MAX_CORRELATED).collect();
        let correlated_more = members.len().saturating_sub(1).saturating_sub(correlated.len());
        let id_first_used_at = match self.reused_ids.binary_search_by_key(&(position as u32), |&(later, _)| later) {
            Ok(at) => Some(self.reused_ids[at].1 as usize),
            Err(_) => None,
        };
        let first = position as u32;
        let reused = self.reused_by_first.partition_point(|&(f, _)| f < first);
        let id_reused = self.reused_by_first[reused..].partition_point(|&(f, _)| f == first);
        Causation {
            position,
            correlation_id: ids.correlation_id.map(Cow::into_owned),
            causation_id: ids.causation_id.map(Cow::into_owned),
            causes,
            chain_end,
            caused,
            caused_more,
            correlated,
            correlated_more,
            id_first_used_at,
            id_reused,
        }
    }

    fn causes_of(&self, log: &Log, position: usize) -> (Vec<usize>, ChainEnd) {
        let mut causes = Vec::new();
        let mut at = position;
        loop {
            match self.cause(at) {
                Ok(None) => return (causes, ChainEnd::Root),
                Err(()) => {
                    let id = log.events().get(at).and_then(|e| causation_ids(e).causation_id);
                    return (causes, ChainEnd::NotInLog(id.map(Cow::into_owned).unwrap_or_default()));
                }
                // Each event has one cause, so a walk up can only come back to where it has been.
                Ok(Some(cause)) if cause == position || causes.contains(&cause) => {
                    return (causes, ChainEnd::Cycle(cause))
                }
                Ok(Some(_)) if causes.len() == MAX_CAUSES => return (causes, ChainEnd::Cut),
                Ok(Some(cause)) => {
                    causes.push(cause);
                    at = cause;
                }
            }
        }
    }

    /// What `position` caused, depth first, at most `MAX_CAUSED`; and how many of its direct
    /// effects are not listed.
    fn caused_by(&self, position: usize) -> (Vec<Caused>, usize) {
        let mut caused: Vec<Caused> = Vec::new();
        // (event, its index in `caused` — None for `position` itself —, its effects listed so far)
        let mut stack: Vec<(usize, Option<usize>, usize)> = vec![(position, None, 0)];
        let mut top_more = 0;
        while let Some(&mut (event, listed_as, ref mut next)) = stack.last_mut() {
            let effects = self.effects(event);
            if *next == effects.len() {
                stack.pop();
                continue;
            }
            if caused.len() == MAX_CAUSED {
                // Full: every event still being walked has effects that will not be listed.
                for &(event, listed_as, next) in &stack {
                    let rest = self.effects(event).len() - next;
                    match listed_as {
                        Some(i) => caused[i].more += rest,
                        None => top_more += rest,
                    }
                }
                break;
            }
            let effect = effects[*next] as usize;
            *next += 1;
            let depth = listed_as.map_or(0, |i| caused[i].depth) + 1;
            // An event has one cause, so the only event a walk down can meet again is the one it
            // started from: the causes are a cycle.
            let cycle = effect == position;
            caused.push(Caused { position: effect, depth, more: 0, cycle });
            if !cycle {
                stack.push((effect, Some(caused.len() - 1), 0));
            }
        }
        (caused, top_more)
    }
}

/// `CausationIndex::build` a slice of events at a time. Holds no borrow of the log between
/// slices; every `step` must be given the log it was made for.
pub struct CausationBuild<IdHash = FxBuildHasher> {
    generation: u64,
    len: usize,
    next: usize,
    /// Each id's first position, keyed by 32 bits of the id's hash (half the table of a 64-bit
    /// key, at a million ids); an id whose key an earlier, different id has goes to
    /// `colliding_ids`. The ids themselves stay in the log.
    ids: FxHashMap<u32, u32>,
    colliding_ids: FxHashMap<Box<str>, u32>,
    parent: Vec<u32>,
    /// Events whose cause had not been seen when they were (causes usually come first, so this
    /// is short), resolved once every id is known.
    pending: Vec<u32>,
    resolved: usize,
    group: Vec<u32>,
    /// Correlation ids by hash → group; their text in `group_names` (`group_ends[g]` is where
    /// group `g`'s ends), to tell a collision from the same id.
    group_ids: FxHashMap<u32, u32>,
    colliding_groups: FxHashMap<Box<str>, u32>,
    group_names: String,
    group_ends: Vec<usize>,
    reused_ids: Vec<(u32, u32)>,
    with_causation: usize,
    with_correlation: usize,
    hash: IdHash,
}

impl CausationBuild<FxBuildHasher> {
    pub fn new(log: &Log) -> CausationBuild {
        CausationBuild::with_hasher(log, FxBuildHasher)
    }
}

impl<IdHash: BuildHasher> CausationBuild<IdHash> {
    fn with_hasher(log: &Log, hash: IdHash) -> CausationBuild<IdHash> {
        // No meta anywhere, no causation ids: the id table would be built for nothing.
        let any_meta = log.events().iter().any(|e| e.meta().is_some());
        CausationBuild {
            generation: log.generation(),
            len: log.len(),
            next: if any_meta { 0 } else { log.len() },
            ids: FxHashMap::default(),
            colliding_ids: FxHashMap::default(),
            parent: Vec::new(),
            pending: Vec::new(),
            resolved: 0,
            group: Vec::new(),
            group_ids: FxHashMap::default(),
            colliding_groups: FxHashMap::default(),
            group_names: String::new(),
            group_ends: Vec::new(),
            reused_ids: Vec::new(),
            with_causation: 0,
            with_correlation: 0,
            hash,
        }
    }

    /// Reads up to `events` more events (or resolves that many causes read before their event);
    /// true once the index can be finished.
    pub fn step(&mut self, log: &Log, events: usize) -> bool {
        debug_assert_eq!(log.generation(), self.generation, "a build steps over the log it was made for");
        if self.len != log.len() {
            return true;
        }
        if self.next == 0 {
            // One table for every id at once, rather than growing by doubling.
            self.ids.reserve(log.events().iter().filter(|e| e.id().is_some()).count());
        }
        let end = self.next.saturating_add(events).min(self.len);
        for position in self.next..end {
            self.read(log, position);
        }
        let mut budget = events - (end - self.next);
        self.next = end;
        while budget > 0 && self.next == self.len && self.resolved < self.pending.len() {
            let position = self.pending[self.resolved] as usize;
            if let Some(cause) = causation_ids(&log.events()[position]).causation_id {
                if let Some(found) = self.find_id(log, &cause) {
                    self.parent[position] = found;
                }
            }
            self.resolved += 1;
            budget -= 1;
        }
        self.is_done()
    }

    fn is_done(&self) -> bool {
        self.next == self.len && self.resolved == self.pending.len()
    }

    /// Events read and causes resolved so far, of `total`.
    pub fn done(&self) -> usize {
        self.next + self.resolved
    }

    /// Events to read plus causes to resolve (known once every event is read).
    pub fn total(&self) -> usize {
        self.len + self.pending.len()
    }

    fn read(&mut self, log: &Log, position: usize) {
        let event = &log.events()[position];
        if let Some(id) = event.id() {
            self.add_id(log, id, position);
        }
        if event.meta().is_none() {
            return;
        }
        let ids = causation_ids(event);
        if let Some(correlation) = ids.correlation_id {
            let group = self.group_of(&correlation);
            if self.group.is_empty() {
                self.group = vec![NO_GROUP; self.len];
            }
            self.group[position] = group;
            self.with_correlation += 1;
        }
        if let Some(cause) = ids.causation_id {
            if self.parent.is_empty() {
                self.parent = vec![NO_CAUSE; self.len];
            }
            // Its own id is in already: an event that names itself is a cycle of one.
            self.parent[position] = match self.find_id(log, &cause) {
                Some(found) => found,
                None => {
                    self.pending.push(position as u32);
                    MISSING
                }
            };
            self.with_causation += 1;
        }
    }

    fn add_id(&mut self, log: &Log, id: &str, position: usize) {
        let position = position as u32;
        let first = match self.ids.entry(key(&self.hash, id)) {
            Entry::Vacant(entry) => {
                entry.insert(position);
                return;
            }
            Entry::Occupied(entry) if log.events()[*entry.get() as usize].id() == Some(id) => *entry.get(),
            Entry::Occupied(_) => match self.colliding_ids.entry(id.into()) {
                Entry::Vacant(entry) => {
                    entry.insert(position);
                    return;
                }
                Entry::Occupied(entry) => *entry.get(),
            },
        };
        // The first event with an id keeps it: causation ids name that one.
        self.reused_ids.push((position, first));
    }

    fn find_id(&self, log: &Log, id: &str) -> Option<u32> {
        let &first = self.ids.get(&key(&self.hash, id))?;
        if log.events()[first as usize].id() == Some(id) {
            return Some(first);
        }
        self.colliding_ids.get(id).copied()
    }

    fn group_of(&mut self, correlation: &str) -> u32 {
        let next = self.group_ends.len() as u32;
        let hash = key(&self.hash, correlation);
        match self.group_ids.get(&hash) {
            None => {
                self.group_ids.insert(hash, next);
            }
            Some(&group) => {
                let start = if group == 0 { 0 } else { self.group_ends[group as usize - 1] };
                if &self.group_names[start..self.group_ends[group as usize]] == correlation {
                    return group;
                }
                match self.colliding_groups.entry(correlation.into()) {
                    Entry::Occupied(entry) => return *entry.get(),
                    Entry::Vacant(entry) => {
                        entry.insert(next);
                    }
                }
            }
        }
        self.group_names.push_str(correlation);
        self.group_ends.push(self.group_names.len());
        next
    }

    /// The index; causes not yet resolved (when `step` was not run to the end) stay "not in
    /// this log".
    pub fn finish(self) -> CausationIndex {
        let len = self.len;
        let mut index = CausationIndex {
            generation: self.generation,
            len,
            with_causation: self.with_causation,
            with_correlation: self.with_correlation,
            ..CausationIndex::default()
        };
        if self.parent.iter().any(|&p| p < MISSING) {
            let parents = self.parent.iter().map(|&p| (p < MISSING).then_some(p));
            (index.child_start, index.children) = grouped(len, parents);
        }
        if !self.group.is_empty() {
            let groups = self.group.iter().map(|&g| (g != NO_GROUP).then_some(g));
            (index.group_start, index.members) = grouped(self.group_ends.len(), groups);
        }
        index.parent = self.parent;
        index.group = self.group;
        let mut by_first: Vec<(u32, u32)> = self.reused_ids.iter().map(|&(later, first)| (first, later)).collect();
        by_first.sort_unstable();
        index.reused_ids = self.reused_ids;
        index.reused_by_first = by_first;
        index
    }
}

/// The table key of an id: the high half of its hash, where a multiplicative hash mixes best.
fn key(hash: &impl BuildHasher, id: &str) -> u32 {
    (hash.hash_one(id) >> 32) as u32
}

/// Positions grouped by a key per position (`None`: in no group), as (starts, members): group
/// `k`'s positions are `members[starts[k]..starts[k + 1]]`, in increasing order. A counting sort:
/// two passes, no per-group allocation.
fn grouped(keys: usize, of: impl Iterator<Item = Option<u32>> + Clone) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; keys + 1];
    for key in of.clone().flatten() {
        starts[key as usize + 1] += 1;
    }
    for k in 0..keys {
        starts[k + 1] += starts[k];
    }
    let mut members = vec![0u32; starts[keys] as usize];
    let mut fill = starts.clone();
    for (position, key) in of.enumerate() {
        if let Some(key) = key {
            members[fill[key as usize] as usize] = position as u32;
            fill[key as usize] += 1;
        }
    }
    (starts, members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::parse_log;

    /// A log of events `(id, causation_id, correlation_id)`, each of type `T{n}`.
    fn log_of(events: &[(&str, Option<&str>, Option<&str>)]) -> Log {
        let events: Vec<String> = events
            .iter()
            .enumerate()
            .map(|(n, (id, causation, correlation))| {
                let mut meta = serde_json::Map::new();
                if let Some(c) = causation {
                    meta.insert("causation_id".into(), (*c).into());
                }
                if let Some(c) = correlation {
                    meta.insert("correlation_id".into(), (*c).into());
                }
                let meta = if meta.is_empty() {
                    String::new()
                } else {
                    format!(r#","meta":{}"#, serde_json::Value::from(meta))
                };
                format!(r#"{{"type":"T{n}","id":"{id}"{meta}}}"#)
            })
            .collect();
        parse_log(&format!("[{}]", events.join(","))).expect("a valid test log")
    }

    fn positions(caused: &[Caused]) -> Vec<(usize, usize)> {
        caused.iter().map(|c| (c.position, c.depth)).collect()
    }

    #[test]
    fn a_chain_is_followed_to_its_root_and_the_tree_down_from_it() {
        // a → b → c, a → d; b → e; x unrelated.
        let log = log_of(&[
            ("a", None, Some("k")),
            ("x", None, None),
            ("b", Some("a"), Some("k")),
            ("c", Some("b"), Some("k")),
            ("d", Some("a"), Some("k")),
            ("e", Some("b"), Some("k")),
        ]);
        let index = CausationIndex::build(&log);
        let c = index.causation(&log, 3);
        assert_eq!((c.causes, c.chain_end), (vec![2, 0], ChainEnd::Root));
        assert_eq!(c.causation_id.as_deref(), Some("b"));
        let root = index.causation(&log, 0);
        assert_eq!(positions(&root.caused), [(2, 1), (3, 2), (5, 2), (4, 1)], "depth first, log order");
        assert_eq!((root.causes, root.chain_end), (vec![], ChainEnd::Root));
        assert_eq!(root.correlated, [2, 3, 4, 5]);
        assert!(index.causation(&log, 1).is_unlinked());
        assert_eq!((index.with_causation(), index.with_correlation()), (4, 5));
    }

    #[test]
    fn a_cause_missing_from_the_log_ends_the_chain_with_its_id() {
        let log = log_of(&[("a", Some("cmd-1"), None), ("b", Some("a"), None), ("c", Some("gone"), None)]);
        let index = CausationIndex::build(&log);
        let b = index.causation(&log, 1);
        assert_eq!((b.causes, b.chain_end), (vec![0], ChainEnd::NotInLog("cmd-1".into())));
        let c = index.causation(&log, 2);
        assert_eq!((c.causes, c.chain_end), (vec![], ChainEnd::NotInLog("gone".into())));
    }

    #[test]
    fn a_cycle_stops_where_it_comes_back_and_says_so() {
        // a ↔ b, and c hangs off the cycle.
        let log = log_of(&[("a", Some("b"), None), ("b", Some("a"), None), ("c", Some("b"), None)]);
        let index = CausationIndex::build(&log);
        let a = index.causation(&log, 0);
        assert_eq!((a.causes, a.chain_end), (vec![1], ChainEnd::Cycle(0)));
        assert_eq!(
            a.caused,
            [
                Caused { position: 1, depth: 1, more: 0, cycle: false },
                Caused { position: 0, depth: 2, more: 0, cycle: true },
                Caused { position: 2, depth: 2, more: 0, cycle: false },
            ]
        );
        let c = index.causation(&log, 2);
        assert_eq!((c.causes, c.chain_end), (vec![1, 0], ChainEnd::Cycle(1)));
        let alone = log_of(&[("s", Some("s"), None)]);
        let index = CausationIndex::build(&alone);
        let s = index.causation(&alone, 0);
        assert_eq!((s.causes, s.chain_end), (vec![], ChainEnd::Cycle(0)), "an event that names itself");
        assert_eq!(s.caused, [Caused { position: 0, depth: 1, more: 0, cycle: true }]);
    }

    #[test]
    fn a_reused_id_resolves_to_its_first_event_and_both_are_noted() {
        let log = log_of(&[("a", None, None), ("a", None, None), ("b", Some("a"), None), ("a", None, None)]);
        let index = CausationIndex::build(&log);
        let b = index.causation(&log, 2);
        assert_eq!(b.causes, [0], "the first event with the id wins");
        let first = index.causation(&log, 0);
        assert_eq!((first.id_first_used_at, first.id_reused), (None, 2));
        assert_eq!(positions(&first.caused), [(2, 1)]);
        let again = index.causation(&log, 3);
        assert_eq!((again.id_first_used_at, again.id_reused), (Some(0), 0));
        assert!(again.caused.is_empty() && !again.is_unlinked());
    }

    #[test]
    fn events_sharing_a_correlation_id_are_listed_without_the_event_itself() {
        let log = log_of(&[
            ("a", None, Some("order-1")),
            ("b", None, Some("order-2")),
            ("c", None, Some("order-1")),
            ("d", None, Some("order-1")),
        ]);
        let index = CausationIndex::build(&log);
        let c = index.causation(&log, 2);
        assert_eq!((c.correlated, c.correlated_more), (vec![0, 3], 0));
        assert_eq!(c.correlation_id.as_deref(), Some("order-1"));
        assert_eq!(index.causation(&log, 1).correlated, Vec::<usize>::new());
    }

    #[test]
    fn a_cause_recorded_after_its_effect_is_still_found() {
        let log = log_of(&[("b", Some("a"), None), ("a", None, None)]);
        let index = CausationIndex::build(&log);
        assert_eq!(index.causation(&log, 0).causes, [1]);
        assert_eq!(positions(&index.causation(&log, 1).caused), [(0, 1)]);
    }

    #[test]
    fn a_huge_fan_out_lists_the_first_ones_and_counts_the_rest() {
        let ids: Vec<String> = (0..5_000).map(|n| format!("e{n}")).collect();
        let mut events = vec![("root", None, Some("k"))];
        events.extend(ids.iter().map(|id| (id.as_str(), Some("root"), Some("k"))));
        let log = log_of(&events);
        let index = CausationIndex::build(&log);
        let root = index.causation(&log, 0);
        assert_eq!(root.caused.len(), MAX_CAUSED);
        assert_eq!(root.caused_more, 5_000 - MAX_CAUSED);
        assert_eq!((root.correlated.len(), root.correlated_more), (MAX_CORRELATED, 5_000 - MAX_CORRELATED));
        // Deeper: the cap falls inside a subtree, whose unlisted effects are counted on it.
        let mut deep = vec![("root", None, None), ("mid", Some("root"), None)];
        deep.extend(ids.iter().map(|id| (id.as_str(), Some("mid"), None)));
        deep.push(("late", Some("root"), None));
        let log = log_of(&deep);
        let root = CausationIndex::build(&log).causation(&log, 0);
        assert_eq!(root.caused.len(), MAX_CAUSED);
        assert_eq!(root.caused[0].more, 5_000 - (MAX_CAUSED - 1), "mid's unlisted effects");
        assert_eq!(root.caused_more, 1, "late is not listed");
    }

    #[test]
    fn a_long_chain_is_cut_after_the_first_causes() {
        let ids: Vec<String> = (0..200).map(|n| format!("e{n}")).collect();
        let causes: Vec<Option<&str>> =
            std::iter::once(None).chain(ids.iter().map(|id| Some(id.as_str()))).take(200).collect();
        let events: Vec<_> = ids.iter().zip(causes).map(|(id, cause)| (id.as_str(), cause, None)).collect();
        let log = log_of(&events);
        let last = CausationIndex::build(&log).causation(&log, 199);
        assert_eq!(last.causes.len(), MAX_CAUSES);
        assert_eq!(last.causes[..2], [198, 197]);
        assert_eq!(last.chain_end, ChainEnd::Cut);
    }

    #[test]
    fn numbers_escapes_and_odd_values_are_read_as_ids_or_ignored() {
        let log = parse_log(
            r#"[
                {"type":"A","id":7},
                {"type":"B","id":"b","meta":{"causation_id":7,"correlation_id":"c\u002d1"}},
                {"type":"C","meta":{"causation_id":null,"correlation_id":{"x":1}}},
                {"type":"D","meta":{"causation_id":"  "}},
                {"type":"E","meta":{"causation_id":"b","causation_id":"b"}}
            ]"#,
        )
        .unwrap();
        let index = CausationIndex::build(&log);
        let b = index.causation(&log, 1);
        assert_eq!((b.causes, b.correlation_id.as_deref()), (vec![0], Some("c-1")));
        assert!(index.causation(&log, 2).is_unlinked());
        assert!(index.causation(&log, 3).is_unlinked());
        assert!(index.causation(&log, 4).is_unlinked(), "a meta that repeats a key links nothing");
    }

    #[test]
    fn a_log_without_meta_builds_an_empty_index_at_once() {
        let log = parse_log(r#"[{"type":"A","id":"a"},{"type":"B","id":"b"}]"#).unwrap();
        let build = CausationBuild::new(&log);
        assert_eq!(build.done(), build.total());
        let index = build.finish();
        assert_eq!((index.with_causation(), index.heap_bytes()), (0, 0));
        assert!(index.causation(&log, 1).is_unlinked());
        assert!(index.is_for(&log));
    }

    #[test]
    fn built_in_slices_it_is_the_index_built_at_once() {
        let mut events: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        for n in 0..300usize {
            // Causes before and after their effects, some missing, correlation by tens.
            let cause = match n % 7 {
                0 => None,
                1 => Some(format!("e{}", n + 5)),
                2 => Some(format!("gone{n}")),
                _ => Some(format!("e{}", n / 2)),
            };
            events.push((format!("e{}", n % 250), cause, Some(format!("k{}", n / 10))));
        }
        let borrowed: Vec<_> = events.iter().map(|(a, b, c)| (a.as_str(), b.as_deref(), c.as_deref())).collect();
        let log = log_of(&borrowed);
        let whole = CausationIndex::build(&log);
        let mut build = CausationBuild::new(&log);
        while !build.step(&log, 7) {}
        let sliced = build.finish();
        for position in 0..log.len() {
            assert_eq!(sliced.causation(&log, position), whole.causation(&log, position), "at {position}");
        }
    }

    #[test]
    fn ids_whose_hashes_collide_are_still_told_apart() {
        #[derive(Default)]
        struct OneHash;
        impl BuildHasher for OneHash {
            type Hasher = Constant;
            fn build_hasher(&self) -> Constant {
                Constant
            }
        }
        struct Constant;
        impl std::hash::Hasher for Constant {
            fn finish(&self) -> u64 {
                1
            }
            fn write(&mut self, _: &[u8]) {}
        }
        let log = log_of(&[
            ("a", None, Some("k1")),
            ("b", None, Some("k2")),
            ("c", Some("b"), Some("k1")),
            ("d", Some("a"), Some("k2")),
            ("b", Some("zz"), None),
        ]);
        let mut build = CausationBuild::with_hasher(&log, OneHash);
        build.step(&log, usize::MAX);
        let index = build.finish();
        assert_eq!(index.causation(&log, 2).causes, [1]);
        assert_eq!(index.causation(&log, 3).causes, [0]);
        assert_eq!(index.causation(&log, 2).correlated, [0]);
        assert_eq!(index.causation(&log, 3).correlated, [1]);
        assert_eq!(index.causation(&log, 4).id_first_used_at, Some(1));
        assert_eq!(index.causation(&log, 4).chain_end, ChainEnd::NotInLog("zz".into()));
    }

    #[test]
    fn positions_map_to_the_timeline() {
        let log = log_of(&[("a", None, Some("k")), ("b", Some("a"), Some("k"))]);
        let b = CausationIndex::build(&log).causation(&log, 1).map_positions(|p| 10 + p);
        assert_eq!((b.position, b.causes, b.correlated), (11, vec![10], vec![10]));
    }
}
