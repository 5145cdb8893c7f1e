//! The event log: append-only, with interned event types and stream names.
use crate::engine::event::{Event, Interner, Sym, DEFAULT_STREAM};
use serde_json::value::RawValue;

/// How a log was written, shown to the person so they can see what Rewind understood.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// `{"domain": "bank", "events": [...]}`
    Envelope,
    /// `[{...}, ...]`
    Array,
}

impl LogFormat {
    pub fn describe(self) -> &'static str {
        match self {
            LogFormat::Envelope => "Rewind JSON (an object with an \"events\" array)",
            LogFormat::Array => "a JSON array of events",
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
    pub format: LogFormat,
    pub declared_domain: Option<String>,
    /// Top-level envelope fields Rewind does not know, kept for export.
    pub envelope_extra: Option<Box<RawValue>>,
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
            format,
            declared_domain: None,
            envelope_extra: None,
        }
    }

    pub fn with_capacity(format: LogFormat, events: usize) -> Log {
        let mut log = Log::new(format);
        log.events.reserve_exact(events);
        log
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
        self.events.push(event);
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
