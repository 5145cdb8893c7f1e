//! A loaded log with its chosen domain and timeline: what the UI holds and asks questions of.
use crate::correction::{
    build_correction, check_correction, correcting, is_correction, resolve_reference, reversal, CorrectionDraft,
    FieldError,
};
use crate::domain::{choose_domain, Domain, DomainChoice};
use crate::event::{Event, Sym};
use crate::fields::Fields;
use crate::formats::{refuse_empty, LoadError, LoadOptions, LogReader, Mapping};
use crate::inspect::{self, Change, IntegrityCheck, IntegrityWarning, Point};
use crate::log::{Log, LogFormat, ReducerScript, Unreadable};
use crate::plan::{Plan, TimelineOrder};
use crate::timeline::{build_timeline, Problem, Replay, ReplayBuild, StateView, StreamWalk, Walk};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub struct Session {
    /// What the person loaded: a sample's name or "pasted log".
    source: String,
    /// Shared, so changing a view setting never copies the log.
    log: Arc<Log>,
    choice: DomainChoice,
    /// How many events the log had when loaded: later ones were appended in this session and may
    /// be withdrawn again.
    loaded_len: usize,
    /// Integrity warnings (seq gaps, duplicate ids, time going backwards), by log position.
    integrity: Arc<[IntegrityWarning]>,
    order: TimelineOrder,
    /// Log positions replayed as if missing.
    skipped: BTreeSet<usize>,
    timeline: Arc<dyn Replay>,
    /// Which session this is: every session made (a load, a view, an append) has its own.
    revision: u64,
    /// True once the person chose the domain (`with_domain`) rather than Rewind.
    domain_chosen: bool,
}

/// A fresh revision: no two sessions in this process share one.
fn next_revision() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A session's log being replayed again by another domain, a slice of events at a time.
pub struct SessionReplay {
    /// The session as it will be, but its timeline.
    source: String,
    log: Arc<Log>,
    choice: DomainChoice,
    loaded_len: usize,
    integrity: Arc<[IntegrityWarning]>,
    order: TimelineOrder,
    skipped: BTreeSet<usize>,
    build: Box<dyn ReplayBuild>,
}

impl SessionReplay {
    /// Replays about `events` more events; true once all are.
    pub fn step(&mut self, events: usize) -> bool {
        self.build.step(&self.log, events)
    }

    /// Events replayed so far, of `total`.
    pub fn replayed(&self) -> usize {
        self.build.replayed()
    }

    pub fn total(&self) -> usize {
        self.log.len()
    }

    /// The session, replaying whatever is left first.
    pub fn finish(mut self) -> Session {
        while !self.step(usize::MAX) {}
        Session {
            source: self.source,
            log: self.log,
            choice: self.choice,
            loaded_len: self.loaded_len,
            integrity: self.integrity,
            order: self.order,
            skipped: self.skipped,
            timeline: Arc::from(self.build.finish()),
            revision: next_revision(),
            domain_chosen: true,
        }
    }
}

/// What a chart follows: one stream, or a projection by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChartSource {
    Stream(Sym),
    Projection(String),
}

/// A log being loaded a slice of events at a time: read, then replayed once (keeping the
/// snapshots), then checked for integrity. Between two `step`s the caller may paint, take input,
/// or drop the load.
pub struct SessionLoad<'t> {
    source: String,
    stage: Stage<'t>,
    /// Picks the domain once the log is read; `None`, or a pick that declines, leaves it to Rewind.
    pick_domain: Option<DomainPick<'t>>,
    domain_chosen: bool,
}

/// See `SessionLoad::with_domain_from`.
type DomainPick<'t> = Box<dyn FnOnce(&Log) -> Option<DomainChoice> + 't>;

/// `Reading` is boxed: the reader is far larger than the other stages, and the stage moves on every `step`.
enum Stage<'t> {
    Reading(Box<LogReader<'t>>),
    Replaying { log: Arc<Log>, choice: DomainChoice, build: Box<dyn ReplayBuild> },
    Checking { log: Arc<Log>, choice: DomainChoice, timeline: Box<dyn Replay>, check: IntegrityCheck },
    Spent,
}

/// How far a load has got, for a progress bar.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LoadProgress {
    Reading { bytes: usize, total_bytes: usize, events: usize },
    Replaying { events: usize, total: usize },
    Checking { events: usize, total: usize },
}

impl<'t> SessionLoad<'t> {
    /// Given `text` to own (a `String`), the load drops it as soon as it is read.
    pub fn new(source: impl Into<String>, text: impl Into<Cow<'t, str>>) -> Result<SessionLoad<'t>, LoadError> {
        SessionLoad::with_options(source, text, LoadOptions::default())
    }

    /// A load read as `options` say (strict, or with a field mapping).
    pub fn with_options(
        source: impl Into<String>,
        text: impl Into<Cow<'t, str>>,
        options: LoadOptions,
    ) -> Result<SessionLoad<'t>, LoadError> {
        let reader = LogReader::with_options(text, options)?;
        Ok(SessionLoad {
            source: source.into(),
            stage: Stage::Reading(Box::new(reader)),
            pick_domain: None,
            domain_chosen: false,
        })
    }

    /// The domain `pick` returns for the read log replays it, as if the person had chosen it (the
    /// reducer script a log carries, say), so the log is replayed once; when `pick` returns
    /// `None`, Rewind chooses as usual.
    pub fn with_domain_from(mut self, pick: impl FnOnce(&Log) -> Option<DomainChoice> + 't) -> SessionLoad<'t> {
        self.pick_domain = Some(Box::new(pick));
        self
    }

    /// Does about `events` events' worth of work; the session (or why there is none) once done,
    /// and `None` after that.
    pub fn step(&mut self, events: usize) -> Option<Result<Session, LoadError>> {
        match std::mem::replace(&mut self.stage, Stage::Spent) {
            Stage::Reading(mut reader) => {
                if !reader.step(events) {
                    self.stage = Stage::Reading(reader);
                    return None;
                }
                let log = match reader.finish().and_then(refuse_empty) {
                    Ok(log) => Arc::new(log),
                    Err(error) => return Some(Err(error)),
                };
                let picked = self.pick_domain.take().and_then(|pick| pick(&log));
                self.domain_chosen = picked.is_some();
                let choice = picked.unwrap_or_else(|| choose_domain(&log));
                let plan = Plan::new(&log, TimelineOrder::default(), []);
                let build =
                    choice.domain.replay(&log, plan, choice.domain.snapshot_interval(log.len(), log.streams().len()));
                self.stage = Stage::Replaying { log, choice, build };
            }
            Stage::Replaying { log, choice, mut build } => {
                self.stage = if build.step(&log, events) {
                    Stage::Checking { log, choice, timeline: build.finish(), check: IntegrityCheck::default() }
                } else {
                    Stage::Replaying { log, choice, build }
                };
            }
            Stage::Checking { log, choice, timeline, mut check } => {
                if !check.step(&log, events) {
                    self.stage = Stage::Checking { log, choice, timeline, check };
                    return None;
                }
                // Built here, in the load's slices, rather than by the first look at a stream's
                // state (12 ms at 1M events, in the first render).
                if let Some(first) = log.events().first() {
                    let _ = log.stream_position_list(first.stream);
                }
                let loaded_len = log.len();
                return Some(Ok(Session {
                    source: std::mem::take(&mut self.source),
                    log,
                    choice,
                    loaded_len,
                    integrity: check.finish().into(),
                    order: TimelineOrder::default(),
                    skipped: BTreeSet::new(),
                    timeline: Arc::from(timeline),
                    revision: next_revision(),
                    domain_chosen: self.domain_chosen,
                }));
            }
            Stage::Spent => {}
        }
        None
    }

    pub fn progress(&self) -> LoadProgress {
        match &self.stage {
            Stage::Reading(reader) => LoadProgress::Reading {
                bytes: reader.bytes_read(),
                total_bytes: reader.total_bytes(),
                events: reader.events_read(),
            },
            Stage::Replaying { log, build, .. } => {
                LoadProgress::Replaying { events: build.replayed(), total: log.len() }
            }
            Stage::Checking { log, check, .. } => LoadProgress::Checking { events: check.checked(), total: log.len() },
            // The session is handed over: nothing left to count.
            Stage::Spent => LoadProgress::Checking { events: 0, total: 0 },
        }
    }

    /// The session, doing whatever is left in one go (on a load `step` has not finished).
    pub fn finish(mut self) -> Result<Session, LoadError> {
        while !matches!(self.stage, Stage::Spent) {
            if let Some(result) = self.step(usize::MAX) {
                return result;
            }
        }
        unreachable!("finish is called on a load whose session was not yet handed over")
    }
}

impl Session {
    /// Loads `text` in one call; `SessionLoad` does the same a slice at a time.
    pub fn load(source: impl Into<String>, text: &str) -> Result<Session, LoadError> {
        SessionLoad::new(source, text)?.finish()
    }

    /// Loads `text` in one call as `options` say.
    pub fn load_with(source: impl Into<String>, text: &str, options: LoadOptions) -> Result<Session, LoadError> {
        SessionLoad::with_options(source, text, options)?.finish()
    }

    /// The same log replayed by another domain (the person's choice), everything else kept.
    /// A reducer script the log carried is dropped: the chosen domain replaces it.
    pub fn with_domain(&self, choice: DomainChoice) -> Session {
        let log = match self.log.reducer() {
            Some(_) => Arc::new(self.log.with_reducer(None)),
            None => Arc::clone(&self.log),
        };
        self.replay_with(log, choice).finish()
    }

    /// The same events carrying `script` (exported and saved with them), replayed by `domain`, the
    /// script compiled: the person's reducer.
    pub fn with_reducer(&self, script: ReducerScript, domain: Arc<dyn Domain>) -> Session {
        self.start_reducer(script, domain).finish()
    }

    /// `with_reducer` a slice of events at a time: a script replays a large log for a while.
    pub fn start_reducer(&self, script: ReducerScript, domain: Arc<dyn Domain>) -> SessionReplay {
        let log = Arc::new(self.log.with_reducer(Some(script)));
        self.replay_with(log, DomainChoice::script(domain))
    }

    /// `log` (the same events as this session's) replayed by `choice`, every view setting kept.
    fn replay_with(&self, log: Arc<Log>, choice: DomainChoice) -> SessionReplay {
        let plan = Plan::new(&log, self.order, self.skipped.iter().copied());
        // The default interval follows the domain; one the person set stays.
        let streams = log.streams().len();
        let interval = match self.snapshot_interval() == self.choice.domain.snapshot_interval(log.len(), streams) {
            true => choice.domain.snapshot_interval(log.len(), streams),
            false => self.snapshot_interval(),
        };
        let build = choice.domain.replay(&log, plan, interval);
        SessionReplay {
            source: self.source.clone(),
            log,
            choice,
            loaded_len: self.loaded_len,
            // The same events: the same warnings.
            integrity: Arc::clone(&self.integrity),
            order: self.order,
            skipped: self.skipped.clone(),
            build,
        }
    }

    /// True when the person chose the domain; false when Rewind did (see `choice`).
    pub fn domain_chosen(&self) -> bool {
        self.domain_chosen
    }

    /// The domain an export declares, so the log opens again as the person sees it now: a
    /// registered domain they chose, else whatever the log declared. (A reducer script travels in
    /// the log itself.)
    pub fn domain_to_declare(&self) -> Option<&str> {
        let registered = crate::domain::find(self.domain().name()).is_some();
        match self.domain_chosen && registered && self.log.reducer().is_none() {
            true => Some(self.domain().name()),
            false => self.log.declared_domain(),
        }
    }

    /// The log as Rewind JSON, declaring `domain_to_declare`.
    pub fn to_rewind_json(&self) -> String {
        crate::formats::to_rewind_json_declaring(&self.log, self.domain_to_declare())
    }

    /// The same log and settings with one thing changed; the integrity warnings carry over when
    /// the log is the same.
    fn rebuilt(&self, log: Arc<Log>, order: TimelineOrder, skipped: BTreeSet<usize>, interval: usize) -> Session {
        let same_log = log.generation() == self.log.generation();
        let plan = Plan::new(&log, order, skipped.iter().copied());
        let timeline = build_timeline(&*self.choice.domain, &log, plan, interval);
        let integrity = if same_log { Arc::clone(&self.integrity) } else { inspect::check(&log).into() };
        Session {
            source: self.source.clone(),
            log,
            choice: self.choice.clone(),
            loaded_len: self.loaded_len,
            integrity,
            order,
            skipped,
            timeline: Arc::from(timeline),
            revision: next_revision(),
            domain_chosen: self.domain_chosen,
        }
    }

    /// The same log with every view setting at once: one replay instead of one per setting.
    pub fn with_view(
        &self,
        order: TimelineOrder,
        skipped: impl IntoIterator<Item = usize>,
        interval: usize,
    ) -> Session {
        let skipped = skipped.into_iter().filter(|&p| p < self.log.len()).collect();
        self.rebuilt(Arc::clone(&self.log), order, skipped, interval)
    }

    /// Marks the last `count` events as appended in this session (so they can be withdrawn), as
    /// when a saved session comes back after a reload. Only a trailing run of corrections can be
    /// marked: loaded events stay loaded.
    pub fn with_appended(mut self, count: usize) -> Session {
        let trailing_corrections = self.log.events().iter().rev().take_while(|e| is_correction(e)).count();
        self.loaded_len = self.log.len() - count.min(trailing_corrections);
        self.revision = next_revision();
        self
    }

    /// The same log replayed with snapshots every `interval` events (0: no snapshots).
    pub fn with_snapshot_interval(&self, interval: usize) -> Session {
        self.rebuilt(Arc::clone(&self.log), self.order, self.skipped.clone(), interval)
    }

    /// Replays as if the event at `log_position` were missing (or not, with `skip = false`).
    pub fn with_skip(&self, log_position: usize, skip: bool) -> Session {
        let mut skipped = self.skipped.clone();
        if skip {
            skipped.insert(log_position);
        } else {
            skipped.remove(&log_position);
        }
        self.rebuilt(Arc::clone(&self.log), self.order, skipped, self.snapshot_interval())
    }

    pub fn without_skips(&self) -> Session {
        self.rebuilt(Arc::clone(&self.log), self.order, BTreeSet::new(), self.snapshot_interval())
    }

    pub fn with_order(&self, order: TimelineOrder) -> Session {
        self.rebuilt(Arc::clone(&self.log), order, self.skipped.clone(), self.snapshot_interval())
    }

    /// Appends a correction built from `draft`, recorded at `recorded_at` (the caller's clock).
    /// The log's earlier events are untouched: the new log shares nothing mutable with the old.
    pub fn with_correction(&self, draft: &CorrectionDraft, recorded_at: &str) -> Result<Session, Vec<FieldError>> {
        let mut log = Log::clone(&self.log);
        let event = build_correction(&mut log, &*self.choice.domain, draft, recorded_at)?;
        log.append(event);
        Ok(self.rebuilt(Arc::new(log), self.order, self.skipped.clone(), self.snapshot_interval()))
    }

    /// Withdraws a correction appended in this session. Events that came with the log cannot be
    /// withdrawn: the log is append-only.
    pub fn without_appended(&self, log_position: usize) -> Result<Session, String> {
        if log_position < self.loaded_len || log_position >= self.log.len() {
            return Err("Only a correction added in this session can be withdrawn".into());
        }
        let log = self.log.without_event(log_position);
        let skipped = self
            .skipped
            .iter()
            .filter(|&&p| p != log_position)
            .map(|&p| if p > log_position { p - 1 } else { p })
            .collect();
        Ok(self.rebuilt(Arc::new(log), self.order, skipped, self.snapshot_interval()))
    }

    /// The log as loaded plus this session's corrections, replayed with no corrections and no
    /// skips, in the same order: what the state would be had nothing been fixed.
    pub fn original(&self) -> Session {
        let corrections = self.log.correction_positions().iter().map(|&p| p as usize);
        self.rebuilt(Arc::clone(&self.log), self.order, corrections.collect(), self.snapshot_interval())
    }

    /// What the person loaded: a sample's name, a file's name, "pasted log".
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The log as loaded plus this session's corrections.
    pub fn log(&self) -> &Arc<Log> {
        &self.log
    }

    /// The domain replaying the log.
    pub fn domain(&self) -> &dyn Domain {
        &*self.choice.domain
    }

    /// The domain and why it was chosen.
    pub fn choice(&self) -> &DomainChoice {
        &self.choice
    }

    /// Which session this is: two sessions with the same revision are the same session (a view
    /// changed, a load or an append makes a new one).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Which log this session shows: a new number after a load, an append or a withdrawal, the
    /// same for a view of the same log (skips, order, snapshots).
    pub fn generation(&self) -> u64 {
        self.log.generation()
    }

    /// The interned stream called `name`, if the log has one.
    pub fn stream(&self, name: &str) -> Option<Sym> {
        self.log.streams().get(name)
    }

    /// A stream's name.
    pub fn stream_name(&self, stream: Sym) -> &str {
        self.log.stream_name(stream)
    }

    /// An event's type name.
    pub fn type_name(&self, event: &Event) -> &str {
        self.log.type_name(event)
    }

    /// The events that could not be read, each holding its place (by log position).
    pub fn unreadable(&self) -> &[Unreadable] {
        self.log.unreadable()
    }

    /// What reading found, in one line: "7 events read; 1 could not be read: line 7".
    pub fn read_summary(&self) -> String {
        let read = self.log.len() - self.log.unreadable().len();
        let events = |n: usize| if n == 1 { "1 event".to_string() } else { format!("{n} events") };
        match self.log.unreadable() {
            [] => format!("{} read", events(read)),
            unreadable => {
                const NAMED: usize = 5;
                let mut places: Vec<String> = unreadable
                    .iter()
                    .take(NAMED)
                    .map(|u| match u.error.line {
                        Some(line) => format!("line {line}"),
                        None => format!("event {}", u.position + 1),
                    })
                    .collect();
                if unreadable.len() > NAMED {
                    places.push(format!("{} more", unreadable.len() - NAMED));
                }
                format!("{} read; {} could not be read: {}", events(read), unreadable.len(), places.join(", "))
            }
        }
    }

    /// The field mapping the log was read with, and whether Rewind guessed it.
    pub fn mapping(&self) -> Option<(&Mapping, bool)> {
        self.log.mapping()
    }

    /// The field paths the log's first events have, for choosing a mapping.
    pub fn field_paths(&self) -> &[String] {
        self.log.field_paths()
    }

    /// The state before the first event, when the log carries one (a Redux DevTools export).
    pub fn initial_state(&self) -> Option<Value> {
        serde_json::from_str(self.log.initial_state()?.get()).ok()
    }

    /// The name of the stream an event belongs to.
    pub fn stream_of(&self, event: &Event) -> &str {
        self.log.stream_name(event.stream)
    }

    /// Streams that have at least one event, in order of first appearance.
    pub fn active_streams(&self) -> impl Iterator<Item = (Sym, &str)> + '_ {
        self.log.active_streams()
    }

    /// The first `limit` streams (with at least one event, in order of first appearance) whose
    /// names contain `query` in any case, and how many match in all: a picker over 200,000
    /// streams shows a few and says how many more there are. An empty query matches every stream.
    pub fn find_streams(&self, query: &str, limit: usize) -> StreamMatches<'_> {
        let needle = query.to_lowercase();
        let mut found = StreamMatches { names: Vec::with_capacity(limit.min(1_024)), total: 0 };
        for (_, name) in self.active_streams() {
            if contains_any_case(name, &needle) {
                if found.names.len() < limit {
                    found.names.push(name);
                }
                found.total += 1;
            }
        }
        found
    }

    /// Every event type name in the log, in order of first appearance.
    /// The interned event type called `name`, if the log has one.
    pub fn type_sym(&self, name: &str) -> Option<Sym> {
        self.log.types().get(name)
    }

    pub fn type_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.log.types().iter().map(|(_, name)| name)
    }

    /// How the log was written.
    pub fn format(&self) -> LogFormat {
        self.log.format()
    }

    /// The event at `log_position` (the log's own order), if there is one.
    pub fn log_event(&self, log_position: usize) -> Option<&Event> {
        self.log.events().get(log_position)
    }

    /// The corrections in the log (appended here or loaded), with their log positions.
    pub fn corrections(&self) -> impl Iterator<Item = (usize, &Event)> + '_ {
        let events = self.log.events();
        self.log.correction_positions().iter().map(move |&p| (p as usize, &events[p as usize]))
    }

    /// True when the log has a correction in it.
    pub fn has_corrections(&self) -> bool {
        !self.log.correction_positions().is_empty()
    }

    /// The log position of the event a reference names: its id, or `#N`.
    pub fn resolve_reference(&self, reference: &str) -> Option<usize> {
        resolve_reference(&self.log, reference)
    }

    /// How many of `stream`'s events are applied at timeline `position` (skipped ones count: they
    /// are in the timeline, replayed as if missing).
    pub fn stream_events_before(&self, stream: Sym, position: usize) -> usize {
        self.log.stream_positions(stream).filter(|&p| self.timeline_position(p) < position).count()
    }

    /// A draft correcting the event at `log_position`, for the form.
    pub fn correcting(&self, log_position: usize) -> CorrectionDraft {
        correcting(&self.log, log_position)
    }

    /// The compensating event for the event at `log_position`, ready for the form.
    pub fn reversal(&self, log_position: usize) -> Result<CorrectionDraft, String> {
        reversal(&self.log, self.domain(), log_position)
    }

    /// Every reason `draft` cannot be appended now (`recorded_at` is the caller's clock).
    pub fn check_correction(&self, draft: &CorrectionDraft, recorded_at: &str) -> Vec<FieldError> {
        check_correction(&self.log, self.domain(), draft, recorded_at)
    }

    pub fn order(&self) -> TimelineOrder {
        self.order
    }

    pub fn skipped(&self) -> &BTreeSet<usize> {
        &self.skipped
    }

    pub fn is_skipped(&self, log_position: usize) -> bool {
        self.skipped.contains(&log_position)
    }

    /// True for events appended in this session (and so withdrawable).
    pub fn is_appended_here(&self, log_position: usize) -> bool {
        log_position >= self.loaded_len
    }

    /// The event at timeline `position` (0-based), and its log position.
    pub fn event(&self, position: usize) -> (usize, &Event) {
        let log_position = self.timeline.plan().log_position(position);
        (log_position, &self.log.events()[log_position])
    }

    /// The timeline position (0-based) at which the event at `log_position` is replayed.
    pub fn timeline_position(&self, log_position: usize) -> usize {
        self.timeline.plan().timeline_position(log_position)
    }

    pub fn len(&self) -> usize {
        self.log.len()
    }

    pub fn is_empty(&self) -> bool {
        self.log.is_empty()
    }

    /// Events between snapshots; 0 when snapshots are off.
    pub fn snapshot_interval(&self) -> usize {
        self.timeline.interval()
    }

    /// Snapshots kept, counting the empty state at position 0.
    pub fn snapshot_count(&self) -> usize {
        self.timeline.snapshot_count()
    }

    /// The state after the first `position` events, and how many events the seek replayed.
    pub fn state_at(&self, position: usize) -> (Value, usize) {
        self.timeline.seek_json(&self.log, position)
    }

    /// The state after the first `position` events, held as the timeline holds it: a screen asks
    /// it for the streams it shows (`StateView::names`, `get`), so moving the cursor costs a seek
    /// and those streams, never every stream.
    pub fn state_view(&self, position: usize) -> StateView {
        StateView::new(Arc::clone(&self.timeline), Arc::clone(&self.log), position)
    }

    /// The streams whose state can differ between positions `a` and `b`: those with an event
    /// between them. Proportional to the distance, not to the log's streams.
    pub fn streams_between(&self, a: usize, b: usize) -> BTreeSet<Sym> {
        let (from, to) = (a.min(b).min(self.len()), a.max(b).min(self.len()));
        (from..to).map(|p| self.event(p).1.stream).collect()
    }

    /// The streams where this view and `original()` can differ: those of the events one of them
    /// skips (the person's skips, the corrections).
    pub fn streams_fixed(&self) -> BTreeSet<Sym> {
        let events = self.log.events();
        let corrections = self.log.correction_positions().iter().map(|&p| &events[p as usize]);
        let skipped = self.skipped().iter().filter_map(|&p| events.get(p));
        corrections.chain(skipped).map(|e| e.stream).collect()
    }

    /// Seeks to `position` without building the JSON view; returns the events replayed.
    pub fn seek_only(&self, position: usize) -> usize {
        self.timeline.seek_only(&self.log, position)
    }

    /// A walk forward from `start` events applied: each event in timeline order with its stream's
    /// state right after it, a slice at a time (`Walk::step`), for questions asked at every
    /// position. One seek to `start`, then one event applied per position.
    pub fn walk(&self, start: usize) -> Box<dyn Walk + '_> {
        self.timeline.walk(&self.log, start)
    }

    /// One stream's states event by event, folded only as far as asked: two logs compared walk
    /// each stream once (see `compare`).
    pub fn stream_walk(&self, stream: Sym) -> Box<dyn StreamWalk + '_> {
        self.timeline.stream_walk(&self.log, stream)
    }

    /// The state of one stream right after each of its events before `position`.
    pub fn stream_history(&self, stream: Sym, position: usize) -> Vec<(usize, Value)> {
        self.timeline.stream_history(&self.log, stream, position)
    }

    /// One stream's state after `position` events (`null` before its first event).
    pub fn stream_state_at(&self, stream: Sym, position: usize) -> Value {
        self.timeline.stream_json_at(&self.log, stream, position)
    }

    /// What the event at timeline `position` (0-based) changed, paths starting with its stream's
    /// name. Only that stream can change: reducers see one stream at a time.
    pub fn event_changes(&self, position: usize) -> Vec<Change> {
        if position >= self.len() {
            return Vec::new();
        }
        let (_, event) = self.event(position);
        let name = self.log.stream_name(event.stream).to_string();
        let wrap = |value: Value| match value {
            Value::Null => serde_json::json!({}),
            value => serde_json::json!({ name.clone(): value }),
        };
        let before = wrap(self.stream_state_at(event.stream, position));
        let after = wrap(self.stream_state_at(event.stream, position + 1));
        inspect::diff(&before, &after)
    }

    /// For each field of `stream`'s state after `position` events, the position of the event
    /// that last set it.
    pub fn blame(&self, stream: Sym, position: usize) -> Vec<(Vec<String>, usize)> {
        inspect::blame(&self.stream_history(stream, position))
    }

    /// The causation index of this session's log, a slice of events at a time (`step` it with
    /// `log()`); built once per log — every view of the same log can use it.
    pub fn causation_build(&self) -> inspect::CausationBuild {
        inspect::CausationBuild::new(&self.log)
    }

    /// The causes, effects and correlated events of the event at timeline `position` (0-based),
    /// in timeline positions; `None` when there is no such event or `index` is another log's.
    pub fn causation(&self, index: &inspect::CausationIndex, position: usize) -> Option<inspect::Causation> {
        if position >= self.len() || !index.is_for(&self.log) {
            return None;
        }
        let (log_position, _) = self.event(position);
        Some(index.causation(&self.log, log_position).map_positions(|p| self.timeline_position(p)))
    }

    /// The views the domain keeps over the whole log beside the streams (a script's
    /// projections), by name; shown in the state as `projection:NAME`.
    pub fn projection_names(&self) -> &[String] {
        self.timeline.projection_names()
    }

    /// Numeric fields of `source` over the whole log, for the chart.
    pub fn numeric_paths(&self, source: &ChartSource) -> Vec<Vec<String>> {
        inspect::numeric_paths(&self.history(source))
    }

    /// The value at `path` over the whole log: right after each event of a stream; after each
    /// event of a projection (on a long log, after every snapshot interval).
    pub fn series(&self, source: &ChartSource, path: &[String]) -> Vec<Point> {
        inspect::series(&self.history(source), path)
    }

    fn history(&self, source: &ChartSource) -> Vec<(usize, Value)> {
        match source {
            ChartSource::Stream(stream) => self.stream_history(*stream, self.len()),
            ChartSource::Projection(name) => self.timeline.projection_history(&self.log, name),
        }
    }

    /// Integrity warnings, positioned by log position (see `timeline_position`).
    pub fn integrity(&self) -> &[IntegrityWarning] {
        &self.integrity
    }

    /// How long after the event at timeline `position - 1` the one at `position` was recorded;
    /// `None` when either has no `recorded_at`. Negative gaps (clock skew) count as zero.
    pub fn recorded_gap(&self, position: usize) -> Option<Duration> {
        let at = |p: usize| {
            let text = (p < self.len()).then(|| self.event(p).1)?.recorded_at()?;
            OffsetDateTime::parse(text, &Rfc3339).ok()
        };
        let gap = at(position)? - at(position.checked_sub(1)?)?;
        Some(Duration::try_from(gap).unwrap_or(Duration::ZERO))
    }

    pub fn problems(&self) -> &[Problem] {
        self.timeline.problems()
    }

    /// Problems found at the event at `position` (0-based).
    pub fn problems_at(&self, position: usize) -> &[Problem] {
        let problems = self.timeline.problems();
        let start = problems.partition_point(|p| p.position < position);
        let end = problems.partition_point(|p| p.position <= position);
        &problems[start..end]
    }

    /// One line of the event's data for a list row: `amount: 100, sku: "A-1"`.
    pub fn data_summary(&self, position: usize) -> String {
        const MAX_CHARS: usize = 80;
        let (_, event) = self.event(position);
        let Ok(fields) = Fields::parse(event.data()) else { return String::new() };
        let mut summary = String::new();
        for (i, (key, value)) in fields.iter().enumerate() {
            if i > 0 {
                summary.push_str(", ");
            }
            summary.push_str(key);
            summary.push_str(": ");
            match serde_json::from_str::<Value>(value.get()) {
                // Objects and arrays as written may span lines; one line needs them compact.
                Ok(value @ (Value::Object(_) | Value::Array(_))) => summary.push_str(&value.to_string()),
                _ => summary.push_str(value.get()),
            }
            if summary.chars().count() > MAX_CHARS {
                let cut: String = summary.chars().take(MAX_CHARS - 1).collect();
                return cut + "…";
            }
        }
        summary
    }
}

/// What [`Session::find_streams`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamMatches<'a> {
    /// The first matches, in order of first appearance.
    pub names: Vec<&'a str>,
    /// How many streams match in all (more than `names.len()` when the limit cut the list).
    pub total: usize,
}

/// Whether `haystack` contains `needle` (already lowercase) in any case. ASCII text is compared
/// byte by byte without a copy; other text is lowercased first, as the needle was.
fn contains_any_case(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if haystack.is_ascii() && needle.is_ascii() {
        let needle = needle.as_bytes();
        haystack.as_bytes().windows(needle.len()).any(|window| window.eq_ignore_ascii_case(needle))
    } else {
        haystack.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classic() -> Session {
        Session::load(
            "t",
            r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":30},{"type":"Deposit","amount":50}]"#,
        )
        .unwrap()
    }

    #[test]
    fn loading_in_slices_gives_the_session_one_call_gives_and_reports_each_stage() {
        let text = crate::generate::generate_log(crate::generate::GenerateOptions::bank(2_000));
        let whole = Session::load("t", &text).unwrap();
        let mut load = SessionLoad::new("t", &text).unwrap();
        let mut seen = Vec::new();
        let sliced = loop {
            if let Some(result) = load.step(97) {
                break result.unwrap();
            }
            seen.push(load.progress());
        };
        let stage = |p: &LoadProgress| match p {
            LoadProgress::Reading { .. } => 0,
            LoadProgress::Replaying { .. } => 1,
            LoadProgress::Checking { .. } => 2,
        };
        assert!(seen.windows(2).all(|w| stage(&w[0]) <= stage(&w[1])), "stages in order: {seen:?}");
        assert_eq!([0, 1, 2].map(|s| seen.iter().any(|p| stage(p) == s)), [true; 3], "{seen:?}");
        assert!(seen.contains(&LoadProgress::Replaying { events: 97, total: 2_000 }), "{seen:?}");
        assert_eq!(sliced.len(), whole.len());
        assert_eq!(sliced.problems(), whole.problems());
        assert_eq!(sliced.integrity(), whole.integrity());
        assert_eq!(sliced.snapshot_count(), whole.snapshot_count());
        for position in [0, 1, 999, 1_500, 2_000] {
            assert_eq!(sliced.state_at(position), whole.state_at(position), "at {position}");
        }
    }

    #[test]
    fn a_picked_domain_replays_the_load_once_as_if_chosen_and_a_declined_pick_leaves_it_to_rewind() {
        let text = r#"[{"type":"Deposit","amount":100}]"#;
        let generic = crate::domain::chosen("generic").unwrap();
        let picked = SessionLoad::new("t", text).unwrap().with_domain_from(|_| Some(generic.clone())).finish().unwrap();
        assert_eq!((picked.domain().name(), picked.domain_chosen()), ("generic", true));
        assert_eq!(picked.choice(), &generic);
        let declined = SessionLoad::new("t", text).unwrap().with_domain_from(|_| None).finish().unwrap();
        assert_eq!((declined.domain().name(), declined.domain_chosen()), ("bank", false));
    }

    #[test]
    fn an_export_declares_the_domain_the_person_chose() {
        let store = classic().with_domain(crate::domain::chosen("generic").unwrap());
        let again = Session::load("again", &store.to_rewind_json()).unwrap();
        assert_eq!(again.domain().name(), "generic");
        assert_eq!(classic().to_rewind_json(), crate::formats::to_rewind_json(&classic().log), "Rewind's own choice");
    }

    #[test]
    fn a_log_with_no_events_is_refused_when_its_reading_ends() {
        let mut load = SessionLoad::new("t", "[]").unwrap();
        assert_eq!(load.step(10).map(|r| r.err()), Some(Some(LoadError::NoEvents { envelope: false })));
        assert!(load.step(10).is_none(), "a spent load hands out nothing more");
    }

    #[test]
    fn a_withdraw_of_30_changes_balance_from_100_to_70() {
        let changes = classic().event_changes(1);
        let balance = changes.iter().find(|c| c.path == ["default", "balance"]).expect("balance changed");
        assert_eq!((balance.before.clone(), balance.after.clone()), (Some(100.into()), Some(70.into())));
    }

    #[test]
    fn the_first_event_of_a_stream_adds_the_stream() {
        let changes = classic().event_changes(0);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].path, ["default"]);
        assert_eq!(changes[0].kind, inspect::ChangeKind::Added);
    }

    #[test]
    fn blame_names_the_last_event_that_set_each_field() {
        let session = classic();
        let stream = session.log.streams().get("default").unwrap();
        let blame = session.blame(stream, 2);
        let of = |field: &str| blame.iter().find(|(path, _)| path == &[field.to_string()]).map(|(_, p)| *p);
        assert_eq!(of("balance"), Some(1));
        assert_eq!(of("status"), Some(0));
    }

    #[test]
    fn the_chart_series_has_one_point_per_event_of_the_stream() {
        let session = classic();
        let stream = session.log.streams().get("default").unwrap();
        let values: Vec<_> =
            session.series(&ChartSource::Stream(stream), &["balance".to_string()]).iter().map(|p| p.value).collect();
        assert_eq!(values, [Some(100.0), Some(70.0), Some(120.0)]);
    }

    #[test]
    fn a_restored_session_can_withdraw_its_trailing_corrections_only() {
        let draft = deposit_of_5();
        let corrected = classic().with_correction(&draft, "2024-03-10T12:00:00Z").unwrap();
        let reloaded = Session::load("t", &crate::formats::to_rewind_json(&corrected.log)).unwrap();
        assert!(!reloaded.is_appended_here(3));
        let marked = reloaded.with_appended(5);
        assert!(marked.is_appended_here(3) && !marked.is_appended_here(2), "only the correction");
    }

    /// A correction: a deposit of 5 to the default stream.
    fn deposit_of_5() -> CorrectionDraft {
        CorrectionDraft {
            type_name: "Deposit".into(),
            data: serde_json::Map::from_iter([("amount".to_string(), serde_json::json!("5"))]),
            reason: "r".into(),
            ..CorrectionDraft::default()
        }
    }

    /// The corrections are found once and kept as corrections are appended and withdrawn.
    #[test]
    fn corrections_are_kept_as_they_are_appended_and_withdrawn() {
        let draft = deposit_of_5();
        let session = classic();
        assert!(!session.has_corrections() && session.streams_fixed().is_empty());
        let once = session.with_correction(&draft, "2024-03-10T12:00:00Z").unwrap();
        let twice = once.with_correction(&draft, "2024-03-10T12:01:00Z").unwrap();
        let positions = |s: &Session| s.corrections().map(|(p, _)| p).collect::<Vec<_>>();
        assert_eq!((positions(&once), positions(&twice)), (vec![3], vec![3, 4]));
        assert_eq!(positions(&twice.without_appended(4).unwrap()), [3]);
        let reloaded = Session::load("t", &crate::formats::to_rewind_json(&twice.log)).unwrap();
        assert_eq!(positions(&reloaded), [3, 4]);
        assert_eq!(positions(&reloaded.original()), [3, 4], "the original skips them but has them");
    }

    #[test]
    fn recorded_gap_is_the_time_between_two_events() {
        let sample = crate::samples::find("bank").unwrap();
        let session = Session::load("t", sample.text).unwrap();
        assert_eq!(session.recorded_gap(1), Some(Duration::from_secs(27 * 3600 + 30 * 60)));
        assert_eq!(session.recorded_gap(0), None, "the first event has no event before it");
    }

    #[test]
    fn recorded_gap_going_backwards_is_zero_and_missing_times_are_none() {
        let text = r#"[{"type":"A","recorded_at":"2024-01-02T00:00:00Z"},{"type":"B","recorded_at":"2024-01-01T00:00:00Z"},{"type":"C"}]"#;
        let session = Session::load("t", text).unwrap();
        assert_eq!(session.recorded_gap(1), Some(Duration::ZERO));
        assert_eq!(session.recorded_gap(2), None);
    }

    #[test]
    fn data_summary_lists_fields_in_written_order() {
        let session = Session::load("t", r#"[{"type":"Deposit","amount":100,"note":"rent"}]"#).unwrap();
        assert_eq!(session.data_summary(0), r#"amount: 100, note: "rent""#);
    }

    #[test]
    fn nested_data_is_summarised_on_one_compact_line() {
        let session = Session::load("t", "[{\"type\":\"A\",\"items\": [ {\n \"sku\": \"K\" } ]}]").unwrap();
        assert_eq!(session.data_summary(0), r#"items: [{"sku":"K"}]"#);
    }

    #[test]
    fn long_summaries_are_cut_with_an_ellipsis() {
        let long = "x".repeat(200);
        let session = Session::load("t", &format!(r#"[{{"type":"Note","text":"{long}"}}]"#)).unwrap();
        let summary = session.data_summary(0);
        assert_eq!(summary.chars().count(), 80);
        assert!(summary.ends_with('…'));
    }

    /// A generic log with one event on each of `names`, in that order.
    fn streams_log(names: &[String]) -> Session {
        let events: Vec<String> =
            names.iter().map(|name| format!(r#"{{"type":"Touched","stream":{}}}"#, serde_json::json!(name))).collect();
        Session::load("t", &format!("[{}]", events.join(","))).unwrap()
    }

    #[test]
    fn finding_streams_returns_the_first_matches_in_order_and_counts_them_all() {
        let names: Vec<String> = (0..1_000).map(|i| format!("order-{i:04}")).collect();
        let session = streams_log(&names);
        let found = session.find_streams("", 5);
        assert_eq!(found.names, ["order-0000", "order-0001", "order-0002", "order-0003", "order-0004"]);
        assert_eq!(found.total, 1_000, "an empty query matches every stream");
        let found = session.find_streams("12", 3);
        assert_eq!(found.names, ["order-0012", "order-0112", "order-0120"], "in order of first appearance");
        let all = names.iter().filter(|n| n.contains("12")).count();
        assert_eq!(found.total, all, "the count goes past the limit");
        assert_eq!(session.find_streams("0999", 200), StreamMatches { names: vec!["order-0999"], total: 1 });
        assert_eq!(session.find_streams("invoice", 200), StreamMatches { names: vec![], total: 0 });
    }

    #[test]
    fn finding_streams_ignores_case_in_ascii_and_beyond() {
        let names = ["Order-ABC", "order-abd", "Ärger-1", "konto-ÄRGER", "plain"].map(String::from);
        let session = streams_log(&names);
        assert_eq!(session.find_streams("ORDER-AB", 10).names, ["Order-ABC", "order-abd"]);
        assert_eq!(session.find_streams("ärger", 10).names, ["Ärger-1", "konto-ÄRGER"]);
        assert_eq!(session.find_streams("RGER", 10).total, 2, "an ASCII query finds text around other letters");
        assert_eq!(session.find_streams("x", 0), StreamMatches { names: vec![], total: 0 });
        assert_eq!(session.find_streams("o", 0).total, 3, "a limit of 0 still counts");
    }

    #[test]
    fn finding_streams_passes_over_streams_without_events() {
        // Every event names its stream, so the default stream has none and is not offered.
        let session = streams_log(&["acc-1".to_string()]);
        assert_eq!(session.find_streams("", 10).names, ["acc-1"]);
        assert_eq!(session.find_streams("default", 10).total, 0);
    }
}
