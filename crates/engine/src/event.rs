//! One event as Rewind keeps it: interned type and stream, the envelope fields, and the data as
//! raw JSON text.
//!
//! Data stays unparsed JSON text because a log can hold a million events: a `serde_json::Value`
//! tree per event would cost several times the log's bytes, while reducers only read the few
//! fields they need.
use rustc_hash::FxHashMap;

/// An interned name (an event type or a stream). Cheap to copy, compare and hash.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Sym(u32);

impl Sym {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The `Sym` at `index` of its interner (as `index` gives it back).
    pub(crate) fn from_index(index: usize) -> Sym {
        Sym(u32::try_from(index).expect("fewer than 2^32 distinct names"))
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

/// One event. Its texts (id, timestamps, data, meta, unknown fields) share one allocation: a log
/// can hold a million events, and one block per event instead of four halves the memory and the
/// time spent allocating while loading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    // Read inside the engine on every replayed event; outside it through the accessors.
    pub(crate) kind: Sym,
    pub(crate) stream: Sym,
    /// `seq` as written in the log; `None` means "its position in the log".
    pub(crate) seq: Option<u64>,
    /// The parts, one after another, in `Part` order; `ends[p]` is where part `p` ends.
    text: Box<str>,
    ends: [u32; PARTS],
}

/// The parts of an event's text, in the order they are packed.
#[derive(Copy, Clone)]
enum Part {
    Id,
    RecordedAt,
    EffectiveAt,
    Data,
    Meta,
    Extra,
}

const PARTS: usize = 6;

/// An event's texts, borrowed, to build an `Event` from. An absent part is `None`; every
/// present part is non-empty (an empty id or timestamp is refused at load, and JSON is never
/// empty), which is how the packed form tells the two apart.
#[derive(Clone, Copy, Debug, Default)]
pub struct EventText<'a> {
    pub id: Option<&'a str>,
    /// RFC 3339 text, validated at load and kept verbatim so an export gives back the same bytes.
    pub recorded_at: Option<&'a str>,
    pub effective_at: Option<&'a str>,
    /// A JSON object; `None` is `{}`.
    pub data: Option<&'a str>,
    /// A JSON object when present: correlation/causation ids, `corrects`, `reason`, anything else.
    pub meta: Option<&'a str>,
    /// Top-level fields Rewind does not know, as a JSON object, kept so an export loses nothing.
    pub extra: Option<&'a str>,
}

impl Event {
    pub fn new(kind: Sym, stream: Sym, seq: Option<u64>, text: EventText) -> Event {
        let parts =
            [text.id, text.recorded_at, text.effective_at, Some(text.data.unwrap_or("{}")), text.meta, text.extra];
        let mut packed = String::with_capacity(parts.iter().flatten().map(|p| p.len()).sum());
        let mut ends = [0; PARTS];
        for (end, part) in ends.iter_mut().zip(parts) {
            packed.push_str(part.unwrap_or(""));
            *end = u32::try_from(packed.len()).expect("an event's text is under 4 GB");
        }
        Event { kind, stream, seq, text: packed.into_boxed_str(), ends }
    }

    fn part(&self, part: Part) -> Option<&str> {
        let index = part as usize;
        let start = if index == 0 { 0 } else { self.ends[index - 1] as usize };
        let text = &self.text[start..self.ends[index] as usize];
        (!text.is_empty()).then_some(text)
    }

    pub fn id(&self) -> Option<&str> {
        self.part(Part::Id)
    }

    /// RFC 3339 text, as written.
    pub fn recorded_at(&self) -> Option<&str> {
        self.part(Part::RecordedAt)
    }

    pub fn effective_at(&self) -> Option<&str> {
        self.part(Part::EffectiveAt)
    }

    /// The data: JSON text of an object.
    pub fn data(&self) -> &str {
        self.part(Part::Data).unwrap_or("{}")
    }

    /// The meta: JSON text of an object, when present.
    pub fn meta(&self) -> Option<&str> {
        self.part(Part::Meta)
    }

    /// Unknown top-level fields: JSON text of an object, when present.
    pub fn extra(&self) -> Option<&str> {
        self.part(Part::Extra)
    }

    /// The same event with other texts (a withdrawn correction's, or a test's).
    pub fn texts(&self) -> EventText<'_> {
        EventText {
            id: self.id(),
            recorded_at: self.recorded_at(),
            effective_at: self.effective_at(),
            data: Some(self.data()),
            meta: self.meta(),
            extra: self.extra(),
        }
    }

    /// The `seq` to show: the written one, or the 1-based position in the log.
    /// The interned type name.
    pub fn kind(&self) -> Sym {
        self.kind
    }

    /// The interned stream name.
    pub fn stream(&self) -> Sym {
        self.stream
    }

    /// `seq` as written in the log, if it was.
    pub fn seq(&self) -> Option<u64> {
        self.seq
    }

    pub fn seq_or(&self, position: usize) -> u64 {
        self.seq.unwrap_or(position as u64 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_comes_back_as_given_and_absent_parts_stay_absent() {
        let (kind, stream) = (Sym(0), Sym(1));
        let text = EventText {
            id: Some("e1"),
            recorded_at: None,
            effective_at: Some("2024-01-01T00:00:00Z"),
            data: Some(r#"{"amount":5}"#),
            meta: None,
            extra: Some(r#"{"x":[1]}"#),
        };
        let event = Event::new(kind, stream, Some(3), text);
        assert_eq!(
            (event.id(), event.recorded_at(), event.effective_at(), event.data(), event.meta(), event.extra()),
            (Some("e1"), None, Some("2024-01-01T00:00:00Z"), r#"{"amount":5}"#, None, Some(r#"{"x":[1]}"#))
        );
        let bare = Event::new(kind, stream, None, EventText::default());
        assert_eq!((bare.id(), bare.data(), bare.extra()), (None, "{}", None));
        assert_eq!(Event::new(kind, stream, Some(3), event.texts()), event);
    }

    #[test]
    fn an_event_is_small() {
        assert!(std::mem::size_of::<Event>() <= 64, "{}", std::mem::size_of::<Event>());
    }
}
