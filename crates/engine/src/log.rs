//! The event log: append-only, with interned event types and stream names.
use crate::event::{Event, EventText, Interner, Sym, DEFAULT_STREAM};
use crate::formats::{DuplicateKey, Mapping, NoText, ShapeError};
use serde_json::value::RawValue;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// A fresh generation id: every log made or changed gets one no other log in this process has.
fn next_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// How a log was written, shown to the person so they can see what Rewind understood.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// `{"domain": "bank", "events": [...]}`
    Envelope,
    /// `[{...}, ...]`
    Array,
    /// One event object on its own: `{"type": "Deposit", "amount": 100}`
    Event,
    /// `[{"type": "deposit", "payload": {...}}, ...]`: payload is the data.
    ReduxActions,
    /// A Redux DevTools export: the lifted state, or `{"payload": "…", "preloadedState": "…"}`.
    ReduxDevTools,
    /// JSON Lines / NDJSON: one event object per line.
    Ndjson,
    /// One CloudEvents 1.0 event in structured JSON (`specversion`, `type`, `source`, ...).
    CloudEvent,
    /// A JSON array of CloudEvents 1.0 events.
    CloudEventsBatch,
    /// One KurrentDB / EventStoreDB event (`eventId`, `eventType`, `data`, `metadata`).
    KurrentEvent,
    /// A JSON array of KurrentDB / EventStoreDB events.
    KurrentEvents,
}

impl LogFormat {
    pub fn describe(self) -> &'static str {
        match self {
            LogFormat::Envelope => "Rewind JSON (an object with an \"events\" array)",
            LogFormat::Array => "a JSON array of events",
            LogFormat::Event => "a single event object",
            LogFormat::ReduxActions => "Redux-style actions (payload read as data)",
            LogFormat::ReduxDevTools => "a Redux DevTools export (its actions, in order)",
            LogFormat::Ndjson => "JSON Lines (one event per line)",
            LogFormat::CloudEvent => "CloudEvents 1.0 (a single event)",
            LogFormat::CloudEventsBatch => "CloudEvents 1.0 (batch)",
            LogFormat::KurrentEvent => "KurrentDB / EventStoreDB event JSON (a single event)",
            LogFormat::KurrentEvents => "KurrentDB / EventStoreDB event JSON (an array of events)",
        }
    }
}

/// An append-only sequence of events. Nothing hands out `&mut Event`: once in, an event never
/// changes, which is the rule corrections (appended events) rely on.
#[derive(Clone, Debug)]
pub struct Log {
    events: Vec<Event>,
    types: Interner,
    streams: Interner,
    default_stream: Sym,
    /// For each stream (by `Sym`), the positions of its events in log order: lets a view fold one
    /// stream without scanning the whole log. Built on first use, in one pass: a list per stream
    /// grown while parsing cost a fifth of a load at 200,000 streams.
    stream_positions: OnceLock<StreamPositions>,
    /// The positions of the corrections in the log, found in one pass on first use and kept as
    /// events are appended: panels on screen ask on every render, and a scan of a million events
    /// each time was a fifth of the first render.
    corrections: OnceLock<Vec<u32>>,
    /// Which log this is: changes with every event appended or withdrawn, so "has the log
    /// changed?" is a comparison of two numbers (a clone is the same log until it changes).
    generation: u64,
    pub(crate) format: LogFormat,
    pub(crate) declared_domain: Option<String>,
    /// Top-level envelope fields Rewind does not know, kept for export.
    pub(crate) envelope_extra: Option<Box<RawValue>>,
    /// The mapping the events were read with (`None`: Rewind's own rules), and whether Rewind
    /// guessed it.
    pub(crate) mapping: Option<Mapping>,
    pub(crate) mapping_guessed: bool,
    /// The state before the first event, when the log says (a Redux DevTools export's preloaded
    /// or first computed state); shown, never folded.
    pub(crate) initial_state: Option<Box<RawValue>>,
    /// The field paths the first events have, offered for a mapping.
    pub(crate) field_paths: Vec<String>,
    /// The reducer script the log carries, if any.
    pub(crate) reducer: Option<ReducerScript>,
    /// Events that could not be read, by position: each holds its place in the log as an event of
    /// type [`UNREADABLE_TYPE`] that reducers pass over.
    unreadable: Vec<Unreadable>,
    /// Events with a key written twice in one of their objects (the last one read), by position:
    /// flagged by the integrity checks rather than read silently.
    pub(crate) duplicate_keys: Vec<DuplicateKey>,
    /// Events holding a string that is no text (a lone surrogate), by position: kept, flagged.
    pub(crate) no_text: Vec<NoText>,
}

/// A reducer written as a script that travels with the log (Rewind JSON's `"reducer"`): the log
/// replays with it when loaded. The engine keeps and exports it; `rewind-script` runs it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReducerScript {
    pub language: String,
    pub source: String,
}

/// The type name an unreadable event holds its place under.
pub const UNREADABLE_TYPE: &str = "(unreadable)";

/// An event that could not be read: where it is, why, and its text exactly as written (exported
/// back verbatim).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub position: usize,
    pub error: ShapeError,
    pub raw: Box<str>,
}

impl Log {
    pub fn new(format: LogFormat) -> Log {
        let mut streams = Interner::default();
        let default_stream = streams.intern(DEFAULT_STREAM);
        Log {
            events: Vec::new(),
            types: Interner::default(),
            streams,
            default_stream,
            stream_positions: OnceLock::new(),
            corrections: OnceLock::new(),
            generation: next_generation(),
            format,
            declared_domain: None,
            envelope_extra: None,
            mapping: None,
            mapping_guessed: false,
            initial_state: None,
            reducer: None,
            field_paths: Vec::new(),
            unreadable: Vec::new(),
            duplicate_keys: Vec::new(),
            no_text: Vec::new(),
        }
    }

    pub fn with_capacity(format: LogFormat, events: usize) -> Log {
        let mut log = Log::new(format);
        log.events.reserve_exact(events);
        log
    }

    /// Makes room for `additional` more events at once.
    pub fn reserve(&mut self, additional: usize) {
        self.events.reserve_exact(additional);
    }

    pub fn intern_type(&mut self, name: &str) -> Sym {
        self.types.intern(name)
    }

    pub fn intern_stream(&mut self, name: Option<&str>) -> Sym {
        match name {
            Some(name) => self.streams.intern(name),
            None => self.default_stream,
        }
    }

    pub fn append(&mut self, event: Event) {
        u32::try_from(self.events.len()).expect("fewer than 2^32 events");
        self.stream_positions.take();
        if let Some(corrections) = self.corrections.get_mut() {
            if crate::correction::is_correction(&event) {
                corrections.push(self.events.len() as u32);
            }
        }
        self.events.push(event);
        self.generation = next_generation();
    }

    /// Keeps the place of an event that could not be read: `raw` is its text as written.
    pub(crate) fn append_unreadable(&mut self, raw: &str, error: ShapeError) {
        let kind = self.intern_type(UNREADABLE_TYPE);
        let event = Event::new(kind, self.default_stream, None, EventText::default());
        self.unreadable.push(Unreadable { position: self.len(), error, raw: raw.into() });
        self.append(event);
    }

    /// The mapping the events were read with, if any, and whether Rewind guessed it.
    pub fn mapping(&self) -> Option<(&Mapping, bool)> {
        self.mapping.as_ref().map(|m| (m, self.mapping_guessed))
    }

    /// The reducer script the log carries, if any.
    pub fn reducer(&self) -> Option<&ReducerScript> {
        self.reducer.as_ref()
    }

    /// The same events carrying `reducer` instead: a new log (a new generation), as the text an
    /// export writes changes.
    pub fn with_reducer(&self, reducer: Option<ReducerScript>) -> Log {
        Log { reducer, generation: next_generation(), ..self.clone() }
    }

    /// The state before the first event, when the log says.
    pub fn initial_state(&self) -> Option<&RawValue> {
        self.initial_state.as_deref()
    }

    /// The field paths the first events have (`Event.EventType`, `AggregateId`), for a mapping.
    pub fn field_paths(&self) -> &[String] {
        &self.field_paths
    }

    /// The events that could not be read, in log order.
    pub fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }

    /// Why the event at `position` could not be read; `None` for an event that was read.
    pub fn unreadable_at(&self, position: usize) -> Option<&Unreadable> {
        // Cheap first, as replay asks for every event: only the placeholder type can be unreadable.
        if self.unreadable.is_empty() || self.types.get(UNREADABLE_TYPE) != Some(self.events.get(position)?.kind) {
            return None;
        }
        self.unreadable.binary_search_by_key(&position, |u| u.position).ok().map(|i| &self.unreadable[i])
    }

    /// The events with a key written twice in one of their objects, in log order.
    pub fn duplicate_keys(&self) -> &[DuplicateKey] {
        &self.duplicate_keys
    }

    /// The key the event at `position` has twice, if it has one.
    pub fn duplicate_key_at(&self, position: usize) -> Option<&DuplicateKey> {
        if self.duplicate_keys.is_empty() {
            return None;
        }
        self.duplicate_keys.binary_search_by_key(&position, |d| d.position).ok().map(|i| &self.duplicate_keys[i])
    }

    /// The events holding a string that is no text, in log order.
    pub fn no_text(&self) -> &[NoText] {
        &self.no_text
    }

    /// The string that is no text in the event at `position`, if it holds one.
    pub fn no_text_at(&self, position: usize) -> Option<&NoText> {
        if self.no_text.is_empty() {
            return None;
        }
        self.no_text.binary_search_by_key(&position, |d| d.position).ok().map(|i| &self.no_text[i])
    }

    /// See the field: equal generations mean the same events.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// How the log was written.
    pub fn format(&self) -> LogFormat {
        self.format
    }

    /// The domain the log names itself (`"domain": "bank"`), if any.
    pub fn declared_domain(&self) -> Option<&str> {
        self.declared_domain.as_deref()
    }

    /// Top-level envelope fields Rewind does not know, kept for export.
    pub fn envelope_extra(&self) -> Option<&RawValue> {
        self.envelope_extra.as_deref()
    }

    /// Positions (0-based) of the events of `stream`, in log order.
    /// The log positions of `stream`'s events, ascending.
    pub fn stream_position_list(&self, stream: Sym) -> &[u32] {
        self.stream_positions.get_or_init(|| StreamPositions::of(&self.events)).of_stream(stream)
    }

    pub fn stream_positions(&self, stream: Sym) -> impl Iterator<Item = usize> + '_ {
        self.stream_position_list(stream).iter().map(|&p| p as usize)
    }

    /// The log positions of the corrections (events whose meta says `"kind": "correction"`),
    /// ascending.
    pub fn correction_positions(&self) -> &[u32] {
        self.corrections.get_or_init(|| {
            let events = self.events.iter().enumerate();
            events.filter(|(_, e)| crate::correction::is_correction(e)).map(|(p, _)| p as u32).collect()
        })
    }

    /// Streams that have at least one event, in order of first appearance.
    pub fn active_streams(&self) -> impl Iterator<Item = (Sym, &str)> + '_ {
        self.streams.iter().filter(|(sym, _)| !self.stream_position_list(*sym).is_empty())
    }

    /// A copy of this log without the event at `position`. Only for taking back a correction
    /// appended in this session (the session checks that); the log as loaded is never shortened.
    pub fn without_event(&self, position: usize) -> Log {
        let mut log = Log {
            events: Vec::with_capacity(self.len()),
            types: self.types.clone(),
            streams: self.streams.clone(),
            default_stream: self.default_stream,
            stream_positions: OnceLock::new(),
            corrections: OnceLock::new(),
            generation: next_generation(),
            format: self.format,
            declared_domain: self.declared_domain.clone(),
            envelope_extra: self.envelope_extra.clone(),
            mapping: self.mapping.clone(),
            mapping_guessed: self.mapping_guessed,
            initial_state: self.initial_state.clone(),
            reducer: self.reducer.clone(),
            field_paths: self.field_paths.clone(),
            unreadable: self.unreadable.iter().filter(|u| u.position < position).cloned().collect(),
            duplicate_keys: self.duplicate_keys.iter().filter(|d| d.position < position).cloned().collect(),
            no_text: self.no_text.iter().filter(|d| d.position < position).cloned().collect(),
        };
        for (p, event) in self.events.iter().enumerate() {
            if p != position {
                log.append(event.clone());
            }
        }
        log
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn type_name(&self, event: &Event) -> &str {
        self.types.name(event.kind)
    }

    pub fn stream_name(&self, stream: Sym) -> &str {
        self.streams.name(stream)
    }

    pub fn is_default_stream(&self, stream: Sym) -> bool {
        stream == self.default_stream
    }

    pub fn types(&self) -> &Interner {
        &self.types
    }

    pub fn streams(&self) -> &Interner {
        &self.streams
    }
}

/// Every stream's event positions in one list, stream after stream (`starts[s]..starts[s + 1]`
/// are stream `s`'s), built by counting: two passes over the events, two allocations.
#[derive(Clone, Debug, Default)]
struct StreamPositions {
    starts: Vec<u32>,
    positions: Vec<u32>,
}

impl StreamPositions {
    fn of(events: &[Event]) -> StreamPositions {
        let streams = events.iter().map(|e| e.stream.index() + 1).max().unwrap_or(0);
        let mut starts = vec![0u32; streams + 1];
        for event in events {
            starts[event.stream.index() + 1] += 1;
        }
        for s in 0..streams {
            starts[s + 1] += starts[s];
        }
        let mut next = starts.clone();
        let mut positions = vec![0u32; events.len()];
        for (position, event) in events.iter().enumerate() {
            let at = &mut next[event.stream.index()];
            positions[*at as usize] = position as u32;
            *at += 1;
        }
        StreamPositions { starts, positions }
    }

    fn of_stream(&self, stream: Sym) -> &[u32] {
        match (self.starts.get(stream.index()), self.starts.get(stream.index() + 1)) {
            (Some(&start), Some(&end)) => &self.positions[start as usize..end as usize],
            _ => &[],
        }
    }
}
