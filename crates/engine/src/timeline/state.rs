//! Every stream's slot at one point of the replay, indexed by the stream's interned name.
//!
//! Slots sit in chunks of `CHUNK` shared between copies: a snapshot is a copy of the chunk list
//! (one pointer per 64 streams), and a write copies only the chunk it lands in when that chunk is
//! shared. A lookup is two indexings, whatever the number of streams; a balanced tree (what this
//! replaced) cost a search per level, most of a replay's time at 200,000 streams.
use super::StreamSlot;
use crate::event::Sym;
use std::fmt;
use std::sync::Arc;

const CHUNK: usize = 64;

type Chunk<S> = Vec<Option<StreamSlot<S>>>;

#[derive(Clone)]
pub struct State<S> {
    chunks: Vec<Option<Arc<Chunk<S>>>>,
    len: usize,
}

impl<S> State<S> {
    pub fn new() -> Self {
        State { chunks: Vec::new(), len: 0 }
    }

    pub fn get(&self, stream: &Sym) -> Option<&StreamSlot<S>> {
        let (chunk, offset) = (stream.index() / CHUNK, stream.index() % CHUNK);
        self.chunks.get(chunk)?.as_ref()?[offset].as_ref()
    }

    pub fn contains_key(&self, stream: &Sym) -> bool {
        self.get(stream).is_some()
    }

    /// Streams with a slot.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every stream with a slot, in interned order (the order of their first event in the log).
    pub fn iter(&self) -> impl Iterator<Item = (Sym, &StreamSlot<S>)> {
        self.chunks.iter().enumerate().flat_map(|(c, chunk)| {
            let slots = chunk.iter().flat_map(|chunk| chunk.iter().enumerate());
            slots.filter_map(move |(o, slot)| Some((Sym::from_index(c * CHUNK + o), slot.as_ref()?)))
        })
    }

    pub fn keys(&self) -> impl Iterator<Item = Sym> + '_ {
        self.iter().map(|(stream, _)| stream)
    }
}

impl<S: Clone> State<S> {
    /// Sets `stream`'s slot, copying its chunk first if a snapshot shares it.
    pub fn insert(&mut self, stream: Sym, slot: StreamSlot<S>) {
        let (chunk, offset) = (stream.index() / CHUNK, stream.index() % CHUNK);
        if self.chunks.len() <= chunk {
            self.chunks.resize(chunk + 1, None);
        }
        let chunk = self.chunks[chunk].get_or_insert_with(|| Arc::new(vec![None; CHUNK]));
        let entry = &mut Arc::make_mut(chunk)[offset];
        if entry.is_none() {
            self.len += 1;
        }
        *entry = Some(slot);
    }
}

impl<S> Default for State<S> {
    fn default() -> Self {
        State::new()
    }
}

impl<S: PartialEq> PartialEq for State<S> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<S: fmt::Debug> fmt::Debug for State<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(n: i32) -> StreamSlot<i32> {
        StreamSlot { domain: n, unknown: None }
    }

    #[test]
    fn a_copy_keeps_its_slots_when_the_original_changes() {
        let mut state = State::new();
        for i in [3, 200, 64, 0] {
            state.insert(Sym::from_index(i), slot(i as i32));
        }
        let snapshot = state.clone();
        state.insert(Sym::from_index(3), slot(-3));
        state.insert(Sym::from_index(500), slot(500));
        assert_eq!(snapshot.get(&Sym::from_index(3)), Some(&slot(3)));
        assert_eq!(snapshot.get(&Sym::from_index(500)), None);
        assert_eq!(state.get(&Sym::from_index(3)), Some(&slot(-3)));
        assert_eq!((snapshot.len(), state.len()), (4, 5));
        let order: Vec<usize> = state.keys().map(Sym::index).collect();
        assert_eq!(order, [0, 3, 64, 200, 500]);
        assert_ne!(state, snapshot);
        assert_eq!(State::<i32>::new(), State::default());
    }
}
