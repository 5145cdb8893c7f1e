//! One event as Rewind keeps it: interned type and stream, the envelope fields, and the data as
//! raw JSON text.
//!
//! Data stays unparsed (`RawValue`) because a log can hold a million events: a boxed
//! `serde_json::Value` tree per event would cost several times the log's bytes, while reducers only
//! read the few fields they need.
use rustc_hash::FxHashMap;
use serde_json::value::RawValue;

/// An interned name (an event type or a stream). Cheap to copy, compare and hash.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Sym(u32);

impl Sym {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Maps names to `Sym`s, in order of first appearance.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    names: Vec<Box<str>>,
    index: FxHashMap<Box<str>, Sym>,
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> Sym {
        if let Some(&sym) = self.index.get(name) {
            return sym;
        }
        let sym = Sym(u32::try_from(self.names.len()).expect("fewer than 2^32 distinct names"));
        self.names.push(name.into());
        self.index.insert(name.into(), sym);
        sym
    }

    pub fn get(&self, name: &str) -> Option<Sym> {
        self.index.get(name).copied()
    }

    pub fn name(&self, sym: Sym) -> &str {
        &self.names[sym.index()]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Sym, &str)> {
        self.names.iter().enumerate().map(|(i, name)| (Sym(i as u32), &**name))
    }
}

/// The stream an event belongs to when it names none.
pub const DEFAULT_STREAM: &str = "default";

#[derive(Clone, Debug)]
pub struct Event {
    pub kind: Sym,
    pub stream: Sym,
    /// `seq` as written in the log; `None` means "its position in the log".
    pub seq: Option<u64>,
    pub id: Option<Box<str>>,
    /// RFC 3339 text, validated at load and kept verbatim so an export gives back the same bytes.
    pub recorded_at: Option<Box<str>>,
    pub effective_at: Option<Box<str>>,
    /// Always a JSON object.
    pub data: Box<RawValue>,
    /// A JSON object when present: correlation/causation ids, `corrects`, `reason`, anything else.
    pub meta: Option<Box<RawValue>>,
    /// Top-level fields Rewind does not know, as a JSON object, kept so an export loses nothing.
    pub extra: Option<Box<RawValue>>,
}

impl Event {
    /// The `seq` to show: the written one, or the 1-based position in the log.
    pub fn seq_or(&self, position: usize) -> u64 {
        self.seq.unwrap_or(position as u64 + 1)
    }
}
